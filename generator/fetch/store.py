"""Writing fetched days under ``content/``: atomic files, unions, and the fetch status.

A fetched day is only ever merged into what is stored, never replaced by a shorter list:
Hugging Face's list of a day fills during the day, and an answer taken early or cut short
must not lose papers a previous fetch saw. Files are written to a temporary name and
renamed, so an interrupted fetch leaves the old file or the new one, never half of one.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TypeVar

#: Per-source time of the last successful fetch; the home page shows the newest one.
STATUS_FILE = "fetch-status.json"

Item = TypeVar("Item")


@dataclass(frozen=True)
class Merged:
    """The stored items merged with a fetched answer."""

    items: list[Any]
    added: int
    """Items the answer brought that were not stored before."""
    kept: int
    """Stored items the answer no longer lists, kept anyway."""


def union_by_key(
    stored: Iterable[Item], fetched: Iterable[Item], key: Callable[[Item], str]
) -> Merged:
    """Stored items plus fetched ones; an item in both takes the fetched (newer) data."""
    merged: dict[str, Item] = {key(item): item for item in stored}
    before = set(merged)
    fetched_keys: set[str] = set()
    for item in fetched:
        merged[key(item)] = item
        fetched_keys.add(key(item))
    return Merged(
        items=list(merged.values()),
        added=len(fetched_keys - before),
        kept=len(before - fetched_keys),
    )


def write_atomic(path: Path, text: str) -> bool:
    """Write ``text`` to ``path`` through a temporary file and a rename.

    Returns False, touching nothing, when the file already holds exactly ``text``, so a
    fetch that learns nothing new leaves no diff behind.
    """
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        Path(tmp).chmod(0o644)  # mkstemp makes it 0600; content files are shared
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


def utc_timestamp(now: datetime | None = None) -> str:
    """``2026-06-12T06:01:02Z``: UTC, to the second."""
    moment = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def read_status(content: Path) -> dict[str, Any]:
    """``content/fetch-status.json``; a missing or hand-broken file reads as empty (it is
    rewritten, not a reason to fail)."""
    path = content / STATUS_FILE
    if not path.is_file():
        return {}
    try:
        status = json.loads(path.read_text(encoding="utf-8"))
    except ValueError:  # not JSON, not UTF-8, or a number over 4,300 digits
        return {}
    return status if isinstance(status, dict) else {}


def write_status(content: Path, status: dict[str, Any]) -> None:
    write_atomic(content / STATUS_FILE, json.dumps(status, indent=2, sort_keys=True) + "\n")


def record_success(
    content: Path,
    source: str,
    now: datetime | None = None,
    empty_day: date | None = None,
    empty_days: Iterable[date] = (),
) -> str:
    """Set ``last_success[source]`` in ``content/fetch-status.json``; returns the stamp.

    ``empty_day`` / ``empty_days``: past days the source answered with no papers at all (a
    weekend). They are added to ``empty_days``, so the site shows them as "no papers listed
    that day" instead of leaving a gap; no day file is written for them.
    """
    status = read_status(content)
    last = status.get("last_success")
    if not isinstance(last, dict):
        last = {}
    stamp = utc_timestamp(now)
    last[source] = stamp
    status["last_success"] = last
    new_empty = {d.isoformat() for d in empty_days} | (
        {empty_day.isoformat()} if empty_day else set()
    )
    if new_empty:
        days = status.get("empty_days")
        days = {d for d in days if isinstance(d, str)} if isinstance(days, list) else set()
        status["empty_days"] = sorted(days | new_empty)
    write_status(content, status)
    return stamp
