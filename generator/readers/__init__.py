"""The read stage: ``content/`` in, one cleaned ``Paper`` per paper out.

- Input readers, one small module per file type, chosen by file extension. Adding a format
  is one new module and one line in ``READERS``. Every reader takes the file's path and its
  path relative to the content folder (for messages) and returns the papers it lists plus
  any warnings; unusable input raises ``InputError`` naming the line.
- ``clean``: the text cleaning every reader applies (LaTeX residue, quotes, doubled URLs,
  invalid characters), URL checks and arXiv ids.
- ``merge``: one ``Paper`` per paper across files and days, with its stable id.

Later stages use what this module exports.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from generator.errors import InputError, Warning_
from generator.readers import hf_json, native_yaml, page_dump
from generator.readers.base import ReadResult, read_text
from generator.readers.clean import (
    clean_text,
    extract_links,
    normalise_arxiv_id,
    normalise_title,
)
from generator.readers.hf_json import item_day
from generator.readers.merge import MergeResult, merge_papers

__all__ = [
    "READERS",
    "MergeResult",
    "ReadResult",
    "clean_text",
    "extract_links",
    "input_files",
    "item_day",
    "merge_papers",
    "normalise_arxiv_id",
    "normalise_title",
    "read_file",
    "read_text",
]

Reader = Callable[[Path, str], ReadResult]


READERS: dict[str, Reader] = {
    ".txt": page_dump.read_page_dump,
    ".yaml": native_yaml.read_native_yaml,
    ".yml": native_yaml.read_native_yaml,
    ".json": hf_json.read_hf_json,
}

#: Files under content/ that are configuration, not papers.
CONFIG_FILES = frozenset(
    {"tags.yaml", "tags.yml", "README.md", "fetch-status.json", "email-sent.json",
     "interests.yaml"}
)
#: Extensions of files under content/ that are configuration: BibTeX libraries, which
#: ``interests.yaml`` names (``generator/discover/interests.py``).
CONFIG_SUFFIXES = frozenset({".bib"})
#: Folders under content/ that hold no papers: the language model's labels, which the tag
#: step reads (``generator/tags/labels.py``).
NOT_PAPER_FOLDERS = frozenset({"labels"})


def input_files(content: Path) -> tuple[list[Path], list[Warning_]]:
    """Every input file under ``content`` in a stable order (sorted by relative path), and
    a warning for each file no reader takes (a typo such as ``.ymal`` must not make a day
    vanish silently). Hidden files and folders are skipped."""
    files: list[Path] = []
    warnings: list[Warning_] = []
    for path in sorted(content.rglob("*")):
        rel = path.relative_to(content)
        if not path.is_file() or any(part.startswith(".") for part in rel.parts):
            continue
        if rel.as_posix() in CONFIG_FILES or path.suffix.lower() in CONFIG_SUFFIXES:
            continue
        if rel.parts[0] in NOT_PAPER_FOLDERS:
            continue
        if path.suffix.lower() not in READERS:
            known = ", ".join(sorted(READERS))
            warnings.append(
                Warning_(
                    path.as_posix(),
                    None,
                    f"no reader for this file type (readers: {known}); skipped",
                )
            )
            continue
        files.append(path)
    return files, warnings


def read_file(path: Path) -> ReadResult:
    """Read one input file with the reader for its extension. Input nested too deeply for
    the parsers becomes an ``InputError`` like any other bad file."""
    name = path.as_posix()  # under the content folder as the user gave it
    try:
        return READERS[path.suffix.lower()](path, name)
    except RecursionError:
        raise InputError(name, None, "nested too deeply to read") from None
