"""``papers fetch arxiv``: both API formats, error answers, and the stored YAML."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.cli import main
from generator.fetch import arxiv
from generator.readers.clean import clean_text
from generator.readers.native_yaml import read_native_yaml

from fetchserver import FIXTURES, FixtureServer, Reply

DAY = "2026-06-12"
API = "/api/query"
QUERY = "all:transformer AND cat:cs.LG"
FAST = ["--tries", "2", "--timeout", "0.3", "--backoff", "0.01"]


@pytest.fixture
def server():
    with FixtureServer() as running:
        yield running


def fetch_arxiv(capsys, server: FixtureServer, content: Path, *extra: str) -> tuple[int, str, str]:
    argv = ["fetch", "arxiv", "--query", QUERY, "--max", "5", "--date", DAY]
    code = main([*argv, "--api-url", server.url, "--content", str(content), *FAST, *extra])
    out, err = capsys.readouterr()
    return code, out, err


def stored_path(content: Path) -> Path:
    return content / "arxiv" / f"{DAY}-all-transformer-and-cat-cs-lg.yaml"


def read_back(path: Path) -> list:
    return read_native_yaml(path, f"content/arxiv/{path.name}").papers


def classic() -> list[dict]:
    body = (FIXTURES / "arxiv_query_classic_format.xml").read_text(encoding="utf-8")
    return arxiv.parse_feed(body)[0]


def test_the_2026_format_is_stored_as_native_yaml(capsys, server, tmp_path):
    server.serve(API, Reply.fixture("arxiv_query_2026_format.xml"))
    code, out, err = fetch_arxiv(capsys, server, tmp_path)
    assert (code, err) == (0, "")
    assert "5 papers (5 fetched, 5 new)" in out
    papers = read_back(stored_path(tmp_path))
    ids = ["2606.13677", "2606.13591", "2606.13568", "2606.13515", "2606.13501"]
    assert [p.arxiv_id for p in papers] == ids
    assert {p.day for p in papers} == {date(2026, 6, 12)}
    mana = papers[0]
    assert mana.title == "Mana: Dexterous Manipulation of Articulated Tools"
    assert mana.categories == ("cs.RO", "cs.AI", "cs.CV", "cs.LG")
    assert mana.authors == ("Zhao-Heng Yin", "Guanya Shi", "Pieter Abbeel", "C. Karen Liu")
    links = {link.kind: link.url for link in mana.links}
    assert links == {
        "project": "https://zhaohengyin.github.io/mana",
        "pdf": "https://arxiv.org/pdf/2606.13677",
    }
    assert "(<1 minute per tool)" in mana.abstract


def test_the_query_asks_for_the_newest_first(capsys, server, tmp_path):
    server.serve(API, Reply.fixture("arxiv_query_2026_format.xml"))
    fetch_arxiv(capsys, server, tmp_path)
    [seen] = server.asked(API)
    assert seen.query == {
        "search_query": QUERY,
        "start": "0",
        "max_results": "5",
        "sortBy": "submittedDate",
        "sortOrder": "descending",
    }
    assert seen.headers["User-Agent"].startswith("papers-site/")


def test_the_classic_format_unwraps_text_and_drops_versions():
    first, second = classic()
    assert first["arxiv"] == "2406.12345"
    assert first["title"] == (
        "Sample Neural Planner: Hierarchical Skill Chaining for Robot Manipulation in "
        "Long-Horizon Tasks"
    )
    assert first["abstract"].startswith("This is a hand-written sample in the classic arXiv")
    assert "report robust transfer, e.g. from simulation" in first["abstract"]
    assert "\n" not in first["abstract"]
    assert first["authors"] == ["Ada Example", "Bo Sample"]
    assert first["categories"] == ["cs.RO", "cs.AI", "cs.LG"]
    assert first["links"] == {
        "code": "https://github.com/example-lab/sample-planner",
        "project": "https://example-lab.github.io/sample-planner/",
        "pdf": "https://arxiv.org/pdf/2406.12345",
    }
    assert second["arxiv"] == "2406.11111"
    assert second["links"] == {"pdf": "https://arxiv.org/pdf/2406.11111"}
    assert second["categories"] == ["cs.RO"]


def test_a_paper_listed_twice_is_kept_once_and_papers_without_an_id_are_stored_last():
    body = (FIXTURES / "arxiv_query_classic_format.xml").read_text(encoding="utf-8")
    entries = body[body.index("<entry>") : body.rindex("</entry>") + len("</entry>")]
    assert arxiv.parse_feed(body.replace("</feed>", entries + "</feed>")) == (classic(), 0)
    newer, older = classic()  # 2406.12345, 2406.11111
    hand = [{"title": f"Hand-added {n}", "abstract": "A."} for n in range(2)]
    stored = yaml.safe_load(arxiv.dump_day(date(2026, 6, 12), [hand[0], older, hand[1], newer]))
    assert stored["papers"] == [newer, older, *hand]  # newest id first, then as stored


def test_the_classic_format_is_read_back_by_the_native_reader(capsys, server, tmp_path):
    server.serve(API, Reply.fixture("arxiv_query_classic_format.xml"))
    argv = ["fetch", "arxiv", "--query", "cat:cs.RO AND (neural)", "--date", "2024-06-18"]
    code = main([*argv, "--api-url", server.url, "--content", str(tmp_path), *FAST])
    assert code == 0
    [path] = (tmp_path / "arxiv").iterdir()
    assert path.name == "2024-06-18-cat-cs-ro-and-neural.yaml"
    papers = read_back(path)
    assert [p.arxiv_id for p in papers] == ["2406.12345", "2406.11111"]
    assert papers[0].categories == ("cs.RO", "cs.AI", "cs.LG")


def test_children_are_found_by_name_not_position():
    body = (FIXTURES / "arxiv_query_classic_format.xml").read_text(encoding="utf-8")
    entry = re.search(r"<entry>(.*?)</entry>", body, re.S).group(1)
    children = re.findall(r"\n    (<(\S+?)[ >].*?(?:/>|</\2>))", entry, re.S)
    # Grouped by tag name: another order of kinds, same order within a kind (authors).
    shuffled = "".join(f"\n    {c[0]}" for c in sorted(children, key=lambda c: c[1]))
    assert len(children) > 8
    assert shuffled.split() != entry.split()
    papers, skipped = arxiv.parse_feed(body.replace(entry, shuffled + "\n  ", 1))
    assert (papers[0], skipped) == (classic()[0], 0)


def test_an_error_entry_is_an_error_not_a_paper(capsys, server, tmp_path):
    server.serve(API, Reply.fixture("arxiv_error_answer.xml"))
    code, _out, err = fetch_arxiv(capsys, server, tmp_path)
    assert code == 1
    assert err.strip().endswith("arXiv API error: incorrect id format for 1234.12345")
    assert err.count("\n") == 1
    assert list(tmp_path.iterdir()) == []


def test_rate_exceeded_in_plain_text_is_an_error(capsys, server, tmp_path):
    server.serve(API, Reply(body="Rate exceeded.", headers={"Content-Type": "text/plain"}))
    code, _, err = fetch_arxiv(capsys, server, tmp_path)
    assert code == 1
    assert "Rate exceeded." in err
    assert list(tmp_path.iterdir()) == []


def test_rate_exceeded_with_503_is_retried(capsys, server, tmp_path):
    server.serve(API, [Reply(503, "Rate exceeded."), Reply.fixture("arxiv_query_2026_format.xml")])
    assert fetch_arxiv(capsys, server, tmp_path)[0] == 0
    assert len(server.asked(API)) == 2
    assert len(read_back(stored_path(tmp_path))) == 5


def test_html_or_garbage_is_an_error(capsys, server, tmp_path):
    server.serve(API, Reply(body="<html><body>Service unavailable</body></html>"))
    code, _, err = fetch_arxiv(capsys, server, tmp_path)
    assert code == 1
    assert "expected an Atom <feed>" in err


def test_an_empty_answer_writes_nothing_and_says_so(capsys, server, tmp_path):
    server.serve(API, Reply.fixture("arxiv_empty_answer.xml"))
    code, out, _ = fetch_arxiv(capsys, server, tmp_path)
    assert code == 0
    assert "no arXiv papers" in out
    assert "nothing written" in out
    assert [p.name for p in tmp_path.iterdir()] == ["fetch-status.json"]
    assert "arxiv" in (tmp_path / "fetch-status.json").read_text(encoding="utf-8")


def test_a_refetch_keeps_the_union_with_what_is_stored(capsys, server, tmp_path):
    path = stored_path(tmp_path)
    path.parent.mkdir(parents=True)
    hand_added = {"title": "A paper added by hand", "abstract": "Kept.", "tags": ["agents"]}
    old = {"title": "An older result", "abstract": "Still here.", "arxiv": "2606.00001"}
    stale = {"title": "Old title", "abstract": "Old.", "arxiv": "2606.13677v1"}
    path.write_text(yaml.safe_dump({"date": DAY, "papers": [hand_added, old, stale]}))
    server.serve(API, Reply.fixture("arxiv_query_2026_format.xml"))
    code, out, _ = fetch_arxiv(capsys, server, tmp_path)
    assert code == 0
    assert "7 papers (5 fetched, 4 new, 2 kept from before)" in out
    papers = read_back(path)
    titles = [p.title for p in papers]
    assert "A paper added by hand" in titles
    assert "An older result" in titles
    assert "Old title" not in titles
    assert titles[0] == "Mana: Dexterous Manipulation of Articulated Tools"


def test_a_refetch_with_nothing_new_leaves_the_file_alone(capsys, server, tmp_path):
    server.serve(API, Reply.fixture("arxiv_query_2026_format.xml"))
    fetch_arxiv(capsys, server, tmp_path)
    before = stored_path(tmp_path).read_bytes()
    code, out, _ = fetch_arxiv(capsys, server, tmp_path)
    assert code == 0
    assert "unchanged" in out
    assert stored_path(tmp_path).read_bytes() == before


def test_query_slugs_are_file_name_safe():
    assert arxiv.query_slug("cat:cs.LG AND all:transformer") == "cat-cs-lg-and-all-transformer"
    assert arxiv.query_slug('ti:"large language" OR abs:LLM') == "ti-large-language-or-abs-llm"
    assert arxiv.query_slug("???") == "query"
    assert len(arxiv.query_slug("cat:cs.LG OR " * 20)) <= 60


def test_max_is_bounded(capsys, tmp_path):
    with pytest.raises(SystemExit):
        main(["fetch", "arxiv", "--query", "x", "--max", "5000", "--content", str(tmp_path)])
    assert "at most 2000" in capsys.readouterr().err


text = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\\{}"), min_size=1
).map(clean_text)


@settings(max_examples=60, deadline=None)
@given(title=text, abstract=text, author=text)
def test_any_text_survives_the_yaml_round_trip(tmp_path_factory, title, abstract, author):
    if not (title and abstract and author):
        return
    paper = {"title": title, "abstract": abstract, "arxiv": "2406.12345", "authors": [author]}
    path = tmp_path_factory.mktemp("yaml") / "day.yaml"
    path.write_text(arxiv.dump_day(date(2026, 6, 12), [paper]), encoding="utf-8")
    [read] = read_back(path)
    assert (read.title, read.abstract, read.authors) == (title, abstract, (author,))
