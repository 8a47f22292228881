"""The search step: Pagefind indexes the paper pages into ``site/pagefind/``.

Only paper pages are indexed (listing pages repeat abstracts and would only add noise).
Each paper page marks its searchable part with ``data-pagefind-body`` and carries its tags
and month as Pagefind filters, its day as a sort key and as metadata (see
``PageRenderer.paper`` in ``generator/pages.py``);
``overrides/assets/javascripts/papers-search.js`` is the reader's side.

Pagefind reads a copy of each paper page's body, the raw HTML block that the page's
Markdown holds and that MkDocs passes through untouched (``overrides/hooks.py``), in a
minimal HTML page at the paper's URL, in a scratch folder beside the new site (the
``search pages`` step of ``generator/build.py``). It gets the same body, title and URL as
from the built page, so it can run beside MkDocs on the second core instead of after it:
at 10,000 papers each takes about 20-25 s. ``tests/test_build.py`` checks the index against
one made from the built pages.

Pagefind comes from PyPI (``pagefind[extended]``, the binary inside the wheel) and runs as
``python -m pagefind``; ``PAPERS_PAGEFIND`` names another executable instead (tests use it
to stand in a missing or failing one).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path, PurePosixPath

from generator.process import Child, start_child
from generator.writer import Writer

_PAGE = b'<!doctype html>\n<html lang="en">\n<head><meta charset="utf-8"><title></title></head>\n'


def pagefind_command() -> list[str]:
    """How Pagefind is started: ``PAPERS_PAGEFIND`` if set, else the wheel's binary."""
    override = os.environ.get("PAPERS_PAGEFIND")
    return [override] if override else [sys.executable, "-m", "pagefind"]


def paper_body(markdown: bytes) -> bytes:
    """The body of a generated paper page: everything after its front matter."""
    _, _, body = markdown.partition(b"\n---\n")
    return body


def write_search_pages(files: Mapping[PurePosixPath, bytes], folder: Path) -> None:
    """For each ``papers/<id>.md``, ``folder/papers/<id>/index.html`` holding its body."""
    pages = Writer()
    for path, markdown in files.items():
        if len(path.parts) == 2 and path.parts[0] == "papers" and path.suffix == ".md":
            body = _PAGE + b"<body>\n" + paper_body(markdown) + b"</body>\n</html>\n"
            pages.add(f"papers/{path.stem}/index.html", body)
    pages.write_to(folder)


#: What Pagefind writes that this site never loads: its own search UIs (the header's search
#: is papers-search.js) and the WebAssembly for pages of no declared language.
UNUSED = (
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-highlight.js",
    "wasm.unknown.pagefind",
)


def drop_unused(bundle: Path) -> None:
    """Remove the files of :data:`UNUSED` from a written bundle."""
    for name in UNUSED:
        (bundle / name).unlink(missing_ok=True)


def start_index(pages: Path, bundle: Path) -> Child:
    """Start Pagefind on ``pages``, writing the search bundle to ``bundle``."""
    command = [
        *pagefind_command(),
        "--site",
        str(pages.resolve()),
        "--output-path",
        str(bundle.resolve()),
        "--force-language",
        "en",
        "--silent",
    ]
    return start_child("pagefind", command, dict(os.environ))
