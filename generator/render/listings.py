"""The pages of the site, one function a page kind: each adds its pages to the writer.

``generator/render/outputs.py`` declares the page kinds (where their files go, whether they are in
the navigation) and calls these; :class:`Site` is what they all read.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from itertools import groupby
from typing import Any

from generator.corpus import Corpus
from generator.discover import ForYou
from generator.model import Paper
from generator.render import api
from generator.render.api import paper_record
from generator.render.pages import Month, PageRenderer, month_of, week_of
from generator.render.paginate import page_source, paginate
from generator.render.stats import papers_per_day, papers_per_tag
from generator.render.trending import Trend, rank_trending, tag_trending, window
from generator.render.writer import Writer
from generator.settings import Settings


@dataclass
class Site:
    """What every page and feed of one build is made from."""

    corpus: Corpus
    settings: Settings
    renderer: PageRenderer
    periods: set[str] = field(default_factory=set)
    """The slugs of the week and month pages there are."""
    years: list[int] = field(default_factory=list)
    """The years with a page of their own (newest first), or none (``days_per_archive``)."""
    made: dict[str, object] = field(default_factory=dict)
    """Pieces made once and shared by several outputs (a paper's feed entry…), by key."""
    related: Mapping[str, tuple[Paper, ...]] = field(default_factory=dict)
    """Each paper's related papers, by id (``generator/discover/similar.py``)."""
    for_you: ForYou | None = None
    """The For you ranking, with ``content/interests.yaml`` (``generator/discover/foryou.py``)."""

    @classmethod
    def of(
        cls,
        corpus: Corpus,
        settings: Settings,
        related: Mapping[str, tuple[Paper, ...]] | None = None,
        for_you: ForYou | None = None,
    ) -> Site:
        renderer = PageRenderer(settings, [tag.rule for tag in corpus.tags])
        years = _archive_years(corpus.days, settings)
        periods = period_names(corpus.papers)
        return cls(corpus, settings, renderer, periods, years, related=related or {},
                   for_you=for_you)  # fmt: skip

    @property
    def tag_titles(self) -> dict[str, str]:
        return self.renderer.tag_titles

    def record(self, paper: Paper) -> dict[str, Any]:
        """The paper's API record (``generator/render/api.py``), made once a build: the day
        documents, the trending list, the bulk file and the JSON Feeds share it."""
        records: dict[str, dict[str, Any]] = self.made.setdefault("records", {})  # type: ignore[assignment]
        found = records.get(paper.id)
        if found is None:
            found = records[paper.id] = paper_record(
                paper, self.settings, self.related.get(paper.id, ())
            )
        return found

    def window_trends(self) -> list[Trend]:
        """Every paper of the trending window, best first (``generator/render/trending.py``)."""
        if "trends" not in self.made:
            s, corpus = self.settings, self.corpus
            self.made["trends"] = rank_trending(corpus.papers, corpus.newest_day, s.trending_days)
        return self.made["trends"]  # type: ignore[return-value]

    @property
    def trends(self) -> list[Trend]:
        """The trending list: the ``trending_size`` best papers of the window."""
        return self.window_trends()[: self.settings.trending_size]

    def tag_trends(self, slug: str) -> list[Trend]:
        """One tag's trending list: its papers of the window, ranked the same way."""
        return tag_trending(self.window_trends(), slug)[: self.settings.trending_size]

def add_home(site: Site, writer: Writer) -> None:
    corpus, settings = site.corpus, site.settings
    listed = sum(1 for papers in corpus.days.values() if papers)
    page = site.renderer.home(
        _home_days(corpus.days, settings.home_days),
        corpus.newest_day,
        len(corpus.papers),
        listed,
        corpus.tags,
        corpus.last_fetch,
        site.years,
        site.trends[: settings.home_trending],
    )
    writer.add("index.md", page)


def _home_days(days: dict[date, list[Paper]], count: int) -> list[tuple[date, list[Paper]]]:
    """The newest ``count`` days with papers, and any newer empty days above them."""
    shown: list[tuple[date, list[Paper]]] = []
    for day in sorted(days, reverse=True):
        shown.append((day, days[day]))
        if sum(1 for _, papers in shown if papers) >= count:
            break
    return shown


def add_day_pages(site: Site, writer: Writer) -> None:
    """Each day's pages, with links to the day before and after: page 1 at
    ``days/<date>.md``, later pages at ``days/<date>/page/<n>/``."""
    corpus, renderer = site.corpus, site.renderer
    all_days = list(corpus.days)
    counts = {day: len(papers) for day, papers in corpus.days.items()}
    for index, day in enumerate(all_days):
        previous = all_days[index - 1] if index > 0 else None
        following = all_days[index + 1] if index + 1 < len(all_days) else None
        base = f"days/{day.isoformat()}/"
        for page in paginate(corpus.days[day], site.settings.day_page_size, base):
            text = renderer.day(day, page, previous, following, counts, site.periods)
            # Page 1 keeps the file it always had; both are served at days/<date>/.
            first = f"days/{day.isoformat()}.md"
            writer.add(first if page.number == 1 else page_source(base, page.number), text)


def add_day_archive(site: Site, writer: Writer) -> None:
    """``/days/``: every day by month, or (past ``days_per_archive``) the list of years."""
    corpus, renderer = site.corpus, site.renderer
    if not site.years:
        months = _months(list(corpus.days), corpus.days)
        writer.add("days/index.md", renderer.day_index(months, None, site.periods))
        return
    summaries = []
    for year in site.years:
        in_year = _days_of(corpus, year)
        summaries.append((year, len(in_year), sum(len(corpus.days[d]) for d in in_year)))
    writer.add("days/index.md", renderer.day_index([], summaries, site.periods))


def add_year_pages(site: Site, writer: Writer) -> None:
    """``/days/<year>/``, once ``/days/`` lists the years (none before)."""
    corpus = site.corpus
    for year in site.years:
        months = _months(_days_of(corpus, year), corpus.days)
        page = site.renderer.year_index(year, months, site.years, site.periods)
        writer.add(f"days/{year}/index.md", page)


def _days_of(corpus: Corpus, year: int) -> list[date]:
    return [d for d in corpus.days if d.year == year]


def _archive_years(days: dict[date, list[Paper]], settings: Settings) -> list[int]:
    if len(days) <= settings.days_per_archive:
        return []
    return sorted({day.year for day in days}, reverse=True)


def _months(days: list[date], counts: dict[date, list[Paper]]) -> list[Month]:
    """``days`` grouped by month, newest first, each day with its paper count."""
    ordered = sorted(days, reverse=True)
    return [
        (month, [(d, len(counts[d])) for d in group])
        for month, group in groupby(ordered, key=lambda d: d.replace(day=1))
    ]


def add_tag_pages(site: Site, writer: Writer) -> None:
    for tag in site.corpus.tags:
        trending = bool(site.tag_trends(tag.rule.slug))
        for page in paginate(tag.papers, site.settings.tag_page_size, f"tags/{tag.rule.slug}/"):
            text = site.renderer.tag(tag, page, trending)
            writer.add(page_source(page.base, page.number), text)


def add_trending(site: Site, writer: Writer) -> None:
    """``/trending/``: the best papers of the window (``generator/render/trending.py``)."""
    span = window(site.corpus.newest_day, site.settings.trending_days)
    page = site.renderer.trending(site.trends, span, len(site.window_trends()))
    writer.add("trending/index.md", page)


def add_tag_trending(site: Site, writer: Writer) -> None:
    """``/tags/<slug>/trending/``, for each tag with papers in the window."""
    span = window(site.corpus.newest_day, site.settings.trending_days)
    for tag in site.corpus.tags:
        slug = tag.rule.slug
        trends = site.tag_trends(slug)
        if trends:
            in_window = len(tag_trending(site.window_trends(), slug))
            page = site.renderer.trending(trends, span, in_window, tag)
            writer.add(f"tags/{slug}/trending/index.md", page)


def add_tag_index(site: Site, writer: Writer) -> None:
    writer.add("tags/index.md", site.renderer.tag_index(site.corpus.tags))


def add_stats(site: Site, writer: Writer) -> None:
    corpus = site.corpus
    charts = [papers_per_day(corpus.days), papers_per_tag(corpus.papers, corpus.tags)]
    listed = sum(1 for papers in corpus.days.values() if papers)
    writer.add("stats.md", site.renderer.stats(charts, len(corpus.papers), listed))


def add_paper_pages(site: Site, writer: Writer) -> None:
    for paper in site.corpus.papers:
        page = site.renderer.paper(paper, site.related.get(paper.id, ()))
        writer.add(f"papers/{paper.id}.md", page)


def add_for_you(site: Site, writer: Writer) -> None:
    """``/for-you/`` (pages of ``day_page_size``), with ``content/interests.yaml`` only."""
    ranking = site.for_you
    if ranking is None:
        return
    for page in paginate(ranking.ranked, site.settings.day_page_size, "for-you/"):
        writer.add(page_source(page.base, page.number), site.renderer.for_you(page, ranking))


def by_upvotes(papers: list[Paper]) -> list[Paper]:
    """Most upvoted first, as Hugging Face ranks its daily, weekly and monthly views;
    unknown upvotes last; ties keep the order given (the sort is stable)."""
    return sorted(papers, key=lambda p: (p.upvotes is None, -(p.upvotes or 0)))


PERIODS: dict[str, Callable[[date], tuple[str, str]]] = {
    "weeks": lambda d: (week_of(d), f"week {d.isocalendar()[1]} of {d.isocalendar()[0]}"),
    "months": lambda d: (month_of(d), d.strftime("%B %Y")),
}
"""A period page's folder → the (slug, name) of the period a day falls in."""


def period_names(papers: list[Paper]) -> set[str]:
    """The slugs of the week and month pages there are: those of every first day."""
    first_days = {paper.first_day for paper in papers}
    return {name_of(day)[0] for name_of in PERIODS.values() for day in first_days}


def period_index(folder: str) -> Callable[[Site, Writer], None]:
    """``/weeks/`` or ``/months/`` (``folder``): every period with a page, newest first."""

    def add(site: Site, writer: Writer) -> None:
        groups = _by_period(site.corpus.papers, folder)
        periods = [(slug, name, len(groups[slug, name])) for slug, name in sorted(groups)[::-1]]
        writer.add(f"{folder}/index.md", site.renderer.period_index(folder, periods))

    return add


def period_pages(folder: str) -> Callable[[Site, Writer], None]:
    """The pages of ``weeks/<YYYY-Www>/`` or ``months/<YYYY-MM>/`` (``folder``)."""

    def add(site: Site, writer: Writer) -> None:
        _add_period_pages(site, writer, folder)

    return add


def _by_period(papers: list[Paper], folder: str) -> dict[tuple[str, str], list[Paper]]:
    """The papers by the (slug, name) of the week or month (``folder``) of their first day."""
    name_of = PERIODS[folder]
    groups: dict[tuple[str, str], list[Paper]] = {}
    for paper in papers:
        groups.setdefault(name_of(paper.first_day), []).append(paper)
    return groups


def _add_period_pages(site: Site, writer: Writer, folder: str) -> None:
    """The ``period_top`` most upvoted papers first featured in each week or month, with
    links to the periods before and after."""
    groups = _by_period(site.corpus.papers, folder)
    keys = sorted(groups)
    for index, key in enumerate(keys):
        papers = groups[key]
        days = sorted({p.first_day for p in papers})
        writer.add(
            f"{folder}/{key[0]}.md",
            site.renderer.period(
                f"Top papers of {key[1]}",
                _span(days[0], days[-1]),
                by_upvotes(papers)[: site.settings.period_top],  # newest day first, as listed
                len(papers),
                keys[index - 1] if index > 0 else None,
                keys[index + 1] if index + 1 < len(keys) else None,
            ),
        )


def _span(first: date, last: date) -> str:
    if first == last:
        return f"on {first.day} {first:%B %Y}"
    return f"from {first.day} {first:%B %Y} to {last.day} {last:%B %Y}"


def top_of_each_day(days: dict[date, list[Paper]], count: int) -> tuple[Paper, ...]:
    """The ``count`` most upvoted papers of each day, in listed order where upvotes are
    unknown (those come after the known ones); a paper listed on several days once."""
    chosen: dict[str, Paper] = {}
    for papers in days.values():
        for paper in by_upvotes(papers)[:count]:
            chosen.setdefault(paper.id, paper)
    return tuple(chosen.values())


API_DOCUMENTS = {
    "api/index.json": "what the site holds: the newest day, every day and every tag with "
    "its document's URL, where the trending list and the bulk file are",
    "api/days/YYYY-MM-DD.json": "every paper of a day, as full records, in the order of "
    "the day's page",
    "api/tags/SLUG.json": "a tag's papers, ids and days, newest first",
    "api/trending.json": "the trending list in the order of /trending/, each record with "
    "its score",
    "api/papers.jsonl.gz": "every paper's record, one a line, newest first (gzip)",
}


def add_api(site: Site, writer: Writer) -> None:
    """``/api/``: its page, its JSON documents and their schemas (``generator/render/api.py``)."""
    corpus, s = site.corpus, site.settings
    header = {"version": api.VERSION}
    days = []
    for day, papers in corpus.days.items():
        name = f"api/days/{day.isoformat()}.json"
        records = [site.record(p) for p in papers]
        document = {"$schema": api.schema_url(s, "day"), **header, "date": day.isoformat(),
                    "papers": records}  # fmt: skip
        writer.add(name, api.dumps(document))
        days.append({"date": day.isoformat(), "papers": len(papers), "url": s.absolute(name)})
    tags = []
    for tag in corpus.tags:
        name = f"api/tags/{tag.rule.slug}.json"
        listed = [{"id": p.id, "days": [d.isoformat() for d in p.days]} for p in tag.papers]
        document = {"$schema": api.schema_url(s, "tag"), **header, "slug": tag.rule.slug,
                    "title": tag.rule.title, "description": tag.rule.description,
                    "papers": listed}  # fmt: skip
        writer.add(name, api.dumps(document))
        tags.append({"slug": tag.rule.slug, "title": tag.rule.title,
                     "papers": len(tag.papers), "url": s.absolute(name)})  # fmt: skip
    trends = site.trends
    span = window(corpus.newest_day, s.trending_days)
    trending = api.trending_document(s, trends, [site.record(t.paper) for t in trends], span)
    writer.add("api/trending.json", api.dumps(trending))
    writer.add(api.BULK, api.bulk_file([site.record(p) for p in corpus.papers]))
    newest = corpus.newest_day
    index = {
        "$schema": api.schema_url(s, "index"), **header,
        "site": {"name": s.site_name, "url": s.site_url},
        "newest_day": newest.isoformat() if newest else None,
        "papers": len(corpus.papers), "days": days[::-1], "tags": tags,
        "trending": s.absolute("api/trending.json"),
        "bulk": {"url": s.absolute(api.BULK), "schema": api.schema_url(s, "paper"),
                 "format": "JSON Lines, gzip"},
    }  # fmt: skip
    writer.add("api/index.json", api.dumps(index))
    for name, schema in api.schemas(s).items():
        text = json.dumps(schema, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
        writer.add(f"{api.SCHEMA_DIR}{name}.json", text)
    sample = trends[0].paper if trends else (corpus.papers[0] if corpus.papers else None)
    example = json.dumps(site.record(sample), ensure_ascii=False, indent=1) if sample else "{}"
    # Each document linked: a placeholder's link is its newest day, its largest tag.
    examples = {
        "api/days/YYYY-MM-DD.json": f"api/days/{newest.isoformat()}.json" if newest else None,
        "api/tags/SLUG.json": f"api/tags/{corpus.tags[0].rule.slug}.json" if corpus.tags else None,
    }
    documents = {path: (about, examples.get(path, path)) for path, about in API_DOCUMENTS.items()}
    writer.add("api/index.md", site.renderer.api(documents, example))
