"""Per-user in-memory index of active memories: an embedding matrix, term statistics, the
turns' rows by number, which turns' facts were superseded, and the records search has read.

Why in memory: one user's memories are thousands, and an exact scan of a contiguous float32
matrix takes ~0.1 ms for 5,000 rows here, where sqlite-vec with a user partition took 2-4 ms.
The index is a cache of the database, rebuilt from it on first use, kept current by the store
after each commit, and bounded in the number of users it holds. A search reads a turn's
neighbours, the staleness of its facts and a hundred records: from SQL that was 11 ms of a 26 ms
search for one user holding REALTALK (8,944 turns).
"""

from __future__ import annotations

import threading
from collections import Counter, OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
import numpy.typing as npt

from longmem.core.lexical import K1, B, bag_of, idf, with_speaker
from longmem.core.text import content_terms
from longmem.models import MemoryKind, MemoryRecord, MemoryStatus
from longmem.store.base import TurnText

Vector = npt.NDArray[np.float32]
# Row flags for `UserIndex.nearest`.
SEMANTIC, USER_TURN, CURRENT = 1, 2, 4


def _scan(rows: npt.NDArray[np.float32], vector: Vector) -> npt.NDArray[np.float32]:
    """Each row's dot product with `vector`, on this thread, without BLAS. With OpenBLAS's
    default of one thread a core, its workers spin after each scan and take the cores the
    embedding model and the next search need (on 2 cores, one user holding REALTALK searched
    at p50 42 ms, and at 25 ms with one BLAS thread); limiting BLAS to one thread around each
    scan cost 0.9 ms a scan in threadpoolctl's switching (10,408 rows: 0.62 ms here)."""
    return np.einsum("ij,j->i", rows, vector)  # type: ignore[no-any-return]


@dataclass
class IndexRow:
    memory_id: str
    kind: str
    type: str | None
    content: str
    embedding: Vector
    slot: str | None = None
    source_turn: int | None = None
    role: str | None = None
    speaker: str | None = None
    chunk_index: int = 0
    current: bool = True  # no later turn corrected it (`valid_to_turn` unset)

    def signature(self) -> tuple[object, ...]:
        """What the index reads of the row: a write that leaves it equal (counting an
        access) changes only the row's record."""
        return (
            self.kind,
            self.type,
            self.content,
            self.slot,
            self.source_turn,
            self.role,
            self.speaker,
            self.chunk_index,
            self.current,
        )


def indexed_row(r: Mapping[str, Any], embedding: Vector) -> IndexRow:
    """A stored row, as selected for the index (its columns by name, `current` computed as
    `valid_to_turn IS NULL`), with its vector."""
    return IndexRow(
        r["memory_id"],
        r["kind"],
        r["type"],
        r["content"],
        embedding,
        r["slot"],
        r["source_turn"],
        r["role"],
        r["speaker"],
        r["chunk_index"],
        bool(r["current"]),
    )


@dataclass(frozen=True)
class Retired:
    """A memory that left the active set; `superseded_turn` is the source turn of a fact that
    was superseded (what makes its turn stale), None otherwise."""

    memory_id: str
    superseded_turn: int | None = None


class UserIndex:
    """Rows are appended and never moved; removal zeroes a row and clears its live bit."""

    def __init__(self, dimension: int) -> None:
        self.dimension = dimension
        self.ids: list[str] = []
        self.labels: list[tuple[str, str | None]] = []  # (kind, type)
        self.terms: list[frozenset[str]] = []
        self.position: dict[str, int] = {}
        self.slots: dict[str, str] = {}  # memory_id -> slot, live slotted rows
        # Live turn chunks by source turn, in chunk order: searches read them on every call.
        self.turn_rows: dict[int, list[TurnText]] = {}
        self.fact_turns: Counter[int] = Counter()  # live facts by source turn
        self.speakers: Counter[str] = Counter()  # live turn chunks by speaker
        self.superseded: dict[str, int] = {}  # superseded fact -> its source turn
        self.superseded_turns: Counter[int] = Counter()
        self.records: list[MemoryRecord | None] = []  # read by search, dropped on any write
        self.df: Counter[str] = Counter()
        self.term_total = 0  # distinct terms summed over live rows, for BM25's average length
        self.matrix: Vector = np.zeros((64, dimension), dtype=np.float32)
        self.live = np.zeros(64, dtype=bool)
        # Lexical search: the rows holding each term (rows are never reused; `live` says which
        # still count) and each row's length in distinct terms.
        self.postings: dict[str, list[int]] = {}
        self.lengths = np.zeros(64, dtype=np.float32)
        # What the writers' nearest-neighbour reads filter by, one entry a row.
        self.flags = np.zeros(64, dtype=np.uint8)
        self.turn_numbers = np.full(64, -1, dtype=np.int64)
        self.signatures: list[tuple[object, ...]] = []
        self.size = 0
        # Where the index is a cache of a store other processes write (PostgreSQL): the
        # user's write counter it reflects, and which incarnation of the user it was built
        # from (a deleted and recreated user starts over).
        self.version = 0
        self.born = 0

    @property
    def live_count(self) -> int:
        return len(self.position)

    def add(self, row: IndexRow) -> None:
        if row.memory_id in self.position:
            self.remove(row.memory_id)
        self._unsupersede(row.memory_id)
        if self.size == self.matrix.shape[0]:
            self.matrix = np.concatenate([self.matrix, np.zeros_like(self.matrix)])
            self.live = np.concatenate([self.live, np.zeros_like(self.live)])
            self.lengths = np.concatenate([self.lengths, np.zeros_like(self.lengths)])
            self.flags = np.concatenate([self.flags, np.zeros_like(self.flags)])
            self.turn_numbers = np.concatenate(
                [self.turn_numbers, np.full_like(self.turn_numbers, -1)]
            )
        words = content_terms(row.content)
        terms = frozenset(words)
        for term in terms:
            self.postings.setdefault(term, []).append(self.size)
        self.lengths[self.size] = len(terms)
        self.flags[self.size] = (
            (SEMANTIC if row.kind == "semantic" else 0)
            | (USER_TURN if row.kind == "episodic" and row.role == "user" else 0)
            | (CURRENT if row.current else 0)
        )
        self.turn_numbers[self.size] = -1 if row.source_turn is None else row.source_turn
        self.matrix[self.size] = row.embedding
        self.live[self.size] = True
        self.ids.append(row.memory_id)
        self.labels.append((row.kind, row.type))
        self.terms.append(terms)
        self.signatures.append(row.signature())
        self.records.append(None)
        self.position[row.memory_id] = self.size
        if row.slot is not None:
            self.slots[row.memory_id] = row.slot
        if row.source_turn is not None:
            if row.kind == "episodic":
                chunk = TurnText(
                    row.memory_id,
                    row.source_turn,
                    row.role,
                    row.speaker,
                    row.content,
                    bag_of(with_speaker(words, row.speaker)),
                    row.chunk_index,
                )
                chunks = self.turn_rows.setdefault(row.source_turn, [])
                chunks.append(chunk)
                if len(chunks) > 1 and chunks[-2].chunk_index > chunk.chunk_index:
                    chunks.sort(key=lambda c: c.chunk_index)
                if row.speaker:
                    self.speakers[row.speaker] += 1
            else:
                self.fact_turns[row.source_turn] += 1
        self.df.update(terms)
        self.term_total += len(terms)
        self.size += 1

    def remove(self, memory_id: str) -> None:
        self._unsupersede(memory_id)
        at = self.position.pop(memory_id, None)
        if at is None:
            return
        self.live[at] = False
        self.records[at] = None
        self.slots.pop(memory_id, None)
        self.matrix[at] = 0.0
        self.df.subtract(self.terms[at])
        self.term_total -= len(self.terms[at])
        turn = int(self.turn_numbers[at])
        if turn >= 0:
            if self.labels[at][0] == "episodic":
                for chunk in self.turn_rows[turn]:
                    if chunk.memory_id == memory_id and chunk.speaker:
                        self.speakers[chunk.speaker] -= 1
                chunks = [c for c in self.turn_rows[turn] if c.memory_id != memory_id]
                if chunks:
                    self.turn_rows[turn] = chunks
                else:
                    del self.turn_rows[turn]
            else:
                self.fact_turns[turn] -= 1

    def apply(self, row: IndexRow, record: MemoryRecord) -> None:
        """An active row as another process wrote it, with its record."""
        at = self.position.get(row.memory_id)
        if at is None or self.signatures[at] != row.signature():
            self.add(row)
            at = self.position[row.memory_id]
        self.records[at] = record

    def retire(self, op: Retired) -> None:
        self.remove(op.memory_id)
        if op.superseded_turn is not None:
            self.superseded[op.memory_id] = op.superseded_turn
            self.superseded_turns[op.superseded_turn] += 1

    def _unsupersede(self, memory_id: str) -> None:
        turn = self.superseded.pop(memory_id, None)
        if turn is not None:
            self.superseded_turns[turn] -= 1

    def _mask(
        self, kinds: frozenset[str] | None, types: frozenset[str] | None
    ) -> npt.NDArray[np.bool_]:
        mask = self.live[: self.size].copy()
        if kinds is not None or types is not None:
            for i in np.flatnonzero(mask):
                kind, type_ = self.labels[i]
                if (kinds is not None and kind not in kinds) or (
                    types is not None and type_ not in types
                ):
                    mask[i] = False
        return mask

    def search(
        self,
        vector: Vector,
        limit: int,
        kinds: frozenset[str] | None = None,
        types: frozenset[str] | None = None,
    ) -> list[tuple[str, float]]:
        if self.size == 0 or limit <= 0:
            return []
        scores = _scan(self.matrix[: self.size], vector)
        sims = np.where(self._mask(kinds, types), scores, -2.0)
        k = min(limit, self.size)
        top = np.argpartition(-sims, k - 1)[:k]
        top = top[np.argsort(-sims[top])]
        return [(self.ids[i], float(sims[i])) for i in top if sims[i] > -2.0]

    def lexical(
        self,
        terms: Iterable[str],
        limit: int,
        kinds: frozenset[str] | None = None,
        types: frozenset[str] | None = None,
    ) -> list[tuple[str, float]]:
        """The `limit` live rows holding the most of the terms, by BM25 over the rows' distinct
        terms, the statistics `term_statistics` gives and `retrieval` scores with: the words a
        memory is found by are the words it is scored by."""
        live = self.live_count
        if self.size == 0 or limit <= 0 or not live:
            return []
        average = max(1.0, self.term_total / live)
        norm = 1.0 + K1 * (1.0 - B + B * self.lengths[: self.size] / average)
        scores = np.zeros(self.size, dtype=np.float32)
        for term in set(terms):
            rows = self.postings.get(term)
            if rows:
                weight = idf(max(0, self.df.get(term, 0)), live) * (K1 + 1.0)
                at = np.asarray(rows, dtype=np.intp)
                scores[at] += weight / norm[at]
        scores[~self._mask(kinds, types)] = 0.0
        found = np.flatnonzero(scores > 0.0)
        if len(found) > limit:
            found = found[np.argpartition(-scores[found], limit - 1)[:limit]]
        found = found[np.argsort(-scores[found], kind="stable")]
        return [(self.ids[i], float(scores[i])) for i in found]

    def nearest(
        self,
        vector: Vector,
        limit: int,
        *,
        flags: int,
        before_turn: int | None = None,
        leave_out: Iterable[str] = (),
        containing: frozenset[str] = frozenset(),
    ) -> list[tuple[str, float]]:
        """The `limit` live rows having every one of `flags` (and, given `before_turn`, a
        source turn before it, and given `containing`, all those terms) nearest `vector`,
        without the `leave_out` ids."""
        if self.size == 0 or limit <= 0:
            return []
        n = self.size
        mask = self.live[:n] & ((self.flags[:n] & flags) == flags)
        for term in containing:
            # From the postings: a fact naming a replaced value is found without reading
            # every fact of the user (on PostgreSQL, hundreds of rows an ingest).
            holding = np.zeros(n, dtype=bool)
            holding[self.postings.get(term, [])] = True
            mask &= holding
        if before_turn is not None:
            mask &= (self.turn_numbers[:n] >= 0) & (self.turn_numbers[:n] < before_turn)
        for memory_id in leave_out:
            at = self.position.get(memory_id)
            if at is not None:
                mask[at] = False
        rows = np.flatnonzero(mask)
        if not len(rows):
            return []
        sims = _scan(self.matrix[rows], vector)
        k = min(limit, len(rows))
        top = np.argpartition(-sims, k - 1)[:k]
        top = top[np.argsort(-sims[top], kind="stable")]
        return [(self.ids[rows[i]], float(sims[i])) for i in top]

    def turn_texts(self, turns: Iterable[int]) -> list[TurnText]:
        """The live chunks of the turns, by turn then chunk."""
        found: list[TurnText] = []
        rows = self.turn_rows
        for turn in sorted(set(turns)):
            if turn in rows:
                found.extend(rows[turn])
        return found

    def stale_turns(self, turns: Iterable[int]) -> set[int]:
        """The turns with a superseded fact and no live one."""
        return {t for t in turns if self.superseded_turns[t] > 0 and self.fact_turns[t] <= 0}

    def cached_record(self, memory_id: str) -> MemoryRecord | None:
        at = self.position.get(memory_id)
        return None if at is None else self.records[at]

    def keep_record(self, record: MemoryRecord) -> None:
        """Called under the store's lock with what it just read, so no write came between."""
        at = self.position.get(record.memory_id)
        if at is not None:
            self.records[at] = record

    def count_access(self, memory_ids: Iterable[str], turn: int | None, at: datetime) -> None:
        """What `record_access` wrote, done to the kept records too. Forgetting them instead
        sent the next searches to the file for exactly the memories they were finding (15
        reads a search, 0.7 ms, on one user holding REALTALK). An id named twice is one row
        updated once, as in SQL."""
        for memory_id in dict.fromkeys(memory_ids):
            kept = self.cached_record(memory_id)
            if kept is None:
                continue
            meta = kept.metadata
            counted = meta.model_copy(
                update={
                    "access_count": meta.access_count + 1,
                    "last_accessed": at,
                    "last_accessed_turn": max(meta.last_accessed_turn or 0, turn or 0),
                }
            )
            self.keep_record(kept.model_copy(update={"metadata": counted}))

    def cosines(self, vector: Vector, memory_ids: list[str]) -> dict[str, float]:
        rows = [(m, self.position[m]) for m in memory_ids if m in self.position]
        if not rows:
            return {}
        sims = self.matrix[[i for _, i in rows]] @ vector
        return {m: float(s) for (m, _), s in zip(rows, sims, strict=True)}


def pending_op(memory: MemoryRecord, embedding: Vector | None) -> IndexRow | Retired:
    """What a write does to the index, once it commits (an active memory needs its vector)."""
    if memory.status is MemoryStatus.active:
        assert embedding is not None
        return IndexRow(
            memory.memory_id,
            memory.kind.value,
            memory.type.value if memory.type else None,
            memory.content,
            np.asarray(embedding, dtype=np.float32),
            memory.metadata.slot,
            memory.metadata.source_turn,
            memory.metadata.role,
            memory.metadata.speaker,
            memory.metadata.chunk_index,
            memory.valid_to_turn is None,
        )
    superseded = memory.kind is MemoryKind.semantic and memory.status is MemoryStatus.superseded
    return Retired(memory.memory_id, memory.metadata.source_turn if superseded else None)


def nearest_in_transaction(
    index: UserIndex,
    lock: threading.RLock,
    changed: dict[str, IndexRow | Retired],
    vector: Vector,
    limit: int,
    flags: int,
    before_turn: int | None,
    containing: frozenset[str] = frozenset(),
) -> list[tuple[str, float]]:
    """`UserIndex.nearest` over the user's index as committed, with what an open transaction
    changed (`changed`, by memory id) in place of the committed rows."""
    with lock:
        found = dict(
            index.nearest(
                vector,
                limit,
                flags=flags,
                before_turn=before_turn,
                leave_out=changed,
                containing=containing,
            )
        )
    for memory_id, op in changed.items():
        if (
            isinstance(op, IndexRow)
            and _matches(op, flags, before_turn)
            and containing <= frozenset(content_terms(op.content))
        ):
            found[memory_id] = float(np.asarray(op.embedding, dtype=np.float32) @ vector)
    chosen = sorted(found, key=lambda m: -found[m])[:limit]
    return [(m, found[m]) for m in chosen]


def _matches(row: IndexRow, flags: int, before_turn: int | None) -> bool:
    semantic = row.kind == "semantic"
    if flags & SEMANTIC and not semantic:
        return False
    if flags & USER_TURN and (semantic or row.role != "user"):
        return False
    if flags & CURRENT and not row.current:
        return False
    turn = row.source_turn
    return before_turn is None or (turn is not None and turn < before_turn)


class IndexCache:
    """Bounded LRU of user indexes, keyed by (tenant, user)."""

    def __init__(self, dimension: int, max_users: int = 64) -> None:
        self._dimension = dimension
        self._max = max_users
        self._users: OrderedDict[tuple[str, str], UserIndex] = OrderedDict()
        self.lock = threading.RLock()

    def get(self, key: tuple[str, str]) -> UserIndex | None:
        with self.lock:
            found = self._users.get(key)
            if found is not None:
                self._users.move_to_end(key)
            return found

    def build(
        self,
        key: tuple[str, str],
        rows: list[IndexRow],
        superseded: list[tuple[str, int]],
        *,
        version: int = 0,
        born: int = 0,
    ) -> UserIndex:
        """`superseded`: (memory id, source turn) of the user's superseded facts."""
        index = UserIndex(self._dimension)
        for row in rows:
            index.add(row)
        for memory_id, turn in superseded:
            index.retire(Retired(memory_id, turn))
        index.version, index.born = version, born
        with self.lock:
            self._users[key] = index
            self._users.move_to_end(key)
            while len(self._users) > self._max:
                self._users.popitem(last=False)
        return index

    def drop(self, key: tuple[str, str]) -> None:
        with self.lock:
            self._users.pop(key, None)

    def clear(self) -> None:
        with self.lock:
            self._users.clear()
