"""How good related papers and the For you ranking are, on real papers: prints the figures
BENCHMARKS.md quotes.

    .venv/bin/python scripts/similar_quality.py --hf FOLDER [--weeks N]
    .venv/bin/python scripts/similar_quality.py --arxiv PAPERS.jsonl [--weeks N]

``--hf``: Hugging Face answers (``*.json`` or ``*.json.gz``, daily or monthly), read by the
generator's reader and tagged with ``content/tags.yaml``. Figures:

- **keywords**: how often a related paper shares a Hugging Face ``ai_keyword`` with its
  paper, against a random paper of the archive (and the ratio of the two);
- **title first**: how often a paper's title alone, as a query, finds the paper first;
- **For you**: for weeks of the archive, each tag holding 2-4 % of the week's papers in turn
  is a profile: its 20 newest papers before the week are the interests, and the figure is
  the share of the week's top 10 that carry the tag (averaged over tags and weeks).

``--arxiv``: one JSON object a line, ``{"id", "title", "abstract", "primary", "date"}``
(``categories`` optional, not read by the engine). The same figures with the paper's
primary arXiv category in place of keywords and tags: the share of related papers in the
paper's primary category (random: the chance two papers share it), and For you profiles of
20 papers of one primary category.

Both compare the SVM with ranking by the nearest paper of the list (the highest cosine to
any interest), the method zotero-arxiv-daily uses.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import shutil
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.corpus import read_corpus  # noqa: E402
from generator.discover.foryou import scores  # noqa: E402
from generator.discover.interests import Interest  # noqa: E402
from generator.discover.similar import nearest, related_papers, text_model  # noqa: E402
from generator.model import Paper  # noqa: E402

PROFILE = 20
TOP = 10
Labels = Callable[[Paper], frozenset[str]]


def read_hf(folder: Path) -> list[Paper]:
    """The papers of Hugging Face answers in ``folder``, through the generator's reader."""
    with tempfile.TemporaryDirectory() as scratch:
        content = Path(scratch)
        for path in sorted(folder.glob("*.json*")):
            data = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
            (content / path.name.removesuffix(".gz")).write_bytes(data)
        shutil.copy(ROOT / "content" / "tags.yaml", content / "tags.yaml")
        return read_corpus(content).papers


def read_arxiv(path: Path) -> list[Paper]:
    papers = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        item = json.loads(line)
        day = date.fromisoformat(item["date"][:10])
        others = [c for c in item.get("categories", []) if c != item["primary"]]
        categories = (item["primary"], *others)
        papers[item["id"]] = Paper(
            item["id"], " ".join(item["title"].split()), " ".join(item["abstract"].split()),
            (day,), 0, arxiv_id=item["id"], categories=categories,
        )  # fmt: skip
    return list(papers.values())


def related_figures(papers: list[Paper], labels: Labels, what: str) -> None:
    started = time.perf_counter()
    model = text_model(papers)
    related = related_papers(model, 5)
    seconds = time.perf_counter() - started
    label_sets = {paper.id: labels(paper) for paper in model.papers}
    pairs = [(p, q) for p in model.papers for q in related[p.id]]
    share = np.mean([bool(label_sets[p.id] & label_sets[q.id]) for p, q in pairs])
    rng = random.Random(0)
    others = [(p, rng.choice(model.papers)) for p, _ in pairs]
    chance = np.mean([bool(label_sets[p.id] & label_sets[q.id]) for p, q in others if p is not q])
    print(f"related ({len(model.papers)} papers, {seconds:.1f} s): share of related papers "
          f"with the same {what}: {share:.3f}, random: {chance:.3f}, ratio {share / chance:.2f}")
    if model.vectorizer is not None:
        titles = model.vectorizer.transform([p.title for p in model.papers]).tocsr()
        found = nearest(titles, model, 5)
        first = np.mean([bool(f) and f[0][0] == i for i, f in enumerate(found)])
        top5 = np.mean([any(row == i for row, _ in f) for i, f in enumerate(found)])
        print(f"title alone finds its paper first: {first:.3f} (in the top 5: {top5:.3f})")


def for_you_figures(papers: list[Paper], labels: Labels, weeks: int, what: str) -> None:
    """Profiles of 20 papers of one label, each ranking one held-out week."""
    week_of = {p.id: p.first_day - timedelta(days=p.first_day.weekday()) for p in papers}
    sizes = Counter(week_of.values())
    # The largest weeks with at least twice their papers before them (the archive the
    # profile comes from).
    starts = sorted(sizes)
    candidates = [w for w in starts if sum(sizes[s] for s in starts if s < w) >= 2 * sizes[w]]
    chosen = sorted(sorted(candidates, key=lambda w: -sizes[w])[:weeks])
    svm_hits, near_hits, svm_possible, profiles = [], [], [], 0
    for start in chosen:
        end = start + timedelta(days=6)
        archive = [p for p in papers if p.first_day <= end]
        week = [p for p in archive if week_of[p.id] == start]
        counts = Counter(label for p in week for label in labels(p))
        picked = [c for c, n in counts.items() if 0.02 <= n / len(week) <= 0.04]
        if not picked:
            continue
        model = text_model(archive)
        rows = model.row_of
        before = sorted(
            (p for p in archive if p.first_day < start), key=lambda p: (p.first_day, p.id)
        )
        week_rows = [rows[p.id] for p in week]
        for label in sorted(picked):
            profile = [p for p in before if label in labels(p)][-PROFILE:]
            if len(profile) < PROFILE:
                continue
            interests = [Interest(p.title, p.abstract, "profile", p.id) for p in profile]
            values = scores(model, interests)
            svm_top = sorted(week_rows, key=lambda r: (-values[r], r))[:TOP]
            liked = model.vectors[[rows[p.id] for p in profile]]
            best = (model.vectors[week_rows] @ liked.T).max(axis=1).toarray().ravel()
            order = sorted(range(len(week_rows)), key=lambda i: (-best[i], i))
            near_top = [week_rows[i] for i in order[:TOP]]
            hits = sum(label in labels(model.papers[r]) for r in svm_top)
            svm_hits.append(hits / TOP)
            svm_possible.append(hits / min(TOP, counts[label]))
            near_hits.append(np.mean([label in labels(model.papers[r]) for r in near_top]))
            profiles += 1
        print(f"  week of {start}: {len(week)} papers, {len(picked)} {what}s at 2-4 %", flush=True)
    if profiles:
        print(f"For you ({profiles} profiles of {PROFILE} papers, {len(chosen)} weeks): share of "
              f"the week's top {TOP} with the profile's {what}: SVM {np.mean(svm_hits):.3f}, "
              f"nearest paper of the list {np.mean(near_hits):.3f}; SVM hits of those "
              f"possible (a week may hold fewer than {TOP} of the {what}): "
              f"{np.mean(svm_possible):.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--hf", type=Path, help="folder of Hugging Face answers")
    source.add_argument("--arxiv", type=Path, help="arXiv papers, one JSON object a line")
    parser.add_argument("--weeks", type=int, default=4, help="held-out weeks for For you")
    parser.add_argument("--no-categories", action="store_true",
                        help="--arxiv: read no category (title and abstract alone)")
    args = parser.parse_args()
    if args.hf:
        papers = read_hf(args.hf)
        related_figures(papers, lambda p: frozenset(k.casefold() for k in p.keywords), "keyword")
        tags: Labels = lambda p: frozenset(m.slug for m in p.tags)  # noqa: E731
        for_you_figures(papers, tags, args.weeks, "tag")
    else:
        papers = read_arxiv(args.arxiv)
        primary_of = {p.id: p.categories[0] for p in papers}
        if args.no_categories:  # the engine sees none; the figures still use them
            papers = [replace(p, categories=()) for p in papers]
        primary: Labels = lambda p: frozenset({primary_of[p.id]})  # noqa: E731
        related_figures(papers, primary, "primary category")
        for_you_figures(papers, primary, args.weeks, "primary category")


if __name__ == "__main__":
    main()
