"""Browser tests of search: the built site in headless Chromium (``tests/browsing.py``).
Search is Pagefind's index read by ``papers-search.js``; these tests use it as a reader
does."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from generator.corpus import read_corpus

from browsing import chromium, open_page, serve

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site_url(shipped_site: Path) -> Iterator[str]:
    """The shipped site served from 127.0.0.1 (at the root; its links are relative)."""
    with serve(shipped_site / "site") as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as browser:
        yield browser


def search(page: Page, text: str) -> list[str]:
    """Open search with the "/" shortcut, type ``text``, return the result titles."""
    page.keyboard.press("/")
    page.keyboard.type(text)
    return results(page)


def results(page: Page) -> list[str]:
    """The result titles, once the search under way is done."""
    page.wait_for_selector("[data-papers-search][data-state=done]", state="attached")
    return page.locator(".papers-result__title").all_inner_texts()


def word_of_one_abstract(root: Path) -> tuple[str, str]:
    """A long word whose stem (its first eight letters, so that Pagefind's stemming cannot
    reach further) occurs in exactly one paper's abstract and nowhere else a paper shows
    text: (word, that paper's title)."""
    corpus = read_corpus(root / "content")
    texts = {p.id: f"{p.title} {' '.join(p.authors)} {p.abstract}".lower() for p in corpus.papers}
    for paper in sorted(corpus.papers, key=lambda p: p.id):
        for word in sorted(set(re.findall(r"[a-z]{10,}", paper.abstract.lower()))):
            if sum(word[:8] in text for text in texts.values()) == 1:
                return word, paper.title
    raise AssertionError("no word unique to one abstract in the shipped content")


def test_search_finds_a_paper_by_a_word_of_its_abstract(browser, site_url, shipped_site):
    word, title = word_of_one_abstract(shipped_site)
    page, _, errors = open_page(browser, site_url)
    titles = search(page, word)
    assert titles == [title], (word, titles)
    result = page.locator(".papers-result").first
    assert word in result.locator("mark").first.inner_text().lower()
    assert re.search(r"\d{4}", result.locator(".papers-result__meta").inner_text())  # the day
    result.click()
    page.wait_for_load_state()
    assert page.locator("h1.paper-title").inner_text() == title
    assert errors == []


def test_a_tag_filter_narrows_the_results(browser, site_url):
    page, _, errors = open_page(browser, site_url)
    everything = search(page, "model")
    # The tag list loads when the reader reaches for it (Pagefind's filter index).
    page.focus("[data-papers-search-tag]")
    page.wait_for_function("document.querySelector('[data-papers-search-tag]').length > 1")
    options = page.locator("[data-papers-search-tag] option").all_inner_texts()
    assert options[0] == "All tags"
    option = next(o for o in options if o.startswith("Large language models ("))
    status = page.locator("[data-papers-search-status]")
    before = status.inner_text()
    page.select_option("[data-papers-search-tag]", label=option)
    results(page)
    narrowed = int(status.inner_text().split()[0])
    assert 0 < narrowed < int(before.split()[0])
    metas = page.locator(".papers-result__meta").all_inner_texts()
    assert metas and all("Large language models" in meta for meta in metas)
    assert len(everything) >= len(metas)
    assert errors == []


def test_no_page_view_downloads_search_data_before_a_search(browser, site_url, shipped_site):
    paper = sorted((shipped_site / "site" / "papers").iterdir())[0].name
    for path in ("", f"papers/{paper}/", "tags/llm/", "days/", "days/2025-06-06/", "feeds/"):
        page, requests, errors = open_page(browser, site_url + path)
        assert page.locator("h1").count() == 1, path
        assert [url for url in requests if "/pagefind/" in url] == [], path
        assert [url for url in requests if url.endswith("sitemap.xml")] == [], path
        assert errors == [], path
        page.close()
    page, requests, _ = open_page(browser, site_url)
    search(page, "diffusion")
    assert any("/pagefind/pagefind.js" in url for url in requests)


def test_search_shortcuts_escape_and_the_mobile_layout(browser, site_url):
    page, _, errors = open_page(
        browser, site_url, viewport={"width": 390, "height": 800}, is_mobile=True, has_touch=True
    )
    toggle = page.locator("#__search")
    page.locator("label.md-header__button[for=__search]").tap()
    assert toggle.is_checked()
    page.wait_for_function("document.activeElement.dataset.papersSearchQuery === ''")
    page.keyboard.type("diffusion")
    page.wait_for_selector(".papers-result")
    box = page.locator(".md-search__inner").bounding_box()
    assert box and box["width"] >= 380  # the search fills a phone's screen, as Material's does
    page.keyboard.press("Escape")
    assert not toggle.is_checked()
    page.keyboard.press("s")
    assert toggle.is_checked()
    assert page.evaluate("document.activeElement.dataset.papersSearchQuery") == ""
    assert errors == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_results_are_readable_in_both_palettes(browser, site_url, scheme):
    page, _, _ = open_page(browser, site_url, color_scheme=scheme)
    search(page, "diffusion")
    colors = page.evaluate(
        """() => {
        const title = document.querySelector('.papers-result__title');
        const lum = (c) => {
          const [r, g, b] = c.match(/\\d+/g).map(Number).map((v) => v / 255)
            .map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
          return 0.2126 * r + 0.7152 * g + 0.0722 * b;
        };
        let el = title, bg = 'rgba(0, 0, 0, 0)';
        while (el && /rgba\\(0, 0, 0, 0\\)|transparent/.test(bg)) {
          bg = getComputedStyle(el).backgroundColor; el = el.parentElement;
        }
        return [lum(getComputedStyle(title).color), lum(bg)];
    }"""
    )
    text, background = colors
    contrast = (max(text, background) + 0.05) / (min(text, background) + 0.05)
    assert contrast >= 4.5, (scheme, colors)
    assert (background < 0.2) == (scheme == "dark")
