"""Bad files, interrupted builds, output paths: clear errors and nothing lost."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time

import pytest

from generator.build import run_build
from generator.errors import BuildError, InputError
from generator.render.writer import Writer, check_output_path
from generator.site.search_index import MEMORY_FS

from conftest import ROOT, build_site, copy_site_config, run_papers, tree_bytes

pytestmark = pytest.mark.slow

GOOD = {"2025-06-06.txt": "Jun 6\n\nGood Title\n\nGood abstract.\n"}

BAD_FILES = [
    ("2025-06-07.txt", b"Jun 7\n\nCaf\xe9 au lait\n", r"2025-06-07.txt:3: not valid UTF-8"),
    ("2025-06-07.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00", r"2025-06-07.txt:3: binary data"),
    ("2025-06-07.txt", b"", r"2025-06-07.txt:1: empty file"),
    ("2025-06-07.txt", b"   \n\n  \n", r"2025-06-07.txt:1: empty file"),
    ("day.yaml", b"date: 2025-06-07\npapers:\n  - {title: x\n", r"day.yaml:4: invalid YAML"),
    ("day.yaml", b"", r"day.yaml:1: expected a mapping"),
    ("hf/day.json", b'[{"paper": {"id": 1,}}]', r"hf/day.json:1: invalid JSON"),
    ("hf/day.json", b"", r"hf/day.json:1: empty file"),
    ("notes.txt", b"Sometime in June\n\nTitle\n\nAbstract\n", r"notes.txt:1: expected a date line"),
    ("2025-06-07.txt", b"Jun 31\n\nT\n\nA\n", r"2025-06-07.txt:1: invalid date"),
    (
        "2025-06-07.txt",
        ("Jun 7\n\n" + "An abstract sentence with no title above it. " * 12 + "\n").encode(),
        r"2025-06-07.txt:3: a \d+-word paragraph where a title was expected",
    ),
    ("tags.yaml", b"tags:\n  - slug: x\n", r"tags.yaml:2: tag needs a non-empty title"),
]


@pytest.mark.parametrize(("name", "data", "message"), BAD_FILES)
def test_bad_file_gives_file_line_error_and_changes_nothing(tmp_path, name, data, message):
    project, _ = build_site(tmp_path, GOOD)
    before = tree_bytes(project / "docs"), tree_bytes(project / "site")
    path = project / "content" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    with pytest.raises(InputError, match=rf"^{project.as_posix()}/content/{message}"):
        run_build(project / "content", project / "docs", project / "mkdocs.yml", project / "site")
    assert (tree_bytes(project / "docs"), tree_bytes(project / "site")) == before
    assert not [p for p in project.iterdir() if p.name.startswith(".build-")]


def test_cli_exit_code_and_one_line(tmp_path):
    content = tmp_path / "c" / "content"
    content.mkdir(parents=True)
    (content / "x.yaml").write_text("date: nope\npapers: []\n")
    result = run_papers(
        "build",
        "--content",
        "c/content",
        "--docs-dir",
        tmp_path / "docs",
        "--site-dir",
        tmp_path / "site",
        "--config",
        ROOT / "mkdocs.yml",
        cwd=tmp_path,
    )
    assert result.returncode == 1
    assert (
        result.stderr == "papers: error: c/content/x.yaml:1: date must be YYYY-MM-DD, got 'nope'\n"
    )
    assert not (tmp_path / "site").exists() and not (tmp_path / "docs").exists()


def _default_signals() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGHUP, signal.SIG_DFL)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP])
def test_interrupted_build_leaves_the_old_site(tmp_path, signum):
    project = tmp_path / "project"
    shutil.copytree(ROOT / "content", project / "content")
    copy_site_config(project)
    command = [sys.executable, "-m", "generator", "build"]
    subprocess.run(command, cwd=project, check=True, capture_output=True)
    before = tree_bytes(project / "docs"), tree_bytes(project / "site")
    # A new day, so that a completed build would change the output.
    (project / "content" / "2025-06-07.yaml").write_text(
        "date: 2025-06-07\npapers:\n  - title: New\n    abstract: New paper.\n"
    )
    # A shell's background job (`make test &`) starts with SIGINT ignored, and `nohup` with
    # SIGHUP ignored, which the build would inherit: give it the defaults, as a terminal's
    # Ctrl-C or hang-up finds them.
    process = subprocess.Popen(
        command, cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        preexec_fn=_default_signals,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while not list(project.glob(".build-*/docs/index.md")):  # generated; MkDocs now runs
        assert process.poll() is None, "the build finished before it could be interrupted"
        assert time.monotonic() < deadline
        time.sleep(0.01)
    os.kill(process.pid, signum)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert b"interrupted; the previous output is unchanged" in stderr
    assert (tree_bytes(project / "docs"), tree_bytes(project / "site")) == before
    assert not list(project.glob(".build-*")) and not list(project.glob(".*.old-*"))
    assert not list(MEMORY_FS.glob(f"papers-search-{process.pid}-*"))  # the search pages


def test_unwritable_output_is_one_line_not_a_traceback(tmp_path):
    (tmp_path / "file").write_text("not a folder")
    content = tmp_path / "content"
    content.mkdir()
    (content / "2025-06-06.txt").write_text("Jun 6\n\nT\n\nA.\n")
    result = run_papers(
        "generate",
        "--content",
        content,
        "--docs-dir",
        tmp_path / "file" / "docs",
        "--config",
        ROOT / "mkdocs.yml",
    )
    assert result.returncode == 1
    assert result.stderr.startswith("papers: error: ") and len(result.stderr.splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_a_paper_titled_index_gets_a_working_page(tmp_path):
    project, _ = build_site(tmp_path, {"2025-06-06.txt": "Jun 6\n\nIndex\n\nAbstract.\n"})
    day = (project / "site" / "days" / "2025-06-06" / "index.html").read_text(encoding="utf-8")
    href = day.split('class="paper-card__title"><a href="', 1)[1].split('"', 1)[0]
    assert href.startswith("../../papers/index-")
    assert (project / "site" / "days" / "2025-06-06" / href / "index.html").resolve().exists()


def test_writer_refuses_one_path_twice():
    writer = Writer()
    writer.add("papers/x.md", "one")
    with pytest.raises(BuildError, match=r"two outputs want the same path 'papers/x.md'"):
        writer.add("papers/x.md", "two")


@pytest.mark.parametrize(
    "path",
    [
        "/etc/passwd",
        "../outside.md",
        "papers/../../x.md",
        "papers/.hidden.md",
        "a//b",
        "",
        "papers/" + "x" * 150 + ".md",
        "/".join(["d"] * 120),
        "papers/<script>.md",
        "C:\\x.md",
    ],
)
def test_unsafe_output_paths_are_refused(path):
    with pytest.raises(BuildError, match="unsafe output path"):
        check_output_path(path)


def test_hostile_titles_and_tags_never_escape_the_output(tmp_path):
    files = {
        "2025-06-06.txt": "Jun 6\n\n../../../etc/passwd\n\nA.\n\n/absolute/path\n\nB.\n\n"
        + "Long " * 80
        + "\n\nC.\n\n..\n\nD.\n",
        "x.yaml": "date: 2025-06-07\npapers:\n  - title: x\n    abstract: y\n"
        "    tags: ['../../evil']\n",
    }
    project, summary = build_site(tmp_path, files, site=False)
    written = tree_bytes(project / "docs")
    papers = sorted(n for n in written if n.startswith("papers/"))
    assert len(papers) == summary.pages_written == 5
    assert all(len(n) < 100 and ".." not in n for n in papers)
    assert not (tmp_path / "etc").exists() and not (project / "etc").exists()
    assert any("unknown tag '../../evil'" in str(w) for w in summary.warnings)
