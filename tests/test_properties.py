"""Property-based tests: random titles, abstracts and whole page dumps, full of the
characters that break pages and feeds. Each build either succeeds, with every title and
abstract shown literally in its page and in the feeds, or fails with a clear
``path:line: message`` error. Feeds always parse strictly and through feedparser."""

from __future__ import annotations

import re
from pathlib import Path

import feedparser
import markdown
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree, html

from generator.corpus import read_corpus
from generator.errors import InputError
from generator.render.outputs import render_site
from generator.settings import Settings

from conftest import atom_title

NASTY_TOKENS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "javascript:alert(1)",
    "data:text/html,<b>x</b>",
    "{{ x }}",
    "{% if %}",
    "{# c #}",
    "# ",
    "> ",
    "1. ",
    "    ",
    "---",
    "|",
    "*",
    "_",
    "`",
    "**",
    "]]>",
    "<![CDATA[",
    "&amp;",
    "&",
    "<",
    ">",
    '"',
    "'",
    "\\",
    "\x00",
    "\x07",
    "\x1b",
    "\x7f",
    "\x85",
    "\u202e",
    "\u200b",
    "e\u0301",
    "\U0001f600",
    "\u05e9\u05dc\u05d5\u05dd",
    "https://github.com/a/b.",
    "{it x}",
    "\\eg",
    "[x](y)",
    "\t",
    "\ufeff",
    "\ufffe",
    "\ud800",
    "Jun 6",
    "\r",
    "\n",
]
# Bytes that make a whole file unreadable (NUL, a lone surrogate): whole-dump tests only.
FILE_BREAKERS = {"\x00", "\ud800"}
text = st.lists(
    st.one_of(st.sampled_from(NASTY_TOKENS), st.text(max_size=6)), min_size=1, max_size=12
).map("".join)
readable_text = st.lists(
    st.one_of(
        st.sampled_from([t for t in NASTY_TOKENS if t not in FILE_BREAKERS]),
        st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=6),
    ),
    min_size=1,
    max_size=12,
).map("".join)
# Single-paragraph text, as a page dump can carry it.
line_text = readable_text.map(lambda s: re.sub(r"\s*\n\s*\n\s*", " ", s).replace("\r", " "))

MD = markdown.Markdown(extensions=["attr_list", "md_in_html", "toc", "meta"])
SETTINGS = Settings(site_url="https://prop.example.org/")


def render_markdown(source: str) -> html.HtmlElement:
    body = source.split("---\n", 2)[2] if source.startswith("---\n") else source
    MD.reset()
    return html.fromstring(f"<div>{MD.convert(body)}</div>")


def check_build(content: Path, allowed: tuple[str, ...] | None = None) -> None:
    """Build ``content``; a failure must be a ``file:line: message`` error and, where the
    input is valid by construction, one of the ``allowed`` messages."""
    try:
        corpus = read_corpus(content)
    except InputError as exc:
        assert re.match(rf"^{re.escape(content.as_posix())}/[^:]+:\d+: \S", str(exc)), str(exc)
        if allowed is not None:
            assert any(message in exc.message for message in allowed), str(exc)
        return
    files = {str(k): v for k, v in render_site(corpus, SETTINGS).files.items()}
    for paper in corpus.papers:
        doc = render_markdown(files[f"papers/{paper.id}.md"].decode("utf-8"))
        assert doc.cssselect("h1.paper-title")[0].text_content() == paper.title
        if paper.abstract:
            assert doc.cssselect(".paper-abstract p")[0].text_content() == paper.abstract
        assert not doc.cssselect("script, img, iframe, b")
    titles = {p.title for p in corpus.papers[: SETTINGS.feed_size]}
    strict = etree.XMLParser(recover=False)
    for name in ("atom.xml", "rss.xml"):
        assert not feedparser.parse(files[name]).bozo
    atom = etree.fromstring(files["atom.xml"], strict)
    assert titles <= {atom_title(e) for e in atom.iterfind("{http://www.w3.org/2005/Atom}entry")}
    rss = etree.fromstring(files["rss.xml"], strict)
    assert titles <= {item.findtext("title") for item in rss.iter("item")}


def make_content(tmp_path: Path, name: str, data: str | bytes) -> Path:
    content = tmp_path / "content"
    if content.exists():
        for path in content.iterdir():
            path.unlink()
    content.mkdir(exist_ok=True)
    path = content / name
    path.write_bytes(data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data)
    return content


PROPERTY_SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@PROPERTY_SETTINGS
@given(papers=st.lists(st.tuples(line_text, line_text), min_size=1, max_size=4))
def test_random_titles_and_abstracts_in_a_page_dump(tmp_path, papers):
    body = "\n\n".join(f"{title}\n\n{abstract}" for title, abstract in papers)
    check_build(
        make_content(tmp_path, "2025-06-06.txt", f"Jun 6\n\n{body}\n"),
        # Text that cleans to nothing, or reads as a date line or an abstract, is no title.
        allowed=("empty title", "second date line", "where a title was expected"),
    )


@PROPERTY_SETTINGS
@given(dump=text)
def test_random_whole_page_dumps(tmp_path, dump):
    check_build(make_content(tmp_path, "2025-06-06-random.txt", dump))


@PROPERTY_SETTINGS
@given(title=readable_text, abstract=readable_text, author=readable_text)
def test_random_yaml_papers(tmp_path, title, abstract, author):
    import yaml

    day = {
        "date": "2025-06-06",
        "papers": [{"title": title, "abstract": abstract, "authors": [author]}],
    }
    try:
        data = yaml.safe_dump(day, allow_unicode=True)
    except yaml.YAMLError:
        return  # not representable in YAML at all
    content = make_content(tmp_path, "day.yaml", data.encode("utf-8", "surrogatepass"))
    check_build(content, allowed=("title is empty", "needs a non-empty"))
