"""The build: generate into a fresh temporary folder, run MkDocs there, and only when
everything succeeded swap the new ``docs/`` and ``site/`` in place of the old ones.

A failure or an interruption (SIGINT, SIGTERM) at any point before the swap leaves the
previous ``docs/`` and ``site/`` exactly as they were. MkDocs runs as a separate process
(``python -m mkdocs build``) reading ``docs_dir`` from ``PAPERS_DOCS_DIR``, so the generator
depends on nothing inside MkDocs.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from generator.errors import BuildError
from generator.generate import Summary, read_corpus, render_site
from generator.settings import load_settings


@contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """Treat SIGTERM like Ctrl-C, so the temporary folder is cleaned up either way."""

    def handler(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGTERM, handler)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextmanager
def _signals_blocked() -> Iterator[None]:
    """Hold SIGINT/SIGTERM while the swap runs: it is short and must not stop halfway."""
    mask = {signal.SIGINT, signal.SIGTERM}
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


def run_mkdocs(config: Path, docs_dir: Path, site_dir: Path, epoch: int | None) -> None:
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
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        lines = (result.stderr or result.stdout).strip().splitlines()
        detail = " | ".join(lines[-5:]) if lines else f"exit code {result.returncode}"
        raise BuildError(f"mkdocs build failed: {detail}")


def run_build(content: Path, docs_dir: Path, config: Path, site_dir: Path | None = None) -> Summary:
    """Generate ``docs_dir`` from ``content`` and, with ``site_dir``, build the site."""
    started = time.perf_counter()
    with _sigterm_as_interrupt():
        settings = load_settings(config)
        corpus = read_corpus(content)
        writer = render_site(corpus, settings)
        work_parent = (site_dir or docs_dir).resolve().parent
        work_parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=".build-", dir=work_parent))
        try:
            new_docs = work / "docs"
            writer.write_to(new_docs)
            new_site = work / "site"
            if site_dir is not None:
                newest = max((d for d, p in corpus.days.items() if p), default=None)
                epoch = (
                    int(datetime(newest.year, newest.month, newest.day, tzinfo=UTC).timestamp())
                    if newest
                    else 0
                )
                run_mkdocs(config, new_docs, new_site, epoch)
            with _signals_blocked():
                docs_dir.parent.mkdir(parents=True, exist_ok=True)
                _swap(new_docs, docs_dir)
                if site_dir is not None:
                    site_dir.parent.mkdir(parents=True, exist_ok=True)
                    _swap(new_site, site_dir)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    corpus.summary.site_built = site_dir is not None
    corpus.summary.seconds = time.perf_counter() - started
    return corpus.summary
