"""Listings that stay small as the site grows: pagination, the day archive by year, every
paper within three clicks of home, a sitemap of every page, no page over 150 KB.

The site here is a synthetic corpus (scripts/corpus.py, as the benchmark uses) built with
small page sizes, so that a few hundred papers exercise what a site of tens of thousands
does with the default settings.
"""

from __future__ import annotations

import re
import sys
from collections import deque
from datetime import date
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from lxml import etree, html

from generator.build import run_build
from generator.render.pages import _window, month_weeks
from generator.render.paginate import page_path, paginate

from conftest import ROOT, build_site, copy_site_config

sys.path.insert(0, str(ROOT / "scripts"))
from corpus import write_corpus

pytestmark = pytest.mark.slow

PAPERS = 400
#: The newest day: real papers, more than the busiest real day so far (82).
BUSIEST = 120
SETTINGS = "    tag_page_size: 10\n    days_per_archive: 4\n"


def test_paginate_cuts_pages_and_names_their_urls():
    pages = paginate(list(range(23)), 10, "tags/llm/")
    assert [p.number for p in pages] == [1, 2, 3]
    assert [list(p.items) for p in pages][2] == [20, 21, 22]
    assert [p.path for p in pages] == ["tags/llm/", "tags/llm/page/2/", "tags/llm/page/3/"]
    assert pages[0].previous is None and pages[0].next == 2 and pages[2].next is None
    assert pages[2].link(1) == "../../../../tags/llm/"  # from tags/llm/page/3/
    assert pages[0].link(3) == "../../tags/llm/page/3/"
    assert (pages[1].first_index, pages[1].total, pages[1].count) == (10, 23, 3)
    empty = paginate([], 10, "tags/x/")
    assert len(empty) == 1 and list(empty[0].items) == [] and empty[0].next is None
    assert page_path("tags/x/", 1) == "tags/x/"
    with pytest.raises(ValueError):
        paginate([1], 0, "tags/x/")


def test_pager_shows_first_last_and_neighbours():
    assert _window(1, 1) == [1]
    assert _window(1, 3) == [1, 2, 3]
    assert _window(10, 76) == [1, None, 8, 9, 10, 11, 12, None, 76]
    assert _window(76, 76) == [1, None, 74, 75, 76]
    assert _window(4, 8) == [1, 2, 3, 4, 5, 6, None, 8]


@pytest.fixture(scope="module")
def big_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("scale")
    content = write_corpus(project, PAPERS - 1, busiest=BUSIEST)
    # One old day, so that the archive has a second year.
    (content / "2024-12-31.yaml").write_text(
        'date: 2024-12-31\npapers:\n  - title: "An Old Paper"\n    abstract: "Old."\n',
        encoding="utf-8",
    )
    copy_site_config(project)
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("  papers:\n", "  papers:\n" + SETTINGS), encoding="utf-8")
    run_build(project / "content", project / "docs", config, project / "site")
    return project / "site"


def links_of(page: Path, site: Path) -> set[Path]:
    """The site pages a page links to (as index.html files)."""
    doc = html.fromstring(page.read_bytes())
    here = "file://" + page.as_posix()
    found = set()
    for href in doc.xpath("//a/@href"):
        url = urlsplit(urljoin(here, href))
        if url.scheme != "file":
            continue
        target = Path(url.path)
        target = target / "index.html" if url.path.endswith("/") else target
        if target.suffix == ".html" and target.is_file() and site in target.parents:
            found.add(target)
    return found


def test_tag_pages_paginate_and_days_split_by_year(big_site):
    llm = sorted((big_site / "tags" / "llm" / "page").glob("*/index.html"))
    assert len(llm) >= 2
    for page in [big_site / "tags/llm/index.html", *llm]:
        doc = html.fromstring(page.read_bytes())
        assert len(doc.cssselect("article.paper-card")) <= 10
        assert doc.cssselect("nav.papers-pages a[rel=next], nav.papers-pages a[rel=prev]")
    year_pages = (big_site / "days").glob("[0-9][0-9][0-9][0-9]/index.html")
    years = sorted(p.parent.name for p in year_pages)
    assert years == ["2024", "2025"]
    home = links_of(big_site / "index.html", big_site)
    assert {big_site / "days" / y / "index.html" for y in years} <= home


def test_every_paper_is_within_three_clicks_of_home(big_site):
    depth = {big_site / "index.html": 0}
    queue = deque(depth)
    while queue:
        page = queue.popleft()
        if depth[page] == 3:
            continue
        for target in links_of(page, big_site):
            if target not in depth:
                depth[target] = depth[page] + 1
                queue.append(target)
    papers = set((big_site / "papers").glob("*/index.html"))
    assert len(papers) == PAPERS
    assert sorted(p.parent.name for p in papers - set(depth)) == []


def test_the_sitemap_lists_every_page(big_site):
    tree = etree.fromstring((big_site / "sitemap.xml").read_bytes())
    locs = {urlsplit(loc).path for loc in tree.xpath("//*[local-name()='loc']/text()")}
    base = urlsplit("https://example.org/papers/").path
    pages = {
        base + p.parent.relative_to(big_site).as_posix() + "/"
        for p in big_site.rglob("index.html")
        if "pagefind" not in p.parts
    }
    pages = {re.sub(r"/\./$", "/", p) for p in pages}
    assert pages - locs == set()


def test_no_page_is_larger_than_150_kb(big_site):
    sizes = {p: p.stat().st_size for p in big_site.rglob("*.html")}
    largest = max(sizes, key=sizes.get)
    assert sizes[largest] <= 150_000, largest


def test_the_busiest_day_is_paged_on_its_own_url_and_on_home(big_site):
    day = big_site / "days" / "2025-06-07"
    pages = [day / "index.html", day / "page/2/index.html", day / "page/3/index.html"]
    cards = [html.fromstring(p.read_bytes()).cssselect("article.paper-card") for p in pages]
    assert [len(c) for c in cards] == [50, 50, 20]
    assert len({card.get("id") for page in cards for card in page}) == BUSIEST
    assert not (day / "page/4").exists()
    home = html.fromstring((big_site / "index.html").read_bytes())
    day_cards = [a for a in home.cssselect("article.paper-card")
                 if not a.get("id").startswith("trending-")]  # fmt: skip
    assert len(day_cards) == 50
    assert day / "page/2/index.html" in links_of(big_site / "index.html", big_site)
    for page in [*pages, big_site / "index.html"]:
        assert page.stat().st_size <= 150_000, page


def test_month_weeks_start_on_monday_and_pad_with_none():
    weeks = month_weeks(date(2025, 6, 6))
    assert len(weeks) == 6 and all(len(week) == 7 for week in weeks)
    assert weeks[0] == [None] * 6 + [date(2025, 6, 1)]
    assert weeks[-1] == [date(2025, 6, 30)] + [None] * 6
    assert [d for week in weeks for d in week if d] == [date(2025, 6, n) for n in range(1, 31)]


def test_day_calendars_link_the_days_with_papers(big_site):
    days = sorted(p.parent.name for p in (big_site / "days").glob("20*-*-*/index.html"))
    doc = html.fromstring((big_site / "days" / days[-1] / "index.html").read_bytes())
    [calendar] = doc.cssselect("table.papers-calendar")
    linked = {a.get("href").strip("./") for a in calendar.cssselect("a")}
    month = days[-1][:7]
    assert linked == {d for d in days[:-1] if d.startswith(month)}
    assert calendar.cssselect("strong[aria-current=date]")[0].text == str(int(days[-1][8:]))


def test_the_stats_page_draws_its_numbers(big_site):
    doc = html.fromstring((big_site / "stats" / "index.html").read_bytes())
    figures = doc.cssselect("figure.papers-chart")
    assert len(figures) == 2
    for figure in figures:
        [image] = figure.cssselect("[role=img]")
        assert image.get("aria-label") and image.cssselect("svg")
    per_day, per_tag = doc.cssselect("details.papers-chart-table table")
    days = sorted((big_site / "days").glob("20*-*-*/index.html"))
    rows = per_day.cssselect("tbody tr")
    assert len(rows) == len(days)  # fewer than 60 days: all of them
    listed = sum(int(r.cssselect("td")[0].text) for r in rows)
    assert listed == PAPERS
    assert len(per_tag.cssselect("thead th")) == 1 + 6
    assert "Generated with pygal" not in (big_site / "stats" / "index.html").read_text()


def test_week_and_month_pages_rank_their_papers_by_upvotes(big_site):
    weeks = sorted((big_site / "weeks").glob("*/index.html"))
    months = sorted((big_site / "months").glob("*/index.html"))
    assert "2025-W01" in {w.parent.name for w in weeks}  # 31 December 2024 is in ISO 2025-W01
    assert [m.parent.name for m in months] == ["2024-12", "2025-06"]
    for page in [*weeks, *months]:
        doc = html.fromstring(page.read_bytes())
        cards = doc.cssselect("article.paper-card")
        assert 0 < len(cards) <= 50
        votes = [int(v.text.split()[-1]) for v in doc.cssselect(".paper-card__upvotes")]
        assert votes == sorted(votes, reverse=True)
    day = sorted((big_site / "days").glob("2025-*-*/index.html"))[-1]
    targets = {t.parent.parent.name for t in links_of(day, big_site)}
    assert {"weeks", "months"} <= targets  # a day links its week's and month's top papers


def test_no_link_to_a_month_whose_papers_were_all_first_featured_before(tmp_path):
    """June lists a paper again, but every paper was first featured in May: there is no
    June page, and neither the archive nor June's day page links one."""
    listing = 'papers:\n  - title: "A Paper"\n    abstract: "Text."\n    arxiv: "2505.00001"\n'
    project, _ = build_site(
        tmp_path,
        {"2025-05-30.yaml": "date: 2025-05-30\n" + listing,
         "2025-06-02.yaml": "date: 2025-06-02\n" + listing},
        site=False,
    )  # fmt: skip
    docs = project / "docs"
    assert (docs / "months" / "2025-05.md").exists()
    assert not (docs / "months" / "2025-06.md").exists()
    assert not (docs / "weeks" / "2025-W23.md").exists()
    archive = (docs / "days" / "index.md").read_text(encoding="utf-8")
    assert "months/2025-05/" in archive and "months/2025-06/" not in archive
    june = (docs / "days" / "2025-06-02.md").read_text(encoding="utf-8")
    assert "months/" not in june and "weeks/" not in june
