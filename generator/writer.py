"""The writer: collects output files and writes them under one folder.

It refuses to write one path twice in a build (two papers whose ids collide must fail
loudly, never overwrite each other), and any path that is absolute, climbs out of the
output folder or is unreasonably long.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

from generator.errors import BuildError

MAX_PATH_LENGTH = 200
MAX_SEGMENT_LENGTH = 100
_SAFE_SEGMENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def check_output_path(path: str) -> PurePosixPath:
    """``path`` as a safe relative path, or ``BuildError``."""
    pure = PurePosixPath(path)
    if (
        not path
        or str(pure) != path
        or pure.is_absolute()
        or len(path) > MAX_PATH_LENGTH
        or any(
            part in (".", "..") or not _SAFE_SEGMENT.match(part) or len(part) > MAX_SEGMENT_LENGTH
            for part in pure.parts
        )
    ):
        raise BuildError(f"refusing to write unsafe output path {path!r}")
    return pure


class Writer:
    """Output files of one build, by path relative to the output folder."""

    def __init__(self) -> None:
        self.files: dict[PurePosixPath, bytes] = {}

    def add(self, path: str, content: str | bytes) -> None:
        pure = check_output_path(path)
        if pure in self.files:
            raise BuildError(f"two outputs want the same path {path!r}")
        self.files[pure] = content.encode("utf-8") if isinstance(content, str) else content

    def write_to(self, folder: Path) -> None:
        """Write every file under ``folder`` (which should be new and empty)."""
        made: set[Path] = set()
        for pure in sorted(self.files):
            target = folder.joinpath(*pure.parts)
            if target.parent not in made:  # one mkdir per folder, not per file
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            target.write_bytes(self.files[pure])
