"""Integration: the real `papers build` on the shipped content, and build behaviour."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys

import pytest
from lxml import html

from generator.build import run_build
from generator.render import outputs
from generator.render.writer import Writer
from generator.site.compact import compact_html
from generator.site.search_index import scratch_folder
from generator.tags.rules import load_tag_rules

from conftest import ROOT, SEED, build_site, copy_site_config, read_feed, run_papers, tree_bytes

pytestmark = pytest.mark.slow


def page(site, path):
    return html.fromstring((site / path / "index.html").read_bytes())


def test_shipped_site_pages(shipped_site):
    site = shipped_site / "site"
    papers = [p for p in (site / "papers").iterdir() if (p / "index.html").exists()]
    assert len(papers) == 89
    day = page(site, "days/2025-06-06")  # 89 papers: 50 on the day's URL, 39 on page 2
    assert len(day.cssselect("article.paper-card")) == 50
    assert "89 papers featured on this day · page 1 of 2, papers 1–50" in day.text_content()
    more = page(site, "days/2025-06-06/page/2")
    assert len(more.cssselect("article.paper-card")) == 39
    listed = {a.get("id") for d in (day, more) for a in d.cssselect("article.paper-card")}
    assert len(listed) == 89
    assert more.cssselect('a[rel="prev"]')[0].get("href") == "../../../../days/2025-06-06/"
    home = page(site, "")
    assert "Latest papers: Friday 6 June 2025" in home.text_content()
    cards = [a.get("id") for a in home.cssselect("article.paper-card")]
    # The top 5 of the trending list lead (their ids marked), then the day's first 50.
    assert [c.startswith("trending-") for c in cards] == [True] * 5 + [False] * 50
    [link] = [a for a in home.cssselect("p.papers-day-link a") if "more" in a.text_content()]
    assert (link.get("href"), link.text_content()) == (
        "days/2025-06-06/page/2/",
        "39 more papers of Friday 6 June 2025",
    )
    tags = page(site, "tags")
    rows = tags.cssselect("article.md-content__inner table tbody tr")
    assert len(rows) == len(load_tag_rules(ROOT / "content" / "tags.yaml"))
    nav = [a.text_content().strip() for a in home.cssselect("nav.md-tabs a")]
    assert nav == ["Home", "Trending", "Days", "Tags", "Feeds", "Stats"]
    # Each tag's page shows its papers; a tag the sample has none of (the default taxonomy is
    # the field's: robotics, speech...) says so, with its feeds all the same.
    counts = {row.cssselect("a")[0].get("href").strip("/"): int(row[1].text) for row in rows}
    assert sum(1 for n in counts.values() if n) >= 30
    for slug, count in counts.items():
        tag = page(site, f"tags/{slug}")
        assert len(tag.cssselect("article.paper-card")) == min(count, 50), slug
        assert bool(tag.cssselect(".papers-empty")) == (count == 0), slug


def test_paper_page_has_links_tags_and_reasons(shipped_site):
    doc = page(
        shipped_site / "site", "papers/transhuman-a-transformer-based-human-representation-for"
    )
    assert doc.cssselect("h1.paper-title")[0].text_content().startswith("TransHuman")
    hrefs = [a.get("href") for a in doc.cssselect(".paper-links a")]
    assert hrefs == ["https://pansanity666.github.io/TransHuman/"]
    reasons = doc.cssselect(".paper-tag-reason")
    assert reasons and all("“" in r.text_content() for r in reasons)
    assert doc.cssselect('.paper-days a[href="../../days/2025-06-06/"]')


def test_every_page_advertises_the_feeds(shipped_site):
    site = shipped_site / "site"
    for path in ["", "days/2025-06-06", "tags", "papers/mixup-your-own-pairs"]:
        alternates = page(site, path).cssselect('head link[rel~="alternate"]')
        types = [link.get("type") for link in alternates]
        assert types[:3] == ["application/atom+xml", "application/rss+xml", "application/feed+json"]
    tag_links = page(site, "tags/calibration").cssselect('head link[rel~="alternate"]')
    assert [link.get("href") for link in tag_links][-3:] == [
        "atom.xml",
        "rss.xml",
        "digest/atom.xml",
    ]


def test_shipped_feeds(shipped_site):
    site = shipped_site / "site"
    atom = read_feed(site / "atom.xml")
    rss = read_feed(site / "rss.xml")
    assert len(atom.entries) == len(rss.entries) == 50
    assert atom.feed.links[0].href == "https://example.org/papers/atom.xml"
    first = atom.entries[0]
    assert first.title.startswith("TransHuman")
    assert (
        first.link
        == "https://example.org/papers/papers/transhuman-a-transformer-based-human-representation-for/"
    )
    assert "generalizable neural human rendering" in first.content[0].value
    assert len({e.updated for e in atom.entries}) == 50
    assert [e.id for e in atom.entries] == [e.id for e in rss.entries]
    tag = read_feed(site / "tags/calibration/atom.xml")
    assert tag.entries and all(any(t.term == "calibration" for t in e.tags) for e in tag.entries)


def test_two_builds_give_identical_docs_feeds_and_ids(shipped_site, tmp_path):
    """A second build, later, in another folder, another time zone and locale, through the
    command line: the same bytes."""
    project = shipped_site
    other = tmp_path / "elsewhere"
    shutil.copytree(project / "content", other / "content")
    copy_site_config(other)
    env = dict(os.environ, TZ="Pacific/Kiritimati", LC_ALL="C.UTF-8", PYTHONHASHSEED="12345")
    result = run_papers(
        "build",
        "--docs-dir",
        tmp_path / "docs",
        "--site-dir",
        tmp_path / "site",
        cwd=other,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    assert tree_bytes(tmp_path / "docs") == tree_bytes(project / "docs")
    first = {e.id for e in read_feed(project / "site/atom.xml").entries}
    second = {e.id for e in read_feed(tmp_path / "site/atom.xml").entries}
    assert first == second
    site_a, site_b = tree_bytes(project / "site"), tree_bytes(tmp_path / "site")
    # Pagefind writes its filter and metadata indexes in no fixed order (upstream: "other
    # files will still change, such as the filter/metadata indexes"); everything else,
    # including the per-page fragments that make up the bulk of the index, is byte-identical.
    varying = ("pagefind/filter/", "pagefind/pagefind.", "pagefind/pagefind-entry.json")

    def stable(tree: dict[str, bytes]) -> dict[str, bytes]:
        return {
            n: b for n, b in tree.items() if not n.startswith(varying) or n.endswith(".js")
        }

    assert sorted(stable(site_a)) == sorted(stable(site_b))
    assert [n for n in stable(site_a) if site_a[n] != site_b[n]] == []
    assert len([n for n in site_a if n.startswith("pagefind/fragment/")]) == 89


def test_cli_prints_one_line_error_and_exits_1(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    (content / "notes.txt").write_text("Hello\n\nWorld\n")
    result = run_papers(
        "generate",
        "--content",
        "content",
        "--docs-dir",
        tmp_path / "docs",
        "--config",
        ROOT / "mkdocs.yml",
        cwd=tmp_path,
    )
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "papers: error: content/notes.txt:1: expected a date line such as 'Jun 6' or "
        "'2025-06-06' before the papers, found 'Hello'"
    ]
    assert not (tmp_path / "docs").exists()


def test_summary_accounts_for_every_paper(tmp_path):
    files = {
        "2025-06-06.txt": "Jun 6\n\nA Paper\n\nAbstract.\n\nB Paper\n\nAbstract.\n\nLonely\n",
        "2025-06-07.yaml": "date: 2025-06-07\npapers:\n  - title: a paper\n    abstract: again\n",
        "hf/x.json": '[{"paper": {"id": "2501.00001", "title": "B paper",'
        ' "summary": "s", "submittedOnDailyAt": "2025-06-08T00:00:00Z"}},'
        ' {"paper": {"id": "2501.00002"}}]',
    }
    _, summary = build_site(tmp_path, files, site=False)
    assert summary.papers_read == 6
    assert (summary.pages_written, summary.duplicates_merged, summary.dropped) == (3, 2, 1)
    assert (
        summary.papers_read == summary.pages_written + summary.duplicates_merged + summary.dropped
    )
    assert len(summary.warnings) == 2


def _spaced(page: bytes) -> bytes:
    return re.sub(rb"\s+", b" ", page)


def test_the_hook_changes_nothing_but_white_space(shipped_site, tmp_path):
    """overrides/hooks.py skips Markdown for raw-HTML pages and compacts each page: a build
    without it (as Zensical or another builder would do it) gives the same pages, but for
    the indentation and the generator tag that compacting drops."""
    project = tmp_path / "nohook"
    shutil.copytree(shipped_site / "content", project / "content")
    copy_site_config(project)
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "hooks:\n  - overrides/hooks.py\n" in text
    # What the hook sets from the generator's declarations, given to the builder by hand.
    text = text.replace("hooks:\n  - overrides/hooks.py\n", "")
    feeds = json.dumps(outputs.discovery("Trending AI Papers"))
    text = text.replace("\nextra:\n", f"\nextra:\n  papers_feeds: {feeds}\n")
    written = shipped_site / "docs"
    text += "nav: " + json.dumps(outputs.nav(lambda path: (written / path).is_file())) + "\n"
    config.write_text(text, encoding="utf-8")
    run_build(project / "content", project / "docs", config, project / "site")
    with_hook = tree_bytes(shipped_site / "site")
    without = tree_bytes(project / "site")
    pages = sorted(name for name in with_hook if name.endswith(".html"))
    assert len(pages) > 100 and pages == sorted(n for n in without if n.endswith(".html"))
    # A page with <pre> is left as MkDocs wrote it (generator/site/compact.py): there, the
    # two builds may differ by white space between elements alone.
    differ = [
        name for name in pages
        if with_hook[name] != compact_html(without[name])
        and not (
            b"<pre" in with_hook[name]
            and _spaced(with_hook[name]) == _spaced(compact_html(without[name]))
        )
    ]  # fmt: skip
    assert differ == []
    assert any(with_hook[name] != without[name] for name in pages)  # the hook compacts


def test_search_index_matches_one_made_from_the_built_pages(shipped_site, tmp_path):
    """Pagefind reads each paper page's body beside MkDocs (generator/site/search_index.py): the
    same index as when it reads the built pages. Pagefind numbers pages in the order it
    finds their files, so the built pages are copied, in path order, to where the build
    puts its search pages (scratch_folder: tmpfs lists files in the order they were
    made)."""
    site = shipped_site / "site"
    built = sorted((site / "papers").glob("*/index.html"))
    assert len(built) == 89
    copies = scratch_folder(len(built), tmp_path)
    try:
        pages = Writer()  # writes in path order, as the build writes the search pages
        for page in built:
            pages.add(f"papers/{page.parent.name}/index.html", page.read_bytes())
        pages.write_to(copies)
        command = [sys.executable, "-m", "pagefind", "--site", str(copies),
                   "--output-path", str(tmp_path / "pf"), "--force-language", "en",
                   "--silent"]  # fmt: skip
        subprocess.run(command, check=True, capture_output=True)
    finally:
        shutil.rmtree(copies)
    for part in ("fragment", "index", "filter"):
        assert tree_bytes(tmp_path / "pf" / part) == tree_bytes(site / "pagefind" / part)
    assert len(list((site / "pagefind" / "fragment").iterdir())) == 89


@pytest.mark.parametrize(
    ("pagefind", "message"),
    [("/nonexistent/pagefind", "pagefind could not start"), ("false", "pagefind failed")],
)
def test_a_missing_or_failing_pagefind_stops_the_build_and_keeps_the_site(
    tmp_path, pagefind, message
):
    project, _ = build_site(tmp_path, {"2025-06-06.txt": SEED.read_text(encoding="utf-8")})
    before = tree_bytes(project / "docs"), tree_bytes(project / "site")
    env = dict(os.environ, PAPERS_PAGEFIND=shutil.which(pagefind) or pagefind)
    result = run_papers(
        "build", "--content", project / "content", "--docs-dir", project / "docs",
        "--site-dir", project / "site", "--config", project / "mkdocs.yml", env=env,
    )  # fmt: skip
    assert result.returncode == 1
    assert result.stderr.startswith(f"papers: error: {message}")
    assert len(result.stderr.strip().splitlines()) == 1
    assert (tree_bytes(project / "docs"), tree_bytes(project / "site")) == before
    assert not list(project.glob(".build-*"))


def test_search_pages_go_to_memory_when_it_has_room(tmp_path):
    memory, disk = tmp_path / "shm", tmp_path / "disk"
    memory.mkdir()
    disk.mkdir()
    folder = scratch_folder(10, disk, memory)
    assert folder.parent == memory and folder.name.startswith(f"papers-search-{os.getpid()}-")
    # No room (more papers than any file system holds), or no such folder: on the disk.
    assert scratch_folder(10**15, disk, memory).parent == disk
    assert scratch_folder(10, disk, tmp_path / "missing").parent == disk


def test_scratch_folders_of_killed_builds_are_swept(tmp_path):
    """A build killed outright leaves its search pages in memory: the next one deletes
    them, and only them (not those of a build still running, nor other folders)."""
    gone = subprocess.Popen(["true"])
    gone.wait()  # a process that ran and is no more
    memory = tmp_path / "shm"
    left = memory / f"papers-search-{gone.pid}-abc"
    running = memory / f"papers-search-{os.getpid()}-def"
    other = memory / "papers-search-notapid-x"
    for folder in (left, running, other):
        (folder / "papers").mkdir(parents=True)
    scratch_folder(10, tmp_path, memory)
    assert not left.exists() and running.exists() and other.exists()


def test_version_is_looked_up_only_when_asked_for():
    result = run_papers("--version")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith("generator ") and lines[-1].startswith("Python 3.")
    assert any(line.startswith("Pagefind ") for line in lines)
    # Making the parser for `papers generate` looks up no versions (45 ms of its start-up).
    probe = ("import sys; from generator.cli import build_parser; "
             "build_parser(fetch=False).parse_args(['generate']); "
             "print('importlib.metadata' in sys.modules)")  # fmt: skip
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
