"""MkDocs hooks (``hooks:`` in ``mkdocs.yml``): the one place that knows MkDocs' events.

The navigation and ``not_in_nav`` come from the generator's page kinds, and the feeds of
every page's ``<head>`` from its feed kinds (``generator/render/outputs.py``), set here when MkDocs
reads its configuration.

It lives with the theme overrides, MkDocs-specific like them (MkDocs copies no ``.py``
file of a theme folder into the site).

Paper, day and tag pages are written as raw HTML blocks (``generator/render/pages.py``), which
Markdown passes through unchanged. Python-Markdown still parses every tag of them, twice
(MkDocs collects anchor ids, ``md_in_html`` looks for nested Markdown): at 10,000 papers
that was two thirds of the MkDocs build. A page whose front matter says ``raw_html: true``
skips the Markdown conversion here and keeps its HTML as written.

Each HTML page is also compacted here as MkDocs writes it (``generator/site/compact.py``).
Without this hook the pages are the same but for white space (``tests/test_build.py``
checks), so another builder that reads the same ``docs/`` (Zensical, say) needs nothing
from it to make a working site.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pathspec

from generator.render import outputs
from generator.site.compact import compact_text

_STASH_KEY = "_papers_raw_html"


def on_config(config: Any, **kwargs: Any) -> Any:
    """The navigation, ``not_in_nav`` and the site-wide feeds of ``<head>`` from the
    generator's declarations of its pages and feeds (``generator/render/outputs.py``), so that
    ``mkdocs.yml`` holds no copy of them. A ``nav`` written in ``mkdocs.yml`` wins."""
    if not config.nav:
        docs = Path(config.docs_dir)
        config.nav = outputs.nav(lambda path: (docs / path).is_file())
    lines = outputs.not_in_nav()
    config.not_in_nav = pathspec.gitignore.GitIgnoreSpec.from_lines(lines)
    config.extra["papers_feeds"] = outputs.discovery(config.site_name)
    return config


def on_page_markdown(markdown: str, page: Any, **kwargs: Any) -> str:
    """Stash a raw-HTML page's body and hand Markdown nothing to parse."""
    if page.meta.get("raw_html") is True:
        setattr(page, _STASH_KEY, markdown)
        return ""
    return markdown


def on_page_content(html: str, page: Any, **kwargs: Any) -> str:
    """Put the stashed body back as the page's content."""
    stashed = getattr(page, _STASH_KEY, None)
    if stashed is None:
        return html
    delattr(page, _STASH_KEY)
    return stashed


def on_post_page(output: str, page: Any, **kwargs: Any) -> str:
    """Each page compacted as MkDocs writes it (``generator/site/compact.py``), not rewritten
    after the build: at 30,000 papers that second pass read and wrote 550 MB."""
    return compact_text(output)


def on_post_template(output_content: str, template_name: str, **kwargs: Any) -> str:
    """The theme's HTML pages that are not Markdown pages (``404.html``), compacted too."""
    return compact_text(output_content) if template_name.endswith(".html") else output_content
