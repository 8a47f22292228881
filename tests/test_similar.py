"""Related papers and the For you ranking on small texts where the answer is obvious, and
what the pages say of them."""

from __future__ import annotations

from datetime import date

import pytest
from lxml import html as lhtml

from generator.discover.foryou import LIKE_AT, rank_for_you, scores
from generator.discover.interests import Interest
from generator.discover.similar import related_papers, text_model
from generator.model import Paper

from conftest import SEED, build_site

TOPICS = {
    "robot": "robot grasping manipulation arm gripper policy",
    "speech": "speech audio recognition acoustic speaker waveform",
    "protein": "protein folding structure molecule biology amino",
}


def paper(paper_id: str, title: str, abstract: str, day: date = date(2025, 6, 6)) -> Paper:
    return Paper(paper_id, title, abstract, (day,), 0, arxiv_id=paper_id)


def topical_papers() -> list[Paper]:
    """Three papers on each of three topics; within a topic, the words overlap."""
    papers = []
    for number, (topic, words) in enumerate(TOPICS.items()):
        vocabulary = words.split()
        for index in range(3):
            text = " ".join(vocabulary[index:] + vocabulary[:index])
            papers.append(paper(f"2501.0{number}00{index}", f"{topic.title()} study {index}", text))
    return papers


def topic_of(p: Paper) -> str:
    return p.title.split()[0].lower()


def test_related_papers_are_those_of_the_same_topic():
    papers = topical_papers()
    related = related_papers(text_model(papers), 2)
    for p in papers:
        assert [topic_of(q) for q in related[p.id]] == [topic_of(p)] * 2, p.title
        assert p not in related[p.id]


def test_related_lists_break_ties_by_id_and_skip_papers_with_no_shared_word():
    ids = ("2501.00003", "2501.00001", "2501.00002")
    twins = [paper(i, "Gripper policy", "robot grasping arm") for i in ids]
    alone = paper("2501.00009", "Zebra", "quokka narwhal")
    related = related_papers(text_model([*twins, alone]), 5)
    assert [p.id for p in related["2501.00003"]] == ["2501.00001", "2501.00002"]
    assert [p.id for p in related["2501.00001"]] == ["2501.00002", "2501.00003"]
    assert related["2501.00009"] == ()


def test_no_papers_and_only_stop_words_give_no_related_papers():
    assert related_papers(text_model([]), 5) == {}
    empty = [paper("2501.00001", "The", "and of"), paper("2501.00002", "A", "the")]
    assert related_papers(text_model(empty), 5) == {"2501.00001": (), "2501.00002": ()}


def test_for_you_ranks_the_papers_like_the_interests_first_and_says_why():
    papers = topical_papers()
    day = {date(2025, 6, 6): papers}
    liked = next(p for p in papers if topic_of(p) == "speech")
    outside = Interest("Acoustic speaker waveform", "speech recognition of a speaker", "lib.bib:1")
    interests = [Interest(liked.title, liked.abstract, "x", liked.id), outside]
    ranking = rank_for_you(text_model(papers), interests, day, 7, 2)
    ranked = [s.paper for s in ranking.ranked]
    assert liked not in ranked  # an interest is not suggested to those who named it
    assert [topic_of(p) for p in ranked[:2]] == ["speech", "speech"]
    assert ranking.window == (date(2025, 5, 31), date(2025, 6, 6))  # 7 calendar days
    top = ranking.ranked[0]
    assert top.like is not None and top.reason.startswith("like “")
    assert [topic_of(p) for p in ranking.daily] == ["speech", "speech"]  # the day's top 2


def test_a_distant_suggestion_names_the_words_it_shares():
    mixed = "audio robot grasping manipulation protein folding structure molecule"
    papers = [*topical_papers(), paper("2502.00001", "Mixed study", mixed)]
    interests = [Interest("Speech", "speech audio recognition acoustic speaker waveform", "x")]
    ranking = rank_for_you(text_model(papers), interests, {date(2025, 6, 6): papers}, 7, 10)
    codec = next(s for s in ranking.ranked if s.paper.id == "2502.00001")
    assert codec.like is None and codec.words == ("audio",)
    assert codec.reason == "shares “audio” with your list"
    assert LIKE_AT > 0


def test_without_interests_every_score_is_zero():
    model = text_model(topical_papers())
    assert not scores(model, []).any()


def test_the_window_is_the_newest_calendar_days():
    old = paper("2401.00001", "Robot arm", "robot gripper arm", date(2025, 5, 1))
    new = paper("2506.00001", "Robot grasping", "robot grasping gripper", date(2025, 6, 6))
    mid = paper("2506.00002", "Speech", "speech audio", date(2025, 5, 31))
    days = {p.first_day: [p] for p in (old, mid, new)}
    interests = [Interest("Robot", "robot gripper", "x")]
    ranking = rank_for_you(text_model([old, mid, new]), interests, days, 7, 10)
    assert ranking.window == (date(2025, 5, 31), date(2025, 6, 6))
    assert [s.paper.id for s in ranking.ranked] == ["2506.00001", "2506.00002"]


def test_a_paper_page_ends_with_its_related_papers_outside_the_search_body(tmp_path):
    project, _ = build_site(tmp_path, {"2025-06-06.txt": SEED.read_text()})
    pages = sorted((project / "site" / "papers").glob("*/index.html"))
    assert pages
    for page in pages[:20]:
        tree = lhtml.parse(str(page))
        related = tree.xpath('//*[@id="related"]')
        assert len(related) == 1, page
        assert not tree.xpath('//*[@data-pagefind-body]//*[@id="related"]')
        links = related[0].xpath(".//li/a/@href")
        assert 1 <= len(links) <= 5
        for href in links:  # each a paper page of the site
            assert (page.parent / href / "index.html").resolve().is_file(), href


@pytest.mark.parametrize("count", [1, 3])
def test_related_count_is_a_setting(tmp_path, count):
    from generator.settings import Settings

    papers = topical_papers()
    assert all(len(r) <= count for r in related_papers(text_model(papers), count).values())
    assert Settings().related_count == 5
