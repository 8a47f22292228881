"""The records the pipeline passes along: a paper as one file lists it, and the merged paper."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

#: Link kinds, in the order a paper page shows them.
LINK_KINDS = ("arxiv", "pdf", "code", "project", "huggingface")


@dataclass(frozen=True)
class Link:
    """An outgoing link of a paper; ``url`` is always http(s)."""

    kind: str
    url: str


@dataclass(frozen=True)
class HubInfo:
    """What Hugging Face's API says of a paper beyond the listing, where it says it."""

    summary: str = ""
    """``ai_summary``: a one-line TL;DR."""
    organization: str = ""
    """The submitting organization's full name (``organization.fullname``)."""
    comments: int | None = None
    """``numComments`` on the paper's Hugging Face page."""
    github_stars: int | None = None
    """``githubStars`` of the paper's code repository."""
    published: date | None = None
    """``publishedAt``: the arXiv submission day."""

    def merged(self, other: HubInfo) -> HubInfo:
        """Fields missing here taken from ``other``; counts keep the larger."""
        def most(a: int | None, b: int | None) -> int | None:
            return max(a, b) if a is not None and b is not None else (a if b is None else b)

        return HubInfo(
            summary=self.summary or other.summary,
            organization=self.organization or other.organization,
            comments=most(self.comments, other.comments),
            github_stars=most(self.github_stars, other.github_stars),
            published=self.published or other.published,
        )


@dataclass(frozen=True)
class RawPaper:
    """One paper as one input file lists it on one day, before merging."""

    title: str
    abstract: str
    day: date
    source: str
    """The input file, relative to the content folder, for messages."""
    line: int
    """The line of ``source`` where the paper starts."""
    rank: int
    """Position in the file's listing of ``day``, 0 for the first paper."""
    arxiv_id: str | None = None
    authors: tuple[str, ...] = ()
    links: tuple[Link, ...] = ()
    upvotes: int | None = None
    keywords: tuple[str, ...] = ()
    """Hugging Face ``ai_keywords``; they feed the tag rules."""
    categories: tuple[str, ...] = ()
    """arXiv categories such as ``cs.LG``; they feed the tag rules."""
    manual_tags: tuple[str, ...] = ()
    """Tag slugs given by hand in a YAML file."""
    on_huggingface: bool = False
    """True when the paper came from Hugging Face Daily Papers (it has a page there)."""
    hub: HubInfo = HubInfo()
    """Hugging Face's extras (TL;DR, organization, counts, arXiv date); empty elsewhere."""


@dataclass(frozen=True)
class TagMatch:
    """A tag given to a paper and why: the words that hit (rules), or the quote a language
    model gave as its evidence (labels, ``generator.tags.labels``)."""

    slug: str
    reason: str
    source: str = "rules"
    """Who gave it: ``rules``, ``hand`` (a YAML day's ``tags:``), or the model that
    labelled the paper (``openai/gpt-4.1-mini``)."""


@dataclass
class Paper:
    """One paper after merging every listing of it across files and days."""

    id: str
    """Stable id and URL segment: the arXiv id without version, else a title slug."""
    title: str
    abstract: str
    days: tuple[date, ...]
    """Every day the paper was featured, oldest first; ``days[0]`` dates it in the feeds."""
    rank: int
    """Position on its first day's page, 0 for the first."""
    arxiv_id: str | None = None
    authors: tuple[str, ...] = ()
    links: tuple[Link, ...] = ()
    upvotes: int | None = None
    keywords: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    manual_tags: tuple[str, ...] = ()
    on_huggingface: bool = False
    sources: tuple[str, ...] = ()
    tags: tuple[TagMatch, ...] = field(default=())
    hub: HubInfo = HubInfo()

    @property
    def first_day(self) -> date:
        return self.days[0]

    def link(self, kind: str) -> str | None:
        """The URL of the first link of ``kind``, if any."""
        return next((lk.url for lk in self.links if lk.kind == kind), None)


@dataclass(frozen=True)
class StepTiming:
    """One step of a build: how long it took and the peak memory of the process that ran it
    (``generator/site/process.py`` measures it; the build's summary lists it)."""

    step: str
    seconds: float
    peak_mib: float
    beside: str = ""
    """The step this one ran beside, in parallel (its time is not added to the total)."""
