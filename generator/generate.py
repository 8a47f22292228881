"""The generate step: content folder in, Markdown pages and feeds out (in memory).

Pure apart from reading ``content/``: the same content gives the same bytes.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import partial
from itertools import groupby
from pathlib import Path, PurePosixPath
from typing import TypeVar

from generator.digest import DigestItem, digest_feed
from generator.errors import InputError, Warning_
from generator.feeds import Entry, paper_feed, render_atom, render_json_feed, render_rss
from generator.merge import merge_papers
from generator.model import Paper, RawPaper, TagMatch
from generator.opml import PATH as OPML_PATH
from generator.opml import render_opml
from generator.pages import Month, PageRenderer, TagInfo, month_of, week_of
from generator.paginate import page_source, paginate
from generator.process import MAX_TASKS, Beside, StepTiming
from generator.readers import input_files, read_file
from generator.readers.base import ReadResult
from generator.settings import Settings
from generator.stats import papers_per_day, papers_per_tag
from generator.tagging import Tagger, TagInputs, assign_tags, tag_inputs
from generator.tagrules import TagRule, load_tag_rules
from generator.writer import Writer

T = TypeVar("T")
TAGS_FILE = "tags.yaml"
TagsOf = tuple[TagInputs, tuple[TagMatch, ...]]
STATUS_FILE = "fetch-status.json"


@dataclass
class Summary:
    """What a build read and wrote; ``papers_read`` always equals
    ``pages_written + duplicates_merged + dropped``."""

    files_read: int = 0
    papers_read: int = 0
    pages_written: int = 0
    duplicates_merged: int = 0
    dropped: int = 0
    days: int = 0
    tags: int = 0
    feeds: int = 0
    warnings: list[Warning_] = field(default_factory=list)
    seconds: float = 0.0
    site_built: bool = False
    steps: list[StepTiming] = field(default_factory=list)
    """Wall time and peak memory of each build step, in order."""

    def describe(self) -> str:
        return (
            f"{self.files_read} files read, {self.papers_read} papers read, "
            f"{self.pages_written} paper pages, {self.duplicates_merged} duplicates merged, "
            f"{self.dropped} dropped, {self.days} days, {self.tags} tags, {self.feeds} feeds, "
            f"{len(self.warnings)} warnings, {self.seconds:.2f} s"
            + (" (site built)" if self.site_built else " (Markdown and feeds only)")
        )


@dataclass
class Corpus:
    """Everything read from the content folder, merged and tagged."""

    papers: list[Paper]
    days: dict[date, list[Paper]]
    """Every day (including days listed with no papers), oldest first."""
    tags: list[TagInfo]
    """Every tag of the rules, most papers first, ties in the order of ``tags.yaml``."""
    last_fetch: datetime | None
    summary: Summary

    @property
    def newest_day(self) -> date | None:
        """The newest day with papers (an empty weekend after it does not count)."""
        return max((day for day, papers in self.days.items() if papers), default=None)


def read_fetch_status(content: Path) -> tuple[datetime | None, set[date]]:
    """From ``fetch-status.json``: the last successful fetch (the newest of its sources) and
    the past days a source answered with no papers."""
    path = content / STATUS_FILE
    if not path.exists():
        return None, set()
    name = path.as_posix()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        stamps = [
            datetime.fromisoformat(str(v).replace("Z", "+00:00"))
            for v in (data.get("last_success") or {}).values()
        ]
        empty = {date.fromisoformat(str(d)) for d in data.get("empty_days") or []}
    except (ValueError, AttributeError, TypeError, UnicodeDecodeError) as exc:
        raise InputError(name, None, f"unreadable fetch status: {exc}") from None
    if any(s.tzinfo is None for s in stamps):
        raise InputError(name, None, "fetch times must carry a timezone (…Z)")
    return (max(stamps).astimezone(UTC) if stamps else None), empty


def read_corpus(content: Path) -> Corpus:
    """Read every input file, merge the papers and tag them."""
    if not content.is_dir():
        raise InputError(str(content), None, "content folder not found")
    summary = Summary()
    raws: list[RawPaper] = []
    empty_days: set[date] = set()
    files, skipped = input_files(content)
    summary.warnings.extend(skipped)
    tags_file = (content / TAGS_FILE).as_posix()
    try:  # needed to tag each listing as it is read; a bad file still fails first
        rules: list[TagRule] | Exception = load_tag_rules(content / TAGS_FILE, tags_file)
    except Exception as exc:
        rules = exc
    results, known = _read_files(files, rules if isinstance(rules, list) else None)
    for result in results:
        summary.files_read += 1
        raws.extend(result.papers)
        summary.warnings.extend(result.warnings)
        summary.dropped += result.dropped
        empty_days.update(result.empty_days)
    summary.papers_read = len(raws) + summary.dropped
    last_fetch, fetched_empty = read_fetch_status(content)
    empty_days.update(fetched_empty)
    merged = merge_papers(raws)
    if isinstance(rules, Exception):
        raise rules
    summary.warnings.extend(assign_tags(merged.papers, rules, tags_file, known))
    by_id = {paper.id: paper for paper in merged.papers}
    days = {
        day: [by_id[i] for i in merged.days.get(day, [])]
        for day in sorted(set(merged.days) | empty_days)
    }
    tagged: dict[str, list[Paper]] = {rule.slug: [] for rule in rules}
    for paper in merged.papers:
        for match in paper.tags:
            listed = tagged[match.slug]
            if not listed or listed[-1] is not paper:  # a tag given twice by hand: once
                listed.append(paper)
    # Largest first (ties in file order): the order of the tags index, the Feeds page and
    # the OPML, so that readers see the field's big topics first, whatever the rules.
    tags = sorted(
        (TagInfo(rule, tuple(tagged[rule.slug])) for rule in rules), key=lambda t: -len(t.papers)
    )
    summary.duplicates_merged = merged.duplicates_merged
    summary.days = len(days)
    summary.tags = len(rules)
    return Corpus(merged.papers, days, tags, last_fetch, summary)


#: Below these sizes a second process costs more than it saves: reading (and tagging) files
#: of at least ``PARALLEL_READ_BYTES`` in all, rendering at least ``PARALLEL_PAPERS`` papers.
PARALLEL_READ_BYTES = 1 << 20
PARALLEL_PAPERS = 500


def _read_files(
    files: list[Path], rules: list[TagRule] | None
) -> tuple[list[ReadResult], dict[TagInputs, tuple[TagMatch, ...]]]:
    """``read_file`` of every file, in order, and the tags of each listing read (with
    ``rules``), which a paper merged from one listing keeps. A large corpus is read and
    tagged by two processes (every other file each). The first file that fails, in order,
    raises, as when read one by one."""

    def read(first: int) -> tuple[dict[int, ReadResult | Exception], list[TagsOf]]:
        outcomes: dict[int, ReadResult | Exception] = {}
        tagger = Tagger(rules) if rules is not None else None
        tagged: list[TagsOf] = []
        for index in range(first, len(files), 2):
            try:
                outcomes[index] = result = read_file(files[index])
            except Exception as exc:  # an earlier file of the other half may fail first
                outcomes[index] = exc
                break
            if tagger is not None:
                tagged += ((tag_inputs(raw), tagger.tags(raw)) for raw in result.papers)
        return outcomes, tagged

    size = sum(path.stat().st_size for path in files) if len(files) > 1 else 0
    other = Beside(lambda: read(1), parallel=size >= PARALLEL_READ_BYTES)
    try:
        outcomes, tagged = read(0)
        more, more_tagged = other.result()
    finally:
        other.stop()
    outcomes.update(more)
    results: list[ReadResult] = []
    for index in range(len(files)):
        outcome = outcomes[index]  # present: a half stops only after a failure, raised first
        if isinstance(outcome, Exception):
            raise outcome
        results.append(outcome)
    return results, dict(tagged + more_tagged)


def _home_days(days: dict[date, list[Paper]], count: int) -> list[tuple[date, list[Paper]]]:
    """The newest ``count`` days with papers, and any newer empty days above them."""
    shown: list[tuple[date, list[Paper]]] = []
    for day in sorted(days, reverse=True):
        shown.append((day, days[day]))
        if sum(1 for _, papers in shown if papers) >= count:
            break
    return shown


#: A part of the generated files: it adds them to the writer it is given.
Part = Callable[[Writer], None]


def site_parts(corpus: Corpus, settings: Settings) -> list[Part]:
    """Every generated file but the paper pages, in parts that make the same files in
    any order and in any process: a large build shares them between two
    (``generator/build.py``). The largest come first (the feeds, then the tags with most
    papers), so that two processes taking the next part in turn finish together. At most
    ``MAX_TASKS`` parts, as a ``TaskQueue`` hands them out: tags share parts beyond half
    of that."""
    renderer = PageRenderer(settings, [tag.rule for tag in corpus.tags])
    years = _archive_years(corpus.days, settings)
    periods = _period_names(corpus.papers)
    by_size = sorted(corpus.tags, key=lambda tag: -len(tag.papers))  # stable: rule order
    tag_groups = _chunks(by_size, MAX_TASKS // 2)
    day_groups = _chunks(list(corpus.days), 8)
    parts: list[Part] = [partial(render_feeds, corpus=corpus, settings=settings)]
    parts += [partial(_add_tag_pages, renderer=renderer, tags=g, settings=settings)
              for g in tag_groups]  # fmt: skip
    parts += [partial(_add_day_pages, renderer=renderer, corpus=corpus, days=g, periods=periods)
              for g in day_groups]  # fmt: skip
    parts += [
        partial(_add_period_pages, renderer=renderer, corpus=corpus, folder=folder,
                top=settings.period_top)
        for folder in _PERIODS
    ]  # fmt: skip
    parts.append(
        partial(_add_indexes, renderer=renderer, corpus=corpus, settings=settings,
                years=years, periods=periods)
    )  # fmt: skip
    return parts


def _chunks(items: list[T], count: int) -> list[list[T]]:
    """``items`` in at most ``count`` runs of nearly equal length, in order."""
    size = -(-len(items) // count) if items else 1
    return [items[i : i + size] for i in range(0, len(items), size)]


def render_site(corpus: Corpus, settings: Settings) -> Writer:
    """Every generated file (Markdown pages and feeds), by path under ``docs/``: the
    parts of :func:`site_parts` and :func:`paper_parts`, one after another."""
    writer = Writer()
    for part in [*site_parts(corpus, settings), *paper_parts(corpus, settings, 1)]:
        part(writer)
    corpus.summary.pages_written = count_paper_pages(writer.files)
    corpus.summary.feeds = count_feeds(writer.files)
    return writer


def count_feeds(paths: Iterable[PurePosixPath]) -> int:
    """How many of ``paths`` are feeds (Atom, RSS or JSON Feed)."""
    return sum(1 for path in paths if path.name in ("atom.xml", "rss.xml", "feed.json"))


def _add_indexes(
    writer: Writer,
    renderer: PageRenderer,
    corpus: Corpus,
    settings: Settings,
    years: list[int],
    periods: set[str],
) -> None:
    """Home, the day archive, the tag index, the Feeds and Stats pages."""
    listed = [day for day, papers in corpus.days.items() if papers]
    writer.add(
        "index.md",
        renderer.home(
            _home_days(corpus.days, settings.home_days),
            corpus.newest_day,
            len(corpus.papers),
            len(listed),
            corpus.tags,
            corpus.last_fetch,
            years,
        ),
    )
    _add_day_indexes(writer, renderer, corpus, years, periods)
    writer.add("tags/index.md", renderer.tag_index(corpus.tags))
    writer.add("feeds.md", renderer.feeds(corpus.tags))
    charts = [papers_per_day(corpus.days), papers_per_tag(corpus.papers, corpus.tags)]
    writer.add("stats.md", renderer.stats(charts, len(corpus.papers), len(listed)))


def _add_tag_pages(
    writer: Writer, renderer: PageRenderer, tags: list[TagInfo], settings: Settings
) -> None:
    for tag in tags:
        for page in paginate(tag.papers, settings.tag_page_size, f"tags/{tag.rule.slug}/"):
            writer.add(page_source(page.base, page.number), renderer.tag(tag, page))


def paper_parts(corpus: Corpus, settings: Settings, count: int) -> list[Part]:
    """The paper pages in ``count`` parts (at most) of consecutive papers by id: made in
    turn, parts give their search pages the order one part gives them. Pagefind numbers
    the pages in the order it finds their files, which on tmpfs is the order they were
    made in (``generator/build.py``'s ``scratch_folder``)."""
    renderer = PageRenderer(settings, [tag.rule for tag in corpus.tags])
    by_id = sorted(corpus.papers, key=lambda paper: paper.id)
    return [
        partial(_add_paper_pages, renderer=renderer, papers=papers)
        for papers in _chunks(by_id, count)
    ]


def count_paper_pages(paths: Iterable[PurePosixPath]) -> int:
    """How many of ``paths`` are paper pages."""
    return sum(1 for path in paths if path.parts[0] == "papers")


def _add_paper_pages(writer: Writer, renderer: PageRenderer, papers: list[Paper]) -> None:
    for paper in papers:
        writer.add(f"papers/{paper.id}.md", renderer.paper(paper))


def _archive_years(days: dict[date, list[Paper]], settings: Settings) -> list[int]:
    """The years with a page of their own (newest first), or none while ``/days/`` holds
    every day (``Settings.days_per_archive``)."""
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


def _add_day_pages(
    writer: Writer, renderer: PageRenderer, corpus: Corpus, days: list[date], periods: set[str]
) -> None:
    """The pages of ``days`` (some of ``corpus.days``), each with links to the day before
    and after; ``periods`` names the week and month pages that exist."""
    all_days = list(corpus.days)
    position = {day: index for index, day in enumerate(all_days)}
    counts = {day: len(papers) for day, papers in corpus.days.items()}
    for day in days:
        index = position[day]
        previous = all_days[index - 1] if index > 0 else None
        following = all_days[index + 1] if index + 1 < len(all_days) else None
        page = renderer.day(day, corpus.days[day], previous, following, counts, periods)
        writer.add(f"days/{day.isoformat()}.md", page)


def _add_day_indexes(
    writer: Writer, renderer: PageRenderer, corpus: Corpus, years: list[int], periods: set[str]
) -> None:
    """The archive: ``/days/`` alone, or ``/days/`` listing the years and a page per year."""
    all_days = list(corpus.days)
    if not years:
        months = _months(all_days, corpus.days)
        writer.add("days/index.md", renderer.day_index(months, None, periods))
        return
    summaries = []
    for year in years:
        in_year = [d for d in all_days if d.year == year]
        papers = sum(len(corpus.days[d]) for d in in_year)
        summaries.append((year, len(in_year), papers))
        writer.add(
            f"days/{year}/index.md",
            renderer.year_index(year, _months(in_year, corpus.days), years, periods),
        )
    writer.add("days/index.md", renderer.day_index([], summaries, periods))


def _by_upvotes(papers: list[Paper]) -> list[Paper]:
    """Most upvoted first, as Hugging Face ranks its daily, weekly and monthly views;
    unknown upvotes last; ties keep the order given (the sort is stable)."""
    return sorted(papers, key=lambda p: (p.upvotes is None, -(p.upvotes or 0)))


_PERIODS: dict[str, Callable[[date], tuple[str, str]]] = {
    "weeks": lambda d: (week_of(d), f"week {d.isocalendar()[1]} of {d.isocalendar()[0]}"),
    "months": lambda d: (month_of(d), d.strftime("%B %Y")),
}
"""A period page's folder → the (slug, name) of the period a day falls in."""


def _period_names(papers: list[Paper]) -> set[str]:
    """The slugs of the week and month pages there are: those of every first day."""
    first_days = {paper.first_day for paper in papers}
    return {name_of(day)[0] for name_of in _PERIODS.values() for day in first_days}


def _add_period_pages(
    writer: Writer, renderer: PageRenderer, corpus: Corpus, folder: str, top: int
) -> None:
    """``weeks/<YYYY-Www>/`` or ``months/<YYYY-MM>/`` (``folder``): the ``top`` most
    upvoted papers first featured in each week or month, with links to the periods before
    and after."""
    name_of = _PERIODS[folder]
    groups: dict[tuple[str, str], list[Paper]] = {}
    for paper in corpus.papers:
        groups.setdefault(name_of(paper.first_day), []).append(paper)
    keys = sorted(groups)
    for index, key in enumerate(keys):
        papers = groups[key]
        days = sorted({p.first_day for p in papers})
        writer.add(
            f"{folder}/{key[0]}.md",
            renderer.period(
                f"Top papers of {key[1]}",
                _span(days[0], days[-1]),
                _by_upvotes(papers)[:top],  # given newest day first, then as listed
                len(papers),
                keys[index - 1] if index > 0 else None,
                keys[index + 1] if index + 1 < len(keys) else None,
            ),
        )


def _span(first: date, last: date) -> str:
    if first == last:
        return f"on {first.day} {first:%B %Y}"
    return f"from {first.day} {first:%B %Y} to {last.day} {last:%B %Y}"


def render_feeds(writer: Writer, corpus: Corpus, settings: Settings) -> None:
    """The feeds: every paper, the top of each day and the daily digest, for the whole
    site (Atom, RSS and JSON Feed); every paper (Atom and RSS) and the daily digest (Atom)
    for each tag; and the OPML list of them all."""
    tag_titles = {tag.rule.slug: tag.rule.title for tag in corpus.tags}
    newest = corpus.newest_day
    entries: dict[str, Entry] = {}  # a paper's entry, and its digest line, made once
    items: dict[str, DigestItem] = {}
    site = paper_feed(
        settings, settings.site_name, settings.site_description, "", "", corpus.papers,
        tag_titles, entries,
    )
    top = paper_feed(
        settings,
        f"{settings.site_name}: top {settings.top_per_day} of the day",
        f"The {settings.top_per_day} most upvoted papers of each day.",
        "top/",
        "",
        top_of_each_day(corpus.days, settings.top_per_day),
        tag_titles,
        entries,
    )
    digest = digest_feed(settings, corpus.days, tag_titles, None, items)
    tags = [
        paper_feed(
            settings,
            f"{settings.site_name}: {tag.rule.title}",
            tag.rule.description,
            f"tags/{tag.rule.slug}/",
            f"tags/{tag.rule.slug}/",
            tag.papers,
            tag_titles,
            entries,
        )
        for tag in corpus.tags
    ]
    tag_digests = [
        digest_feed(settings, corpus.days, tag_titles, tag.rule.slug, items)
        for tag in corpus.tags
    ]
    for spec in [site, top, digest, *tags]:
        writer.add(spec.path + "atom.xml", render_atom(settings, spec, newest))
        writer.add(spec.path + "rss.xml", render_rss(settings, spec, newest))
    for spec in (site, top, digest):
        writer.add(spec.path + "feed.json", render_json_feed(settings, spec))
    for spec in tag_digests:
        writer.add(spec.path + "atom.xml", render_atom(settings, spec, newest))
    writer.add(OPML_PATH, render_opml(settings, [site, top, digest], tags, tag_digests))


def top_of_each_day(days: dict[date, list[Paper]], count: int) -> tuple[Paper, ...]:
    """The ``count`` most upvoted papers of each day, in listed order where upvotes are
    unknown (those come after the known ones); a paper listed on several days once."""
    chosen: dict[str, Paper] = {}
    for papers in days.values():
        for paper in _by_upvotes(papers)[:count]:
            chosen.setdefault(paper.id, paper)
    return tuple(chosen.values())
