"""Merging: one record per paper across all files and days, and stable ids.

Two listings are the same paper when they share an arXiv id, or else a normalised title
(case, spacing and punctuation folded). A merged paper keeps every day it was featured;
its first day dates it in the feeds. Fields are filled from the richest listing: the first
listing (oldest day, then file order) wins for text, later ones only fill what is missing.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from generator.model import Link, Paper, RawPaper
from generator.readers.clean import normalise_title

#: Longest title slug, in characters; longer slugs are cut at a word boundary.
MAX_SLUG_LENGTH = 60


@dataclass
class MergeResult:
    papers: list[Paper]
    """Merged papers, newest first day first, then by rank on that day."""
    days: dict[date, list[str]]
    """Each day's paper ids in page order, days sorted oldest first."""
    duplicates_merged: int


def slugify(text: str, max_length: int = MAX_SLUG_LENGTH) -> str:
    """An ASCII slug of ``text``: lowercase words joined by hyphens, at most ``max_length``
    characters, cut at a word boundary. May be empty (for a title with no ASCII letters)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > max_length:
            break
        slug = candidate
    return slug or (words[0][:max_length] if words else "")


def _short_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


def page_id_for(arxiv_id: str | None, title: str) -> str:
    """The id a paper would get on its own: arXiv id (``/`` of old ids as ``-``), else a
    title slug, else ``paper-<hash>`` for a title with no ASCII letters or digits."""
    if arxiv_id:
        return arxiv_id.replace("/", "-")
    return slugify(title) or f"paper-{_short_hash(normalise_title(title))}"


def _merge_links(first: tuple[Link, ...], more: tuple[Link, ...]) -> tuple[Link, ...]:
    urls = {lk.url for lk in first}
    return first + tuple(lk for lk in more if lk.url not in urls)


def _union(first: tuple[str, ...], more: tuple[str, ...]) -> tuple[str, ...]:
    return first + tuple(x for x in more if x not in first)


def _combine(paper: Paper, raw: RawPaper) -> None:
    if raw.day not in paper.days:
        paper.days = tuple(sorted((*paper.days, raw.day)))
    paper.arxiv_id = paper.arxiv_id or raw.arxiv_id
    paper.abstract = paper.abstract or raw.abstract
    paper.authors = paper.authors or raw.authors
    paper.links = _merge_links(paper.links, raw.links)
    if raw.upvotes is not None:
        paper.upvotes = max(paper.upvotes or 0, raw.upvotes)
    paper.keywords = _union(paper.keywords, raw.keywords)
    paper.categories = _union(paper.categories, raw.categories)
    paper.manual_tags = _union(paper.manual_tags, raw.manual_tags)
    paper.on_huggingface = paper.on_huggingface or raw.on_huggingface
    paper.sources = _union(paper.sources, (raw.source,))
    paper.hub = paper.hub.merged(raw.hub)


#: Ids a paper can never take: ``papers/index.md`` would be served at ``/papers/``.
RESERVED_IDS = frozenset({"index"})


def merge_papers(raws: list[RawPaper]) -> MergeResult:
    """Merge listings into papers and give each a stable, unique id.

    ``raws`` must be in file order (as the readers produced them); the result does not
    depend on anything else, so the same input always gives the same ids.
    """
    ordered = sorted(enumerate(raws), key=lambda pair: (pair[1].day, pair[0]))
    papers: list[Paper] = []
    taken: set[str] = set(RESERVED_IDS)
    by_arxiv: dict[str, Paper] = {}
    by_title: dict[str, Paper] = {}
    day_entries: dict[date, list[tuple[str, int, int, Paper]]] = {}
    listed: set[tuple[date, int]] = set()
    """(day, id(paper)) of the entries in ``day_entries``."""
    merged = 0
    for order, raw in ordered:
        key = normalise_title(raw.title)
        paper = (by_arxiv.get(raw.arxiv_id) if raw.arxiv_id else None) or by_title.get(key)
        if paper is not None and raw.arxiv_id and paper.arxiv_id not in (None, raw.arxiv_id):
            paper = None  # same title, different arXiv ids: two papers
        if paper is None:
            paper = Paper(
                id=_new_id(raw, taken),
                title=raw.title,
                abstract=raw.abstract,
                days=(raw.day,),
                rank=0,
                arxiv_id=raw.arxiv_id,
                authors=raw.authors,
                links=raw.links,
                upvotes=raw.upvotes,
                keywords=raw.keywords,
                categories=raw.categories,
                manual_tags=raw.manual_tags,
                on_huggingface=raw.on_huggingface,
                sources=(raw.source,),
                hub=raw.hub,
            )
            papers.append(paper)
        else:
            merged += 1
            _combine(paper, raw)
        if paper.arxiv_id:
            by_arxiv.setdefault(paper.arxiv_id, paper)
        by_title.setdefault(key, paper)
        if (raw.day, id(paper)) not in listed:
            listed.add((raw.day, id(paper)))
            day_entries.setdefault(raw.day, []).append((raw.source, raw.rank, order, paper))
    days: dict[date, list[str]] = {}
    for day in sorted(day_entries):
        listing = sorted(day_entries[day], key=lambda e: e[:3])
        days[day] = [paper.id for *_, paper in listing]
        for rank, (*_, paper) in enumerate(listing):
            if paper.first_day == day:
                paper.rank = rank
    papers.sort(key=lambda p: (-p.first_day.toordinal(), p.rank))
    return MergeResult(papers=papers, days=days, duplicates_merged=merged)


def _new_id(first: RawPaper, taken: set[str]) -> str:
    """The id of a paper first listed as ``first``; ``taken`` holds the ids given so far.

    Papers are met in first-seen order (oldest day, then file order) and the id comes from
    that first listing: a paper first listed without an arXiv id keeps its title slug when
    a later listing brings the id, so its URL and feed entry never change. A paper whose id
    is taken gets a hash of its own normalised title appended, so papers added on later days
    never rename an existing page (one added on an earlier day with the same slug does take
    the bare slug).
    """
    base = page_id_for(first.arxiv_id, first.title)
    candidate = base
    if candidate in taken:
        suffix = _short_hash(normalise_title(first.title) + (first.arxiv_id or ""))
        candidate = f"{base}-{suffix}"
    counter = 2
    while candidate in taken:  # a hash collision: practically never, still never silent
        candidate = f"{base}-{counter}"
        counter += 1
    taken.add(candidate)
    return candidate
