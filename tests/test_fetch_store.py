"""Storing fetched days: atomic writes, unions and the fetch status."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

from generator.fetch.store import record_success, union_by_key, utc_timestamp, write_atomic


def test_write_atomic_leaves_no_temporary_file(tmp_path):
    path = tmp_path / "hf" / "2026-06-12.json"
    assert write_atomic(path, "[]\n") is True
    assert write_atomic(path, "[]\n") is False
    assert [p.name for p in path.parent.iterdir()] == ["2026-06-12.json"]
    assert path.stat().st_mode & 0o777 == 0o644


def test_union_prefers_fetched_data_and_counts():
    stored = [{"id": "a", "v": 1}, {"id": "b", "v": 1}]
    fetched = [{"id": "b", "v": 2}, {"id": "c", "v": 2}]
    merged = union_by_key(stored, fetched, lambda item: item["id"])
    assert merged.items == [{"id": "a", "v": 1}, {"id": "b", "v": 2}, {"id": "c", "v": 2}]
    assert (merged.added, merged.kept) == (1, 1)


def test_timestamps_are_utc_to_the_second():
    moment = datetime(2026, 6, 12, 8, 1, 2, 999, tzinfo=timezone(timedelta(hours=2)))
    assert utc_timestamp(moment) == "2026-06-12T06:01:02Z"


def test_record_success_keeps_other_sources_and_repairs_a_broken_file(tmp_path):
    (tmp_path / "fetch-status.json").write_text("{not json")
    record_success(tmp_path, "arxiv", datetime(2026, 6, 11, tzinfo=UTC))
    record_success(tmp_path, "hf", datetime(2026, 6, 12, 6, 1, 2, tzinfo=UTC))
    text = (tmp_path / "fetch-status.json").read_text(encoding="utf-8")
    assert json.loads(text) == {
        "last_success": {"arxiv": "2026-06-11T00:00:00Z", "hf": "2026-06-12T06:01:02Z"}
    }
    assert text.endswith("}\n")
