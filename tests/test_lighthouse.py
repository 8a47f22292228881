"""Lighthouse (npm, pinned in package-lock.json) on Debian's chromium, mobile (its default
form factor, simulated throttling), against the shipped site served from 127.0.0.1 with
gzip as GitHub Pages serves it: home, a tag page and a paper page score 100 in
accessibility, best practices and SEO, and at least 90 in performance.

Performance is measured under simulated throttling, but the page's main-thread work is
still timed on this machine, which other jobs share: a page that falls short is measured
again, up to three runs, and the best run counts. The other categories do not depend on
timing and must be 100 on every run. What fails is fixed in overrides/ or mkdocs.yml,
never by skipping audits."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from browsing import CHROMIUM, serve
from conftest import ROOT

pytestmark = [pytest.mark.browser, pytest.mark.node]

LIGHTHOUSE = ROOT / "node_modules" / "lighthouse" / "cli" / "index.js"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TARGETS = {"performance": 90, "accessibility": 100, "best-practices": 100, "seo": 100}
RUNS = 3
# chrome-launcher adds its own flags against background traffic and first-run dialogs.
FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-quic"


@pytest.fixture(scope="module")
def base_url(shipped_site: Path) -> Iterator[str]:
    with serve(shipped_site / "site", prefix="/papers/", gzip=True) as url:  # site_url's path
        yield url


def lighthouse(url: str, report: Path) -> dict[str, object]:
    """One Lighthouse run of ``url``: its report as JSON."""
    if not LIGHTHOUSE.is_file():
        pytest.fail("lighthouse is not installed: run `npm ci` in the repository root")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is needed for Lighthouse: apt-get install chromium")
    command = ["node", str(LIGHTHOUSE), url, "--quiet", "--output=json",
               f"--output-path={report}", f"--chrome-flags={FLAGS}",
               f"--only-categories={','.join(CATEGORIES)}"]  # fmt: skip
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    data: dict[str, object] = json.loads(report.read_text(encoding="utf-8"))
    return data


def scores(report: dict) -> dict[str, int]:
    return {name: round(report["categories"][name]["score"] * 100) for name in CATEGORIES}


def shortfalls(report: dict) -> list[str]:
    """The weighted audits of each category that did not pass, to say why a score is low."""
    found = []
    for name, category in report["categories"].items():
        for ref in category["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                found.append(f"{name}: {ref['id']} {audit.get('displayValue', '')}".strip())
    return found


@pytest.mark.parametrize("path", ["", "tags/llm/", "papers/PAPER/"])
def test_lighthouse_scores(base_url, shipped_site, tmp_path, path):
    paper = sorted((shipped_site / "site" / "papers").iterdir())[0].name
    url = base_url + path.replace("PAPER", paper)
    runs = []
    for number in range(RUNS):
        report = lighthouse(url, tmp_path / f"report-{number}.json")
        runs.append(scores(report))
        others = {k: v for k, v in runs[-1].items() if k != "performance"}
        assert others == {k: TARGETS[k] for k in others}, shortfalls(report)
        if runs[-1]["performance"] >= TARGETS["performance"]:
            break
    print(f"{path or 'home'}: {runs}")
    assert max(r["performance"] for r in runs) >= TARGETS["performance"], (runs, shortfalls(report))


def test_robots_txt_names_the_sitemap(shipped_site):
    robots = (shipped_site / "site" / "robots.txt").read_text(encoding="utf-8")
    assert robots == "User-agent: *\nAllow: /\nSitemap: https://example.org/papers/sitemap.xml\n"
