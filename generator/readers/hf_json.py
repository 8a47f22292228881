"""Reader for Hugging Face daily papers API responses (``.json``).

The file is the API's answer as-is: a JSON list of items, each with a ``paper`` object.
Papers are grouped by ``paper.submittedOnDailyAt`` (the Daily Papers day), and ranked
within a day by upvotes, most first (the order huggingface.co shows), ties in file order.
``githubRepo``, ``projectPage``, ``ai_keywords`` and upvotes are optional: fresh items lack
them, as they may lack ``ai_summary``, ``organization``, ``numComments``, ``githubStars``
and ``publishedAt`` (kept in ``HubInfo``). A field of the wrong type is ignored with a
warning; an item that cannot be used is dropped with a warning naming its index.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from generator.errors import InputError, LineCounter, Warning_
from generator.model import HubInfo, Link, RawPaper
from generator.readers.base import ReadResult, read_text
from generator.readers.clean import clean_text, extract_links, is_safe_url, normalise_arxiv_id


def _day(value: Any) -> dt.date | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(dt.UTC)
    return parsed.date()


def item_day(item: dict[str, Any]) -> dt.date | None:
    """The Daily Papers day of an API item: ``paper.submittedOnDailyAt`` (in UTC), else the
    item's ``publishedAt``; None when neither is a date. ``papers fetch hf --since`` files
    each item under this day, the day this reader groups it by."""
    paper = item.get("paper")
    paper = paper if isinstance(paper, dict) else {}
    return _day(paper.get("submittedOnDailyAt")) or _day(item.get("publishedAt"))


#: JSON's white space, skipped between the items of the list.
_SPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


def _after_space(text: str, pos: int) -> int:
    found = _SPACE.match(text, pos)
    return found.end() if found else pos


def _listed_items(text: str) -> list[tuple[int, Any]] | None:
    """Each item of the JSON list ``text`` with the offset it starts at (for the line of
    its messages), decoded item by item in one pass; None when ``text`` is not one JSON
    list, which :func:`_refusal` then explains. Decoding the whole text first and finding
    the items' offsets after meant decoding every item twice."""
    pos = _after_space(text, 0)
    if not text.startswith("[", pos):
        return None
    items: list[tuple[int, Any]] = []
    pos = _after_space(text, pos + 1)
    if not text.startswith("]", pos):
        while True:
            try:
                item, end = _DECODER.raw_decode(text, pos)
            except json.JSONDecodeError:
                return None
            except ValueError as exc:  # a number over the 4,300 digits Python converts
                raise Unreadable(pos, str(exc)) from None
            items.append((pos, item))
            pos = _after_space(text, end)
            if not text.startswith(",", pos):
                break
            pos = _after_space(text, pos + 1)
        if not text.startswith("]", pos):
            return None
    return items if _after_space(text, pos + 1) == len(text) else None


class Unreadable(ValueError):
    """Valid JSON that Python will not read: an integer of over 4,300 digits."""

    def __init__(self, pos: int, message: str) -> None:
        super().__init__(message)
        self.pos = pos


def _refusal(text: str, name: str) -> InputError:
    """Why ``text`` is not a JSON list, with the line: the JSON parser's own message."""
    if not text.strip():
        return InputError(name, 1, "empty file: expected a JSON list of daily papers")
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        return InputError(name, exc.lineno, f"invalid JSON: {exc.msg}")
    return InputError(name, 1, "expected a JSON list of daily papers items")


def _links(paper: dict[str, Any], abstract: str) -> tuple[Link, ...]:
    links = []
    for kind, key in (("code", "githubRepo"), ("project", "projectPage")):
        url = paper.get(key)
        if isinstance(url, str) and is_safe_url(url.strip()):
            links.append(Link(kind, url.strip()))
    known = {lk.url for lk in links}
    return (*links, *(lk for lk in extract_links(abstract) if lk.url not in known))


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def _hub_info(item: dict[str, Any], paper: dict[str, Any], index: int) -> tuple[HubInfo, list[str]]:
    """Hugging Face's extras of one item, and what was of the wrong type (ignored)."""
    problems = []
    summary = paper.get("ai_summary")
    if summary is not None and not isinstance(summary, str):
        problems.append(f"item {index}: ai_summary is not text; ignored")
    org = item.get("organization") or paper.get("organization")
    name = org.get("fullname") or org.get("name") if isinstance(org, dict) else None
    if org is not None and not isinstance(name, str):
        problems.append(f"item {index}: organization has no name; ignored")
    counts = {}
    for key, value in (("numComments", item.get("numComments")),
                       ("githubStars", paper.get("githubStars"))):  # fmt: skip
        counts[key] = _count(value)
        if value is not None and counts[key] is None:
            problems.append(f"item {index}: {key} is not a count; ignored")
    published = _day(paper.get("publishedAt"))
    if paper.get("publishedAt") is not None and published is None:
        problems.append(f"item {index}: publishedAt is not a date; ignored")
    info = HubInfo(
        summary=clean_text(summary) if isinstance(summary, str) else "",
        organization=clean_text(name) if isinstance(name, str) else "",
        comments=counts["numComments"],
        github_stars=counts["githubStars"],
        published=published,
    )
    return info, problems


def _raw_paper(
    item: Any, index: int, name: str, line: int, warnings: list[Warning_]
) -> RawPaper | str:
    """The paper of one API item, or why it cannot be used."""
    paper = item.get("paper") if isinstance(item, dict) else None
    if not isinstance(paper, dict):
        return f"item {index} has no 'paper'; skipped"
    title = clean_text(str(paper.get("title") or item.get("title") or ""))
    abstract = clean_text(str(paper.get("summary") or item.get("summary") or ""))
    day = item_day(item)
    if not title or day is None:
        what = "title" if not title else "submittedOnDailyAt date"
        return f"item {index} has no {what}; skipped"
    upvotes = paper.get("upvotes")
    authors = (
        clean_text(str(a.get("name")))
        for a in paper.get("authors") or []
        if isinstance(a, dict) and a.get("name") and not a.get("hidden")
    )
    keywords = paper.get("ai_keywords") or []
    hub, problems = _hub_info(item, paper, index)
    warnings.extend(Warning_(name, line, problem) for problem in problems)
    return RawPaper(
        title=title,
        abstract=abstract,
        day=day,
        source=name,
        line=line,
        rank=0,
        arxiv_id=normalise_arxiv_id(str(paper.get("id") or "")),
        authors=tuple(a for a in authors if a),
        links=_links(paper, abstract),
        upvotes=upvotes if isinstance(upvotes, int) and not isinstance(upvotes, bool) else None,
        keywords=tuple(clean_text(str(k)) for k in keywords if isinstance(k, str)),
        on_huggingface=True,
        hub=hub,
    )


def read_hf_json(path: Path, name: str) -> ReadResult:
    """Read one saved ``/api/daily_papers`` response."""
    text = read_text(path, name)
    lines = LineCounter(text)
    try:
        items = _listed_items(text)
    except Unreadable as exc:
        raise InputError(name, lines.line(exc.pos), f"unreadable item: {exc}") from None
    if items is None:
        raise _refusal(text, name)
    result = ReadResult()
    by_day: dict[dt.date, list[tuple[int, int, RawPaper]]] = {}
    for index, (offset, item) in enumerate(items):
        line = lines.line(offset)
        raw = _raw_paper(item, index, name, line, result.warnings)
        if isinstance(raw, str):
            result.warnings.append(Warning_(name, line, raw))
            result.dropped += 1
            continue
        by_day.setdefault(raw.day, []).append((-(raw.upvotes or 0), index, raw))
    for day in sorted(by_day):
        for rank, (_, _, raw) in enumerate(sorted(by_day[day], key=lambda t: t[:2])):
            result.papers.append(replace(raw, rank=rank))
    return result
