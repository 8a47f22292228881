"""A large corpus is read, tagged and rendered by two processes (generator/process.py's
``Beside``): the same bytes as one process makes. Here the thresholds are 0, so that small
corpora take the two-process paths too."""

from __future__ import annotations

import os
import sys
import time

import pytest
from test_golden import CONFIG, GOLDEN

from generator import build, generate
from generator.build import run_build
from generator.errors import InputError
from generator.process import Beside, TaskQueue, all_cpus_but_one, start_child
from generator.settings import load_settings
from generator.tagging import Tagger
from generator.tagrules import load_tag_rules
from generator.writer import Writer

from conftest import ROOT, copy_site_config, tree_bytes


@pytest.fixture
def always_parallel(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(generate, "PARALLEL_READ_BYTES", 0)
    monkeypatch.setattr(generate, "PARALLEL_PAPERS", 0)
    monkeypatch.setattr(build, "PARALLEL_PAPERS", 0)


def test_golden_output_from_two_processes(tmp_path, always_parallel):
    config = tmp_path / "mkdocs.yml"
    config.write_text(CONFIG, encoding="utf-8")
    summary = run_build(GOLDEN / "content", tmp_path / "docs", config)
    assert (summary.papers_read, summary.pages_written, summary.duplicates_merged) == (6, 4, 2)
    feeds = [p for p in (tmp_path / "docs").rglob("*") if p.name in ("atom.xml", "rss.xml")]
    assert summary.feeds == len(feeds) + 3  # and three JSON feeds
    assert [s.beside for s in summary.steps if s.step == "paper pages"] == ["render"]
    assert tree_bytes(tmp_path / "docs") == tree_bytes(GOLDEN / "expected")


def test_site_from_two_processes_is_the_same(shipped_site, tmp_path, always_parallel):
    """The second process writes the search pages too: the same search index."""
    copy_site_config(tmp_path)
    summary = run_build(ROOT / "content", tmp_path / "docs", tmp_path / "mkdocs.yml",
                        tmp_path / "site")  # fmt: skip
    assert "search pages" not in [s.step for s in summary.steps]
    assert tree_bytes(tmp_path / "docs") == tree_bytes(shipped_site / "docs")
    for part in ("fragment", "index"):
        ours = tree_bytes(tmp_path / "site" / "pagefind" / part)
        assert ours == tree_bytes(shipped_site / "site" / "pagefind" / part)


def test_the_first_bad_file_in_order_fails_either_half(tmp_path, always_parallel):
    content = tmp_path / "content"
    content.mkdir()
    good = 'date: 2025-06-0{n}\npapers:\n  - title: "T{n}"\n    abstract: "A."\n'
    for n in range(1, 6):
        (content / f"2025-06-0{n}.yaml").write_text(good.format(n=n), encoding="utf-8")
    for bad in (4, 3, 2):  # read by the second process, then the first, then the second
        (content / f"2025-06-0{bad}.yaml").write_text("date: [\n", encoding="utf-8")
        with pytest.raises(InputError) as failure:
            generate.read_corpus(content)
        assert failure.value.path.endswith(f"2025-06-0{bad}.yaml")


def test_beside_returns_and_raises_as_inline():
    def fails() -> None:
        raise InputError("some/file.yaml", 3, "bad")

    assert Beside(lambda: os.getpid()).result() != os.getpid()
    assert Beside(lambda: os.getpid(), parallel=False).result() == os.getpid()
    for parallel in (True, False):
        with pytest.raises(InputError) as failure:
            Beside(fails, parallel).result()
        assert (failure.value.path, failure.value.line, str(failure.value)) == (
            "some/file.yaml", 3, "some/file.yaml:3: bad"
        )  # fmt: skip


@pytest.mark.parametrize("folder", ["content", "tests/nasty/content", "tests/golden/content"])
def test_tags_found_while_reading_are_those_of_the_merged_papers(folder, always_parallel):
    """Each listing is tagged as it is read; a merged paper keeps those tags only when its
    inputs are the listing's, which gives the tags it would get on its own."""
    corpus = generate.read_corpus(ROOT / folder)
    tagger = Tagger(load_tag_rules(ROOT / folder / "tags.yaml"))  # in file order: ties
    assert corpus.papers
    for paper in corpus.papers:
        assert paper.tags == tagger.tags(paper), paper.id


def test_a_task_queue_hands_each_task_out_once_across_processes():
    queue = TaskQueue(200)
    try:
        other = Beside(lambda: [task for task in queue if not time.sleep(0.0005)])
        ours = [task for task in queue if not time.sleep(0.0005)]
        theirs = other.result()
    finally:
        queue.close()
    assert ours and theirs  # both took some: the sleeps let the other one in
    assert sorted(ours + theirs) == list(range(200))
    assert ours == sorted(ours) and theirs == sorted(theirs)  # in order, each its share
    with pytest.raises(ValueError):
        TaskQueue(256)


def test_the_parts_of_a_site_make_the_same_files_in_any_order():
    """The two processes of a large build take parts in whatever order they come."""
    corpus = generate.read_corpus(GOLDEN / "content")
    settings = load_settings(ROOT / "mkdocs.yml")
    forward = generate.render_site(corpus, settings).files
    backward = Writer()
    parts = generate.site_parts(corpus, settings) + generate.paper_parts(corpus, settings, 3)
    for part in reversed(parts):
        part(backward)
    assert 1 < len(generate.paper_parts(corpus, settings, 3)) <= 3  # at most that many
    assert backward.files == forward


def test_a_child_started_on_some_cpus_runs_on_them(tmp_path):
    """Pagefind runs on every CPU but the first (search_index.start_index): the child
    has the CPUs from its start, and this process gets all of its own back."""
    own = os.sched_getaffinity(0)
    assert all_cpus_but_one() == (own - {min(own)} if len(own) >= 2 else None)
    chosen = {max(own)}
    out = tmp_path / "cpus"
    script = f"import os; open({str(out)!r}, 'w').write(repr(sorted(os.sched_getaffinity(0))))"
    timings: list = []
    start_child("probe", [sys.executable, "-c", script], dict(os.environ), chosen).finish(timings)
    assert out.read_text() == repr(sorted(chosen))
    assert os.sched_getaffinity(0) == own and [t.step for t in timings] == ["probe"]
    # CPUs that cannot be had (gone, or refused): the child starts anyway, on this
    # process's own.
    start_child("probe", [sys.executable, "-c", script], dict(os.environ), {4096}).finish(timings)
    assert out.read_text() == repr(sorted(own)) and os.sched_getaffinity(0) == own


def test_a_child_beside_another_is_timed_to_its_own_end():
    """Pagefind is reaped only after MkDocs, beside which it runs: its time in the summary
    is still its own (noted when it exits, seen while sampling its memory)."""
    timings: list = []
    short = start_child("short", [sys.executable, "-c", "pass"], dict(os.environ))
    sleep = [sys.executable, "-c", "import time; time.sleep(1.5)"]
    try:
        start_child("long", sleep, dict(os.environ)).finish(timings, others=(short,))
        short.finish(timings, beside="long")
    finally:
        short.stop()
    took = {t.step: t.seconds for t in timings}
    assert took["long"] >= 1.5 and took["short"] < took["long"] - 0.5
