"""Valid HTML: the Nu Html Checker (npm vnu-jar, pinned; run with the machine's Java) finds
no error in any page of the shipped site, nor of a synthetic site of 1,000 papers (paged tag
listings, upvotes, code links, many days), but one it cannot avoid, listed below with why."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from conftest import ROOT

pytestmark = [pytest.mark.java, pytest.mark.node]

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

#: Errors that come only from the theme's markup and cannot be overridden cleanly, by exact
#: message, with the markup they may point at.
ALLOWED = {
    (
        "Attribute “autocomplete” is only allowed when the input type is “color”, “date”, "
        "“datetime-local”, “email”, “hidden”, “month”, “number”, “password”, “range”, "
        "“search”, “tel”, “text”, “time”, “url”, or “week”."
    ): (
        # Material's two toggles (drawer, search), written in its base.html outside any
        # block: autocomplete="off" keeps Firefox from restoring them open after Back.
        '<input class="md-toggle" data-md-toggle='
    ),
}


@pytest.mark.parametrize(("corpus", "least"), [("shipped", 100), ("thousand", 1000)])
def test_every_page_is_valid_html(request, corpus, least):
    java = shutil.which("java")
    if java is None:
        pytest.fail("Java is needed for the Nu Html Checker: apt-get install default-jre-headless")
    if not VNU.is_file():
        pytest.fail("vnu-jar is not installed: run `npm ci` in the repository root")
    site = request.getfixturevalue(f"{corpus}_site") / "site"
    command = [java, "-jar", str(VNU), "--skip-non-html", "--errors-only", "--format", "json"]
    result = subprocess.run([*command, str(site)], capture_output=True, text=True, check=False)
    messages = json.loads(result.stderr or result.stdout)["messages"]
    pages = len(list(site.rglob("*.html")))
    assert pages > least
    unexpected = [
        f"{m.get('url', '').rsplit('/site/', 1)[-1]}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if not (m["message"] in ALLOWED and ALLOWED[m["message"]] in m.get("extract", ""))
    ]
    assert unexpected == []
    allowed = [m for m in messages if m["message"] in ALLOWED]
    assert len(allowed) <= 2 * pages  # the two toggles of each page, nothing more
