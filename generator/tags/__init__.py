"""Tags: what each paper is about, from two sources.

- **Labels** (``labels``): the tags a language model gave a paper once, each with a quote
  of the paper as its evidence, stored in ``content/labels/``. ``papers label``
  (``labeller``) asks for them over the contract of ``prompt``; the build only reads them.
- **Rules** (``rules``, ``matching``, ``index``, ``scan``): ``content/tags.yaml``'s keywords
  and patterns, for papers that have no label yet and for sites run with no model.
- ``report``: coverage, balance, precision and recall of either, against tags people gave
  (``scripts/tag_report.py``).

The build's read step uses what this ``__init__`` exports; ``labeller`` is a command of its
own, outside the build, like the fetchers.
"""

from generator.tags.labels import LabelStore, apply_labels, read_labels
from generator.tags.matching import MAX_TAGS, Tagger, TagInputs, assign_tags, tag_inputs
from generator.tags.rules import TagRule, load_tag_rules

__all__ = [
    "MAX_TAGS",
    "LabelStore",
    "TagInputs",
    "TagRule",
    "Tagger",
    "apply_labels",
    "assign_tags",
    "load_tag_rules",
    "read_labels",
    "tag_inputs",
]
