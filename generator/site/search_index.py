"""The search step: Pagefind indexes the paper pages into ``site/pagefind/``.

Only paper pages are indexed (listing pages repeat abstracts and would only add noise).
Each paper page marks its searchable part with ``data-pagefind-body`` and carries its tags
and month as Pagefind filters, its day as a sort key and as metadata (see
``PageRenderer.paper`` in ``generator/pages.py``);
``overrides/assets/javascripts/papers-search.js`` is the reader's side.

Pagefind reads a copy of each paper page's body, the raw HTML block that the page's
Markdown holds and that MkDocs passes through untouched (``overrides/hooks.py``), in a
minimal HTML page at the paper's URL, in a scratch folder (the ``search pages`` step of
``generator/build.py``; in memory when there is room, :func:`scratch_folder`: on this
project's disk, writing and deleting the scratch pages was a tenth of a build). It gets the
same body, title and URL as from the built page, so it can run beside MkDocs on the second
core instead of after it:
at 10,000 papers each takes about 20-25 s. ``tests/test_build.py`` checks the index against
one made from the built pages.

Pagefind comes from PyPI (``pagefind[extended]``, the binary inside the wheel) and runs as
``python -m pagefind``; ``PAPERS_PAGEFIND`` names another executable instead (tests use it
to stand in a missing or failing one).
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path, PurePosixPath

from generator.render import Writer
from generator.site.process import Child, start_child

_PAGE = b'<!doctype html>\n<html lang="en">\n<head><meta charset="utf-8"><title></title></head>\n'


def pagefind_command() -> list[str]:
    """How Pagefind is started: ``PAPERS_PAGEFIND`` if set, else the wheel's binary."""
    override = os.environ.get("PAPERS_PAGEFIND")
    return [override] if override else [sys.executable, "-m", "pagefind"]


#: A file system in memory, for the search pages when it has room (see :func:`scratch_folder`).
MEMORY_FS = Path("/dev/shm")
#: Room asked of :data:`MEMORY_FS` for each paper's search page: about four times what one
#: takes (a paper's body, some 7 KiB, in 4 KiB pages).
SCRATCH_PER_PAPER = 32 * 1024


def scratch_folder(papers: int, fallback: Path, memory: Path = MEMORY_FS) -> Path:
    """A new folder for the search pages of ``papers`` papers: in ``memory`` (tmpfs) when
    it is a writable folder with room for them, and the machine has as much memory
    available, else in ``fallback``.

    The search pages are scratch files, written for Pagefind and deleted once it is done:
    about 7 KiB a paper, 2 x N inodes. In memory, writing them and deleting them costs next
    to nothing. On a disk it grows faster than the papers: at 30,000 papers deleting them
    took 7-10 s on this project's machine (ext4 without a journal, BENCHMARKS.md).
    They count towards the machine's shared memory while the build runs (some 220 MiB at
    30,000 papers). A build killed outright (SIGKILL) cannot delete them: the next build
    does (:func:`_sweep`).

    Pagefind numbers the pages in the order it lists their files: on tmpfs the order they
    were made in, on ext4 an order of name hashes. A site's search index is the same bytes
    from build to build on one machine while the scratch folder stays on the same kind of
    file system."""
    need = papers * SCRATCH_PER_PAPER
    try:
        room = os.statvfs(memory)
        usable = memory.is_dir() and os.access(memory, os.W_OK | os.X_OK)
        has_room = room.f_bavail * room.f_frsize >= need and room.f_favail >= 2 * papers + 16
        if usable and has_room and _memory_available() >= need:
            _sweep(memory)
            prefix = f"papers-search-{os.getpid()}-"
            return Path(tempfile.mkdtemp(prefix=prefix, dir=memory))
    except OSError:
        pass
    return Path(tempfile.mkdtemp(prefix="search-pages-", dir=fallback))


def _memory_available() -> int:
    """Bytes of memory the machine has available (``MemAvailable``); unbounded where
    ``/proc/meminfo`` does not say."""
    try:
        with Path("/proc/meminfo").open(encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return sys.maxsize


def _sweep(memory: Path) -> None:
    """Delete the scratch folders in ``memory`` of builds that were killed: those of this
    user named after a process that no longer runs."""
    for folder in memory.glob("papers-search-*-*"):
        try:
            pid = int(folder.name.split("-")[2])
            if folder.stat().st_uid != os.getuid():
                continue
            os.kill(pid, 0)
        except ProcessLookupError:  # no such process: its build is gone
            shutil.rmtree(folder, ignore_errors=True)
        except (OSError, ValueError):  # another user's process, or not our name
            continue


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
