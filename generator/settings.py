"""The generator's settings: one frozen dataclass, read from ``mkdocs.yml``.

``site_url`` and ``site_name`` come from MkDocs' own keys; everything else from the
``extra: papers:`` section, so a fork edits one file. The site's URL layout (``papers/<id>/``,
``days/<day>/``, ``tags/<slug>/``) is fixed: the writer, the templates and the feeds share it.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from generator.errors import InputError


@dataclass(frozen=True)
class Settings:
    site_url: str = "https://example.org/"
    """Absolute URL the site is served from; feeds need it for ``rel="self"`` and links."""
    site_name: str = "Trending AI Papers"
    """Title of the site and of the site-wide feeds."""
    site_description: str = "Trending AI papers, by day and by topic."
    """Subtitle of the site feeds."""
    feed_size: int = 50
    """How many papers a feed holds: the newest by first-featured day."""
    home_days: int = 1
    """How many of the newest days the home page lists in full."""
    author: str = "Trending AI Papers"
    """Feed-level author name (the W3C validator wants one on Atom feeds)."""
    top_per_day: int = 10
    """How many papers of each day the top-of-the-day feeds (``/top/atom.xml``…) hold."""
    digest_days: int = 30
    """How many days the daily digest feeds (``/digest/atom.xml``…) hold: the newest with
    papers, one entry each."""
    period_top: int = 50
    """How many papers the weekly and monthly pages rank (``weeks/…``, ``months/…``)."""
    tag_page_size: int = 50
    """Papers per page of a tag's listing: ``tags/<slug>/``, then ``tags/<slug>/page/2/``…"""
    day_page_size: int = 50
    """Papers per page of a day: ``days/<date>/``, then ``days/<date>/page/2/``…; the home
    page shows a day's first page. Fifty full cards come to about 100 KB, so even the
    busiest day stays within the 150 KB page budget."""
    days_per_archive: int = 366
    """Up to this many days, ``/days/`` lists every day; past it, ``/days/`` lists the years
    and each year has its own page, ``/days/<year>/``, so no archive page grows unbounded."""

    related_count: int = 5
    """How many related papers a paper page lists (``papers/<id>/#related``)."""
    for_you_days: int = 7
    """With ``content/interests.yaml``: how many calendar days ``/for-you/`` ranks (the
    newest day with papers and the days before it), as one list."""
    for_you_top: int = 10
    """With ``content/interests.yaml``: how many of each day's best papers the For you
    feeds (``/for-you/atom.xml``…) hold."""
    trending_days: int = 14
    """How many days ``/trending/`` ranks: the newest day with papers and the days before
    it (the daily fetch asks again for the last 14, so their counts settle)."""
    trending_size: int = 50
    """How many papers ``/trending/``, each tag's trending page and their feeds hold."""
    home_trending: int = 5
    """How many of the trending papers the home page leads with."""

    @property
    def host(self) -> str:
        return urlsplit(self.site_url).hostname or "localhost"

    def paper_page(self, paper_id: str) -> str:
        """The absolute URL of a paper's page (``papers/<id>.md`` is served there)."""
        return self.absolute(f"papers/{paper_id}/")

    def absolute(self, path: str) -> str:
        """``path`` (relative to the site root) as an absolute URL."""
        return self.site_url.rstrip("/") + "/" + path.lstrip("/")


class _PermissiveLoader(yaml.SafeLoader):
    """Loads mkdocs.yml, whose ``!ENV`` and ``!!python/name`` tags plain YAML rejects."""


def _unknown_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.SequenceNode):
        items = loader.construct_sequence(node)
        return items[-1] if items else None  # !ENV [NAME, default] → the default
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    return None


_PermissiveLoader.add_multi_constructor("!", _unknown_tag)
_PermissiveLoader.add_multi_constructor("tag:yaml.org,2002:python/", _unknown_tag)


def load_settings(config_file: Path) -> Settings:
    """Settings from ``mkdocs.yml`` (defaults where it is silent or missing)."""
    if not config_file.exists():
        return Settings()
    try:
        data = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_PermissiveLoader)
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise InputError(config_file.name, line, f"invalid YAML: {exc.problem}") from None
    data = data or {}
    values: dict[str, Any] = {}
    for key in ("site_url", "site_name", "site_description"):
        if data.get(key):
            values[key] = str(data[key])
    extra = (data.get("extra") or {}).get("papers") or {}
    known = {f.name for f in fields(Settings)}
    for key, value in extra.items():
        if key not in known:
            raise InputError(config_file.name, None, f"unknown setting extra.papers.{key}")
        values[key] = value
    if not str(values.get("site_url", "https://x/")).startswith(("http://", "https://")):
        raise InputError(config_file.name, None, "site_url must be an absolute http(s) URL")
    if "site_url" in values and not values["site_url"].endswith("/"):
        values["site_url"] += "/"
    counts = [f.name for f in fields(Settings) if f.type == "int"]  # every count setting
    for key in counts:
        if key in values and (not isinstance(values[key], int) or values[key] < 1):
            message = f"extra.papers.{key} must be a whole number ≥ 1"
            raise InputError(config_file.name, None, message)
    return Settings(**values)
