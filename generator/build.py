"""The build: a list of named steps (:data:`STEPS`), run in order.

``papers generate`` runs the steps that make ``docs/``; ``papers build`` runs them all:

1. **read**: the settings from ``mkdocs.yml`` and the content folder, merged and tagged.
2. **related**: each paper's most similar papers (``similar.py``).
3. **for you**: with ``content/interests.yaml``, the archive ranked for its owners
   (``interests.py``, ``foryou.py``).
4. **render**: every Markdown page and feed, in memory (``outputs.py``).
5. **write**: those files into a new ``docs/`` beside the old one.
6. **search pages**: a copy of each paper page's body for Pagefind (``search_index.py``).
7. **site**: MkDocs builds the new ``site/``, with Pagefind indexing the search pages
   beside it on the other core (the one thing the build does in parallel).
8. **swap**: the new ``docs/`` and ``site/`` take the place of the old ones.

Every step fails the same way: it raises ``InputError`` or ``BuildError`` (one line, which
``papers`` prints as ``papers: error: …``), or is interrupted (SIGINT, SIGTERM, SIGHUP),
and since only the last step touches ``docs/`` and ``site/``, the previous ones stay exactly
as they were. Adding a step is adding one :class:`Step` to :data:`STEPS`: a function of the
:class:`Build` it reads from and adds to. Each step's wall time and peak memory is recorded
in the summary (``papers build --timings FILE``).

MkDocs and Pagefind run as separate processes (``python -m mkdocs build``, reading
``docs_dir`` from ``PAPERS_DOCS_DIR``, and ``python -m pagefind``), so the generator depends
on nothing inside either.
"""

from __future__ import annotations

import os
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from generator.corpus import Corpus, Summary, read_corpus
from generator.discover import (
    ForYou,
    TextModel,
    rank_for_you,
    read_interests,
    related_papers,
    text_model,
)
from generator.model import Paper, StepTiming
from generator.render import Writer, render_site
from generator.settings import Settings, load_settings
from generator.site import (
    Child,
    drop_unused,
    run_child,
    scratch_folder,
    start_index,
    timed,
    write_search_pages,
)


@dataclass
class Build:
    """What the steps of one build share: where it reads and writes, and what each step
    made for the next ones."""

    content: Path
    docs_dir: Path
    config: Path
    site_dir: Path | None
    """None for ``papers generate``: no site, and only the steps that make ``docs/``."""
    timings: list[StepTiming] = field(default_factory=list)
    work: list[Path] = field(default_factory=list)
    """Temporary folders, removed when the build ends, however it ends."""
    settings: Settings | None = None
    corpus: Corpus | None = None
    model: TextModel | None = None
    related: dict[str, tuple[Paper, ...]] = field(default_factory=dict)
    for_you: ForYou | None = None
    files: Writer | None = None
    new_docs: Path | None = None
    new_site: Path | None = None
    search_pages: Path | None = None

    def folder_beside(self, target: Path, name: str) -> Path:
        """A new ``name`` folder in a temporary folder next to ``target``: the new tree is
        made beside the one it replaces, so the swap is a rename on one file system."""
        parent = target.resolve().parent
        parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=".build-", dir=parent))
        self.work.append(work)
        return work / name


@dataclass(frozen=True)
class Step:
    name: str
    run: Callable[[Build], None]
    site_only: bool = False
    """Only for ``papers build`` (a step that needs or makes ``site/``)."""
    timed: bool = True
    """Timed as one in-process step; a step that runs child processes times them itself."""


def read(build: Build) -> None:
    build.settings = load_settings(build.config)
    build.corpus = read_corpus(build.content)


def related(build: Build) -> None:
    """The text model of every paper, and each paper's related papers."""
    assert build.corpus is not None and build.settings is not None
    build.model = text_model(build.corpus.papers)
    build.related = related_papers(build.model, build.settings.related_count)


def for_you(build: Build) -> None:
    """With ``content/interests.yaml``: the archive ranked for the site's owners."""
    assert build.corpus is not None and build.settings is not None and build.model is not None
    corpus, settings = build.corpus, build.settings
    found = read_interests(build.content, {paper.id: paper for paper in corpus.papers})
    if found is None:
        return
    interests, warnings = found
    corpus.summary.warnings.extend(warnings)
    build.for_you = rank_for_you(
        build.model, interests, corpus.days, settings.for_you_days, settings.for_you_top
    )


def render(build: Build) -> None:
    assert build.corpus is not None and build.settings is not None
    build.files = render_site(build.corpus, build.settings, build.related, build.for_you)


def write(build: Build) -> None:
    assert build.files is not None
    build.new_docs = build.folder_beside(build.docs_dir, "docs")
    build.files.write_to(build.new_docs)


def search_pages(build: Build) -> None:
    """The copies of the paper pages Pagefind reads: in memory when there is room."""
    assert build.files is not None and build.site_dir is not None and build.corpus is not None
    fallback = build.folder_beside(build.site_dir, "search-pages").parent
    build.search_pages = scratch_folder(len(build.corpus.papers), fallback)
    build.work.append(build.search_pages)
    write_search_pages(build.files.files, build.search_pages)


def site(build: Build) -> None:
    """MkDocs, with Pagefind indexing the search pages beside it; the search bundle goes
    into the new site last."""
    assert build.site_dir is not None and build.search_pages is not None
    assert build.new_docs is not None and build.corpus is not None
    build.new_site = build.folder_beside(build.site_dir, "site")
    bundle = build.new_site.with_name("pagefind")
    indexing = start_index(build.search_pages, bundle)
    try:
        epoch = newest_epoch(build.corpus)
        run_mkdocs(build.config, build.new_docs, build.new_site, epoch, build.timings, (indexing,))
        indexing.finish(build.timings, beside="mkdocs build")
    finally:
        indexing.stop()
    drop_unused(bundle)
    bundle.rename(build.new_site / "pagefind")


def swap(build: Build) -> None:
    """Put the new trees in place of the old; signals wait until it is done (it is short,
    and must not stop halfway)."""
    assert build.new_docs is not None
    with _signals_blocked():
        _swap(build.new_docs, build.docs_dir)
        if build.site_dir is not None and build.new_site is not None:
            _swap(build.new_site, build.site_dir)


#: The steps of a build, in order.
STEPS: tuple[Step, ...] = (
    Step("read", read),
    Step("related", related),
    Step("for you", for_you),
    Step("render", render),
    Step("write", write),
    Step("search pages", search_pages, site_only=True),
    Step("site", site, site_only=True, timed=False),
    Step("swap", swap),
)


def run_build(content: Path, docs_dir: Path, config: Path, site_dir: Path | None = None) -> Summary:
    """Run :data:`STEPS`: generate ``docs_dir`` from ``content`` and, with ``site_dir``,
    build the site."""
    started = time.perf_counter()
    build = Build(content, docs_dir, config, site_dir)
    with _sigterm_as_interrupt():
        try:
            for step in STEPS:
                if step.site_only and site_dir is None:
                    continue
                if step.timed:
                    with timed(step.name, build.timings):
                        step.run(build)
                else:
                    step.run(build)
        finally:
            with timed("cleanup", build.timings):
                for work in build.work:
                    shutil.rmtree(work, ignore_errors=True)
    assert build.corpus is not None
    summary = build.corpus.summary
    summary.site_built = site_dir is not None
    summary.seconds = time.perf_counter() - started
    summary.steps = build.timings
    return summary


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
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet",
               "--config-file", str(config), "--site-dir", str(site_dir.resolve())]  # fmt: skip
    run_child("mkdocs build", command, env, timings, beside)


def newest_epoch(corpus: Corpus) -> int:
    """Midnight UTC of the newest day with papers: MkDocs dates the sitemap from it."""
    newest = corpus.newest_day
    if newest is None:
        return 0
    return int(datetime(newest.year, newest.month, newest.day, tzinfo=UTC).timestamp())


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
def _signals_blocked() -> Iterator[None]:
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

