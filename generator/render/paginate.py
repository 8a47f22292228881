"""Pagination: one helper cuts any listing into numbered pages and names their URLs.

Page 1 of a listing lives at its base (``tags/llm/``), page *n* at ``<base>page/<n>/``, so
page 1 keeps the URL the listing had before it grew. Templates only render one page; the
links between pages (first, previous, numbered, next, last) come from here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


def page_path(base: str, number: int) -> str:
    """The folder (relative to the site root, ending in ``/``) of page ``number``."""
    return base if number == 1 else f"{base}page/{number}/"


def page_source(base: str, number: int) -> str:
    """The Markdown file served at :func:`page_path`."""
    return f"{page_path(base, number)}index.md"


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a listing."""

    number: int
    """1-based."""
    count: int
    """How many pages the listing has."""
    items: Sequence[T]
    first_index: int
    """Index of ``items[0]`` in the whole listing (0-based), for "papers 51–100 of 230"."""
    total: int
    """Items in the whole listing."""
    base: str

    @property
    def path(self) -> str:
        return page_path(self.base, self.number)

    @property
    def depth(self) -> int:
        """How many folders below the site root this page is served."""
        return self.path.count("/")

    def link(self, number: int) -> str:
        """A relative link from this page to page ``number`` of the same listing."""
        return "../" * self.depth + page_path(self.base, number)

    @property
    def previous(self) -> int | None:
        return self.number - 1 if self.number > 1 else None

    @property
    def next(self) -> int | None:
        return self.number + 1 if self.number < self.count else None


def paginate(items: Sequence[T], per_page: int, base: str) -> list[Page[T]]:
    """``items`` cut into pages of ``per_page``; an empty listing still has one page."""
    if per_page < 1:
        raise ValueError("per_page must be at least 1")
    count = max(1, -(-len(items) // per_page))
    return [
        Page(
            number=n + 1,
            count=count,
            items=items[n * per_page : (n + 1) * per_page],
            first_index=n * per_page,
            total=len(items),
            base=base,
        )
        for n in range(count)
    ]
