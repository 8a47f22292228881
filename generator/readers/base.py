"""What every reader shares: the result record and how a file's text is read."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from generator.errors import InputError, Warning_
from generator.model import RawPaper


@dataclass
class ReadResult:
    papers: list[RawPaper] = field(default_factory=list)
    warnings: list[Warning_] = field(default_factory=list)
    empty_days: list[date] = field(default_factory=list)
    """Days a file lists with no papers (a weekend): shown as 'no papers listed that day'."""
    dropped: int = 0
    """Papers the file lists but that could not be used (each has a warning)."""


def read_text(path: Path, name: str) -> str:
    """A file's text as UTF-8 (a BOM is dropped, CRLF becomes LF); a clear error otherwise."""
    data = path.read_bytes()
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise InputError(name, line, "binary data (NUL byte); expected UTF-8 text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(name, line, f"not valid UTF-8 (byte 0x{data[exc.start]:02x})") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")
