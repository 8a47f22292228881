"""Tagging: rules from ``content/tags.yaml`` give each paper up to ``MAX_TAGS`` tags, with
the reason each one matched so maintainers can tune the rules.

A rule matches on the title, the abstract, Hugging Face ``ai_keywords`` / YAML keywords and
arXiv categories. Keywords match whole words, case-insensitively, with an optional plural
``s`` and with spaces and hyphens interchangeable (``fine-tuning`` = ``fine tuning``); a
keyword with two or more capitals (``RAG``, ``LLM``) matches only in that case. ``regex``
entries are Python regular expressions, case-insensitive. Every hit scores: title 3,
keyword list 2, abstract mentions of the most frequent keyword 1 each (up to 3),
category 2. A tag is given when its
score reaches its ``min_score`` (default 2) and no ``exclude`` keyword hits. Manual tags
from YAML input are always given. A paper keeps its ``MAX_TAGS`` best-scoring tags, ties
in the order of ``tags.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from generator.errors import InputError, Warning_
from generator.model import Paper, TagMatch
from generator.readers.base import read_text
from generator.yamlio import LineDict, LineList, load_yaml

MAX_TAGS = 5
TAG_KEYS = frozenset(
    {"slug", "title", "description", "keywords", "regex", "exclude", "categories", "min_score"}
)
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
    patterns = [
        (kw, keyword_pattern(kw), _needle(kw))
        for kw in _strings(item.get("keywords"), name, lines.get("keywords", line), "keywords")
    ]
    for rx in _strings(item.get("regex"), name, lines.get("regex", line), "regex"):
        try:
            patterns.append((f"/{rx}/", re.compile(rx, re.IGNORECASE), ""))
        except re.error as exc:
            raise InputError(name, lines["regex"], f"bad regex {rx!r}: {exc}") from None
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
    )


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
    return rules


def _score(rule: TagRule, paper: Paper, folded: str) -> tuple[int, str]:
    """Title 3 + keyword list 2 + abstract (mentions of the most frequent pattern, up to 3)
    + 2 per category. Synonyms that hit the same words do not add up."""
    where: dict[str, list[str]] = {"title": [], "keywords": [], "abstract": []}
    abstract_hits = 0
    for label, pattern, needle in rule.patterns:
        if needle and needle not in folded:
            continue
        if pattern.search(paper.title):
            where["title"].append(f"“{label}”")
        elif any(pattern.search(k) for k in paper.keywords):
            where["keywords"].append(f"“{label}”")
        else:
            hits = len(pattern.findall(paper.abstract))
            if hits:
                where["abstract"].append(f"“{label}”" + (f" ×{hits}" if hits > 1 else ""))
                abstract_hits = max(abstract_hits, hits)
    score = (3 if where["title"] else 0) + (2 if where["keywords"] else 0)
    score += min(abstract_hits, 3)
    reasons = [
        f"{', '.join(labels)} in {place}"
        for place, labels in where.items()
        if labels
    ]
    for category in rule.categories:
        if category in paper.categories:
            score += 2
            reasons.append(f"arXiv category {category}")
    return score, "; ".join(reasons)


def assign_tags(
    papers: list[Paper], rules: list[TagRule], tags_file: str = "content/tags.yaml"
) -> list[Warning_]:
    """Set ``paper.tags`` on every paper; warn about manual tags no rule defines."""
    known = {rule.slug: rule for rule in rules}
    order = {rule.slug: index for index, rule in enumerate(rules)}
    warnings: list[Warning_] = []
    for paper in papers:
        scored: list[tuple[int, int, TagMatch]] = []
        for slug in paper.manual_tags:
            if slug in known:
                scored.append((10**6, order[slug], TagMatch(slug, "tagged by hand")))
            else:
                warnings.append(
                    Warning_(
                        paper.sources[0],
                        None,
                        f"{paper.id}: unknown tag {slug!r} ignored (define it in {tags_file})",
                    )
                )
        manual = {m.slug for *_, m in scored}
        # Lowercased once per paper: the needle test that spares most regex scans.
        folded = "\n".join((paper.title, paper.abstract, *paper.keywords)).lower()
        text = f"{paper.title}\n{paper.abstract}"
        for rule in rules:
            if rule.slug in manual:
                continue
            if any(p.search(text) for p in rule.exclude):
                continue
            score, reason = _score(rule, paper, folded)
            if score >= rule.min_score:
                scored.append((score, order[rule.slug], TagMatch(rule.slug, reason)))
        scored.sort(key=lambda t: (-t[0], t[1]))
        best = sorted(scored[:MAX_TAGS], key=lambda t: t[1])
        paper.tags = tuple(match for *_, match in best)
    return warnings
