"""Retries, waits and headers of the fetchers' HTTP GET, against a real local server."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from generator.errors import BuildError
from generator.fetch import transport
from generator.fetch.transport import FetchError, RetryPolicy, backoff_delay, get, parse_retry_after

from fetchserver import FixtureServer, Reply

POLICY = RetryPolicy(tries=4, timeout=0.5, backoff=1.0, max_wait=30.0)


@pytest.fixture
def server():
    with FixtureServer() as running:
        running.serve("/x", Reply(body="ok"))
        yield running


def test_retry_after_seconds_are_honoured(server):
    server.serve("/x", [Reply(429, headers={"Retry-After": "7"}), Reply(body="ok")])
    waits: list[float] = []
    answer = get(server.url + "/x", POLICY, sleep=waits.append)
    assert answer.text() == "ok"
    assert waits == [7.0]


def test_retry_after_as_an_http_date_is_honoured():
    now = datetime(2026, 6, 12, 6, 0, 0, tzinfo=UTC)
    later = format_datetime(now + timedelta(seconds=12), usegmt=True)
    assert parse_retry_after(later, now=now) == 12.0
    assert parse_retry_after(format_datetime(now - timedelta(seconds=5), usegmt=True), now) == 0
    assert parse_retry_after("soon", now) is None
    assert parse_retry_after(None, now) is None


def test_a_retry_after_longer_than_we_wait_gives_up_at_once(server):
    server.serve("/x", Reply(503, headers={"Retry-After": "3600"}))
    with pytest.raises(FetchError, match="asks to wait 3600s, more than the 30s"):
        get(server.url + "/x", POLICY, sleep=lambda _: None)
    assert len(server.asked("/x")) == 1


def test_waits_grow_exponentially_with_jitter(server):
    server.serve("/x", Reply(502))
    waits: list[float] = []
    with pytest.raises(FetchError, match="gave up after 4 tries; last: HTTP 502"):
        get(server.url + "/x", POLICY, sleep=waits.append, rng=lambda: 1.0)
    assert waits == [1.0, 2.0, 4.0]
    assert len(server.asked("/x")) == 4


def test_jitter_stays_within_half_to_full_step():
    policy = RetryPolicy(backoff=2.0, max_wait=10.0)
    assert backoff_delay(policy, 1, lambda: 0.0) == 1.0
    assert backoff_delay(policy, 1, lambda: 1.0) == 2.0
    assert backoff_delay(policy, 3, lambda: 0.5) == 6.0
    assert backoff_delay(policy, 10, lambda: 1.0) == 10.0  # capped


def test_every_request_names_the_project(server, monkeypatch):
    monkeypatch.setenv(transport.REPO_URL_ENV, "https://github.com/someone/papers")
    get(server.url + "/x", POLICY)
    agent = server.asked("/x")[0].headers["User-Agent"]
    assert agent.startswith("papers-site/")
    assert agent.endswith(" (+https://github.com/someone/papers)")


def test_a_fetch_error_is_a_build_error_for_the_cli():
    assert issubclass(FetchError, BuildError)
