"""Paper pages are written out in Python (``PageRenderer.paper``) for speed: byte for byte
what the Jinja template ``tests/reference/paper.md.j2`` renders, with the site's other
templates, filters and autoescaping. To change a paper page, change both."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from jinja2 import ChoiceLoader, FileSystemLoader
from test_properties import NASTY_TOKENS

from generator.generate import read_corpus
from generator.model import HubInfo, Link, Paper, TagMatch
from generator.pages import _ENV, PageRenderer, paper_links
from generator.settings import Settings
from generator.tagrules import load_tag_rules

from conftest import ROOT

REFERENCE = _ENV.overlay(
    loader=ChoiceLoader([FileSystemLoader(Path(__file__).parent / "reference"), _ENV.loader])
)
RULES = load_tag_rules(ROOT / "content" / "tags.yaml")
RENDERER = PageRenderer(Settings(), RULES)


def reference_page(paper: Paper, renderer: PageRenderer = RENDERER) -> str:
    return REFERENCE.get_template("paper.md.j2").render(
        settings=renderer.settings,
        tag_titles=renderer.tag_titles,
        links=paper_links,
        root="../../",
        paper=paper,
    )


def test_paper_pages_of_the_test_corpora_are_the_reference_ones():
    for folder in ("content", "tests/nasty/content", "tests/golden/content"):
        corpus = read_corpus(ROOT / folder)
        renderer = PageRenderer(Settings(), [tag.rule for tag in corpus.tags])
        for paper in corpus.papers:
            assert renderer.paper(paper) == reference_page(paper, renderer), paper.id


text = st.lists(
    st.one_of(st.sampled_from([t for t in NASTY_TOKENS if t != "\x00"]), st.text(max_size=5)),
    max_size=8,
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


@settings(max_examples=300, deadline=None)
@given(papers())
def test_any_paper_page_is_the_reference_one(paper):
    assert RENDERER.paper(paper) == reference_page(paper)


# --- Cards: PageRenderer.card against tests/reference/card.j2 ------------------------------


def reference_card(paper: Paper, full: bool, renderer: PageRenderer = RENDERER) -> str:
    module = REFERENCE.get_template("card.j2").make_module(
        {"settings": renderer.settings, "tag_titles": renderer.tag_titles, "links": paper_links}
    )
    return str(module.card(paper, "../../", full))


def test_cards_of_the_test_corpora_are_the_reference_ones():
    for folder in ("content", "tests/nasty/content", "tests/golden/content"):
        corpus = read_corpus(ROOT / folder)
        renderer = PageRenderer(Settings(), [tag.rule for tag in corpus.tags])
        for paper in corpus.papers:
            for full in (True, False):
                expected = reference_card(paper, full, renderer)
                assert renderer.card(paper, "../../", full) == expected, (paper.id, full)


@settings(max_examples=300, deadline=None)
@given(papers(), st.booleans(), st.lists(text.filter(bool), max_size=7))
def test_any_card_is_the_reference_one(paper, full, authors):
    paper = replace(paper, authors=tuple(authors))  # up to 7: "and N more" past four
    assert PageRenderer(Settings(), RULES).card(paper, "../../", full) == reference_card(
        paper, full
    )
