"""``papers fetch hf``: Hugging Face Daily Papers into ``content/hf/``.

The API is ``GET {api}/api/daily_papers?date=YYYY-MM-DD&limit=100&p=N`` (or ``month=YYYY-MM``
or ``week=YYYY-Www`` instead of ``date``). ``p`` is the page number, counted from 0 (``p=0``
is the first page, as the Hub API documents), and ``limit`` is at most 100. Pages are asked
for until one comes back shorter than ``limit``, or one adds no paper not seen on an
earlier page (a server that ignores ``p`` would otherwise be asked forever).

A day is stored as ``content/hf/YYYY-MM-DD.json``: the API's items in the API's own shape,
cut to the fields the site reads (:func:`slim_item`), merged by ``paper.id`` with what is
already stored (see ``generator.fetch.store``), sorted by ``paper.id`` and written with
stable formatting (:func:`dump_items`) so a re-fetch gives a small diff.
``generator.readers.hf_json`` reads it back, as it reads a raw answer saved whole.

``HF_TOKEN``, when set, is sent as ``Authorization: Bearer …`` (the Hub's higher rate
limits). It is never printed: messages name URLs, never headers, and :meth:`Client.redact`
takes it out of any text quoted from an answer.
"""

from __future__ import annotations

import json
import os
import time
import urllib.parse
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from generator.fetch.store import Merged, record_success, union_by_key, write_atomic
from generator.fetch.transport import FetchError, RetryPolicy, get

DEFAULT_API_URL = "https://huggingface.co"
API_URL_ENV = "PAPERS_HF_API_URL"
#: A Hugging Face access token for the higher rate limits; optional.
TOKEN_ENV = "HF_TOKEN"
#: Least seconds between two requests: 300 in the Hub's five-minute window, well within
#: its limit for anonymous clients.
DEFAULT_PACE = 1.0
PACE_ENV = "PAPERS_HF_PACE"
#: The most the API returns per page.
PAGE_SIZE = 100
#: A guard against an API that keeps answering full pages; no real month has 10,000 papers.
MAX_PAGES = 100


def api_url(option: str | None) -> str:
    """``--api-url``, else ``$PAPERS_HF_API_URL``, else huggingface.co."""
    return (option or os.environ.get(API_URL_ENV) or DEFAULT_API_URL).rstrip("/")


def page_url(api: str, query: Mapping[str, str], page: int) -> str:
    """``query`` is one of ``{"date": …}``, ``{"month": …}``, ``{"week": …}``."""
    query_string = urllib.parse.urlencode({**query, "limit": PAGE_SIZE, "p": page})
    return f"{api}/api/daily_papers?{query_string}"


def paper_id(item: dict[str, Any]) -> str:
    return str(item["paper"]["id"])


def _check_items(data: Any, url: str) -> list[dict[str, Any]]:
    """The answer must be a list of items that each carry ``paper.id``."""
    if not isinstance(data, list):
        raise FetchError(f"{url}: expected a JSON list of daily papers, got {type(data).__name__}")
    for index, item in enumerate(data):
        paper = item.get("paper") if isinstance(item, dict) else None
        if not isinstance(paper, dict) or not isinstance(paper.get("id"), str | int):
            raise FetchError(f"{url}: item {index} has no paper.id; not a daily papers list")
    return data


def auth_headers(environ: Mapping[str, str] = os.environ) -> dict[str, str]:
    """``Authorization: Bearer $HF_TOKEN`` when the token is set, else nothing."""
    token = environ.get(TOKEN_ENV, "").strip()
    return {"Authorization": f"Bearer {token}"} if token else {}


@dataclass
class Client:
    """Asks the daily papers API: pages followed, requests paced and counted, the token
    sent and kept out of every message."""

    api: str
    policy: RetryPolicy
    pace: float = 0.0
    """Least seconds from the start of one request to the start of the next."""
    headers: dict[str, str] = field(default_factory=auth_headers)
    requests: int = 0
    sleep: Callable[[float], None] = time.sleep
    _last: float | None = None

    def redact(self, text: str) -> str:
        token = self.headers.get("Authorization", "").removeprefix("Bearer ")
        return text.replace(token, "[HF_TOKEN]") if token else text

    def _get_json(self, url: str) -> Any:
        if self._last is not None and self.pace > 0:
            wait = self._last + self.pace - time.monotonic()
            if wait > 0:
                self.sleep(wait)
        self._last = time.monotonic()
        self.requests += 1
        try:
            answer = get(
                url, self.policy, accept="application/json", headers=self.headers, sleep=self.sleep
            )
            try:
                return json.loads(answer.body)
            except ValueError:  # not JSON, not UTF-8, or a number over 4,300 digits
                quoted = answer.text()[:80]
                raise FetchError(f"{url}: the answer is not JSON: {quoted!r}") from None
        except FetchError as exc:
            raise FetchError(self.redact(str(exc))) from None

    def items(self, query: Mapping[str, str]) -> list[dict[str, Any]]:
        """Every item listed for ``query``, all pages, first-seen order, no duplicates."""
        items: dict[str, dict[str, Any]] = {}
        for page in range(MAX_PAGES):
            url = page_url(self.api, query, page)
            page_items = _check_items(self._get_json(url), url)
            new = [item for item in page_items if paper_id(item) not in items]
            for item in page_items:
                items[paper_id(item)] = item
            if len(page_items) < PAGE_SIZE or not new:
                return list(items.values())
        last = page_url(self.api, query, MAX_PAGES - 1)
        raise FetchError(f"{last}: still full after {MAX_PAGES} pages; not a daily papers list")


def day_path(content: Path, day: date) -> Path:
    return content / "hf" / f"{day.isoformat()}.json"


def _read_stored(path: Path) -> list[dict[str, Any]]:
    if not path.is_file():
        return []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:  # not JSON, not UTF-8, or a number over 4,300 digits
        raise FetchError(
            f"{path}: stored day is not valid JSON ({exc}); fix or remove it"
        ) from None
    return _check_items(data, str(path))


#: The fields the site reads (``generator.readers.hf_json``), item level and paper level.
#: The top-level ``title``, ``summary`` and ``publishedAt`` repeat the paper's own and are
#: kept only where the paper lacks them.
ITEM_FIELDS = ("numComments", "organization", "paper")
PAPER_FIELDS = (
    "ai_keywords", "ai_summary", "authors", "githubRepo", "githubStars", "id",
    "organization", "projectPage", "publishedAt", "submittedOnDailyAt", "summary", "title",
    "upvotes",
)  # fmt: skip
FALLBACK_FIELDS = {"title": "title", "summary": "summary", "publishedAt": "submittedOnDailyAt"}
ORGANIZATION_FIELDS = ("fullname", "name")


def _slim_author(author: Any) -> Any:
    if not isinstance(author, dict):
        return author
    slim = {"name": author["name"]} if "name" in author else {}
    if author.get("hidden"):
        slim["hidden"] = True
    return slim


def _slim_organization(org: Any) -> Any:
    if not isinstance(org, dict):
        return org
    return {key: org[key] for key in ORGANIZATION_FIELDS if key in org}


def slim_item(item: dict[str, Any]) -> dict[str, Any]:
    """``item`` with only what the site reads, in the API's shape. Idempotent, and the
    reader gives the same paper for the slim item as for the whole one (tested)."""
    paper = item["paper"]
    slim_paper = {key: paper[key] for key in PAPER_FIELDS if key in paper}
    if isinstance(paper.get("authors"), list):
        slim_paper["authors"] = [_slim_author(a) for a in paper["authors"]]
    if "organization" in slim_paper:
        slim_paper["organization"] = _slim_organization(slim_paper["organization"])
    slim: dict[str, Any] = {key: item[key] for key in ITEM_FIELDS if key in item}
    slim["paper"] = slim_paper
    if "organization" in slim:
        slim["organization"] = _slim_organization(slim["organization"])
    for key, paper_key in FALLBACK_FIELDS.items():
        if key in item and not paper.get(paper_key):
            slim[key] = item[key]
    return slim


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _dump_object(value: dict[str, Any], indent: str) -> list[str]:
    """One key a line; nested objects opened the same way, lists and scalars on the line."""
    lines = []
    for n, key in enumerate(sorted(value)):
        comma = "," if n < len(value) - 1 else ""
        inner = value[key]
        if isinstance(inner, dict) and inner:
            lines.append(f"{indent}{_compact(key)}: {{")
            lines.extend(_dump_object(inner, indent + " "))
            lines.append(f"{indent}}}{comma}")
        else:
            lines.append(f"{indent}{_compact(key)}: {_compact(inner)}{comma}")
    return lines


def dump_items(items: list[dict[str, Any]]) -> str:
    """The stored form: slim items sorted by ``paper.id``, keys sorted, one field a line
    (an author list or keyword list on one line), so a refresh that changes a count
    changes one line. Valid JSON, with a trailing newline."""
    ordered = sorted((slim_item(item) for item in items), key=paper_id)
    lines = ["["]
    for n, item in enumerate(ordered):
        lines.append(" {")
        lines.extend(_dump_object(item, "  "))
        lines.append(" }," if n < len(ordered) - 1 else " }")
    lines.append("]")
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class StoreResult:
    path: Path
    fetched: int
    merged: Merged | None
    """None when the answer was empty and nothing was written."""
    changed: bool

    def is_empty_day(self, day: date, today: date) -> bool:
        """Whether the answer says ``day`` had no papers: empty, nothing stored, and the day
        over before ``today`` (an empty answer for today only means "not yet")."""
        return self.merged is None and day < today and not self.path.exists()

    def describe(self, day: date) -> str:
        if self.merged is None:
            return f"no papers listed for {day.isoformat()} (yet); nothing written"
        total = len(self.merged.items)
        what = "updated" if self.changed else "unchanged"
        kept = f", {self.merged.kept} kept from before" if self.merged.kept else ""
        return (
            f"{self.path}: {what}, {total} papers ({self.fetched} fetched, "
            f"{self.merged.added} new{kept})"
        )


def store_day(content: Path, day: date, fetched: list[dict[str, Any]]) -> StoreResult:
    """Merge ``fetched`` into the stored day; an empty answer writes nothing."""
    path = day_path(content, day)
    if not fetched:
        return StoreResult(path, 0, None, changed=False)
    merged = union_by_key(_read_stored(path), fetched, paper_id)
    changed = write_atomic(path, dump_items(merged.items))
    return StoreResult(path, len(fetched), merged, changed)


def fetch_hf(
    content: Path,
    day: date,
    api: str,
    policy: RetryPolicy,
    today: date | None = None,
    client: Client | None = None,
) -> str:
    """Fetch, store, record the success; returns the line to print.

    An empty answer for a day before ``today`` (UTC) with nothing stored is a day with no
    papers (weekends often are): it is recorded in the fetch status, so the site says "no
    papers listed that day". An empty answer for today only means "not yet".
    """
    fetched = (client or Client(api, policy)).items({"date": day.isoformat()})
    result = store_day(content, day, fetched)
    empty = result.is_empty_day(day, today or datetime.now(UTC).date())
    record_success(content, "hf", empty_day=day if empty else None)
    return result.describe(day) + ("; recorded as a day with no papers" if empty else "")
