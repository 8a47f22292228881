"""Turn daily AI paper digests into Markdown pages and feeds for a static site.

The folder listing is the pipeline, a package a stage in the order of the data:
``readers`` (read, clean, merge) → ``tags`` → ``corpus`` → ``discover`` (related papers,
For you) → ``render`` (pages, feeds, the JSON API) → ``site`` (search pages, MkDocs,
Pagefind) → ``build``, over the shared records (``errors``, ``model``, ``settings``,
``yamlio``); ``fetch`` and ``mail`` are channels of their own, outside the build; ``cli``
is the ``papers`` command.
"""

__version__ = "0.1.0"
