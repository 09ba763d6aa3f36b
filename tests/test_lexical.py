"""Okapi BM25: one document at a time, and many at once (what a search scores its candidates
and their neighbourhoods with) giving the same figures."""

import math

import numpy as np
import pytest

from longmem.core.lexical import (
    Document,
    TermStats,
    bag_of,
    bm25,
    bm25_rows,
    term_counts,
    windows,
)

STATS = TermStats({"kayak": 3, "lake": 10, "paddl": 1}, documents=200, average_length=6.0)
TERMS = ("kayak", "lake", "paddl")
TURNS = [
    (1, "went out on the lake".split()),
    (2, "the kayak tipped over on the lake lake".split()),
    (2, "second chunk of turn two about a kayak".split()),
    (4, "nothing to see here".split()),
    (5, "paddl the kayak".split()),
    (9, "far away lake".split()),
]


def test_a_rare_term_outweighs_a_common_one():
    rare = bm25(TERMS, Document.of(["paddl", "x"], frozenset(TERMS)), STATS)
    common = bm25(TERMS, Document.of(["lake", "x"], frozenset(TERMS)), STATS)
    assert rare > common > 0


def test_a_document_without_the_terms_scores_zero():
    assert bm25(TERMS, Document.of(["tea"], frozenset(TERMS)), STATS) == 0.0


def test_many_documents_score_as_each_alone():
    bags = [bag_of(words) for _, words in TURNS]
    counts, lengths = term_counts(bags, TERMS)
    together = bm25_rows(counts, lengths, TERMS, STATS)
    alone = [bm25(TERMS, Document.of(words, frozenset(TERMS)), STATS) for _, words in TURNS]
    assert together.tolist() == pytest.approx(alone, rel=1e-12)


def test_no_query_terms_scores_every_document_zero():
    counts, lengths = term_counts([bag_of(["lake"])], ())
    assert bm25_rows(counts, lengths, (), STATS).tolist() == [0.0]


def _merged(centre: int, width: int) -> tuple[Document | None, int]:
    """A turn read with its neighbours the slow way: each chunk's counts and distinct-term
    length added up."""
    tf: dict[str, int] = {}
    length, seen = 0, set()
    for turn, words in TURNS:
        if abs(turn - centre) <= width:
            chunk = Document.of(words, frozenset(TERMS))
            for term, n in chunk.tf.items():
                tf[term] = tf.get(term, 0) + n
            length += chunk.length
            seen.add(turn)
    return (Document(tf, length) if seen else None), len(seen)


@pytest.mark.parametrize("centre", [1, 2, 3, 5, 9, 20])
def test_a_window_scores_as_its_turns_added_up(centre):
    counts, lengths = term_counts([bag_of(w) for _, w in TURNS], TERMS)
    summed, length, n = windows([t for t, _ in TURNS], counts, lengths, [centre], 2)
    merged, turns = _merged(centre, 2)
    assert int(n[0]) == turns  # a turn of two chunks is one turn of the window
    if merged is None:
        assert length[0] == 0
        return
    expected = bm25(TERMS, merged, STATS, length_scale=turns)
    got = bm25_rows(summed, length, TERMS, STATS, length_scale=np.maximum(n, 1))
    assert math.isclose(float(got[0]), expected, rel_tol=1e-12)
