"""Patterns the keyword index (``generator.tags.index``) does not cover: each ``regex`` entry
and unusual keywords, run over the texts on their own.

There are a dozen of them in the default rules; run on each paper, they cost a small share of
tagging, so they get no prefilter of their own (an earlier one read literals out of each
pattern with the standard library's private regex parser).
"""

from __future__ import annotations

import re

from generator.tags.rules import required_groups


class ScannedPattern:
    """A pattern the index does not cover. ``search`` and ``count`` answer as
    ``pattern.search`` and ``findall`` would; ``may_match`` is the cheap test a caller may
    make first: False only when the pattern's own needle (a word every match holds,
    lowercased; "" for none) is absent from the lowercased ASCII text, or none of the
    words of one of its required groups (``rules.required_groups``) is there."""

    def __init__(self, pattern: re.Pattern[str], needle: str = "") -> None:
        self.pattern = pattern
        self.needle = needle
        self.groups = required_groups(pattern.pattern)

    def may_match(self, ascii: bool, folded: str) -> bool:
        # Beyond ASCII, re ignoring case is not lowercasing (ſ matches s): no shortcut.
        if not ascii:
            return True
        if self.needle and self.needle not in folded:
            return False
        return all(any(word in folded for word in group) for group in self.groups)

    def search(self, text: str) -> bool:
        return self.pattern.search(text) is not None

    def count(self, text: str) -> int:
        return len(self.pattern.findall(text))
