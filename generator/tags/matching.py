"""Tagging: rules from ``content/tags.yaml`` (read by ``generator.tags.rules``) give each paper
up to ``MAX_TAGS`` tags, with the reason each one matched so maintainers can tune the rules.

A rule matches on the title, the abstract, Hugging Face ``ai_keywords`` / YAML keywords and
arXiv categories. Keywords match whole words, case-insensitively, with an optional plural
``s`` and with spaces and hyphens interchangeable (``fine-tuning`` = ``fine tuning``); a
keyword with two or more capitals (``RAG``, ``LLM``) matches only in that case. ``regex``
entries are Python regular expressions, case-insensitive. ``title_keywords`` and
``title_regex`` count only in the title. In a keyword list an entry hits a listed keyword
only as the whole of it or its last words (``generator.tags.index.keyword_ends``): "agent"
hits "LLM agents", "in-context" does not hit "in-context learning". Every hit scores:
title 3, keyword list 2, abstract mentions of the most frequent entry 1 each (up to 3),
category 2. An entry counts where it first appears (title, else keyword list, else
abstract), and its abstract mentions add to a title or keyword-list hit only when there
are ``index.REPEATED`` (3) or more: Hugging Face draws its keywords from the abstract
and a title is restated there, so a single mention is the same evidence again (counting
every mention was measured on the labelled papers: far more wrong tags than right ones
gained). A tag is given when its score reaches its ``min_score`` (default 2), no
``exclude`` keyword hits and the paper gets none of its ``unless_tagged`` tags. A paper no
rule reaches gets the one rule that came closest (the highest score below its
``min_score``, ties in file order), its reason starting "closest rule:": a weak tag is more
use to a reader browsing topics than none (coverage on real papers the rules were not
tuned on went from 96.3 % to over 97 %), and a label replaces it once the paper has one. Manual
tags from YAML input are always given. A paper keeps its ``MAX_TAGS`` best-scoring tags,
ties in the order of ``tags.yaml``. A reason names the words that hit: a keyword as
written, a regex by the text it matched.

For speed on large corpora the keywords of all rules are found in one pass over each
paper's texts (``generator.tags.index``), with the same hits and counts as running each
keyword's pattern on its own.
"""

from __future__ import annotations

import re

from generator.errors import Warning_
from generator.model import Paper, RawPaper, TagMatch
from generator.tags.index import REPEATED, KeywordIndex, hits_keyword
from generator.tags.rules import TagRule
from generator.tags.scan import ScannedPattern

MAX_TAGS = 5
_MANUAL = 10**6  # the score of a manual tag: always kept


_Hit = tuple[int, str, int]
"""A rule entry that hits a paper: its position in ``rule.patterns``, where it hits first
(title, keywords, abstract) and, for the abstract, how often."""


class _Matcher:
    """The rules ready for matching: indexed keywords are found for all rules at once per
    paper (see ``generator.tags.index``); other patterns are run over the texts as before."""

    def __init__(self, rules: list[TagRule]) -> None:
        self.index = KeywordIndex(
            p for rule in rules for p in (*(entry[1] for entry in rule.patterns), *rule.exclude)
        )
        ids = self.index.ids
        self.users: dict[int, list[tuple[int, int, str]]] = {}
        """Indexed keyword → (rule, entry, needle) of the entries using it. On ASCII text
        a hit has the needle when it is one of the keyword's words: then it is "" here."""
        self.needles: dict[int, list[tuple[int, int, str]]] = {}
        """The same with every needle, for other text."""
        self.unindexed: list[tuple[int, list[tuple[int, str, ScannedPattern, bool]]]] = []
        """(rule, its (entry, needle, pattern, title only) run over the texts) for rules
        with some: an entry that counts only in a title is searched only there."""
        self.excludes: list[list[int | ScannedPattern]] = []
        """Per rule, its ``exclude`` keywords: indexed ids, else patterns to run."""
        for r, rule in enumerate(rules):
            scanned = []
            for e, (_, pattern, needle) in enumerate(rule.patterns):
                i = ids.get(pattern)
                if i is None:
                    title_only = e in rule.title_only
                    scanned.append((e, needle, ScannedPattern(pattern, needle), title_only))
                else:
                    gate = needle if needle not in self.index.words[i] else ""
                    self.users.setdefault(i, []).append((r, e, gate))
                    self.needles.setdefault(i, []).append((r, e, needle))
            if scanned:
                self.unindexed.append((r, scanned))
            self.excludes.append([ids[p] if p in ids else ScannedPattern(p) for p in rule.exclude])
        self.with_categories = [r for r, rule in enumerate(rules) if rule.categories]


class _Paper:
    """One paper's texts and indexed hits, for scoring every rule on it."""

    def __init__(self, paper: Paper | RawPaper, matcher: _Matcher) -> None:
        self.paper = p = paper
        self.ascii = all(map(str.isascii, (p.title, p.abstract, *p.keywords)))
        self._folded = ""
        self.scan = matcher.index.scan(paper.title, paper.abstract, paper.keywords)

    @property
    def folded(self) -> str:
        """The texts lowercased, for the needle test that spares most regex scans."""
        if not self._folded:
            p = self.paper
            self._folded = "\n".join((p.title, p.abstract, *p.keywords)).lower()
        return self._folded

    def run(self, scanned: ScannedPattern, title_only: bool) -> list[tuple[str, int]]:
        """Where an unindexed pattern hits first and, in the abstract, how often, as
        ``PaperScan`` says (for a pattern counting only in a title: whether it hits the
        title)."""
        paper = self.paper
        if not scanned.may_match(self.ascii, self.folded):
            return []
        if scanned.search(paper.title):
            first = ("title", 0)
        elif title_only:
            return []
        elif any(hits_keyword(scanned.pattern, k) for k in paper.keywords):
            first = ("keywords", 0)
        else:
            hits = scanned.count(paper.abstract)
            return [("abstract", hits)] if hits else []
        if title_only or (hits := scanned.count(paper.abstract)) < REPEATED:
            return [first]
        return [first, ("abstract", hits)]

    def excluded(self, excludes: list[int | ScannedPattern]) -> bool:
        """Whether an ``exclude`` keyword hits the title or abstract."""
        for exclude in excludes:
            if isinstance(exclude, int):
                if self.scan.in_text(exclude):
                    return True
            elif exclude.may_match(self.ascii, self.folded) and exclude.search(
                f"{self.paper.title}\n{self.paper.abstract}"
            ):
                return True
        return False


def _rule_hits(matcher: _Matcher, paper: _Paper) -> dict[int, list[_Hit]]:
    """Rule position → its entries that hit the paper. Rules with none and no category
    of the paper score 0, so they are left out."""
    found: dict[int, list[_Hit]] = {}
    users = matcher.users if paper.ascii else matcher.needles
    repeated = paper.scan.repeated
    for i, (place, hits) in paper.scan.hits.items():
        for r, e, needle in users.get(i, ()):
            if needle and needle not in paper.folded:
                continue
            if r in found:
                found[r].append((e, place, hits))
            else:
                found[r] = [(e, place, hits)]
            if i in repeated:
                found[r].append((e, "abstract", repeated[i]))
    for r, entries in matcher.unindexed:
        for e, needle, scanned, title_only in entries:
            if not needle or needle in paper.folded:
                for place, hits in paper.run(scanned, title_only):
                    found.setdefault(r, []).append((e, place, hits))
    if paper.paper.categories:
        for r in matcher.with_categories:
            found.setdefault(r, [])
    return found


def _score(hits: list[_Hit]) -> int:
    """Title 3 + keyword list 2 + abstract (mentions of the most frequent pattern, up to 3);
    categories come on top. Synonyms that hit the same words do not add up."""
    title = listed = False
    most = 0
    for _, place, count in hits:
        title = title or place == "title"
        listed = listed or place == "keywords"
        most = max(most, count)
    return (3 if title else 0) + (2 if listed else 0) + min(most, 3)


def _reason(hits: list[_Hit], rule: TagRule, categories: list[str], paper: Paper | RawPaper) -> str:
    """Why a tag was given: the words that hit, by place in rule order, then categories: a
    keyword as written in the rules, a regex by the text it matched (its first match).
    Built only for the tags given, not for every rule scored."""
    where: dict[str, list[str]] = {"title": [], "keywords": [], "abstract": []}
    for e, place, count in sorted(hits):
        label, pattern, _ = rule.patterns[e]
        if e in rule.regexes:
            label = _matched_text(pattern, place, paper) or label
        words = f"“{label}”" + (f" ×{count}" if count > 1 else "")
        if words not in where[place]:  # two regexes may quote the same words
            where[place].append(words)
    reasons = [f"{', '.join(labels)} in {place}" for place, labels in where.items() if labels]
    reasons += [f"arXiv category {category}" for category in categories]
    return "; ".join(reasons)


def _matched_text(pattern: re.Pattern[str], place: str, paper: Paper | RawPaper) -> str:
    """The words a regex matched first in a place of the paper, spaces folded."""
    texts = {"title": [paper.title], "abstract": [paper.abstract]}.get(place, paper.keywords)
    for text in texts:
        for match in pattern.finditer(text):
            if place != "keywords" or hits_keyword(pattern, text):
                return " ".join(match[0].split())
    return ""


class Tagger:
    """The rules ready to tag papers. A paper's tags depend only on its title, abstract,
    keywords, categories and manual tags (:func:`tag_inputs`), so a listing can be tagged
    before merging (by another process) and its tags reused for a paper that merged into
    the same inputs."""

    def __init__(self, rules: list[TagRule]) -> None:
        self.rules = rules
        self.known = {rule.slug: rule for rule in rules}
        self.order = {rule.slug: index for index, rule in enumerate(rules)}
        self.unique = len(self.order) == len(rules)
        self.matcher = _Matcher(rules)
        self.displacing = any(rule.unless_tagged for rule in rules)

    def tags(self, paper: Paper | RawPaper) -> tuple[TagMatch, ...]:
        """The tags a paper gets, best ``MAX_TAGS`` in rule order, with their reasons."""
        rules, order, matcher = self.rules, self.order, self.matcher
        scored: list[tuple[int, int, TagMatch]] = [
            (_MANUAL, order[slug], TagMatch(slug, "tagged by hand", "hand"))
            for slug in paper.manual_tags
            if slug in self.known
        ]
        manual = {m.slug for *_, m in scored}
        current = _Paper(paper, matcher)
        closest: tuple[int, int, list[_Hit], list[str]] | None = None
        for r, hits in sorted(_rule_hits(matcher, current).items()):
            rule = rules[r]
            if rule.slug in manual:
                continue
            categories = [c for c in rule.categories if c in paper.categories]
            if rule.title_only:  # their hits elsewhere do not count
                hits = [h for h in hits if h[1] == "title" or h[0] not in rule.title_only]
                if not hits and not categories:
                    continue
            score = _score(hits) + 2 * len(categories)
            # Scoring first, then the veto: the same result, and most rules stop at the score.
            if score >= rule.min_score:
                if not current.excluded(matcher.excludes[r]):
                    reason = _reason(hits, rule, categories, paper)
                    scored.append((score, order[rule.slug], TagMatch(rule.slug, reason)))
            elif (
                score
                and (closest is None or score > closest[0])
                and not current.excluded(matcher.excludes[r])
            ):
                closest = (score, r, hits, categories)
        if closest is not None and not scored:  # the rule that came closest, if any hit
            score, r, hits, categories = closest
            reason = "closest rule: " + _reason(hits, rules[r], categories, paper)
            scored.append((score, order[rules[r].slug], TagMatch(rules[r].slug, reason)))
        if self.displacing:
            given = {match.slug for *_, match in scored}
            known = self.known
            scored = [
                t for t in scored if t[0] == _MANUAL or not given & known[t[2].slug].unless_tagged
            ]
        if len(scored) > MAX_TAGS or paper.manual_tags or not self.unique:  # else in order
            scored.sort(key=lambda t: (-t[0], t[1]))
            scored = sorted(scored[:MAX_TAGS], key=lambda t: t[1])
        return tuple(match for *_, match in scored)

    def unknown_tags(self, paper: Paper, tags_file: str) -> list[Warning_]:
        """A warning for each manual tag of ``paper`` that no rule defines."""
        return [
            Warning_(
                paper.sources[0],
                None,
                f"{paper.id}: unknown tag {slug!r} ignored (define it in {tags_file})",
            )
            for slug in paper.manual_tags
            if slug not in self.known
        ]


TagInputs = tuple[str, str, tuple[str, ...], tuple[str, ...], tuple[str, ...]]


def tag_inputs(paper: Paper | RawPaper) -> TagInputs:
    """All that a paper's tags depend on: title, abstract, keywords, categories, manual tags."""
    return (paper.title, paper.abstract, paper.keywords, paper.categories, paper.manual_tags)


def assign_tags(
    papers: list[Paper],
    rules: list[TagRule],
    tags_file: str = "content/tags.yaml",
    known: dict[TagInputs, tuple[TagMatch, ...]] | None = None,
    tagger: Tagger | None = None,
) -> list[Warning_]:
    """Set ``paper.tags`` on every paper; warn about manual tags no rule defines. ``known``
    holds tags already found for some inputs (:class:`Tagger`), taken as they are;
    ``tagger``, one already made of ``rules`` (its keyword index takes a while to build)."""
    tagger = tagger or Tagger(rules)
    warnings: list[Warning_] = []
    for paper in papers:
        warnings.extend(tagger.unknown_tags(paper, tags_file))
        found = known.get(tag_inputs(paper)) if known else None
        paper.tags = tagger.tags(paper) if found is None else found
    return warnings
