"""Daily digest feeds: one entry a day, stable ids, ``updated`` moving when papers are added,
per-tag digests, hostile text kept as text, and dates inside the day everywhere."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone
from urllib.parse import urljoin

from lxml import html as lhtml

from generator.build import run_build
from generator.model import HubInfo, Paper, TagMatch
from generator.render.digest import blurb, day_digest, digest_feed
from generator.settings import Settings

from conftest import build_site, make_project, read_feed, write_files

SETTINGS = Settings(site_url="https://digest.example.org/", digest_days=2)
TITLES = {"llm": "Language models", "vision": "Vision"}


def paper(pid: str, day: date, rank: int, **kw: object) -> Paper:
    return Paper(
        id=pid,
        title=str(kw.pop("title", f"Paper {pid}")),
        abstract=str(kw.pop("abstract", "First sentence here. Second one.")),
        days=(day,),
        rank=rank,
        sources=("x",),
        **kw,  # type: ignore[arg-type]
    )


def test_blurb_is_the_tldr_else_the_first_sentence():
    assert blurb(paper("a", date(2025, 6, 6), 0, hub=HubInfo(summary="Short."))) == "Short."
    assert blurb(paper("b", date(2025, 6, 6), 0)) == "First sentence here."
    tricky = "We use mixup (e.g., pairs) and 3.5 points. Then more."
    assert blurb(paper("c", date(2025, 6, 6), 0, abstract=tricky)) == (
        "We use mixup (e.g., pairs) and 3.5 points."
    )
    long = "word " * 100 + "end."
    cut = blurb(paper("d", date(2025, 6, 6), 0, abstract=long))
    assert len(cut) <= 301 and cut.endswith("…") and " wor…" not in cut
    assert blurb(paper("e", date(2025, 6, 6), 0, abstract="")) == ""


def test_digest_feed_takes_the_newest_days_and_ranks_as_the_day_page():
    d1, d2, d3 = date(2025, 6, 5), date(2025, 6, 6), date(2025, 6, 9)
    days = {
        d1: [paper("old", d1, 0)],
        d2: [paper("b", d2, 0, tags=(TagMatch("llm", "r"),)), paper("a", d2, 1)],
        date(2025, 6, 7): [],  # a weekend day with no papers gives no entry
        d3: [paper("z", d3, 0, tags=(TagMatch("vision", "r"),))],
    }
    spec = digest_feed(SETTINGS, days, TITLES)
    assert [e.id for e in spec.entries] == [
        "tag:digest.example.org,2025-06-09:/digest/2025-06-09",
        "tag:digest.example.org,2025-06-06:/digest/2025-06-06",
    ]  # digest_days=2
    second = spec.entries[1]
    assert second.title == "Friday 6 June 2025: 2 papers"
    doc = lhtml.fromstring(second.html)
    assert [a.text for a in doc.cssselect("li > a")] == ["Paper b", "Paper a"]
    assert doc.cssselect("li small")[0].text == "Language models"
    llm = digest_feed(SETTINGS, days, TITLES, "llm")
    assert [e.id for e in llm.entries] == [
        "tag:digest.example.org,2025-06-06:/tags/llm/digest/2025-06-06"
    ]
    assert llm.entries[0].title == "Friday 6 June 2025: 1 paper in Language models"
    assert llm.path == "tags/llm/digest/"


def test_updated_moves_when_papers_are_added_and_the_id_stays():
    day = date(2025, 6, 6)
    two = day_digest(SETTINGS, day, [paper("a", day, 0), paper("b", day, 1)], TITLES)
    three = day_digest(
        SETTINGS, day, [paper("a", day, 0), paper("b", day, 1), paper("c", day, 2)], TITLES
    )
    assert two.published == three.published == datetime(2025, 6, 6, 11, tzinfo=UTC)
    assert two.updated < three.updated


def test_digest_dates_fall_on_their_day_from_utc_minus_11_to_plus_12():
    day = date(2025, 6, 6)
    for count in (1, 90, 500):
        digest = day_digest(SETTINGS, day, [paper(str(i), day, i) for i in range(count)], TITLES)
        for hours in range(-11, 13):
            zone = timezone(timedelta(hours=hours))
            assert digest.published.astimezone(zone).date() == day, (count, hours)
            assert digest.updated.astimezone(zone).date() == day, (count, hours)


DAY_ONE = """\
    date: 2025-06-06
    papers:
      - title: "Tokens </s> & <b>bold</b> language model"
        abstract: "A <script>alert(1)</script> language model abstract. More."
      - title: Second paper on vision transformers
        abstract: Images and pixels. Vision transformer.
    """
DAY_TWO = """\
    date: 2025-06-07
    papers:
      - title: Another language model paper
        abstract: Large language model study.
    """
MORE = """\
      - title: A third paper added by a later fetch
        abstract: Late paper.
    """


def _digest(project):
    docs = project / "docs"
    return (
        read_feed(docs / "digest" / "atom.xml"),
        read_feed(docs / "digest" / "rss.xml"),
        json.loads((docs / "digest" / "feed.json").read_text(encoding="utf-8")),
        read_feed(docs / "tags" / "llm" / "digest" / "atom.xml"),
    )


def test_built_digests_keep_ids_and_move_updated_when_a_fetch_adds_papers(tmp_path):
    project, _ = build_site(
        tmp_path, {"2025-06-06.yaml": DAY_ONE, "2025-06-07.yaml": DAY_TWO}, site=False
    )
    atom, rss, feed, llm = _digest(project)
    assert [e.title for e in atom.entries] == [
        "Saturday 7 June 2025: 1 paper",
        "Friday 6 June 2025: 2 papers",
    ]
    assert [e.id for e in rss.entries] == [e.id for e in atom.entries]
    assert [i["id"] for i in feed["items"]] == [e.id for e in atom.entries]
    content = atom.entries[1].content[0].value
    doc = lhtml.fromstring(content)
    assert not doc.cssselect("script, b")  # hostile text stays text
    assert doc.cssselect("li > a")[0].text_content() == "Tokens </s> & <b>bold</b> language model"
    assert "A <script>alert(1)</script> language model abstract." in doc.text_content()
    assert "Tokens &lt;/s&gt; &amp;" in feed["items"][1]["content_html"]
    assert "content_text" not in feed["items"][1]  # the HTML alone: a third fewer bytes
    assert [e.title for e in llm.entries] == [
        "Saturday 7 June 2025: 1 paper in Large language models",
        "Friday 6 June 2025: 1 paper in Large language models",
    ]
    before = {e.id: e.updated for e in atom.entries}

    write_files(project / "content", {"2025-06-06.yaml": DAY_ONE.rstrip(" ") + MORE})
    run_build(project / "content", project / "docs", project / "mkdocs.yml")
    atom, rss, feed, _ = _digest(project)
    after = {e.id: e.updated for e in atom.entries}
    assert list(after) == list(before)  # same entries, same ids
    day_one = "tag:papers.example.org,2025-06-06:/digest/2025-06-06"
    day_two = "tag:papers.example.org,2025-06-07:/digest/2025-06-07"
    assert after[day_one] > before[day_one] and after[day_two] == before[day_two]
    assert atom.entries[1].title == "Friday 6 June 2025: 3 papers"
    assert feed["items"][1]["date_modified"] > feed["items"][1]["date_published"]


def test_digest_feeds_are_listed_advertised_and_linked(tmp_path):
    project = make_project(tmp_path, {"2025-06-06.yaml": DAY_ONE})
    run_build(project / "content", project / "docs", project / "mkdocs.yml", project / "site")
    site = project / "site"
    for page in ("index.html", "feeds/index.html"):
        doc = lhtml.fromstring((site / page).read_bytes())
        hrefs = [link.get("href") for link in doc.cssselect('head link[rel~="alternate"]')]
        assert any(h.endswith("digest/atom.xml") for h in hrefs), page
    tag = lhtml.fromstring((site / "tags" / "llm" / "index.html").read_bytes())
    hrefs = [
        urljoin("https://x/tags/llm/", link.get("href"))
        for link in tag.cssselect('head link[rel~="alternate"]')
    ]
    assert "https://x/tags/llm/digest/atom.xml" in hrefs
    feeds = lhtml.fromstring((site / "feeds" / "index.html").read_bytes())
    links = {a.get("href") for a in feeds.cssselect("article a")}
    assert {"../digest/atom.xml", "../digest/rss.xml", "../digest/feed.json"} <= links
    assert "../tags/llm/digest/atom.xml" in links
    assert "deduplicates ids across feeds" in feeds.text_content()
    for name in ("digest/atom.xml", "digest/rss.xml", "tags/llm/digest/atom.xml"):
        assert read_feed(site / name).entries, name
