"""The tag rules of ``content/tags.yaml``, read and checked: one :class:`TagRule` per tag,
its keywords made patterns (see ``generator.tags.matching`` for how they match and score)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from generator.errors import InputError
from generator.readers import read_text
from generator.yamlio import LineDict, LineList, load_yaml

TAG_KEYS = frozenset(
    {
        "slug", "title", "description", "keywords", "regex", "title_keywords", "title_regex",
        "exclude", "unless_tagged", "categories", "min_score",
    }
)  # fmt: skip
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class TagRule:
    slug: str
    title: str
    description: str
    patterns: tuple[tuple[str, re.Pattern[str], str], ...]
    """(label, compiled pattern, needle) for each keyword and regex; the needle is a
    lowercase word the text must contain for the pattern to have a chance ('' for regex):
    a cheap substring test that spares most regex scans."""
    exclude: tuple[re.Pattern[str], ...] = ()
    categories: tuple[str, ...] = ()
    min_score: int = 2
    title_only: frozenset[int] = frozenset()
    """Positions in ``patterns`` of the entries that count only in a title."""
    regexes: frozenset[int] = frozenset()
    """Positions in ``patterns`` of the ``regex`` entries: their reasons quote the text."""
    unless_tagged: frozenset[str] = frozenset()
    """Tags that take this one's place: it is not given to a paper that gets one of them
    (a broad tag, such as LLMs, kept for papers that are not about something narrower)."""


def keyword_pattern(keyword: str) -> re.Pattern[str]:
    """The pattern a keyword matches with; see the module docstring."""
    parts = [re.escape(p) for p in re.split(r"[\s\-]+", keyword.strip()) if p]
    body = r"[\s\-]?".join(parts)
    flags = 0 if sum(c.isupper() for c in keyword) >= 2 else re.IGNORECASE
    return re.compile(rf"(?<!\w){body}(?:e?s)?(?!\w)", flags)


def _needle(keyword: str) -> str:
    return max(re.split(r"[\s\-]+", keyword.strip().lower()), key=len)


def _strings(value: object, name: str, line: int, what: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise InputError(name, line, f"{what} must be a list of non-empty strings")
    return [v.strip() for v in value]


def _rule(item: object, name: str, line: int) -> TagRule:
    if not isinstance(item, LineDict):
        raise InputError(name, line, "each tag must be a mapping")
    lines = item.key_lines
    for key in item:
        if key not in TAG_KEYS:
            raise InputError(name, lines[key], f"unknown key {key!r}; expected {sorted(TAG_KEYS)}")
    for key in ("slug", "title", "description"):
        if not isinstance(item.get(key), str) or not item[key].strip():
            raise InputError(name, lines.get(key, line), f"tag needs a non-empty {key}")
    slug = item["slug"].strip()
    if not _SLUG.match(slug) or len(slug) > 40:
        raise InputError(name, lines["slug"], f"slug {slug!r} must be lowercase a-z, 0-9 and -")
    patterns: list[tuple[str, re.Pattern[str], str]] = []
    title_only: set[int] = set()
    regexes: set[int] = set()
    for key in ("keywords", "regex", "title_keywords", "title_regex"):
        at = lines.get(key, line)
        for entry in _strings(item.get(key), name, at, key):
            if key.startswith("title_"):
                title_only.add(len(patterns))
            if key.endswith("regex"):
                regexes.add(len(patterns))
                patterns.append((f"/{entry}/", _regex(entry, name, at), required_word(entry)))
            else:
                patterns.append((entry, keyword_pattern(entry), _needle(entry)))
    categories = _strings(item.get("categories"), name, lines.get("categories", line), "categories")
    if not patterns and not categories:
        raise InputError(name, line, f"tag {slug!r} has no keywords, regex or categories")
    min_score = item.get("min_score", 2)
    if not isinstance(min_score, int) or min_score < 1:
        raise InputError(name, lines.get("min_score", line), "min_score must be a whole number ≥ 1")
    return TagRule(
        slug=slug,
        title=item["title"].strip(),
        description=" ".join(item["description"].split()),
        patterns=tuple(patterns),
        exclude=tuple(
            keyword_pattern(kw)
            for kw in _strings(item.get("exclude"), name, lines.get("exclude", line), "exclude")
        ),
        categories=tuple(categories),
        min_score=min_score,
        title_only=frozenset(title_only),
        regexes=frozenset(regexes),
        unless_tagged=frozenset(
            _strings(item.get("unless_tagged"), name, lines.get("unless_tagged", line), "tags")
        ),
    )


_TOP_LEVEL_WORD = re.compile(r"[a-z]{3,}")


def required_word(regex: str) -> str:
    """A word every match of ``regex`` holds (lowercased), for the cheap test that spares
    most scans of a regex entry: the longest run of plain letters at the pattern's top
    level (outside groups and classes, not under a ``?``, ``*`` or ``{``); "" when the
    pattern has a top-level ``|`` or no such run. Read from the pattern's text with a
    deliberately small scan: anything it does not understand gives no word, never a
    wrong one."""
    depth, plain, index = 0, [], 0
    while index < len(regex):
        char = regex[index]
        if char == "\\":
            plain.append(" ")  # an escape (\b, \w, \.) breaks a run
            index += 2
            continue
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif depth == 0 and char == "|":
            return ""
        if depth == 0 and char.isalpha() and char.isascii():
            following = regex[index + 1 : index + 2]
            plain.append(" " if following in ("?", "*", "{") else char.lower())
        else:
            plain.append(" ")
        index += 1
    words = _TOP_LEVEL_WORD.findall("".join(plain))
    return max(words, key=len) if words else ""


_ALTERNATIVES = re.compile(r"[A-Za-z |]+")


def required_groups(regex: str) -> tuple[tuple[str, ...], ...]:
    """For each group at the pattern's top level that every match goes through and that
    holds only words (``(?:benchmark|dataset|test suite)``, not under ``?``, ``*`` or
    ``{``), the longest word of each of its alternatives, lowercased: a match holds one
    of them. Only groups whose words all have three letters or more; none when the
    pattern has a top-level ``|``. As :func:`required_word`, a deliberately small scan."""
    groups, depth, start, index = [], 0, 0, 0
    if "(?" in regex and re.search(r"\(\?[a-zA-Z]*x", regex):  # verbose: spaces are no words
        return ()
    while index < len(regex):
        char = regex[index]
        if char == "\\":
            index += 2
            continue
        if char == "[":
            index = _class_end(regex, index)
            continue
        if char == "|" and depth == 0:
            return ()
        if char == "(":
            depth, start = depth + 1, (index + 1 if depth == 0 else start)
        elif char == ")":
            depth -= 1
            body = regex[start:index].removeprefix("?:")
            optional = regex[index + 1 : index + 2] in ("?", "*", "{")
            if depth == 0 and not optional and _ALTERNATIVES.fullmatch(body):
                words = [max(a.lower().split(), key=len, default="") for a in body.split("|")]
                if all(len(w) >= 3 for w in words):
                    groups.append(tuple(words))
        index += 1
    return tuple(groups)


def _class_end(regex: str, index: int) -> int:
    """Where the character class starting at ``index`` (its ``[``) ends, past its ``]``."""
    index += 1
    index += regex[index : index + 1] == "^"
    index += regex[index : index + 1] == "]"  # a ] first in a class is one of its characters
    while index < len(regex) and regex[index] != "]":
        index += 2 if regex[index] == "\\" else 1
    return index + 1


def _regex(entry: str, name: str, line: int) -> re.Pattern[str]:
    try:
        return re.compile(entry, re.IGNORECASE)
    except re.error as exc:
        raise InputError(name, line, f"bad regex {entry!r}: {exc}") from None


def load_tag_rules(path: Path, name: str = "content/tags.yaml") -> list[TagRule]:
    """The rules of ``tags.yaml``, in file order. A missing file means no tags."""
    if not path.exists():
        return []
    data = load_yaml(read_text(path, name), name)
    if not isinstance(data, LineDict) or not isinstance(data.get("tags"), LineList):
        raise InputError(name, 1, "expected 'tags:' with a list of tags")
    rules: list[TagRule] = []
    seen: set[str] = set()
    for item, line in zip(data["tags"], data["tags"].item_lines, strict=True):
        rule = _rule(item, name, line)
        if rule.slug in seen:
            raise InputError(name, line, f"duplicate tag slug {rule.slug!r}")
        seen.add(rule.slug)
        rules.append(rule)
    for rule, line in zip(rules, data["tags"].item_lines, strict=True):
        if unknown := sorted(rule.unless_tagged - seen):
            raise InputError(name, line, f"unless_tagged names unknown tags {unknown}")
    return rules
