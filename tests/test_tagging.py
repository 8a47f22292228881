from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from generator.errors import InputError
from generator.merge import merge_papers
from generator.model import Paper
from generator.readers.page_dump import read_page_dump
from generator.tagging import MAX_TAGS, assign_tags, keyword_pattern, load_tag_rules

from conftest import ROOT, SEED

RULES = """\
tags:
  - slug: llm
    title: Large language models
    description: LLMs.
    keywords: [large language model, LLM]
  - slug: vision
    title: Vision
    description: Seeing.
    keywords: [vision, image]
    exclude: [vision-language]
  - slug: robots
    title: Robots
    description: Robots.
    categories: [cs.RO]
"""


def paper(title, abstract="", **kw):
    return Paper(
        id="x",
        title=title,
        abstract=abstract,
        days=(date(2025, 1, 1),),
        rank=0,
        sources=("day.yaml",),
        **kw,
    )


@pytest.fixture
def rules(tmp_path):
    path = tmp_path / "tags.yaml"
    path.write_text(RULES, encoding="utf-8")
    return load_tag_rules(path, "tags.yaml")


def test_keyword_patterns():
    assert keyword_pattern("LLM").search("two LLMs agree")
    assert not keyword_pattern("LLM").search("llm")  # capitals match in that case only
    assert keyword_pattern("fine-tuning").search("Fine tuning helps")
    assert not keyword_pattern("rag").search("drag")


def test_matches_carry_their_reason(rules):
    p = paper("Scaling LLMs", "A large language model. Another large language model.")
    assign_tags([p], rules)
    assert [(m.slug, m.reason) for m in p.tags] == [
        ("llm", "“LLM” in title; “large language model” ×2 in abstract")
    ]


def test_exclude_vetoes_and_threshold_applies(rules):
    vl = paper("Vision-language models see", "image")
    weak = paper("Unrelated", "one image")
    assign_tags([vl, weak], rules)
    assert vl.tags == () and weak.tags == ()


def test_keywords_categories_and_manual_tags(rules):
    p = paper(
        "Grasping",
        "",
        keywords=("large language model",),
        categories=("cs.RO",),
        manual_tags=("vision", "nope"),
    )
    warnings = assign_tags([p], rules)
    assert [(m.slug, m.reason) for m in p.tags] == [
        ("llm", "“large language model” in keywords"),
        ("vision", "tagged by hand"),
        ("robots", "arXiv category cs.RO"),
    ]
    assert "unknown tag 'nope'" in str(warnings[0])


def test_rule_errors_name_the_line(tmp_path):
    path = tmp_path / "tags.yaml"
    path.write_text(
        "tags:\n  - slug: Bad Slug\n    title: t\n    description: d\n    keywords: [x]\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match=r"tags.yaml:2: slug 'Bad Slug'"):
        load_tag_rules(path, "tags.yaml")
    path.write_text("tags:\n  - slug: a\n    title: t\n    description: d\n    regex: ['(']\n")
    with pytest.raises(InputError, match=r"tags.yaml:5: bad regex"):
        load_tag_rules(path, "tags.yaml")


def test_shipped_taxonomy_on_the_seed():
    """The acceptance rules for the default taxonomy on the shipped sample."""
    rules = load_tag_rules(ROOT / "content" / "tags.yaml")
    assert 20 <= len(rules) <= 40
    papers = merge_papers(read_page_dump(SEED, "seed.txt").papers).papers
    assign_tags(papers, rules)
    assert all(1 <= len(p.tags) <= MAX_TAGS for p in papers), [
        p.title for p in papers if not p.tags
    ]
    counts = Counter(m.slug for p in papers for m in p.tags)
    assert set(counts) == {r.slug for r in rules}, "every tag page has papers"
    assert max(counts.values()) <= 0.4 * len(papers)
    assert sum(1 for c in counts.values() if c >= 2) >= 15
    assert all(m.reason for p in papers for m in p.tags)


def test_missing_rules_file_means_no_tags(tmp_path):
    assert load_tag_rules(Path(tmp_path / "none.yaml")) == []
