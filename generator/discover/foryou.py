"""For you: the archive's papers ranked for the site's owners, from what they read
(``content/interests.yaml``, :mod:`generator.discover.interests`).

The ranking is arxiv-sanity's: a linear SVM on the TF-IDF vectors of
:mod:`generator.discover.similar`,
trained with the interests as the positive class and every other paper of the archive as the
negative one (weighted to balance the two), scores each paper by how far it lies on the
interests' side. A paper that is one of the interests is not suggested.

Each suggestion says why: "like “Title”" when one paper of the interests is close to it
(cosine at least :data:`LIKE_AT`), else the words it shares with the interests that weigh most
in both.

The page ``/for-you/`` ranks the papers of the newest ``for_you_days`` calendar days (the
newest day with papers and the days before it) as one list; the feeds hold the
``for_you_top`` best of every day.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import scipy.sparse as sp

from generator.discover.interests import Interest
from generator.discover.similar import CATEGORY_WORD, TextModel, text_of
from generator.model import Paper

#: Cosine from which a suggestion is "like" the nearest paper of the interests.
LIKE_AT = 0.2
#: How many shared words a reason names.
REASON_WORDS = 3
#: The SVM's regularisation (arxiv-sanity-lite's value); scripts/similar_quality.py
#: measures the ranking with it.
SVM_C = 0.01


@dataclass(frozen=True)
class Suggestion:
    paper: Paper
    score: float
    like: Interest | None
    """The interest it is close to, or None: then ``words`` say why."""
    words: tuple[str, ...] = ()

    @property
    def reason(self) -> str:
        """The reason as plain text (pages write ``like`` in italics)."""
        if self.like is not None:
            return f"like “{self.like.title}”"
        if self.words:
            return "shares " + ", ".join(f"“{word}”" for word in self.words) + " with your list"
        return "ranked by the words of your list"


@dataclass(frozen=True)
class ForYou:
    interests: tuple[Interest, ...]
    window: tuple[date, date] | None
    """The first and last day of the page's window; None when the archive has no papers."""
    ranked: tuple[Suggestion, ...]
    """The window's papers, best first."""
    daily: tuple[Paper, ...]
    """The ``for_you_top`` best papers of each day of the archive, for the feeds."""


def scores(model: TextModel, interests: list[Interest]) -> np.ndarray:
    """Each paper's score (``model.papers`` order): the SVM's decision value, higher is
    closer to the interests; all zero without interests."""
    count = len(model.papers)
    if not interests or model.vectors.shape[1] == 0 or count == 0:
        return np.zeros(count)
    rows, outside = _rows_and_others(model, interests)
    labels = np.zeros(count, dtype=np.int8)
    labels[[row for row in rows if row is not None]] = 1
    features = sp.vstack([model.vectors, outside]).tocsr()
    labels = np.concatenate([labels, np.ones(outside.shape[0], dtype=np.int8)])
    if labels.min() == labels.max():  # every paper is an interest: nothing to tell apart
        return np.zeros(count)
    from sklearn.svm import LinearSVC  # where it is used: scikit-learn is slow to import

    svm = LinearSVC(C=SVM_C, class_weight="balanced", max_iter=10_000, tol=1e-6, random_state=0)
    svm.fit(features, labels)
    return np.asarray(svm.decision_function(model.vectors), dtype=np.float64)


def best_first(
    model: TextModel, interests: list[Interest], values: np.ndarray, papers: list[Paper]
) -> list[tuple[float, Paper]]:
    """``papers`` but the interests, by score (:func:`scores`), best first, ties by id."""
    rows = model.row_of
    own = {interest.paper_id for interest in interests}
    found = [(round(float(values[rows[p.id]]), 6), p) for p in papers if p.id not in own]
    return sorted(found, key=lambda pair: (-pair[0], pair[1].id))


def day_suggestions(
    model: TextModel, interests: list[Interest], papers: list[Paper], count: int
) -> list[Suggestion]:
    """The ``count`` best of one day's ``papers``, each with its reason (the mail's)."""
    values = scores(model, interests)
    return _explained(model, interests, best_first(model, interests, values, papers)[:count])


def rank_for_you(
    model: TextModel,
    interests: list[Interest],
    days: dict[date, list[Paper]],
    window_days: int,
    top_per_day: int,
) -> ForYou:
    """The For you ranking of the archive (``days``: its papers by day)."""
    values = scores(model, interests)

    def ranked(papers: list[Paper]) -> list[tuple[float, Paper]]:
        return best_first(model, interests, values, papers)

    newest = max((day for day, papers in days.items() if papers), default=None)
    window = None
    suggestions: list[Suggestion] = []
    if newest is not None:
        first = newest - timedelta(days=window_days - 1)
        window = (first, newest)
        seen: dict[str, Paper] = {}
        for day, papers in days.items():
            if first <= day <= newest:
                seen.update((p.id, p) for p in papers)
        best = ranked(list(seen.values()))
        suggestions = _explained(model, interests, best)
    daily: dict[str, Paper] = {}
    for papers in days.values():
        for _, paper in ranked(papers)[:top_per_day]:
            daily.setdefault(paper.id, paper)
    return ForYou(tuple(interests), window, tuple(suggestions), tuple(daily.values()))


def _explained(
    model: TextModel, interests: list[Interest], best: list[tuple[float, Paper]]
) -> list[Suggestion]:
    """``best`` as suggestions, each with its reason."""
    if not best:
        return []
    rows = model.row_of
    papers = model.vectors[[rows[paper.id] for _, paper in best]]
    liked = interest_vectors(model, interests)
    cosines = (papers @ liked.T).toarray()  # a paper's vector by each interest's
    centre = np.asarray(liked.sum(axis=0)).ravel()
    out = []
    for index, (score, paper) in enumerate(best):
        nearest = int(np.argmax(cosines[index])) if len(interests) else 0
        if len(interests) and cosines[index, nearest] >= LIKE_AT:
            out.append(Suggestion(paper, score, interests[nearest]))
            continue
        row = papers.getrow(index)
        weights = row.data * centre[row.indices]
        order = sorted(
            (i for i in range(len(weights)) if weights[i] > 0),
            key=lambda i: (-round(float(weights[i]), 6), int(row.indices[i])),
        )
        words = [w for w in model.words([int(row.indices[i]) for i in order]) if is_word(w)]
        words = [as_written(word, paper) for word in words[:REASON_WORDS]]
        out.append(Suggestion(paper, score, None, tuple(words)))
    return out


def is_word(term: str) -> bool:
    """Whether a term of the model is a word of the texts (not an arXiv category's)."""
    return not term.startswith(CATEGORY_WORD)


def _rows_and_others(
    model: TextModel, interests: list[Interest]
) -> tuple[list[int | None], sp.csr_matrix]:
    """Each interest's row in the model (None for one outside the archive), and the
    vectors of the texts of those outside, in order."""
    rows = [model.row_of.get(interest.paper_id or "") for interest in interests]
    texts = [
        text_of(i.title, i.abstract) for i, row in zip(interests, rows, strict=True) if row is None
    ]
    return rows, model.embed(texts)


def interest_vectors(model: TextModel, interests: list[Interest]) -> sp.csr_matrix:
    """The interests' vectors, in order: an archive paper's own row, else its text's."""
    rows, others = _rows_and_others(model, interests)
    if not interests:
        return others
    embedded = iter(others)
    return sp.vstack([
        model.vectors[row] if row is not None else next(embedded) for row in rows
    ]).tocsr()  # fmt: skip


def as_written(word: str, paper: Paper) -> str:
    """``word`` (lower case, accents folded, as the model has it) as the paper writes it
    ("RLHF", "Transformer"), where its title or abstract has it as it is."""
    found = re.search(rf"\b{re.escape(word)}\b", f"{paper.title} {paper.abstract}", re.IGNORECASE)
    return found.group(0) if found else word
