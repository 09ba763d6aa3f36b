"""The in-memory index's nearest-neighbour reads, which reconciliation makes at write time."""

from __future__ import annotations

import threading

import numpy as np

from longmem.store.index import SEMANTIC, IndexRow, UserIndex, nearest_in_transaction


def _fact(memory_id: str, content: str, direction: int) -> IndexRow:
    vector = np.zeros(4, dtype=np.float32)
    vector[direction] = 1.0
    return IndexRow(memory_id, "semantic", "fact", content, vector, slot=None, source_turn=1)


def _index(*rows: IndexRow) -> UserIndex:
    index = UserIndex(4)
    for row in rows:
        index.add(row)
    return index


QUERY = np.array([1.0, 0.0, 0.0, 0.0], dtype=np.float32)


def test_facts_holding_every_named_term_are_found_however_far_in_meaning():
    index = _index(
        _fact("near", "User drives a Toyota", 0),
        _fact("far", "User's phone is a Samsung Galaxy", 1),
        _fact("half", "User wants a Samsung TV", 2),
    )
    found = index.nearest(QUERY, 10, flags=SEMANTIC, containing=frozenset({"samsung", "galaxi"}))
    assert [m for m, _ in found] == ["far"]
    assert next(m for m, _ in index.nearest(QUERY, 10, flags=SEMANTIC)) == "near"
    assert index.nearest(QUERY, 10, flags=SEMANTIC, containing=frozenset({"nokia"})) == []


def test_a_removed_fact_is_not_found_by_its_terms():
    index = _index(_fact("gone", "User's phone is a Samsung", 1))
    index.remove("gone")
    assert index.nearest(QUERY, 10, flags=SEMANTIC, containing=frozenset({"samsung"})) == []


def test_a_fact_written_earlier_in_the_transaction_is_found_by_its_terms():
    index = _index(_fact("old", "User drives a Toyota", 0))
    written = {"new": _fact("new", "User's phone is a Samsung", 1)}
    found = nearest_in_transaction(
        index, threading.RLock(), dict(written), QUERY, 10, SEMANTIC, None, frozenset({"samsung"})
    )
    assert [m for m, _ in found] == ["new"]
