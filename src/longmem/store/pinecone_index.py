"""`PineconeIndexedStore`: any store, with its dense search served by a Pinecone index.

What goes where. Records, history, full text and the outbox stay in the store, and so does its
own copy of every embedding: both schemas require it, and the other vector reads use it:
`semantic_neighbours` and `turn_neighbours` (reconciliation at write time), `cosines` (the
lexical and slot candidates of a search), `vectors` (consolidation, change linking) and
`reembed`. Pinecone answers `dense_search`: the dense top-N of every search. Its vectors live
in one namespace per (tenant, user) (`namespace_of`), each with the memory's kind, status and
type as metadata, so Pinecone filters as the store does. Every memory is there in every
status: a rollback that restores one needs nothing but a new status.

Consistency, and why each rule:
- A transaction's inserts and label-changing updates are upserted to Pinecone at the end of
  its body, before the store commits. If Pinecone fails, the exception rolls the store back:
  no memory is kept without its vector. If the commit fails after the upsert, the vectors it
  touched are put back as the store holds them (best effort, logged).
- Pinecone's matches are candidates joined against the store: an id the store does not hold
  (a transaction that failed after its upsert) or holds in a status, kind or type the filter
  refuses is dropped, and the query is repeated with a larger top_k when that left fewer than
  asked for. A vector Pinecone keeps by mistake is never returned.
- Erasure deletes from the store first, then the namespace. If Pinecone fails, the store is
  already erased (the vectors left join to nothing, so nothing returns them) and a
  `VectorIndexErasureError` says so; erasing the user again removes them.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from datetime import datetime

from longmem.core.lexical import TermStats
from longmem.errors import (
    ConfigurationError,
    LongmemError,
    VectorIndexErasureError,
    VectorIndexError,
)
from longmem.models import MemoryEvent, MemoryRecord, MemoryStatus
from longmem.store.base import MemoryFilter, Store, TurnText, Vector
from longmem.store.pinecone_tx import IndexedTx, Key, by_owner, labels, rows_of
from longmem.store.pinecone_vectors import QUERY_TOP_K_MAX, PineconeVectors, namespace_of

log = logging.getLogger("longmem.store")

_SYNC_CHUNK = 500  # memories read and sent per transaction by `sync_user`
_EVERY_STATUS = MemoryFilter(statuses=frozenset(MemoryStatus))


def where(flt: MemoryFilter) -> dict[str, object]:
    """`flt` as a Pinecone metadata filter (its top-level keys are ANDed)."""
    clauses: dict[str, object] = {"status": {"$in": sorted(s.value for s in flt.statuses)}}
    if flt.kinds is not None:
        clauses["kind"] = {"$in": sorted(k.value for k in flt.kinds)}
    if flt.types is not None:
        clauses["type"] = {"$in": sorted(t.value for t in flt.types)}
    return clauses


def _admits(flt: MemoryFilter, memory: MemoryRecord) -> bool:
    return (
        memory.status in flt.statuses
        and (flt.kinds is None or memory.kind in flt.kinds)
        and (flt.types is None or memory.type in flt.types)
    )


class PineconeIndexedStore:
    """A `Store`: `inner` for everything, Pinecone for dense search (see the module)."""

    vector_index = "pinecone"

    def __init__(self, inner: Store, vectors: PineconeVectors) -> None:
        self.inner = inner
        self.vectors_index = vectors
        self.backend = inner.backend
        self.schema_version = inner.schema_version

    @property
    def path(self) -> object:
        return self.inner.path

    def close(self) -> None:
        try:
            self.vectors_index.close()
        finally:
            self.inner.close()

    # -- writes --------------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[IndexedTx]:
        sent: list[Key] = []
        try:
            with self.inner.transaction() as inner:
                tx = IndexedTx(inner)
                yield tx
                self._send(tx, sent)  # before COMMIT: a failure here rolls the store back
        except BaseException:
            if sent:
                self._put_back(sent)
            raise

    def _send(self, tx: IndexedTx, sent: list[Key]) -> None:
        """Upserts the transaction's vectors; `sent` gathers the memories that may have
        reached Pinecone, for `_put_back` should the store not commit."""
        for (tenant, user), rows in tx.pending().items():
            namespace = namespace_of(tenant, user)
            for batch in PineconeVectors.batches(rows):
                keys = [(tenant, user, r.vector_id) for r in batch]
                try:
                    self.vectors_index.upsert(namespace, batch)
                except VectorIndexError as exc:
                    if isinstance(exc.__cause__, TimeoutError):
                        sent.extend(keys)  # a request that timed out may still have landed
                    raise
                sent.extend(keys)

    def _put_back(self, keys: Sequence[Key]) -> None:
        """After a failed commit: Pinecone's vectors for `keys` as the store holds them, and
        none for memories it does not hold. Failing here leaves Pinecone ahead of the store:
        the join hides what it added, `sync_user` repairs what it changed."""
        for (tenant, user), memory_ids in by_owner(keys).items():
            namespace = namespace_of(tenant, user)
            try:
                with self.inner.transaction() as tx:
                    rows = rows_of(tx, tenant, user, memory_ids)
                for batch in PineconeVectors.batches(rows):
                    self.vectors_index.upsert(namespace, batch)
                held = {r.vector_id for r in rows}
                self.vectors_index.delete(namespace, [m for m in memory_ids if m not in held])
            except Exception as exc:  # the commit's own error is the one to raise
                log.warning(
                    "Pinecone may disagree with the store for %d memories after a failed "
                    "commit (%s); sync_user(tenant, user) sets it right",
                    len(memory_ids),
                    exc,
                )

    def delete_user(self, tenant_id: str, user_id: str) -> dict[str, int]:
        counts = self.inner.delete_user(tenant_id, user_id)
        try:
            self.vectors_index.erase(namespace_of(tenant_id, user_id))
        except VectorIndexError as exc:
            raise VectorIndexErasureError(
                f"user {user_id!r} is erased from the store, but Pinecone still holds their "
                f"vectors ({exc}). Nothing returns them (they match no stored memory); erase "
                "the user again to remove them"
            ) from exc
        return counts

    # -- dense search --------------------------------------------------------------------

    def dense_search(
        self, tenant_id: str, user_id: str, vector: Vector, limit: int, flt: MemoryFilter
    ) -> list[tuple[str, float]]:
        if limit <= 0:
            return []
        namespace, clauses = namespace_of(tenant_id, user_id), where(flt)
        top_k = limit
        while True:
            matches = self.vectors_index.query(namespace, vector, top_k, clauses)
            held = self._held(tenant_id, user_id, matches, flt)
            if len(held) >= limit or len(matches) < top_k or top_k >= QUERY_TOP_K_MAX:
                return held[:limit]
            top_k = min(top_k * 4, QUERY_TOP_K_MAX)  # some were dropped: look further

    def _held(
        self, tenant_id: str, user_id: str, matches: list[tuple[str, float]], flt: MemoryFilter
    ) -> list[tuple[str, float]]:
        """The matches the store holds as the filter wants them, in Pinecone's order."""
        records = {
            r.memory_id: r for r in self.inner.get_many(tenant_id, user_id, [m for m, _ in matches])
        }
        return [
            (memory_id, score)
            for memory_id, score in matches
            if (record := records.get(memory_id)) is not None and _admits(flt, record)
        ]

    # -- filling Pinecone from the store -------------------------------------------------

    def sync_user(self, tenant_id: str, user_id: str) -> int:
        """Upserts every memory of the user (any status) from the store's copy; returns how
        many. For a store that had memories before VECTOR_INDEX=pinecone, after `reembed`, or
        after a failed commit whose repair failed too. Each chunk is read and sent inside one
        store transaction, so it is sent as the store held it."""
        memory_ids = [m.memory_id for m in self.inner.iter_user(tenant_id, user_id, _EVERY_STATUS)]
        namespace = namespace_of(tenant_id, user_id)
        for start in range(0, len(memory_ids), _SYNC_CHUNK):
            with self.inner.transaction() as tx:
                rows = rows_of(tx, tenant_id, user_id, memory_ids[start : start + _SYNC_CHUNK])
                for batch in PineconeVectors.batches(rows):
                    self.vectors_index.upsert(namespace, batch)
        return len(memory_ids)

    def sync(self) -> int:
        """`sync_user` for every owner of memories in the store."""
        return sum(self.sync_user(tenant, user) for tenant, user in self.inner.memory_owners())

    def reembed_finish(self, meta: dict[str, str], dimension: int) -> None:
        """Swaps the store's vectors, then sends them all to Pinecone. The index's width is
        fixed: a model of another width needs a new index (PINECONE_INDEX), checked first so
        that nothing is swapped in vain."""
        width = self.vectors_index.dimension
        if width is not None and width != dimension:
            raise ConfigurationError(
                f"PINECONE_INDEX {self.vectors_index.index_name!r} holds {width}-d vectors; "
                f"the new model makes {dimension}-d ones: create an index of dimension "
                f"{dimension}, point PINECONE_INDEX at it and run reembed again"
            )
        self.inner.reembed_finish(meta, dimension)
        try:
            self.sync()
        except LongmemError as exc:
            raise VectorIndexError(
                "the store moved to the new model, but Pinecone still holds some vectors of "
                f"the previous one ({exc}); run PineconeIndexedStore.sync() to finish"
            ) from exc

    # -- everything else is the store's ---------------------------------------------------

    def reading(self, tenant_id: str, user_id: str) -> AbstractContextManager[None]:
        return self.inner.reading(tenant_id, user_id)

    def get(self, tenant_id: str, user_id: str, memory_id: str) -> MemoryRecord | None:
        return self.inner.get(tenant_id, user_id, memory_id)

    def get_many(
        self, tenant_id: str, user_id: str, memory_ids: Sequence[str]
    ) -> list[MemoryRecord]:
        return self.inner.get_many(tenant_id, user_id, memory_ids)

    def list_page(
        self, tenant_id: str, user_id: str, flt: MemoryFilter, *, after: str | None, limit: int
    ) -> list[MemoryRecord]:
        return self.inner.list_page(tenant_id, user_id, flt, after=after, limit=limit)

    def iter_user(self, tenant_id: str, user_id: str, flt: MemoryFilter) -> Iterator[MemoryRecord]:
        return self.inner.iter_user(tenant_id, user_id, flt)

    def by_slot(self, tenant_id: str, user_id: str, slot: str) -> list[MemoryRecord]:
        return self.inner.by_slot(tenant_id, user_id, slot)

    def turn_chunks(self, tenant_id: str, user_id: str, turn: int) -> list[MemoryRecord]:
        return self.inner.turn_chunks(tenant_id, user_id, turn)

    def lexical_search(
        self, tenant_id: str, user_id: str, terms: Sequence[str], limit: int, flt: MemoryFilter
    ) -> list[tuple[str, float]]:
        return self.inner.lexical_search(tenant_id, user_id, terms, limit, flt)

    def term_statistics(self, tenant_id: str, user_id: str, terms: Sequence[str]) -> TermStats:
        return self.inner.term_statistics(tenant_id, user_id, terms)

    def speakers(self, tenant_id: str, user_id: str) -> frozenset[str]:
        return self.inner.speakers(tenant_id, user_id)

    def turn_texts(self, tenant_id: str, user_id: str, turns: Sequence[int]) -> list[TurnText]:
        return self.inner.turn_texts(tenant_id, user_id, turns)

    def cosines(
        self, tenant_id: str, user_id: str, vector: Vector, memory_ids: Sequence[str]
    ) -> dict[str, float]:
        # The store's copy: candidates found by words or slots, a few dozen a search, scored
        # where they are (a Pinecone fetch of their vectors would be a second round trip).
        return self.inner.cosines(tenant_id, user_id, vector, memory_ids)

    def slots(self, tenant_id: str, user_id: str) -> list[tuple[str, str]]:
        return self.inner.slots(tenant_id, user_id)

    def stale_turns(
        self, tenant_id: str, user_id: str, turns: Sequence[int] | None = None
    ) -> set[int]:
        return self.inner.stale_turns(tenant_id, user_id, turns)

    def history(self, tenant_id: str, user_id: str, memory_id: str) -> list[MemoryEvent]:
        return self.inner.history(tenant_id, user_id, memory_id)

    def record_access(
        self,
        tenant_id: str,
        user_id: str,
        memory_ids: Sequence[str],
        turn: int | None,
        at: datetime,
    ) -> None:
        self.inner.record_access(tenant_id, user_id, memory_ids, turn, at)

    def user_state(self, tenant_id: str, user_id: str) -> tuple[int, int, datetime | None]:
        return self.inner.user_state(tenant_id, user_id)

    def counts(self, tenant_id: str, user_id: str) -> dict[str, dict[str, int]]:
        return self.inner.counts(tenant_id, user_id)

    def storage_bytes(self, tenant_id: str, user_id: str) -> int:
        return self.inner.storage_bytes(tenant_id, user_id)

    def hot_count(self, tenant_id: str, user_id: str, min_accesses: int) -> int:
        return self.inner.hot_count(tenant_id, user_id, min_accesses)

    def vectors(self, tenant_id: str, user_id: str, memory_ids: Sequence[str]) -> Vector:
        return self.inner.vectors(tenant_id, user_id, memory_ids)

    def pending_extractions(self, before: datetime | None = None) -> list[tuple[str, str, int]]:
        return self.inner.pending_extractions(before)

    def users(self) -> list[tuple[str, str]]:
        return self.inner.users()

    def memory_owners(self) -> list[tuple[str, str]]:
        return self.inner.memory_owners()

    def get_meta(self, key: str) -> str | None:
        return self.inner.get_meta(key)

    def set_meta(self, key: str, value: str) -> None:
        self.inner.set_meta(key, value)

    def stored_dimension(self) -> int | None:
        return self.inner.stored_dimension()

    def reembed_pending(self, limit: int) -> list[tuple[str, str, str | None]]:
        return self.inner.reembed_pending(limit)

    def reembed_progress(self) -> tuple[int, int]:
        return self.inner.reembed_progress()

    def reembed_stage(self, rows: Sequence[tuple[str, Vector]]) -> None:
        self.inner.reembed_stage(rows)

    def reembed_clear(self) -> None:
        self.inner.reembed_clear()


__all__ = ["PineconeIndexedStore", "labels", "namespace_of", "where"]
