"""Input readers, one small module per file type, chosen by file extension.

Adding a format is one new module and one line in ``READERS``. Every reader takes the
file's path and its path relative to the content folder (for messages) and returns the
papers it lists plus any warnings; unusable input raises ``InputError`` naming the line.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from generator.readers import hf_json, native_yaml, page_dump
from generator.readers.base import ReadResult

Reader = Callable[[Path, str], ReadResult]


READERS: dict[str, Reader] = {
    ".txt": page_dump.read_page_dump,
    ".yaml": native_yaml.read_native_yaml,
    ".yml": native_yaml.read_native_yaml,
    ".json": hf_json.read_hf_json,
}

#: Files under content/ that are configuration, not papers.
CONFIG_FILES = frozenset({"tags.yaml", "tags.yml", "README.md", "fetch-status.json"})


def input_files(content: Path) -> list[Path]:
    """Every input file under ``content``, in a stable order (sorted by relative path)."""
    files = []
    for path in sorted(content.rglob("*")):
        rel = path.relative_to(content)
        if not path.is_file() or any(part.startswith(".") for part in rel.parts):
            continue
        if rel.as_posix() in CONFIG_FILES or path.suffix.lower() not in READERS:
            continue
        files.append(path)
    return files


def read_file(path: Path, content: Path) -> ReadResult:
    name = path.relative_to(content).as_posix() if path.is_relative_to(content) else str(path)
    name = f"{content.name}/{name}" if path.is_relative_to(content) else name
    return READERS[path.suffix.lower()](path, name)
