import dataclasses
import random
import re
from datetime import date
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from generator.corpus import read_corpus
from generator.errors import InputError
from generator.model import Paper, TagMatch
from generator.readers.hf_json import read_hf_json
from generator.readers.merge import merge_papers
from generator.readers.page_dump import read_page_dump
from generator.tags.index import REPEATED, KeywordIndex, fold_words, hits_keyword, keyword_words
from generator.tags.matching import MAX_TAGS, assign_tags
from generator.tags.rules import (
    TagRule,
    keyword_pattern,
    load_tag_rules,
    required_groups,
    required_word,
)
from generator.tags.scan import ScannedPattern

from conftest import HF_FIXTURE, ROOT, SEED

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
    both = paper("Robots", "A large language model reads one image.")
    assign_tags([vl, weak, both], rules)
    assert vl.tags == ()  # vetoed, even as the closest rule
    # Below every threshold: the closest rule, said so, and only when no rule reaches.
    assert weak.tags == (TagMatch("vision", "closest rule: “image” in abstract"),)
    assert [m.slug for m in both.tags] == ["llm"]


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
    """The shipped sample (89 papers of one day, mostly on alignment and calibration): every
    paper gets a tag, with a reason. Coverage and balance on the field are measured on real
    papers below (test_shipped_taxonomy_on_real_papers)."""
    rules = load_tag_rules(ROOT / "content" / "tags.yaml")
    assert 30 <= len(rules) <= 45
    papers = merge_papers(read_page_dump(SEED, "seed.txt").papers).papers
    assign_tags(papers, rules)
    assert all(1 <= len(p.tags) <= MAX_TAGS for p in papers), [
        p.title for p in papers if not p.tags
    ]
    assert all(m.reason for p in papers for m in p.tags)


def test_missing_rules_file_means_no_tags(tmp_path):
    assert load_tag_rules(Path(tmp_path / "none.yaml")) == []


def test_exclude_may_run_from_the_title_into_the_abstract(rules):
    """Excludes are searched in title + newline + abstract, so a match may span both;
    keywords are searched in each on its own."""
    p = paper("Seeing with vision", "language models and images and more image")
    q = paper("Seeing with vision.", "language models and images and more image")
    r = paper("Scaling large language", "models")
    assign_tags([p, q, r], rules)
    assert p.tags == () and [m.slug for m in q.tags] == ["vision"] and r.tags == ()


# Equivalence with the tagging of old, which ran each rule's patterns over each paper on
# their own: the one-pass matching of generator.tags.index must give exactly its tags and
# reasons, on real content, on texts made to be tricky, and on random ones.


def reference_assign_tags(papers: list[Paper], rules: list[TagRule]) -> list[str]:
    """The tagging before the keyword index, kept as the reference (warnings as text)."""
    order = {rule.slug: index for index, rule in enumerate(rules)}
    known = set(order)
    warnings = []
    for p in papers:
        scored = []
        for slug in p.manual_tags:
            if slug in known:
                scored.append((10**6, order[slug], TagMatch(slug, "tagged by hand", "hand")))
            else:
                warnings.append(f"{p.id}: unknown tag {slug!r}")
        manual = {m.slug for *_, m in scored}
        closest = None
        folded = "\n".join((p.title, p.abstract, *p.keywords)).lower()
        for rule in rules:
            text = f"{p.title}\n{p.abstract}"
            if rule.slug in manual or any(x.search(text) for x in rule.exclude):
                continue
            where: dict[str, list[str]] = {"title": [], "keywords": [], "abstract": []}
            most = 0
            for e, (label, pattern, needle) in enumerate(rule.patterns):
                if needle and needle not in folded:
                    continue
                listed = [k for k in p.keywords if reference_hits_keyword(pattern, k)]
                if found := pattern.search(p.title):
                    place, hits = "title", 1
                elif e in rule.title_only:
                    continue
                elif listed:
                    place, hits, found = "keywords", 1, pattern.search(listed[0])
                elif hits := len(pattern.findall(p.abstract)):
                    place, found = "abstract", pattern.search(p.abstract)
                    most = max(most, hits)
                else:
                    continue
                if e in rule.regexes and found and found[0].strip():
                    label = " ".join(found[0].split())  # a regex's reason quotes the text
                words = f"“{label}”" + (f" ×{hits}" if hits > 1 else "")
                if words not in where[place]:
                    where[place].append(words)
                again = len(pattern.findall(p.abstract)) if place != "abstract" else 0
                if again >= REPEATED and e not in rule.title_only:  # mentioned again and again
                    label = rule.patterns[e][0]
                    if e in rule.regexes:
                        label = " ".join(pattern.search(p.abstract)[0].split()) or label
                    words = f"“{label}” ×{again}"
                    if words not in where["abstract"]:
                        where["abstract"].append(words)
                    most = max(most, again)
            score = (3 if where["title"] else 0) + (2 if where["keywords"] else 0) + min(most, 3)
            reasons = [f"{', '.join(ws)} in {place}" for place, ws in where.items() if ws]
            for category in rule.categories:
                if category in p.categories:
                    score += 2
                    reasons.append(f"arXiv category {category}")
            if score >= rule.min_score:
                scored.append((score, order[rule.slug], TagMatch(rule.slug, "; ".join(reasons))))
            elif score and (closest is None or score > closest[0]):
                reason = "closest rule: " + "; ".join(reasons)
                closest = (score, order[rule.slug], TagMatch(rule.slug, reason))
        if not scored and closest is not None:
            scored.append(closest)
        given = {m.slug for *_, m in scored}
        unless = {rule.slug: rule.unless_tagged for rule in rules}
        scored = [t for t in scored if t[0] == 10**6 or not unless[t[2].slug] & given]
        scored.sort(key=lambda t: (-t[0], t[1]))
        p.tags = tuple(m for *_, m in sorted(scored[:MAX_TAGS], key=lambda t: t[1]))
    return warnings


def reference_hits_keyword(pattern: re.Pattern[str], keyword: str) -> bool:
    """A match that ends where the keyword does, or its main part, or a short name in its
    trailing parenthesis: "agent" hits "LLM agents", "in-context" not "in-context learning"."""
    main = re.sub(r"\s*\([^()]*\)\W*$", "", keyword)
    short = re.fullmatch(r".*\(([^()]*)\)\W*", keyword)
    if main == keyword:
        ends = {len(keyword.rstrip(" \t\n.,;:!?)]}\"'"))}
    else:
        ends = {len(main), short.start(1) + len(short[1].rstrip(" \t\n.,;:!?)]}\"'"))}
    generic = r"[\s\-]+(?:models?|methods?|frameworks?|approach(?:es)?|systems?|techniques?|tasks?|polic(?:y|ies)|networks?|algorithms?)$"  # noqa: E501
    for end in list(ends):
        if head := re.search(generic, keyword[:end], re.IGNORECASE):
            ends.add(head.start())
    return any(
        (m := pattern.match(keyword, at)) is not None and m.end() in ends
        for at in range(len(keyword))
    )


def assert_same_tags(papers: list[Paper], rules: list[TagRule]) -> None:
    expected = [dataclasses.replace(p) for p in papers]
    got = [dataclasses.replace(p) for p in papers]
    warnings = reference_assign_tags(expected, rules)
    assert [w.message.split(" ignored")[0] for w in assign_tags(got, rules)] == warnings
    for old, new in zip(expected, got, strict=True):
        assert new.tags == old.tags, (new.title, new.abstract, new.keywords)


SHIPPED = load_tag_rules(ROOT / "content" / "tags.yaml")

TRICKY_RULES = r"""
tags:
  - slug: odd
    title: Keywords the index leaves to their patterns, and regexes of many shapes
    description: d
    keywords: ["C++", "-", "émotion", "a a", "s s", "AI safety", "x_1", "k8s", "Straße",
               "GPT-4o", "Llama 2", "LLM", "large language model", "language model",
               "fine-tuning", "in context", "ſafety", "İnterp"]
    regex: ['\bpre-?train', '(?<!un)stable', '\w*agent', 'x*', '(?-i:LLM)s', '(?x) re  ward',
            'a(b|c)+d', '^the', 'model$', '(?:value|human)[\s-]+alignment', 'foo|',
            'align(ing)? (large )?(language|multimodal) models?', '\d+ ?B params', '[Bb]ench']
    exclude: ["not this", "vision language"]
    min_score: 1
  - slug: plain
    title: Overlapping keywords
    description: d
    keywords: [model, models, data, bias, biases, es, s, LoRA, RAG, Rag, rag, in-context,
               in-context learning, context, learning rate, learning, rate]
    exclude: [implicit bias]
    categories: [cs.CL, cs.LG]
    min_score: 2
  - slug: dup
    title: The same keyword many times
    description: d
    keywords: [model, model, Model, MODEL, large language model, Large Language Model, LLMs]
    regex: [model]
    min_score: 3
"""


@pytest.fixture(scope="module")
def tricky_rules(tmp_path_factory):
    path = tmp_path_factory.mktemp("rules") / "tags.yaml"
    path.write_text(TRICKY_RULES, encoding="utf-8")
    weird = [  # what load_tag_rules never makes: odd needles, flags, duplicate slugs
        TagRule(
            "llm",
            "t",
            "d",
            patterns=(
                ("x", keyword_pattern("language model"), "zzz"),
                ("y", keyword_pattern("LLM"), ""),
                ("z", re.compile(r"(?<!\w)data(?:e?s)?(?!\w)", re.I | re.ASCII), "data"),
            ),
            exclude=(re.compile("xyz", re.I),),
            min_score=1,
        ),
        SHIPPED[3],
        SHIPPED[0],
    ]
    return SHIPPED + load_tag_rules(path, "tags.yaml") + weird


@pytest.mark.slow  # every keyword of the shipped rules on its own, over real papers
def test_same_tags_as_each_pattern_on_its_own_on_real_content(tricky_rules):
    seed = merge_papers(read_page_dump(SEED, "seed.txt").papers).papers
    hf = merge_papers(read_hf_json(HF_FIXTURE, "hf.json").papers).papers
    assert any(p.keywords for p in hf)
    nasty = read_corpus(Path(__file__).parent / "nasty" / "content").papers
    for papers in (seed, hf, nasty):
        assert_same_tags(papers, SHIPPED)
        assert_same_tags(papers, tricky_rules)
    assert_same_tags(nasty, load_tag_rules(Path(__file__).parent / "nasty/content/tags.yaml"))


def _keywords(rules):
    labels = [label for rule in rules for label, _, needle in rule.patterns if needle]
    return [*labels, "vision language", "visual language", "implicit bias", "not this"]


PIECES = ["the", "a", "of", "in", "and", "we", "is", "LLMs", "LLM", "llm", "Llm", "RAGs", "rag"]
PIECES += ["GPT-4", "GPTs", "sGD", "models"]
ODD = ["é", "ſ", "ı", "İ", "K", "ß", "α", "中文", "\u0301", "—", "’", "\xa0", "\u2009", "_", "٣"]
GAPS = [" ", " ", " ", "-", "--", "  ", "\n", "\t", ".", ",", "(", "/", "_", "", "\x00", "\x1c",
        "\x85", "\xa0", "\u2009", "—"]  # fmt: skip


def _variant(rng: random.Random, keyword: str, odd: bool) -> str:
    """A keyword as a text may have it, or nearly: case, gaps, endings, neighbours."""
    out = []
    words = keyword.replace("-", " ").split()
    for n, word in enumerate(words):
        roll = rng.random()
        if roll < 0.15:
            word = word.upper()
        elif roll < 0.3:
            word = word.capitalize()
        elif roll < 0.35:
            word = word[:-1]
        elif roll < 0.4 and odd:
            word = word.replace("s", "ſ").replace("i", rng.choice("ıİ"))
        out += [word, rng.choice(GAPS if odd else GAPS[:14]) if n < len(words) - 1 else ""]
    roll = rng.random()
    ends = ["s", "es", "ing", "x", "_", "1"] + (["é", "ß"] if odd else [])
    front = ["un", "x", "_"] + (["é"] if odd else [])
    return (
        (rng.choice(front) if roll < 0.1 else "")
        + "".join(out)
        + (rng.choice(ends) if roll > 0.6 else "")
    )


def _text(rng: random.Random, keywords: list[str], length: int) -> str:
    odd = rng.random() < 0.4
    out = []
    for _ in range(length):
        roll = rng.random()
        if roll < 0.4:
            out.append(_variant(rng, rng.choice(keywords), odd))
        elif roll < 0.85 or not odd:
            out.append(rng.choice(PIECES))
        else:
            out.append(rng.choice(ODD))
        out.append(rng.choice(GAPS if odd else GAPS[:14]))
    return "".join(out)


def test_same_tags_as_each_pattern_on_its_own_on_tricky_texts(tricky_rules):
    rng = random.Random(7)
    keywords = _keywords(tricky_rules)
    papers = []
    for _ in range(300):
        papers.append(
            paper(
                _text(rng, keywords, rng.randint(0, 8)),
                _text(rng, keywords, rng.randint(0, 50)),
                keywords=tuple(_text(rng, keywords, 2) for _ in range(rng.choice((0, 0, 2)))),
                categories=tuple(rng.sample(["cs.CL", "cs.LG", "cs.CV"], rng.randint(0, 1))),
                manual_tags=tuple(rng.sample(["llm", "odd", "nope"], rng.choice((0, 0, 0, 1)))),
            )
        )
    for keyword in keywords[::4]:  # a title that ends where a keyword's abstract starts
        words = keyword.split()
        title = _text(rng, keywords, 3) + " " + " ".join(words[: len(words) // 2 or 1])
        abstract = " ".join(words[len(words) // 2 or 1 :]) + _text(rng, keywords, 5)
        papers.append(paper(title, abstract))
    seed = merge_papers(read_page_dump(SEED, "seed.txt").papers).papers
    for p in seed:  # real abstracts, with words swapped for keywords and their variants
        words = p.abstract.split(" ")
        for _ in range(10):
            words[rng.randrange(len(words))] = _variant(rng, rng.choice(keywords), False)
        papers.append(paper(p.title, " ".join(words)))
    assert_same_tags(papers, tricky_rules)


_fragment = st.sampled_from([*_keywords(SHIPPED)[::3], *PIECES, *ODD, *GAPS, "s", "es", "-", "x"])
_texts = st.lists(_fragment, max_size=25).map("".join)


@pytest.mark.slow  # hypothesis: many examples
@settings(max_examples=100, deadline=None)
@given(title=_texts, abstract=_texts, keywords=st.lists(_texts, max_size=2))
def test_same_tags_as_each_pattern_on_its_own_on_random_texts(
    title, abstract, keywords, tricky_rules
):
    assert_same_tags([paper(title, abstract, keywords=tuple(keywords))], tricky_rules)


@given(st.text())
def test_fold_words_keeps_positions_and_words(text):
    folded, lowered = fold_words(text)
    assert len(folded) == len(text)
    assert folded.split() == [w.lower() if lowered else w for w in re.findall(r"\w+", text)]


def test_keyword_words_reads_keyword_patterns():
    assert keyword_words(keyword_pattern("large language-model")) == ("large", "language", "model")
    assert keyword_words(keyword_pattern("LLM")) == ("LLM",)
    for odd in ("C++", "-", "émotion", "Straße", "x" * 90):
        assert keyword_words(keyword_pattern(odd)) is None
    assert keyword_words(re.compile(r"(?<!\w)data(?:e?s)?(?!\w)", re.ASCII)) is None
    # Every shipped keyword is indexed, none left to a scan of its own (that is slow).
    keywords = {
        pattern for rule in SHIPPED for label, pattern, _ in rule.patterns if label[0] != "/"
    }
    assert len(KeywordIndex(keywords).patterns) == len(keywords)


REGEXES = [
    r"(language|human|llm|value|preference)[\s-]+alignment",
    r"align(ing)? (large )?(language|multimodal) models?",
    r"\bpre-?train",
    r"(?<!un)stable",
    r"(?-i:LLM)s",
    r"a(b|c)+d",
    r"^the",
    r"(?:ab|cd)+x",
    r"foo|",
    r"x*",
    r"[)]abc",
    r"(?:foo|cdx|pre)-?(?:large|stable) (?:ab|llms)",
    r"(?i:ab)cd",
    r"\bab\w+cd",
    r"ab{0,2}cdx",
]


@pytest.mark.parametrize(
    ("regex", "groups"),
    [
        (r"\b(?:we|this work) (?:introduce|present)s? (?:a )?(?:benchmark|test suite)\b",
         (("introduce", "present"), ("benchmark", "suite"))),
        (r"(language|human|llm)[\s-]+alignment", (("language", "human", "llm"),)),
        (r"[(](?:abc|def)[)]", (("abc", "def"),)),
        (r"[\](]+(?:abc|def)+", (("abc", "def"),)),
        (r"(?:abc|def)?x", ()),  # optional
        (r"(?:abc|def){2}", ()),
        (r"(?:abc|de)", ()),  # a word too short to look for
        (r"(?:abc|def)|x", ()),  # a top-level alternative
        (r"((?:abc|def))", ()),  # not only words
        (r"(?x) (?:abc|def)", ()),  # verbose
    ],
)  # fmt: skip
def test_required_groups(regex, groups):
    assert required_groups(regex) == groups


SCAN_PIECES = ["pre", "train", "-", " ", "stable", "un", "LLMs", "llms", "Align", "ing"]
SCAN_PIECES += ["large", "language", "models", "the", "ab", "cd", "x", "foo", "ſ", "İ", "\n"]


@example(text="abcdx cdx abx, pre-train pretrain; LLMsLLMs un-stable stable")
@given(text=st.lists(st.sampled_from(SCAN_PIECES), max_size=20).map("".join))
def test_scanned_patterns_answer_as_search_and_findall(text):
    """With the word ``required_word`` reads from each pattern as its needle, a pattern
    the cheap test rules out never matches."""
    for regex in REGEXES:
        pattern = re.compile(regex, re.IGNORECASE)
        scanned = ScannedPattern(pattern, required_word(regex))
        assert scanned.search(text) == bool(pattern.search(text)), regex
        assert scanned.count(text) == len(pattern.findall(text)), regex
        if not scanned.may_match(text.isascii(), text.lower()):
            assert not pattern.search(text), regex


@pytest.mark.parametrize(
    ("keyword", "listed", "hit"),
    [
        ("agent", "LLM agents", True),
        ("in-context", "in-context learning", False),
        ("zero-shot", "zero-shot audio editing", False),
        ("large language model", "Large Language Models (LLMs)", True),
        ("LLM", "Large Language Models (LLMs)", True),
        ("language model", "language models, ", True),
        ("model", "model-based planning", False),
        ("diffusion", "denoising diffusion models", True),
        ("diffusion", "diffusion-based editing", False),
        ("agent", "multi-agent framework", True),
        ("LLM", "LLM-based framework", False),
    ],
)
def test_a_keyword_hits_a_listed_keyword_whole_or_at_its_end(keyword, listed, hit):
    pattern = keyword_pattern(keyword)
    assert hits_keyword(pattern, listed) is hit
    assert reference_hits_keyword(pattern, listed) is hit
