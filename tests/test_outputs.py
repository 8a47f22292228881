"""Outputs declared once (generator/render/outputs.py): a feed kind or a page kind added to the
lists reaches every place that names outputs."""

from __future__ import annotations

import dataclasses

from lxml import etree

from generator.corpus import read_corpus
from generator.render import outputs
from generator.render.feeds import FeedSpec
from generator.render.listings import Site
from generator.render.outputs import FEEDS, PAGES, FeedKind, PageKind, render_site
from generator.settings import Settings

from conftest import ROOT


def _files() -> dict[str, bytes]:
    corpus = read_corpus(ROOT / "tests" / "golden" / "content")
    return {str(k): v for k, v in render_site(corpus, Settings()).files.items()}


def test_nav_and_not_in_nav_come_from_the_page_kinds():
    assert outputs.nav() == [
        {"Home": "index.md"}, {"Trending": "trending/index.md"},
        {"For you": "for-you/index.md"}, {"Days": "days/index.md"},
        {"Tags": "tags/index.md"}, {"Feeds": "feeds.md"}, {"Stats": "stats.md"},
    ]  # fmt: skip
    # For you is in the nav only where its page was written (content/interests.yaml).
    without = outputs.nav(lambda path: path != "for-you/index.md")
    assert {"For you": "for-you/index.md"} not in without and len(without) == 6
    assert "/for-you/page/" in outputs.not_in_nav()
    assert "/papers/" in outputs.not_in_nav() and "/index.md" not in outputs.not_in_nav()


def test_the_feed_count_is_every_format_of_every_feed():
    corpus = read_corpus(ROOT / "content")
    files = render_site(corpus, Settings()).files
    names = {"atom.xml", "rss.xml", "feed.json"}
    assert corpus.summary.feeds == sum(1 for path in files if path.name in names)
    tags = len(corpus.tags)
    # Everything, trending, top and digest in 3 formats; every tag's papers (2) and digest
    # (1); the trending feeds (3) of each tag with papers in the window.
    trending = sum(1 for path in files if path.match("tags/*/trending/atom.xml"))
    assert 0 < trending <= tags
    assert corpus.summary.feeds == 4 * 3 + tags * 2 + tags * 1 + trending * 3


def test_a_new_feed_kind_is_one_declaration(monkeypatch):
    def oldest(site: Site) -> list[FeedSpec]:
        s = site.settings
        first = FEEDS[0].feeds(site)[0]
        return [dataclasses.replace(first, title=f"{s.site_name}: oldest", path="oldest/")]

    kind = FeedKind("Oldest", oldest, ("atom", "json"), "Everything", "oldest/",
                    "{site}: oldest", discover_on="home and feeds",
                    about="the oldest papers.")  # fmt: skip
    monkeypatch.setattr(outputs, "FEEDS", (*FEEDS, kind))
    files = _files()
    assert {"oldest/atom.xml", "oldest/feed.json"} <= set(files)
    assert "oldest/rss.xml" not in files
    opml = etree.fromstring(files["feeds.opml"])
    urls = opml.xpath("//outline[@text='Everything']/outline/@xmlUrl")
    assert urls[-1].endswith("/oldest/atom.xml")
    feeds_page = files["feeds.md"].decode()
    assert "## Oldest" in feeds_page and "../oldest/feed.json" in feeds_page
    links = outputs.discovery("Site")
    assert {"type": "application/atom+xml", "title": "Site: oldest (Atom)",
            "href": "oldest/atom.xml", "where": "home and feeds"} in links  # fmt: skip


def test_a_new_page_kind_is_one_declaration(monkeypatch):
    kind = PageKind("about", lambda site, w: w.add("about.md", "# About\n"), ("/about.md",),
                    nav="About")  # fmt: skip
    monkeypatch.setattr(outputs, "PAGES", (*PAGES, kind))
    assert _files()["about.md"] == b"# About\n"
    assert outputs.nav()[-1] == {"About": "about.md"}
    hidden = PageKind("notes", lambda site, w: w.add("notes/a.md", "x"), ("/notes/",))
    monkeypatch.setattr(outputs, "PAGES", (*PAGES, hidden))
    assert "/notes/" in outputs.not_in_nav()
