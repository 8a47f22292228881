"""Accessibility: axe-core (npm, pinned in package-lock.json) run in Chromium on every kind
of page of the shipped site, served under its site_url path as GitHub Pages serves it, in
both palettes and at a phone's and a desktop's width, search open with results included.
Theme markup that fails is fixed in overrides/ (CSS, partials), never excluded here."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from browsing import chromium, open_page, serve
from conftest import ROOT

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
PAGES = ["", "days/", "days/2025-06-06/", "tags/", "tags/llm/", "feeds/", "stats/"]
PAGES += ["papers/PAPER/"]


@pytest.fixture(scope="module")
def base_url(shipped_site: Path) -> Iterator[str]:
    with serve(shipped_site / "site", prefix="/papers/") as url:  # site_url's path
        yield url


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


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [390, 1280])
def test_no_axe_violations_on_any_kind_of_page(browser, base_url, shipped_site, scheme, width):
    paper = sorted((shipped_site / "site" / "papers").iterdir())[0].name
    options = {"viewport": {"width": width, "height": 900}, "color_scheme": scheme}
    found = {}
    for path in PAGES:
        page, _, errors = open_page(browser, base_url + path.replace("PAPER", paper), **options)
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
    assert {path: issues for path, issues in found.items() if issues} == {}
