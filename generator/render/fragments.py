"""A paper as an HTML fragment: the one place a paper becomes markup outside its own page.

Cards on the listing pages (days, home, tags, weeks, months), feed entries (Atom, RSS and
JSON Feed ``content_html``), the entries of digest feeds and the rows of the digest email
all show parts of the same paper: its title, authors, tags, TL;DR, abstract, links and
upvotes. Each medium is a :class:`Medium` saying which parts it shows, in which order, in
which elements, with which attributes (CSS classes on the site, inline styles in mail,
none in feeds, whose readers drop both), so a change to how a paper reads is made once.

Everything taken from a paper is text, never markup: it is escaped here, as Jinja's
autoescaping would (MarkupSafe's ``escape``), so ``<script>``, ``&`` and quotes show
literally in every medium.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

from jinja2 import Environment
from jinja2.filters import do_truncate
from markupsafe import escape

from generator.model import LINK_KINDS, Paper

LINK_LABELS = {
    "arxiv": "arXiv",
    "pdf": "PDF",
    "code": "Code",
    "project": "Project page",
    "huggingface": "Hugging Face",
}

#: Stands for a page's way up to the site root in a cached card. Cleaned paper text never
#: holds NUL (``clean.py`` drops it), so the placeholder cannot come from a paper.
ROOT = "\x00root\x00"

#: What renders one part: (paper, medium, tag titles, root) → inner HTML, '' for none.
PartRenderer = Callable[["Paper", "Medium", Mapping[str, str], str], str]

_NEEDS_ESCAPING = re.compile("[&<>\"']")
#: Only for ``do_truncate``, which reads the environment for a default we always give.
_TRUNCATE_ENV = Environment(autoescape=True)

_SENTENCE = re.compile(r"^(.+?[.!?])(?=\s+[A-Z0-9(\"“]|\s*$)", re.DOTALL)
#: A first sentence longer than this is cut at a word and ends with "…".
BLURB_LIMIT = 300


def escaped(text: str) -> str:
    """``text`` as Jinja's autoescaping writes it (MarkupSafe's ``escape``, which it
    calls). Most text has none of the five characters ``escape`` replaces: then it is
    ``text`` itself, without making a ``Markup`` (10,000 cards, tens of calls each)."""
    return str(escape(text)) if _NEEDS_ESCAPING.search(text) else text


def truncated(text: str, length: int, leeway: int) -> str:
    """``text`` cut at a word to about ``length`` characters, ending "…", as Jinja's
    ``truncate`` filter does (the paper page's description uses the same)."""
    return do_truncate(_TRUNCATE_ENV, text, length, False, "…", leeway)


def link_kinds(paper: Paper) -> list[tuple[str, str]]:
    """(kind, url) of every outgoing link, in ``LINK_KINDS`` order, arXiv ones derived
    from the id, duplicates dropped."""
    links: list[tuple[str, str]] = []
    if paper.arxiv_id:
        links.append(("arxiv", f"https://arxiv.org/abs/{paper.arxiv_id}"))
        if not paper.link("pdf"):
            links.append(("pdf", f"https://arxiv.org/pdf/{paper.arxiv_id}"))
        if paper.on_huggingface:
            links.append(("huggingface", f"https://huggingface.co/papers/{paper.arxiv_id}"))
    links.extend((lk.kind, lk.url) for lk in paper.links)
    seen: set[str] = set()
    ordered = []
    for kind in LINK_KINDS:
        for link_kind, url in links:
            if link_kind == kind and url not in seen:
                seen.add(url)
                ordered.append((kind, url))
    return ordered


def paper_links(paper: Paper) -> list[tuple[str, str]]:
    """(label, url) of every outgoing link (:func:`link_kinds`): a kind's first link by
    the kind's label, a second one by its host and path."""
    ordered = []
    previous = ""
    for kind, url in link_kinds(paper):
        ordered.append((LINK_LABELS[kind] if kind != previous else _short_label(url), url))
        previous = kind
    return ordered


def _short_label(url: str) -> str:
    """A second link of one kind is labelled by its host and path, shortened."""
    bare = url.split("://", 1)[-1].rstrip("/")
    return bare if len(bare) <= 40 else bare[:39] + "…"


def blurb(paper: Paper) -> str:
    """The line a digest shows for a paper: its TL;DR, else its abstract's first sentence."""
    if paper.hub.summary:
        return paper.hub.summary
    abstract = " ".join(paper.abstract.split())
    match = _SENTENCE.match(abstract)
    sentence = match.group(1) if match else abstract
    if len(sentence) > BLURB_LIMIT:
        sentence = sentence[:BLURB_LIMIT].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return sentence


@dataclass(frozen=True)
class Medium:
    """How one medium shows a paper. Parts are named: ``title``, ``authors``, ``tags``
    (links to the tag pages), ``tldr``, ``excerpt`` (the abstract's start, with the card's
    More toggle), ``abstract`` (whole), ``blurb`` (TL;DR else first sentence), ``links``
    (outgoing links and upvotes), ``upvotes`` (that line without the links) and ``meta``
    (tag names and upvotes as one line of text)."""

    parts: tuple[str, ...]
    """The parts shown, in order; a part the paper lacks is left out."""
    elements: Mapping[str, str]
    """The element each part is written in; absent or '' for none (inline)."""
    attributes: Mapping[str, str] = field(default_factory=dict)
    """Each part's attributes (`` class="…"`` or `` style="…"``); key ``a`` for every link,
    ``votes`` for the upvote count in the links line."""
    open: str = ""
    """What comes before the parts; ``{id}`` is the paper's id."""
    close: str = ""
    separator: str = "\n"
    """What goes between parts: a line break in cards and feeds, ``<br>`` in a digest item."""
    always: tuple[str, ...] = ()
    """Parts written even when empty: the card keeps its tag row's line (a blank line)."""
    author_limit: int | None = None
    """How many authors before "and N more"; None for all."""
    page_link: bool = False
    """Whether the links start with "Paper page" (feeds: a reader's way back to the site)."""

    @cached_property
    def plan(self) -> tuple[tuple[str, PartRenderer, str, str, bool], ...]:
        """Per part: its renderer, opening and closing tags, and whether it is kept when
        empty; worked out once, as a card is made 20,000 times at 10,000 papers."""
        plan = []
        for part in self.parts:
            element = self.elements.get(part, "")
            start = f"<{element}{self.attributes.get(part, '')}>" if element else ""
            end = f"</{element}>" if element else ""
            plan.append((part, _PARTS[part], start, end, part in self.always))
        return tuple(plan)


def paper_html(
    paper: Paper, medium: Medium, tag_titles: Mapping[str, str], root: str,
    number: int | None = None,
) -> str:  # fmt: skip
    """``paper`` in ``medium``; links to site pages start with ``root`` (relative, or the
    :data:`ROOT` placeholder, on the site; the site's absolute URL in feeds and mail).
    ``number`` puts "3. " before the title (mail has no ``<ol>``)."""
    pieces = []
    for part, render, start, end, always in medium.plan:
        inner = render(paper, medium, tag_titles, root)
        if inner:
            if number is not None and part == "title":
                inner = f"{number}. {inner}"
            pieces.append(start + inner + end)
        elif always:
            pieces.append("")
    opening = medium.open.replace("{id}", escaped(paper.id))
    return opening + medium.separator.join(pieces) + medium.close


def _a(medium: Medium, url: str, text: str, outgoing: bool = False) -> str:
    rel = ' rel="noopener"' if outgoing else ""
    return f'<a href="{escaped(url)}"{rel}{medium.attributes.get("a", "")}>{escaped(text)}</a>'


def _title(paper: Paper, medium: Medium, titles: Mapping[str, str], root: str) -> str:
    return _a(medium, f"{root}papers/{paper.id}/", paper.title)


def _authors(paper: Paper, medium: Medium, titles: Mapping[str, str], root: str) -> str:
    limit = medium.author_limit
    # Escaping the joined names escapes each: ", " needs none.
    shown = escaped(", ".join(paper.authors[:limit]))
    more = len(paper.authors) - limit if limit is not None else 0
    return shown + (f" and {more} more" if more > 0 else "")


def _tags(paper: Paper, medium: Medium, titles: Mapping[str, str], root: str) -> str:
    return "".join(
        f"<li>{_a(medium, f'{root}tags/{match.slug}/', titles.get(match.slug, match.slug))}</li>"
        for match in paper.tags
    )


def _tldr(paper: Paper, medium: Medium, titles: Mapping[str, str], root: str) -> str:
    summary = paper.hub.summary
    return f"<strong>TL;DR</strong> {escaped(summary)}" if summary else ""


def _excerpt(paper: Paper, medium: Medium, titles: Mapping[str, str], root: str) -> str:
    """The abstract's first 420 characters, clamped to three lines by CSS; the "More"
    checkbox inside its label (no ids, no page load, no JavaScript) unclamps them. Screen
    readers read the whole excerpt."""
    if not paper.abstract:
        return ""
    return (
        f"<p>{escaped(truncated(paper.abstract, 420, 20))}</p>"
        "<label><input type=\"checkbox\"><span>More</span><span>Less</span></label>"
    )


def _abstract(paper: Paper, medium: Medium, titles: Mapping[str, str], root: str) -> str:
    return escaped(paper.abstract)


def _blurb(paper: Paper, medium: Medium, titles: Mapping[str, str], root: str) -> str:
    return escaped(blurb(paper))


def _upvotes(paper: Paper, medium: Medium, titles: Mapping[str, str], root: str) -> str:
    return _links_line(paper, medium, root, [])


def _links(paper: Paper, medium: Medium, titles: Mapping[str, str], root: str) -> str:
    outgoing = [_a(medium, url, label, True) for label, url in paper_links(paper)]
    if medium.page_link:
        outgoing.insert(0, _a(medium, f"{root}papers/{paper.id}/", "Paper page"))
    return _links_line(paper, medium, root, outgoing)


def _links_line(paper: Paper, medium: Medium, root: str, outgoing: list[str]) -> str:
    if paper.upvotes:
        outgoing.append(
            f'<span{medium.attributes.get("votes", "")} title="Hugging Face upvotes">'
            f"▲ {paper.upvotes}</span>"
        )
    return " · ".join(outgoing)


def _meta(paper: Paper, medium: Medium, titles: Mapping[str, str], root: str) -> str:
    meta = [", ".join(titles.get(t.slug, t.slug) for t in paper.tags)] if paper.tags else []
    if paper.upvotes:
        meta.append(f"▲ {paper.upvotes} upvotes")
    return escaped(" · ".join(meta))


_PARTS: dict[str, PartRenderer] = {
    "title": _title,
    "authors": _authors,
    "tags": _tags,
    "tldr": _tldr,
    "excerpt": _excerpt,
    "abstract": _abstract,
    "blurb": _blurb,
    "links": _links,
    "upvotes": _upvotes,
    "meta": _meta,
}

_CARD_ELEMENTS = {
    "title": "h3", "authors": "p", "tags": "ul", "tldr": "p", "excerpt": "div",
    "links": "p", "upvotes": "p",
}  # fmt: skip
_CARD_ATTRIBUTES = {
    "title": ' class="paper-card__title"',
    "authors": ' class="paper-card__authors"',
    "tags": ' class="paper-tags"',
    "tldr": ' class="paper-card__tldr"',
    "excerpt": ' class="paper-card__abstract"',
    "links": ' class="paper-card__links"',
    "upvotes": ' class="paper-card__links"',
    "votes": ' class="paper-card__upvotes"',
}

#: A paper on a day page or home. Whole abstracts stay on the paper page: 90 of them
#: would put a day page past the 150 KB page budget.
CARD = Medium(
    parts=("title", "authors", "tags", "tldr", "excerpt", "links"),
    elements=_CARD_ELEMENTS,
    attributes=_CARD_ATTRIBUTES,
    open='<article class="paper-card" id="{id}">\n',
    close="\n</article>\n",
    always=("tags",),
    author_limit=4,
)

#: A paper on listings with many pages (tags, weeks, months): without the abstract and the
#: outgoing links. Both are one click away, on the paper's page, and they would be most of
#: a large site's listing bytes, repeated on every tag of a paper.
COMPACT_CARD = Medium(
    parts=("title", "authors", "tags", "upvotes"),
    elements=_CARD_ELEMENTS,
    attributes=_CARD_ATTRIBUTES,
    open=CARD.open,
    close=CARD.close,
    always=("tags",),
    author_limit=4,
)

#: A feed entry's content: the entry's title is the paper's, so it is not repeated.
FEED_ENTRY = Medium(
    parts=("abstract", "authors", "links", "tags"),
    elements={"abstract": "p", "authors": "p", "links": "p", "tags": "ul"},
    page_link=True,
)

#: One paper of a digest feed entry's ``<ol>``.
DIGEST_ITEM = Medium(
    parts=("title", "blurb", "meta"),
    elements={"meta": "small"},
    open="<li>",
    close="</li>",
    separator="<br>",
)

# Colours with at least 4.5:1 contrast on white; fonts every client has.
MAIL_FONT = "font-family:Arial,Helvetica,sans-serif;"
MAIL_LINK = "color:#283593;text-decoration:underline;"

#: One paper of the digest email: a table row, styles inline (mail clients drop classes).
MAIL_ITEM = Medium(
    parts=("title", "blurb", "meta"),
    elements={"title": "p", "blurb": "p", "meta": "p"},
    attributes={
        "title": ' style="margin:0 0 6px;font-size:16px;line-height:1.3;font-weight:bold;"',
        "blurb": ' style="margin:0 0 6px;font-size:14px;line-height:1.45;"',
        "meta": ' style="margin:0;font-size:12px;color:#4d4d4d;"',
        "a": f' style="{MAIL_LINK}"',
    },
    open='<tr><td style="padding:14px 24px;border-bottom:1px solid #e0e0e0;">',
    close="</td></tr>",
    separator="",
)
