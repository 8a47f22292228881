"""Patterns the keyword index (``generator.tagindex``) does not cover: each ``regex`` entry
and unusual keywords, run over the texts, though only where their parse says a match can
be (:class:`ScannedPattern`)."""

from __future__ import annotations

import re

# The stdlib's regex parser (private, in ``re`` since 3.11), for ScannedPattern.
from re import _parser as _regex_parser  # type: ignore[attr-defined]
from typing import Any

from generator.tagindex import hit_at


class ScannedPattern:
    """A pattern the index does not cover (each ``regex`` entry, unusual keywords), with
    what its parse tells: text every match contains (``needs``: one string of each set)
    and text every match starts with (``starts``), lowercased ASCII. On ASCII text they
    spare most scans: no need, no match; else the pattern is tried only where a start
    occurs. ``search`` and ``count`` answer as ``pattern.search`` and ``findall`` would."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        self.needs: list[frozenset[str]] = []
        self.starts: frozenset[str] | None = None
        try:
            parsed = _regex_parser.parse(pattern.pattern, pattern.flags)
            self.needs = _needs(parsed)
            self.starts = _starts(parsed)
        except Exception:  # a parser that changed shape: then just run the pattern
            pass
        # Likely the rarest first: single strings, long ones. Short ones are everywhere.
        self.needs = sorted(
            (need for need in self.needs if min(map(len, need)) >= 3),
            key=lambda need: (len(need), -min(map(len, need))),
        )

    def may_match(self, ascii: bool, folded: str) -> bool:
        """False when the text is ``ascii`` and ``folded``, its lowercase, lacks a need.
        Beyond ASCII, ``re`` ignoring case is not lowercasing (ſ matches s)."""
        if ascii:
            for need in self.needs:
                for text in need:
                    if text in folded:
                        break
                else:
                    return False
        return True

    def _positions(self, text: str) -> list[int] | None:
        if self.starts is None or not text.isascii():
            return None
        low, found = text.lower(), set()
        for start in self.starts:
            at = low.find(start)
            while at >= 0:
                found.add(at)
                at = low.find(start, at + 1)
        return sorted(found)

    def search(self, text: str) -> bool:
        positions = self._positions(text)
        if positions is None:
            return self.pattern.search(text) is not None
        return hit_at(self.pattern, text, positions)

    def count(self, text: str) -> int:
        positions = self._positions(text)
        if positions is None:
            return len(self.pattern.findall(text))
        hits, end = 0, 0
        for at in positions:  # matches are not empty: they start with a start
            if at >= end and (match := self.pattern.match(text, at)):
                hits, end = hits + 1, match.end()
        return hits


_REPEATS = (_regex_parser.MAX_REPEAT, _regex_parser.MIN_REPEAT, _regex_parser.POSSESSIVE_REPEAT)


def _needs(items: Any) -> list[frozenset[str]]:
    """Needs of a parsed sequence: each run of ASCII literals, and the needs of groups,
    repeats of at least one and branches whose every alternative needs something."""
    p = _regex_parser
    needs: list[frozenset[str]] = []
    run = ""
    for op, arg in items:
        if op is p.LITERAL and chr(arg).isascii():
            run += chr(arg).lower()
            continue
        if run:
            needs.append(frozenset({run}))
            run = ""
        if op is p.SUBPATTERN:
            needs += _needs(arg[-1])
        elif op in _REPEATS and arg[0] >= 1:
            needs += _needs(arg[2])
        elif op is p.ATOMIC_GROUP:
            needs += _needs(arg)
        elif op is p.BRANCH:
            options = [_needs(alternative) for alternative in arg[1]]
            if all(options):
                best = [max(o, key=lambda need: min(map(len, need))) for o in options]
                needs.append(frozenset().union(*best))
    if run:
        needs.append(frozenset({run}))
    return needs


def _starts(items: Any) -> frozenset[str] | None:
    """The ASCII literal text every match of a parsed sequence starts with (one of the
    set), lowercased; None when a match may start otherwise (or be empty)."""
    p = _regex_parser
    run = ""
    for op, arg in items:
        if op is p.LITERAL and chr(arg).isascii():
            run += chr(arg).lower()
            continue
        if run:
            break
        if op in (p.AT, p.ASSERT, p.ASSERT_NOT):  # zero width: the match starts after
            continue
        if op is p.SUBPATTERN:
            return _starts(arg[-1])
        if op in _REPEATS and arg[0] >= 1:
            return _starts(arg[2])
        if op is p.ATOMIC_GROUP:
            return _starts(arg)
        if op is p.BRANCH:
            options = [_starts(alternative) for alternative in arg[1]]
            known = [option for option in options if option is not None]
            return frozenset().union(*known) if len(known) == len(options) else None
        return None
    return frozenset({run}) if run else None
