"""Markdown pages, rendered from the Jinja2 templates in ``generator/templates``.

Titles and abstracts are text, never markup. Every template renders with autoescaping, and
text from papers only ever lands inside raw HTML blocks, which Markdown passes through
untouched, or in front matter, HTML-escaped (MkDocs themes insert ``page.title`` and
``page.meta`` into HTML unescaped). So ``<script>``, ``**``, ``{{ }}`` and friends show
literally. Links between generated pages are relative, so the site works under any path.
"""

from __future__ import annotations

import calendar
import html
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from itertools import groupby
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from jinja2.filters import do_truncate
from markupsafe import Markup, escape

from generator.model import LINK_KINDS, Paper
from generator.paginate import Page
from generator.settings import Settings
from generator.tagrules import TagRule

LINK_LABELS = {
    "arxiv": "arXiv",
    "pdf": "PDF",
    "code": "Code",
    "project": "Project page",
    "huggingface": "Hugging Face",
}


def front_matter_text(text: str) -> Markup:
    """A front-matter value: HTML-escaped (themes insert it raw), as a quoted YAML string."""
    return Markup(json.dumps(html.escape(str(text), quote=True), ensure_ascii=False))


@cache  # strftime's names are slow, and a site has few days: each is formatted once
def long_date(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


@cache
def short_date(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"


def week_of(day: date) -> str:
    """The ISO week a day belongs to, as its page names it: ``2025-W23``."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


@cache
def month_of(day: date) -> str:
    """The month a day belongs to, as its page and the search filter name it: ``2025-06``."""
    return f"{day:%Y-%m}"


_NEEDS_ESCAPING = re.compile("[&<>\"']")


def _escaped(text: str) -> str:
    """``text`` as Jinja's autoescaping writes it (MarkupSafe's ``escape``, which it
    calls), for pages written out in Python. Most text has none of the five characters
    ``escape`` replaces: then it is ``text`` itself, without making a ``Markup``."""
    return str(escape(text)) if _NEEDS_ESCAPING.search(text) else text


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("generator", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # else every render checks the template's file on disk
    )
    env.filters["fm"] = front_matter_text
    env.filters["long_date"] = long_date
    env.filters["short_date"] = short_date
    env.filters["week_of"] = week_of
    env.filters["month_of"] = month_of
    return env


_ENV = _environment()


#: A month (its first day) and its days, newest first, each with its paper count.
Month = tuple[date, list[tuple[date, int]]]


@dataclass(frozen=True)
class TagInfo:
    """A tag as the pages show it: its rule and its papers, newest first."""

    rule: TagRule
    papers: tuple[Paper, ...]


def paper_links(paper: Paper) -> list[tuple[str, str]]:
    """(label, url) of every outgoing link, in ``LINK_KINDS`` order, arXiv ones derived
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
        first = True
        for link_kind, url in links:
            if link_kind == kind and url not in seen:
                seen.add(url)
                ordered.append((LINK_LABELS[kind] if first else _short_label(url), url))
                first = False
    return ordered


def _short_label(url: str) -> str:
    """A second link of one kind is labelled by its host and path, shortened."""
    bare = url.split("://", 1)[-1].rstrip("/")
    return bare if len(bare) <= 40 else bare[:39] + "…"


def month_weeks(day: date) -> list[list[date | None]]:
    """The weeks (Monday first) of ``day``'s month, for its calendar; ``None`` pads the
    first and last week."""
    weeks = calendar.Calendar(firstweekday=calendar.MONDAY).monthdatescalendar(
        day.year, day.month
    )
    return [[d if d.month == day.month else None for d in week] for week in weeks]


def _window(current: int, count: int, around: int = 2) -> list[int | None]:
    """Page numbers a pager shows: the first, the last and ``around`` either side of the
    current one; ``None`` stands for a gap."""
    shown = sorted({1, count, *range(max(1, current - around), min(count, current + around) + 1)})
    numbers: list[int | None] = []
    for number in shown:
        if numbers and number - (numbers[-1] or 0) > 1:
            numbers.append(None)
        numbers.append(number)
    return numbers


#: Stands for a page's way up to the site root in a cached card. Cleaned paper text never
#: holds NUL (``clean.py`` drops it), so the placeholder cannot come from a paper.
_ROOT = "\x00root\x00"


class PageRenderer:
    """Renders each page's Markdown; holds what every page needs (settings, tag titles)."""

    def __init__(self, settings: Settings, rules: Iterable[TagRule]) -> None:
        self.settings = settings
        self.tag_titles = {rule.slug: rule.title for rule in rules}
        #: A tag page's ``<head>`` feed links (``generator/outputs.py`` sets it).
        self.tag_feeds: Callable[[TagInfo], list[dict[str, str]]] = lambda tag: []
        self._cards: dict[tuple[str, bool], str] = {}

    def card(self, paper: Paper, root: str, full: bool = True) -> Markup:
        """A paper's card for a page ``root`` below the site root. A paper is listed on its
        day, its tags' pages and maybe the home page: its card is made once, with a
        placeholder for the relative links' root."""
        return Markup(self._cached_card(paper, full).replace(_ROOT, root))

    def cards(self, papers: Iterable[Paper], root: str, full: bool = True) -> Markup:
        """The cards of ``papers``, one after another: what a template's loop over
        :meth:`card` writes, one line break between them, in one call."""
        joined = "\n".join([self._cached_card(paper, full) for paper in papers])
        return Markup(joined.replace(_ROOT, root))

    def _cached_card(self, paper: Paper, full: bool) -> str:
        key = (paper.id, full)
        cached = self._cards.get(key)
        if cached is None:
            cached = self._cards[key] = self._card(paper, full)
        return cached

    def _card(self, paper: Paper, full: bool) -> str:
        """A paper in a listing, written out in Python for speed (10,000 papers, 10,000
        cards); byte for byte what ``tests/reference/card.j2`` renders (``tests/test_pages.py``
        checks). Listings with many pages (tags, weeks, months) show a compact card, without
        the abstract and the outgoing links: both are one click away, on the paper's page,
        and they would be most of a large site's listing bytes, repeated on every tag of a
        paper. Day pages and home show the abstract's first 420 characters, clamped to three
        lines by CSS; the "More" checkbox inside its label (no ids, no page load, no
        JavaScript) unclamps them. Whole abstracts stay on the paper page: 90 of them would
        put a day page past the 150 KB page budget (README, "Figures"). Screen readers read
        the whole excerpt."""
        pid = _escaped(paper.id)
        out = [
            f'<article class="paper-card" id="{pid}">\n'
            f'<h3 class="paper-card__title"><a href="{_ROOT}papers/{pid}/">'
            f"{_escaped(paper.title)}</a></h3>\n"
        ]
        if paper.authors:  # escaping the joined names escapes each: ", " needs none
            more = len(paper.authors) - 4
            shown = _escaped(", ".join(paper.authors[:4]))
            shown += f" and {more} more" if more > 0 else ""
            out.append(f'<p class="paper-card__authors">{shown}</p>\n')
        if paper.tags:
            chips = "".join(
                f'<li><a href="{_ROOT}tags/{_escaped(match.slug)}/">'
                f"{_escaped(self.tag_titles[match.slug])}</a></li>"
                for match in paper.tags
            )
            out.append(f'<ul class="paper-tags">{chips}</ul>')
        out.append("\n")
        if full and paper.hub.summary:
            summary = _escaped(paper.hub.summary)
            out.append(f'<p class="paper-card__tldr"><strong>TL;DR</strong> {summary}</p>\n')
        if full and paper.abstract:
            excerpt = _escaped(do_truncate(_ENV, paper.abstract, 420, False, "…", 20))
            out.append(
                f'<div class="paper-card__abstract"><p>{excerpt}</p><label>'
                '<input type="checkbox"><span>More</span><span>Less</span></label></div>\n'
            )
        outgoing = paper_links(paper) if full else []
        if outgoing or paper.upvotes:
            links = " · ".join(
                f'<a href="{_escaped(url)}" rel="noopener">{_escaped(label)}</a>'
                for label, url in outgoing
            )
            if paper.upvotes:
                links += (" · " if outgoing else "") + (
                    '<span class="paper-card__upvotes" title="Hugging Face upvotes">'
                    f"▲ {paper.upvotes}</span>"
                )
            out.append(f'<p class="paper-card__links">{links}</p>\n')
        out.append("</article>\n")
        return "".join(out)

    def _render(self, template: str, depth: int, **context: object) -> str:
        return _ENV.get_template(template).render(
            settings=self.settings,
            tag_titles=self.tag_titles,
            links=paper_links,
            root="../" * depth,
            cards=self.cards,
            **context,
        )

    def home(
        self,
        days: list[tuple[date, list[Paper]]],
        newest: date | None,
        paper_count: int,
        day_count: int,
        tags: list[TagInfo],
        last_fetch: datetime | None,
        years: list[int],
    ) -> str:
        return self._render(
            "home.md.j2",
            0,
            days=days,
            newest=newest,
            paper_count=paper_count,
            day_count=day_count,
            tags=tags,
            last_fetch=last_fetch,
            years=years,
        )

    def day(
        self,
        day: date,
        page: Page[Paper],
        previous: date | None,
        following: date | None,
        counts: Mapping[date, int],
        periods: set[str],
    ) -> str:
        """One page of a day; ``counts`` (papers by day, for every day with a page) feeds
        its month calendar, ``periods`` names the week and month pages that exist."""
        return self._render(
            "day.md.j2",
            page.depth,
            day=day,
            page=page,
            numbers=_window(page.number, page.count),
            previous=previous,
            following=following,
            weeks=month_weeks(day),
            counts=counts,
            periods=periods,
        )

    def day_index(
        self, months: list[Month], years: list[tuple[int, int, int]] | None, periods: set[str]
    ) -> str:
        """``/days/``: every day by month, or (``years`` given as (year, days, papers)) the
        list of year pages; ``periods`` names the month pages that exist."""
        return self._render("days.md.j2", 1, months=months, years=years, periods=periods)

    def year_index(
        self, year: int, months: list[Month], years: list[int], periods: set[str]
    ) -> str:
        return self._render(
            "year.md.j2", 2, year=year, months=months, years=years, periods=periods
        )

    def tag(self, tag: TagInfo, page: Page[Paper]) -> str:
        """One page of a tag's listing, its papers grouped by first-featured day."""
        by_day = [(d, list(group)) for d, group in groupby(page.items, key=lambda p: p.first_day)]
        numbers = _window(page.number, page.count)
        return self._render(
            "tag.md.j2", page.depth, tag=tag, page=page, by_day=by_day, numbers=numbers,
            feeds=self.tag_feeds(tag),
        )  # fmt: skip

    def tag_index(self, tags: list[TagInfo]) -> str:
        return self._render("tags.md.j2", 1, tags=tags)

    def paper(self, paper: Paper) -> str:
        """A paper's page. Written out in Python rather than a template: it is made 10,000
        times for 10,000 papers, and Jinja took three quarters of the time. The output is
        what ``tests/reference/paper.md.j2`` renders (``tests/test_pages.py`` checks).

        Its raw HTML block marks with ``data-pagefind-*`` what the search index
        (``generator/search_index.py``) takes: the text of the block, the tags and month
        as filters, the first day as sort key and metadata. Only the title, authors and
        abstract are indexed as text, so excerpts come from them; ignored blocks still
        give their filters."""
        first, hub, root = paper.first_day, paper.hub, "../../"
        description = do_truncate(_ENV, paper.abstract, 160, False, "…", 0)
        out = [
            f"---\ntitle: {front_matter_text(paper.title)}\n"
            f"description: {front_matter_text(description)}\nraw_html: true\n---\n\n"
            '<div class="paper" data-pagefind-body>\n'
            f'<span hidden data-pagefind-sort="day:{first.isoformat()}" '
            f'data-pagefind-meta="day:{_escaped(long_date(first))}" '
            f'data-pagefind-filter="month:{_escaped(month_of(first))}"></span>\n'
            f'<h1 class="paper-title">{_escaped(paper.title)}</h1>\n<div class="paper-meta">\n'
        ]
        if paper.authors:  # escaping the joined names escapes each: ", " needs none
            out.append(f'<p class="paper-authors">{_escaped(", ".join(paper.authors))}</p>\n')
        if hub.organization:
            out.append(f'<p class="paper-organization">{_escaped(hub.organization)}</p>\n')
        days = ", ".join(
            f'<a href="{root}days/{day.isoformat()}/">{_escaped(long_date(day))}</a>'
            for day in paper.days
        )
        out.append(f'<p class="paper-days" data-pagefind-ignore>Featured on {days}')
        if paper.arxiv_id:
            out.append(f" · arXiv <code>{_escaped(paper.arxiv_id)}</code>")
        if hub.published:
            out.append(f" · submitted to arXiv {_escaped(long_date(hub.published))}")
        if paper.upvotes:
            out.append(f" · ▲ {paper.upvotes} upvotes")
        if hub.comments:
            plural = "s" if hub.comments != 1 else ""
            out.append(f" · {hub.comments} comment{plural} on Hugging Face")
        if hub.github_stars:
            out.append(f" · ★ {hub.github_stars} GitHub stars")
        out.append("</p>\n")
        outgoing = paper_links(paper)
        if outgoing:
            buttons = "".join(
                f'<a class="md-button" href="{_escaped(url)}" rel="noopener">{_escaped(label)}</a> '
                for label, url in outgoing
            )
            out.append(f'<p class="paper-links" data-pagefind-ignore>{buttons}</p>\n')
        out.append("</div>\n")
        if hub.summary:
            summary = _escaped(hub.summary)
            out.append(f'<p class="paper-tldr"><strong>TL;DR</strong> {summary}</p>\n')
        out.append('<h2 data-pagefind-ignore>Abstract</h2>\n<div class="paper-abstract">\n')
        if paper.abstract:
            out.append(f"<p>{_escaped(paper.abstract)}</p>\n")
        else:
            out.append('<p class="papers-empty">No abstract was listed.</p>\n')
        out.append(
            '</div>\n<h2 data-pagefind-ignore>Tags</h2>\n'
            '<div class="paper-tag-reasons" data-pagefind-ignore>\n'
        )
        if paper.tags:
            out.append("<ul>\n")
            for match in paper.tags:
                out.append(
                    f'<li><a class="paper-tag" href="{root}tags/{_escaped(match.slug)}/" '
                    f'data-pagefind-filter="tag">{_escaped(self.tag_titles[match.slug])}</a> '
                    f'<span class="paper-tag-reason">{_escaped(match.reason)}</span></li>\n'
                )
            out.append("</ul>\n")
        else:
            out.append('<p class="papers-empty">No tag rule matched this paper.</p>\n')
        out.append("</div>\n</div>\n")
        return "".join(out)

    def stats(self, charts: list[Any], paper_count: int, day_count: int) -> str:
        """The Stats page (``generator/stats.py`` draws the charts)."""
        return self._render(
            "stats.md.j2", 1, charts=charts, paper_count=paper_count, day_count=day_count
        )

    def period(
        self,
        title: str,
        span: str,
        papers: list[Paper],
        total: int,
        previous: tuple[str, str] | None,
        following: tuple[str, str] | None,
    ) -> str:
        """A week's or a month's top papers; ``previous`` / ``following`` are (slug, name)."""
        return self._render(
            "period.md.j2", 2, title=title, span=span, papers=papers, total=total,
            previous=previous, following=following,
        )  # fmt: skip

    def feeds(self, tags: list[TagInfo], kinds: list[dict[str, Any]]) -> str:
        """The Feeds page: ``kinds`` are the feed kinds (``generator/outputs.py``)."""
        site = [kind for kind in kinds if not kind["per_tag"]]
        per_tag = [kind for kind in kinds if kind["per_tag"]]
        return self._render("feeds.md.j2", 1, tags=tags, site_kinds=site, tag_kinds=per_tag)
