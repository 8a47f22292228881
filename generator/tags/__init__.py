"""Tags: what each paper is about, from two sources.

- **Labels** (``labels``): the tags a language model gave a paper once, each with a quote
  of the paper as its evidence, stored in ``content/labels/``. ``papers label``
  (``generator/fetch/label.py``, a channel like the fetchers) asks for them over the
  contract of ``prompt``; the build only reads them.
- **Rules** (``rules``, ``matching``, ``index``, ``scan``): ``content/tags.yaml``'s keywords
  and patterns, for papers that have no label yet and for sites run with no model.
- ``report``: coverage, balance, precision and recall of either, against tags people gave
  (``scripts/tag_report.py``).

Later stages (the corpus, the pages, ``papers label``) use what this ``__init__`` exports.
"""

from generator.tags.labels import (
    LABELS_DIR,
    TAXONOMIES_FILE,
    Label,
    LabelStore,
    apply_labels,
    label_line,
    month_file,
    read_labels,
    taxonomy_fingerprints,
    taxonomy_key,
)
from generator.tags.matching import MAX_TAGS, Tagger, TagInputs, assign_tags, tag_inputs
from generator.tags.prompt import (
    MAX_INPUT_TOKENS,
    Asked,
    NotAnAnswer,
    batches,
    message_content,
    request_body,
    validate_answer,
)
from generator.tags.rules import TagRule, load_tag_rules

__all__ = [
    "LABELS_DIR",
    "MAX_INPUT_TOKENS",
    "MAX_TAGS",
    "TAXONOMIES_FILE",
    "Asked",
    "Label",
    "LabelStore",
    "NotAnAnswer",
    "TagInputs",
    "TagRule",
    "Tagger",
    "apply_labels",
    "assign_tags",
    "batches",
    "label_line",
    "load_tag_rules",
    "message_content",
    "month_file",
    "read_labels",
    "request_body",
    "tag_inputs",
    "taxonomy_fingerprints",
    "taxonomy_key",
    "validate_answer",
]
