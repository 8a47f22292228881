"""Cards and paper pages are written out in Python (``generator/render/fragments.py``,
``PageRenderer.paper``) for speed; the golden output (``tests/test_golden.py``) guards their
bytes. These properties hold for any paper: its text shows as text, never as markup, in
every medium a paper is rendered for."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import html as lhtml
from test_properties import NASTY_TOKENS

from generator.model import HubInfo, Link, Paper, TagMatch
from generator.render.fragments import DIGEST_ITEM, FEED_ENTRY, MAIL_ITEM, ROOT, paper_html
from generator.render.pages import PageRenderer
from generator.settings import Settings
from generator.tags.rules import load_tag_rules

from conftest import ROOT as PROJECT

RULES = load_tag_rules(PROJECT / "content" / "tags.yaml")
RENDERER = PageRenderer(Settings(), RULES)


# Text as cleaning leaves it (``generator/readers/clean.py``): no control characters, no lone
# surrogates; markup, entities, quotes and template syntax kept.
_CLEAN = st.characters(blacklist_categories=("Cs", "Cc"))
_TOKENS = [
    t for t in NASTY_TOKENS if t.isprintable() and not any(0xD800 <= ord(c) < 0xE000 for c in t)
]
text = st.lists(
    st.one_of(st.sampled_from(_TOKENS), st.text(_CLEAN, max_size=5)), max_size=8
).map("".join)
days = st.lists(st.dates(date(2020, 1, 1), date(2026, 12, 31)), min_size=1, max_size=3)
counts = st.one_of(st.none(), st.integers(0, 3))
url = st.sampled_from(
    ["https://github.com/a/b", "https://x.org/?a=1&b='2'", "https://gitlab.com/<x>", "http://p"]
)
kinds = st.sampled_from(["code", "project", "pdf"])


@st.composite
def papers(draw: st.DrawFn) -> Paper:
    return Paper(
        id="p",
        title=draw(text.filter(bool)),
        abstract=draw(text),
        days=tuple(sorted(set(draw(days)))),
        rank=0,
        arxiv_id=draw(st.one_of(st.none(), st.sampled_from(["2406.12345", "hep-th/9901001"]))),
        authors=tuple(draw(st.lists(text.filter(bool), max_size=4))),
        links=tuple(Link(k, u) for k, u in draw(st.lists(st.tuples(kinds, url), max_size=3))),
        upvotes=draw(counts),
        on_huggingface=draw(st.booleans()),
        tags=tuple(
            TagMatch(rule.slug, draw(text))
            for rule in draw(st.lists(st.sampled_from(RULES), max_size=3, unique=True))
        ),
        hub=HubInfo(
            summary=draw(text),
            organization=draw(text),
            comments=draw(counts),
            github_stars=draw(counts),
            published=draw(st.one_of(st.none(), st.dates(date(2020, 1, 1)))),
        ),
    )


def _text(fragment: str) -> str:
    """The text a browser shows for ``fragment`` (whitespace as is)."""
    return lhtml.fragment_fromstring(fragment, create_parent="div").text_content()


@pytest.mark.slow  # hypothesis: many examples
@settings(max_examples=300, deadline=None)
@given(papers())
def test_a_paper_page_shows_its_text_as_text(paper):
    page = RENDERER.paper(paper)
    block = page.split("---\n\n", 1)[1]
    doc = lhtml.fragment_fromstring(block, create_parent="div")
    assert doc.cssselect("h1.paper-title")[0].text_content() == paper.title
    assert not doc.cssselect("script, b, strong:not(:first-child)")
    if paper.abstract:
        assert doc.cssselect(".paper-abstract p")[0].text_content() == paper.abstract
    reasons = [span.text_content() for span in doc.cssselect(".paper-tag-reason")]
    assert reasons == [match.reason for match in paper.tags]
    hrefs = [a.get("href") for a in doc.cssselect("a")]
    assert all(h.startswith(("../../days/", "../../tags/", "http")) for h in hrefs)


@pytest.mark.slow  # hypothesis: many examples
@settings(max_examples=300, deadline=None)
@given(papers(), st.booleans(), st.lists(text.filter(bool), max_size=7))
def test_a_card_shows_its_text_as_text_and_links_below_its_root(paper, full, authors):
    paper = replace(paper, authors=tuple(authors))  # up to 7: "and N more" past four
    card = str(PageRenderer(Settings(), RULES).card(paper, "../../", full))
    assert ROOT not in card
    doc = lhtml.fragment_fromstring(card)
    assert doc.tag == "article" and doc.get("id") == paper.id
    assert doc.cssselect("h3 a")[0].text_content() == paper.title
    assert not doc.cssselect("script, b")
    shown = ", ".join(authors[:4]) + (f" and {len(authors) - 4} more" if len(authors) > 4 else "")
    assert [p.text_content() for p in doc.cssselect(".paper-card__authors")] == (
        [shown] if authors else []
    )
    assert bool(doc.cssselect(".paper-card__abstract")) == (full and bool(paper.abstract))
    internal = [a.get("href") for a in doc.cssselect("h3 a, .paper-tags a")]
    assert all(h.startswith(("../../papers/", "../../tags/")) for h in internal)


@pytest.mark.slow  # hypothesis: many examples
@settings(max_examples=200, deadline=None)
@given(papers(), st.integers(1, 99))
def test_feed_digest_and_mail_fragments_show_text_as_text_with_absolute_links(paper, number):
    titles = {rule.slug: rule.title for rule in RULES}
    root = "https://papers.example.org/"
    feed = paper_html(paper, FEED_ENTRY, titles, root)
    digest = paper_html(paper, DIGEST_ITEM, titles, root)
    mail = paper_html(paper, MAIL_ITEM, titles, root, number)
    for fragment in (feed, digest, mail):
        doc = lhtml.fragment_fromstring(fragment, create_parent="div")
        assert not doc.cssselect("script, b")
        assert all(a.get("href").startswith("http") for a in doc.cssselect("a"))
    if paper.abstract:
        assert paper.abstract in _text(feed)
    assert _text(digest).startswith(paper.title)
    assert _text(mail).startswith(f"{number}. {paper.title}")
    assert "style=" in mail and "class=" not in mail + feed + digest
