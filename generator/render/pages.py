"""Markdown pages, rendered from the Jinja2 templates in ``generator/render/templates``.

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
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from functools import cache
from itertools import groupby
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from generator.corpus import TagInfo
from generator.discover import ForYou, Suggestion
from generator.model import Paper
from generator.render.fragments import (
    CARD,
    COMPACT_CARD,
    ROOT,
    escaped,
    paper_html,
    paper_links,
    truncated,
)
from generator.render.paginate import Page
from generator.render.trending import FORMULA, Trend
from generator.settings import Settings
from generator.tags import TagRule


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


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("generator.render", "templates"),
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


class PageRenderer:
    """Renders each page's Markdown; holds what every page needs (settings, tag titles)."""

    def __init__(self, settings: Settings, rules: Iterable[TagRule]) -> None:
        self.settings = settings
        self.tag_titles = {rule.slug: rule.title for rule in rules}
        #: A tag page's ``<head>`` feed links (``generator/render/outputs.py`` sets it).
        self.tag_feeds: Callable[[TagInfo], list[dict[str, str]]] = lambda tag: []
        self._cards: dict[tuple[str, bool], str] = {}

    def card(self, paper: Paper, root: str, full: bool = True) -> Markup:
        """A paper's card for a page ``root`` below the site root. A paper is listed on its
        day, its tags' pages and maybe the home page: its card is made once, with a
        placeholder for the relative links' root."""
        return Markup(self._cached_card(paper, full).replace(ROOT, root))

    def cards(self, papers: Iterable[Paper], root: str, full: bool = True) -> Markup:
        """The cards of ``papers``, one after another: what a template's loop over
        :meth:`card` writes, one line break between them, in one call."""
        joined = "\n".join([self._cached_card(paper, full) for paper in papers])
        return Markup(joined.replace(ROOT, root))

    def _cached_card(self, paper: Paper, full: bool) -> str:
        """The card (``generator/render/fragments.py``: full on days and home, compact on the
        listings with many pages), made once per paper: 10,000 papers, 10,000 cards."""
        key = (paper.id, full)
        cached = self._cards.get(key)
        if cached is None:
            medium = CARD if full else COMPACT_CARD
            cached = self._cards[key] = paper_html(paper, medium, self.tag_titles, ROOT)
        return cached

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
        trends: Sequence[Trend] = (),
    ) -> str:
        """The home page: the top of the trending list, then the newest day(s)."""
        return self._render(
            "home.md.j2",
            0,
            trends=self.trend_cards(trends, ""),
            trend_count=len(trends),
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

    def tag(self, tag: TagInfo, page: Page[Paper], trending: bool = False) -> str:
        """One page of a tag's listing, its papers grouped by first-featured day; with
        ``trending``, a link to the tag's trending page."""
        by_day = [(d, list(group)) for d, group in groupby(page.items, key=lambda p: p.first_day)]
        numbers = _window(page.number, page.count)
        return self._render(
            "tag.md.j2", page.depth, tag=tag, page=page, by_day=by_day, numbers=numbers,
            feeds=self.tag_feeds(tag), trending=trending,
        )  # fmt: skip

    def tag_index(self, tags: list[TagInfo]) -> str:
        return self._render("tags.md.j2", 1, tags=tags)

    def paper(self, paper: Paper, related: Sequence[Paper] = ()) -> str:
        """A paper's page. Written out in Python rather than a template: it is made 10,000
        times for 10,000 papers, and Jinja took three quarters of the time. The golden
        output (``tests/golden/expected/papers/``) guards it.

        Its raw HTML block marks with ``data-pagefind-*`` what the search index
        (``generator/site/search_index.py``) takes: the text of the block, the tags and month
        as filters, the first day as sort key and metadata. Only the title, authors and
        abstract are indexed as text, so excerpts come from them; ignored blocks still
        give their filters. The related papers come after that block: Pagefind indexes
        nothing of them (every paper would match its neighbours' words)."""
        first = paper.first_day
        description = truncated(paper.abstract, 160, 0)
        return (
            f"---\ntitle: {front_matter_text(paper.title)}\n"
            f"description: {front_matter_text(description)}\nraw_html: true\n---\n\n"
            '<div class="paper" data-pagefind-body>\n'
            f'<span hidden data-pagefind-sort="day:{first.isoformat()}" '
            f'data-pagefind-meta="day:{escaped(long_date(first))}" '
            f'data-pagefind-filter="month:{escaped(month_of(first))}"></span>\n'
            f'<h1 class="paper-title">{escaped(paper.title)}</h1>\n'
            + _paper_meta(paper)
            + _paper_body(paper)
            + self._paper_tags(paper)
            + "</div>\n"
            + _related(related)
        )

    def _paper_tags(self, paper: Paper) -> str:
        """The paper page's tags, each with why: the words its rule matched, or the quote
        a language model gave as its evidence; then who gave them."""
        out = [
            '<h2 data-pagefind-ignore>Tags</h2>\n'
            '<div class="paper-tag-reasons" data-pagefind-ignore>\n'
        ]
        if paper.tags:
            out.append("<ul>\n")
            for match in paper.tags:
                out.append(
                    f'<li><a class="paper-tag" href="../../tags/{escaped(match.slug)}/" '
                    f'data-pagefind-filter="tag">{escaped(self.tag_titles[match.slug])}</a> '
                    f'<span class="paper-tag-reason">{escaped(match.reason)}</span></li>\n'
                )
            out.append("</ul>\n")
            out.append(f'<p class="paper-tag-source">{escaped(_tag_source(paper))}</p>\n')
        else:
            out.append('<p class="papers-empty">No tag rule matched this paper.</p>\n')
        out.append("</div>\n")
        return "".join(out)

    def for_you(self, page: Page[Suggestion], ranking: ForYou) -> str:
        """A page of ``/for-you/``: the window's papers, best first, each card with why."""
        root = "../" * page.depth
        cards = "\n".join(_with_reason(str(self.card(s.paper, root)), s) for s in page.items)
        return self._render(
            "for_you.md.j2", page.depth, page=page, numbers=_window(page.number, page.count),
            ranked_cards=Markup(cards), window=ranking.window, interests=len(ranking.interests),
            liked=ranking.interests,
        )  # fmt: skip

    def trend_cards(self, trends: Sequence[Trend], root: str) -> Markup:
        """Cards of a trending list, each with its place and its score's parts."""
        cards = [
            _with_trend(str(self.card(t.paper, root)), t, place)
            for place, t in enumerate(trends, 1)
        ]
        return Markup("\n".join(cards))

    def trending(
        self,
        trends: Sequence[Trend],
        span: tuple[date, date] | None,
        in_window: int,
        tag: TagInfo | None = None,
    ) -> str:
        """``/trending/``, or (with ``tag``) ``/tags/<slug>/trending/``: the best papers of
        the window, with the formula in words; ``in_window`` counts the window's papers."""
        depth = 3 if tag else 1
        return self._render(
            "trending.md.j2", depth, trends=self.trend_cards(trends, "../" * depth),
            count=len(trends), span=span, in_window=in_window, tag=tag, formula=FORMULA,
            feeds=f"tags/{tag.rule.slug}/trending/" if tag else "trending/",
        )  # fmt: skip

    def period_index(self, folder: str, periods: list[tuple[str, str, int]]) -> str:
        """``/weeks/`` or ``/months/``: every period, newest first, as (slug, name, papers),
        grouped by year."""
        years = [(year, list(group)) for year, group in groupby(periods, key=lambda p: p[0][:4])]
        return self._render("periods.md.j2", 1, folder=folder, years=years)

    def api(self, documents: Mapping[str, tuple[str, str | None]], example: str) -> str:
        """``/api/``: what the static JSON API holds (each document's path, what it holds
        and a file to link, if any), and a record as it is."""
        return self._render("api.md.j2", 1, documents=documents, example=example,
                            formula=FORMULA)  # fmt: skip

    def stats(self, charts: list[Any], paper_count: int, day_count: int) -> str:
        """The Stats page (``generator/render/stats.py`` draws the charts)."""
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
        """The Feeds page: ``kinds`` are the feed kinds (``generator/render/outputs.py``)."""
        site = [kind for kind in kinds if not kind["per_tag"]]
        per_tag = [kind for kind in kinds if kind["per_tag"]]
        return self._render("feeds.md.j2", 1, tags=tags, site_kinds=site, tag_kinds=per_tag)


def _paper_meta(paper: Paper) -> str:
    """The paper page's head: authors, organisation, the days it was featured on, its
    counts, and its outgoing links as buttons."""
    hub = paper.hub
    out = ['<div class="paper-meta">\n']
    if paper.authors:  # escaping the joined names escapes each: ", " needs none
        out.append(f'<p class="paper-authors">{escaped(", ".join(paper.authors))}</p>\n')
    if hub.organization:
        out.append(f'<p class="paper-organization">{escaped(hub.organization)}</p>\n')
    days = ", ".join(
        f'<a href="../../days/{day.isoformat()}/">{escaped(long_date(day))}</a>'
        for day in paper.days
    )
    out.append(f'<p class="paper-days" data-pagefind-ignore>Featured on {days}')
    if paper.arxiv_id:
        out.append(f" · arXiv <code>{escaped(paper.arxiv_id)}</code>")
    if hub.published:
        out.append(f" · submitted to arXiv {escaped(long_date(hub.published))}")
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
            f'<a class="md-button" href="{escaped(url)}" rel="noopener">{escaped(label)}</a> '
            for label, url in outgoing
        )
        out.append(f'<p class="paper-links" data-pagefind-ignore>{buttons}</p>\n')
    out.append("</div>\n")
    return "".join(out)


def _paper_body(paper: Paper) -> str:
    """The paper page's TL;DR and whole abstract."""
    out = []
    if paper.hub.summary:
        summary = escaped(paper.hub.summary)
        out.append(f'<p class="paper-tldr"><strong>TL;DR</strong> {summary}</p>\n')
    out.append('<h2 data-pagefind-ignore>Abstract</h2>\n<div class="paper-abstract">\n')
    if paper.abstract:
        out.append(f"<p>{escaped(paper.abstract)}</p>\n")
    else:
        out.append('<p class="papers-empty">No abstract was listed.</p>\n')
    out.append("</div>\n")
    return "".join(out)


def _related(related: Sequence[Paper]) -> str:
    """A paper page's "Related papers" (``#related``): title, first day, link."""
    if not related:
        return ""
    items = "".join(
        f'<li><a href="../{escaped(other.id)}/">{escaped(other.title)}</a> '
        f'<span class="paper-related__day">{escaped(long_date(other.first_day))}</span></li>\n'
        for other in related
    )
    return (
        '<section id="related" class="paper-related">\n<h2>Related papers</h2>\n'
        f"<ol>\n{items}</ol>\n</section>\n"
    )


def _tag_source(paper: Paper) -> str:
    """Who gave a paper its tags, in a sentence under them."""
    models = sorted({m.source for m in paper.tags} - {"rules", "hand"})
    keywords = any(m.source == "rules" for m in paper.tags)
    if models:
        said = f"Tagged by the language model {', '.join(models)}, quoting the paper"
        return said + (" (the others matched by keywords)." if keywords else ".")
    if keywords:
        return "Matched by keywords of the tag rules; not yet labelled by a language model."
    return "Tagged by hand."


def trend_line(trend: Trend) -> str:
    """A trending card's score and its parts, as the page's formula names them."""
    days = "today" if trend.age == 0 else f"{trend.age} day{'s' if trend.age != 1 else ''} old"
    if trend.paper.upvotes is None:  # a source that counts none (a curated day, a dump)
        return f"no upvote count, {days}: score 0, in listed order"
    votes = f"{trend.upvotes} upvote{'s' if trend.upvotes != 1 else ''}"
    return f"{votes}, {days}: score {trend.score:.2f}"


def _with_trend(card: str, trend: Trend, place: int) -> str:
    """A trending card: the paper's card with its place and score's parts, last inside."""
    line = (
        f'<p class="paper-card__reason"><strong>#{place}</strong> · '
        f"{escaped(trend_line(trend))}</p>"
    )
    # Home shows a paper twice (trending, then its day): its ids must differ.
    card = card.replace(' id="', ' id="trending-', 1)
    return card.removesuffix(CARD.close) + "\n" + line + CARD.close


def _with_reason(card: str, suggestion: Suggestion) -> str:
    """A For you card: the paper's card with the reason it was suggested, last inside."""
    like = suggestion.like
    why = f"like <em>{escaped(like.title)}</em>" if like else escaped(suggestion.reason)
    line = f'<p class="paper-card__reason"><strong>Why:</strong> {why}</p>'
    return card.removesuffix(CARD.close) + "\n" + line + CARD.close
