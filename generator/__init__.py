"""Turn daily AI paper digests into Markdown pages and feeds for a static site.

The pipeline reads like its data flow: ``readers`` → ``clean`` → ``merge`` → ``tags`` →
``pages`` / ``feeds`` → ``writer`` → ``build``.
"""

__version__ = "0.1.0"
