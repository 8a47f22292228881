"""Golden output: tests/golden/content builds into the committed tests/golden/expected
(Markdown and feeds). Any change in output shows as a diff here. After an intended change,
regenerate with ``UPDATE_GOLDEN=1 make test`` and review the diff in git."""

from __future__ import annotations

import difflib
import os
import shutil
from pathlib import Path

from generator.build import run_build

from conftest import ROOT, run_papers, tree_bytes

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


def test_golden_fixture_is_not_the_shipped_content():
    assert (GOLDEN / "content").resolve() != (ROOT / "content").resolve()


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
