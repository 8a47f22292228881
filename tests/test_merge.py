from datetime import date

from generator.model import Link, RawPaper
from generator.readers.merge import merge_papers, page_id_for, slugify

D1, D2, D3 = date(2025, 6, 5), date(2025, 6, 6), date(2025, 6, 7)


def raw(title, day=D1, rank=0, source="a.txt", **kw):
    return RawPaper(
        title=title,
        abstract=kw.pop("abstract", "A."),
        day=day,
        source=source,
        line=1,
        rank=rank,
        **kw,
    )


def test_same_arxiv_id_merges_across_days_and_formats():
    result = merge_papers(
        [
            raw(
                "Some Title",
                D2,
                arxiv_id="2406.12345",
                source="b.json",
                upvotes=3,
                links=(Link("code", "https://github.com/x/y"),),
                on_huggingface=True,
            ),
            raw(
                "Some title (v2 wording)",
                D1,
                arxiv_id="2406.12345",
                source="a.yaml",
                authors=("A. Author",),
            ),
        ]
    )
    assert result.duplicates_merged == 1
    (paper,) = result.papers
    assert paper.id == "2406.12345" and paper.days == (D1, D2)
    assert paper.title == "Some title (v2 wording)"  # the first day's listing wins
    assert paper.authors == ("A. Author",) and paper.upvotes == 3 and paper.on_huggingface
    assert paper.link("code") == "https://github.com/x/y"
    assert paper.sources == ("a.yaml", "b.json")
    assert result.days == {D1: ["2406.12345"], D2: ["2406.12345"]}


def test_same_normalised_title_merges_without_arxiv_id():
    result = merge_papers([raw("Mixup Your Own Pairs", D1), raw("mixup  your own pairs!", D3)])
    assert result.duplicates_merged == 1
    assert result.papers[0].id == "mixup-your-own-pairs"
    assert result.papers[0].days == (D1, D3)


def test_same_title_but_different_arxiv_ids_stay_two_papers():
    result = merge_papers(
        [raw("Survey", arxiv_id="2401.00001"), raw("Survey", arxiv_id="2402.00002")]
    )
    assert [p.id for p in result.papers] == ["2401.00001", "2402.00002"]


def test_a_paper_listed_twice_on_one_day_is_one_entry():
    result = merge_papers([raw("A", rank=0), raw("B", rank=1), raw("A", rank=2, source="b.txt")])
    assert result.days[D1] == ["a", "b"] and result.duplicates_merged == 1


def test_ranks_and_order_newest_day_first():
    result = merge_papers([raw("Old one", D1, 0), raw("New two", D2, 1), raw("New one", D2, 0)])
    assert [(p.id, p.rank) for p in result.papers] == [
        ("new-one", 0),
        ("new-two", 1),
        ("old-one", 0),
    ]


def test_slugs_are_ascii_and_bounded():
    assert slugify("Naïve Bayes: Über-Fast!") == "naive-bayes-uber-fast"
    long = slugify("word " * 40)
    assert len(long) <= 60 and not long.endswith("-")
    assert page_id_for(None, "深度学习").startswith("paper-")
    assert page_id_for("hep-th/9901001", "x") == "hep-th-9901001"


def test_colliding_slugs_get_distinct_stable_ids():
    title_a = "A " + "very long title words " * 5 + "ending one"
    title_b = "A " + "very long title words " * 5 + "ending two"
    first = merge_papers([raw(title_a, D1), raw(title_b, D2)])
    again = merge_papers([raw(title_a, D1), raw(title_b, D2), raw("Unrelated", D3)])
    ids = [p.id for p in sorted(first.papers, key=lambda p: p.first_day)]
    assert len(set(ids)) == 2 and ids[1].startswith(ids[0] + "-")
    assert {p.id for p in again.papers} >= set(ids)  # adding papers renames nobody


def test_ids_do_not_depend_on_anything_but_input():
    raws = [raw(f"Title {i}", D1, i) for i in range(20)]
    assert [p.id for p in merge_papers(raws).papers] == [p.id for p in merge_papers(raws).papers]


def test_an_id_comes_from_the_first_listing():
    """A paper first listed without an arXiv id keeps its slug when a later day brings one,
    so its page and feed entry do not move."""
    result = merge_papers([raw("Some Title", D1), raw("Some Title", D2, arxiv_id="2406.00001")])
    (paper,) = result.papers
    assert paper.id == "some-title" and paper.arxiv_id == "2406.00001"


def test_a_paper_titled_index_does_not_take_the_papers_folder_page():
    result = merge_papers([raw("Index", D1)])
    assert result.papers[0].id.startswith("index-")
