"""Reading a day in a real browser: each card's abstract excerpt is clamped to three lines
and its "More" control expands it in place, by mouse or keyboard, with JavaScript off too."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser

from browsing import chromium, open_page, serve

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as browser:
        yield browser


def _line_count(page, excerpt) -> float:
    height = excerpt.evaluate("e => e.getBoundingClientRect().height")
    line = excerpt.evaluate("e => parseFloat(getComputedStyle(e).lineHeight)")
    return height / line


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("width", [390, 1280])
def test_more_expands_the_abstract_without_a_page_load(browser, shipped_site, width, javascript):
    site = shipped_site / "site"
    with serve(site, prefix="/papers/") as base_url:
        page, _, errors = open_page(
            browser,
            base_url + "days/2025-06-06/",
            viewport={"width": width, "height": 900},
            java_script_enabled=javascript,
        )
        cards = page.locator(".paper-card")
        assert cards.count() == 50  # the day's first page
        card = cards.nth(1)
        excerpt = card.locator(".paper-card__abstract > p")
        control = card.locator(".paper-card__abstract label")
        assert round(_line_count(page, excerpt)) == 3
        assert control.inner_text() == "More"
        page.evaluate("window.loaded = 1")  # gone if the page were reloaded
        control.click()
        assert _line_count(page, excerpt) > 3.5
        assert control.inner_text() == "Less"
        assert page.evaluate("window.loaded") == 1
        control.click()
        assert round(_line_count(page, excerpt)) == 3
        # By keyboard: the checkbox takes focus and Space toggles it.
        checkbox = card.locator(".paper-card__abstract input[type=checkbox]")
        checkbox.focus()
        page.keyboard.press("Space")
        assert _line_count(page, excerpt) > 3.5
        # Its accessible name is what shows: "Less" on the open card, "More" on the others.
        assert page.get_by_role("checkbox", name="Less", exact=True).count() == 1
        assert page.get_by_role("checkbox", name="More", exact=True).count() == cards.count() - 1
        assert cards.nth(2).locator(".paper-card__abstract > p").evaluate(
            "e => e.scrollHeight > e.clientHeight"
        )  # the others stay clamped
        page.close()
        assert errors == []
