"""Accessibility: axe-core (npm, pinned in package-lock.json) run in Chromium on every kind
of page of the shipped site and of a synthetic site of 1,000 papers (a tag's page 2
included), served under its site_url path as GitHub Pages serves it, in both palettes and at
a phone's and a desktop's width, the 404 page and search open with results included.
Theme markup that fails is fixed in overrides/ (CSS, partials), never excluded here."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from browsing import chromium, open_page, serve
from conftest import ROOT

pytestmark = [pytest.mark.browser, pytest.mark.node]

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
#: Every kind of page, by site: the shipped one, and 1,000 synthetic papers with the default
#: page sizes (a tag's second page, a day of the archive among many).
PAGES = {
    "shipped": ["", "trending/", "days/", "days/2025-06-06/", "tags/", "tags/llm/",
                "tags/llm/trending/", "weeks/", "months/", "api/", "feeds/", "stats/",
                "papers/PAPER/"],
    "thousand": ["", "trending/", "for-you/", "days/", "days/DAY/", "tags/", "tags/llm/",
                 "tags/llm/page/2/", "tags/llm/trending/", "weeks/", "months/", "feeds/",
                 "stats/", "papers/PAPER/"],
}  # fmt: skip


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as browser:
        yield browser


def violations(page: Page) -> list[str]:
    if not AXE.is_file():
        pytest.fail("axe-core is not installed: run `npm ci` in the repository root")
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        """async () => (await axe.run(document)).violations.map(
            (v) => `${v.id} (${v.impact}): ${v.nodes.length}× ${v.nodes[0].target.join(' ')}`)"""
    )
    return list(found)


def page_path(path: str, site: Path) -> str:
    """``path`` with PAPER and DAY standing for the site's first paper and its newest day."""
    paper = sorted((site / "papers").iterdir())[0].name
    day = sorted(p.name for p in (site / "days").glob("20??-??-??"))[-1]
    return path.replace("PAPER", paper).replace("DAY", day)


#: Both palettes at both widths on the shipped site; on the larger one (20 s a run on this
#: 2-core machine) each palette and each width once.
MATRIX = [
    *[("shipped", width, scheme) for width in (390, 1280) for scheme in ("light", "dark")],
    ("thousand", 390, "light"),
    ("thousand", 1280, "dark"),
]


@pytest.mark.parametrize(("corpus", "width", "scheme"), MATRIX)
def test_no_axe_violations_on_any_kind_of_page(browser, request, corpus, width, scheme):
    site = request.getfixturevalue(f"{corpus}_site") / "site"
    options = {"viewport": {"width": width, "height": 900}, "color_scheme": scheme}
    found = {}
    with serve(site, prefix="/papers/") as base_url:  # site_url's path
        for path in PAGES[corpus]:
            assert (site / page_path(path, site) / "index.html").is_file(), path
            page, _, errors = open_page(browser, base_url + page_path(path, site), **options)
            found[path] = violations(page) + errors
            page.close()
        page, _, errors = open_page(browser, base_url + "no/such/page/", **options)
        # The page itself answers 404 (and the console says so): nothing else may fail.
        expected = [f"404: {base_url}no/such/page/", "Failed to load resource: the server "
                    "responded with a status of 404 (Not Found)"]  # fmt: skip
        found["404"] = violations(page) + [e for e in errors if e not in expected]
        assert page.locator("h1").inner_text() == "404 - Not found"
        page.close()
        page, _, errors = open_page(browser, base_url, **options)
        page.keyboard.press("/")
        page.keyboard.type("diffusion")
        page.wait_for_selector(".papers-result")
        found["search"] = violations(page) + errors
        page.close()
    assert {path: issues for path, issues in found.items() if issues} == {}
