"""What is hot now: the papers of the last ``trending_days`` days, best first, by a
formula of upvotes and age that the trending page states in words.

    score = upvotes / (age in days + 2) ** 1.5

as Hacker News ranks its front page (points over a power of the age). Age is counted in
whole days from a paper's first day to the newest day with papers in ``content/``, never
from the clock, so the same content ranks the same way on every build. A paper of today
with 20 upvotes (20 / 2.8 = 7.1) passes one of last week with 60 (60 / 20.1 = 3.0): an
older paper with more upvotes does not hold the top for two weeks, as it would ranked by
upvotes alone. Stars and comments do not count: Hugging Face's own trending order, driven
by GitHub stars, brings back papers years old.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from generator.model import Paper

#: How fast age wears a score down, and how many days a new paper starts with.
GRAVITY = 1.5
AGE_OFFSET = 2
#: The formula in words, as the trending pages and the API say it.
FORMULA = "upvotes ÷ (age in days + 2)^1.5"


@dataclass(frozen=True)
class Trend:
    """A paper on a trending list, and its score's parts."""

    paper: Paper
    upvotes: int
    age: int
    """Whole days from its first day to the newest day."""
    score: float
    """Rounded to 4 decimals, as every output shows it."""


def trending_score(upvotes: int, age: int) -> float:
    """``upvotes / (age + 2) ** 1.5``, rounded to 4 decimals."""
    return round(upvotes / (age + AGE_OFFSET) ** GRAVITY, 4)


def window(newest: date | None, days: int) -> tuple[date, date] | None:
    """The first and last day of the trending window, or None for a site with no papers."""
    if newest is None:
        return None
    return newest - timedelta(days=days - 1), newest


def rank_trending(papers: Iterable[Paper], newest: date | None, days: int) -> list[Trend]:
    """Every paper first featured in the window, best first; ties: more upvotes, then
    newer, then as listed. Unknown upvotes count 0."""
    span = window(newest, days)
    if span is None:
        return []
    first, last = span
    trends = []
    for paper in papers:
        if first <= paper.first_day <= last:
            age = (last - paper.first_day).days
            upvotes = paper.upvotes or 0
            trends.append(Trend(paper, upvotes, age, trending_score(upvotes, age)))
    trends.sort(key=lambda t: (-t.score, -t.upvotes, t.age, t.paper.rank, t.paper.id))
    return trends


def tag_trending(trends: list[Trend], slug: str) -> list[Trend]:
    """The trends of one tag's papers, in the same order."""
    return [t for t in trends if any(m.slug == slug for m in t.paper.tags)]
