"""Print how the tag rules split the papers of a content folder, for tuning the rules:
coverage (papers with a tag), the largest tag's share, tags per paper, papers per tag, and
a sample of papers no rule matched. With ``--labels``, also precision and recall against
tags people gave (micro-averaged over (paper, tag) pairs, and per tag).

    .venv/bin/python scripts/tag_report.py [--content content] [--labels FILE]
        [--untagged N] [--show SLUG] [--errors SLUG] [--reader FILE]

``--reader`` scores a second reader's labels of the same papers against ``--labels`` as the
rules are scored: how far two careful readers agree, the ceiling for the rules.

It reads and tags with the generator's own code (``read_corpus``), rules from the content
folder's ``tags.yaml`` unless ``--rules`` names another.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

from generator.corpus import Corpus, read_corpus
from generator.tags.report import Agreement, agreement, balance, load_labels, tags_agreement


def _read(content: Path, rules: Path | None) -> Corpus:
    if rules is None:
        return read_corpus(content)
    with tempfile.TemporaryDirectory() as scratch:  # the same folder with other rules
        copy = Path(scratch) / "content"
        shutil.copytree(content, copy, ignore=shutil.ignore_patterns("tags.yaml"))
        shutil.copy(rules, copy / "tags.yaml")
        return read_corpus(copy)


def print_balance(corpus: Corpus, untagged: int) -> None:
    figures = balance(corpus.papers)
    print(
        f"{figures.papers} papers, {len(corpus.tags)} tags; coverage {figures.coverage:.1%} "
        f"({figures.papers - figures.tagged} untagged); largest tag {figures.max_share:.1%}; "
        f"tags per paper: median {figures.median_tags:g}, max {max(figures.per_paper, default=0)}"
    )
    for tag in corpus.tags:
        count = figures.counts.get(tag.rule.slug, 0)
        share = count / figures.papers if figures.papers else 0
        print(f"  {tag.rule.slug:26} {count:5}  {share:5.1%}")
    missed = [paper.title for paper in corpus.papers if not paper.tags]
    for title in missed[:: max(1, len(missed) // untagged)][:untagged] if untagged else []:
        print("  untagged:", title)


def print_agreement(scores: Agreement, corpus: Corpus) -> None:
    print(
        f"labels: {scores.papers} papers; precision {scores.precision:.1%}, "
        f"recall {scores.recall:.1%} (micro, over (paper, tag) pairs)"
    )
    if scores.missing:
        print(f"  {len(scores.missing)} labelled ids not in the content, e.g. {scores.missing[0]}")
    print(f"  {'tag':26} {'TP':>4} {'FP':>4} {'FN':>4}  precision  recall")
    for tag in corpus.tags:
        slug = tag.rule.slug
        precision, recall = scores.per_tag(slug)
        print(
            f"  {slug:26} {scores.true_positive[slug]:4} {scores.false_positive[slug]:4} "
            f"{scores.false_negative[slug]:4}  {_percent(precision):>9}  {_percent(recall):>6}"
        )


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def print_errors(corpus: Corpus, labels: dict[str, frozenset[str]], slug: str) -> None:
    """The papers where a tag and the labels disagree, with the rule's reason."""
    for paper in corpus.papers:
        if paper.id not in labels:
            continue
        given = {m.slug: m.reason for m in paper.tags}
        if (slug in given) != (slug in labels[paper.id]):
            kind = f"FP ({given[slug]})" if slug in given else f"FN (given {sorted(given)})"
            print(f"  {paper.id} {paper.title[:70]} | {kind}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--content", type=Path, default=Path("content"))
    parser.add_argument("--rules", type=Path, help="tag rules to use instead of tags.yaml")
    parser.add_argument("--labels", type=Path, help="YAML list of {id, tags} to score against")
    parser.add_argument("--untagged", type=int, default=20, help="untagged titles to show")
    parser.add_argument("--show", help="list the papers of this tag with the reasons")
    parser.add_argument("--errors", help="with --labels: this tag's disagreements")
    parser.add_argument("--reader", type=Path, help="with --labels: another reader's labels")
    args = parser.parse_args()
    corpus = _read(args.content, args.rules)
    print_balance(corpus, args.untagged)
    if args.labels:
        labels = load_labels(args.labels)
        print_agreement(agreement(corpus.papers, labels), corpus)
        if args.errors:
            print_errors(corpus, labels, args.errors)
        if args.reader:
            other = tags_agreement(load_labels(args.reader), labels)
            print(
                f"reader {args.reader.name} against the labels: {other.papers} papers; "
                f"precision {other.precision:.1%}, recall {other.recall:.1%}"
            )
    if args.show:
        for paper in corpus.papers:
            for match in paper.tags:
                if match.slug == args.show:
                    print(f"  {paper.title[:70]:70} | {match.reason}")


if __name__ == "__main__":
    main()
