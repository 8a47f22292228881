"""Shared test helpers: build a small site from given files, parse feeds and pages."""

from __future__ import annotations

import html
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import feedparser
import pytest
from lxml import etree

from generator.build import run_build
from generator.corpus import Summary

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
HF_FIXTURE = FIXTURES / "fetch" / "hf_daily_papers_2026-06-12.json"
SEED = ROOT / "content" / "2025-06-06-hf-trending.txt"
HOOKS = "overrides/hooks.py"

MKDOCS_YML = """\
site_name: Test Papers
site_url: https://papers.example.org/
docs_dir: !ENV [PAPERS_DOCS_DIR, docs]
theme:
  name: material
  custom_dir: {overrides}
  font: false
plugins: []
hooks:
  - {hooks}
extra:
  papers:
    feed_size: 50
"""


def content_with_shipped_tags(folder: Path, papers: Path) -> Path:
    """``folder/content``: a copy of the content folder ``papers`` (real papers of
    ``tests/data``) with the shipped ``tags.yaml``."""
    content = folder / "content"
    shutil.copytree(papers, content)
    shutil.copy(ROOT / "content" / "tags.yaml", content / "tags.yaml")
    return content


def write_files(folder: Path, files: dict[str, str | bytes]) -> None:
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")


def copy_site_config(project: Path) -> None:
    """What a fork's build needs beside content/: mkdocs.yml and overrides/."""
    project.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    shutil.copytree(ROOT / "overrides", project / "overrides")  # holds the hooks file too


def make_project(tmp_path: Path, files: dict[str, str | bytes], tags: bool = True) -> Path:
    """A project folder with mkdocs.yml, content/ holding ``files`` and (by default) the
    shipped tag rules."""
    project = tmp_path / "project"
    content = project / "content"
    content.mkdir(parents=True)
    (project / "mkdocs.yml").write_text(
        MKDOCS_YML.format(overrides=ROOT / "overrides", hooks=ROOT / HOOKS), encoding="utf-8"
    )
    if tags:
        shutil.copy(ROOT / "content" / "tags.yaml", content / "tags.yaml")
    write_files(content, files)
    return project


def build_site(
    tmp_path: Path, files: dict[str, str | bytes], site: bool = True, tags: bool = True
) -> tuple[Path, Summary]:
    """Build ``files`` (paths under content/) into ``project/docs`` and ``project/site``."""
    project = make_project(tmp_path, files, tags)
    summary = run_build(
        content=project / "content",
        docs_dir=project / "docs",
        config=project / "mkdocs.yml",
        site_dir=project / "site" if site else None,
    )
    return project, summary


def run_papers(*args: str | Path, **kwargs: object) -> subprocess.CompletedProcess[str]:
    """Run the real command line (``python -m generator ...``), capturing its output."""
    command = [sys.executable, "-m", "generator", *map(str, args)]
    return subprocess.run(command, capture_output=True, text=True, check=False, **kwargs)


def read_feed(path: Path) -> feedparser.FeedParserDict:
    """Parse a feed strictly with lxml (no recovery), then with feedparser; both must
    accept it without complaint."""
    data = path.read_bytes()
    etree.fromstring(data, etree.XMLParser(recover=False)) if path.suffix == ".xml" else None
    parsed = feedparser.parse(data)
    assert not parsed.bozo, f"{path}: {parsed.get('bozo_exception')}"
    return parsed


def entry_title(entry: feedparser.FeedParserDict) -> str:
    """An entry's title as a reader shows it: HTML titles are escaped text."""
    if entry.title_detail.type == "text/html":
        return html.unescape(entry.title)
    return entry.title


def atom_title(entry: etree._Element) -> str:
    """An Atom entry's title text exactly (``type="html"`` titles are escaped text)."""
    title = entry.find("{http://www.w3.org/2005/Atom}title")
    if title.get("type") == "html":
        return html.unescape(title.text)
    return title.text


def tree_bytes(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _build_with_site_config(project: Path) -> Path:
    """``project/content`` built into ``project/docs`` and ``project/site`` with the real
    mkdocs.yml and overrides; returns ``project``."""
    copy_site_config(project)
    run_build(
        content=project / "content",
        docs_dir=project / "docs",
        config=project / "mkdocs.yml",
        site_dir=project / "site",
    )
    return project


@pytest.fixture(scope="session")
def shipped_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped content/ built once with the real mkdocs.yml: returns the project copy."""
    project = tmp_path_factory.mktemp("shipped")
    shutil.copytree(ROOT / "content", project / "content")
    return _build_with_site_config(project)


@pytest.fixture(scope="session")
def thousand_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic corpus of 1,000 papers (scripts/corpus.py, as the benchmark and the scale
    tests use), 20 of them named in interests.yaml, built once with the real mkdocs.yml and
    its default page sizes, so that tag pages have a page 2 and there is a For you page:
    returns the project copy."""
    sys.path.insert(0, str(ROOT / "scripts"))
    from corpus import write_corpus

    project = tmp_path_factory.mktemp("thousand")
    write_corpus(project, 1000, interests=20)
    return _build_with_site_config(project)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that uses a built site is slow (``make check`` leaves it out)."""
    for item in items:
        if {"shipped_site", "big_site"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
