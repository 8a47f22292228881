"""Feeds: the feedgen traps (STYLE.md) pinned down, and what the W3C validator checks."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone

from lxml import etree

from generator.model import Paper, TagMatch
from generator.render.feeds import (
    FeedSpec,
    entry_updated,
    hex_escape_rss,
    paper_feed,
    render_atom,
    render_rss,
)
from generator.render.listings import top_of_each_day
from generator.settings import Settings

from conftest import build_site, read_feed

ATOM = "{http://www.w3.org/2005/Atom}"
SETTINGS = Settings(site_url="https://feeds.example.org/", feed_size=3)


def paper(pid, day, rank, title="T", **kw):
    return Paper(
        id=pid,
        title=title,
        abstract=kw.pop("abstract", "Abstract."),
        days=(day,),
        rank=rank,
        sources=("x",),
        **kw,
    )


PAPERS = (
    paper("old", date(2025, 6, 1), 0),
    paper("b", date(2025, 6, 6), 1, title="Tom & Jerry <3", tags=(TagMatch("llm", "r"),)),
    paper("a", date(2025, 6, 6), 0, authors=("Ada Lovelace",)),
    paper("c", date(2025, 6, 6), 2),
)
TITLES = {"llm": "Language models"}
SPEC = paper_feed(SETTINGS, "Site", "Sub", "", "", PAPERS, TITLES)


def test_entry_dates_come_from_day_and_rank():
    assert entry_updated(PAPERS[2]) == datetime(2025, 6, 6, 11, 59, 59, tzinfo=UTC)
    assert entry_updated(PAPERS[1]) == datetime(2025, 6, 6, 11, 59, 58, tzinfo=UTC)


def test_atom_newest_first_distinct_updated_and_no_clock():
    root = etree.fromstring(render_atom(SETTINGS, SPEC, None))
    entries = root.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}id") for e in entries] == [
        "tag:feeds.example.org,2025-06-06:/papers/a/",
        "tag:feeds.example.org,2025-06-06:/papers/b/",
        "tag:feeds.example.org,2025-06-06:/papers/c/",
    ]  # feed_size=3 keeps the newest three, appended in order
    updated = [e.findtext(f"{ATOM}updated") for e in entries]
    assert len(set(updated)) == len(updated)
    assert root.findtext(f"{ATOM}updated") == "2025-06-06T11:59:59+00:00"
    for entry in entries:
        links = entry.findall(f"{ATOM}link")
        assert len(links) == 1 and links[0].get("href").startswith("https://feeds.example.org/")
        assert entry.find(f"{ATOM}content").get("type") == "html"
    self_link = root.find(f"{ATOM}link[@rel='self']").get("href")
    assert self_link == "https://feeds.example.org/atom.xml"


def test_rss_channel_link_dates_and_hex_references():
    xml = render_rss(SETTINGS, SPEC, None)
    assert b"&amp;" not in xml and b"&lt;" not in xml
    assert b"<title>Tom &#x26; Jerry &#x3C;3</title>" in xml
    channel = etree.fromstring(xml).find("channel")
    assert channel.findtext("link") == "https://feeds.example.org/"
    assert channel.findtext("lastBuildDate") == "Fri, 06 Jun 2025 11:59:59 +0000"
    guids = [i.findtext("guid") for i in channel.findall("item")]
    assert guids[0] == "tag:feeds.example.org,2025-06-06:/papers/a/"
    assert channel.find("item/{http://purl.org/dc/elements/1.1/}creator").text == "Ada Lovelace"


def test_hex_escape_is_the_same_xml():
    original = b"<a>x &amp; &lt;y&gt;</a>"
    assert etree.fromstring(hex_escape_rss(original)).text == etree.fromstring(original).text


def test_feeds_are_byte_identical_across_renders():
    assert render_atom(SETTINGS, SPEC, None) == render_atom(SETTINGS, SPEC, None)
    assert render_rss(SETTINGS, SPEC, None) == render_rss(SETTINGS, SPEC, None)


def test_empty_feed_is_valid_and_dated_from_data():
    empty = FeedSpec("Empty", "Nothing", "tags/x/", "tags/x/", ())
    root = etree.fromstring(render_atom(SETTINGS, empty, date(2025, 6, 6)))
    assert root.findtext(f"{ATOM}updated") == "2025-06-06T11:59:59+00:00"


def test_built_feeds_parse_and_hold_one_entry_per_paper(tmp_path):
    files = {
        "2025-06-06.txt": "Jun 6\n\nLanguage Model Title\n\nA language model abstract.\n",
        "2025-06-07.yaml": "date: 2025-06-07\npapers:\n  - title: Language model title\n"
        "    abstract: again\n",
    }
    project, _ = build_site(tmp_path, files, site=False)
    docs = project / "docs"
    for name in ["atom.xml", "rss.xml", "tags/llm/atom.xml", "tags/llm/rss.xml"]:
        parsed = read_feed(docs / name)
        assert len(parsed.entries) == 1, name
        assert parsed.entries[0].link == "https://papers.example.org/papers/language-model-title/"
    feed = json.loads((docs / "feed.json").read_text(encoding="utf-8"))
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["feed_url"] == "https://papers.example.org/feed.json"
    assert [i["id"] for i in feed["items"]] == [
        "tag:papers.example.org,2025-06-06:/papers/language-model-title/"
    ]
    assert feed["items"][0]["tags"] == ["Large language models"]


def test_entries_fall_on_their_listed_day_from_utc_minus_11_to_plus_12():
    """A reader shows an entry on the day the paper was listed, wherever it is read."""
    for rank in (0, 1, 45, 89, 199):
        paper = replace(PAPERS[0], rank=rank)
        for hours in range(-11, 13):
            local = entry_updated(paper).astimezone(timezone(timedelta(hours=hours)))
            assert local.date() == paper.first_day, (rank, hours)


def test_top_of_each_day_takes_the_most_upvoted_then_listed_order():
    day1, day2 = date(2025, 6, 5), date(2025, 6, 6)
    listed = {
        day1: [paper("x", day1, 0, upvotes=3), paper("y", day1, 1), paper("z", day1, 2, upvotes=9)],
        day2: [paper("u", day2, 0), paper("v", day2, 1), paper("w", day2, 2)],
    }
    assert [p.id for p in top_of_each_day(listed, 2)] == ["z", "x", "u", "v"]
    again = {**listed, date(2025, 6, 7): [listed[day1][2]]}  # z listed on a later day too
    assert [p.id for p in top_of_each_day(again, 2)].count("z") == 1


def test_built_top_feed_holds_the_first_ten_of_the_shipped_day(shipped_site):
    site = shipped_site / "site"
    top = read_feed(site / "top" / "atom.xml")
    everything = read_feed(site / "atom.xml")
    assert [e.id for e in top.entries] == [e.id for e in everything.entries][:10]
    assert top.feed.title.endswith("top 10 of the day")
    feed = json.loads((site / "top" / "feed.json").read_text(encoding="utf-8"))
    assert feed["feed_url"].endswith("top/feed.json")
