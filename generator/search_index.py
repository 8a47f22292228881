"""The search step: Pagefind indexes the built paper pages into ``site/pagefind/``.

Only paper pages are indexed (``papers/*/index.html``; listing pages repeat abstracts and
would only add noise). Each paper page marks its searchable part with ``data-pagefind-body``
and carries its tags and month as Pagefind filters, its day as a sort key and as metadata
(see ``templates/paper.md.j2``); ``overrides/assets/javascripts/search.js`` is the reader's
side. Pagefind comes from PyPI (``pagefind[extended]``, the binary inside the wheel) and runs
as ``python -m pagefind``; ``PAPERS_PAGEFIND`` names another executable instead (tests use it
to stand in a missing or failing one).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from generator.process import StepTiming, run_child

#: The pages Pagefind reads, relative to the site folder.
INDEXED_PAGES = "papers/*/index.html"


def pagefind_command() -> list[str]:
    """How Pagefind is started: ``PAPERS_PAGEFIND`` if set, else the wheel's binary."""
    override = os.environ.get("PAPERS_PAGEFIND")
    return [override] if override else [sys.executable, "-m", "pagefind"]


def index_site(site_dir: Path, timings: list[StepTiming]) -> None:
    """Write the Pagefind index of ``site_dir``'s paper pages into ``site_dir/pagefind``."""
    command = [
        *pagefind_command(),
        "--site",
        str(site_dir.resolve()),
        "--glob",
        INDEXED_PAGES,
        "--force-language",
        "en",
        "--silent",
    ]
    run_child("pagefind", command, dict(os.environ), timings)
