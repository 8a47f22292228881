"""The discover stage: what a reader of one paper, or of this site, may want next.

- ``similar``: the text model (TF-IDF of title and abstract, scikit-learn) and each paper's
  related papers (the top few of each row of a sparse product, ``sparse_dot_topn``);
- ``interests``, ``bibtex``: ``content/interests.yaml`` and the BibTeX file it names, read
  into ``Interest``s, bad input a ``file:line`` error;
- ``foryou``: the For you ranking, a linear SVM on the same vectors, each suggestion with
  the reason it was made.

It reads the tagged corpus and gives the render stage the related lists and the ranking;
later stages use what this module exports.
"""

from generator.discover.foryou import ForYou, Suggestion, day_suggestions, rank_for_you
from generator.discover.interests import INTERESTS_FILE, Interest, read_interests
from generator.discover.similar import TextModel, related_papers, text_model

__all__ = [
    "INTERESTS_FILE",
    "ForYou",
    "Interest",
    "Suggestion",
    "TextModel",
    "day_suggestions",
    "rank_for_you",
    "read_interests",
    "related_papers",
    "text_model",
]
