"""Text cleaning: the residue real digests carry (LaTeX scraps, doubled URLs, control
characters) and the extraction of URLs from abstracts into links.

Titles and abstracts stay plain text here; escaping for HTML and XML happens where they
are written.
"""

from __future__ import annotations

import re
import unicodedata

from generator.model import Link

# Characters XML 1.0 forbids, plus what feed validators flag (C1 controls, U+FFFD) and HTML
# parsers reject (noncharacters) and YAML rejects.
_NONCHARACTERS = "".join(
    chr(plane * 0x10000 + 0xFFFE) + chr(plane * 0x10000 + 0xFFFF) for plane in range(1, 17)
)
_INVALID_CHARS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff"
    f"\ufdd0-\ufdef\ufffd\ufffe\uffff{_NONCHARACTERS}]"
)
_INVALID_ASCII = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# LaTeX font commands the scraper left as "{it word}": keep the word.
_FONT_GROUP = re.compile(r"\{\\?(?:it|bf|em|sl|sc|tt|rm|textit|textbf|emph)\s+([^{}]*)\}")
# "\eg", "\ie", "\etc" macros.
_LATIN_MACROS = {
    "eg": "e.g.",
    "ie": "i.e.",
    "etc": "etc.",
    "etal": "et al.",
    "vs": "vs.",
    "wrt": "w.r.t.",
}
_LATIN_MACRO = re.compile(r"\\(" + "|".join(_LATIN_MACROS) + r")\b\.?")
# LaTeX accents: \"{\i}, \"{o}, \"o, \'e, \`a, \^o, \~n.
_ACCENTS = {'"': "\u0308", "'": "\u0301", "`": "\u0300", "^": "\u0302", "~": "\u0303"}
_ACCENT = re.compile(r"""\\(["'`^~])\s*(?:\{\\?([a-zA-Z])\}|\\?([a-zA-Z]))""")
# "https://x{https://x}": the scraper doubled a \href.
_DOUBLED_URL = re.compile(r"(https?://[^\s{}]+)\{\1\}")
_URL = re.compile(r"https?://[^\s<>\"'{}|\\^`]+", re.IGNORECASE)
_WORD = re.compile(r"\w+")
_URL_START = re.compile(r"(?i)https?://[^\s/?#]+")
# Whitespace (``\s`` is ``str.isspace`` for text patterns), quotes, brackets, controls.
_URL_UNSAFE = re.compile("[\\s<>\"'`\\\\\x00-\x1f]")
_CODE_HOSTS = ("github.com", "gitlab.com", "www.github.com", "www.gitlab.com")
# LaTeX quotes: ``quoted'' (closed by '' or, often in abstracts, by "), ''quoted'', and
# `quoted'. A pair becomes curly quotes; an opener left unpaired still becomes one.
_LATEX_DOUBLE = re.compile(r"(``|(?<![\w'])'')(?=\S)(.{1,300}?)(?<=\S)(?:''|\")", re.DOTALL)
_LATEX_SINGLE = re.compile(r"(?<![\w`])`(?=[^\s`'])([^`'\n]{1,80}?)(?<=\S)'(?!\w)")


def curly_quotes(text: str) -> str:
    """LaTeX's quote marks as the quotes they print: ``a'' → “a”, `a' → ‘a’."""
    text = _LATEX_DOUBLE.sub(r"“\2”", text)
    text = _LATEX_SINGLE.sub(r"‘\1’", text)
    return text.replace("``", "“")


def strip_invalid_chars(text: str) -> str:
    """Drop characters that XML 1.0 forbids (and C1 controls, lone surrogates)."""
    if text.isascii():  # the usual case; a smaller class scans several times faster
        # Printable ASCII (no control character, not even a tab) has nothing to drop.
        return text if text.isprintable() else _INVALID_ASCII.sub("", text)
    return _INVALID_CHARS.sub("", text)


def collapse_whitespace(text: str) -> str:
    """Runs of whitespace as one space, none at either end. ``str.split`` knows the same
    whitespace as ``\\s`` (``str.isspace``) and is several times faster than a regex."""
    return " ".join(text.split())


def _accent(match: re.Match[str]) -> str:
    letter = match.group(2) or match.group(3)
    if letter == "i":  # \"{\i} is a dotless i under an accent; a plain i composes the same
        letter = "i"
    return unicodedata.normalize("NFC", letter + _ACCENTS[match.group(1)])


def clean_text(text: str) -> str:
    """Clean one title or abstract: LaTeX residue and quotes, doubled URLs, invalid
    characters, spacing."""
    if (  # most text is clean already: printable (no invalid character, no whitespace
        # but the space) and without braces, backslashes, doubled or surrounding spaces
        text.isprintable()
        and "\ufffd" not in text
        and "{" not in text
        and "\\" not in text
        and "  " not in text
        and text[:1] != " "
        and text[-1:] != " "
        and "`" not in text
        and "''" not in text
    ):
        return text
    text = strip_invalid_chars(text)
    # Most text has no braces or backslashes: skip the patterns that need them.
    if "{" in text:
        text = _DOUBLED_URL.sub(r"\1", text)
        text = _FONT_GROUP.sub(r"\1", text)
    if "\\" in text:
        text = _LATIN_MACRO.sub(lambda m: _LATIN_MACROS[m.group(1)], text)
        text = _ACCENT.sub(_accent, text)
    if "`" in text or "''" in text:
        text = curly_quotes(text)
    return collapse_whitespace(text)


def trim_url(url: str) -> str:
    """Strip punctuation that ends the sentence around a URL, keeping balanced parentheses."""
    while url:
        last = url[-1]
        if last in ".,;:!?'\"]}" or (last == ")" and url.count("(") < url.count(")")):
            url = url[:-1]
        else:
            break
    return url


def is_safe_url(url: str) -> bool:
    """Only absolute http(s) URLs with a host and no spaces or quotes are ever emitted."""
    return _URL_START.match(url) is not None and _URL_UNSAFE.search(url) is None


def link_kind(url: str) -> str:
    """GitHub and GitLab repositories are code; any other page is a project page."""
    host = re.sub(r"(?i)^https?://", "", url).split("/", 1)[0].lower()
    return "code" if host in _CODE_HOSTS else "project"


def extract_links(abstract: str) -> tuple[Link, ...]:
    """The URLs an abstract mentions, as code or project links, first mention first."""
    seen: list[str] = []
    if "://" not in abstract:  # most abstracts: no URL, no scan
        return ()
    for match in _URL.finditer(abstract):
        url = trim_url(match.group(0))
        if is_safe_url(url) and url not in seen and url.count("/") >= 2:
            seen.append(url)
    return tuple(Link(link_kind(url), url) for url in seen)


def normalise_title(title: str) -> str:
    """The key two titles share when they name the same paper: case, spacing and
    punctuation folded, accents removed."""
    if title.isascii():  # most titles: nothing to decompose, casefold() is lower()
        return " ".join(_WORD.findall(title.lower()))
    folded = unicodedata.normalize("NFKD", title).casefold()
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    return " ".join(_WORD.findall(folded))


_ARXIV_NEW = re.compile(r"^(\d{4}\.\d{4,5})(v\d+)?$")
_ARXIV_OLD = re.compile(r"^([a-z-]+(?:\.[A-Z]{2})?/\d{7})(v\d+)?$")


def normalise_arxiv_id(value: str) -> str | None:
    """``2406.12345v2`` → ``2406.12345``; also accepts abs/pdf URLs and ``arXiv:`` prefixes.
    Returns None for anything that is not an arXiv id."""
    value = value.strip()
    plain = _ARXIV_NEW.match(value)  # the usual form: nothing to strip
    if plain:
        return plain.group(1)
    value = re.sub(r"(?i)^(https?://(www\.|export\.)?arxiv\.org/(abs|pdf)/|arxiv:)", "", value)
    value = re.sub(r"\.pdf$", "", value)
    for pattern in (_ARXIV_NEW, _ARXIV_OLD):
        match = pattern.match(value)
        if match:
            return match.group(1)
    return None
