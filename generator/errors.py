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


class LineCounter:
    """The line of any offset in one text, for messages that name a line.

    Readers ask for the lines of their items or entries in file order. Counting the
    newlines from the start of the text for each made a file cost time in the square of
    its size (a saved month of 1,000 papers: seconds); counting on from the offset asked
    for last reads the text once over a whole file. An earlier offset counts back, so any
    order gives the right line.
    """

    def __init__(self, text: str) -> None:
        self._text = text
        self._offset = 0
        self._line = 1

    def line(self, offset: int) -> int:
        """The line (from 1) that the character at ``offset`` is on."""
        offset = max(0, min(offset, len(self._text)))
        if offset >= self._offset:
            self._line += self._text.count("\n", self._offset, offset)
        else:
            self._line -= self._text.count("\n", offset, self._offset)
        self._offset = offset
        return self._line


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
