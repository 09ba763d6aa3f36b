"""The transaction of `PineconeIndexedStore`: the store's own, remembering each vector it
writes so that the store can send them to Pinecone before it commits."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np

from longmem.errors import ValidationError
from longmem.models import EventAction, MemoryEvent, MemoryRecord
from longmem.store.base import StoreTx, Vector
from longmem.store.pinecone_vectors import VectorRow

Key = tuple[str, str, str]  # (tenant, user, memory_id)


def labels(memory: MemoryRecord) -> dict[str, str]:
    """The metadata Pinecone filters on (it stores no nulls: an episodic memory has no type)."""
    found = {"kind": memory.kind.value, "status": memory.status.value}
    if memory.type is not None:
        found["type"] = memory.type.value
    return found


def _vector_id(memory_id: str) -> str:
    # Pinecone's id rule; longmem's own ids (uuid hex) pass, an imported one may not.
    if not (0 < len(memory_id) <= 512 and memory_id.isascii() and "\x00" not in memory_id):
        raise ValidationError(
            "a memory id must be 1-512 ASCII characters with VECTOR_INDEX=pinecone",
            field="memory_id",
        )
    return memory_id


@dataclass
class _Write:
    labels: dict[str, str]
    values: Vector


class IndexedTx:
    """The store's transaction, remembering the vector and labels of each memory it writes."""

    def __init__(self, inner: StoreTx) -> None:
        self._inner = inner
        self.writes: dict[Key, _Write] = {}

    def insert(self, memory: MemoryRecord, embedding: Vector) -> None:
        _vector_id(memory.memory_id)
        self._inner.insert(memory, embedding)
        self.writes[key_of(memory)] = _Write(labels(memory), np.asarray(embedding, np.float32))

    def update(self, memory: MemoryRecord, embedding: Vector | None = None) -> None:
        key = key_of(memory)
        before = self._labels_now(memory) if embedding is None else None
        self._inner.update(memory, embedding)
        now = labels(memory)
        if embedding is not None:
            self.writes[key] = _Write(now, np.asarray(embedding, np.float32))
        elif now != before:
            # Supersede, delete, restore: the whole vector is sent again with the new labels
            # (one batched upsert, where a metadata update would be one request per memory),
            # which also mends a vector Pinecone lost.
            values = self._values(memory)
            if values is not None:
                self.writes[key] = _Write(now, values)
        # Bookkeeping updates (decay scores, counters) change no label: nothing to send.

    def pending(self) -> dict[tuple[str, str], list[VectorRow]]:
        """What Pinecone must receive, by owner (one namespace each)."""
        owners: dict[tuple[str, str], list[VectorRow]] = {}
        for (tenant, user, memory_id), write in self.writes.items():
            row = VectorRow(memory_id, write.values, write.labels)
            owners.setdefault((tenant, user), []).append(row)
        return owners

    def _labels_now(self, memory: MemoryRecord) -> dict[str, str] | None:
        written = self.writes.get(key_of(memory))
        if written is not None:
            return written.labels
        current = self._inner.get(memory.tenant_id, memory.user_id, memory.memory_id)
        return labels(current) if current is not None else None

    def _values(self, memory: MemoryRecord) -> Vector | None:
        written = self.writes.get(key_of(memory))
        if written is not None:
            return written.values
        found = self._inner.embeddings(memory.tenant_id, memory.user_id, [memory.memory_id])
        return found.get(memory.memory_id)

    # -- the rest is the store's own ---------------------------------------------------------

    def append_event(
        self, memory: MemoryRecord, action: EventAction, reason: str, turn: int | None
    ) -> None:
        self._inner.append_event(memory, action, reason, turn)

    def insert_event(self, event: MemoryEvent, tenant_id: str) -> None:
        self._inner.insert_event(event, tenant_id)

    def touch_user(self, tenant_id: str, user_id: str, turn: int, turns: int) -> None:
        self._inner.touch_user(tenant_id, user_id, turn, turns)

    def defer_extraction(self, tenant_id: str, user_id: str, turn: int) -> None:
        self._inner.defer_extraction(tenant_id, user_id, turn)

    def extraction_done(self, tenant_id: str, user_id: str, turn: int) -> None:
        self._inner.extraction_done(tenant_id, user_id, turn)

    def lock_user(self, tenant_id: str, user_id: str) -> bool:
        return self._inner.lock_user(tenant_id, user_id)

    def mark_optimized(self, tenant_id: str, user_id: str, at: datetime) -> None:
        self._inner.mark_optimized(tenant_id, user_id, at)

    def get(self, tenant_id: str, user_id: str, memory_id: str) -> MemoryRecord | None:
        return self._inner.get(tenant_id, user_id, memory_id)

    def by_slot(self, tenant_id: str, user_id: str, slot: str) -> list[MemoryRecord]:
        return self._inner.by_slot(tenant_id, user_id, slot)

    def semantic_neighbours(
        self,
        tenant_id: str,
        user_id: str,
        vector: Vector,
        limit: int,
        *,
        containing: frozenset[str] = frozenset(),
    ) -> list[tuple[MemoryRecord, float]]:
        # The store's copy: it must see the memories written earlier in this transaction.
        return self._inner.semantic_neighbours(
            tenant_id, user_id, vector, limit, containing=containing
        )

    def embeddings(
        self, tenant_id: str, user_id: str, memory_ids: Sequence[str]
    ) -> dict[str, Vector]:
        return self._inner.embeddings(tenant_id, user_id, memory_ids)

    def of_turn(self, tenant_id: str, user_id: str, turn: int) -> list[MemoryRecord]:
        return self._inner.of_turn(tenant_id, user_id, turn)

    def turn_neighbours(
        self, tenant_id: str, user_id: str, vector: Vector, before_turn: int, limit: int
    ) -> list[tuple[MemoryRecord, float]]:
        return self._inner.turn_neighbours(tenant_id, user_id, vector, before_turn, limit)

    def turns_mentioning(
        self, tenant_id: str, user_id: str, terms: Sequence[str], before_turn: int
    ) -> list[MemoryRecord]:
        return self._inner.turns_mentioning(tenant_id, user_id, terms, before_turn)


def key_of(memory: MemoryRecord) -> Key:
    return (memory.tenant_id, memory.user_id, memory.memory_id)


def by_owner(keys: Sequence[Key]) -> dict[tuple[str, str], list[str]]:
    owners: dict[tuple[str, str], list[str]] = {}
    for tenant, user, memory_id in keys:
        owners.setdefault((tenant, user), []).append(memory_id)
    return owners


def rows_of(
    tx: StoreTx, tenant_id: str, user_id: str, memory_ids: Sequence[str]
) -> list[VectorRow]:
    """What Pinecone should hold for these memories, read from the store's copy."""
    values = tx.embeddings(tenant_id, user_id, memory_ids)
    rows = []
    for memory_id in memory_ids:
        record = tx.get(tenant_id, user_id, memory_id)
        if record is not None and memory_id in values:
            rows.append(VectorRow(memory_id, values[memory_id], labels(record)))
    return rows
