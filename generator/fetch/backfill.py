"""Many days of Hugging Face Daily Papers at once: ``--since`` (the backfill) and
``--recent`` (the refresh that lets counts settle).

**Backfill.** ``papers fetch hf --since 2023-05`` asks the API month by month
(``month=YYYY-MM``, every page) and stores each paper under its ``submittedOnDailyAt`` day,
merged with what is stored. A month is fetched whole before any of its days is written,
and each day file is written atomically, so an interrupted run (Ctrl-C, SIGTERM, the
network gone, retries used up) leaves every day either complete or untouched. A month whose
days are all in the past is recorded as done in ``fetch-status.json`` (``hf_months``:
month → the first and last day imported) once its days are written; the same command run
again skips those months and says so. Days with no papers are not recorded as empty here:
a month's answer has no way to tell "no papers" from "not listed", and the site shows
missing weekdays as absent either way.

**Refresh.** ``papers fetch hf --recent 14`` asks the last 14 days one by one
(``date=YYYY-MM-DD``): upvotes, comments and stars keep changing for a week or two, and
the newer answer replaces a stored paper's counts and AI fields. A paper the answer no
longer lists is kept; a day never shrinks.

The time of the last success is recorded only when the whole run succeeded.
"""

from __future__ import annotations

import calendar
import re
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from types import FrameType
from typing import Any, TextIO

from generator.fetch.hf import Client, store_day
from generator.fetch.store import read_status, record_success, write_status
from generator.fetch.transport import FetchError
from generator.readers import item_day

#: ``fetch-status.json`` key: months fully imported, month → [first day, last day].
MONTHS_KEY = "hf_months"
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def parse_since(value: str) -> date:
    """``YYYY-MM`` (its first day) or ``YYYY-MM-DD``."""
    return _parse(value, end=False)


def parse_until(value: str) -> date:
    """``YYYY-MM`` (its last day) or ``YYYY-MM-DD``."""
    return _parse(value, end=True)


def _parse(value: str, end: bool) -> date:
    month = _MONTH.match(value)
    try:
        if month:
            year, number = int(month.group(1)), int(month.group(2))
            day = calendar.monthrange(year, number)[1] if end else 1
            return date(year, number, day)
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"expected YYYY-MM or YYYY-MM-DD, got {value!r}") from None


@dataclass(frozen=True)
class MonthSpan:
    """The days of one month that a run asks for."""

    month: str
    first: date
    last: date

    def covered_by(self, done: Any) -> bool:
        """Whether ``done`` (a recorded ``[first, last]``) holds every day of this span."""
        first, last = self.first.isoformat(), self.last.isoformat()
        return _is_span(done) and done[0] <= first <= last <= done[1]

    def overlaps(self, done: Any) -> bool:
        first, last = self.first.isoformat(), self.last.isoformat()
        return _is_span(done) and done[0] <= last and first <= done[1]


def _is_span(value: Any) -> bool:
    return isinstance(value, list) and len(value) == 2 and all(isinstance(d, str) for d in value)


def month_spans(first: date, last: date) -> list[MonthSpan]:
    """The months from ``first`` to ``last``, each clipped to the range."""
    spans = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        start = max(first, date(year, month, 1))
        end = min(last, date(year, month, calendar.monthrange(year, month)[1]))
        spans.append(MonthSpan(f"{year:04d}-{month:02d}", start, end))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return spans


class Interrupted(BaseException):
    """SIGTERM or SIGHUP during a run, raised where the run is, like KeyboardInterrupt."""


@contextmanager
def interruptible() -> Iterator[None]:
    """SIGTERM and SIGHUP raise :class:`Interrupted` for the duration (unless ignored), so
    a stopped run cleans up its temporary files and says where it stopped."""

    def handler(signum: int, frame: FrameType | None) -> None:
        raise Interrupted(signal.Signals(signum).name)

    previous = {}
    for signum in (signal.SIGTERM, signal.SIGHUP):
        if signal.getsignal(signum) is not signal.SIG_IGN:
            previous[signum] = signal.signal(signum, handler)
    try:
        yield
    finally:
        for signum, old in previous.items():
            signal.signal(signum, old)


class Progress:
    """A line a month on ``out``; on a terminal, a bar on ``err`` that the lines pass."""

    def __init__(self, total: int, out: TextIO, err: TextIO) -> None:
        self.total, self.done, self.out, self.err = total, 0, out, err
        self.bar = err.isatty()

    def line(self, text: str) -> None:
        if self.bar:
            self.err.write("\r\033[K")
        print(text, file=self.out, flush=True)
        self.done += 1
        self.draw()

    def draw(self) -> None:
        if self.bar and self.done < self.total:
            filled = 30 * self.done // max(1, self.total)
            bar = "#" * filled + "." * (30 - filled)
            self.err.write(f"\r[{bar}] {self.done}/{self.total} months")
            self.err.flush()

    def close(self) -> None:
        if self.bar:
            self.err.write("\r\033[K")
            self.err.flush()


@dataclass
class Totals:
    months: int = 0
    papers: int = 0
    days: int = 0
    new: int = 0


def _store_month(client: Client, span: MonthSpan, content: Path) -> tuple[int, int, int, int]:
    """Fetch one month whole, then write its days; (papers, days, new, outside the span)."""
    items = client.items({"month": span.month})
    by_day: dict[date, list[dict[str, Any]]] = {}
    outside = 0
    for item in items:
        day = item_day(item)
        if day is None or not span.first <= day <= span.last:
            outside += 1
            continue
        by_day.setdefault(day, []).append(item)
    new = 0
    for day in sorted(by_day):
        merged = store_day(content, day, by_day[day]).merged
        new += merged.added if merged else 0
    return len(items) - outside, len(by_day), new, outside


def backfill(
    content: Path,
    first: date,
    last: date,
    client: Client,
    today: date,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> str:
    """Import every day from ``first`` to ``last``; returns the summary line. Progress goes
    to ``out`` (standard output) and, on a terminal, a bar to ``err`` (standard error)."""
    out, err = out or sys.stdout, err or sys.stderr
    spans = month_spans(first, last)
    done = read_status(content).get(MONTHS_KEY)
    done = done if isinstance(done, dict) else {}
    skipped = [span.month for span in spans if span.covered_by(done.get(span.month))]
    todo = [span for span in spans if span.month not in skipped]
    if skipped:
        print(f"skipping {len(skipped)} months already imported: {_months(skipped)}", file=out)
    totals, progress = Totals(), Progress(len(todo), out, err)
    progress.draw()
    with interruptible():
        for span in todo:
            try:
                papers, days, new, outside = _store_month(client, span, content)
            except (FetchError, KeyboardInterrupt, Interrupted) as exc:
                progress.close()
                raise _stopped(span.month, exc, totals.months) from None
            totals.months += 1
            totals.papers, totals.days, totals.new = (
                totals.papers + papers, totals.days + days, totals.new + new
            )  # fmt: skip
            if span.last < today:
                _record_month(content, span)
            beyond = f", {outside} outside the range" if outside else ""
            progress.line(
                f"{span.month}: {papers} papers on {days} days ({new} new{beyond}); "
                f"{client.requests} requests so far"
            )
    progress.close()
    record_success(content, "hf")
    return (
        f"backfill {first.isoformat()} to {last.isoformat()}: {totals.months} months fetched, "
        f"{totals.papers} papers on {totals.days} days ({totals.new} new), "
        f"{client.requests} requests" + (f"; {len(skipped)} months skipped" if skipped else "")
    )


def _months(months: list[str]) -> str:
    return ", ".join(months) if len(months) <= 6 else f"{months[0]} to {months[-1]}"


def _why(exc: BaseException) -> str:
    if isinstance(exc, FetchError):
        return str(exc)
    return f"interrupted ({exc})" if str(exc) else "interrupted (SIGINT)"


def _stopped(month: str, exc: BaseException, stored: int) -> FetchError:
    return FetchError(
        f"backfill stopped in {month}: {_why(exc)}; {month} not stored, {stored} months before it "
        "stored; run the same command again to finish"
    )


def _record_month(content: Path, span: MonthSpan) -> None:
    status = read_status(content)
    months = status.get(MONTHS_KEY)
    months = months if isinstance(months, dict) else {}
    before = months.get(span.month)
    first, last = span.first.isoformat(), span.last.isoformat()
    if isinstance(before, list) and span.overlaps(before):
        first, last = min(first, before[0]), max(last, before[1])  # joined with the earlier
    months[span.month] = [first, last]
    status[MONTHS_KEY] = dict(sorted(months.items()))
    write_status(content, status)


def refresh_recent(
    content: Path, count: int, client: Client, today: date, out: TextIO | None = None
) -> str:
    """Ask again for the last ``count`` days, today included; returns the summary line."""
    out = out or sys.stdout
    days = [today - timedelta(days=n) for n in range(count - 1, -1, -1)]
    empty: list[date] = []
    changed = 0
    with interruptible():
        for day in days:
            try:
                result = store_day(content, day, client.items({"date": day.isoformat()}))
            except (FetchError, KeyboardInterrupt, Interrupted) as exc:
                raise FetchError(
                    f"refresh stopped at {day.isoformat()}: {_why(exc)}; "
                    "the days before it are stored"
                ) from None
            if result.is_empty_day(day, today):
                empty.append(day)
            changed += result.changed
            print(result.describe(day), file=out, flush=True)
    record_success(content, "hf", empty_days=empty)
    return (
        f"refreshed {count} days, {days[0].isoformat()} to {today.isoformat()}: "
        f"{changed} changed, {client.requests} requests"
    )
