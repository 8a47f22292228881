"""Related papers: for each paper, the papers of the archive nearest to it by the words of
its title and abstract.

The text model is scikit-learn's TF-IDF (:func:`text_model`): words of two letters or more,
accents folded, English stop words and words of a single paper dropped, sublinear term
counts, each paper's vector scaled to length 1, so that the dot product of two vectors is
their cosine similarity. The title counts twice: it says what the paper is about in the
fewest words. A paper's arXiv categories, where it has them (papers fetched from arXiv),
count as words too, its primary category twice: on real arXiv papers they raise the share
of related papers in the paper's own primary category from 0.50 to 0.56. Nothing else is
read (Hugging Face keywords repeat the abstract's words), and nothing is required: a paper
of any source, with a title and an abstract, gets its neighbours.

:func:`related_papers` takes, for every paper, the ``count`` others of highest cosine, ties
broken by id, so a rebuild gives the same lists. Their scores come from one sparse product
of the vectors with themselves, of which ``sparse_dot_topn`` keeps only the top few of each
row (the whole product of 20,000 papers would be 400 million numbers). A paper that shares
no word with any other has no related papers.

How good the lists are is measured by ``scripts/similar_quality.py`` (BENCHMARKS.md): a
related paper shares Hugging Face keywords with its paper several times as often as a random
paper does, and on arXiv papers it is mostly of the paper's own primary category.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np
import scipy.sparse as sp

from generator.model import Paper

if TYPE_CHECKING:  # scikit-learn is imported where it is used: it takes most of a second
    from sklearn.feature_extraction.text import TfidfVectorizer

#: Threads of the sparse product: the machines this is built on have two cores.
THREADS = 2
#: Extra neighbours asked of the product beyond ``count``, so that ties at the cut can
#: still be broken by id.
SPARE = 5


@dataclass(frozen=True)
class TextModel:
    """The papers' TF-IDF vectors (row ``i`` is ``papers[i]``, papers in id order) and the
    vectorizer that made them, which gives the vectors of other texts in the same terms."""

    papers: tuple[Paper, ...]
    vectors: sp.csr_matrix
    vectorizer: TfidfVectorizer | None
    """None when the papers have no word in common: every vector is then empty."""

    @cached_property
    def row_of(self) -> dict[str, int]:
        """Each paper's row, by id."""
        return {paper.id: index for index, paper in enumerate(self.papers)}

    def embed(self, texts: Sequence[str]) -> sp.csr_matrix:
        """The vectors of ``texts`` (from :func:`text_of`), in the papers' terms."""
        if self.vectorizer is None or not texts:
            return sp.csr_matrix((len(texts), self.vectors.shape[1]), dtype=np.float32)
        return self.vectorizer.transform(texts).tocsr()

    @cached_property
    def vocabulary(self) -> tuple[str, ...]:
        """The model's words, by column."""
        if self.vectorizer is None:
            return ()
        return tuple(str(word) for word in self.vectorizer.get_feature_names_out())

    def words(self, columns: Sequence[int]) -> list[str]:
        return [self.vocabulary[column] for column in columns]


def text_of(title: str, abstract: str, categories: Sequence[str] = ()) -> str:
    """The text a paper is known by: its title twice, its abstract, and a word for each of
    its arXiv categories (``arxivcatcslg`` for cs.LG), the first (the primary) twice."""
    words = [CATEGORY_WORD + re.sub(r"[^a-z0-9]", "", c.lower()) for c in categories]
    return f"{title}. {title}. {abstract} " + " ".join(words[:1] + words)


#: What a category's word starts with: no word of a title or abstract does.
CATEGORY_WORD = "arxivcat"


def text_model(papers: Sequence[Paper]) -> TextModel:
    """The TF-IDF model of ``papers``, which it orders by id."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    ordered = tuple(sorted(papers, key=lambda paper: paper.id))
    texts = [text_of(paper.title, paper.abstract, paper.categories) for paper in ordered]
    vectorizer = TfidfVectorizer(
        strip_accents="unicode",
        stop_words="english",
        min_df=2 if len(texts) > 2 else 1,
        sublinear_tf=True,
        dtype=np.float32,
    )
    try:
        vectors = vectorizer.fit_transform(texts).tocsr()
    except ValueError:  # no word left in any text (no papers, or only stop words)
        return TextModel(ordered, sp.csr_matrix((len(texts), 0), dtype=np.float32), None)
    return TextModel(ordered, vectors, vectorizer)


def nearest(
    queries: sp.csr_matrix, model: TextModel, count: int, skip_self: bool = False
) -> list[list[tuple[int, float]]]:
    """For each row of ``queries``, the ``count`` papers of ``model`` of highest cosine
    (above 0), as (row, score), best first, ties by id (row order). With ``skip_self``,
    query ``i`` is paper ``i`` and is left out of its own list."""
    from sparse_dot_topn import sp_matmul_topn

    if queries.shape[0] == 0 or model.vectors.shape[1] == 0 or count < 1:
        return [[] for _ in range(queries.shape[0])]
    top = count + SPARE + (1 if skip_self else 0)
    product = sp_matmul_topn(
        queries, model.vectors.T.tocsr(), top_n=top, n_threads=THREADS
    ).tocsr()
    found = []
    for row in range(queries.shape[0]):
        start, end = product.indptr[row], product.indptr[row + 1]
        columns, values = product.indices[start:end], product.data[start:end]
        pairs = [
            (int(column), float(score))
            for column, score in zip(columns, values, strict=True)
            if score > 0 and not (skip_self and column == row)
        ]
        # Scores rounded for the order: a tie is a tie whatever the last bit of a sum.
        pairs.sort(key=lambda pair: (-round(pair[1], 6), pair[0]))
        found.append(pairs[:count])
    return found


def related_papers(model: TextModel, count: int) -> dict[str, tuple[Paper, ...]]:
    """Each paper's ``count`` most similar papers of the model, best first."""
    papers = model.papers
    lists = nearest(model.vectors, model, count, skip_self=True)
    return {
        paper.id: tuple(papers[row] for row, _ in pairs)
        for paper, pairs in zip(papers, lists, strict=True)
    }
