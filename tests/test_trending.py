"""What is hot now: the trending formula and lists, their pages and feeds, the week and
month indexes, and the static JSON API, every document checked against its schema."""

from __future__ import annotations

import gzip
import json
from datetime import date
from pathlib import Path

import jsonschema
import pytest
from referencing import Registry, Resource

from generator.build import run_build
from generator.corpus import read_corpus
from generator.model import Paper
from generator.render.trending import rank_trending, tag_trending, trending_score

from conftest import ROOT, read_feed
from fetchserver import real_items

GOLDEN = ROOT / "tests" / "golden"


def paper(pid: str, day: date, upvotes: int | None, rank: int = 0) -> Paper:
    return Paper(id=pid, title=pid, abstract="", days=(day,), rank=rank, upvotes=upvotes)


def test_the_formula_and_an_order_that_is_obvious():
    assert trending_score(0, 0) == 0
    assert trending_score(8, 2) == 1.0  # 8 / 4 ** 1.5
    newest = date(2025, 6, 14)
    papers = [
        paper("old-famous", date(2025, 6, 4), 200),  # 10 days: 200 / 12 ** 1.5 = 4.81
        paper("new-good", date(2025, 6, 14), 20),  # today: 20 / 2 ** 1.5 = 7.07
        paper("new-small", date(2025, 6, 14), 3, rank=1),  # 1.06
        paper("yesterday", date(2025, 6, 13), 30),  # 30 / 3 ** 1.5 = 5.77
        paper("too-old", date(2025, 5, 31), 1000),  # day 15: out of the window
        paper("unknown", date(2025, 6, 14), None, rank=2),  # no count: 0, last
        paper("tie-newer", date(2025, 6, 12), 0, rank=3),
    ]
    ranked = rank_trending(papers, newest, 14)
    assert [t.paper.id for t in ranked] == [
        "new-good", "yesterday", "old-famous", "new-small", "unknown", "tie-newer"
    ]
    assert [t.age for t in ranked][:3] == [0, 1, 10]
    # Not plain upvotes: the paper with the most upvotes of the window is third.
    assert max(ranked, key=lambda t: t.upvotes).paper.id == "old-famous"
    assert rank_trending(papers, None, 14) == []


def test_a_tags_list_is_the_same_ranking_of_its_papers():
    from generator.model import TagMatch

    newest = date(2025, 6, 14)
    a = paper("a", newest, 5)
    b = paper("b", newest, 50)
    a.tags = (TagMatch("robotics", "x"),)
    b.tags = (TagMatch("robotics", "x"), TagMatch("video", "y"))
    ranked = rank_trending([a, b], newest, 14)
    assert [t.paper.id for t in tag_trending(ranked, "robotics")] == ["b", "a"]
    assert [t.paper.id for t in tag_trending(ranked, "video")] == ["b"]


# The static JSON API: every document of a build, against the schemas it names.


def validate_api(docs: Path) -> int:
    """Check every document under ``docs/api`` against the schema its ``$schema`` names,
    the bulk file's lines against the paper schema; how many documents were checked."""
    api = docs / "api"
    schemas = {
        json.loads(p.read_text())["$id"]: json.loads(p.read_text())
        for p in (api / "schema").glob("*.json")
    }
    registry = Registry().with_resources(
        (uri, Resource.from_contents(schema)) for uri, schema in schemas.items()
    )
    for schema in schemas.values():
        jsonschema.Draft202012Validator.check_schema(schema)
    checked = 0
    for path in sorted(api.rglob("*.json")):
        if path.parent.name == "schema":
            continue
        document = json.loads(path.read_bytes())
        schema = schemas[document["$schema"]]
        jsonschema.Draft202012Validator(schema, registry=registry).validate(document)
        checked += 1
    index = json.loads((api / "index.json").read_text())
    paper_schema = schemas[index["bulk"]["schema"]]
    with gzip.open(api / "papers.jsonl.gz", "rt", encoding="utf-8") as lines:
        records = [json.loads(line) for line in lines]
    for record in records:
        jsonschema.validate(record, paper_schema, cls=jsonschema.Draft202012Validator)
    assert len(records) == index["papers"]
    return checked


def test_every_golden_api_document_matches_its_schema():
    checked = validate_api(GOLDEN / "expected")
    assert checked == 1 + 4 + 3 + 1  # index, the days, the tags, trending


def test_a_bad_document_fails_its_schema(tmp_path):
    """The check can fail: a record missing its title, and an unknown field."""
    import shutil

    docs = tmp_path / "docs"
    shutil.copytree(GOLDEN / "expected", docs)
    day = docs / "api" / "days" / "2025-06-09.json"
    document = json.loads(day.read_text())
    del document["papers"][0]["title"]
    day.write_text(json.dumps(document))
    with pytest.raises(jsonschema.ValidationError, match="'title' is a required property"):
        validate_api(docs)
    document["papers"][0]["title"] = "x"
    document["papers"][0]["rank"] = 3
    day.write_text(json.dumps(document))
    with pytest.raises(jsonschema.ValidationError, match="Additional properties"):
        validate_api(docs)


@pytest.fixture(scope="module")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict]]:
    """Two real months of Hugging Face Daily Papers (tests/fixtures/real), built."""
    tmp = tmp_path_factory.mktemp("real-trending")
    items = real_items("2023-05", "2023-07")
    content = tmp / "content"
    (content / "hf").mkdir(parents=True)
    (content / "hf" / "months.json").write_text(json.dumps(items), encoding="utf-8")
    (content / "tags.yaml").write_bytes((ROOT / "content" / "tags.yaml").read_bytes())
    config = tmp / "mkdocs.yml"
    config.write_text("site_name: Real\nsite_url: https://real.example.org/\n")
    run_build(content, tmp / "docs", config)
    return tmp, items


def test_real_months_trend_over_the_newest_14_days(real_site):
    tmp, items = real_site
    docs = tmp / "docs"
    corpus = read_corpus(tmp / "content")
    newest = corpus.newest_day
    assert newest == max(date.fromisoformat(i["paper"]["submittedOnDailyAt"][:10]) for i in items)
    trending = json.loads((docs / "api" / "trending.json").read_text())
    records = trending["papers"]
    assert len(records) == 50
    first_day = date.fromordinal(newest.toordinal() - 13).isoformat()
    assert trending["window"] == {"first_day": first_day, "last_day": newest.isoformat()}
    for record in records:
        first = date.fromisoformat(record["days"][0])
        assert 0 <= (newest - first).days < 14
        assert record["age_days"] == (newest - first).days
        assert record["score"] == trending_score(record["upvotes"] or 0, record["age_days"])
    scores = [r["score"] for r in records]
    assert scores == sorted(scores, reverse=True)
    # Nothing of the window scores above the list's last but is left out of it.
    in_window = [p for p in corpus.papers if (newest - p.first_day).days < 14]
    left_out = {p.id for p in in_window} - {r["id"] for r in records}
    best_left = max(trending_score(p.upvotes or 0, (newest - p.first_day).days)
                    for p in in_window if p.id in left_out)  # fmt: skip
    assert best_left <= scores[-1]
    # Not plain upvotes: the most upvoted paper of the window is not always first.
    assert [r["id"] for r in records] != [
        r["id"] for r in sorted(records, key=lambda r: -(r["upvotes"] or 0))
    ]
    # The page and home show that order.
    page = (docs / "trending" / "index.md").read_text()
    home = (docs / "index.md").read_text()
    positions = [page.index(f'id="trending-{r["id"]}"') for r in records]
    assert positions == sorted(positions)
    top5 = [r["id"] for r in records[:5]]
    on_home = [home.index(f'id="trending-{pid}"') for pid in top5]
    assert on_home == sorted(on_home) and home.count('id="trending-') == 5
    assert home.index("## Trending now") < home.index(f"## {newest:%A} {newest.day}")
    assert validate_api(docs) > 80  # index, trending, 43 tags and every day


def test_real_months_trending_feeds_and_tag_lists(real_site):
    tmp, _ = real_site
    docs = tmp / "docs"
    trending = json.loads((docs / "api" / "trending.json").read_text())
    feed = read_feed(docs / "trending" / "atom.xml")
    assert not feed.bozo and len(feed.entries) == 50
    ids = {e.id for e in feed.entries}
    everything = read_feed(docs / "atom.xml")
    shared = {e.id for e in everything.entries} & ids
    assert shared  # a paper's entry id is the same in both feeds
    assert all(i.startswith("tag:real.example.org,") for i in ids)
    json_feed = json.loads((docs / "trending" / "feed.json").read_text())
    assert [i["_paper"]["id"] for i in json_feed["items"]] == [r["id"] for r in trending["papers"]]
    # Each tag with papers in the window: a page and feeds, linked from the tag page and
    # the OPML's "By tag" group.
    opml = (docs / "feeds.opml").read_text()
    tagged = [p for p in sorted((docs / "tags").glob("*/trending/index.md"))]
    assert len(tagged) > 20
    for page in tagged:
        slug = page.parent.parent.name
        assert (page.parent / "atom.xml").is_file() and (page.parent / "feed.json").is_file()
        assert f"tags/{slug}/trending/atom.xml" in opml
        tag_page = (page.parent.parent / "index.md").read_text()
        assert f'href="../../tags/{slug}/trending/"' in tag_page
        tag_doc = json.loads((docs / "api" / "tags" / f"{slug}.json").read_text())
        listed = {p["id"] for p in tag_doc["papers"]}
        shown = json.loads((page.parent / "feed.json").read_text())["items"]
        assert {i["_paper"]["id"] for i in shown} <= listed


def test_week_and_month_indexes_link_every_period(real_site):
    tmp, _ = real_site
    docs = tmp / "docs"
    for folder in ("weeks", "months"):
        index = (docs / folder / "index.md").read_text()
        pages = sorted(p.stem for p in (docs / folder).glob("*.md") if p.stem != "index")
        assert pages and all(f'href="{slug}/"' in index for slug in pages)
    home = (docs / "index.md").read_text()
    assert 'href="weeks/"' in home and 'href="months/"' in home and 'href="api/"' in home
