"""``papers fetch hf``: one day of Hugging Face Daily Papers into ``content/hf/``.

The API is ``GET {api}/api/daily_papers?date=YYYY-MM-DD&limit=100&p=N``. ``p`` is the
page number, counted from 0 (``p=0`` is the first page, as the Hub API documents), and
``limit`` is at most 100. Pages are asked for until one comes back shorter than
``limit``, or one adds no paper not seen on an earlier page (a server that ignores ``p``
would otherwise be asked forever).

The day is stored as ``content/hf/YYYY-MM-DD.json``: the API's items unchanged, merged
by ``paper.id`` with what is already stored (see ``generator.fetch.store``), sorted by
``paper.id`` and written with stable formatting so a re-fetch gives a small diff.
``generator.readers.hf_json`` reads it back.
"""

from __future__ import annotations

import json
import os
import urllib.parse
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from generator.fetch.store import Merged, record_success, union_by_key, write_atomic
from generator.fetch.transport import FetchError, RetryPolicy, get

DEFAULT_API_URL = "https://huggingface.co"
API_URL_ENV = "PAPERS_HF_API_URL"
#: The most the API returns per page.
PAGE_SIZE = 100
#: A guard against an API that keeps answering full pages; no real day has 5000 papers.
MAX_PAGES = 50


def api_url(option: str | None) -> str:
    """``--api-url``, else ``$PAPERS_HF_API_URL``, else huggingface.co."""
    return (option or os.environ.get(API_URL_ENV) or DEFAULT_API_URL).rstrip("/")


def page_url(api: str, day: date, page: int) -> str:
    query = urllib.parse.urlencode({"date": day.isoformat(), "limit": PAGE_SIZE, "p": page})
    return f"{api}/api/daily_papers?{query}"


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


def fetch_day(api: str, day: date, policy: RetryPolicy) -> list[dict[str, Any]]:
    """Every item the API lists for ``day``, all pages, first-seen order, no duplicates."""
    items: dict[str, dict[str, Any]] = {}
    for page in range(MAX_PAGES):
        url = page_url(api, day, page)
        answer = get(url, policy, accept="application/json")
        try:
            data = json.loads(answer.body)
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise FetchError(f"{url}: the answer is not JSON: {answer.text()[:80]!r}") from None
        page_items = _check_items(data, url)
        new = [item for item in page_items if paper_id(item) not in items]
        for item in page_items:
            items[paper_id(item)] = item
        if len(page_items) < PAGE_SIZE or not new:
            break
    return list(items.values())


def day_path(content: Path, day: date) -> Path:
    return content / "hf" / f"{day.isoformat()}.json"


def _read_stored(path: Path) -> list[dict[str, Any]]:
    if not path.is_file():
        return []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise FetchError(
            f"{path}: stored day is not valid JSON ({exc}); fix or remove it"
        ) from None
    return _check_items(data, str(path))


def dump_items(items: list[dict[str, Any]]) -> str:
    """The stored form: sorted by ``paper.id``, one key order, trailing newline."""
    ordered = sorted(items, key=paper_id)
    return json.dumps(ordered, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


@dataclass(frozen=True)
class StoreResult:
    path: Path
    fetched: int
    merged: Merged | None
    """None when the answer was empty and nothing was written."""
    changed: bool

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
    content: Path, day: date, api: str, policy: RetryPolicy, today: date | None = None
) -> str:
    """Fetch, store, record the success; returns the line to print.

    An empty answer for a day before ``today`` (UTC) with nothing stored is a day with no
    papers (weekends often are): it is recorded in the fetch status, so the site says "no
    papers listed that day". An empty answer for today only means "not yet".
    """
    fetched = fetch_day(api, day, policy)
    result = store_day(content, day, fetched)
    finished = day < (today or datetime.now(UTC).date())
    empty = result.merged is None and finished and not result.path.exists()
    record_success(content, "hf", empty_day=day if empty else None)
    return result.describe(day) + ("; recorded as a day with no papers" if empty else "")
