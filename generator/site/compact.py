"""The compact step: strip the indentation MkDocs' templates leave in every built page,
and the ``<meta name="generator">`` version stamp Material puts in each (the site's output
carries no versions: a dependency update must not change every page; ``papers --version``
says what built a site).

Material's templates indent their markup deeply; on a paper page that is about a sixth of
the bytes, repeated on every page of a site that holds tens of thousands of them. Every line
break followed by white space becomes one line break, which HTML renders exactly like the
run it replaces (collapsible white space). Pages with ``<pre>`` or ``<textarea>``,
where white space is kept as written, are left untouched; the generator emits neither.

``overrides/hooks.py`` compacts each page as MkDocs writes it (:func:`compact_text`), so the
pages are written once. A builder without the hook writes the same pages, indented.
"""

from __future__ import annotations

import re
from typing import AnyStr

# A line break and the white space after it (indentation, blank lines). Anchored on the
# line break: a pattern that may start at any space is about twenty times slower. ASCII:
# the same white space in text as in bytes (not, say, a no-break space).
_INDENTED_BREAK = re.compile(rb"\n\s+")
_WHITESPACE_KEPT = re.compile(rb"<(?:pre|textarea)\b", re.IGNORECASE)
_GENERATOR_META = re.compile(rb'<meta name="generator" content="[^"<>]*">\n?')
_TEXT = tuple(
    re.compile(pattern.pattern.decode("ascii"), pattern.flags | re.ASCII)
    for pattern in (_INDENTED_BREAK, _WHITESPACE_KEPT, _GENERATOR_META)
)


def _compact(page: AnyStr, patterns: tuple[re.Pattern[AnyStr], ...], newline: AnyStr) -> AnyStr:
    indented_break, whitespace_kept, generator_meta = patterns
    page = generator_meta.sub(newline[:0], page, count=1)
    if whitespace_kept.search(page):
        return page
    return indented_break.sub(newline, page)


def compact_html(page: bytes) -> bytes:
    """``page`` without its generator meta tag, and with each line break and the white
    space after it reduced to a line break."""
    return _compact(page, (_INDENTED_BREAK, _WHITESPACE_KEPT, _GENERATOR_META), b"\n")


def compact_text(page: str) -> str:
    """:func:`compact_html` of a page as text: the same page, encoded, as it gives."""
    return _compact(page, _TEXT, "\n")
