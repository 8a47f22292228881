"""The channels that ask services and write ``content/``, outside the build: ``papers fetch
hf``, ``papers fetch arxiv`` and ``papers label``.

Each fetch asks one public API, merges the answer into ``content/`` (never shrinking a
stored day) and records the time of the last success in ``content/fetch-status.json``.
On giving up it raises ``FetchError`` (a ``BuildError``): ``papers`` prints one line and
exits 1, and ``content/`` is unchanged. ``papers label`` (``label``) asks a language model
for the tags of the papers that have none, over the contract of ``generator.tags``. All of
them go through one transport (``transport``: retries, waits, tokens) and write through
``store`` (atomic files).
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

from generator.fetch import arxiv, backfill, hf
from generator.fetch.label import add_label_command
from generator.fetch.transport import FetchError, RetryPolicy

__all__ = ["FetchError", "RetryPolicy", "add_fetch_commands", "add_label_command"]


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected YYYY-MM-DD, got {value!r}") from None


def _positive(
    kind: type[int] | type[float], most: float = float("inf")
) -> Callable[[str], int | float]:
    def parse(value: str) -> int | float:
        try:
            number = kind(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a number, got {value!r}") from None
        if number <= 0:
            raise argparse.ArgumentTypeError(f"expected a positive number, got {value!r}")
        if number > most:
            raise argparse.ArgumentTypeError(f"at most {most:g}, got {value!r}")
        return number

    parse.__name__ = kind.__name__
    return parse


def today_utc() -> date:
    return datetime.now(UTC).date()


def _add_common(parser: argparse.ArgumentParser, api_default: str, api_env: str) -> None:
    defaults = RetryPolicy()
    parser.add_argument(
        "--date", type=_day, default=None, help="the day, YYYY-MM-DD (default: today in UTC)"
    )
    parser.add_argument(
        "--api-url", default=None, help=f"API base URL (default: ${api_env} or {api_default})"
    )
    parser.add_argument("--content", type=Path, default=Path("content"), help="content folder")
    parser.add_argument(
        "--tries", type=_positive(int), default=defaults.tries, help="attempts per request"
    )
    parser.add_argument(
        "--timeout", type=_positive(float), default=defaults.timeout, help="seconds per request"
    )
    parser.add_argument(
        "--backoff",
        type=_positive(float),
        default=defaults.backoff,
        help="base wait in seconds between tries; doubles each time, with jitter",
    )


def _policy(args: argparse.Namespace) -> RetryPolicy:
    return RetryPolicy(tries=args.tries, timeout=args.timeout, backoff=args.backoff)


def _month_or_day(parse: Callable[[str], date]) -> Callable[[str], date]:
    def parse_option(value: str) -> date:
        try:
            return parse(value)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    parse_option.__name__ = "date"
    return parse_option


def run_fetch_hf(args: argparse.Namespace) -> int:
    today = today_utc()
    client = hf.Client(hf.api_url(args.api_url), _policy(args), pace=args.pace)
    chosen = [name for name in ("date", "since", "recent") if getattr(args, name) is not None]
    if len(chosen) > 1:
        raise FetchError(f"--{chosen[0]} and --{chosen[1]} do not go together")
    if args.until is not None and args.since is None:
        raise FetchError("--until goes with --since")
    if args.since is not None:
        until = args.until or today
        if until < args.since:
            raise FetchError(f"--until {until} is before --since {args.since}")
        print(backfill.backfill(args.content, args.since, until, client, today))
    elif args.recent is not None:
        print(backfill.refresh_recent(args.content, args.recent, client, today))
    else:
        day = args.date or today
        print(hf.fetch_hf(args.content, day, client.api, client.policy, today, client))
    return 0


def run_fetch_arxiv(args: argparse.Namespace) -> int:
    day = args.date or today_utc()
    api = arxiv.api_url(args.api_url)
    print(arxiv.fetch_arxiv(args.content, day, args.query, args.max, api, _policy(args)))
    return 0


def add_fetch_commands(commands: argparse._SubParsersAction) -> None:
    """Register ``papers fetch hf`` and ``papers fetch arxiv`` on the ``papers`` command."""
    fetch = commands.add_parser("fetch", help="fetch a day of papers into content/")
    sources = fetch.add_subparsers(dest="source", required=True, metavar="{hf,arxiv}")
    hf_parser = sources.add_parser(
        "hf", help="Hugging Face Daily Papers: one day, a range of months, or the last N days"
    )
    _add_common(hf_parser, hf.DEFAULT_API_URL, hf.API_URL_ENV)
    hf_parser.add_argument(
        "--since",
        type=_month_or_day(backfill.parse_since),
        help="backfill: every day from YYYY-MM[-DD], asked month by month",
    )
    hf_parser.add_argument(
        "--until",
        type=_month_or_day(backfill.parse_until),
        help="with --since: the last day, YYYY-MM[-DD] (default: today in UTC)",
    )
    hf_parser.add_argument(
        "--recent",
        type=_positive(int, 366),
        metavar="N",
        help="refresh the last N days, today included, so counts settle",
    )
    hf_parser.add_argument(
        "--pace",
        type=float,
        default=float(os.environ.get(hf.PACE_ENV) or hf.DEFAULT_PACE),
        help=f"least seconds between two requests (default ${hf.PACE_ENV} or {hf.DEFAULT_PACE:g})",
    )
    hf_parser.set_defaults(run=run_fetch_hf)
    arxiv_parser = sources.add_parser("arxiv", help="the newest results of an arXiv query")
    arxiv_parser.add_argument(
        "--query", required=True, help="an arXiv search_query, e.g. 'cat:cs.LG AND all:agent'"
    )
    arxiv_parser.add_argument(
        "--max",
        type=_positive(int, arxiv.MAX_RESULTS_LIMIT),
        default=arxiv.DEFAULT_MAX_RESULTS,
        help=f"most results to ask for (default {arxiv.DEFAULT_MAX_RESULTS})",
    )
    _add_common(arxiv_parser, arxiv.DEFAULT_API_URL, arxiv.API_URL_ENV)
    arxiv_parser.set_defaults(run=run_fetch_arxiv)
