"""The Stats page: papers per day and papers per tag over time, as SVG charts drawn at build
time with pygal (a kept SVG charting library: axes, labels, scaling and accessible titles
we would otherwise write and maintain), each beside a table of its numbers.

Charts are inlined in the page and drawn in ``currentColor``, so they take the page's text
colour in both palettes. Output is deterministic: pygal's random chart id is replaced by a
fixed one and its comments (which carry the date and its version) are dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from itertools import groupby
from typing import TYPE_CHECKING, Any

from generator.corpus import TagInfo
from generator.model import Paper

if TYPE_CHECKING:
    import pygal

#: Days shown in the papers-per-day chart (the newest), and tags in the per-tag chart.
RECENT_DAYS = 60
TOP_TAGS = 6

@cache
def _pygal() -> tuple[Any, Any]:
    """pygal and the charts' style. Imported when the Stats page is drawn, not at start-up
    (pygal scans the installed packages' entry points as it loads): in a large build that
    is beside the second process's paper pages (generator/build.py)."""
    import pygal
    from pygal.style import Style

    style = Style(
        background="transparent",
        plot_background="transparent",
        foreground="currentColor",
        foreground_strong="currentColor",
        foreground_subtle="rgba(128, 128, 128, 0.35)",
        opacity="0.9",
        opacity_hover="1",
        colors=("#5c6bc0", "#ef6c00", "#00897b", "#8e24aa", "#c0ca33", "#039be5"),
        font_family="inherit",
        label_font_size=12,
        major_label_font_size=12,
        legend_font_size=13,
        value_font_size=12,
        tooltip_font_size=13,
    )
    return pygal, style


_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


@dataclass(frozen=True)
class Chart:
    """One chart: its title, inline SVG and the table of the numbers it draws."""

    slug: str
    title: str
    description: str
    svg: str
    columns: list[str]
    rows: list[list[str]]


def _svg(chart: pygal.graph.graph.Graph, slug: str) -> str:
    chart.uuid = slug  # pygal draws a random id per chart: a fixed one keeps output stable
    return _COMMENT.sub("", chart.render(is_unicode=True))


def papers_per_day(days: dict[date, list[Paper]]) -> Chart:
    """The newest ``RECENT_DAYS`` days, as bars."""
    recent = sorted(days)[-RECENT_DAYS:]
    pygal, style = _pygal()
    chart = pygal.Bar(
        style=style, width=800, height=280, show_legend=False, js=[],
        disable_xml_declaration=True, show_minor_x_labels=False, x_labels_major_count=8,
        truncate_label=-1, margin=8,
    )  # fmt: skip
    chart.x_labels = [d.strftime("%d %b") for d in recent]
    chart.add("Papers", [len(days[d]) for d in recent])
    first, last = (recent[0], recent[-1]) if recent else (None, None)
    span = f"{first:%d %B %Y} to {last:%d %B %Y}" if first and last else "no days yet"
    return Chart(
        "papers-per-day",
        "Papers per day",
        f"Bar chart of the number of papers listed on each of the last {len(recent)} "
        f"day{'s' if len(recent) != 1 else ''}, {span}; the table gives each day's number.",
        _svg(chart, "papers-per-day"),
        ["Day", "Papers"],
        [[f"{d:%a %d %b %Y}", str(len(days[d]))] for d in reversed(recent)],
    )


def papers_per_tag(papers: list[Paper], tags: list[TagInfo]) -> Chart:
    """Papers of the ``TOP_TAGS`` largest tags per month (of first listing), as lines."""
    months = sorted({p.first_day.replace(day=1) for p in papers})
    top = sorted(tags, key=lambda t: (-len(t.papers), t.rule.slug))[:TOP_TAGS]
    counts = {
        tag.rule.slug: {
            month: len(list(group))
            for month, group in groupby(
                sorted(p.first_day.replace(day=1) for p in tag.papers)
            )
        }
        for tag in top
    }
    pygal, style = _pygal()
    chart = pygal.Line(
        style=style, width=800, height=320, js=[], disable_xml_declaration=True,
        legend_at_bottom=True, legend_at_bottom_columns=3, truncate_legend=-1,
        show_minor_x_labels=False, x_labels_major_count=8, truncate_label=-1, margin=8,
        dots_size=3,
    )  # fmt: skip
    chart.x_labels = [m.strftime("%b %Y") for m in months]
    for tag in top:
        chart.add(tag.rule.title, [counts[tag.rule.slug].get(m, 0) for m in months])
    return Chart(
        "papers-per-tag",
        "Papers per tag, by month",
        f"Line chart of the number of papers first listed each month in the {len(top)} "
        "largest tags; the table gives each month's numbers.",
        _svg(chart, "papers-per-tag"),
        ["Month", *[tag.rule.title for tag in top]],
        [
            [f"{m:%B %Y}", *[str(counts[tag.rule.slug].get(m, 0)) for tag in top]]
            for m in reversed(months)
        ],
    )
