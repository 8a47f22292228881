"""The site stage: from the rendered files to ``site/``, as separate processes.

- ``search_index``: the search pages Pagefind reads (copies of the paper pages' bodies, in
  memory where it can) and Pagefind's run beside MkDocs;
- ``process``: child processes (MkDocs, Pagefind) run, timed and measured, and reaped
  however the build ends;
- ``compact``: the page compaction the MkDocs hook (``overrides/hooks.py``) applies.

``build`` runs it after the render stage; what it exports is what the build uses.
"""

from generator.site.compact import compact_text
from generator.site.process import Child, run_child, timed
from generator.site.search_index import (
    drop_unused,
    scratch_folder,
    start_index,
    write_search_pages,
)

__all__ = [
    "Child",
    "compact_text",
    "drop_unused",
    "run_child",
    "scratch_folder",
    "start_index",
    "timed",
    "write_search_pages",
]
