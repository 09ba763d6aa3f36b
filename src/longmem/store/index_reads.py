"""The reads a search makes, answered from the user's in-memory index: shared by the SQLite
store (whose index its own commits keep current) and the PostgreSQL store (whose index is
brought up to date from the user's write counter, `postgres_index`)."""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from typing import Protocol

import numpy as np

from longmem.core.lexical import TermStats
from longmem.models import MemoryRecord
from longmem.store.base import MemoryFilter, TurnText, Vector
from longmem.store.index import (
    CURRENT,
    SEMANTIC,
    USER_TURN,
    IndexRow,
    Retired,
    UserIndex,
    nearest_in_transaction,
)


class _Locked(Protocol):
    @property
    def lock(self) -> threading.RLock: ...


def _labels(flt: MemoryFilter) -> tuple[frozenset[str] | None, frozenset[str] | None]:
    kinds = frozenset(k.value for k in flt.kinds) if flt.kinds else None
    types = frozenset(t.value for t in flt.types) if flt.types else None
    return kinds, types


class IndexedReads:
    """A store's search reads; the store gives `_index` and `_indexes` (whose lock guards
    every index of the process)."""

    _indexes: _Locked
    dimension: int

    def _index(self, tenant_id: str, user_id: str) -> UserIndex:
        raise NotImplementedError

    def _stored_vectors(
        self, tenant_id: str, user_id: str, memory_ids: Sequence[str]
    ) -> dict[str, Vector]:
        """The table's vectors of the given memories, in any status; unknown ids left out."""
        raise NotImplementedError

    def vectors(self, tenant_id: str, user_id: str, memory_ids: Sequence[str]) -> Vector:
        if not memory_ids:
            return np.zeros((0, self.dimension), dtype=np.float32)
        index = self._index(tenant_id, user_id)
        with self._indexes.lock:
            if all(m in index.position for m in memory_ids):
                return index.matrix[[index.position[m] for m in memory_ids]].copy()
        # A write committed since the caller chose these ids (a search racing the extraction
        # of the user's newest turn): the superseded memory is read from the table, and one
        # erased meanwhile is a zero row, similar to nothing.
        stored = self._stored_vectors(tenant_id, user_id, memory_ids)
        none = np.zeros(self.dimension, dtype=np.float32)
        return np.vstack([stored.get(m, none) for m in memory_ids]).astype(np.float32)

    def dense_search(
        self, tenant_id: str, user_id: str, vector: Vector, limit: int, flt: MemoryFilter
    ) -> list[tuple[str, float]]:
        index = self._index(tenant_id, user_id)
        with self._indexes.lock:
            return index.search(vector, limit, *_labels(flt))

    def _indexed_lexical(
        self, tenant_id: str, user_id: str, terms: Sequence[str], limit: int, flt: MemoryFilter
    ) -> list[tuple[str, float]]:
        """Active memories by BM25 over the index's postings: the words a memory is found by
        are the words it is scored by (FTS5 took 3 ms a search for one user holding
        REALTALK, 11 ms for the slowest 5%)."""
        index = self._index(tenant_id, user_id)
        with self._indexes.lock:
            return index.lexical(terms, limit, *_labels(flt))

    def cosines(
        self, tenant_id: str, user_id: str, vector: Vector, memory_ids: Sequence[str]
    ) -> dict[str, float]:
        if not memory_ids:
            return {}
        index = self._index(tenant_id, user_id)
        with self._indexes.lock:
            return index.cosines(vector, list(memory_ids))

    def speakers(self, tenant_id: str, user_id: str) -> frozenset[str]:
        index = self._index(tenant_id, user_id)
        with self._indexes.lock:
            return frozenset(s for s, n in index.speakers.items() if n > 0)

    def term_statistics(self, tenant_id: str, user_id: str, terms: Sequence[str]) -> TermStats:
        index = self._index(tenant_id, user_id)
        with self._indexes.lock:
            live = index.live_count
            return TermStats(
                {t: max(0, index.df.get(t, 0)) for t in terms},
                live,
                index.term_total / live if live else 0.0,
            )

    def turn_texts(self, tenant_id: str, user_id: str, turns: Sequence[int]) -> list[TurnText]:
        if not turns:
            return []
        index = self._index(tenant_id, user_id)
        with self._indexes.lock:
            return index.turn_texts(turns)

    def slots(self, tenant_id: str, user_id: str) -> list[tuple[str, str]]:
        index = self._index(tenant_id, user_id)
        with self._indexes.lock:
            return list(index.slots.items())

    def stale_turns(
        self, tenant_id: str, user_id: str, turns: Sequence[int] | None = None
    ) -> set[int]:
        index = self._index(tenant_id, user_id)
        with self._indexes.lock:
            return index.stale_turns(index.superseded_turns if turns is None else turns)


class NeighbourReads:
    """A write transaction's nearest-neighbour reads, which reconciliation makes: the user's
    committed index with what the transaction wrote laid over it (SQL scans of every vector
    took 24-40 ms an ingest for one user holding REALTALK), then the chosen records read
    inside the transaction. The transaction gives the three hooks."""

    def _committed(self, tenant_id: str, user_id: str) -> tuple[UserIndex, threading.RLock]:
        raise NotImplementedError

    def _written(self, tenant_id: str, user_id: str) -> Mapping[str, IndexRow | Retired]:
        raise NotImplementedError

    def _read(self, tenant_id: str, user_id: str, memory_ids: list[str]) -> list[MemoryRecord]:
        raise NotImplementedError

    def turn_neighbours(
        self, tenant_id: str, user_id: str, vector: Vector, before_turn: int, limit: int
    ) -> list[tuple[MemoryRecord, float]]:
        return self._nearest(
            tenant_id, user_id, vector, limit, USER_TURN | CURRENT, before_turn=before_turn
        )

    def semantic_neighbours(
        self,
        tenant_id: str,
        user_id: str,
        vector: Vector,
        limit: int,
        *,
        containing: frozenset[str] = frozenset(),
    ) -> list[tuple[MemoryRecord, float]]:
        return self._nearest(tenant_id, user_id, vector, limit, SEMANTIC, containing=containing)

    def _nearest(
        self,
        tenant_id: str,
        user_id: str,
        vector: Vector,
        limit: int,
        flags: int,
        *,
        before_turn: int | None = None,
        containing: frozenset[str] = frozenset(),
    ) -> list[tuple[MemoryRecord, float]]:
        index, lock = self._committed(tenant_id, user_id)
        written = dict(self._written(tenant_id, user_id))
        chosen = dict(
            nearest_in_transaction(
                index, lock, written, vector, limit, flags, before_turn, containing
            )
        )
        if not chosen:
            return []
        found = {m.memory_id: m for m in self._read(tenant_id, user_id, list(chosen))}
        return [(found[m], score) for m, score in chosen.items() if m in found]
