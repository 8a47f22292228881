"""Hostile text renders literally everywhere, and only http(s) links are emitted.

The corpus in tests/nasty/content holds HTML, script, javascript:/data: URLs, Jinja and
Markdown syntax, ``]]>``, control characters, right-to-left, combining and emoji text. It
is built with the real MkDocs, and the pages are checked with an HTML parser.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from lxml import etree, html

from generator.build import run_build
from generator.corpus import read_corpus

from conftest import atom_title, copy_site_config, entry_title, read_feed

NASTY = Path(__file__).resolve().parent / "nasty" / "content"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def nasty_site(tmp_path_factory):
    project = tmp_path_factory.mktemp("nasty")
    shutil.copytree(NASTY, project / "content")
    copy_site_config(project)
    run_build(project / "content", project / "docs", project / "mkdocs.yml", project / "site")
    return project


@pytest.fixture(scope="module")
def nasty_papers():
    return read_corpus(NASTY).papers


def parse(path: Path) -> html.HtmlElement:
    return html.fromstring(path.read_bytes())


def content_links(doc: html.HtmlElement) -> list[str]:
    return [a.get("href") for a in doc.cssselect("article.md-content__inner a[href]")]


def assert_safe(doc: html.HtmlElement) -> None:
    body = doc.cssselect("article.md-content__inner")[0]
    assert not body.cssselect("script, img, svg, iframe, b, i, textarea"), "markup leaked"
    assert not [e for e in body.iter() if any(a.startswith("on") for a in e.attrib)]
    for href in content_links(doc):
        assert urlsplit(href).scheme in ("", "http", "https"), href
    for script in doc.iter("script"):
        assert "alert" not in (script.text or "")


def test_the_corpus_is_hostile(nasty_papers):
    text = " ".join(p.title + " " + p.abstract for p in nasty_papers)
    for needle in [
        "<script>",
        "onerror=",
        "javascript:",
        "data:text/html",
        "{{",
        "{%",
        "]]>",
        "# Not",
        "> not a quote",
        "`not code`",
        "\u05e9",
        "\U0001f600",
        "e\u0301",
    ]:
        assert needle in text, needle
    assert not any(ord(c) < 32 for c in text)  # control characters were dropped


def test_paper_pages_show_text_literally(nasty_site, nasty_papers):
    site = nasty_site / "site"
    assert len(nasty_papers) == 9
    for paper in nasty_papers:
        doc = parse(site / "papers" / paper.id / "index.html")
        assert doc.cssselect("h1.paper-title")[0].text_content() == paper.title
        assert doc.cssselect(".paper-abstract p")[0].text_content() == paper.abstract
        assert doc.findtext(".//title") == f"{paper.title} - Trending AI Papers"
        topic = [e.text_content().strip() for e in doc.cssselect(".md-header__topic .md-ellipsis")]
        assert paper.title in topic
        description = doc.cssselect('meta[name="description"]')[0].get("content")
        assert paper.abstract.startswith(description.removesuffix("…"))
        if paper.authors:
            assert doc.cssselect(".paper-authors")[0].text_content() == ", ".join(paper.authors)
        assert_safe(doc)


def test_listing_pages_show_text_literally(nasty_site, nasty_papers):
    site = nasty_site / "site"
    by_id = {p.id: p for p in nasty_papers}
    pages = [site / "index.html", *sorted((site / "days").glob("*/index.html"))]
    pages += sorted((site / "tags").glob("*/index.html"))
    pages += [site / "trending" / "index.html", *sorted(site.glob("tags/*/trending/index.html"))]
    seen = set()
    for path in pages:
        doc = parse(path)
        assert_safe(doc)
        for card in doc.cssselect("article.paper-card"):
            paper = by_id[card.get("id").removeprefix("trending-")]
            seen.add(paper.id)
            assert card.cssselect(".paper-card__title")[0].text_content() == paper.title
            abstract = card.cssselect(".paper-card__abstract")  # tag pages leave it out
            listing = "/tags/" in path.as_posix() and "/trending/" not in path.as_posix()
            assert len(abstract) == (not listing)
            if abstract:
                shown = abstract[0].cssselect("p")[0].text_content().rstrip("…")
                assert paper.abstract.startswith(shown.rstrip())
            if paper.authors:
                authors = card.cssselect(".paper-card__authors")[0].text_content()
                assert authors.startswith(", ".join(paper.authors[:4]))
    assert seen == set(by_id)


def test_only_http_links_are_emitted(nasty_site, nasty_papers):
    site = nasty_site / "site"
    vision = next(p for p in nasty_papers if p.arxiv_id == "2501.00001")
    hrefs = content_links(parse(site / "papers" / vision.id / "index.html"))
    # Only http(s) and relative links; a relative one may name a paper whose title says
    # "alert" (its related papers), never a script.
    assert all(urlsplit(h).scheme in ("", "http", "https") for h in hrefs), hrefs
    assert not any("alert(" in h or h.startswith("data:") for h in hrefs)
    links = next(p for p in nasty_papers if p.title.startswith("Links:"))
    assert [lk.url for lk in links.links] == ["https://github.com/example/safe"]


def test_feeds_show_text_literally(nasty_site, nasty_papers):
    site = nasty_site / "site"
    by_title = {p.title: p for p in nasty_papers}
    for name in ["atom.xml", "rss.xml"]:
        read_feed(site / name)
    root = etree.parse(str(site / "atom.xml"), etree.XMLParser(recover=False)).getroot()
    entries = root.findall(f"{ATOM}entry")
    assert {atom_title(e) for e in entries} == set(by_title)
    for entry in entries:
        paper = by_title[atom_title(entry)]
        content = html.fromstring(entry.findtext(f"{ATOM}content"))
        assert content.xpath("string(//p[1])") == paper.abstract
        assert not content.xpath("//script|//img|//svg|//iframe")
        for href in content.xpath("//a/@href"):
            assert urlsplit(href).scheme in ("http", "https")
    rss = etree.parse(str(site / "rss.xml"), etree.XMLParser(recover=False)).getroot()
    assert {i.findtext("title") for i in rss.iter("item")} == set(by_title)
    script = next(e for e in entries if "<script>" in atom_title(e))
    assert script.find(f"{ATOM}title").get("type") == "html"
    plain = next(e for e in entries if atom_title(e).startswith("# Not"))
    assert plain.find(f"{ATOM}title").get("type") is None
    for name in ["atom.xml", "rss.xml"]:
        assert {entry_title(e) for e in read_feed(site / name).entries} == set(by_title)
    raw = (site / "rss.xml").read_bytes()
    assert b"&amp;" not in raw and b"&lt;" not in raw
