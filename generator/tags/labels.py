"""Labels: the tags a language model gave each paper, with its evidence, kept in
``content/labels/`` like the papers themselves. ``papers label`` writes them
(``generator.fetch.label``); the build only reads them (:func:`read_labels`) and gives a
labelled paper its label's tags (:func:`labelled_tags`).

Storage, made for small diffs and whole files:

- ``labels/YYYY-MM.jsonl``: one paper a line, sorted by id, a file per month of the paper's
  first day: ``{"id": ..., "model": ..., "tags": [[slug, quote], ...], "taxonomy": key}``,
  compact JSON with sorted keys, at most ``MAX_LINE_BYTES`` bytes (quotes are cut at a word
  to fit; a cut quote is still the paper's own words).
- ``labels/taxonomies.json``: for each taxonomy a label was asked under (``key``), the
  fingerprint of every tag it offered: ``{key: {slug: fingerprint}}``. A fingerprint is a
  hash of the tag's slug, title and description. Each label thus records, by reference, a
  fingerprint of each tag it was asked about, in a few bytes.

What the build makes of a label, against today's ``tags.yaml``:

- a tag the label gave, still defined with the same fingerprint: given, its reason the
  quote (“we deploy the policy on a real arm” in abstract);
- a tag the label gave that is gone from ``tags.yaml``: gone, at once;
- a tag the label was not asked about as it is now (new, or its title or description
  changed): decided by the rules until the paper is asked again, which ``papers label``
  does over its next runs (the label is *stale*);
- manual tags (``tags:`` in a YAML day) come first, as with the rules; at most ``MAX_TAGS``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from generator.errors import InputError
from generator.model import Paper, TagMatch
from generator.tags.matching import MAX_TAGS
from generator.tags.rules import TagRule

#: The folder of ``content/`` that holds labels.
LABELS_DIR = "labels"
#: The file of taxonomy fingerprints, in ``LABELS_DIR``.
TAXONOMIES_FILE = "taxonomies.json"
#: The longest stored line of a paper's label, in UTF-8 bytes, its newline left out.
MAX_LINE_BYTES = 300
#: The most tags a label keeps (and asks for).
MAX_LABEL_TAGS = 5


@dataclass(frozen=True)
class Label:
    """One paper's label: the tags a model gave it, each with a quote of the paper."""

    id: str
    model: str
    taxonomy: str
    """The key, in ``taxonomies.json``, of the tags it was asked about."""
    tags: tuple[tuple[str, str], ...]
    """(slug, quote) pairs, in the model's order."""


def tag_fingerprint(rule: TagRule) -> str:
    """A short hash of what a model is told of a tag: its slug, title and description."""
    text = "\0".join((rule.slug, rule.title, rule.description))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]


def taxonomy_fingerprints(rules: Iterable[TagRule]) -> dict[str, str]:
    """Every tag's fingerprint, by slug."""
    return {rule.slug: tag_fingerprint(rule) for rule in rules}


def taxonomy_key(fingerprints: Mapping[str, str]) -> str:
    """The key of a whole taxonomy: a hash of its tags' fingerprints, in slug order."""
    text = "\n".join(f"{slug} {fp}" for slug, fp in sorted(fingerprints.items()))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]


def month_file(day: date) -> str:
    """The label file of papers first listed on ``day``: ``YYYY-MM.jsonl``."""
    return f"{day:%Y-%m}.jsonl"


def label_line(label: Label) -> str:
    """The stored line of a label, quotes cut at a word until it fits ``MAX_LINE_BYTES``."""
    tags = [[slug, quote] for slug, quote in label.tags]
    while True:
        record = {"id": label.id, "model": label.model, "tags": tags, "taxonomy": label.taxonomy}
        line = json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        if len(line.encode("utf-8")) <= MAX_LINE_BYTES:
            return line
        # The longest quote (the first of equals) loses its last word.
        longest = max(tags, key=lambda t: len(t[1]))
        words = longest[1].split(" ")
        if len(words) > 1:
            longest[1] = " ".join(words[:-1])
        elif len(longest[1]) > 1:
            longest[1] = longest[1][: len(longest[1]) // 2]
        else:  # nothing left to cut: an id or model name that long is a bug upstream
            raise ValueError(f"label of {label.id} cannot fit {MAX_LINE_BYTES} bytes")


@dataclass
class LabelStore:
    """Every label of a content folder, and the taxonomies they were asked under."""

    labels: dict[str, Label]
    taxonomies: dict[str, dict[str, str]]
    files: dict[str, str]
    """Label id → the file (``YYYY-MM.jsonl``) it was read from."""

    def current(self, label: Label, fingerprints: Mapping[str, str]) -> bool:
        """Whether ``label`` was asked about exactly today's tags."""
        return self.taxonomies.get(label.taxonomy) == dict(fingerprints)

    def asked(self, label: Label) -> Mapping[str, str]:
        """The fingerprint of each tag ``label`` was asked about."""
        return self.taxonomies.get(label.taxonomy, {})


def _line_error(name: str, number: int, message: str) -> InputError:
    return InputError(name, number, f"{message} (a label is one JSON object a line)")


def _read_label(line: str, name: str, number: int) -> Label:
    try:
        data = json.loads(line)
    except ValueError as exc:  # not JSON, or a number over Python's 4,300 digits
        message = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
        raise _line_error(name, number, f"not JSON: {message}") from None
    if not isinstance(data, dict):
        raise _line_error(name, number, "not an object")
    pid, model, taxonomy, tags = (data.get(k) for k in ("id", "model", "taxonomy", "tags"))
    if not all(isinstance(v, str) and v for v in (pid, model, taxonomy)):
        raise _line_error(name, number, "id, model and taxonomy must be non-empty strings")
    if not isinstance(tags, list) or not all(
        isinstance(t, list) and len(t) == 2 and all(isinstance(x, str) for x in t) for t in tags
    ):
        raise _line_error(name, number, "tags must be a list of [slug, quote] pairs")
    return Label(str(pid), str(model), str(taxonomy), tuple((s, q) for s, q in tags))


def read_labels(content: Path) -> LabelStore:
    """The labels under ``content/labels/``; none when the folder is missing. A bad line is
    an ``InputError`` naming its file and line, like any bad input."""
    folder = content / LABELS_DIR
    store = LabelStore({}, {}, {})
    if not folder.is_dir():
        return store
    index = folder / TAXONOMIES_FILE
    if index.is_file():
        name = index.as_posix()
        try:
            data = json.loads(index.read_text(encoding="utf-8"))
        except ValueError as exc:  # not JSON, not UTF-8, or a number over 4,300 digits
            raise InputError(name, None, f"unreadable taxonomy fingerprints: {exc}") from None
        if not isinstance(data, dict) or not all(
            isinstance(v, dict) and all(isinstance(f, str) for f in v.values())
            for v in data.values()
        ):
            raise InputError(name, None, "expected {key: {slug: fingerprint}}")
        store.taxonomies = data
    for path in sorted(folder.glob("*.jsonl")):
        name = path.as_posix()
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise InputError(name, None, "not UTF-8 text") from None
        for number, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            label = _read_label(line, name, number)
            if label.taxonomy not in store.taxonomies:
                raise InputError(
                    name, number, f"taxonomy {label.taxonomy!r} is not in {TAXONOMIES_FILE}"
                )
            if label.id in store.labels:
                raise InputError(name, number, f"{label.id} is labelled twice")
            store.labels[label.id] = label
            store.files[label.id] = path.name
    return store


def _folded(text: str) -> str:
    return " ".join(text.split()).casefold()


def quote_place(quote: str, title: str, abstract: str) -> str | None:
    """Where a quote is in the paper, whitespace and case folded: ``title``, ``abstract``,
    or None when it is in neither."""
    folded = _folded(quote)
    if not folded:
        return None
    if folded in _folded(title):
        return "title"
    if folded in _folded(abstract):
        return "abstract"
    return None


def labelled_tags(
    paper: Paper, label: Label, asked: Mapping[str, str], fingerprints: Mapping[str, str]
) -> tuple[TagMatch, ...]:
    """A labelled paper's tags (see the module docstring), ``paper.tags`` holding the
    rules' when this is called: its manual tags (the rules keep them first), the label's
    tags still defined as they were ``asked``, and the rules' for the tags it was not asked
    about as they are now (``fingerprints``). In the order of ``tags.yaml``, at most
    ``MAX_TAGS``, manual tags always kept."""
    chosen = {m.slug: m for m in paper.tags if m.source == "hand"}
    for slug, quote in label.tags:
        current = slug in fingerprints and asked.get(slug) == fingerprints[slug]
        if current and len(chosen) < MAX_TAGS:
            place = quote_place(quote, paper.title, paper.abstract) or "abstract"
            chosen.setdefault(slug, TagMatch(slug, f"“{quote}” in {place}", label.model))
    for match in paper.tags:
        unasked = asked.get(match.slug) != fingerprints.get(match.slug)
        if match.source == "rules" and unasked and len(chosen) < MAX_TAGS:
            chosen.setdefault(match.slug, match)
    order = list(fingerprints)  # the slugs in the order of tags.yaml
    return tuple(sorted(chosen.values(), key=lambda m: order.index(m.slug)))


def apply_labels(papers: Iterable[Paper], store: LabelStore, rules: list[TagRule]) -> None:
    """Give each labelled paper its label's tags (:func:`labelled_tags`); the others keep
    the rules' tags."""
    fingerprints = taxonomy_fingerprints(rules)
    for paper in papers:
        label = store.labels.get(paper.id)
        if label is not None:
            paper.tags = labelled_tags(paper, label, store.asked(label), fingerprints)
