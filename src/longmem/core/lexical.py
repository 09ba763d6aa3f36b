"""Okapi BM25 over a user's memories. Pure: the store supplies the term statistics.

Scored here rather than by each store's full-text engine so that SQLite (FTS5) and PostgreSQL
(tsvector) rank alike: both only propose candidates; this function decides.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from longmem.core.text import term_tuple

# Okapi defaults. On REALTALK (real chats, short messages) k1 in 0.9-1.5 and b in 0.4-0.9
# moved evidence recall@10 by under 0.01; the textbook values stay.
K1 = 1.2
B = 0.75


@dataclass(frozen=True)
class TermStats:
    """Collection statistics of one user's active memories."""

    df: Mapping[str, int]  # memories holding each query term
    documents: int
    average_length: float  # distinct content terms per memory


# A text's words counted, and how many distinct words it has.
Bag = tuple[Mapping[str, int], int]


def bag_of(words: Iterable[str]) -> Bag:
    counts: dict[str, int] = {}
    for w in words:
        counts[w] = counts.get(w, 0) + 1
    return counts, len(counts)


def words_read(speaker: str | None, content: str) -> tuple[str, ...]:
    """What BM25 reads of a memory: its words and, for a turn, who said it."""
    return with_speaker(term_tuple(content), speaker)


def with_speaker(terms: Sequence[str], speaker: str | None) -> tuple[str, ...]:
    """A text's content terms and its speaker's: `words_read` of terms already stemmed."""
    return (*terms, *term_tuple(speaker)) if speaker else tuple(terms)


@dataclass(frozen=True)
class Document:
    """What BM25 needs of one document for one query: the query terms' frequencies in it and
    its length in distinct terms."""

    tf: Mapping[str, int]
    length: int

    @classmethod
    def of(cls, terms: Iterable[str], query: frozenset[str]) -> Document:
        words = terms if isinstance(terms, tuple) else tuple(terms)
        tf: dict[str, int] = {}
        for t in words:
            if t in query:
                tf[t] = tf.get(t, 0) + 1
        return cls(tf, len(set(words)))


def idf(df: int, documents: int) -> float:
    """BM25's inverse document frequency of a term held by `df` of `documents`."""
    return math.log(1.0 + (documents - df + 0.5) / (df + 0.5))


def bm25(
    query_terms: Iterable[str],
    document: Document,
    stats: TermStats,
    *,
    length_scale: float = 1.0,
) -> float:
    """BM25 of one document. `length_scale` is how many memories the document stands for (a
    turn read with its neighbours is several), so its length is normalised against as many
    average memories."""
    average = max(1.0, stats.average_length * length_scale)
    norm = K1 * (1.0 - B + B * document.length / average)
    score = 0.0
    for term in set(query_terms):
        tf = document.tf.get(term, 0)
        if tf:
            score += idf(stats.df.get(term, 0), stats.documents) * tf * (K1 + 1.0) / (tf + norm)
    return score


def term_counts(
    bags: Iterable[Bag], terms: Sequence[str]
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Each bag's count of each of `terms` (one row per bag, `terms` distinct) and its length in
    distinct terms: what `bm25_rows` scores."""
    column = {t: i for i, t in enumerate(terms)}
    lengths: list[int] = []
    at: list[tuple[int, int]] = []
    found: list[int] = []
    # Most bags hold none of a question's few terms: meeting the two key sets costs one pass
    # over the smaller, where asking each bag for each term cost a Python call per pair.
    for row, (words, length) in enumerate(bags):
        lengths.append(length)
        for term in words.keys() & column.keys():
            at.append((row, column[term]))
            found.append(words[term])
    counts = np.zeros((len(lengths), len(terms)), dtype=np.float64)
    if at:
        rows, columns = zip(*at, strict=True)
        counts[list(rows), list(columns)] = found
    return counts, np.array(lengths, dtype=np.float64)


def windows(
    turns: Sequence[int],
    counts: npt.NDArray[np.float64],
    lengths: npt.NDArray[np.float64],
    centres: Sequence[int],
    width: int,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.intp]]:
    """Rows summed over the turns within `width` of each centre: counts, lengths and how many
    turns each window holds. `turns` must be sorted ascending and name each row's turn (a turn
    spread over several rows is several rows; its window counts it once)."""
    order = np.asarray(turns, dtype=np.int64)
    at = np.asarray(centres, dtype=np.int64)
    low = np.searchsorted(order, at - width, side="left")
    high = np.searchsorted(order, at + width, side="right")
    summed = np.vstack([np.zeros((1, counts.shape[1])), np.cumsum(counts, axis=0)])
    total = np.concatenate([[0.0], np.cumsum(lengths)])
    distinct = np.concatenate([[0], np.cumsum(np.diff(order, prepend=order[:1] - 1) != 0)])
    return summed[high] - summed[low], total[high] - total[low], distinct[high] - distinct[low]


def bm25_rows(
    counts: npt.NDArray[np.float64],
    lengths: npt.NDArray[np.float64],
    terms: Sequence[str],
    stats: TermStats,
    *,
    length_scale: npt.NDArray[np.float64] | float = 1.0,
) -> npt.NDArray[np.float64]:
    """`bm25` of many documents at once, from `term_counts`' rows (`terms` distinct)."""
    weights = np.array([idf(stats.df.get(t, 0), stats.documents) for t in terms], dtype=np.float64)
    average = np.maximum(1.0, stats.average_length * np.asarray(length_scale, dtype=np.float64))
    norm = K1 * (1.0 - B + B * lengths / average)
    return (weights * counts * (K1 + 1.0) / (counts + norm[:, None])).sum(axis=1)  # type: ignore[no-any-return]
