"""The compact step (generator/site/compact.py) and its MkDocs side (overrides/hooks.py)."""

from __future__ import annotations

from generator.site.compact import compact_html, compact_text

PAGE = (
    '<!doctype html>\n<html>\n  <head>\n    <meta name="generator" content="mkdocs-1.6.1, '
    'mkdocs-material-9.8.2">\n    <title>Ünïcode · ok</title>\n  </head>\n\n\n  <body>\n'
    "\t\t<p>a\u00a0b\n\u00a0kept no-break space\n\u2028 and a line separator</p>\n  </body>\n"
    "</html>\n"
)


def test_compact_html_drops_indentation_and_the_generator_stamp():
    out = compact_html(PAGE.encode())
    assert b"generator" not in out
    assert b"\n " not in out and b"\n\t" not in out and b"\n\n" not in out
    assert out.startswith(b"<!doctype html>\n<html>\n<head>\n<title>")
    # Only ASCII white space goes: a no-break space or line separator is text.
    assert "\n\u00a0kept".encode() in out and "\n\u2028 and".encode() in out


def test_compact_text_gives_the_bytes_compact_html_gives():
    assert compact_text(PAGE).encode() == compact_html(PAGE.encode())
    kept = "<html>\n  <pre>\n    code\n  </pre>\n</html>\n"
    assert compact_text(kept) == kept and compact_html(kept.encode()) == kept.encode()


def test_every_built_page_is_compact(shipped_site):
    pages = sorted((shipped_site / "site").rglob("*.html"))
    assert len(pages) > 100
    assert [p for p in pages if compact_html(p.read_bytes()) != p.read_bytes()] == []
