"""The render stage: every page and feed of the site, as files in memory (a ``Writer``).

- ``outputs``: every output declared once, the page kinds and the feed kinds, and
  ``render_site``, which makes them all;
- ``listings``: one function a page kind over a ``Site`` (home, trending, days, tags, weeks,
  months, stats, the API, paper pages); ``pages`` and ``templates/``: their Markdown;
- ``fragments``: a paper as HTML, the one render path of cards, feed entries and mail;
- ``feeds``, ``digest``, ``opml``: Atom, RSS, JSON Feed, daily digests, the OPML;
- ``trending``: the trending formula and lists; ``api``: the static JSON API's records,
  documents and schemas; ``stats``: the Stats page's charts; ``paginate``: the one pager;
- ``writer``: the files, refusing a path written twice.

It reads the corpus and what the discover stage found; the site stage writes its files
out. Later stages and the mail channel use what this module exports.
"""

from generator.render.digest import Digest, day_digest, digest_text, of_tag
from generator.render.fragments import MAIL_FONT, MAIL_ITEM, MAIL_LINK, escaped, paper_html
from generator.render.outputs import render_site
from generator.render.writer import Writer

__all__ = [
    "MAIL_FONT",
    "MAIL_ITEM",
    "MAIL_LINK",
    "Digest",
    "Writer",
    "day_digest",
    "digest_text",
    "escaped",
    "of_tag",
    "paper_html",
    "render_site",
]
