"""Golden output: tests/golden/content builds into the committed tests/golden/expected
(Markdown and feeds). Any change in output shows as a diff here. After an intended change,
regenerate with ``UPDATE_GOLDEN=1 make test`` and review the diff in git."""

from __future__ import annotations

import difflib
import email
import email.policy
import json
import os
import shutil
from pathlib import Path

from lxml import html as lhtml

from generator.build import run_build

from conftest import run_papers, tree_bytes

GOLDEN = Path(__file__).resolve().parent / "golden"

CONFIG = """\
site_name: Golden Papers
site_url: https://golden.example.org/sub/
site_description: A fixture site.
extra:
  papers:
    feed_size: 3
    tag_page_size: 1     # small, so that tag pages paginate
    days_per_archive: 2  # small, so that the day archive splits by year
    day_page_size: 1     # small, so that a day paginates
"""


def test_golden_output(tmp_path):
    config = tmp_path / "mkdocs.yml"
    config.write_text(CONFIG, encoding="utf-8")
    summary = run_build(GOLDEN / "content", tmp_path / "docs", config)
    assert (summary.papers_read, summary.pages_written, summary.duplicates_merged) == (6, 4, 2)
    actual = tree_bytes(tmp_path / "docs")
    expected_dir = GOLDEN / "expected"
    if os.environ.get("UPDATE_GOLDEN"):
        shutil.rmtree(expected_dir, ignore_errors=True)
        shutil.copytree(tmp_path / "docs", expected_dir)
    expected = tree_bytes(expected_dir)
    assert sorted(actual) == sorted(expected)
    for name in sorted(expected):
        if actual[name] != expected[name]:
            diff = difflib.unified_diff(
                expected[name].decode().splitlines(),
                actual[name].decode().splitlines(),
                f"expected/{name}",
                f"actual/{name}",
                lineterm="",
            )
            raise AssertionError("\n".join(list(diff)[:60]))


def _markup(path: Path):
    """A generated Markdown page's raw HTML (front matter left out), parsed."""
    text = path.read_text(encoding="utf-8").split("---\n\n", 1)[-1]
    return lhtml.fragment_fromstring(text, create_parent="div")


def test_golden_fixtures_exercise_every_render_path():
    """The golden tree guards the bytes of each way a paper is rendered (cards, paper
    pages, feed entries, digests, email) only if the fixtures reach each of them, hostile
    text included."""
    expected = GOLDEN / "expected"
    day = _markup(expected / "days" / "2025-06-09" / "page" / "2" / "index.md")
    day_one = _markup(expected / "days" / "2025-06-09.md")
    for part in ("abstract", "tldr", "links", "upvotes", "authors"):
        selector = f".paper-card__{part}"
        assert day.cssselect(selector) or day_one.cssselect(selector), part
    compact = _markup(expected / "tags" / "llm" / "index.md").cssselect("article.paper-card")
    assert compact and not any(card.cssselect(".paper-card__abstract") for card in compact)
    page = _markup(expected / "papers" / "2506.00002.md")
    assert "<b>vision</b>" in page.cssselect(".paper-tldr")[0].text_content()
    assert not page.cssselect(".paper-tldr b") and page.cssselect(".paper-tag-reason")
    entries = json.loads((expected / "feed.json").read_text(encoding="utf-8"))["items"]
    content = lhtml.fragment_fromstring(entries[0]["content_html"], create_parent="div")
    assert content.cssselect('a[href^="https://golden.example.org/sub/papers/"]')
    assert content.cssselect('ul a[href^="https://golden.example.org/sub/tags/"]')
    digest = json.loads((expected / "digest" / "feed.json").read_text(encoding="utf-8"))
    items = lhtml.fragment_fromstring(digest["items"][0]["content_html"], create_parent="div")
    assert len(items.cssselect("ol > li")) >= 2 and "<b>vision</b>" in items.text_content()
    mail = email.message_from_bytes(
        (GOLDEN / "email" / "2025-06-06.eml").read_bytes(), policy=email.policy.default
    )
    rows = lhtml.document_fromstring(mail.get_body(("html",)).get_content())
    titles = [p.text_content() for p in rows.cssselect("td > p:first-child")]
    assert [t[:3] for t in titles if t[:1].isdigit()][:2] == ["1. ", "2. "]
    text = mail.get_body(("plain",)).get_content()
    assert text.count("https://golden.example.org/sub/papers/") >= 2


def test_golden_email(tmp_path):
    """The digest mail of a golden day (hostile titles included), byte for byte: the
    message has no clock and no random boundary (``generator/mail.py``)."""
    config = tmp_path / "mkdocs.yml"
    config.write_text(CONFIG, encoding="utf-8")
    out = tmp_path / "digest.eml"
    result = run_papers(
        "email", "--date", "2025-06-06", "--out", out,
        "--content", GOLDEN / "content", "--config", config,
        env={**os.environ, "PAPERS_SMTP_FROM": "digest@golden.example.org",
             "PAPERS_SMTP_TO": "reader@golden.example.org"},
    )
    assert result.returncode == 0, result.stderr
    expected = GOLDEN / "email" / "2025-06-06.eml"
    if os.environ.get("UPDATE_GOLDEN"):
        expected.parent.mkdir(exist_ok=True)
        shutil.copy(out, expected)
    assert out.read_bytes() == expected.read_bytes()
