"""Feeds: Atom and RSS through feedgen, JSON Feed 1.1 written directly.

What keeps them valid and stable (each a feedgen trap, see STYLE.md):

- One entry per paper. Its id is a tag URI from the site host, the paper's first day and
  its page path, so it never changes between builds.
- Dates come from the data: an entry is dated its first day at 12:00 UTC minus one second
  more than its rank on that day, so entries of one feed never share an ``updated`` value,
  and a reader anywhere from UTC-11 to UTC+12 shows each on the day it was listed (at
  midnight UTC most of a day's entries read as the day before). The feed's own
  ``updated`` / ``lastBuildDate`` is its newest entry's, never the clock.
- Entries are added with ``order="append"`` after sorting newest first.
- One alternate link per entry; ``rel="self"`` links are absolute.
- In RSS, ``&`` and ``<`` are written as ``&#x26;`` and ``&#x3C;`` (the W3C validator warns
  on the named entities in plain-text elements).
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from feedgen.feed import FeedGenerator
from lxml import etree

from generator import __version__
from generator.model import Paper
from generator.render.fragments import FEED_ENTRY, LINK_LABELS, paper_html, paper_links
from generator.settings import Settings

_ATOM = "{http://www.w3.org/2005/Atom}"
GENERATOR_URI = "https://github.com/papers-site/papers-site"


@dataclass(frozen=True)
class Entry:
    """One entry of a feed, in the three formats' common terms."""

    id: str
    """Stable across builds (a tag URI, RFC 4151)."""
    title: str
    url: str
    html: str
    """The content, as HTML (escaped text inside)."""
    updated: datetime
    published: datetime
    text: str = ""
    """A plain-text version of the content, for JSON Feed's ``content_text`` ('' for none)."""
    authors: tuple[str, ...] = ()
    categories: tuple[tuple[str, str], ...] = ()
    """(term, label) pairs."""
    external_url: str | None = None
    record: Mapping[str, object] | None = None
    """The paper's API record (``generator/render/api.py``), which JSON Feed carries as the
    item's ``_paper`` extension."""


@dataclass(frozen=True)
class FeedSpec:
    """One feed: its title and description, where it lives, and its entries, newest first."""

    title: str
    subtitle: str
    path: str
    """Folder of the feed files relative to the site root: '', 'top/', 'tags/<slug>/'…"""
    page: str
    """The HTML page the feed belongs to, relative to the site root."""
    entries: tuple[Entry, ...]


#: The hour (UTC) entries are dated at on their day; see the module docstring.
ENTRY_HOUR = 12


def entry_updated(paper: Paper) -> datetime:
    """The entry date: first day at noon UTC minus (rank + 1) seconds: 11:59:59 for the
    day's first paper, which is 23:59:59 the same day at UTC+12."""
    noon = datetime.combine(paper.first_day, time(ENTRY_HOUR, 0), tzinfo=UTC)
    return noon - timedelta(seconds=paper.rank + 1)


def entry_id(settings: Settings, paper: Paper) -> str:
    """A tag URI (RFC 4151) that stays the same across builds: host, first day, page path."""
    return f"tag:{settings.host},{paper.first_day.isoformat()}:/papers/{paper.id}/"


def newest_papers(papers: list[Paper] | tuple[Paper, ...], limit: int) -> list[Paper]:
    """The ``limit`` newest papers by first-featured day, newest first."""
    return sorted(papers, key=lambda p: (-p.first_day.toordinal(), p.rank, p.id))[:limit]


def feed_updated(entries: tuple[Entry, ...], fallback: date | None) -> datetime:
    """The feed's date: its newest entry's, or (empty) what a first entry of ``fallback``
    would be dated; never the clock."""
    if entries:
        return max(entry.updated for entry in entries)
    noon = datetime.combine(fallback or date(1970, 1, 1), time(ENTRY_HOUR, 0), tzinfo=UTC)
    return noon - timedelta(seconds=1)  # as a first paper of that day would be dated


def entry_html(settings: Settings, paper: Paper, tag_titles: dict[str, str]) -> str:
    """The entry content: the abstract, the authors, the links (the paper page first) with
    the upvotes, and the tags linked to their pages; ``generator/render/fragments.py`` makes it,
    as it makes the site's cards, with absolute links."""
    return paper_html(paper, FEED_ENTRY, tag_titles, settings.absolute(""))


def paper_entry(
    settings: Settings,
    paper: Paper,
    tag_titles: dict[str, str],
    record: Mapping[str, object] | None = None,
) -> Entry:
    """A paper as an entry: its abstract, authors, links and tags (and its API record)."""
    external = next(
        (
            url
            for label, url in paper_links(paper)
            if label in (LINK_LABELS["arxiv"], LINK_LABELS["project"])
        ),
        None,
    )
    return Entry(
        id=entry_id(settings, paper),
        title=paper.title,
        url=settings.paper_page(paper.id),
        html=entry_html(settings, paper, tag_titles),
        updated=entry_updated(paper),
        published=entry_updated(paper),
        text=paper.abstract,
        authors=paper.authors,
        categories=tuple((t.slug, tag_titles.get(t.slug, t.slug)) for t in paper.tags),
        external_url=external,
        record=record,
    )


def paper_feed(
    settings: Settings,
    title: str,
    subtitle: str,
    path: str,
    page: str,
    papers: list[Paper] | tuple[Paper, ...],
    tag_titles: dict[str, str],
    made: dict[str, Entry] | None = None,
    record: Callable[[Paper], Mapping[str, object]] | None = None,
    as_listed: bool = False,
) -> FeedSpec:
    """A feed of one entry per paper: the newest ``settings.feed_size`` of ``papers``, or
    (``as_listed``) all of them in the order given (a trending list, already cut).
    ``made`` keeps entries by paper id across the feeds of one build (a paper's entry is
    the same in every feed); ``record`` gives a paper's API record for JSON Feed."""
    made = {} if made is None else made
    entries = []
    chosen = list(papers) if as_listed else newest_papers(papers, settings.feed_size)
    for paper in chosen:
        entry = made.get(paper.id)
        if entry is None:
            with_record = record(paper) if record else None
            entry = made[paper.id] = paper_entry(settings, paper, tag_titles, with_record)
        entries.append(entry)
    return FeedSpec(title, subtitle, path, page, tuple(entries))


def _generator(
    settings: Settings, spec: FeedSpec, self_url: str, updated: datetime
) -> FeedGenerator:
    fg = FeedGenerator()
    fg.load_extension("dc", atom=False, rss=True)  # dc:creator for RSS authors only
    fg.id(settings.absolute(spec.path) if spec.path else settings.site_url)
    fg.title(spec.title)
    fg.subtitle(spec.subtitle)
    fg.description(spec.subtitle)
    fg.author({"name": settings.author})
    fg.language("en")
    fg.generator("papers-site", __version__, GENERATOR_URI)
    fg.updated(updated)
    fg.lastBuildDate(updated)
    fg.link(href=self_url, rel="self")
    # The RSS channel link is the last link() call: keep the page link last.
    fg.link(href=settings.absolute(spec.page), rel="alternate")
    return fg


def _add_entries(fg: FeedGenerator, settings: Settings, spec: FeedSpec, rss: bool) -> None:
    for entry in spec.entries:
        fe = fg.add_entry(order="append")
        fe.id(entry.id)
        fe.guid(entry.id, permalink=False)
        fe.title(entry.title)
        fe.link(href=entry.url, rel="alternate")
        if rss:
            fe.description(entry.html)  # RSS: HTML in <description>, no content:encoded twin
        else:
            fe.content(entry.html, type="html")
        fe.updated(entry.updated)
        fe.published(entry.published)
        for author in entry.authors:
            fe.author({"name": author})
            fe.dc.dc_creator(author)
        for term, label in entry.categories:
            fe.category(term=term, label=label, scheme=settings.absolute("tags/"))


def hex_escape_rss(xml: bytes) -> bytes:
    """``&amp;`` → ``&#x26;`` and ``&lt;`` → ``&#x3C;``: the same XML, as the validator likes."""
    return xml.replace(b"&amp;", b"&#x26;").replace(b"&lt;", b"&#x3C;")


def _feed(
    settings: Settings, spec: FeedSpec, fallback: date | None, filename: str
) -> FeedGenerator:
    """A filled feedgen feed of ``spec``, ``filename`` as its self link."""
    self_url = settings.absolute(spec.path + filename)
    fg = _generator(settings, spec, self_url, feed_updated(spec.entries, fallback))
    _add_entries(fg, settings, spec, rss=filename == "rss.xml")
    return fg


def html_typed_titles(atom: bytes) -> bytes:
    """Entry titles that contain ``<`` or ``&`` become ``type="html"`` with the text escaped.

    Shown by a reader, they read the same; as plain text, the W3C validator warns that
    a title such as "Tokens </s> matter" "contains undeclared HTML". feedgen's ``title()``
    has no type, hence this pass over its output.
    """
    root = etree.fromstring(atom)
    changed = False
    for title in root.iterfind(f"{_ATOM}entry/{_ATOM}title"):
        if title.text and ("<" in title.text or "&" in title.text):
            title.set("type", "html")
            title.text = html.escape(title.text, quote=False)
            changed = True
    if not changed:
        return atom
    return etree.tostring(root, pretty_print=True, xml_declaration=True, encoding="UTF-8")


def render_atom(settings: Settings, spec: FeedSpec, fallback: date | None) -> bytes:
    fg = _feed(settings, spec, fallback, "atom.xml")
    return html_typed_titles(fg.atom_str(pretty=True))


def render_rss(settings: Settings, spec: FeedSpec, fallback: date | None) -> bytes:
    fg = _feed(settings, spec, fallback, "rss.xml")
    return hex_escape_rss(fg.rss_str(pretty=True))


def render_json_feed(settings: Settings, spec: FeedSpec) -> bytes:
    """JSON Feed 1.1 (https://jsonfeed.org/version/1.1)."""
    items = []
    for entry in spec.entries:
        item: dict[str, object] = {
            "id": entry.id,
            "url": entry.url,
            "title": entry.title,
            "content_html": entry.html,
            "date_published": _json_date(entry.published),
        }
        if entry.updated != entry.published:
            item["date_modified"] = _json_date(entry.updated)
        if entry.text:
            item["content_text"] = entry.text
        if entry.external_url:
            item["external_url"] = entry.external_url
        if entry.authors:
            item["authors"] = [{"name": name} for name in entry.authors]
        if entry.categories:
            item["tags"] = [label for _, label in entry.categories]
        if entry.record is not None:  # an extension: https://jsonfeed.org/version/1.1
            item["_paper"] = entry.record
        items.append(item)
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": spec.title,
        "home_page_url": settings.absolute(spec.page),
        "feed_url": settings.absolute(spec.path + "feed.json"),
        "description": spec.subtitle,
        "language": "en",
        "authors": [{"name": settings.author}],
        "items": items,
    }
    return (json.dumps(feed, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _json_date(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")
