"""Fetchers: ``papers fetch hf`` and ``papers fetch arxiv``.

Each fetch asks one public API, merges the answer into ``content/`` (never shrinking a
stored day) and records the time of the last success in ``content/fetch-status.json``.
On giving up it raises ``FetchError`` (a ``BuildError``): ``papers`` prints one line and
exits 1, and ``content/`` is unchanged.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

from generator.fetch import arxiv, hf
from generator.fetch.transport import RetryPolicy


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


def run_fetch_hf(args: argparse.Namespace) -> int:
    day = args.date or today_utc()
    print(hf.fetch_hf(args.content, day, hf.api_url(args.api_url), _policy(args)))
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
    hf_parser = sources.add_parser("hf", help="Hugging Face Daily Papers of one day")
    _add_common(hf_parser, hf.DEFAULT_API_URL, hf.API_URL_ENV)
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
