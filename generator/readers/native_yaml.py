"""Reader for curated days in the project's own YAML format (``.yaml`` / ``.yml``).

Example (every field but ``title`` and ``abstract`` is optional)::

    date: 2025-06-07
    papers:
      - title: "Attention Is All You Need"
        abstract: "The dominant sequence transduction models are ..."
        arxiv: "1706.03762"
        authors: [Ashish Vaswani, Noam Shazeer]
        links:
          code: https://github.com/tensorflow/tensor2tensor
          project: https://example.org/transformer
          pdf: https://arxiv.org/pdf/1706.03762
        upvotes: 42
        tags: [transformers]        # manual tags: slugs from content/tags.yaml
        categories: [cs.CL, cs.LG]  # arXiv categories, used by tag rules
        keywords: [self-attention]  # extra keywords, used by tag rules

Unknown keys are errors (they are usually typos), reported with file and line.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from generator.errors import InputError
from generator.model import Link, RawPaper
from generator.readers.base import ReadResult, read_text
from generator.readers.clean import clean_text, extract_links, is_safe_url, normalise_arxiv_id
from generator.yamlio import LineDict, LineList, load_yaml

PAPER_KEYS = frozenset(
    {"title", "abstract", "arxiv", "authors", "links", "upvotes", "tags", "categories", "keywords"}
)
LINK_KEYS = ("code", "project", "pdf")


def _text_list(value: Any, name: str, line: int, what: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str | int | float) for v in value):
        raise InputError(name, line, f"{what} must be a list of text")
    return tuple(t for t in (clean_text(str(v)) for v in value) if t)


def _parse_day(value: Any, name: str, line: int) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise InputError(name, line, f"date must be YYYY-MM-DD, got {value!r}")


def _paper(item: Any, day: dt.date, rank: int, name: str, line: int) -> RawPaper:
    if not isinstance(item, LineDict):
        raise InputError(name, line, "each paper must be a mapping with title and abstract")
    lines = item.key_lines
    for key in item:
        if key not in PAPER_KEYS:
            raise InputError(
                name, lines[key], f"unknown key {key!r}; expected one of {sorted(PAPER_KEYS)}"
            )
    for key in ("title", "abstract"):
        if not isinstance(item.get(key), str) or not item[key].strip():
            raise InputError(name, lines.get(key, item.line), f"paper needs a non-empty {key}")
    title, abstract = clean_text(item["title"]), clean_text(item["abstract"])
    if not title:
        raise InputError(name, lines["title"], "title is empty once control characters are removed")
    arxiv_id = None
    if item.get("arxiv") is not None:
        arxiv_id = normalise_arxiv_id(str(item["arxiv"]))
        if arxiv_id is None:
            raise InputError(name, lines["arxiv"], f"not an arXiv id: {item['arxiv']!r}")
    links: list[Link] = []
    raw_links = item.get("links") or {}
    if not isinstance(raw_links, dict):
        raise InputError(name, lines["links"], "links must be a mapping of code/project/pdf")
    for kind, url in raw_links.items():
        link_line = raw_links.key_lines[kind] if isinstance(raw_links, LineDict) else line
        if kind not in LINK_KEYS:
            raise InputError(name, link_line, f"unknown link {kind!r}; expected {LINK_KEYS}")
        if not isinstance(url, str) or not is_safe_url(url.strip()):
            raise InputError(name, link_line, f"{kind} link must be an http(s) URL")
        links.append(Link(kind, url.strip()))
    known = {lk.url for lk in links}
    links.extend(lk for lk in extract_links(abstract) if lk.url not in known)
    upvotes = item.get("upvotes")
    if upvotes is not None and (not isinstance(upvotes, int) or isinstance(upvotes, bool)):
        raise InputError(name, lines["upvotes"], "upvotes must be a whole number")
    return RawPaper(
        title=title,
        abstract=abstract,
        day=day,
        source=name,
        line=item.line,
        rank=rank,
        arxiv_id=arxiv_id,
        authors=_text_list(item.get("authors"), name, lines.get("authors", line), "authors"),
        links=tuple(links),
        upvotes=upvotes,
        keywords=_text_list(item.get("keywords"), name, lines.get("keywords", line), "keywords"),
        categories=_text_list(
            item.get("categories"), name, lines.get("categories", line), "categories"
        ),
        manual_tags=_text_list(item.get("tags"), name, lines.get("tags", line), "tags"),
    )


def read_native_yaml(path: Path, name: str) -> ReadResult:
    """Read one curated day; see the module docstring for the format."""
    data = load_yaml(read_text(path, name), name)
    if not isinstance(data, LineDict):
        raise InputError(name, 1, "expected a mapping with 'date' and 'papers'")
    for key in data:
        if key not in ("date", "papers"):
            raise InputError(name, data.key_lines[key], f"unknown key {key!r}")
    if "date" not in data:
        raise InputError(name, data.line, "missing 'date: YYYY-MM-DD'")
    day = _parse_day(data["date"], name, data.key_lines["date"])
    papers = data.get("papers")
    result = ReadResult()
    if papers is None or papers == []:
        result.empty_days.append(day)
        return result
    if not isinstance(papers, LineList):
        raise InputError(name, data.key_lines["papers"], "'papers' must be a list")
    for rank, (item, line) in enumerate(zip(papers, papers.item_lines, strict=True)):
        result.papers.append(_paper(item, day, rank, name, line))
    return result
