"""Print how the tag rules in content/tags.yaml split the papers in content/: papers per
tag, tags per paper, and papers no rule matched. For tuning the rules.

    .venv/bin/python scripts/tag_report.py [--content content] [--untagged]
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from generator.generate import read_corpus


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--content", type=Path, default=Path("content"))
    parser.add_argument("--show", help="list the papers of this tag with the reasons")
    args = parser.parse_args()
    corpus = read_corpus(args.content)
    total = len(corpus.papers)
    print(f"{total} papers, {len(corpus.tags)} tags")
    for tag in sorted(corpus.tags, key=lambda t: -len(t.papers)):
        share = len(tag.papers) / total if total else 0
        print(f"  {tag.rule.slug:28} {len(tag.papers):4}  {share:5.1%}")
    per_paper = Counter(len(p.tags) for p in corpus.papers)
    print("tags per paper:", dict(sorted(per_paper.items())))
    for paper in corpus.papers:
        if not paper.tags:
            print("  untagged:", paper.title)
    if args.show:
        for paper in corpus.papers:
            for match in paper.tags:
                if match.slug == args.show:
                    print(f"  {paper.title[:70]:70} | {match.reason}")


if __name__ == "__main__":
    main()
