"""The build as a list of steps (generator/build.py ``STEPS``), and the one thing it runs in
parallel: Pagefind beside MkDocs (generator/site/process.py)."""

from __future__ import annotations

import os
import sys

import pytest

from generator import build
from generator.build import STEPS, Step, run_build
from generator.corpus import read_corpus
from generator.errors import BuildError
from generator.site.process import start_child
from generator.tags.matching import Tagger
from generator.tags.rules import load_tag_rules

from conftest import ROOT, SEED, build_site, run_papers, tree_bytes


@pytest.mark.slow
def test_a_build_runs_its_steps_in_order(tmp_path):
    _, summary = build_site(tmp_path, {"2025-06-06.txt": SEED.read_text(encoding="utf-8")})
    ran = [t.step for t in summary.steps]
    assert ran == [
        "read", "related", "for you", "render", "write", "search pages", "mkdocs build",
        "pagefind", "swap", "cleanup",
    ]  # fmt: skip
    assert [t.beside for t in summary.steps if t.step == "pagefind"] == ["mkdocs build"]
    assert [s.name for s in STEPS] == [
        "read", "related", "for you", "render", "write", "search pages", "site", "swap"
    ]  # fmt: skip


def test_generate_runs_only_the_steps_that_make_docs(tmp_path):
    _, summary = build_site(tmp_path, {"2025-06-06.txt": SEED.read_text()}, site=False)
    assert [t.step for t in summary.steps] == [
        "read", "related", "for you", "render", "write", "swap", "cleanup"
    ]


@pytest.mark.slow
def test_a_new_step_is_one_entry_and_fails_like_the_others(tmp_path, monkeypatch):
    """A step added to STEPS runs in its place; when it fails, the build stops with its
    one-line error and the previous docs/ and site/ stay as they were."""
    project, _ = build_site(tmp_path, {"2025-06-06.txt": SEED.read_text(encoding="utf-8")})
    before = tree_bytes(project / "docs"), tree_bytes(project / "site")
    seen: list[int] = []

    def related(b: build.Build) -> None:
        assert b.files is not None
        seen.append(len(b.files.files))
        raise BuildError("related papers: no index")

    steps = list(STEPS)
    steps.insert([s.name for s in steps].index("site"), Step("related", related))
    monkeypatch.setattr(build, "STEPS", tuple(steps))
    with pytest.raises(BuildError, match="related papers: no index"):
        run_build(project / "content", project / "docs", project / "mkdocs.yml", project / "site")
    assert seen and seen[0] > 89
    assert (tree_bytes(project / "docs"), tree_bytes(project / "site")) == before
    assert not list(project.glob(".build-*"))


@pytest.mark.slow
def test_a_failing_step_is_one_line_from_the_command(tmp_path):
    project, _ = build_site(tmp_path, {"2025-06-06.txt": SEED.read_text(encoding="utf-8")})
    (project / "content" / "tags.yaml").write_text("tags: [\n", encoding="utf-8")
    result = run_papers(
        "build", "--content", project / "content", "--docs-dir", project / "docs",
        "--site-dir", project / "site", "--config", project / "mkdocs.yml",
    )  # fmt: skip
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("papers: error: ")


@pytest.mark.parametrize("folder", ["content", "tests/nasty/content", "tests/golden/content"])
def test_tags_found_while_reading_are_those_of_the_merged_papers(folder):
    """Each listing is tagged as it is read; a merged paper keeps those tags only when its
    inputs are the listing's, which gives the tags it would get on its own."""
    corpus = read_corpus(ROOT / folder)
    tagger = Tagger(load_tag_rules(ROOT / folder / "tags.yaml"))  # in file order: ties
    assert corpus.papers
    for paper in corpus.papers:
        if any(m.source not in ("rules", "hand") for m in paper.tags):
            continue  # a labelled paper (tests/golden/content/labels): test_labels' part
        assert paper.tags == tagger.tags(paper), paper.id


def test_a_child_beside_another_is_timed_to_its_own_end():
    """Pagefind is reaped only after MkDocs, beside which it runs: its time in the summary
    is still its own (noted when it exits, seen while sampling the memory of both)."""
    timings: list = []
    short = start_child("short", [sys.executable, "-c", "pass"], dict(os.environ))
    sleep = [sys.executable, "-c", "import time; time.sleep(3)"]
    try:
        start_child("long", sleep, dict(os.environ)).finish(timings, others=(short,))
        short.finish(timings, beside="long")
    finally:
        short.stop()
    took = {t.step: t.seconds for t in timings}
    assert took["long"] >= 3
    # Reaped after three seconds, exited at once: timed to its exit, not to its reaping.
    assert took["short"] < 1.5
    assert [t.beside for t in timings] == ["", "long"]
