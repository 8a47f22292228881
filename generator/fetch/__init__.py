"""Fetchers: ``papers fetch hf`` and ``papers fetch arxiv`` (in progress)."""

from __future__ import annotations

import argparse


def add_fetch_commands(commands: argparse._SubParsersAction) -> None:
    """Register ``papers fetch ...`` on the ``papers`` command line."""
    commands.add_parser("fetch", help="fetch a day of papers (not yet available)")
