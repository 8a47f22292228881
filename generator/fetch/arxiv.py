"""``papers fetch arxiv``: the newest results of an arXiv API query, filed under a day.

Asks ``{api}/api/query?search_query=Q&start=0&max_results=N&sortBy=submittedDate&
sortOrder=descending`` and reads the Atom answer by element name and namespace, never by
position: the API's output changed in early 2026 (``https`` links, unwrapped text, no
``scheme`` on ``arxiv:primary_category``, another child order) and both forms are read.

Error answers are errors, not papers: a feed whose only entry is titled ``Error`` (or
whose entry id points into ``/api/errors``), and the plain-text ``Rate exceeded.``.

Results are stored as ``content/arxiv/YYYY-MM-DD-<query slug>.yaml`` in the native YAML
format (see ``generator.readers.native_yaml``), merged by arXiv id with what is stored.
"""

from __future__ import annotations

import os
import re
import urllib.parse
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from generator.fetch.store import record_success, union_by_key, write_atomic
from generator.fetch.transport import FetchError, RetryPolicy, get
from generator.readers import clean_text, extract_links, normalise_arxiv_id

DEFAULT_API_URL = "https://export.arxiv.org"
API_URL_ENV = "PAPERS_ARXIV_API_URL"
DEFAULT_MAX_RESULTS = 50
#: The API serves at most 2000 results per call.
MAX_RESULTS_LIMIT = 2000

ATOM = "{http://www.w3.org/2005/Atom}"
ARXIV = "{http://arxiv.org/schemas/atom}"


def api_url(option: str | None) -> str:
    """``--api-url``, else ``$PAPERS_ARXIV_API_URL``, else export.arxiv.org."""
    return (option or os.environ.get(API_URL_ENV) or DEFAULT_API_URL).rstrip("/")


def query_url(api: str, query: str, max_results: int) -> str:
    params = {
        "search_query": query,
        "start": 0,
        "max_results": max_results,
        "sortBy": "submittedDate",
        "sortOrder": "descending",
    }
    return f"{api}/api/query?{urllib.parse.urlencode(params)}"


def query_slug(query: str) -> str:
    """``cat:cs.LG AND all:transformer`` → ``cat-cs-lg-and-all-transformer``."""
    slug = re.sub(r"[^a-z0-9]+", "-", query.lower()).strip("-")
    return slug[:60].rstrip("-") or "query"


def day_path(content: Path, day: date, query: str) -> Path:
    return content / "arxiv" / f"{day.isoformat()}-{query_slug(query)}.yaml"


def _text(element: ET.Element, tag: str) -> str:
    found = element.find(tag)
    return (found.text or "") if found is not None else ""


def _check_not_error(root: ET.Element, entries: list[ET.Element], url: str) -> None:
    for entry in entries:
        entry_id = _text(entry, f"{ATOM}id")
        title = clean_text(_text(entry, f"{ATOM}title"))
        if "/api/errors" in entry_id or (len(entries) == 1 and title == "Error"):
            message = clean_text(_text(entry, f"{ATOM}summary")) or entry_id
            raise FetchError(f"{url}: arXiv API error: {message}")


def _categories(entry: ET.Element) -> list[str]:
    """Primary category first, then the others in feed order, each once."""
    terms: list[str] = []
    primary = entry.find(f"{ARXIV}primary_category")
    if primary is not None and primary.get("term"):
        terms.append(primary.get("term", ""))
    for category in entry.iter(f"{ATOM}category"):
        term = (category.get("term") or "").strip()
        if term and term not in terms:
            terms.append(term)
    return terms


def _links(arxiv_id: str, comment: str) -> dict[str, str]:
    """The PDF link, plus the first code and project pages the author comment names."""
    links = {"pdf": f"https://arxiv.org/pdf/{arxiv_id}"}
    for link in extract_links(comment):
        links.setdefault(link.kind, link.url)
    return {kind: links[kind] for kind in ("code", "project", "pdf") if kind in links}


def _paper(entry: ET.Element) -> dict[str, Any] | None:
    arxiv_id = normalise_arxiv_id(_text(entry, f"{ATOM}id"))
    title = clean_text(_text(entry, f"{ATOM}title"))
    abstract = clean_text(_text(entry, f"{ATOM}summary"))
    if arxiv_id is None or not title or not abstract:
        return None
    authors = [clean_text(a.findtext(f"{ATOM}name") or "") for a in entry.iter(f"{ATOM}author")]
    paper: dict[str, Any] = {
        "title": title,
        "abstract": abstract,
        "arxiv": arxiv_id,
        "authors": [a for a in authors if a],
        "links": _links(arxiv_id, _text(entry, f"{ARXIV}comment")),
        "categories": _categories(entry),
    }
    return {key: value for key, value in paper.items() if value != []}


def parse_feed(body: str, url: str = "arXiv answer") -> tuple[list[dict[str, Any]], int]:
    """The papers of an API answer in feed order, and how many entries were unusable."""
    if body.strip().startswith("Rate exceeded"):
        raise FetchError(f"{url}: arXiv API says 'Rate exceeded.'; try again later")
    try:
        root = ET.fromstring(body)  # expat never fetches external entities
    except ET.ParseError as exc:
        raise FetchError(f"{url}: not an Atom feed ({exc}): {body.strip()[:60]!r}") from None
    if root.tag != f"{ATOM}feed":
        raise FetchError(f"{url}: expected an Atom <feed>, got <{root.tag}>")
    entries = root.findall(f"{ATOM}entry")
    _check_not_error(root, entries, url)
    papers: list[dict[str, Any]] = []
    seen: set[str] = set()  # a set: scanning the papers kept so far was quadratic
    skipped = 0
    for entry in entries:
        paper = _paper(entry)
        if paper is None:
            skipped += 1
        elif paper["arxiv"] not in seen:
            seen.add(paper["arxiv"])
            papers.append(paper)
    return papers, skipped


def _read_stored(path: Path) -> list[dict[str, Any]]:
    if not path.is_file():
        return []
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise FetchError(
            f"{path}: stored day is not valid YAML ({exc}); fix or remove it"
        ) from None
    papers = data.get("papers") if isinstance(data, dict) else None
    if papers is None:
        return []
    if not isinstance(papers, list) or not all(isinstance(p, dict) for p in papers):
        raise FetchError(f"{path}: stored 'papers' is not a list of papers; fix or remove it")
    return papers


def _key(paper: dict[str, Any]) -> str:
    # A hand-added paper without an arXiv id is keyed by its title, so it is kept as is.
    arxiv_id = normalise_arxiv_id(str(paper.get("arxiv") or ""))
    return arxiv_id or f"title:{paper.get('title')}"


def dump_day(day: date, papers: list[dict[str, Any]]) -> str:
    """The native YAML form: newest arXiv ids first (as the query sorts them), then
    papers without an id in their stored order."""
    with_id = [p for p in papers if not _key(p).startswith("title:")]
    without_id = [p for p in papers if _key(p).startswith("title:")]
    ordered = sorted(with_id, key=_key, reverse=True) + without_id
    document = {"date": day, "papers": ordered}
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=float("inf"))


def fetch_arxiv(
    content: Path, day: date, query: str, max_results: int, api: str, policy: RetryPolicy
) -> str:
    """Fetch, store, record the success; returns the line to print."""
    url = query_url(api, query, max_results)
    answer = get(url, policy, accept="application/atom+xml")
    papers, skipped = parse_feed(answer.text(), url)
    note = f"; {skipped} entries without id, title or abstract skipped" if skipped else ""
    path = day_path(content, day, query)
    if not papers:
        record_success(content, "arxiv")
        return f"no arXiv papers for {query!r}; nothing written{note}"
    merged = union_by_key(_read_stored(path), papers, _key)
    changed = write_atomic(path, dump_day(day, merged.items))
    record_success(content, "arxiv")
    what = "updated" if changed else "unchanged"
    kept = f", {merged.kept} kept from before" if merged.kept else ""
    return (
        f"{path}: {what}, {len(merged.items)} papers ({len(papers)} fetched, "
        f"{merged.added} new{kept}){note}"
    )
