"""A small BibTeX reader: the entries of a library export (Zotero, Mendeley, JabRef…), each
with its fields and the line it starts on.

What it reads: ``@type{key, name = {value}, name = "value", name = 2024, …}`` with nested
braces, ``#`` concatenation of parts and ``@string`` abbreviations; ``@comment`` and
``@preamble`` are skipped, and so is text between entries (BibTeX's own comments). Values
keep their text: braces are dropped, a few LaTeX accents and escapes become the characters
they stand for, white space is folded.

Written here rather than taken from a library: the For you ranking needs titles, abstracts
and arXiv ids only, and a library error names no line, while a broken export must be a
``file:line`` error like every other content file (``InputError``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from generator.errors import InputError, LineCounter

_NAME = re.compile(r"[A-Za-z][\w:.+/-]*")
_KEY = re.compile(r"[^,\s{}()]+")
_SKIPPED = frozenset({"comment", "preamble"})
_ACCENTS = {"'": "\u0301", "`": "\u0300", "^": "\u0302", '"': "\u0308", "~": "\u0303",
            "c": "\u0327", "v": "\u030c", "=": "\u0304", ".": "\u0307", "u": "\u0306",
            "H": "\u030b", "k": "\u0328", "r": "\u030a"}  # fmt: skip
_ACCENT = re.compile(r"\\([cvuHkr]\b|['`^\"~=.])\s*\{?\\?([A-Za-z])\}?")
_ESCAPE = re.compile(r"\\([&%$#_{}])")
_COMMAND = re.compile(r"\\(emph|textit|textbf|textsc|texttt|mathrm|mathbf|url)\s*")


@dataclass(frozen=True)
class BibEntry:
    kind: str
    """The entry type, lower case: ``article``, ``misc``…"""
    key: str
    fields: dict[str, str]
    """Field names lower case, values as text."""
    line: int


class _Parser:
    def __init__(self, text: str, name: str) -> None:
        self.text, self.name, self.at = text, name, 0
        self.strings: dict[str, str] = {}
        self.lines = LineCounter(text)

    def line(self, at: int | None = None) -> int:
        return self.lines.line(self.at if at is None else at)

    def fail(self, message: str, at: int | None = None) -> InputError:
        return InputError(self.name, self.line(at), f"invalid BibTeX: {message}")

    def skip_space(self) -> None:
        while self.at < len(self.text) and self.text[self.at].isspace():
            self.at += 1

    def expect(self, char: str, what: str) -> None:
        self.skip_space()
        if not self.text.startswith(char, self.at):
            found = self.text[self.at : self.at + 12].split("\n")[0] or "the end of the file"
            raise self.fail(f"expected {what}, found {found!r}")
        self.at += 1

    def match(self, pattern: re.Pattern[str], what: str) -> str:
        self.skip_space()
        found = pattern.match(self.text, self.at)
        if not found:
            raise self.fail(f"expected {what}")
        self.at = found.end()
        return found.group(0)

    def braced(self, closing: str) -> str:
        """The text up to the ``closing`` that ends a value opened just before, with the
        braces nested inside it."""
        start, depth = self.at, 0
        while self.at < len(self.text):
            char = self.text[self.at]
            if char == "\\":
                self.at += 2
                continue
            if char == "{":
                depth += 1
            elif char == "}" and depth > 0:
                depth -= 1
            elif char == closing and depth == 0:
                self.at += 1
                return self.text[start : self.at - 1]
            elif char == "}":
                raise self.fail("unbalanced '}'")
            self.at += 1
        raise self.fail(f"a value opened here is never closed with {closing!r}", start)

    def value(self) -> str:
        parts = []
        while True:
            self.skip_space()
            char = self.text[self.at : self.at + 1]
            if char == "{":
                self.at += 1
                parts.append(self.braced("}"))
            elif char == '"':
                self.at += 1
                parts.append(self.braced('"'))
            elif char.isdigit():
                parts.append(self.match(re.compile(r"\d+"), "a number"))
            elif char and (char.isalpha()):
                name = self.match(_NAME, "a value").lower()
                if name not in self.strings:
                    raise self.fail(f"unknown @string {name!r}")
                parts.append(self.strings[name])
            else:
                raise self.fail("expected a value in {braces}, \"quotes\" or a number")
            self.skip_space()
            if not self.text.startswith("#", self.at):
                return "".join(parts)
            self.at += 1

    def fields(self, closing: str, start: int) -> dict[str, str]:
        """The ``name = value`` pairs of the entry that starts at ``start``."""
        found: dict[str, str] = {}
        while True:
            self.skip_space()
            if self.at >= len(self.text):
                raise self.fail("the entry that starts here is never closed", start)
            if self.text.startswith(closing, self.at):
                self.at += 1
                return found
            name = self.match(_NAME, f"a field name or {closing!r}").lower()
            self.expect("=", f"'=' after {name!r}")
            found[name] = self.value()
            self.skip_space()
            if self.text.startswith(",", self.at):
                self.at += 1
            elif self.at >= len(self.text):
                raise self.fail("the entry that starts here is never closed", start)
            elif not self.text.startswith(closing, self.at):
                raise self.fail(f"expected ',' or {closing!r} after the value of {name!r}")

    def entries(self) -> list[BibEntry]:
        found = []
        while (start := self.text.find("@", self.at)) >= 0:
            self.at = start + 1
            kind = self.match(_NAME, "an entry type after '@'").lower()
            self.skip_space()
            opening = self.text[self.at : self.at + 1]
            if opening not in ("{", "("):
                raise self.fail(f"expected '{{' after @{kind}")
            self.at += 1
            closing = "}" if opening == "{" else ")"
            if kind in _SKIPPED:
                self.braced(closing)
            elif kind == "string":
                self.strings.update(self.fields(closing, start))
            else:
                key = self.match(_KEY, f"the key of the @{kind} entry")
                self.expect(",", f"',' after the key {key!r}")
                values = {name: text_value(v) for name, v in self.fields(closing, start).items()}
                found.append(BibEntry(kind, key, values, self.line(start)))
        return found


def text_value(value: str) -> str:
    """A field's value as plain text: accents applied, escapes and braces dropped."""
    value = _ACCENT.sub(lambda m: unicodedata.normalize("NFC", m[2] + _ACCENTS[m[1]]), value)
    value = _COMMAND.sub("", _ESCAPE.sub(r"\1", value)).replace("--", "–")
    return " ".join(value.replace("{", "").replace("}", "").replace("~", " ").split())


def read_bibtex(text: str, name: str) -> list[BibEntry]:
    """Every entry of a BibTeX file, in order; ``InputError`` (``name:line``) if broken."""
    return _Parser(text, name).entries()
