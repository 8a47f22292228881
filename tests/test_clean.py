import re
import sys

import pytest

from generator.model import Link
from generator.readers.clean import (
    clean_text,
    collapse_whitespace,
    extract_links,
    is_safe_url,
    normalise_arxiv_id,
    normalise_title,
    strip_invalid_chars,
    trim_url,
)


def test_latex_font_groups_keep_the_word():
    assert clean_text("can be {it misaligned} with pass@N") == "can be misaligned with pass@N"


def test_latin_macros_become_words():
    assert (
        clean_text(r"certain conditions B (\eg, Indoors)") == "certain conditions B (e.g., Indoors)"
    )
    assert clean_text(r"artifacts (\eg synthetic)") == "artifacts (e.g. synthetic)"


def test_latex_accent_on_dotless_i():
    assert clean_text(r"an apparently na\"{\i}ve ensembling") == "an apparently naïve ensembling"


def test_doubled_url_is_kept_once():
    text = "Code: https://github.com/ashikiut/DefAn{https://github.com/ashikiut/DefAn}."
    assert clean_text(text) == "Code: https://github.com/ashikiut/DefAn."


def test_whitespace_collapses_and_control_characters_go():
    assert clean_text("  a\tb\n\nc \x00d\x1b\x7f e\ufffe ") == "a b c d e"
    assert strip_invalid_chars("ok\x0bok\x85") == "ok" + "ok\x85"


def test_whitespace_is_what_the_regex_whitespace_class_matches():
    # collapse_whitespace splits on str.isspace(); it once was re.sub(r"\s+", " ", ...).
    every = map(chr, range(sys.maxunicode + 1))
    spaces = [c for c in every if c.isspace()]
    assert spaces == re.findall(r"\s", "".join(map(chr, range(sys.maxunicode + 1))))
    assert collapse_whitespace(f"{spaces[-1]}a{''.join(spaces)}b ") == "a b"


def test_trailing_punctuation_is_stripped_from_urls():
    assert trim_url("https://github.com/naver-ai/CLIP4DM.") == "https://github.com/naver-ai/CLIP4DM"
    assert trim_url("https://lacing-lvlm.github.io).") == "https://lacing-lvlm.github.io"
    assert trim_url("https://github.com/sony/aki,") == "https://github.com/sony/aki"
    assert trim_url("https://en.wikipedia.org/wiki/A_(b)") == "https://en.wikipedia.org/wiki/A_(b)"


def test_links_are_extracted_and_classified():
    abstract = (
        "Project page: https://pansanity666.github.io/TransHuman/ and code at "
        "https://github.com/x/y. Also https://gitlab.com/a/b, https://github.com/x/y again."
    )
    assert extract_links(abstract) == (
        Link("project", "https://pansanity666.github.io/TransHuman/"),
        Link("code", "https://github.com/x/y"),
        Link("code", "https://gitlab.com/a/b"),
    )


def test_only_http_urls_are_safe():
    assert is_safe_url("https://example.org/a?b=c")
    assert not is_safe_url("javascript:alert(1)")
    assert not is_safe_url("data:text/html,<script>")
    assert not is_safe_url("https://exa mple.org")
    assert not is_safe_url('https://example.org/"onmouseover=x')
    assert extract_links("see javascript:alert(1) and data:text/html;base64,AAAA") == ()


def test_arxiv_ids_lose_versions_and_prefixes():
    assert normalise_arxiv_id("2406.12345v2") == "2406.12345"
    assert normalise_arxiv_id("https://arxiv.org/abs/2406.12345v3") == "2406.12345"
    assert normalise_arxiv_id("arXiv:1706.03762") == "1706.03762"
    assert normalise_arxiv_id("hep-th/9901001v1") == "hep-th/9901001"
    assert normalise_arxiv_id("not an id") is None


def test_normalised_titles_fold_case_spacing_and_punctuation():
    assert normalise_title("Mixup  Your Own Pairs!") == normalise_title("mixup your own-pairs")
    assert normalise_title("Naïve Bayes") == normalise_title("naive bayes")


def test_ascii_titles_normalise_as_any_other():
    ascii = "".join(map(chr, range(128)))
    # The same text made non-ASCII by a combining accent, which normalising drops.
    assert normalise_title(ascii) == normalise_title(ascii + "\u0301")
    assert normalise_title("A_b-C9 é") == "a_b c9 e"


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        # Real abstracts of Hugging Face Daily Papers.
        ("models ``lack the ability'' to", "models “lack the ability” to"),
        (
            'While ``instruction-tuned" generative models',
            "While “instruction-tuned” generative models",
        ),
        (
            "GETMusic (`GET' stands for GEnerate music)",
            "GETMusic (‘GET’ stands for GEnerate music)",
        ),
        ("the `where' and `how' questions", "the ‘where’ and ‘how’ questions"),
        ("``X'' and ``L'' denote", "“X” and “L” denote"),
        ("better ''stroke tokens'' on graphics", "better “stroke tokens” on graphics"),
        ("a ``ripple\neffect'' in", "a “ripple effect” in"),
        # Left alone: apostrophes, straight quotes, primes.
        ("the model's 'own' view", "the model's 'own' view"),
        ("f''(x) = 0", "f''(x) = 0"),
    ],
)
def test_latex_quotes_become_curly_quotes(raw, clean):
    assert clean_text(raw) == clean


def test_latex_quotes_reach_pages_and_feeds(tmp_path):
    from generator.corpus import read_corpus
    from generator.render.outputs import render_site
    from generator.settings import Settings

    (tmp_path / "day.yaml").write_text(
        "date: 2026-06-12\npapers:\n  - title: Do models ``know'' facts?\n"
        "    abstract: They ``lack the ability'' to say.\n",
        encoding="utf-8",
    )
    written = render_site(read_corpus(tmp_path), Settings()).files
    files = {str(k): v.decode() for k, v in written.items() if k.suffix != ".gz"}
    for name in ("days/2026-06-12.md", "atom.xml", "rss.xml", "feed.json"):
        assert "“lack the ability”" in files[name], name
        assert "``" not in files[name], name
    [paper] = [v for k, v in files.items() if k.startswith("papers/")]
    assert "Do models “know” facts?" in paper
