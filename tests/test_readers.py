import gzip
import json
import random
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.errors import InputError, LineCounter
from generator.readers import input_files
from generator.readers.hf_json import _listed_items, read_hf_json
from generator.readers.native_yaml import read_native_yaml
from generator.readers.page_dump import read_page_dump

from conftest import FIXTURES, HF_FIXTURE, ROOT, SEED

DUMP = """\
new

Get trending papers in your email inbox!

Subscribe

byAK and the research community

{date}

First Paper Title

An abstract that spans
two lines.

Second Paper: {{it Italic}} Words

Second abstract with code at https://github.com/a/b.
"""


def dump(tmp_path: Path, text: str, name: str = "2025-06-06-x.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


# Page dumps -------------------------------------------------------------------------------


def test_seed_reads_89_papers_on_2025_06_06():
    result = read_page_dump(SEED, "content/seed.txt")
    assert len(result.papers) == 89
    assert {p.day for p in result.papers} == {date(2025, 6, 6)}
    assert result.warnings == []
    first = result.papers[0]
    assert first.title.startswith("TransHuman: A Transformer-based Human Representation")
    assert first.line == 11 and first.rank == 0
    assert first.links[0].url == "https://pansanity666.github.io/TransHuman/"
    assert [p.rank for p in result.papers] == list(range(89))
    titles = {p.title for p in result.papers}
    assert "Mixup Your Own Pairs" in titles


def test_seed_quirks_are_cleaned():
    papers = read_page_dump(SEED, "seed.txt").papers
    text = " ".join(p.abstract for p in papers)
    assert "{it " not in text and "\\eg" not in text and '\\"' not in text
    assert "naïve ensembling" in text
    assert "https://github.com/ashikiut/DefAn{" not in text
    defan = next(p for p in papers if p.title.startswith("DefAn"))
    assert [lk.url for lk in defan.links] == ["https://github.com/ashikiut/DefAn"]


@pytest.mark.parametrize(
    "line", ["Jun 6", "June 6", "Jun 6, 2025", "2025-06-06", "June 6 2025", "jun 6th"]
)
def test_date_line_formats(tmp_path, line):
    result = read_page_dump(dump(tmp_path, DUMP.format(date=line)), "x.txt")
    assert [p.day for p in result.papers] == [date(2025, 6, 6)] * 2


def test_year_comes_from_the_date_line_before_the_file_name(tmp_path):
    path = dump(tmp_path, DUMP.format(date="Jan 2, 2024"), "2025-06-06.txt")
    assert read_page_dump(path, "x.txt").papers[0].day == date(2024, 1, 2)


def test_no_year_anywhere_is_an_error_naming_the_line(tmp_path):
    path = dump(tmp_path, DUMP.format(date="Jun 6"), "papers.txt")
    with pytest.raises(InputError) as err:
        read_page_dump(path, "content/papers.txt")
    assert str(err.value).startswith("content/papers.txt:9: date line 'Jun 6' has no year")


def test_paragraphs_titles_and_cleaning(tmp_path):
    result = read_page_dump(dump(tmp_path, DUMP.format(date="Jun 6")), "x.txt")
    first, second = result.papers
    assert first.abstract == "An abstract that spans two lines."
    assert second.title == "Second Paper: Italic Words"
    assert [lk.url for lk in second.links] == ["https://github.com/a/b"]
    assert (first.line, second.line) == (11, 16)


def test_crlf_bom_and_trailing_spaces_are_fine(tmp_path):
    text = "\ufeff" + DUMP.format(date="Jun 6").replace("\n", "  \r\n")
    result = read_page_dump(dump(tmp_path, text), "x.txt")
    assert [p.title for p in result.papers] == ["First Paper Title", "Second Paper: Italic Words"]
    assert result.papers[0].abstract == "An abstract that spans two lines."


def test_trailing_title_without_abstract_is_kept_with_a_warning(tmp_path):
    text = DUMP.format(date="Jun 6") + "\nA Lonely Title\n"
    result = read_page_dump(dump(tmp_path, text), "x.txt")
    assert result.papers[-1].title == "A Lonely Title" and result.papers[-1].abstract == ""
    assert len(result.warnings) == 1 and "has no abstract" in str(result.warnings[0])


def test_missing_date_line_is_an_error(tmp_path):
    with pytest.raises(InputError, match=r"x.txt:1: expected a date line"):
        read_page_dump(dump(tmp_path, "A Title\n\nAn abstract.\n"), "x.txt")


def test_impossible_date_is_an_error(tmp_path):
    with pytest.raises(InputError, match=r"x.txt:1: invalid date"):
        read_page_dump(dump(tmp_path, "2025-02-30\n\nT\n\nA\n"), "x.txt")


def test_abstract_without_title_is_an_error(tmp_path):
    text = "Jun 6\n\nTitle\n\nAbstract one.\n\n" + "Long abstract sentence. " * 30 + "\n"
    with pytest.raises(InputError, match=r"x.txt:7: a \d+-word paragraph where a title"):
        read_page_dump(dump(tmp_path, text), "x.txt")


def test_empty_and_binary_and_non_utf8_files_are_errors(tmp_path):
    with pytest.raises(InputError, match=r"x.txt:1: empty file"):
        read_page_dump(dump(tmp_path, ""), "x.txt")
    with pytest.raises(InputError, match=r"x.txt:2: binary data"):
        read_page_dump(dump(tmp_path, b"Jun 6\n\x00\x01"), "x.txt")
    with pytest.raises(InputError, match=r"x.txt:3: not valid UTF-8 \(byte 0xe9\)"):
        read_page_dump(dump(tmp_path, b"Jun 6\n\nCaf\xe9\n"), "x.txt")


def test_a_date_only_file_is_an_empty_day(tmp_path):
    result = read_page_dump(dump(tmp_path, "Jun 7, 2025\n"), "x.txt")
    assert result.papers == [] and result.empty_days == [date(2025, 6, 7)]


# Native YAML ------------------------------------------------------------------------------

YAML_DAY = """\
date: 2025-06-07
papers:
  - title: "Attention Is All You Need"
    abstract: "The dominant models. Code: https://github.com/t/t2t."
    arxiv: "1706.03762v5"
    authors: [Ashish Vaswani, Noam Shazeer]
    links:
      project: https://example.org/transformer
    upvotes: 42
    tags: [llm]
    categories: [cs.CL]
  - title: Second
    abstract: Another one.
"""


def test_yaml_day(tmp_path):
    path = tmp_path / "day.yaml"
    path.write_text(YAML_DAY, encoding="utf-8")
    first, second = read_native_yaml(path, "day.yaml").papers
    assert first.arxiv_id == "1706.03762" and first.day == date(2025, 6, 7)
    assert first.authors == ("Ashish Vaswani", "Noam Shazeer")
    assert [(lk.kind, lk.url) for lk in first.links] == [
        ("project", "https://example.org/transformer"),
        ("code", "https://github.com/t/t2t"),
    ]
    assert first.upvotes == 42 and first.manual_tags == ("llm",)
    assert first.categories == ("cs.CL",) and first.line == 3
    assert (second.rank, second.line) == (1, 12)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "date: 2025-06-07\npapers:\n  - title: x\n    abstrct: y\n",
            r"day.yaml:4: unknown key 'abstrct'",
        ),
        (
            "date: 2025-06-07\npapers:\n  - title: x\n",
            r"day.yaml:3: paper needs a non-empty abstract",
        ),
        ("date: June\npapers: []\n", r"day.yaml:1: date must be YYYY-MM-DD"),
        ("date: 2025-06-07\npapers:\n  - title: [x\n", r"day.yaml:4: invalid YAML"),
        ("papers: []\n", r"day.yaml:1: missing 'date"),
        (
            'date: 2025-06-07\npapers:\n  - title: "\\x07"\n    abstract: y\n',
            r"day.yaml:3: title is empty",
        ),
        (
            "date: 2025-06-07\npapers:\n  - title: x\n    abstract: y\n    links:\n"
            "      code: javascript:alert(1)\n",
            r"day.yaml:6: code link must be an http\(s\) URL",
        ),
        (
            "date: 2025-06-07\npapers:\n  - title: x\n    abstract: y\n    arxiv: nope\n",
            r"day.yaml:5: not an arXiv id",
        ),
    ],
)
def test_yaml_errors_name_file_and_line(tmp_path, text, message):
    path = tmp_path / "day.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        read_native_yaml(path, "day.yaml")


# Hugging Face API JSON --------------------------------------------------------------------


def test_hf_response_fixture():
    result = read_hf_json(HF_FIXTURE, "hf/2026-06-12.json")
    assert len(result.papers) == 30 and result.warnings == []
    assert {p.day for p in result.papers} == {date(2026, 6, 12)}
    upvotes = [p.upvotes for p in result.papers]
    assert upvotes == sorted(upvotes, reverse=True)  # ranked by upvotes
    top = result.papers[0]
    assert top.arxiv_id and top.on_huggingface and top.authors and top.keywords
    assert sum(1 for p in result.papers if any(lk.kind == "code" for lk in p.links)) >= 16
    assert sum(1 for p in result.papers if any(lk.kind == "project" for lk in p.links)) >= 13


def test_hf_items_without_ai_fields_or_links_are_fine(tmp_path):
    path = tmp_path / "hf.json"
    path.write_text(
        '[\n {"paper": {"id": "2606.00001v2", "title": "Fresh", "summary": "S.",'
        ' "submittedOnDailyAt": "2026-06-12T00:00:00.000Z", "authors": []}},\n'
        ' {"paper": {"id": "2606.00002", "summary": "No title"}}\n]\n',
        encoding="utf-8",
    )
    result = read_hf_json(path, "hf.json")
    assert [(p.arxiv_id, p.keywords, p.links) for p in result.papers] == [("2606.00001", (), ())]
    assert [str(w) for w in result.warnings] == ["hf.json:3: warning: item 1 has no title; skipped"]


def test_hf_malformed_json_names_the_line(tmp_path):
    path = tmp_path / "hf.json"
    path.write_text('[\n {"paper": \n', encoding="utf-8")
    with pytest.raises(InputError, match=r"hf.json:3: invalid JSON"):
        read_hf_json(path, "hf.json")


def test_input_files_are_sorted_and_skip_config(tmp_path):
    for name in ["b.txt", "a/c.yaml", "tags.yaml", "fetch-status.json", ".hidden.txt", "x.md"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    files, warnings = input_files(tmp_path)
    assert [p.relative_to(tmp_path).as_posix() for p in files] == ["a/c.yaml", "b.txt"]
    assert [str(w) for w in warnings] == [
        f"{tmp_path.as_posix()}/x.md: warning: no reader for this file type "
        "(readers: .json, .txt, .yaml, .yml); skipped"
    ]


def test_a_short_abstract_without_title_is_an_error(tmp_path):
    text = (
        "Jun 6\n\nFirst Title\n\nFirst abstract.\n\n"
        "We study a thing and find that it works well on many benchmarks, which we describe "
        "in this short abstract that has lost its title somewhere along the way.\n\n"
        "Next Title\n\nNext abstract.\n"
    )
    with pytest.raises(InputError, match=r"x.txt:7: a \d+-word paragraph where a title"):
        read_page_dump(dump(tmp_path, text), "x.txt")


def test_yaml_aliases_are_refused(tmp_path):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
    bomb += "c: [*b, *b, *b, *b, *b, *b, *b, *b, *b]\ndate: 2025-06-06\n"
    path = tmp_path / "day.yaml"
    path.write_text(bomb, encoding="utf-8")
    with pytest.raises(InputError, match=r"day.yaml:1: YAML aliases \(\*name\) are not"):
        read_native_yaml(path, "day.yaml")


def test_deeply_nested_input_is_a_clear_error(tmp_path):
    from generator.readers import read_file

    content = tmp_path / "content"
    (content / "hf").mkdir(parents=True)
    (content / "hf" / "deep.json").write_text("[" * 100000, encoding="utf-8")
    (content / "deep.yaml").write_text("date: 2025-06-06\npapers: " + "[" * 5000, encoding="utf-8")
    for path in sorted(content.rglob("*.*")):
        with pytest.raises(InputError, match=r"(nested too deeply|invalid JSON|invalid YAML)"):
            read_file(path)


def test_hf_extras_are_kept_from_the_recorded_answer():
    result = read_hf_json(HF_FIXTURE, "hf/2026-06-12.json")
    hubs = [p.hub for p in result.papers]
    assert sum(bool(h.summary) for h in hubs) == len(hubs)  # every item has an ai_summary
    assert any(h.organization == "California institute of technology" for h in hubs)
    assert all(h.published is not None and h.published <= date(2026, 6, 12) for h in hubs)
    assert all(h.comments is None or h.comments >= 0 for h in hubs)
    assert result.warnings == []


def test_hf_extras_of_the_wrong_type_are_warnings_not_errors(tmp_path):
    path = tmp_path / "x.json"
    path.write_text(
        '[{"paper": {"id": "2506.00001", "title": "T", "summary": "S",'
        ' "submittedOnDailyAt": "2025-06-06T00:00:00Z", "ai_summary": 3,'
        ' "githubStars": "many", "publishedAt": "soon"},'
        ' "numComments": -1, "organization": {"avatar": "x"}}]',
        encoding="utf-8",
    )
    result = read_hf_json(path, "x.json")
    [paper] = result.papers
    assert paper.hub.summary == "" and paper.hub.github_stars is None
    assert paper.hub.published is None and paper.hub.comments is None
    assert paper.hub.organization == ""
    messages = sorted(str(w) for w in result.warnings)
    assert len(messages) == 5 and all(m.startswith("x.json:1: warning: item 0: ") for m in messages)


# Saved answers read whole --------------------------------------------------------------------


def test_read_bench_reads_the_same_papers_from_months_and_days():
    """scripts/read_bench.py, as BENCHMARKS.md runs it, on the two real months of the
    fixtures: both layouts give every paper, and the figures and ratios are printed
    (figures only: a test times nothing)."""
    result = subprocess.run(
        [sys.executable, ROOT / "scripts" / "read_bench.py", "--real", FIXTURES / "real",
         "--runs", "1"],
        capture_output=True, text=True, check=True, cwd=ROOT,
    )  # fmt: skip
    out = result.stdout
    assert "months    2 files" in out and "days     45 files" in out
    assert out.count("444 papers") == 4  # each layout, in the read step and the readers
    assert len(re.findall(r"months / days: \d+\.\d\d", out)) == 2
    assert "444 read, 3.0 MiB" in out and "222 read" in out  # one answer, whole and half
    assert len(re.findall(r"whole / half: \d+\.\d\d", out)) == 2  # the answer, the library


def saved_answer(items: list) -> tuple[str, list[int]]:
    """``items`` as the API's answer saved whole (two-space indents), and the line each
    item's ``{`` is on, counted as the text is put together."""
    chunks = [json.dumps(item, indent=2, ensure_ascii=False) for item in items]
    starts, line = [], 2  # the list's "[" is line 1
    for chunk in chunks:
        starts.append(line)
        line += chunk.count("\n") + 1
    return "[\n" + ",\n".join(chunks) + "\n]\n", starts


def real_items() -> list:
    items = []
    for path in sorted((FIXTURES / "real").glob("*.json.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            items.extend(json.load(handle))
    return items


def test_hf_lines_are_right_deep_in_a_large_saved_answer(tmp_path):
    """Two real months as one answer (444 items, 3 MB, some 58,000 lines), CRLF line ends,
    an unusable item and a field of the wrong type near the end: every paper and every
    warning names the line its item starts on."""
    items = real_items()
    items[400] = {"title": "no paper object"}
    items[430]["paper"]["ai_summary"] = 7
    text, starts = saved_answer(items)
    path = tmp_path / "month.json"
    path.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    result = read_hf_json(path, "hf/month.json")
    assert starts[-1] > 50_000 and result.dropped == 1
    assert [str(w) for w in result.warnings] == [
        f"hf/month.json:{starts[400]}: warning: item 400 has no 'paper'; skipped",
        f"hf/month.json:{starts[430]}: warning: item 430: ai_summary is not text; ignored",
    ]
    expected = [(item["paper"]["id"], starts[n]) for n, item in enumerate(items) if n != 400]
    assert sorted((p.arxiv_id, p.line) for p in result.papers) == sorted(expected)


def test_line_counter_gives_the_count_from_the_start_in_any_order():
    text, _ = saved_answer(real_items()[:60])
    rng = random.Random(27)
    offsets = [0, 1, len(text) - 1, len(text), len(text) + 5]
    offsets += [rng.randrange(len(text)) for _ in range(300)]
    offsets += sorted(rng.randrange(len(text)) for _ in range(300))
    offsets += [text.index("\n") + d for d in (-1, 0, 1)]
    counter = LineCounter(text)
    assert [counter.line(o) for o in offsets] == [text.count("\n", 0, o) + 1 for o in offsets]


_JSON_TOKENS = ["[", "]", ",", " ", "\n", "\t", "\r", "{", "}", ":", '"a"', '"', "1", "-2.5e3",
                "null", "true", "[]", "{}", '{"k": [1]}', "x", "\\", "\u2028"]  # fmt: skip
_json_soup = st.lists(st.sampled_from(_JSON_TOKENS), max_size=14).map("".join)
_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner),
    max_leaves=8,
)
_json_lists = st.builds(
    lambda value, indent, before, after: before + json.dumps(value, indent=indent) + after,
    st.lists(_json_values, max_size=4), st.sampled_from([None, 0, 2, "\t"]),
    st.sampled_from(["", " ", "\n", "\t\r\n"]), st.sampled_from(["", "\n", " \n ", ",", "]"]),
)


@given(_json_soup | _json_lists)
def test_items_are_decoded_in_one_pass_exactly_as_the_json_parser_reads_the_list(text):
    try:
        expected = json.loads(text)
    except ValueError:
        expected = None
    found = _listed_items(text)
    if not isinstance(expected, list):
        assert found is None
        return
    assert found is not None and [item for _, item in found] == expected
    decoder = json.JSONDecoder()
    assert all(decoder.raw_decode(text, offset)[0] == item for offset, item in found)


@pytest.mark.parametrize(
    "text",
    ["", " \n", '{"paper": {}}\n', "7\n", "[\n {},\n]\n", "[\n {}\n {}\n]\n", "[]\n[]\n",
     "[\n 1\n] x\n", '[\n {"paper": \n'],
)  # fmt: skip
def test_hf_a_file_that_is_not_one_json_list_is_an_error_naming_the_line(tmp_path, text):
    path = tmp_path / "x.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_hf_json(path, "x.json")
    try:
        json.loads(text)
        expected = "x.json:1: expected a JSON list of daily papers items"
    except json.JSONDecodeError as exc:  # the parser's own message and line
        expected = f"x.json:{exc.lineno}: invalid JSON: {exc.msg}"
    if not text.strip():
        expected = "x.json:1: empty file: expected a JSON list of daily papers"
    assert str(caught.value) == expected


def test_a_number_too_long_for_python_is_a_one_line_error_naming_its_line(tmp_path):
    """Valid JSON that Python will not convert (an integer of over 4,300 digits): the
    build stops with the file and the item's line, not a traceback."""
    item = {"paper": {"id": "2506.00001", "title": "T", "summary": "A.",
                      "submittedOnDailyAt": "2025-06-06T00:00:00.000Z"}}  # fmt: skip
    path = tmp_path / "hf.json"
    path.write_text(
        "[\n" + json.dumps(item) + ",\n" + '{"paper": {"upvotes": ' + "9" * 5000 + "}}\n]\n"
    )
    with pytest.raises(InputError) as caught:
        read_hf_json(path, "hf.json")
    assert caught.value.line == 3 and "unreadable item" in caught.value.message
    assert "\n" not in str(caught.value)
