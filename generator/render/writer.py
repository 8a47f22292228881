"""The writer: collects output files and writes them under one folder.

It refuses to write one path twice in a build (two papers whose ids collide must fail
loudly, never overwrite each other), and any path that is absolute, climbs out of the
output folder or is unreasonably long.
"""

from __future__ import annotations

import os
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
        """Write every file under ``folder`` (which should be new and empty). Through
        ``os.open`` and ``os.write``: a site has ten thousand files, and a Python file
        object (``Path.write_bytes``) costs as much again as the system calls."""
        made: set[str] = set()
        root = os.fspath(folder)
        flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0)
        for pure in sorted(self.files):
            target = f"{root}/{pure}"  # a checked relative path (check_output_path)
            parent = target.rpartition("/")[0]
            if parent not in made:  # one mkdir per folder, not per file
                Path(parent).mkdir(parents=True, exist_ok=True)
                made.add(parent)
            data = memoryview(self.files[pure])
            descriptor = os.open(target, flags, 0o666)
            try:
                while data:
                    data = data[os.write(descriptor, data) :]
            finally:
                os.close(descriptor)
