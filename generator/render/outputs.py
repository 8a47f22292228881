"""Every output of the site, declared once: the page kinds (:data:`PAGES`) and the feed
kinds (:data:`FEEDS`), and :func:`render_site`, which makes them all.

From these two lists come everything else that names an output:

- the navigation bar and MkDocs' ``not_in_nav`` (``overrides/hooks.py`` sets both from
  :data:`PAGES`, so ``mkdocs.yml`` and the tests hold no copy);
- the feeds of every kind in each of their formats, the OPML's groups (``opml.py``), the
  Feeds page, ``<head>`` autodiscovery (``overrides/main.html``, from :func:`discovery`)
  and the build's feed count.

Adding a page kind is one :class:`PageKind` here plus its renderer (a function of the
:class:`~generator.render.listings.Site` and the writer, usually with a template in
``generator/render/templates/``). Adding a feed kind is one :class:`FeedKind` here plus the
function that makes its :class:`~generator.render.feeds.FeedSpec` objects.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date

from generator.corpus import Corpus, TagInfo
from generator.discover import ForYou
from generator.model import Paper
from generator.render import listings
from generator.render.digest import DigestItem, digest_feed
from generator.render.feeds import (
    Entry,
    FeedSpec,
    paper_feed,
    render_atom,
    render_json_feed,
    render_rss,
)
from generator.render.listings import Site, top_of_each_day
from generator.render.opml import PATH as OPML_PATH
from generator.render.opml import render_opml
from generator.render.trending import FORMULA
from generator.render.writer import Writer
from generator.settings import Settings


@dataclass(frozen=True)
class PageKind:
    """A kind of page: what makes it, where its Markdown goes, whether it is in the nav."""

    name: str
    render: Callable[[Site, Writer], None]
    files: tuple[str, ...]
    """Its files under ``docs/``, as gitignore patterns (MkDocs' ``not_in_nav`` syntax)."""
    nav: str | None = None
    """Its title in the navigation bar, which opens ``files[0]``; None: not in the nav.
    A page kind that a site may lack (For you) is in the nav only where ``files[0]`` was
    written."""


PAGES: tuple[PageKind, ...] = (
    PageKind("home", listings.add_home, ("/index.md",), nav="Home"),
    PageKind("trending", listings.add_trending, ("/trending/index.md",), nav="Trending"),
    PageKind("for you", listings.add_for_you, ("/for-you/index.md", "/for-you/page/"), "For you"),
    PageKind("day archive", listings.add_day_archive, ("/days/index.md",), nav="Days"),
    PageKind("year", listings.add_year_pages, ("/days/[0-9][0-9][0-9][0-9]/",)),
    PageKind("day", listings.add_day_pages, ("/days/*-*-*.md", "/days/*-*-*/")),
    PageKind("tag index", listings.add_tag_index, ("/tags/index.md",), nav="Tags"),
    PageKind("tag", listings.add_tag_pages, ("/tags/*/",)),
    PageKind("tag trending", listings.add_tag_trending, ("/tags/*/trending/",)),
    PageKind("week index", listings.period_index("weeks"), ("/weeks/index.md",)),
    PageKind("week", listings.period_pages("weeks"), ("/weeks/",)),
    PageKind("month index", listings.period_index("months"), ("/months/index.md",)),
    PageKind("month", listings.period_pages("months"), ("/months/",)),
    PageKind("api", listings.add_api, ("/api/",)),
    PageKind("feeds", lambda site, w: w.add("feeds.md", feeds_page(site)), ("/feeds.md",), "Feeds"),
    PageKind("stats", listings.add_stats, ("/stats.md",), nav="Stats"),
    PageKind("paper", listings.add_paper_pages, ("/papers/",)),
)


def nav(written: Callable[[str], bool] = lambda path: True) -> list[dict[str, str]]:
    """MkDocs' ``nav``: the page kinds that are in it, in :data:`PAGES` order, those whose
    first file was ``written`` (a function of its path under ``docs/``)."""
    return [
        {kind.nav: kind.files[0].lstrip("/")}
        for kind in PAGES
        if kind.nav and written(kind.files[0].lstrip("/"))
    ]


def not_in_nav() -> list[str]:
    """MkDocs' ``not_in_nav`` lines: the files of every page kind not in the nav (and the
    later pages of those in it)."""
    return [
        pattern for kind in PAGES for pattern in (kind.files[1:] if kind.nav else kind.files)
    ]


@dataclass(frozen=True)
class FeedFormat:
    file: str
    media_type: str
    label: str
    render: Callable[[Settings, FeedSpec, date | None], bytes]


FORMATS: dict[str, FeedFormat] = {
    "atom": FeedFormat("atom.xml", "application/atom+xml", "Atom", render_atom),
    "rss": FeedFormat("rss.xml", "application/rss+xml", "RSS", render_rss),
    "json": FeedFormat(
        "feed.json", "application/feed+json", "JSON Feed", lambda s, f, _: render_json_feed(s, f)
    ),
}


@dataclass(frozen=True)
class FeedKind:
    """A kind of feed: one for the site, or one per tag."""

    name: str
    """Its name on the Feeds page."""
    feeds: Callable[[Site], list[FeedSpec]]
    formats: tuple[str, ...]
    """Keys of :data:`FORMATS`, each a file in the feed's folder."""
    opml_group: str
    path: str
    """The feed's folder; ``{slug}`` stands for the tag's slug."""
    link_title: str
    """Its ``<head>`` link title before `` (Atom)``: ``{site}``, ``{tag}`` filled in."""
    discover_on: str = ""
    """Where ``<head>`` links to it: "every page", "home and feeds", "tag pages" or ""."""
    discover_formats: tuple[str, ...] | None = None
    """The formats linked from ``<head>``; None: all of :attr:`formats`."""
    about: str = ""
    """What it holds, for the Feeds page (HTML; ``{settings}`` is the site's settings)."""

    @property
    def per_tag(self) -> bool:
        return "{slug}" in self.path


def _entries(site: Site) -> dict[str, Entry]:
    """A paper's entry is the same in every feed of papers: made once a build."""
    return site.made.setdefault("entries", {})  # type: ignore[return-value]


def _digest_items(site: Site) -> dict[str, DigestItem]:
    return site.made.setdefault("digest items", {})  # type: ignore[return-value]


def _everything(site: Site) -> list[FeedSpec]:
    s = site.settings
    papers = site.corpus.papers
    return [paper_feed(s, s.site_name, s.site_description, "", "", papers, site.tag_titles,
                       _entries(site), site.record)]  # fmt: skip


def _trending(site: Site) -> list[FeedSpec]:
    s = site.settings
    title = f"{s.site_name}: trending"
    about = f"The {s.trending_size} best papers of the last {s.trending_days} days, by {FORMULA}."
    papers = [t.paper for t in site.trends]
    return [paper_feed(s, title, about, "trending/", "trending/", papers, site.tag_titles,
                       _entries(site), site.record, as_listed=True)]  # fmt: skip


def _tag_trending(site: Site) -> list[FeedSpec]:
    s = site.settings
    feeds = []
    for tag in site.corpus.tags:
        trends = site.tag_trends(tag.rule.slug)
        if not trends:
            continue
        path = f"tags/{tag.rule.slug}/trending/"
        title = f"{s.site_name}: trending in {tag.rule.title}"
        about = f"The best papers of {tag.rule.title} of the last {s.trending_days} days."
        feeds.append(paper_feed(s, title, about, path, path, [t.paper for t in trends],
                                site.tag_titles, _entries(site), site.record, as_listed=True))
    return feeds


def _top(site: Site) -> list[FeedSpec]:
    s = site.settings
    top = top_of_each_day(site.corpus.days, s.top_per_day)
    title = f"{s.site_name}: top {s.top_per_day} of the day"
    about = f"The {s.top_per_day} most upvoted papers of each day."
    return [paper_feed(s, title, about, "top/", "", top, site.tag_titles, _entries(site),
                       site.record)]  # fmt: skip


def _digest(site: Site) -> list[FeedSpec]:
    days = site.corpus.days
    return [digest_feed(site.settings, days, site.tag_titles, None, _digest_items(site))]


def _tag_papers(site: Site) -> list[FeedSpec]:
    s = site.settings
    feeds = []
    for tag in site.corpus.tags:
        rule, path = tag.rule, f"tags/{tag.rule.slug}/"
        title = f"{s.site_name}: {rule.title}"
        feeds.append(paper_feed(s, title, rule.description, path, path, tag.papers,
                                site.tag_titles, _entries(site), site.record))  # fmt: skip
    return feeds


def _tag_digests(site: Site) -> list[FeedSpec]:
    days, titles = site.corpus.days, site.tag_titles
    return [
        digest_feed(site.settings, days, titles, tag.rule.slug, _digest_items(site))
        for tag in site.corpus.tags
    ]


def _for_you(site: Site) -> list[FeedSpec]:
    """With ``content/interests.yaml`` only: the ``for_you_top`` best papers of each day."""
    if site.for_you is None:
        return []
    s = site.settings
    title = f"{s.site_name}: for you"
    about = f"The {s.for_you_top} papers of each day most like what this site's readers read."
    papers = site.for_you.daily
    return [paper_feed(s, title, about, "for-you/", "for-you/", papers, site.tag_titles,
                       _entries(site), site.record)]  # fmt: skip


FEEDS: tuple[FeedKind, ...] = (
    FeedKind(
        "Everything", _everything, ("atom", "rss", "json"), "Everything", "", "{site}",
        discover_on="every page",
        about="one entry per paper, with its full abstract, authors and links: the newest "
        "{settings.feed_size} papers by the day they were first featured.",
    ),
    FeedKind(
        "Trending", _trending, ("atom", "rss", "json"), "Everything", "trending/",
        "{site}: trending", discover_on="home and feeds", discover_formats=("atom",),
        about="the {settings.trending_size} best papers of the last {settings.trending_days} "
        "days by upvotes and age (the list of /trending/ as it stands at each build). A paper "
        "keeps the entry id it has in every other feed, so a reader shows it once however "
        "long it trends.",
    ),
    FeedKind(
        "Top of the day", _top, ("atom", "rss", "json"), "Everything", "top/",
        "{site}: top of the day", discover_on="home and feeds", discover_formats=("atom",),
        about="only the {settings.top_per_day} most upvoted papers of each day (in listed "
        "order where Hugging Face gave no upvotes), for fewer, better entries (whole site "
        "only). A paper here has the same entry id as in the other feeds, so a reader that "
        "follows both shows it once.",
    ),
    FeedKind(
        "Daily digest", _digest, ("atom", "rss", "json"), "Everything", "digest/",
        "{site}: daily digest", discover_on="home and feeds", discover_formats=("atom",),
        about="one entry a day (the newest {settings.digest_days} days with papers): the date "
        "and the count as its title, the day's papers as a list in the order of the day "
        "page, each with its tags and its TL;DR (or its abstract's first sentence); an entry "
        "is updated, never repeated, when a later fetch adds papers to its day.",
    ),
    FeedKind(
        "For you", _for_you, ("atom", "rss", "json"), "Everything", "for-you/",
        "{site}: for you",
        about="with content/interests.yaml only: the {settings.for_you_top} papers of "
        "each day that are most like what the site's owners read (the ranking of the For you "
        "page), with the same entries as the other feeds.",
    ),
    FeedKind(
        "Every paper", _tag_papers, ("atom", "rss"), "By tag", "tags/{slug}/", "{site}: {tag}",
        discover_on="tag pages", about="every paper of a tag, newest first.",
    ),
    FeedKind(
        "Trending", _tag_trending, ("atom", "rss", "json"), "By tag", "tags/{slug}/trending/",
        "{site}: trending in {tag}",
        about="the tag's papers of the trending window, best first (tags with papers in "
        "it).",
    ),
    FeedKind(
        "Daily digest", _tag_digests, ("atom",), "Daily digest by tag", "tags/{slug}/digest/",
        "{site}: {tag}, daily digest", discover_on="tag pages",
        about="one entry a day listing that day's papers of the tag.",
    ),
)  # fmt: skip


def feed_links(kind: FeedKind, site_name: str, tag: TagInfo | None = None) -> list[dict[str, str]]:
    """The ``<head>`` links of one feed of ``kind``: type, title and href (site-relative)."""
    slug, title = (tag.rule.slug, tag.rule.title) if tag else ("", "")
    path = kind.path.format(slug=slug)
    name = kind.link_title.format(site=site_name, tag=title)
    formats = [FORMATS[key] for key in kind.discover_formats or kind.formats]
    return [
        {"type": f.media_type, "title": f"{name} ({f.label})", "href": path + f.file}
        for f in formats
    ]


def discovery(site_name: str) -> list[dict[str, str]]:
    """The site-wide ``<head>`` feed links, each with ``where``: "every page" or "home and
    feeds" (``overrides/main.html`` reads them; tag pages carry their own)."""
    return [
        {**link, "where": kind.discover_on}
        for kind in FEEDS
        if kind.discover_on in ("every page", "home and feeds")
        for link in feed_links(kind, site_name)
    ]


def tag_discovery(site_name: str, tag: TagInfo) -> list[dict[str, str]]:
    kinds = [kind for kind in FEEDS if kind.discover_on == "tag pages"]
    return [link for kind in kinds for link in feed_links(kind, site_name, tag)]


def feeds_page(site: Site) -> str:
    """The Feeds page: every feed kind, its formats and what it holds."""
    settings = site.settings
    written: set[FeedKind] = site.made.get("feed kinds", set())  # type: ignore[assignment]
    kinds = [
        {"name": kind.name, "about": kind.about.format(settings=settings), "per_tag": kind.per_tag,
         "path": kind.path, "formats": [(FORMATS[f].label, FORMATS[f].file) for f in kind.formats]}
        for kind in FEEDS
        if kind in written or kind.per_tag  # a site with no tag still says they exist
    ]  # fmt: skip
    return site.renderer.feeds(site.corpus.tags, kinds)


def render_feeds(site: Site, writer: Writer) -> int:
    """Every feed of every kind in each of its formats, and the OPML; how many feeds."""
    newest = site.corpus.newest_day
    groups: dict[str, list[FeedSpec]] = {}
    count = 0
    written = site.made.setdefault("feed kinds", set())
    for kind in FEEDS:
        for spec in kind.feeds(site):
            written.add(kind)  # type: ignore[attr-defined]
            groups.setdefault(kind.opml_group, []).append(spec)
            for key in kind.formats:
                form = FORMATS[key]
                writer.add(spec.path + form.file, form.render(site.settings, spec, newest))
                count += 1
    writer.add(OPML_PATH, render_opml(site.settings, list(groups.items())))
    return count


def render_site(
    corpus: Corpus,
    settings: Settings,
    related: Mapping[str, tuple[Paper, ...]] | None = None,
    for_you: ForYou | None = None,
) -> Writer:
    """Every generated file (Markdown pages and feeds), by path under ``docs/``: with each
    paper's ``related`` papers, and the ``for_you`` ranking where there is one."""
    site = Site.of(corpus, settings, related, for_you)
    site.renderer.tag_feeds = lambda tag: tag_discovery(settings.site_name, tag)
    writer = Writer()
    corpus.summary.feeds = render_feeds(site, writer)
    for kind in PAGES:
        kind.render(site, writer)
    corpus.summary.pages_written = sum(1 for p in writer.files if p.parts[0] == "papers")
    return writer
