"""The subscription list: ``/feeds.opml`` (OPML 2.0), every feed of the site in one file a
feed reader imports at once, made from the same feed specs as the feeds themselves.

Atom is listed for each feed (RSS and JSON Feed hold the same entries). Outlines are
grouped as the feed kinds say (``generator/render/outputs.py``): the whole site (every paper, the
top of each day, the daily digest), then every paper of each tag, then each tag's daily
digest, tags in the order of the tags index (most papers first: ``Corpus.tags``).
No dates: the file changes only when the feeds do.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from generator.render.feeds import FeedSpec
from generator.settings import Settings

PATH = "feeds.opml"


def render_opml(settings: Settings, groups: list[tuple[str, list[FeedSpec]]]) -> str:
    """The OPML document listing the feeds of each group (``generator/render/outputs.py``: the
    feed kinds' ``opml_group``, in the order of ``FEEDS``)."""
    opml = ET.Element("opml", version="2.0")
    head = ET.SubElement(opml, "head")
    ET.SubElement(head, "title").text = f"{settings.site_name}: all feeds"
    ET.SubElement(head, "ownerName").text = settings.author
    ET.SubElement(head, "docs").text = "https://opml.org/spec2.opml"
    body = ET.SubElement(opml, "body")
    for group, specs in groups:
        outline = ET.SubElement(body, "outline", text=group, title=group)
        for spec in specs:
            ET.SubElement(
                outline,
                "outline",
                type="rss",
                text=spec.title,
                title=spec.title,
                description=spec.subtitle,
                xmlUrl=settings.absolute(spec.path + "atom.xml"),
                htmlUrl=settings.absolute(spec.page),
            )
    ET.indent(opml)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(opml, "unicode") + "\n"
