"""How well the tag rules fit a corpus: coverage and balance of the tags given, and, against
a file of tags people gave the same papers, precision and recall. ``scripts/tag_report.py``
prints these figures and ``tests/test_taxonomy.py`` holds the shipped rules to them.

A labels file is YAML, a list of ``{id: <paper id>, tags: [slug, ...]}``.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from pathlib import Path

from generator.errors import InputError
from generator.model import Paper
from generator.readers import read_text
from generator.yamlio import load_yaml


@dataclass(frozen=True)
class Balance:
    """How the tags split a corpus."""

    papers: int
    tagged: int
    """Papers with at least one tag."""
    counts: dict[str, int]
    """Papers per tag slug, for every tag given."""
    per_paper: list[int]
    """Tags of each paper, in corpus order."""

    @property
    def coverage(self) -> float:
        return self.tagged / self.papers if self.papers else 0.0

    @property
    def max_share(self) -> float:
        """The share of papers the largest tag holds."""
        return max(self.counts.values()) / self.papers if self.counts else 0.0

    @property
    def median_tags(self) -> float:
        return statistics.median(self.per_paper) if self.per_paper else 0.0


def balance(papers: Iterable[Paper]) -> Balance:
    """Coverage and balance of the tags the papers carry."""
    per_paper = [len({m.slug for m in paper.tags}) for paper in papers]
    counts = Counter(m for paper in papers for m in {m.slug for m in paper.tags})
    tagged = sum(1 for n in per_paper if n)
    return Balance(len(per_paper), tagged, dict(counts), per_paper)


@dataclass(frozen=True)
class Agreement:
    """Tags given against tags labelled, over (paper, tag) pairs."""

    true_positive: Counter[str]
    false_positive: Counter[str]
    false_negative: Counter[str]
    papers: int
    """Labelled papers found in the corpus."""
    missing: list[str]
    """Labelled ids not in the corpus."""

    @property
    def precision(self) -> float:
        tp, fp = sum(self.true_positive.values()), sum(self.false_positive.values())
        return tp / (tp + fp) if tp + fp else 0.0

    @property
    def recall(self) -> float:
        tp, fn = sum(self.true_positive.values()), sum(self.false_negative.values())
        return tp / (tp + fn) if tp + fn else 0.0

    def per_tag(self, slug: str) -> tuple[float | None, float | None]:
        """Precision and recall of one tag (None where it has nothing to divide)."""
        tp, fp, fn = self.true_positive[slug], self.false_positive[slug], self.false_negative[slug]
        return (tp / (tp + fp) if tp + fp else None, tp / (tp + fn) if tp + fn else None)


def load_labels(path: Path) -> dict[str, frozenset[str]]:
    """Paper id → the tags labelled for it."""
    name = path.as_posix()
    data = load_yaml(read_text(path, name), name)
    if not isinstance(data, list):
        raise InputError(name, 1, "expected a list of {id, tags}")
    labels: dict[str, frozenset[str]] = {}
    for item in data:
        tags = item.get("tags") if isinstance(item, dict) else None
        if not isinstance(tags, list) or not isinstance(item.get("id"), str):
            line = getattr(item, "line", None)
            raise InputError(name, line, "each label needs an id (quoted) and tags")
        labels[str(item["id"])] = frozenset(str(t) for t in tags)
    return labels


def agreement(papers: Iterable[Paper], labels: dict[str, frozenset[str]]) -> Agreement:
    """How the papers' tags agree with ``labels``, micro-averaged and per tag."""
    return tags_agreement({paper.id: {m.slug for m in paper.tags} for paper in papers}, labels)


def tags_agreement(
    given: Mapping[str, AbstractSet[str]], labels: dict[str, frozenset[str]]
) -> Agreement:
    """How tags ``given`` (paper id → tags) agree with ``labels``: the rules' tags, or a
    second reader's labels, scored as the rules are (how far two readers agree)."""
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    found = 0
    for paper_id, wanted in labels.items():
        tags = given.get(paper_id)
        if tags is None:
            continue
        found += 1
        tp.update(tags & wanted)
        fp.update(tags - wanted)
        fn.update(wanted - tags)
    missing = sorted(i for i in labels if i not in given)
    return Agreement(tp, fp, fn, found, missing)
