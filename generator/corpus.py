"""The corpus stage, the build's read step: ``content/`` in, a tagged ``Corpus`` out (the
papers merged, each day's papers, the tags largest first, the last fetch) with the
build's ``Summary``.

Pure apart from reading ``content/``: the same content gives the same corpus.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TypeVar

from generator.errors import InputError, Warning_
from generator.model import Paper, RawPaper, StepTiming, TagMatch
from generator.readers import ReadResult, input_files, merge_papers, read_file
from generator.tags import (
    Tagger,
    TagInputs,
    TagRule,
    apply_labels,
    assign_tags,
    load_tag_rules,
    read_labels,
    tag_inputs,
)

T = TypeVar("T")
TAGS_FILE = "tags.yaml"
TagsOf = tuple[TagInputs, tuple[TagMatch, ...]]
STATUS_FILE = "fetch-status.json"


@dataclass(frozen=True)
class TagInfo:
    """A tag as the pages show it: its rule and its papers, newest first."""

    rule: TagRule
    papers: tuple[Paper, ...]


@dataclass
class Summary:
    """What a build read and wrote; ``papers_read`` always equals
    ``pages_written + duplicates_merged + dropped``."""

    files_read: int = 0
    papers_read: int = 0
    pages_written: int = 0
    duplicates_merged: int = 0
    dropped: int = 0
    days: int = 0
    tags: int = 0
    feeds: int = 0
    warnings: list[Warning_] = field(default_factory=list)
    seconds: float = 0.0
    site_built: bool = False
    steps: list[StepTiming] = field(default_factory=list)
    """Wall time and peak memory of each build step, in order."""

    def describe(self) -> str:
        return (
            f"{self.files_read} files read, {self.papers_read} papers read, "
            f"{self.pages_written} paper pages, {self.duplicates_merged} duplicates merged, "
            f"{self.dropped} dropped, {self.days} days, {self.tags} tags, {self.feeds} feeds, "
            f"{len(self.warnings)} warnings, {self.seconds:.2f} s"
            + (" (site built)" if self.site_built else " (Markdown and feeds only)")
        )


@dataclass
class Corpus:
    """Everything read from the content folder, merged and tagged."""

    papers: list[Paper]
    days: dict[date, list[Paper]]
    """Every day (including days listed with no papers), oldest first."""
    tags: list[TagInfo]
    """Every tag of the rules, most papers first, ties in the order of ``tags.yaml``."""
    last_fetch: datetime | None
    summary: Summary

    @property
    def newest_day(self) -> date | None:
        """The newest day with papers (an empty weekend after it does not count)."""
        return max((day for day, papers in self.days.items() if papers), default=None)


def read_fetch_status(content: Path) -> tuple[datetime | None, set[date]]:
    """From ``fetch-status.json``: the last successful fetch (the newest of its sources) and
    the past days a source answered with no papers."""
    path = content / STATUS_FILE
    if not path.exists():
        return None, set()
    name = path.as_posix()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        stamps = [
            datetime.fromisoformat(str(v).replace("Z", "+00:00"))
            for v in (data.get("last_success") or {}).values()
        ]
        empty = {date.fromisoformat(str(d)) for d in data.get("empty_days") or []}
    except (ValueError, AttributeError, TypeError, UnicodeDecodeError) as exc:
        raise InputError(name, None, f"unreadable fetch status: {exc}") from None
    if any(s.tzinfo is None for s in stamps):
        raise InputError(name, None, "fetch times must carry a timezone (…Z)")
    return (max(stamps).astimezone(UTC) if stamps else None), empty


def read_corpus(content: Path) -> Corpus:
    """Read every input file, merge the papers and tag them: a paper's label
    (``content/labels/``) where it has one, else the rules."""
    if not content.is_dir():
        raise InputError(str(content), None, "content folder not found")
    summary = Summary()
    raws: list[RawPaper] = []
    empty_days: set[date] = set()
    files, skipped = input_files(content)
    summary.warnings.extend(skipped)
    tags_file = (content / TAGS_FILE).as_posix()
    try:  # needed to tag each listing as it is read; a bad file still fails first
        rules: list[TagRule] | Exception = load_tag_rules(content / TAGS_FILE, tags_file)
    except Exception as exc:
        rules = exc
    tagger = Tagger(rules) if isinstance(rules, list) else None  # its index: built once
    results, known = _read_files(files, tagger)
    for result in results:
        summary.files_read += 1
        raws.extend(result.papers)
        summary.warnings.extend(result.warnings)
        summary.dropped += result.dropped
        empty_days.update(result.empty_days)
    summary.papers_read = len(raws) + summary.dropped
    last_fetch, fetched_empty = read_fetch_status(content)
    empty_days.update(fetched_empty)
    merged = merge_papers(raws)
    if isinstance(rules, Exception):
        raise rules
    summary.warnings.extend(assign_tags(merged.papers, rules, tags_file, known, tagger))
    apply_labels(merged.papers, read_labels(content), rules)  # the rules where none exists
    by_id = {paper.id: paper for paper in merged.papers}
    days = {
        day: [by_id[i] for i in merged.days.get(day, [])]
        for day in sorted(set(merged.days) | empty_days)
    }
    tagged: dict[str, list[Paper]] = {rule.slug: [] for rule in rules}
    for paper in merged.papers:
        for match in paper.tags:
            listed = tagged[match.slug]
            if not listed or listed[-1] is not paper:  # a tag given twice by hand: once
                listed.append(paper)
    # Largest first (ties in file order): the order of the tags index, the Feeds page and
    # the OPML, so that readers see the field's big topics first, whatever the rules.
    tags = sorted(
        (TagInfo(rule, tuple(tagged[rule.slug])) for rule in rules), key=lambda t: -len(t.papers)
    )
    summary.duplicates_merged = merged.duplicates_merged
    summary.days = len(days)
    summary.tags = len(rules)
    return Corpus(merged.papers, days, tags, last_fetch, summary)


def _read_files(
    files: list[Path], tagger: Tagger | None
) -> tuple[list[ReadResult], dict[TagInputs, tuple[TagMatch, ...]]]:
    """``read_file`` of every file, in order, and the tags of each listing read (with
    ``tagger``), which a paper merged from one listing keeps."""
    results: list[ReadResult] = []
    tagged: dict[TagInputs, tuple[TagMatch, ...]] = {}
    for path in files:
        result = read_file(path)
        results.append(result)
        if tagger is not None:
            tagged.update((tag_inputs(raw), tagger.tags(raw)) for raw in result.papers)
    return results, tagged
