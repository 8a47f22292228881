"""Reader for page dumps (``.txt``): the text of a Hugging Face papers listing.

Layout: optional header lines, a date line, then title and abstract paragraphs in turn,
separated by blank lines. A paragraph may span several lines. The date line may read
``Jun 6``, ``June 6``, ``Jun 6, 2025`` or ``2025-06-06``; without a year, the year comes
from the file name (``2025-06-06.txt``, ``2025-06-06-anything.txt``). The clock is never
consulted. A trailing title with no abstract is kept, with a warning.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from generator.errors import InputError, Warning_
from generator.model import RawPaper
from generator.readers.base import ReadResult, read_text
from generator.readers.clean import clean_text, extract_links

HEADER_LINES = frozenset(
    {
        "new",
        "get trending papers in your email inbox!",
        "subscribe",
        "byak and the research community",
        "daily papers",
    }
)
_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
#: A longer "title" paragraph is an abstract whose title is missing.
MAX_TITLE_LENGTH = 400
#: A "title" of more words than this that ends in a full stop is an abstract too.
MAX_TITLE_WORDS = 25
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_MONTH_DAY = re.compile(r"^([A-Za-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?$")
_FILE_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:$|[^0-9])")


def file_date(path: Path) -> date | None:
    """The date a file's name starts with (``2025-06-06-anything.txt``), if any."""
    match = _FILE_DATE.match(path.name)
    if not match:
        return None
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def parse_date_line(text: str, path: Path, name: str, line: int) -> date | None:
    """The date a line names, or None if it is not a date line. Raises for a date line
    that names an impossible date or has no year to be had."""
    text = text.strip()
    iso = _ISO_DATE.match(text)
    if iso:
        try:
            return date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
        except ValueError:
            raise InputError(name, line, f"invalid date {text!r}") from None
    match = _MONTH_DAY.match(text)
    if not match or match.group(1).lower() not in _MONTHS:
        return None
    month, day = _MONTHS[match.group(1).lower()], int(match.group(2))
    if match.group(3):
        year = int(match.group(3))
    else:
        from_name = file_date(path)
        if from_name is None:
            raise InputError(
                name,
                line,
                f"date line {text!r} has no year and the file name does not start with "
                "YYYY-MM-DD; write the year in the date line or rename the file",
            )
        year = from_name.year
    try:
        return date(year, month, day)
    except ValueError:
        raise InputError(name, line, f"invalid date {text!r}") from None


def _paragraphs(text: str) -> list[tuple[int, str]]:
    """Blank-line separated paragraphs with the line each starts on."""
    paragraphs: list[tuple[int, str]] = []
    current: list[str] = []
    start = 0
    for number, raw in enumerate(text.split("\n"), start=1):
        if raw.strip():
            if not current:
                start = number
            current.append(raw.strip())
        elif current:
            paragraphs.append((start, " ".join(current)))
            current = []
    if current:
        paragraphs.append((start, " ".join(current)))
    return paragraphs


def _find_day(
    paragraphs: list[tuple[int, str]], path: Path, name: str
) -> tuple[date, int]:
    """The day the dump lists, after any header lines, and the index of the first paper."""
    for index, (line, text) in enumerate(paragraphs):
        if text.strip().lower() in HEADER_LINES:
            continue
        day = parse_date_line(text, path, name, line)
        if day is None:
            raise InputError(
                name,
                line,
                f"expected a date line such as 'Jun 6' or '2025-06-06' before the papers, "
                f"found {text[:60]!r}",
            )
        return day, index + 1
    raise InputError(name, paragraphs[-1][0], "no date line found")


def _check_title(title: str, path: Path, name: str, line: int) -> None:
    """A paragraph in a title's place that reads like an abstract means a missing title:
    the pairing of every later paper would be off by one, so stop."""
    words = len(title.split())
    if len(title) > MAX_TITLE_LENGTH or (words > MAX_TITLE_WORDS and title.endswith(".")):
        raise InputError(
            name,
            line,
            f"a {words}-word paragraph where a title was expected: "
            "an abstract with no title above it?",
        )
    if parse_date_line(title, path, name, line) is not None:
        raise InputError(name, line, "a second date line; put one day in each file")


def read_page_dump(path: Path, name: str) -> ReadResult:
    """Read one page dump; see the module docstring for the layout."""
    result = ReadResult()
    paragraphs = _paragraphs(read_text(path, name))
    if not paragraphs:
        raise InputError(name, 1, "empty file: expected a date line and papers")
    day, first = _find_day(paragraphs, path, name)
    body = paragraphs[first:]
    if not body:
        result.empty_days.append(day)
    for rank, start in enumerate(range(0, len(body), 2)):
        title_line, title = body[start]
        _check_title(title, path, name, title_line)
        title = clean_text(title)
        if not title:
            raise InputError(name, title_line, "a paper with an empty title")
        abstract = clean_text(body[start + 1][1]) if start + 1 < len(body) else ""
        if start + 1 >= len(body):
            result.warnings.append(
                Warning_(name, title_line, f"title {title[:60]!r} has no abstract; kept without")
            )
        result.papers.append(
            RawPaper(
                title=title,
                abstract=abstract,
                day=day,
                source=name,
                line=title_line,
                rank=rank,
                links=extract_links(abstract),
            )
        )
    return result
