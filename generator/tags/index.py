"""Keyword matching for the tag rules in one pass over each text, fast on large corpora.

Running every keyword pattern of every rule over every paper (about 200 patterns for the
default ``tags.yaml``) took ~10 s for 10,000 papers. Here one regular expression, built
once from all the keywords, scans each text (title and abstract together, then the keyword
list) and stops only at the words where some keyword may start: the words a keyword's
match can be (it spans whole words: "llms", "finetuning") and the words a longer match
starts with when the next word fits ("large" before "language"). At those positions each
such keyword is tried with its own compiled pattern, so hits and counts are exactly those
of running each pattern on its own: overlapping keywords such as "language model" and
"large language model" both hit. One-word keywords that ignore case need no trying.

Indexed are the patterns ``rules.keyword_pattern`` builds from words of ASCII letters,
digits and ``_`` (:func:`keyword_words`); any other pattern, and each ``regex`` entry, is
run over the texts on their own, only where the words every match holds occur
(``generator.tags.scan``).
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterable
from typing import Any

_ASCII_WORD = re.compile(r"[A-Za-z0-9_]+")
_NON_WORD = re.compile(r"\W")
# ASCII bytes: word characters lowercased, the rest made spaces.
_FOLD_ASCII = bytes(
    ord(chr(c).lower()) if _ASCII_WORD.fullmatch(chr(c)) else ord(" ") for c in range(256)
)
# The pieces of the pattern source ``keyword_pattern`` writes.
_HEAD, _SEPARATOR, _TAIL = r"(?<!\w)", r"[\s\-]?", r"(?:e?s)?(?!\w)"
_ENDS = ("", "s", "es")  # what (?:e?s)? lets a match end with
_LONGEST = 60  # letters; longer keywords are run as patterns (the index nests groups)

_Entry = tuple[tuple[int, ...], tuple[int, ...]]
"""For a word: the keywords it is a hit of, exactly, and the keywords to try where it is."""
_Follow = tuple[tuple[tuple[int, str], ...], int]
"""For a word: the keywords whose match may go on past it, each with the word the next
word must start with, and the longest of those."""


def fold_words(text: str) -> tuple[str, bool]:
    """``text`` with each non-word character (``\\W``) made a space, lowercased when that
    leaves it ASCII, and whether it was. The length is kept, so positions carry over.
    Lowercasing beyond ASCII is not how ``re`` ignores case (ſ matches s, İ becomes two
    characters), hence ASCII only."""
    if text.isascii():  # bytes.translate is much faster than str.translate or re.sub
        return text.encode().translate(_FOLD_ASCII).decode(), True
    blank = _NON_WORD.sub(" ", text)
    return (blank.lower(), True) if blank.isascii() else (blank, False)


def keyword_words(pattern: re.Pattern[str]) -> tuple[str, ...] | None:
    """The words of a ``keyword_pattern`` pattern made of ASCII words, else None.

    Such a pattern matches only at the start of a word (a maximal run of ``\\w``), and
    either ends with that word (then the word is its words run together, with an ending)
    or goes on past a separator (then the word is its first few words run together, and
    the next word starts with the next one). The index relies on this."""
    source = pattern.pattern
    if pattern.flags & ~(re.IGNORECASE | re.UNICODE):
        return None
    if not (source.startswith(_HEAD) and source.endswith(_TAIL)):
        return None
    words = tuple(source[len(_HEAD) : -len(_TAIL)].split(_SEPARATOR))
    if sum(map(len, words)) > _LONGEST or not all(_ASCII_WORD.fullmatch(w) for w in words):
        return None
    return words


class KeywordIndex:
    """The indexed keyword patterns of a rule set, and the expression that finds them."""

    def __init__(self, patterns: Iterable[re.Pattern[str]]) -> None:
        self.ids: dict[re.Pattern[str], int] = {}
        self.patterns: list[re.Pattern[str]] = []
        self.words: list[tuple[str, ...]] = []
        """Per keyword, its words, lowercased."""
        hits: dict[str, list[int]] = {}
        tries: dict[str, list[int]] = {}
        follow: dict[str, list[tuple[int, str]]] = {}
        nexts: dict[str, set[str] | None] = {}
        """Word → the words one of which must follow it, None for any (it ends a match)."""
        for pattern in patterns:
            words = keyword_words(pattern)
            if words is None or pattern in self.ids:
                continue
            i = self.ids[pattern] = len(self.patterns)
            self.patterns.append(pattern)
            low = tuple(w.lower() for w in words)
            self.words.append(low)
            exact = bool(pattern.flags & re.IGNORECASE) and len(low) == 1
            for end in _ENDS:  # a match that is one whole word
                word = "".join(low) + end
                (hits if exact else tries).setdefault(word, []).append(i)
                nexts[word] = None
            for n in range(1, len(low)):  # a match that goes on past this word
                word = "".join(low[:n])
                follow.setdefault(word, []).append((i, low[n]))
                following = nexts.setdefault(word, set())
                if following is not None:
                    following.add(low[n])
        self._vocab: dict[str, _Entry] = {
            word: (tuple(hits.get(word, ())), tuple(tries.get(word, ()))) for word in nexts
        }
        self._follow: dict[str, _Follow] = {
            word: (tuple(pairs), max(len(next_word) for _, next_word in pairs))
            for word, pairs in follow.items()
        }
        self._followed: dict[tuple[str, str], tuple[int, ...]] = {}
        """(word, the start of the next word) → the keywords of ``_follow`` to try."""
        source = f" ({_trie(nexts)})" if nexts else r"(?!)"
        self._exact = re.compile(source)
        self._source = source
        self._folding: re.Pattern[str] | None = None
        self._firsts: list[tuple[re.Pattern[str], tuple[int, ...]]] = []
        self._odd: dict[str, _Entry] = {}

    def find(self, text: str) -> tuple[dict[int, list[int]], dict[int, list[int]]]:
        """Where in ``text`` each keyword hits, for the one-word keywords that ignore case,
        and where each other keyword may start, to try there; positions ascending."""
        folded, lowered = fold_words(text)
        hits: dict[int, list[int]] = {}
        tries: dict[int, list[int]] = {}
        # Words that keep their case are found ignoring case, as ``re`` does it.
        finder = self._exact if lowered else self._fold()
        padded = f" {folded} "
        for match in finder.finditer(padded):
            at, word = match.start(), match[1]  # the padding makes `at` the word's start
            entry = self._vocab[word] if lowered else self._odd_entry(word)
            for i in entry[0]:
                if i in hits:
                    hits[i].append(at)
                else:
                    hits[i] = [at]
            tried = entry[1]
            if lowered and word in self._follow:
                tried += self._followed_by(word, padded, match.end() + 1)
            for i in tried:
                if i in tries:
                    tries[i].append(at)
                else:
                    tries[i] = [at]
        return hits, tries

    def _followed_by(self, word: str, padded: str, at: int) -> tuple[int, ...]:
        """The keywords to try where ``word`` is followed (from ``at`` in the lowered text)
        by a word: those whose next word it starts with."""
        pairs, longest = self._follow[word]
        key = (word, padded[at : at + longest])
        if key not in self._followed:
            self._followed[key] = tuple(i for i, next_word in pairs if key[1].startswith(next_word))
        return self._followed[key]

    def _fold(self) -> re.Pattern[str]:
        if self._folding is None:  # compiled when first needed: most texts are ASCII
            self._folding = re.compile(self._source, re.IGNORECASE)
            firsts: dict[str, list[int]] = {}
            for i, words in enumerate(self.words):
                firsts.setdefault(words[0], []).append(i)
            self._firsts = [
                (re.compile(re.escape(w), re.IGNORECASE), tuple(ids)) for w, ids in firsts.items()
            ]
        return self._folding

    def _odd_entry(self, word: str) -> _Entry:
        """A word found ignoring case, in a text with words beyond ASCII, where every
        keyword is tried, so that hits of one keyword in ASCII words and in others (ſ
        matches s, İ and ı match i) are counted alike. An ASCII word is a word of the
        index, lowercased; for another, the keywords its beginning allows are tried."""
        if word not in self._odd:
            if word.isascii():
                low = word.lower()
                hits, tries = self._vocab[low]
                pairs = self._follow.get(low, ((), 0))[0]
                self._odd[word] = ((), (*hits, *tries, *(i for i, _ in pairs)))
            else:
                found = [i for regex, ids in self._firsts if regex.match(word) for i in ids]
                self._odd[word] = ((), tuple(found))
        return self._odd[word]

    def scan(self, title: str, abstract: str, keywords: Iterable[str]) -> PaperScan:
        """The indexed keywords that hit a paper, see :class:`PaperScan`."""
        return PaperScan(self, title, abstract, tuple(keywords))


def _trie(nexts: dict[str, set[str] | None]) -> str:
    """An expression for the words, as a trie (``re`` tries alternatives in turn, so a
    shared beginning is matched once). A word must be whole: followed by a space, and by
    one of its next words too when it only starts longer keywords."""
    root: dict[str, Any] = {}
    for word, following in nexts.items():
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[""] = following
    return _branch(root)


def _branch(node: dict[str, Any]) -> str:
    """The expression for a trie node: its branches, then its end when a word ends here."""
    options = []
    for char, child in sorted((k, v) for k, v in node.items() if k):
        run = re.escape(char)
        while len(child) == 1 and "" not in child:  # one way on: no group needed
            ((char, child),) = child.items()
            run += re.escape(char)
        options.append(run + _branch(child))
    if "" in node:
        following = node[""]
        ahead = "|".join(sorted(map(re.escape, following or ()), key=len, reverse=True))
        options.append(f"(?= (?:{ahead}))" if following else "(?= )")
    return options[0] if len(options) == 1 else f"(?:{'|'.join(options)})"


REPEATED = 3
"""Abstract mentions a keyword that hits the title or the keyword list needs for them to
count as well: Hugging Face draws its keywords from the abstract, and a title is usually
restated there, so one mention is the same evidence again. 2 gave more wrong tags than
right ones on the labelled papers."""


class PaperScan:
    """The indexed keywords that hit one paper: ``hits`` maps a keyword's id to where it
    hits first, in the order title, keyword list, abstract, and for the abstract how often
    (as ``len(pattern.findall(abstract))``: hits do not overlap); ``repeated``, for a
    keyword that hits the title or keyword list, its abstract mentions when there are
    ``REPEATED`` or more."""

    def __init__(
        self, index: KeywordIndex, title: str, abstract: str, keywords: tuple[str, ...]
    ) -> None:
        self._index = index
        self._text = text = f"{title}\n{abstract}"
        cut = len(title) + 1
        """Where the abstract starts in ``text``, searched in one go."""
        self._hits, self._tries = index.find(text)
        patterns = index.patterns
        self.hits: dict[int, tuple[str, int]] = {}
        self.repeated: dict[int, int] = {}
        for i, starts in self._hits.items():
            if starts[0] < cut:
                self.hits[i] = ("title", 0)
        for i, starts in self._tries.items():
            if starts[0] < cut and hit_at(patterns[i], title, starts, cut):
                self.hits[i] = ("title", 0)
        if keywords:  # NUL is no word or separator character: no match spans two keywords
            listed, offsets = "\0".join(keywords), _offsets(keywords)
            found, tried = index.find(listed)
            for i, starts in (*found.items(), *tried.items()):
                if i not in self.hits and _hits_listed(patterns[i], listed, starts, offsets):
                    self.hits[i] = ("keywords", 0)
        for i, starts in self._hits.items():
            self._abstract(i, sum(1 for at in starts if at >= cut))
        for i, starts in self._tries.items():
            if starts[-1] < cut:
                continue
            pattern, hits, end = patterns[i], 0, cut
            for at in starts:
                if at >= end and (match := pattern.match(abstract, at - cut)):
                    hits, end = hits + 1, match.end() + cut
            self._abstract(i, hits)

    def _abstract(self, i: int, hits: int) -> None:
        """Count keyword ``i``'s ``hits`` in the abstract."""
        if i not in self.hits:
            if hits:
                self.hits[i] = ("abstract", hits)
        elif hits >= REPEATED:
            self.repeated[i] = hits

    def in_text(self, i: int) -> bool:
        """Whether keyword ``i`` matches title and abstract joined by a newline (how
        ``exclude`` keywords are searched: a match may run from the title on)."""
        if i in self._hits:
            return True
        return hit_at(self._index.patterns[i], self._text, self._tries.get(i, ()))


_PARENTHESIS = re.compile(r"\s*\(([^()]*)\)\W*$")


@functools.lru_cache(maxsize=4096)  # a paper's keywords are looked at by several patterns
def keyword_ends(keyword: str) -> frozenset[int]:
    """Where a match may end in one of Hugging Face's keywords to hit it: at the end of the
    keyword (before trailing punctuation), or of its main part and of the short name in a
    trailing parenthesis ("Large Language Models (LLMs)"), and before a last word that
    names no topic ("models", "methods", "framework", ...). A rule's keyword hits the list
    only as the whole of a listed keyword or its last words, its head: "agent" hits "LLM
    agents", "in-context" does not hit "in-context learning", nor "zero-shot" "zero-shot
    audio editing"."""
    found = _PARENTHESIS.search(keyword)
    if found is None:
        ends = {len(keyword.rstrip(_TRAILING))}
    else:
        ends = {found.start(), found.start(1) + len(found[1].rstrip(_TRAILING))}
    for end in list(ends):
        if generic := _GENERIC_HEAD.search(keyword, 0, end):
            ends.add(generic.start())
    return frozenset(ends)


_TRAILING = " \t\n.,;:!?)]}\"'"
# A last word that names no topic: "diffusion" hits "denoising diffusion models" too.
_GENERIC_HEAD = re.compile(
    r"[\s\-]+(?:models?|methods?|frameworks?|approach(?:es)?|systems?|techniques?|tasks?"
    r"|polic(?:y|ies)|networks?|algorithms?)$",
    re.IGNORECASE,
)


def hits_keyword(pattern: re.Pattern[str], keyword: str) -> bool:
    """Whether ``pattern`` hits one of Hugging Face's keywords, see :func:`keyword_ends`:
    whether a match at some position of the keyword ends at one of its ends. ``search``
    finds the next position with a match, and the match ``match`` would find there."""
    match = pattern.search(keyword)
    if match is None:  # most patterns hit no listed keyword: spare working out its ends
        return False
    ends = keyword_ends(keyword)
    while match is not None and match.start() < len(keyword):
        if match.end() in ends:
            return True
        match = pattern.search(keyword, match.start() + 1)
    return False


def _offsets(keywords: tuple[str, ...]) -> list[int]:
    """Where each keyword starts in the keywords joined by one character, and where one
    more would."""
    offsets, at = [], 0
    for keyword in keywords:
        offsets.append(at)
        at += len(keyword) + 1
    offsets.append(at)
    return offsets


def _hits_listed(
    pattern: re.Pattern[str], listed: str, starts: list[int], offsets: list[int]
) -> bool:
    """Whether ``pattern`` hits one of the keywords joined in ``listed`` (starting at
    ``offsets``), matching from one of ``starts`` to one of that keyword's ends (a match
    never spans two keywords: see :class:`PaperScan`)."""
    for at in starts:
        match = pattern.match(listed, at)
        if match is not None:
            j = bisect.bisect_right(offsets, at) - 1
            if match.end() - offsets[j] in keyword_ends(listed[offsets[j] : offsets[j + 1] - 1]):
                return True
    return False


def hit_at(
    pattern: re.Pattern[str], text: str, starts: Iterable[int], stop: int | None = None
) -> bool:
    """Whether ``pattern`` matches ``text`` at one of ``starts`` (ascending) before
    ``stop``: ``pattern.search(text[:stop])`` when the matches can start only there."""
    for at in starts:
        if stop is not None and at >= stop:
            return False
        if pattern.match(text, at):
            return True
    return False
