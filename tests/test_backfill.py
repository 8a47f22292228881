"""``papers fetch hf --since`` (the backfill) and ``--recent`` (the refresh), against a local
server that serves real Hugging Face items page by page, with faults."""

from __future__ import annotations

import copy
import json
import os
import signal
import subprocess
import sys
import threading
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from generator.cli import main
from generator.fetch import backfill, hf
from generator.fetch.transport import FetchError, RetryPolicy

from fetchserver import FixtureServer, HubArchive, Reply, real_items

ROOT = Path(__file__).resolve().parent.parent
API = "/api/daily_papers"
ITEMS = real_items("2023-05", "2023-07")
FAST = ["--tries", "3", "--timeout", "2", "--backoff", "0.01", "--pace", "0"]
TOKEN = "hf_secretTOKENvalue123"


def day_of(item: dict) -> str:
    return item["paper"]["submittedOnDailyAt"][:10]


@pytest.fixture
def archive(monkeypatch):
    monkeypatch.setattr(hf, "PAGE_SIZE", 50)  # 259 papers in 2023-05: six pages
    monkeypatch.delenv("HF_TOKEN", raising=False)
    archive = HubArchive(copy.deepcopy(ITEMS))
    with FixtureServer() as server:
        server.serve(API, archive)
        archive.server = server  # type: ignore[attr-defined]
        yield archive


def run(archive, content: Path, capsys, *args: str) -> tuple[int, str, str]:
    argv = ["fetch", "hf", "--api-url", archive.server.url, "--content", str(content)]
    code = main([*argv, *FAST, *args])
    out, err = capsys.readouterr()
    return code, out, err


def stored_ids(content: Path) -> Counter[str]:
    """How often each paper id is stored, over every day file."""
    ids: Counter[str] = Counter()
    for path in sorted((content / "hf").glob("*.json")):
        items = json.loads(path.read_text(encoding="utf-8"))
        assert {day_of(i) for i in items} == {path.stem}  # each under its own day
        ids.update(hf.paper_id(i) for i in items)
    return ids


def status(content: Path) -> dict:
    path = content / "fetch-status.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def month_pages(archive, month: str) -> list[str]:
    return [s.query["p"] for s in archive.server.asked(API) if s.query.get("month") == month]


def test_backfill_stores_every_paper_once_under_its_day(archive, tmp_path, capsys):
    code, out, err = run(archive, tmp_path, capsys, "--since", "2023-05", "--until", "2023-07")
    assert (code, err) == (0, "")
    assert stored_ids(tmp_path) == Counter(hf.paper_id(i) for i in ITEMS)
    days = {day_of(i) for i in ITEMS}
    assert {p.stem for p in (tmp_path / "hf").glob("*.json")} == days
    assert month_pages(archive, "2023-05") == ["0", "1", "2", "3", "4", "5"]  # 259 = 5*50 + 9
    assert month_pages(archive, "2023-06") == ["0"]
    assert month_pages(archive, "2023-07") == ["0", "1", "2", "3"]
    assert all(s.query["limit"] == "50" for s in archive.server.asked(API))
    lines = out.splitlines()
    assert lines[0] == "2023-05: 259 papers on 23 days (259 new); 6 requests so far"
    assert lines[1] == "2023-06: 0 papers on 0 days (0 new); 7 requests so far"
    assert lines[2] == "2023-07: 185 papers on 22 days (185 new); 11 requests so far"
    assert lines[3].startswith("backfill 2023-05-01 to 2023-07-31: 3 months fetched, 444 papers")
    assert status(tmp_path)["hf_months"] == {
        "2023-05": ["2023-05-01", "2023-05-31"],
        "2023-06": ["2023-06-01", "2023-06-30"],
        "2023-07": ["2023-07-01", "2023-07-31"],
    }
    assert "hf" in status(tmp_path)["last_success"]
    assert "empty_days" not in status(tmp_path)


def test_a_range_within_months_stores_only_its_days(archive, tmp_path, capsys):
    code, out, _ = run(archive, tmp_path, capsys, "--since", "2023-05-20", "--until", "2023-07-05")
    assert code == 0
    stored = {p.stem for p in (tmp_path / "hf").glob("*.json")}
    assert stored == {d for d in map(day_of, ITEMS) if "2023-05-20" <= d <= "2023-07-05"}
    assert "outside the range" in out.splitlines()[0]
    assert status(tmp_path)["hf_months"]["2023-05"] == ["2023-05-20", "2023-05-31"]


def test_run_again_skips_the_months_it_completed(archive, tmp_path, capsys):
    run(archive, tmp_path, capsys, "--since", "2023-05", "--until", "2023-07")
    asked = len(archive.server.requests)
    code, out, _ = run(archive, tmp_path, capsys, "--since", "2023-05", "--until", "2023-07")
    assert code == 0
    assert len(archive.server.requests) == asked  # nothing asked again
    assert "skipping 3 months already imported: 2023-05, 2023-06, 2023-07" in out
    # A wider range asks only for what is new.
    code, out, _ = run(archive, tmp_path, capsys, "--since", "2023-04", "--until", "2023-07")
    assert code == 0
    assert [s.query.get("month") for s in archive.server.requests[asked:]] == ["2023-04"]


def test_a_month_not_over_yet_is_asked_again(archive, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("generator.fetch.today_utc", lambda: date(2023, 7, 20))
    run(archive, tmp_path, capsys, "--since", "2023-07")
    assert "hf_months" not in status(tmp_path)
    run(archive, tmp_path, capsys, "--since", "2023-07")
    assert month_pages(archive, "2023-07") == ["0", "1", "2", "3"] * 2


def test_429_with_the_hubs_ratelimit_header_waits_as_told(archive, tmp_path):
    limited = Reply(429, "rate limited", headers={"RateLimit": '"api";r=0;t=42'})
    archive.faults[("2023-05", 1)] = [limited]
    waits: list[float] = []
    policy = RetryPolicy(tries=3, timeout=2, backoff=0.01)
    client = hf.Client(archive.server.url, policy, pace=0, sleep=waits.append)
    backfill.backfill(tmp_path, date(2023, 5, 1), date(2023, 5, 31), client, date(2026, 1, 1))
    assert waits == [42.0]
    assert stored_ids(tmp_path) == Counter(hf.paper_id(i) for i in ITEMS[:259])


def test_requests_are_paced(archive, tmp_path):
    waits: list[float] = []
    client = hf.Client(archive.server.url, RetryPolicy(), pace=30.0, sleep=waits.append)
    client.items({"month": "2023-05"})
    assert len(waits) == 5  # before each page after the first
    assert all(25 < w <= 30 for w in waits)


def test_a_500_and_a_cut_off_page_are_asked_again(archive, tmp_path, capsys):
    archive.faults[("2023-05", 2)] = [Reply(500, "oops")]
    archive.faults[("2023-07", 1)] = [Reply(body=json.dumps(ITEMS[:50]), cut=True)]
    code, _, err = run(archive, tmp_path, capsys, "--since", "2023-05", "--until", "2023-07")
    assert (code, err) == (0, "")
    assert month_pages(archive, "2023-05") == ["0", "1", "2", "2", "3", "4", "5"]
    assert month_pages(archive, "2023-07") == ["0", "1", "1", "2", "3"]
    assert stored_ids(tmp_path) == Counter(hf.paper_id(i) for i in ITEMS)


def test_retries_used_up_stop_at_the_month_and_the_rerun_finishes(archive, tmp_path, capsys):
    archive.faults[("2023-07", 2)] = [Reply(503, "down")] * 3
    code, out, err = run(archive, tmp_path, capsys, "--since", "2023-05", "--until", "2023-07")
    assert code == 1
    assert err.count("\n") == 1
    assert err.startswith("papers: error: backfill stopped in 2023-07: ")
    assert "gave up after 3 tries; last: HTTP 503" in err
    assert "run the same command again" in err
    may = Counter(hf.paper_id(i) for i in ITEMS if day_of(i) < "2023-06")
    assert stored_ids(tmp_path) == may  # 2023-07: nothing, not a part
    assert set(status(tmp_path)["hf_months"]) == {"2023-05", "2023-06"}
    assert "last_success" not in status(tmp_path)  # no false fetch time
    code, out, err = run(archive, tmp_path, capsys, "--since", "2023-05", "--until", "2023-07")
    assert (code, err) == (0, "")
    assert "skipping 2 months already imported: 2023-05, 2023-06" in out
    assert stored_ids(tmp_path) == Counter(hf.paper_id(i) for i in ITEMS)


def _backfill_process(archive, content: Path, env: dict) -> subprocess.Popen:
    argv = [sys.executable, "-m", "generator", "fetch", "hf", "--since", "2023-05"]
    argv += ["--until", "2023-07", "--api-url", archive.server.url, "--content", str(content)]
    return subprocess.Popen(
        [*argv, *FAST], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


@pytest.mark.slow
@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM, signal.SIGINT])
def test_a_backfill_stopped_midway_leaves_whole_days_and_finishes_on_rerun(
    archive, tmp_path, how, monkeypatch
):
    monkeypatch.setattr(hf, "PAGE_SIZE", 100)  # the child asks 100 a page
    archive.hold[("2023-07", 1)] = held = threading.Event()
    archive.reached[("2023-07", 1)] = reached = threading.Event()
    env = {**os.environ, "HF_TOKEN": TOKEN}
    child = _backfill_process(archive, tmp_path, env)
    try:
        assert reached.wait(60), "the backfill never reached 2023-07"
        child.send_signal(how)
        out, err = child.communicate(timeout=60)
    finally:
        held.set()
        child.kill()
    may = Counter(hf.paper_id(i) for i in ITEMS if day_of(i) < "2023-06")
    assert stored_ids(tmp_path) == may  # every stored day whole, July untouched
    assert "last_success" not in status(tmp_path)
    assert not [p for p in tmp_path.rglob(".*") if p.is_file() and how != signal.SIGKILL]
    if how != signal.SIGKILL:
        assert child.returncode == 1
        assert err.count("\n") == 1, err
        name = "SIGTERM" if how == signal.SIGTERM else "SIGINT"
        assert err.startswith(f"papers: error: backfill stopped in 2023-07: interrupted ({name})")
    del archive.hold[("2023-07", 1)]
    rerun = _backfill_process(archive, tmp_path, env)
    out, err = rerun.communicate(timeout=120)
    assert (rerun.returncode, err) == (0, "")
    assert "skipping 2 months already imported" in out
    assert stored_ids(tmp_path) == Counter(hf.paper_id(i) for i in ITEMS)  # each exactly once
    assert TOKEN not in out + err


def test_the_token_is_sent_and_leaks_nowhere(archive, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("HF_TOKEN", TOKEN)
    code, out, err = run(archive, tmp_path, capsys, "--since", "2023-05", "--until", "2023-05")
    assert code == 0
    assert {s.headers.get("Authorization") for s in archive.server.asked(API)} == {
        f"Bearer {TOKEN}"
    }
    every_file = b"".join(p.read_bytes() for p in tmp_path.rglob("*") if p.is_file())
    assert TOKEN.encode() not in every_file
    assert TOKEN not in out + err
    # An answer that quotes the request back: the error names the URL, not the token.
    archive.server.serve(API, lambda q: Reply(body=f"<html>Bearer {TOKEN} denied</html>"))
    code, out, err = run(archive, tmp_path, capsys, "--since", "2023-07", "--until", "2023-07")
    assert code == 1
    assert "the answer is not JSON" in err
    assert TOKEN not in out + err
    assert "[HF_TOKEN]" in err


def test_without_a_token_no_authorization_is_sent(archive, tmp_path, capsys):
    run(archive, tmp_path, capsys, "--since", "2023-05", "--until", "2023-05")
    assert all("Authorization" not in s.headers for s in archive.server.asked(API))


def test_weeks_and_days_are_served_page_by_page(archive, monkeypatch):
    monkeypatch.setattr(hf, "PAGE_SIZE", 20)
    client = hf.Client(archive.server.url, RetryPolicy(tries=1), pace=0)
    week = client.items({"week": "2023-W21"})
    expected = [i for i in ITEMS if date.fromisoformat(day_of(i)).isocalendar()[:2] == (2023, 21)]
    assert [hf.paper_id(i) for i in week] == [hf.paper_id(i) for i in expected]
    assert 40 < len(week) < 60
    assert [s.query["p"] for s in archive.server.asked(API)] == ["0", "1", "2"]
    day = client.items({"date": "2023-05-24"})
    assert {day_of(i) for i in day} == {"2023-05-24"}


def test_bad_ranges_are_refused(archive, tmp_path, capsys):
    code, _, err = run(archive, tmp_path, capsys, "--since", "2023-07", "--until", "2023-05")
    assert code == 1
    assert "before --since" in err
    code, _, err = run(archive, tmp_path, capsys, "--since", "2023-05", "--recent", "3")
    assert code == 1
    assert "do not go together" in err
    with pytest.raises(SystemExit):
        run(archive, tmp_path, capsys, "--since", "May 2023")
    assert "expected YYYY-MM or YYYY-MM-DD" in capsys.readouterr().err


# --- Counts that settle: --recent ------------------------------------------------------


def test_a_refresh_updates_counts_and_keeps_every_paper(archive, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("generator.fetch.today_utc", lambda: date(2023, 7, 31))
    run(archive, tmp_path, capsys, "--since", "2023-07-27", "--until", "2023-07-28")
    path = tmp_path / "hf" / "2023-07-28.json"
    before = json.loads(path.read_text(encoding="utf-8"))
    before_text = path.read_text(encoding="utf-8")
    day = [i for i in archive.items if day_of(i) == "2023-07-28"]
    gone = day[0]
    for item in day:
        item["paper"]["upvotes"] += 100
    archive.items.remove(gone)
    code, out, err = run(archive, tmp_path, capsys, "--recent", "5")
    assert (code, err) == (0, "")
    asked = [s.query.get("date") for s in archive.server.asked(API) if "date" in s.query]
    assert asked == ["2023-07-27", "2023-07-28", "2023-07-29", "2023-07-30", "2023-07-31"]
    after = {hf.paper_id(i): i for i in json.loads(path.read_text(encoding="utf-8"))}
    assert set(after) == {hf.paper_id(i) for i in before}  # the day did not shrink
    for item in before:
        expected = item["paper"]["upvotes"] + (0 if hf.paper_id(item) == hf.paper_id(gone) else 100)
        assert after[hf.paper_id(item)]["paper"]["upvotes"] == expected
    # The diff is the changed counts, a line each.
    changed = [
        (a, b)
        for a, b in zip(before_text.splitlines(), path.read_text().splitlines(), strict=True)
        if a != b
    ]
    assert len(changed) == len(day) - 1
    assert all('"upvotes"' in a and '"upvotes"' in b for a, b in changed)
    assert out.splitlines()[-1].startswith("refreshed 5 days, 2023-07-27 to 2023-07-31")
    assert status(tmp_path)["empty_days"] == ["2023-07-29", "2023-07-30"]  # the weekend


def test_a_failed_refresh_names_the_day_and_records_no_success(
    archive, tmp_path, capsys, monkeypatch
):
    monkeypatch.setattr("generator.fetch.today_utc", lambda: date(2023, 7, 31))
    archive.server.serve(API, Reply(500, "down"))
    code, _, err = run(archive, tmp_path, capsys, "--recent", "2")
    assert code == 1
    assert err.startswith("papers: error: refresh stopped at 2023-07-30: ")
    assert status(tmp_path) == {}


def test_feed_ids_and_dates_do_not_change_when_counts_do(archive, tmp_path, capsys, monkeypatch):
    import feedparser

    from generator.corpus import read_corpus
    from generator.render.outputs import render_site
    from generator.settings import Settings

    def feed_entries(name: str) -> dict[str, tuple]:
        files = {str(k): v for k, v in render_site(read_corpus(tmp_path), Settings()).files.items()}
        parsed = feedparser.parse(files[name])
        return {e.id: (e.get("published"), e.get("updated")) for e in parsed.entries}

    run(archive, tmp_path, capsys, "--since", "2023-07-24", "--until", "2023-07-28")
    before = feed_entries("atom.xml")
    for item in archive.items:
        item["paper"]["upvotes"] = item["paper"]["upvotes"] * 3 + 7
        item["numComments"] = item.get("numComments", 0) + 5
    monkeypatch.setattr("generator.fetch.today_utc", lambda: date(2023, 7, 28))
    assert run(archive, tmp_path, capsys, "--recent", "5")[0] == 0
    assert feed_entries("atom.xml") == before


# --- Storage ------------------------------------------------------------------------------


def test_stored_days_are_small_and_read_as_the_raw_answers(tmp_path):
    from dataclasses import replace

    from generator.readers.hf_json import read_hf_json

    raw_path, slim_path = tmp_path / "raw.json", tmp_path / "slim.json"
    raw_path.write_text(json.dumps(ITEMS, indent=1), encoding="utf-8")
    slim_path.write_text(hf.dump_items(ITEMS), encoding="utf-8")
    raw, slim = read_hf_json(raw_path, "x"), read_hf_json(slim_path, "x")
    assert raw.warnings == slim.warnings == []
    key = hf.paper_id

    def comparable(result):
        return sorted((replace(p, line=0, rank=0) for p in result.papers), key=lambda p: p.arxiv_id)

    assert comparable(raw) == comparable(slim)
    # Stored as the fetch stores them, a file a day: at most 3,000 bytes a paper on average.
    by_day: dict[str, list[dict]] = {}
    for item in ITEMS:
        by_day.setdefault(day_of(item), []).append(item)
    size = sum(len(hf.dump_items(items).encode()) for items in by_day.values())
    assert size / len(ITEMS) <= 3000, size / len(ITEMS)
    assert hf.dump_items(json.loads(hf.dump_items(ITEMS))) == hf.dump_items(ITEMS)  # idempotent
    assert sorted(map(key, json.loads(hf.dump_items(ITEMS)))) == sorted(map(key, ITEMS))


def test_an_old_raw_day_file_is_slimmed_when_a_fetch_rewrites_it(tmp_path):
    day = [i for i in ITEMS if day_of(i) == "2023-05-24"]
    path = tmp_path / "hf" / "2023-05-24.json"
    path.parent.mkdir()
    path.write_text(json.dumps(day, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    result = hf.store_day(tmp_path, date(2023, 5, 24), day[:3])
    assert result.changed
    assert path.read_text(encoding="utf-8") == hf.dump_items(day)


def test_parse_since_and_until():
    assert backfill.parse_since("2023-05") == date(2023, 5, 1)
    assert backfill.parse_until("2024-02") == date(2024, 2, 29)
    assert backfill.parse_until("2024-02-10") == date(2024, 2, 10)
    with pytest.raises(ValueError):
        backfill.parse_since("2023-13")
    spans = backfill.month_spans(date(2023, 12, 30), date(2024, 1, 2))
    assert [(s.month, s.first.day, s.last.day) for s in spans] == [
        ("2023-12", 30, 31),
        ("2024-01", 1, 2),
    ]


def test_a_fetch_error_is_raised_by_the_client_for_a_bad_answer(archive):
    archive.server.serve(API, lambda q: Reply(body='{"error": "no"}'))
    with pytest.raises(FetchError, match="expected a JSON list"):
        hf.Client(archive.server.url, RetryPolicy(tries=1), pace=0).items({"month": "2023-05"})
