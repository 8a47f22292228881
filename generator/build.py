"""The build: generate into a fresh temporary folder, run MkDocs there, index the paper
pages with Pagefind, and only when everything succeeded swap the new ``docs/`` and ``site/``
in place of the old ones.

A failure or an interruption (SIGINT, SIGTERM) at any point before the swap leaves the
previous ``docs/`` and ``site/`` exactly as they were. MkDocs and Pagefind run as separate
processes (``python -m mkdocs build``, reading ``docs_dir`` from ``PAPERS_DOCS_DIR``, and
``python -m pagefind``), so the generator depends on nothing inside either. Each step's wall
time and peak memory is recorded in the summary (``papers build --timings FILE``).
"""

from __future__ import annotations

import gc
import os
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from itertools import chain
from pathlib import Path, PurePosixPath

from generator.compact import compact_site
from generator.generate import (
    PARALLEL_PAPERS,
    Corpus,
    Part,
    Summary,
    count_feeds,
    count_paper_pages,
    paper_parts,
    read_corpus,
    render_site,
    site_parts,
)
from generator.process import Beside, Child, StepTiming, TaskQueue, can_fork, run_child, timed
from generator.search_index import drop_unused, start_index, write_search_pages
from generator.settings import load_settings
from generator.writer import Writer


@contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """Treat SIGTERM, and SIGHUP (a closed terminal) unless it is ignored (``nohup``), like
    Ctrl-C, so the temporary folders are cleaned up either way."""

    def handler(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    caught = [signal.SIGTERM]
    if hasattr(signal, "SIGHUP") and signal.getsignal(signal.SIGHUP) is not signal.SIG_IGN:
        caught.append(signal.SIGHUP)
    try:
        previous = {signum: signal.signal(signum, handler) for signum in caught}
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        for signum, before in previous.items():
            signal.signal(signum, before)


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """Python's cyclic garbage collector, run less often while the generator works. It
    scans every object of a generation each time, by default after every 700 new objects:
    reading 10,000 papers makes some 2 million, none of them garbage in a cycle, and ran
    five full collections of a growing heap. With the first threshold at 100,000,
    ``papers generate`` at 10,000 papers took 2.78-2.98 s instead of 3.10-3.14 s (runs
    taken in turn)."""
    before = gc.get_threshold()
    gc.set_threshold(100_000, 50, 100)
    try:
        yield
    finally:
        gc.set_threshold(*before)


@contextmanager
def _signals_blocked() -> Iterator[None]:
    """Hold SIGINT/SIGTERM while the swap runs: it is short and must not stop halfway."""
    mask = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}
    old = signal.pthread_sigmask(signal.SIG_BLOCK, mask)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def _swap(new: Path, target: Path) -> None:
    """Put ``new`` where ``target`` is: rename the old one aside, rename, delete the old."""
    old = target.with_name(f".{target.name}.old-{os.getpid()}")
    if target.exists():
        target.rename(old)
    new.rename(target)
    if old.exists():
        shutil.rmtree(old)


def run_mkdocs(
    config: Path,
    docs_dir: Path,
    site_dir: Path,
    epoch: int | None,
    timings: list[StepTiming],
    beside: tuple[Child, ...] = (),
) -> None:
    """``mkdocs build --strict`` of ``docs_dir`` into ``site_dir``; ``BuildError`` on failure."""
    env = dict(os.environ, PAPERS_DOCS_DIR=str(docs_dir.resolve()))
    if epoch is not None:
        env["SOURCE_DATE_EPOCH"] = str(epoch)  # sitemap dates from the data, not the clock
    command = [
        sys.executable,
        "-m",
        "mkdocs",
        "build",
        "--strict",
        "--quiet",
        "--config-file",
        str(config),
        "--site-dir",
        str(site_dir.resolve()),
    ]
    run_child("mkdocs build", command, env, timings, beside)


#: The paper pages of a large build come in this many parts, written as each is made.
PAPER_PARTS = 64


def _work_folder(target: Path) -> Path:
    parent = target.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=".build-", dir=parent))


def _newest_epoch(corpus: Corpus) -> int:
    """Midnight UTC of the newest day with papers: MkDocs dates the sitemap from it."""
    newest = corpus.newest_day
    if newest is None:
        return 0
    return int(datetime(newest.year, newest.month, newest.day, tzinfo=UTC).timestamp())


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
    took 7-10 s on this project's machine (ext4 without a journal, see README "Figures").
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


def _build_site(
    config: Path,
    docs: Path,
    site: Path,
    pages: Path,
    writer: Writer | None,
    epoch: int,
    timings: list[StepTiming],
) -> None:
    """MkDocs, with Pagefind indexing the search pages in ``pages`` beside it
    (generator/search_index.py), then the compact step; the search bundle goes into the site
    last. ``writer`` holds the paper pages, unless their search pages are written already
    (:func:`_make_parts`)."""
    bundle = site.with_name("pagefind")
    if writer is not None:
        with timed("search pages", timings):
            write_search_pages(writer.files, pages)
    indexing = start_index(pages, bundle)
    try:
        run_mkdocs(config, docs, site, epoch, timings, beside=(indexing,))
        with timed("compact", timings):
            compact_site(site)
        indexing.finish(timings, beside="mkdocs build")
    finally:
        indexing.stop()
    drop_unused(bundle)
    bundle.rename(site / "pagefind")


def _make_parts(parts: Iterable[Part], docs: Path, search: Path | None) -> list[PurePosixPath]:
    """Make ``parts`` in turn and write the files of each into ``docs`` as soon as it is
    made (and with ``search``, the search pages of the paper pages there). The paths
    written."""
    written: list[PurePosixPath] = []
    for part in parts:
        writer = Writer()
        part(writer)
        writer.write_to(docs)
        if search is not None:
            write_search_pages(writer.files, search)
        written += writer.files
    return written


def _other_half(
    papers: list[Part], listings: list[Part], queue: TaskQueue, docs: Path, search: Path | None
) -> tuple[list[PurePosixPath], StepTiming]:
    """In the second process: every part of ``papers``, then the parts of ``listings``
    left in ``queue``. The paths written, and the step's timing."""
    step: list[StepTiming] = []
    with timed("paper pages", step):
        left = (listings[task] for task in queue)
        written = _make_parts(chain(papers, left), docs, search)
    return written, replace(step[0], beside="render")


def run_build(content: Path, docs_dir: Path, config: Path, site_dir: Path | None = None) -> Summary:
    """Generate ``docs_dir`` from ``content`` and, with ``site_dir``, build the site."""
    started = time.perf_counter()
    timings: list[StepTiming] = []
    with _sigterm_as_interrupt(), _fewer_collections():
        with timed("read", timings):
            settings = load_settings(config)
            corpus = read_corpus(content)
        # Each new tree is made beside the one it replaces, so the swap is a rename on one
        # file system.
        works = [_work_folder(docs_dir)]
        try:
            new_docs = works[0] / "docs"
            search = None
            if site_dir is not None:
                works.append(_work_folder(site_dir))
                new_site = works[1] / "site"
                search = scratch_folder(len(corpus.papers), works[1])
                works.append(search)
            # A large corpus: two processes share the work, in parts. The second makes
            # the paper pages (and their search pages), then takes what is left of the
            # parts of the other pages and the feeds, which this one takes meanwhile.
            # How long writing the paper pages takes varies a lot: creating files is the
            # kernel's work, and on a file system without a journal the kernel passes over
            # the inodes freed in the last minutes (up to ten times slower). Only one
            # process creates paper pages: two creating files in one folder take turns
            # and spend more time in the kernel than one alone.
            other = None
            if len(corpus.papers) >= PARALLEL_PAPERS and can_fork():
                listings = site_parts(corpus, settings)
                papers = paper_parts(corpus, settings, PAPER_PARTS)
                queue = TaskQueue(len(listings))
                try:
                    other = Beside(
                        lambda: _other_half(papers, listings, queue, new_docs, search)
                    )
                    with timed("render", timings):
                        ours = _make_parts((listings[task] for task in queue), new_docs, search)
                    with timed("write", timings):  # waiting for the second process
                        theirs, step = other.result()
                        timings.append(step)
                finally:
                    queue.close()
                    if other is not None:
                        other.stop()
                written = [*ours, *theirs]
                corpus.summary.pages_written = count_paper_pages(written)
                corpus.summary.feeds = count_feeds(written)
            else:
                with timed("render", timings):
                    writer = render_site(corpus, settings)
                with timed("write", timings):
                    writer.write_to(new_docs)
            if site_dir is not None:
                assert search is not None
                paper_pages = None if other is not None else writer
                epoch = _newest_epoch(corpus)
                _build_site(config, new_docs, new_site, search, paper_pages, epoch, timings)
            with _signals_blocked(), timed("swap", timings):
                _swap(new_docs, docs_dir)
                if site_dir is not None:
                    _swap(new_site, site_dir)
        finally:
            with timed("cleanup", timings):  # the search pages (see scratch_folder)
                for work in works:
                    shutil.rmtree(work, ignore_errors=True)
    corpus.summary.site_built = site_dir is not None
    corpus.summary.seconds = time.perf_counter() - started
    corpus.summary.steps = timings
    return corpus.summary
