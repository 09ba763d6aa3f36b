from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple, Protocol

import numpy as np
import numpy.typing as npt

from longmem.core.lexical import Bag, TermStats
from longmem.models import (
    EventAction,
    MemoryEvent,
    MemoryKind,
    MemoryRecord,
    MemoryStatus,
    MemoryType,
)

Vector = npt.NDArray[np.float32]


class TurnText(NamedTuple):
    memory_id: str
    turn: int
    role: str | None
    speaker: str | None
    content: str
    # Its words as BM25 reads them (`lexical.words_read`), counted once when the row is indexed:
    # a search reads a few hundred turns around its candidates, and counting them there was
    # a third of a search's own work on a question not asked before.
    bag: Bag
    chunk_index: int = 0


@dataclass(frozen=True)
class MemoryFilter:
    kinds: frozenset[MemoryKind] | None = None
    types: frozenset[MemoryType] | None = None
    statuses: frozenset[MemoryStatus] = field(
        default_factory=lambda: frozenset({MemoryStatus.active})
    )


class StoreTx(Protocol):
    """Writes inside one transaction: all of them land, or none."""

    def insert(self, memory: MemoryRecord, embedding: Vector) -> None: ...

    def update(self, memory: MemoryRecord, embedding: Vector | None = None) -> None: ...

    def append_event(
        self, memory: MemoryRecord, action: EventAction, reason: str, turn: int | None
    ) -> None: ...

    def insert_event(self, event: MemoryEvent, tenant_id: str) -> None:
        """Writes a history event as it was (import of an exported history)."""
        ...

    def touch_user(self, tenant_id: str, user_id: str, turn: int, turns: int) -> None: ...

    def defer_extraction(self, tenant_id: str, user_id: str, turn: int) -> None:
        """Puts a recorded turn in the outbox of extraction (kept until `extraction_done`)."""
        ...

    def extraction_done(self, tenant_id: str, user_id: str, turn: int) -> None: ...

    def lock_user(self, tenant_id: str, user_id: str) -> bool:
        """Serialises with erasure of the same user; False when the user no longer exists."""
        ...

    def mark_optimized(self, tenant_id: str, user_id: str, at: datetime) -> None: ...

    def get(self, tenant_id: str, user_id: str, memory_id: str) -> MemoryRecord | None: ...

    def by_slot(self, tenant_id: str, user_id: str, slot: str) -> list[MemoryRecord]: ...

    def semantic_neighbours(
        self,
        tenant_id: str,
        user_id: str,
        vector: Vector,
        limit: int,
        *,
        containing: frozenset[str] = frozenset(),
    ) -> list[tuple[MemoryRecord, float]]:
        """The `limit` active facts nearest `vector`; given `containing`, only facts whose
        content terms include all of them."""
        ...

    def embeddings(
        self, tenant_id: str, user_id: str, memory_ids: Sequence[str]
    ) -> dict[str, Vector]:
        """The stored vectors of the given memories, in any status, as the transaction sees
        them; unknown ids are left out (what an external vector index is written from)."""
        ...

    def of_turn(self, tenant_id: str, user_id: str, turn: int) -> list[MemoryRecord]:
        """Every memory whose source is one turn (its chunks, in order, then the active facts
        drawn from it), as the transaction sees them."""
        ...

    def turn_neighbours(
        self, tenant_id: str, user_id: str, vector: Vector, before_turn: int, limit: int
    ) -> list[tuple[MemoryRecord, float]]:
        """The user-role turns (chunks) before `before_turn` still current (no `valid_to`),
        nearest to `vector` first, each with its cosine."""
        ...

    def turns_mentioning(
        self, tenant_id: str, user_id: str, terms: Sequence[str], before_turn: int
    ) -> list[MemoryRecord]:
        """The user's own active turns before `before_turn`, still current (no `valid_to`),
        whose text has every one of the stemmed `terms` (as prefixes, like lexical search)."""
        ...


class Store(Protocol):
    backend: str  # "sqlite" | "postgresql"
    schema_version: int

    @property
    def path(self) -> object:
        """Where the data lives (a file, or a URL without its password)."""
        ...

    def transaction(self) -> AbstractContextManager[StoreTx]: ...

    def reading(self, tenant_id: str, user_id: str) -> AbstractContextManager[None]:
        """The reads of one user's memories inside may share one view of them (a search):
        a store that caches them checks once that its copy is current."""
        ...

    def get(self, tenant_id: str, user_id: str, memory_id: str) -> MemoryRecord | None: ...

    def get_many(
        self, tenant_id: str, user_id: str, memory_ids: Sequence[str]
    ) -> list[MemoryRecord]: ...

    def list_page(
        self, tenant_id: str, user_id: str, flt: MemoryFilter, *, after: str | None, limit: int
    ) -> list[MemoryRecord]: ...

    def iter_user(
        self, tenant_id: str, user_id: str, flt: MemoryFilter
    ) -> Iterator[MemoryRecord]: ...

    def by_slot(self, tenant_id: str, user_id: str, slot: str) -> list[MemoryRecord]: ...

    def turn_chunks(self, tenant_id: str, user_id: str, turn: int) -> list[MemoryRecord]:
        """The episodic record(s) of one turn, in chunk order."""
        ...

    def dense_search(
        self, tenant_id: str, user_id: str, vector: Vector, limit: int, flt: MemoryFilter
    ) -> list[tuple[str, float]]: ...

    def lexical_search(
        self, tenant_id: str, user_id: str, terms: Sequence[str], limit: int, flt: MemoryFilter
    ) -> list[tuple[str, float]]: ...

    def speakers(self, tenant_id: str, user_id: str) -> frozenset[str]:
        """The speakers named on the user's active turns ("Caroline", "Melanie")."""
        ...

    def term_statistics(self, tenant_id: str, user_id: str, terms: Sequence[str]) -> TermStats:
        """Document frequency of each stemmed term (as a prefix, like lexical search), the
        number of active memories and their average count of distinct terms."""
        ...

    def turn_texts(self, tenant_id: str, user_id: str, turns: Sequence[int]) -> list[TurnText]:
        """The active episodic chunks of the given turns, by turn then chunk: only what
        lexical scoring reads, without building records."""
        ...

    def cosines(
        self, tenant_id: str, user_id: str, vector: Vector, memory_ids: Sequence[str]
    ) -> dict[str, float]: ...

    def slots(self, tenant_id: str, user_id: str) -> list[tuple[str, str]]:
        """(memory_id, slot) of the user's active slotted memories."""
        ...

    def stale_turns(
        self, tenant_id: str, user_id: str, turns: Sequence[int] | None = None
    ) -> set[int]:
        """Turns all of whose extracted memories have been superseded; among `turns` only,
        when given (what search needs, read by turn number)."""
        ...

    def history(self, tenant_id: str, user_id: str, memory_id: str) -> list[MemoryEvent]: ...

    def record_access(
        self,
        tenant_id: str,
        user_id: str,
        memory_ids: Sequence[str],
        turn: int | None,
        at: datetime,
    ) -> None: ...

    def user_state(self, tenant_id: str, user_id: str) -> tuple[int, int, datetime | None]: ...

    def counts(self, tenant_id: str, user_id: str) -> dict[str, dict[str, int]]: ...

    def storage_bytes(self, tenant_id: str, user_id: str) -> int: ...

    def hot_count(self, tenant_id: str, user_id: str, min_accesses: int) -> int: ...

    def vectors(self, tenant_id: str, user_id: str, memory_ids: Sequence[str]) -> Vector:
        """Stored embeddings, one row per id, in order: read from the table for a memory no
        longer active, and a zero row for one no longer stored (a write may commit between
        the read that chose the ids and this one)."""
        ...

    def pending_extractions(self, before: datetime | None = None) -> list[tuple[str, str, int]]:
        """(tenant, user, turn) of every recorded turn whose extraction has not run (queued
        before `before`, when given), oldest first: what a crash or a lost task left."""
        ...

    def delete_user(self, tenant_id: str, user_id: str) -> dict[str, int]: ...

    def users(self) -> list[tuple[str, str]]:
        """Every (tenant, user) with stored turns or memories."""
        ...

    def memory_owners(self) -> list[tuple[str, str]]:
        """Every (tenant, user) holding memories, registered or not (`users` lists only those
        with turns: one given explicit memories alone is not there)."""
        ...

    # Which embedding model made the vectors, and moving to another (longmem.reembed).

    def get_meta(self, key: str) -> str | None: ...

    def set_meta(self, key: str, value: str) -> None: ...

    def stored_dimension(self) -> int | None:
        """Width of the stored vectors; None when nothing tells it."""
        ...

    def reembed_pending(self, limit: int) -> list[tuple[str, str, str | None]]:
        """(memory_id, content, speaker of a semantic memory) of memories without a staged
        vector."""
        ...

    def reembed_progress(self) -> tuple[int, int]:
        """(memories with a staged vector, all memories)."""
        ...

    def reembed_stage(self, rows: Sequence[tuple[str, Vector]]) -> None: ...

    def reembed_clear(self) -> None: ...

    def reembed_finish(self, meta: dict[str, str], dimension: int) -> None:
        """Swaps the staged vectors in and writes `meta`, in one transaction."""
        ...

    def close(self) -> None: ...
