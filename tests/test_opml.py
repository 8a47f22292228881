"""feeds.opml: every feed of the site in one subscription list, as a feed reader imports it
(listparser, an OPML parser library), compared with the feeds on disk."""

from __future__ import annotations

import listparser
from lxml import etree, html

from generator.tags.rules import load_tag_rules

from conftest import ROOT

SITE_URL = "https://example.org/papers/"  # the shipped mkdocs.yml's


def test_importing_feeds_opml_subscribes_to_every_atom_feed_on_disk(shipped_site):
    site = shipped_site / "site"
    data = (site / "feeds.opml").read_bytes()
    etree.fromstring(data, etree.XMLParser(recover=False))
    imported = listparser.parse(data.decode("utf-8"))
    assert not imported.bozo, imported.bozo_exception
    urls = sorted(feed.url for feed in imported.feeds)
    on_disk = sorted(SITE_URL + p.relative_to(site).as_posix() for p in site.rglob("atom.xml"))
    # everything, trending, top of the day, daily digest; then each tag's feed and digest,
    # and the trending feed of each tag with papers in the window
    tags = len(load_tag_rules(ROOT / "content" / "tags.yaml"))
    trending = len(list(site.glob("tags/*/trending/atom.xml")))
    assert urls == on_disk and len(urls) == 4 + 2 * tags + trending and trending
    by_url = {feed.url: feed for feed in imported.feeds}
    assert by_url[SITE_URL + "atom.xml"].categories == [["Everything"]]
    assert by_url[SITE_URL + "top/atom.xml"].categories == [["Everything"]]
    assert by_url[SITE_URL + "digest/atom.xml"].categories == [["Everything"]]
    llm_digest = by_url[SITE_URL + "tags/llm/digest/atom.xml"]
    assert llm_digest.categories == [["Daily digest by tag"]]
    llm = by_url[SITE_URL + "tags/llm/atom.xml"]
    assert llm.categories == [["By tag"]] and llm.title.endswith("Large language models")
    assert imported.meta.title == "Trending AI Papers: all feeds"


def test_feeds_opml_is_advertised_and_linked(shipped_site):
    site = shipped_site / "site"
    for page in ("index.html", "feeds/index.html"):  # where subscribers start
        doc = html.fromstring((site / page).read_bytes())
        [link] = doc.cssselect('head link[rel="outline"]')
        assert link.get("type") == "text/x-opml" and link.get("href").endswith("feeds.opml")
    tag_page = html.fromstring((site / "tags" / "llm" / "index.html").read_bytes())
    assert not tag_page.cssselect('head link[rel="outline"]')
    feeds_page = html.fromstring((site / "feeds" / "index.html").read_bytes())
    assert feeds_page.cssselect('article a[href="../feeds.opml"]')
