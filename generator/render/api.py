"""The static JSON API under ``/api/``: plain files for tools and agents, each naming its
JSON Schema (also under ``/api/schema/``), and the whole archive in one download.

- ``api/index.json``: what the site holds: the newest day, every day and every tag with
  its document's URL, and where the trending list and the bulk file are;
- ``api/days/<YYYY-MM-DD>.json``: every paper of that day, as full records;
- ``api/tags/<slug>.json``: the tag's papers, ids and days, newest first;
- ``api/trending.json``: the trending list in the page's order, each record with its
  ``score`` and the parts of it;
- ``api/papers.jsonl.gz``: every paper's record, one a line, newest first (gzip, dated
  1970 so that rebuilds give the same bytes).

A paper's record is made once a build (:meth:`generator.render.listings.Site.record`): the day
documents, the trending list, the bulk file and the JSON Feeds' ``_paper`` all take it
from there. Every document is compact JSON with sorted keys: the same content gives the
same bytes.
"""

from __future__ import annotations

import gzip
import json
from datetime import date
from typing import Any

from generator.model import LINK_KINDS, Paper
from generator.render.fragments import link_kinds
from generator.render.trending import FORMULA, Trend
from generator.settings import Settings

#: The version of the API's documents; a change that breaks a reader raises it.
VERSION = 1
SCHEMA_DIR = "api/schema/"
BULK = "api/papers.jsonl.gz"


def paper_record(paper: Paper, settings: Settings, related: tuple[Paper, ...]) -> dict[str, Any]:
    """A paper as the API gives it: everything its page shows, links absolute."""
    links: dict[str, str] = {"page": settings.paper_page(paper.id)}
    for kind, url in link_kinds(paper):
        links.setdefault(kind, url)  # a kind's first link
    hub = paper.hub
    return {
        "id": paper.id,
        "arxiv_id": paper.arxiv_id,
        "title": paper.title,
        "authors": list(paper.authors),
        "abstract": paper.abstract,
        "summary": hub.summary or None,
        "days": [day.isoformat() for day in paper.days],
        "tags": [{"slug": m.slug, "reason": m.reason, "source": m.source} for m in paper.tags],
        "links": links,
        "upvotes": paper.upvotes,
        "comments": hub.comments,
        "github_stars": hub.github_stars,
        "organization": hub.organization or None,
        "related": [other.id for other in related],
    }


def dumps(document: object) -> bytes:
    """A document's bytes: compact JSON, keys sorted, UTF-8, a final newline."""
    text = json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return (text + "\n").encode("utf-8")


def bulk_file(records: list[dict[str, Any]]) -> bytes:
    """Every record, one a line, gzipped with no name or time in its header."""
    lines = b"".join(dumps(record) for record in records)
    return gzip.compress(lines, compresslevel=9, mtime=0)


def schema_url(settings: Settings, name: str) -> str:
    return settings.absolute(f"{SCHEMA_DIR}{name}.json")


def trend_record(trend: Trend, record: dict[str, Any]) -> dict[str, Any]:
    return {**record, "score": trend.score, "age_days": trend.age}


def trending_document(
    settings: Settings,
    trends: list[Trend],
    records: list[dict[str, Any]],
    span: tuple[date, date] | None,
) -> dict[str, Any]:
    """The trending list; ``span`` is the window's first and last day (None: no papers)."""
    days = {"first_day": span[0].isoformat(), "last_day": span[1].isoformat()} if span else None
    return {
        "$schema": schema_url(settings, "trending"),
        "version": VERSION,
        "formula": FORMULA,
        "window": days,
        "papers": [trend_record(t, r) for t, r in zip(trends, records, strict=True)],
    }


# The schemas: JSON Schema draft 2020-12. A record's nullable fields are null where the
# source does not say (a curated day gives no comments).

_NULLABLE_STR = {"type": ["string", "null"]}
_NULLABLE_INT = {"type": ["integer", "null"], "minimum": 0}
_DAY = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
_URL = {"type": "string", "pattern": "^https?://"}


def _object(properties: dict[str, Any]) -> dict[str, Any]:
    """A closed object whose every property is required (null where a record may lack it)."""
    return {
        "type": "object",
        "properties": properties,
        "required": sorted(properties),
        "additionalProperties": False,
    }


PAPER_PROPERTIES: dict[str, Any] = {
    "id": {"type": "string", "minLength": 1, "description": "arXiv id, else a title slug"},
    "arxiv_id": _NULLABLE_STR,
    "title": {"type": "string"},
    "authors": {"type": "array", "items": {"type": "string"}},
    "abstract": {"type": "string"},
    "summary": {**_NULLABLE_STR, "description": "Hugging Face's one-line TL;DR"},
    "days": {"type": "array", "items": _DAY, "minItems": 1,
             "description": "every day it was featured, oldest first"},
    "tags": {"type": "array", "maxItems": 10, "items": _object({
        "slug": {"type": "string"},
        "reason": {"type": "string", "description": "the words that matched, or a quote"},
        "source": {"type": "string",
                   "description": "rules, hand, or the language model that labelled it"},
    })},
    "links": {
        "type": "object",
        "properties": {kind: _URL for kind in ("page", *LINK_KINDS)},
        "required": ["page"],
        "additionalProperties": False,
    },
    "upvotes": _NULLABLE_INT,
    "comments": _NULLABLE_INT,
    "github_stars": _NULLABLE_INT,
    "organization": _NULLABLE_STR,
    "related": {"type": "array", "items": {"type": "string"},
                "description": "ids of the most similar papers of the archive"},
}  # fmt: skip


def schemas(settings: Settings) -> dict[str, dict[str, Any]]:
    """Every schema by name, each with its ``$id`` (its own URL)."""
    paper = _object(PAPER_PROPERTIES)
    header = {"$schema": {"type": "string", "format": "uri"},
              "version": {"const": VERSION}}  # fmt: skip
    trend = _object({**PAPER_PROPERTIES, "score": {"type": "number", "minimum": 0},
                     "age_days": {"type": "integer", "minimum": 0}})  # fmt: skip
    documents: dict[str, dict[str, Any]] = {
        "paper": paper,
        "day": _object({**header, "date": _DAY, "papers": {"type": "array", "items": paper}}),
        "tag": _object({
            **header, "slug": {"type": "string"}, "title": {"type": "string"},
            "description": {"type": "string"},
            "papers": {"type": "array", "items": _object({
                "id": {"type": "string"}, "days": {"type": "array", "items": _DAY}})},
        }),
        "trending": _object({
            **header, "formula": {"type": "string"},
            "window": {"anyOf": [_object({"first_day": _DAY, "last_day": _DAY}),
                                 {"type": "null"}]},
            "papers": {"type": "array", "items": trend},
        }),
        "index": _object({
            **header, "site": _object({"name": {"type": "string"}, "url": _URL}),
            "newest_day": {"anyOf": [_DAY, {"type": "null"}]},
            "papers": {"type": "integer", "minimum": 0},
            "days": {"type": "array", "items": _object({
                "date": _DAY, "papers": {"type": "integer", "minimum": 0}, "url": _URL})},
            "tags": {"type": "array", "items": _object({
                "slug": {"type": "string"}, "title": {"type": "string"},
                "papers": {"type": "integer", "minimum": 0}, "url": _URL})},
            "trending": _URL,
            "bulk": _object({"url": _URL, "schema": _URL,
                             "format": {"const": "JSON Lines, gzip"}}),
        }),
    }  # fmt: skip
    return {
        name: {"$schema": "https://json-schema.org/draft/2020-12/schema",
               "$id": schema_url(settings, name), "title": f"Trending AI Papers API: {name}",
               **schema}
        for name, schema in documents.items()
    }  # fmt: skip
