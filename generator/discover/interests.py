"""What the site's owners read: ``content/interests.yaml``, and the BibTeX file it names.

::

    papers: ["2406.17557", "2305.18290"]   # arXiv ids of papers you like, in the archive or not
    bibtex: library.bib                   # optional: a BibTeX export, relative to content/

Each id is one interest: a paper of the archive gives its own title and abstract; else a
BibTeX entry with that arXiv id (its ``eprint``, or an arxiv.org link in ``url``) gives
them; else it is a warning naming the id. Every BibTeX entry with a title is an interest
too (its abstract, when the export has one, is most of what it says); one that is a paper
of the archive, by arXiv id or by title, stands for that paper. Without the file there
are no interests, and the site has no For you page.

An id is read exactly as written: YAML would read an unquoted ``2305.18290`` as the number
2305.1829, so the ids are taken from the file's text, never from the number; an id that is
not an arXiv id (``2305.1829`` is not: the part after the dot has 4 or 5 digits) is an error
naming its line. So are an unknown key, a ``bibtex:`` file that is missing or broken, and
any YAML error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from generator.discover.bibtex import read_bibtex
from generator.errors import InputError, Warning_
from generator.model import Paper
from generator.readers import normalise_arxiv_id, normalise_title
from generator.yamlio import load_yaml_with_nodes

INTERESTS_FILE = "interests.yaml"
KEYS = ("papers", "bibtex")


@dataclass(frozen=True)
class Interest:
    """One paper the owners read: its text, and the archive paper it is, if any."""

    title: str
    abstract: str
    source: str
    """Where it was named, ``file:line``, for messages."""
    paper_id: str | None = None
    """The id of the archive's paper it is (its own text), else None."""


def read_interests(
    content: Path, papers: dict[str, Paper]
) -> tuple[list[Interest], list[Warning_]] | None:
    """The interests of ``content/interests.yaml`` (None without the file), with a warning
    for each id found nowhere; ``papers`` are the archive's papers by id."""
    path = content / INTERESTS_FILE
    if not path.is_file():
        return None
    name = path.as_posix()
    text = path.read_text(encoding="utf-8", errors="replace")
    data, root = load_yaml_with_nodes(text, name)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise InputError(name, 1, "expected a mapping with 'papers' and/or 'bibtex'")
    lines = getattr(data, "key_lines", {})
    for key in data:
        if key not in KEYS:
            allowed = " and ".join(f"'{k}'" for k in KEYS)
            raise InputError(name, lines.get(key), f"unknown key {key!r} (known: {allowed})")
    ids = _ids_as_written(root, name)
    bib = _bibtex_entries(content, data.get("bibtex"), name, lines.get("bibtex"))
    interests: list[Interest] = []
    warnings: list[Warning_] = []
    in_bib = {entry[2] for entry in bib if entry[2]}
    listed: set[str | None] = set()
    for arxiv_id, line in ids:
        if arxiv_id in papers and arxiv_id not in listed:
            paper = papers[arxiv_id]
            interests.append(Interest(paper.title, paper.abstract, f"{name}:{line}", paper.id))
            listed.add(arxiv_id)
        elif arxiv_id not in papers and arxiv_id not in in_bib:
            message = f"paper {arxiv_id} is neither in the archive nor in the BibTeX file"
            warnings.append(Warning_(name, line, message + "; it is left out of For you"))
    by_title = {normalise_title(paper.title): paper.id for paper in papers.values()}
    for title, abstract, bib_id, where in bib:
        known = bib_id if bib_id in papers else by_title.get(normalise_title(title))
        if known is not None:  # the archive's own text, once
            if known not in listed:
                paper = papers[known]
                interests.append(Interest(paper.title, paper.abstract, where, paper.id))
                listed.add(known)
        else:
            interests.append(Interest(title, abstract, where))
    return interests, warnings


def _ids_as_written(root: yaml.Node | None, name: str) -> list[tuple[str, int]]:
    """The ``papers:`` ids from the YAML's nodes, each the text written in the file, and
    its line: an unquoted id reaches here as written, not as the float YAML would make."""
    if not isinstance(root, yaml.MappingNode):
        return []
    value = next(
        (v for k, v in root.value if isinstance(k, yaml.ScalarNode) and k.value == "papers"),
        None,
    )
    if value is None:
        return []
    line = value.start_mark.line + 1
    if isinstance(value, yaml.ScalarNode) and value.tag.endswith(":null"):
        return []
    if not isinstance(value, yaml.SequenceNode):
        raise InputError(name, line, "'papers' must be a list of arXiv ids")
    ids = []
    for item in value.value:
        line = item.start_mark.line + 1
        if not isinstance(item, yaml.ScalarNode) or not item.value.strip():
            raise InputError(name, line, "each of 'papers' must be an arXiv id such as 2305.18290")
        arxiv_id = normalise_arxiv_id(item.value)
        if arxiv_id is not None and not _plausible(arxiv_id):
            arxiv_id = None
        if arxiv_id is None:
            message = f"{item.value!r} is not an arXiv id (such as \"2305.18290\")"
            if not item.style and re.fullmatch(r"\d+\.\d+", item.value):
                message += "; write ids in quotes, as YAML reads 2305.1829 for 2305.18290"
            raise InputError(name, line, message)
        ids.append((arxiv_id, line))
    return ids


def _plausible(arxiv_id: str) -> bool:
    """Whether a new-style id has the digits of its month: four after the dot up to
    December 2014 (``1412.6980``), five from January 2015 (``2305.18290``)."""
    month, dot, number = arxiv_id.partition(".")
    if not dot or "/" in arxiv_id:
        return True
    return len(number) == (5 if month >= "1501" else 4)


def _bibtex_entries(
    content: Path, value: object, name: str, line: int | None
) -> list[tuple[str, str, str | None, str]]:
    """(title, abstract, arXiv id or None, ``file:line``) of each BibTeX entry with a
    title, from the ``bibtex:`` file (relative to ``content``)."""
    if value is None:
        return []
    if not isinstance(value, str) or not value.strip():
        raise InputError(name, line, "'bibtex' must be the name of a file in content/")
    path = (content / value).resolve()
    if not path.is_relative_to(content.resolve()):
        raise InputError(name, line, f"bibtex file {value!r} is outside the content folder")
    if not path.is_file():
        raise InputError(name, line, f"bibtex file {value!r} not found")
    bib_name = (content / value).as_posix()
    text = path.read_text(encoding="utf-8", errors="replace")
    found = []
    for entry in read_bibtex(text, bib_name):
        title = entry.fields.get("title", "")
        if not title:
            continue
        arxiv_id = normalise_arxiv_id(entry.fields.get("eprint", "")) or normalise_arxiv_id(
            entry.fields.get("url", "")
        )
        abstract = entry.fields.get("abstract", "")
        found.append((title, abstract, arxiv_id, f"{bib_name}:{entry.line}"))
    return found
