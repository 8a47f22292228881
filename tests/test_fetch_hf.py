"""``papers fetch hf`` against a real local HTTP server serving recorded answers."""

from __future__ import annotations

import copy
import json
import socket
import time
from datetime import date
from pathlib import Path

import pytest

from generator.cli import main
from generator.fetch import hf
from generator.fetch.transport import RetryPolicy
from generator.readers.hf_json import read_hf_json

from fetchserver import FIXTURES, FixtureServer, Reply

DAY = "2026-06-12"
API = "/api/daily_papers"
RECORDED = json.loads((FIXTURES / "hf_daily_papers_2026-06-12.json").read_text(encoding="utf-8"))
FAST = ["--tries", "3", "--timeout", "0.3", "--backoff", "0.01"]


@pytest.fixture
def server():
    with FixtureServer() as running:
        yield running


def fetch_hf(capsys, server: FixtureServer, content: Path, *extra: str) -> tuple[int, str, str]:
    argv = ["fetch", "hf", "--date", DAY, "--api-url", server.url, "--content", str(content)]
    code = main([*argv, *FAST, *extra])
    out, err = capsys.readouterr()
    return code, out, err


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def stored(content: Path) -> list[dict]:
    return json.loads((content / "hf" / f"{DAY}.json").read_text(encoding="utf-8"))


def test_fetch_stores_the_day_as_the_reader_reads_it(capsys, server, tmp_path):
    server.serve(API, Reply.fixture("hf_daily_papers_2026-06-12.json"))
    code, out, err = fetch_hf(capsys, server, tmp_path)
    assert (code, err) == (0, "")
    assert "30 papers (30 fetched, 30 new)" in out
    path = tmp_path / "hf" / f"{DAY}.json"
    items = stored(tmp_path)
    assert [i["paper"]["id"] for i in items] == sorted(i["paper"]["id"] for i in RECORDED)
    slim = sorted((hf.slim_item(i) for i in RECORDED), key=hf.paper_id)
    assert sorted(items, key=hf.paper_id) == slim  # the API's items, cut to what is read
    assert path.read_text(encoding="utf-8") == hf.dump_items(RECORDED)
    result = read_hf_json(path, "content/hf/2026-06-12.json")
    assert result.warnings == []
    assert {p.arxiv_id for p in result.papers} == {i["paper"]["id"] for i in RECORDED}
    assert {p.day for p in result.papers} == {date(2026, 6, 12)}
    by_id = {p.arxiv_id: p for p in result.papers}
    first = RECORDED[0]["paper"]
    assert by_id[first["id"]].title == first["title"]


def test_request_names_the_day_the_page_and_the_project(capsys, server, tmp_path):
    server.serve(API, Reply.fixture("hf_daily_papers_2026-06-12.json"))
    fetch_hf(capsys, server, tmp_path)
    [seen] = server.asked(API)
    assert seen.query == {"date": DAY, "limit": "100", "p": "0"}
    assert seen.headers["User-Agent"].startswith("papers-site/")


def test_success_is_recorded_in_the_fetch_status(capsys, server, tmp_path):
    (tmp_path / "fetch-status.json").write_text(
        '{"last_success": {"arxiv": "2026-01-01T00:00:00Z"}}'
    )
    server.serve(API, Reply.fixture("hf_daily_papers_2026-06-12.json"))
    fetch_hf(capsys, server, tmp_path)
    text = (tmp_path / "fetch-status.json").read_text(encoding="utf-8")
    status = json.loads(text)
    assert status["last_success"]["arxiv"] == "2026-01-01T00:00:00Z"
    assert len(status["last_success"]["hf"]) == len("2026-06-12T06:01:02Z")
    assert status["last_success"]["hf"].endswith("Z")
    assert text == json.dumps(status, indent=2, sort_keys=True) + "\n"


def test_pages_are_followed_until_a_short_page(capsys, server, tmp_path, monkeypatch):
    monkeypatch.setattr(hf, "PAGE_SIZE", 10)
    items = RECORDED[:25]
    server.serve(API, lambda q: Reply(body=json.dumps(items[int(q["p"]) * 10 :][:10])))
    code, _out, _ = fetch_hf(capsys, server, tmp_path)
    assert code == 0
    assert [s.query["p"] for s in server.asked(API)] == ["0", "1", "2"]
    assert [s.query["limit"] for s in server.asked(API)] == ["10"] * 3
    assert len(stored(tmp_path)) == 25


def test_an_exactly_full_last_page_ends_with_an_empty_page(capsys, server, tmp_path, monkeypatch):
    monkeypatch.setattr(hf, "PAGE_SIZE", 10)
    server.serve(API, lambda q: Reply(body=json.dumps(RECORDED[int(q["p"]) * 10 :][:10])))
    assert fetch_hf(capsys, server, tmp_path)[0] == 0
    assert [s.query["p"] for s in server.asked(API)] == ["0", "1", "2", "3"]
    assert len(stored(tmp_path)) == 30


def test_a_server_ignoring_pages_is_not_asked_forever(capsys, server, tmp_path, monkeypatch):
    monkeypatch.setattr(hf, "PAGE_SIZE", 10)
    server.serve(API, Reply(body=json.dumps(RECORDED[:10])))
    assert fetch_hf(capsys, server, tmp_path)[0] == 0
    assert len(server.asked(API)) == 2
    assert len(stored(tmp_path)) == 10


def test_429_then_200_is_retried(capsys, server, tmp_path):
    server.serve(
        API,
        [
            Reply(429, "slow down", headers={"Retry-After": "0"}),
            Reply.fixture("hf_daily_papers_2026-06-12.json"),
        ],
    )
    code, _out, err = fetch_hf(capsys, server, tmp_path)
    assert (code, err) == (0, "")
    assert len(server.asked(API)) == 2
    assert len(stored(tmp_path)) == 30


def test_500_forever_gives_up_with_one_line_and_content_unchanged(capsys, server, tmp_path):
    server.serve(API, Reply.fixture("hf_daily_papers_2026-06-12.json"))
    fetch_hf(capsys, server, tmp_path)
    before = snapshot(tmp_path)
    server.serve(API, Reply(500, "oops"))
    code, out, err = fetch_hf(capsys, server, tmp_path)
    assert code == 1
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith("papers: error: ")
    assert "gave up after 3 tries; last: HTTP 500" in err
    assert len(server.asked(API)) == 1 + 3
    assert snapshot(tmp_path) == before


def test_a_client_error_is_not_retried(capsys, server, tmp_path):
    server.serve(API, Reply(404, "not here"))
    code, _, err = fetch_hf(capsys, server, tmp_path)
    assert code == 1
    assert "HTTP 404" in err
    assert len(server.asked(API)) == 1
    assert snapshot(tmp_path) == {}


def test_an_empty_answer_writes_nothing_and_says_so(capsys, server, tmp_path):
    server.serve(API, Reply(body="[]"))
    code, out, err = fetch_hf(capsys, server, tmp_path)
    assert (code, err) == (0, "")
    assert "no papers listed for 2026-06-12" in out
    assert "nothing written" in out
    assert not (tmp_path / "hf").exists()
    assert set(snapshot(tmp_path)) == {"fetch-status.json"}


def test_an_empty_answer_keeps_the_stored_day(capsys, server, tmp_path):
    server.serve(API, Reply.fixture("hf_daily_papers_2026-06-12.json"))
    fetch_hf(capsys, server, tmp_path)
    before = (tmp_path / "hf" / f"{DAY}.json").read_bytes()
    server.serve(API, Reply(body="[]"))
    assert fetch_hf(capsys, server, tmp_path)[0] == 0
    assert (tmp_path / "hf" / f"{DAY}.json").read_bytes() == before


def test_a_partial_list_keeps_the_union_and_takes_newer_data(capsys, server, tmp_path):
    server.serve(API, Reply.fixture("hf_daily_papers_2026-06-12.json"))
    fetch_hf(capsys, server, tmp_path)
    partial = copy.deepcopy(RECORDED[:5])
    for item in partial:
        item["paper"]["upvotes"] = 999
    server.serve(API, Reply(body=json.dumps(partial)))
    code, out, _ = fetch_hf(capsys, server, tmp_path)
    assert code == 0
    assert "30 papers (5 fetched, 0 new, 25 kept from before)" in out
    items = {i["paper"]["id"]: i for i in stored(tmp_path)}
    assert len(items) == 30
    assert {items[i["paper"]["id"]]["paper"]["upvotes"] for i in partial} == {999}


def test_a_refetch_with_nothing_new_leaves_the_file_alone(capsys, server, tmp_path):
    server.serve(API, Reply.fixture("hf_daily_papers_2026-06-12.json"))
    fetch_hf(capsys, server, tmp_path)
    path = tmp_path / "hf" / f"{DAY}.json"
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    code, out, _ = fetch_hf(capsys, server, tmp_path)
    assert code == 0
    assert "unchanged" in out
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


def test_a_slow_answer_times_out_and_is_retried(capsys, server, tmp_path):
    server.serve(
        API,
        [Reply(delay=1.0, body="[]"), Reply.fixture("hf_daily_papers_2026-06-12.json")],
    )
    started = time.monotonic()
    code, _, err = fetch_hf(capsys, server, tmp_path)
    assert (code, err) == (0, "")
    assert time.monotonic() - started < 0.9
    assert len(stored(tmp_path)) == 30


def test_always_slow_gives_up_without_writing(capsys, server, tmp_path):
    server.serve(API, Reply(delay=1.0, body="[]"))
    started = time.monotonic()
    code, _, err = fetch_hf(capsys, server, tmp_path, "--tries", "2", "--timeout", "0.2")
    assert code == 1
    assert "gave up after 2 tries; last: no answer within 0.2s" in err
    assert time.monotonic() - started < 0.9
    assert snapshot(tmp_path) == {}


def test_a_refused_connection_is_retried_then_reported(capsys, tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    argv = ["fetch", "hf", "--date", DAY, "--api-url", f"http://127.0.0.1:{port}"]
    code = main([*argv, "--content", str(tmp_path), *FAST])
    _, err = capsys.readouterr()
    assert code == 1
    assert "gave up after 3 tries; last: connection failed" in err


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("<html>maintenance</html>", "the answer is not JSON"),
        ('{"error": "Invalid date"}', "expected a JSON list"),
        ('[{"title": "no paper"}]', "item 0 has no paper.id"),
    ],
)
def test_an_odd_answer_is_an_error(capsys, server, tmp_path, body, message):
    server.serve(API, Reply(body=body))
    code, _, err = fetch_hf(capsys, server, tmp_path)
    assert code == 1
    assert message in err
    assert snapshot(tmp_path) == {}


def test_the_api_url_can_come_from_the_environment(capsys, server, tmp_path, monkeypatch):
    monkeypatch.setenv("PAPERS_HF_API_URL", server.url + "/")
    server.serve(API, Reply.fixture("hf_daily_papers_2026-06-12.json"))
    code = main(["fetch", "hf", "--date", DAY, "--content", str(tmp_path), *FAST])
    assert code == 0
    assert len(server.asked(API)) == 1


def test_the_date_defaults_to_today_in_utc(capsys, server, tmp_path, monkeypatch):
    monkeypatch.setattr("generator.fetch.today_utc", lambda: date(2026, 6, 12))
    server.serve(API, Reply.fixture("hf_daily_papers_2026-06-12.json"))
    code = main(["fetch", "hf", "--api-url", server.url, "--content", str(tmp_path), *FAST])
    assert code == 0
    assert server.asked(API)[0].query["date"] == DAY


def test_a_bad_date_is_a_usage_error(capsys, tmp_path):
    with pytest.raises(SystemExit) as exit_:
        main(["fetch", "hf", "--date", "12/06/2026", "--content", str(tmp_path)])
    assert exit_.value.code == 2
    assert "expected YYYY-MM-DD" in capsys.readouterr().err


def test_an_empty_past_day_is_recorded_and_shown_as_a_day_without_papers(capsys, server, tmp_path):
    from generator.corpus import read_corpus
    from generator.render.outputs import render_site
    from generator.settings import Settings

    server.serve(API, Reply.fixture("hf_daily_papers_2026-06-12.json"))
    fetch_hf(capsys, server, tmp_path)
    server.serve(API, Reply(body="[]"))
    argv = ["fetch", "hf", "--date", "2026-06-13", "--api-url", server.url]
    assert main([*argv, "--content", str(tmp_path), *FAST]) == 0
    assert "recorded as a day with no papers" in capsys.readouterr().out
    status = json.loads((tmp_path / "fetch-status.json").read_text(encoding="utf-8"))
    assert status["empty_days"] == ["2026-06-13"]
    assert not (tmp_path / "hf" / "2026-06-13.json").exists()
    corpus = read_corpus(tmp_path)
    assert corpus.days[date(2026, 6, 13)] == []
    page = render_site(corpus, Settings()).files
    day_page = next(v for k, v in page.items() if str(k) == "days/2026-06-13.md")
    assert b"No papers listed that day." in day_page


def test_an_empty_answer_for_today_is_not_a_day_without_papers(capsys, server, tmp_path):
    server.serve(API, Reply(body="[]"))
    policy = RetryPolicy(tries=1, timeout=1.0, backoff=0.01)
    line = hf.fetch_hf(tmp_path, date(2026, 6, 12), server.url, policy, today=date(2026, 6, 12))
    assert "recorded" not in line
    status = json.loads((tmp_path / "fetch-status.json").read_text(encoding="utf-8"))
    assert "empty_days" not in status
