"""Errors and warnings that point at an input file and line."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class InputError(Exception):
    """Bad input: the build stops with ``path:line: message`` and exit code 1."""

    def __init__(self, path: Path | str, line: int | None, message: str) -> None:
        self.path = str(path)
        self.line = line
        self.message = message
        super().__init__(str(self))

    def __reduce__(self) -> tuple[type[InputError], tuple[str, int | None, str]]:
        # Pickled whole (from a forked reader, generator/site/process.py), not as its text.
        return (InputError, (self.path, self.line, self.message))

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


class BuildError(Exception):
    """A build step other than reading input failed (MkDocs, a duplicate output path)."""


@dataclass(frozen=True)
class Warning_:
    """Something odd but usable in the input; reported in the build summary."""

    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: warning: {self.message}"
