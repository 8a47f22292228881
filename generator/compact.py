"""The compact step: strip the indentation MkDocs' templates leave in every built page,
and the ``<meta name="generator">`` version stamp Material puts in each (the site's output
carries no versions: a dependency update must not change every page; ``papers --version``
says what built a site).

Material's templates indent their markup deeply; on a paper page that is about a sixth of
the bytes, repeated on every page of a site that holds tens of thousands of them. Every line
break followed by white space becomes one line break, which HTML renders exactly like the
run it replaces (collapsible white space). Pages with ``<pre>`` or ``<textarea>``,
where white space is kept as written, are left untouched; the generator emits neither.
"""

from __future__ import annotations

import re
from pathlib import Path

# A line break and the white space after it (indentation, blank lines). Anchored on the
# line break: a pattern that may start at any space is about twenty times slower.
_INDENTED_BREAK = re.compile(rb"\n\s+")
_WHITESPACE_KEPT = re.compile(rb"<(?:pre|textarea)\b", re.IGNORECASE)
_GENERATOR_META = re.compile(rb'<meta name="generator" content="[^"<>]*">\n?')


def compact_html(page: bytes) -> bytes:
    """``page`` without its generator meta tag, and with each line break and the white
    space after it reduced to a line break."""
    page = _GENERATOR_META.sub(b"", page, count=1)
    if _WHITESPACE_KEPT.search(page):
        return page
    return _INDENTED_BREAK.sub(b"\n", page)


def compact_site(site_dir: Path) -> None:
    """Compact every HTML page under ``site_dir`` in place."""
    for path in sorted(site_dir.rglob("*.html")):
        page = path.read_bytes()
        compacted = compact_html(page)
        if compacted != page:
            path.write_bytes(compacted)
