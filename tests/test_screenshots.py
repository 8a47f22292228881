"""Screenshots of the shipped site for a reviewer who does not build it: home, a day, a tag
and a paper page, at a desktop's and a phone's width, in both palettes (16 PNGs in
screenshots/, committed). Each is the first screen of the page (the viewport, not the whole
page), with animations stopped and the caret hidden, so that the same site on the same
machine gives the same bytes: a file is rewritten only when its bytes changed, and a test
run leaves the work tree clean unless the pages really look different (or the machine's
fonts do)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from browsing import chromium, open_page, serve
from conftest import ROOT

pytestmark = pytest.mark.browser

SCREENSHOTS = ROOT / "screenshots"
PAGES = {"home": "", "day": "days/2025-06-06/", "tag": "tags/llm/", "paper": "papers/PAPER/"}
VIEWPORTS = {1280: 800, 390: 844}  # width: height


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as browser:
        yield browser


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", sorted(VIEWPORTS))
def test_screenshots_of_each_kind_of_page(browser, shipped_site, width, scheme):
    site = shipped_site / "site"
    paper = sorted((site / "papers").iterdir())[0].name
    options = {"viewport": {"width": width, "height": VIEWPORTS[width]}, "color_scheme": scheme}
    SCREENSHOTS.mkdir(exist_ok=True)
    with serve(site, prefix="/papers/") as base_url:
        for name, path in PAGES.items():
            page, _, errors = open_page(browser, base_url + path.replace("PAPER", paper), **options)
            assert errors == [], name
            image = page.screenshot(animations="disabled", caret="hide")
            page.close()
            write_if_changed(SCREENSHOTS / f"{name}-{width}-{scheme}.png", image)


def write_if_changed(path: Path, data: bytes) -> None:
    if not path.is_file() or path.read_bytes() != data:
        path.write_bytes(data)
