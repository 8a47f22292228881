"""Daily digests: one feed entry (or one email) per day, listing that day's papers.

A digest of a day lists its papers as the day page ranks them (the order Hugging Face
listed them), each with its title linked to its paper page, its tags, and one line about
it: Hugging Face's TL;DR (``ai_summary``) where there is one, else the abstract's first
sentence. The site digest (``/digest/…``) covers every paper of a day, a tag digest
(``/tags/<slug>/digest/atom.xml``) only the papers of that tag.

Ids and dates come from the data alone:

- The entry id is a tag URI of the host, the day and the digest's path
  (``tag:host,2025-06-06:/digest/2025-06-06``): stable, and different for the site digest
  and each tag's, whose contents differ.
- ``published`` is 11:00 UTC on the day; ``updated`` is one second later per paper in the
  digest. A later fetch that adds papers to a day (papers are never taken away) moves
  ``updated``, so a reader shows the entry as changed, while its id stays. Both stay
  within the day for readers anywhere from UTC-11 to UTC+12 (up to 3,599 papers a day).
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from generator.model import Paper
from generator.render.feeds import Entry, FeedSpec
from generator.render.fragments import DIGEST_ITEM, blurb, paper_html
from generator.render.pages import long_date
from generator.settings import Settings

#: The hour (UTC) a digest is published at on its day (see the module docstring).
DIGEST_HOUR = 11

@dataclass(frozen=True)
class DigestItem:
    """One paper of a digest, made once a build: the site's digest and its tags' share it.
    Its text is as is (the plain-text mail takes it); ``html`` is escaped."""

    paper: Paper
    url: str
    """The paper's page, absolute."""
    blurb: str
    """The TL;DR, else the abstract's first sentence; '' when the paper has neither."""
    tags: tuple[str, ...]
    """Tag titles."""
    html: str
    """Its ``<li>`` in a digest feed entry (``generator/render/fragments.py``)."""

    @property
    def title(self) -> str:
        return self.paper.title

    @property
    def upvotes(self) -> int | None:
        return self.paper.upvotes


@dataclass(frozen=True)
class Digest:
    """The digest of one day (for the whole site, or for one tag)."""

    day: date
    items: tuple[DigestItem, ...]
    title: str
    """The date and the count: "Friday 6 June 2025: 12 papers in Agents"."""
    url: str
    """The day's page, absolute."""
    tag_titles: Mapping[str, str]
    """Tag titles by slug, for the renderers of its papers (feed HTML, email)."""

    @property
    def published(self) -> datetime:
        return datetime.combine(self.day, time(DIGEST_HOUR, 0), tzinfo=UTC)

    @property
    def updated(self) -> datetime:
        return self.published + timedelta(seconds=len(self.items))


def of_tag(papers: list[Paper], tag: str) -> list[Paper]:
    """Those of ``papers`` with the tag ``tag`` (a slug), in their order."""
    return [paper for paper in papers if any(match.slug == tag for match in paper.tags)]


def day_digest(
    settings: Settings,
    day: date,
    papers: list[Paper],
    tag_titles: dict[str, str],
    tag: str | None = None,
    made: dict[str, DigestItem] | None = None,
    scope: str | None = None,
) -> Digest:
    """The digest of ``day`` listing ``papers`` (in the given order: the day page's), the
    title naming the tag ``tag`` (a slug) when it is a tag's digest, or ending in
    ``scope`` ("for you"). ``made`` keeps items by paper id across the digests of one
    build."""
    made = {} if made is None else made
    items = []
    for paper in papers:
        item = made.get(paper.id)
        if item is None:
            item = made[paper.id] = DigestItem(
                paper=paper,
                url=settings.paper_page(paper.id),
                blurb=blurb(paper),
                tags=tuple(tag_titles.get(t.slug, t.slug) for t in paper.tags),
                html=paper_html(paper, DIGEST_ITEM, tag_titles, settings.absolute("")),
            )
        items.append(item)
    count = f"{len(items)} paper{'s' if len(items) != 1 else ''}"
    ending = f" {scope}" if scope else f" in {tag_titles.get(tag, tag)}" if tag else ""
    return Digest(
        day=day,
        items=tuple(items),
        title=f"{long_date(day)}: {count}{ending}",
        url=settings.absolute(f"days/{day.isoformat()}/"),
        tag_titles=tag_titles,
    )


def digests(
    settings: Settings,
    days: dict[date, list[Paper]],
    tag_titles: dict[str, str],
    tag: str | None = None,
    made: dict[str, DigestItem] | None = None,
) -> list[Digest]:
    """The newest ``settings.digest_days`` days with papers (of tag ``tag`` if given) as
    digests, newest first."""
    chosen: list[Digest] = []
    for day in sorted(days, reverse=True):
        papers = days[day] if tag is None else of_tag(days[day], tag)
        if papers:
            chosen.append(day_digest(settings, day, papers, tag_titles, tag, made))
        if len(chosen) == settings.digest_days:
            break
    return chosen


def digest_html(digest: Digest) -> str:
    """The digest as the HTML of a feed entry: an ordered list of the papers, each as
    ``generator/render/fragments.py`` writes a digest item (title, line, tags and upvotes)."""
    lines = [
        f'<p>Papers listed on <a href="{html.escape(digest.url)}">{long_date(digest.day)}</a>, '
        "in the order of the day's page.</p>",
        "<ol>",
        *(item.html for item in digest.items),
        "</ol>",
    ]
    return "\n".join(lines)


def digest_text(digest: Digest) -> str:
    """The digest as plain text: a numbered list, each paper with its line and its URL."""
    blocks = [f"{digest.title}\n{digest.url}"]
    for number, item in enumerate(digest.items, 1):
        lines = [f"{number}. {item.title}" + (f" (▲ {item.upvotes})" if item.upvotes else "")]
        if item.blurb:
            lines.append(f"   {item.blurb}")
        if item.tags:
            lines.append(f"   Tags: {', '.join(item.tags)}")
        lines.append(f"   {item.url}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


def digest_entry(settings: Settings, digest: Digest, path: str) -> Entry:
    """A digest as a feed entry of the digest feed in folder ``path`` ('digest/'…)."""
    day = digest.day.isoformat()
    return Entry(
        id=f"tag:{settings.host},{day}:/{path}{day}",
        title=digest.title,
        url=digest.url,
        html=digest_html(digest),
        updated=digest.updated,
        published=digest.published,
        # No plain-text twin in JSON Feed: content_html is enough for a reader, and the
        # text would be a third of the digest feeds' bytes. The email's text part has it.
    )


def digest_feed(
    settings: Settings,
    days: dict[date, list[Paper]],
    tag_titles: dict[str, str],
    tag: str | None = None,
    made: dict[str, DigestItem] | None = None,
) -> FeedSpec:
    """The site's digest feed (``digest/``), or tag ``tag``'s (``tags/<slug>/digest/``)."""
    path = f"tags/{tag}/digest/" if tag else "digest/"
    if tag:
        title = f"{settings.site_name}: {tag_titles.get(tag, tag)}, daily digest"
        subtitle = f"One entry a day listing that day's papers tagged {tag_titles.get(tag, tag)}."
        page = f"tags/{tag}/"
    else:
        title = f"{settings.site_name}: daily digest"
        subtitle = "One entry a day listing that day's papers."
        page = "days/"
    entries = tuple(
        digest_entry(settings, digest, path)
        for digest in digests(settings, days, tag_titles, tag, made)
    )
    return FeedSpec(title, subtitle, path, page, entries)
