"""`Memory`: the public, synchronous, thread-safe API of longmem."""

from __future__ import annotations

import builtins
import contextlib
import queue
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from longmem import ingest, lifecycle, retrieval, validation
from longmem.cache import Cache, open_cache
from longmem.config import Settings, get_settings
from longmem.core import concreteness, rarity
from longmem.core.context import STANDING_SLOTS, build_context, gate
from longmem.core.reconcile import Judge
from longmem.core.speakers import embedding_text, vector_text
from longmem.core.text import estimate_tokens
from longmem.embedding.base import Embedder
from longmem.engine import Engine, now
from longmem.errors import LongmemError, NotFoundError, ValidationError, VectorIndexErasureError
from longmem.extraction import Extractor, OfflineExtractor
from longmem.models import (
    ContextBlock,
    EventAction,
    ExportedMemory,
    MemoryEvent,
    MemoryKind,
    MemoryRecord,
    MemoryStatus,
    MemoryType,
    OptimizeReport,
    Page,
    ScoreParts,
    SearchHit,
    TurnIn,
    TurnResult,
    UserStats,
)
from longmem.progress import progress as turn_progress
from longmem.store.base import MemoryFilter, Store
from longmem.store.embedding_record import check_embedder

if TYPE_CHECKING:
    from longmem.llm.client import OpenAIClient


def _importable(items: Iterable[ExportedMemory]) -> builtins.list[ExportedMemory]:
    """The items, once each is known to be one memory with its own history; naive times
    (a hand-written line) are taken as UTC, as a turn's are."""
    batch = [_aware(item) for item in items]
    seen: set[str] = set()
    for index, item in enumerate(batch):
        memory = item.memory
        validation.user_id(memory.user_id)
        if not memory.memory_id or not memory.content.strip():
            raise ValidationError("a memory needs an id and content", field=f"items.{index}")
        if memory.memory_id in seen:
            raise ValidationError(f"memory {memory.memory_id!r} twice", field=f"items.{index}")
        seen.add(memory.memory_id)
        for event in item.history:
            if (event.memory_id, event.user_id) != (memory.memory_id, memory.user_id):
                raise ValidationError(
                    f"an event of memory {event.memory_id!r} of user {event.user_id!r} in the"
                    f" history of memory {memory.memory_id!r} of user {memory.user_id!r}",
                    field=f"items.{index}.history",
                )
    return batch


def _aware(item: ExportedMemory) -> ExportedMemory:
    utc = validation.timestamp
    memory, meta = item.memory, item.memory.metadata
    return ExportedMemory(
        memory=memory.model_copy(
            update={
                "valid_from": utc(memory.valid_from),
                "valid_to": utc(memory.valid_to),
                "metadata": meta.model_copy(
                    update={
                        "created_at": utc(meta.created_at),
                        "updated_at": utc(meta.updated_at),
                        "last_accessed": utc(meta.last_accessed),
                    }
                ),
            }
        ),
        history=[e.model_copy(update={"created_at": utc(e.created_at)}) for e in item.history],
    )


# Access bookkeeping is written at most once a window: a write after every search woke a
# second thread that competed with the searches for the GIL and the store (one user holding
# REALTALK: search p50 38 ms with a write a search, 25 ms without).
ACCESS_WINDOW_SECONDS = 1.0


class _AccessWriter:
    """Writes access bookkeeping off the search path, in one background thread, gathering
    what the searches of one window touched into a few writes."""

    def __init__(self, store: Store, tenant_id: str) -> None:
        self._store = store
        self._tenant = tenant_id
        self._queue: queue.Queue[tuple[str, list[str], int | None, datetime] | None] = queue.Queue()
        self._now = threading.Event()  # flush: write what is queued without waiting
        self._thread = threading.Thread(target=self._run, name="longmem-access", daemon=True)
        self._thread.start()

    def submit(self, user_id: str, memory_ids: list[str], turn: int | None) -> None:
        if memory_ids:
            self._queue.put((user_id, memory_ids, turn, now()))

    def _run(self) -> None:
        while True:
            batch = [self._queue.get()]
            if batch[0] is not None:
                self._now.wait(ACCESS_WINDOW_SECONDS)
            self._now.clear()
            while True:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            try:
                self._write([item for item in batch if item is not None])
            finally:
                for _ in batch:
                    self._queue.task_done()
            if None in batch:
                return

    def _write(
        self, batch: builtins.list[tuple[str, builtins.list[str], int | None, datetime]]
    ) -> None:
        for user_id, rounds in access_rounds(batch).items():
            for ids, turn, at in rounds:
                # Bookkeeping only: a failed counter update must never fail a search.
                with contextlib.suppress(LongmemError):
                    self._store.record_access(self._tenant, user_id, ids, turn, at)

    def flush(self) -> None:
        self._now.set()
        self._queue.join()

    def close(self) -> None:
        self._queue.put(None)
        self._now.set()
        self._thread.join(timeout=5)


def access_rounds(
    batch: Iterable[tuple[str, builtins.list[str], int | None, datetime]],
) -> dict[str, builtins.list[tuple[builtins.list[str], int | None, datetime]]]:
    """A window's accesses as few `record_access` calls a user, counting each access: a memory
    found by three searches is in the first three rounds. A round carries the latest turn and
    time of the searches in it."""
    seen: dict[str, dict[str, tuple[int, int | None, datetime]]] = {}
    for user_id, ids, turn, at in batch:
        counts = seen.setdefault(user_id, {})
        for memory_id in dict.fromkeys(ids):
            n, last_turn, last_at = counts.get(memory_id, (0, None, at))
            newest = max((t for t in (last_turn, turn) if t is not None), default=None)
            counts[memory_id] = (n + 1, newest, max(last_at, at))
    rounds: dict[str, builtins.list[tuple[builtins.list[str], int | None, datetime]]] = {}
    for user_id, counts in seen.items():
        for r in range(max(n for n, _, _ in counts.values())):
            members = {m: v for m, v in counts.items() if v[0] > r}
            turns = [t for _, t, _ in members.values() if t is not None]
            rounds.setdefault(user_id, []).append(
                (
                    builtins.list(members),
                    max(turns) if turns else None,
                    max(at for _, _, at in members.values()),
                )
            )
    return rounds


def _filter(
    kinds: Iterable[MemoryKind | str] | None,
    types: Iterable[MemoryType | str] | None,
    statuses: Iterable[MemoryStatus | str] | None = None,
) -> MemoryFilter:
    try:
        return MemoryFilter(
            kinds=frozenset(MemoryKind(k) for k in kinds) if kinds else None,
            types=frozenset(validation.memory_type(t) for t in types) if types else None,
            statuses=frozenset(MemoryStatus(s) for s in statuses)
            if statuses
            else frozenset({MemoryStatus.active}),
        )
    except ValueError as exc:
        raise ValidationError(str(exc), field="filters") from None


class Memory:
    """Long-term memory for many users, on the embedded store unless told otherwise.

    >>> mem = Memory()
    >>> mem.add_turn("user_123", "I love espresso and prefer dark roast coffee", turn_number=1)
    >>> mem.search("user_123", "What kind of coffee should I buy?")[0].memory.content
    """

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        store: Store | None = None,
        embedder: Embedder | None = None,
        extractor: Extractor | None = None,
        cache: Cache | None = None,
        tenant_id: str = "default",
        judge: Judge | None = None,
    ) -> None:
        settings = settings or get_settings()
        if embedder is None:
            from longmem.embedding.factory import make_embedder

            embedder = make_embedder(settings)
        self._owns_store = store is None
        if store is None:
            from longmem.store.factory import open_store

            store = open_store(settings, embedder.dimension)
        try:
            check_embedder(store, embedder)
        except LongmemError:
            if self._owns_store:
                store.close()
            raise
        llm_parts = _default_llm_parts(settings, want=extractor is None or judge is None)
        self._llm_client = llm_parts.client  # opened here, so closed here
        self._engine = Engine(
            settings=settings,
            store=store,
            embedder=embedder,
            extractor=extractor or llm_parts.extractor,
            tenant_id=tenant_id,
            cache=cache or open_cache(settings),
            judge=judge or llm_parts.judge,
        )
        self._access = _AccessWriter(store, tenant_id)
        rarity.load()
        concreteness.load()
        self._turn_lock = threading.Lock()

    @property
    def settings(self) -> Settings:
        return self._engine.settings

    @property
    def store(self) -> Store:
        return self._engine.store

    @property
    def engine(self) -> Engine:
        return self._engine

    def close(self) -> None:
        """Stops background bookkeeping; closes the store if this `Memory` opened it."""
        self._access.close()
        if self._llm_client is not None:
            self._llm_client.close()
        if self._owns_store:
            self._engine.store.close()

    def __enter__(self) -> Memory:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def flush(self) -> None:
        """Wait until background bookkeeping has reached the store."""
        self._access.flush()

    # -- writing ---------------------------------------------------------------------------

    def add_turn(
        self,
        user_id: str,
        content: str,
        *,
        turn_number: int | None = None,
        role: str = "user",
        speaker: str | None = None,
        timestamp: datetime | None = None,
        extract: bool = True,
    ) -> TurnResult:
        """Record a turn (episodic), extract and reconcile what it states (semantic).
        With `extract=False` only the turn is recorded, with its row in the store's outbox of
        extraction; `extract_turn` finishes it later (the service does, even after a crash)."""
        return self.add_turns(
            user_id,
            [
                TurnIn(
                    content=content,
                    turn_number=turn_number,
                    role=role,
                    speaker=speaker,
                    timestamp=timestamp,
                )
            ],
            extract=extract,
        )[0]

    def add_turns(
        self,
        user_id: str,
        turns: Sequence[TurnIn | Mapping[str, Any]],
        *,
        progress: bool = False,
        extract: bool = True,
    ) -> builtins.list[TurnResult]:
        """Import a history. All turns are validated before anything is written; then each
        batch of `BATCH_EMBEDDING_SIZE` turns is one transaction. With `extract=False` only
        the episodic records are written, each with its row in the outbox of extraction;
        `extract_turn` does the rest later."""
        engine = self._engine
        user_id = validation.user_id(user_id)
        parsed = [self._turn_in(t, i) for i, t in enumerate(turns)]
        results: builtins.list[TurnResult] = []
        batch = engine.settings.batch_embedding_size
        with self._turn_lock, turn_progress(progress, len(parsed)) as advance:
            next_turn = engine.store.user_state(engine.tenant_id, user_id)[0] + 1
            numbered: builtins.list[TurnIn] = []
            for turn in parsed:
                number = turn.turn_number if turn.turn_number is not None else next_turn
                next_turn = max(next_turn, number + 1)
                numbered.append(turn.model_copy(update={"turn_number": number}))
            for start in range(0, len(numbered), batch):
                prepared = [
                    ingest.prepare(
                        engine,
                        t.content,
                        t.turn_number or 0,
                        t.role,
                        t.speaker,
                        t.timestamp or now(),
                        extract=extract,
                    )
                    for t in numbered[start : start + batch]
                ]
                vectors = engine.embed(ingest.texts_to_embed(prepared))
                advice = ingest.advise_turns(engine, user_id, prepared, vectors)
                with engine.transaction() as tx:
                    results.extend(
                        ingest.write_turns(engine, tx, user_id, prepared, vectors, advice)
                    )
                advance(len(prepared))
        return results

    def extract_turn(self, user_id: str, turn_number: int) -> TurnResult:
        """Extract and reconcile the semantic memories of a recorded turn, and take it out of
        the outbox in the same transaction. Idempotent: a second run finds its own memories
        and decides NOOP."""
        engine = self._engine
        user_id = validation.user_id(user_id)
        validation.turn(turn_number)
        chunks = engine.store.turn_chunks(engine.tenant_id, user_id, turn_number)
        if not chunks:
            raise NotFoundError(f"no recorded turn {turn_number} for user {user_id!r}")
        first = chunks[0]
        prepared = ingest.prepare(
            engine,
            " ".join(c.content for c in chunks),
            turn_number,
            first.metadata.role or "user",
            first.metadata.speaker,
            first.valid_from or first.metadata.created_at,
        )
        vectors = engine.embed([embedding_text(c.content, c.speaker) for c in prepared.candidates])
        # A statement of change is linked by the meaning of its turn: the chunks are embedded
        # again (outside the transaction), not read from an index an erasure may have emptied.
        changes = any(c.changes for c in prepared.candidates)
        chunk_vectors = engine.embed([c.content for c in chunks]) if changes else None
        advice = ingest.advise(engine, user_id, prepared.candidates, vectors)
        with self._turn_lock, engine.transaction() as tx:
            if not tx.lock_user(engine.tenant_id, user_id):
                raise NotFoundError(f"user {user_id!r} was erased")
            outcomes = [
                ingest.reconcile(
                    engine,
                    tx,
                    user_id,
                    candidate,
                    vectors[i],
                    turn_number,
                    prepared.timestamp,
                    advice[i],
                )
                for i, candidate in enumerate(prepared.candidates)
            ]
            if chunk_vectors is not None:
                ingest.link_change(
                    engine, tx, user_id, prepared, chunks, outcomes, chunk_vectors, vectors
                )
            tx.extraction_done(engine.tenant_id, user_id, turn_number)
        return TurnResult(
            user_id=user_id, turn_number=turn_number, episodic=chunks, outcomes=outcomes
        )

    def _turn_in(self, turn: TurnIn | Mapping[str, Any], index: int = 0) -> TurnIn:
        """One turn validated; an error names the turn's place in the batch (`turns.5000`)."""
        try:
            parsed = turn if isinstance(turn, TurnIn) else TurnIn.model_validate(turn)
        except ValueError as exc:
            raise ValidationError(str(exc), field=f"turns.{index}") from None
        try:
            validation.content(parsed.content, self.settings.max_content_chars)
            validation.turn(parsed.turn_number)
        except ValidationError as exc:
            raise type(exc)(str(exc), field=f"turns.{index}") from None
        if parsed.role not in ("user", "assistant", "system"):
            raise ValidationError(f"unknown role {parsed.role!r}", field=f"turns.{index}.role")
        return parsed.model_copy(
            update={
                "content": parsed.content.strip(),
                "timestamp": validation.timestamp(parsed.timestamp),
            }
        )

    def add(
        self,
        user_id: str,
        content: str,
        type: MemoryType | str,
        *,
        source_turn: int | None = None,
        confidence: float = 1.0,
    ) -> MemoryRecord:
        """Store an explicit semantic memory as given (no extraction, no reconciliation)."""
        engine = self._engine
        record = ingest.semantic_record(
            engine,
            validation.user_id(user_id),
            validation.memory_type(type),
            validation.content(content, engine.settings.max_content_chars),
            validation.confidence(confidence),
            validation.turn(source_turn, "source_turn"),
            now(),
        )
        vector = engine.embed([record.content])[0]
        with engine.transaction() as tx:
            tx.insert(record, vector)
            tx.append_event(record, EventAction.create, "added explicitly", source_turn)
        return record

    def update(
        self,
        user_id: str,
        memory_id: str,
        *,
        content: str | None = None,
        type: MemoryType | str | None = None,
        confidence: float | None = None,
    ) -> MemoryRecord:
        engine = self._engine
        current = lifecycle.require(engine, user_id, memory_id)
        changes: dict[str, Any] = {"version": current.version + 1}
        meta: dict[str, Any] = {"updated_at": now()}
        if content is not None:
            changes["content"] = validation.content(content, engine.settings.max_content_chars)
        if type is not None:
            changes["type"] = validation.memory_type(type)
        if confidence is not None:
            meta["confidence"] = validation.confidence(confidence)
        if len(changes) == 1 and len(meta) == 1:
            raise ValidationError("nothing to change: give content, type or confidence")
        changes["metadata"] = current.metadata.model_copy(update=meta)
        updated = current.model_copy(update=changes)
        vector = engine.embed([vector_text(updated)])[0] if content is not None else None
        with engine.transaction() as tx:
            tx.update(updated, vector)
            tx.append_event(updated, EventAction.update, "edited", None)
        return updated

    def delete(self, user_id: str, memory_id: str) -> MemoryRecord:
        """Soft delete: the memory leaves search and lists but keeps its history."""
        current = lifecycle.require(self._engine, user_id, memory_id)
        deleted = current.model_copy(
            update={
                "status": MemoryStatus.deleted,
                "version": current.version + 1,
                "metadata": current.metadata.model_copy(update={"updated_at": now()}),
            }
        )
        with self._engine.transaction() as tx:
            tx.update(deleted)
            tx.append_event(deleted, EventAction.delete, "deleted", None)
        return deleted

    def delete_all(self, user_id: str) -> dict[str, int]:
        """Erase every trace of a user: records, vectors, full text, history, counters and
        the embeddings of the questions they asked."""
        user_id = validation.user_id(user_id)
        self._access.flush()
        engine = self._engine
        try:
            counts = engine.store.delete_user(engine.tenant_id, user_id)
        except VectorIndexErasureError:
            # The store is erased, only the vector index is behind: the cache forgets the user
            # now rather than at the retry.
            engine.cache.forget_user(engine.tenant_id, user_id)
            raise
        counts["cache_entries"] = engine.cache.forget_user(engine.tenant_id, user_id)
        return counts

    def rollback(self, user_id: str, memory_id: str, version: int) -> MemoryRecord:
        return lifecycle.rollback(self._engine, user_id, memory_id, version, now())

    def optimize(self, user_id: str, current_turn: int | None = None) -> OptimizeReport:
        turn = validation.turn(current_turn, "current_turn")
        if turn is None:
            turn = self._engine.store.user_state(self._engine.tenant_id, user_id)[0]
        return lifecycle.optimize(self._engine, validation.user_id(user_id), turn, now())

    def export_user(self, user_id: str) -> Iterator[ExportedMemory]:
        """Every memory of the user, in any status, each with its whole history."""
        engine = self._engine
        statuses = frozenset(MemoryStatus)
        for memory in engine.store.iter_user(
            engine.tenant_id, validation.user_id(user_id), MemoryFilter(statuses=statuses)
        ):
            yield ExportedMemory(
                memory=memory,
                history=engine.store.history(engine.tenant_id, user_id, memory.memory_id),
            )

    def import_memories(self, items: Iterable[ExportedMemory]) -> dict[str, int]:
        """Restores exported memories with their history, in one transaction; memories whose
        id the user already holds are skipped, so importing again is harmless. Vectors are
        recomputed by this store's embedder. An item whose history belongs to another memory
        is a `ValidationError`; an id another user holds, a `ConflictError`; either way
        nothing is written."""
        engine = self._engine
        batch = _importable(items)
        existing = {
            m.memory_id
            for item in batch
            if (m := engine.store.get(engine.tenant_id, item.memory.user_id, item.memory.memory_id))
        }
        fresh = [i for i in batch if i.memory.memory_id not in existing]
        vectors = engine.embed([vector_text(i.memory) for i in fresh])
        turns: dict[str, set[int]] = {}
        with engine.transaction() as tx:
            for item, vector in zip(fresh, vectors, strict=True):
                record = item.memory.model_copy(update={"tenant_id": engine.tenant_id})
                tx.insert(record, vector)
                for event in item.history:
                    tx.insert_event(event, engine.tenant_id)
                if record.kind is MemoryKind.episodic and record.metadata.source_turn is not None:
                    turns.setdefault(record.user_id, set()).add(record.metadata.source_turn)
            for user, seen in turns.items():
                tx.touch_user(engine.tenant_id, user, max(seen), len(seen))
        return {"imported": len(fresh), "skipped": len(existing)}

    # -- reading ---------------------------------------------------------------------------

    def search(
        self,
        user_id: str,
        query: str,
        *,
        top_k: int | None = None,
        current_turn: int | None = None,
        types: Iterable[MemoryType | str] | None = None,
        kinds: Iterable[MemoryKind | str] | None = None,
        min_relevance: float | None = None,
    ) -> builtins.list[SearchHit]:
        """The `top_k` memories that best answer `query`, best first, each with its calibrated
        relevance (`hit.parts.relevance`); `min_relevance` drops hits below it. Search ranks and
        does not gate: `context` adds only what clears RELEVANCE_FLOOR to a prompt."""
        engine = self._engine
        user_id = validation.user_id(user_id)
        text = validation.content(query, engine.settings.max_content_chars, field="query")
        k = validation.top_k(top_k if top_k is not None else engine.settings.memory_retrieval_top_k)
        turn = validation.turn(current_turn, "current_turn")
        if turn is None:
            turn = engine.store.user_state(engine.tenant_id, user_id)[0]
        hits = retrieval.search(
            engine,
            user_id,
            text,
            top_k=k,
            current_turn=turn,
            flt=_filter(kinds, types),
            at=now(),
            min_relevance=validation.relevance(min_relevance),
        )
        # A memory counts as used when it was relevant enough to reach a prompt; counting every
        # ranked hit would mark everything used and leave cleanup nothing to remove.
        used = gate(hits, engine.settings.relevance_floor)
        self._access.submit(user_id, [h.memory.memory_id for h in used], turn)
        return hits

    def context(
        self,
        user_id: str,
        message: str,
        *,
        current_turn: int | None = None,
        max_tokens: int | None = None,
    ) -> ContextBlock:
        """The memory block for an LLM prompt: standing instructions, then what the message
        recalls, cut to `max_tokens` (default MAX_CONTEXT_TOKENS)."""
        engine = self._engine
        budget = max_tokens if max_tokens is not None else engine.settings.max_context_tokens
        if budget < 1:
            raise ValidationError("must be positive", field="max_tokens")
        ranked = gate(
            self.search(
                user_id,
                message,
                top_k=min(50, engine.settings.memory_retrieval_top_k * 2),
                current_turn=current_turn,
            ),
            engine.settings.relevance_floor,
        )
        store, tenant = engine.store, engine.tenant_id
        instructions = store.iter_user(
            tenant, user_id, MemoryFilter(types=frozenset({MemoryType.instruction}))
        )
        # From the user's slot index (cached on SQLite) and the record cache, as search reads them.
        constraints = engine.records(
            user_id, [m for m, slot in store.slots(tenant, user_id) if slot in STANDING_SLOTS]
        )
        standing = [
            SearchHit(memory=m, score=1.0, parts=_standing_parts(m))
            for m in (*instructions, *constraints)
        ]
        text, used = build_context(standing, ranked, budget, estimate_tokens)
        return ContextBlock(text=text, tokens=estimate_tokens(text) if text else 0, memories=used)

    context_for = context

    def get(self, user_id: str, memory_id: str) -> MemoryRecord:
        return lifecycle.require(self._engine, validation.user_id(user_id), memory_id)

    def list(
        self,
        user_id: str,
        *,
        kinds: Iterable[MemoryKind | str] | None = None,
        types: Iterable[MemoryType | str] | None = None,
        statuses: Iterable[MemoryStatus | str] | None = None,
        cursor: str | None = None,
        limit: int = 100,
    ) -> Page:
        if not 1 <= limit <= 1000:
            raise ValidationError("must be between 1 and 1000", field="limit")
        engine = self._engine
        items = engine.store.list_page(
            engine.tenant_id,
            validation.user_id(user_id),
            _filter(kinds, types, statuses),
            after=cursor,
            limit=limit + 1,
        )
        more = len(items) > limit
        items = items[:limit]
        return Page(items=items, next_cursor=items[-1].memory_id if more and items else None)

    def history(self, user_id: str, memory_id: str) -> builtins.list[MemoryEvent]:
        lifecycle.require(self._engine, user_id, memory_id)
        return self._engine.store.history(self._engine.tenant_id, user_id, memory_id)

    def stats(self, user_id: str) -> UserStats:
        engine = self._engine
        user_id = validation.user_id(user_id)
        self._access.flush()
        counts = engine.store.counts(engine.tenant_id, user_id)
        _, turns_seen, last_optimize = engine.store.user_state(engine.tenant_id, user_id)
        hot = engine.store.hot_count(
            engine.tenant_id, user_id, engine.settings.memory_cache_hot_threshold
        )
        active = counts["status"].get(MemoryStatus.active.value, 0)
        return UserStats(
            user_id=user_id,
            total=sum(counts["status"].values()),
            by_type=counts["type"],
            by_kind=counts["kind"],
            by_status=counts["status"],
            turns_seen=turns_seen,
            hot=hot,
            cold=active - hot,
            storage_bytes=engine.store.storage_bytes(engine.tenant_id, user_id),
            last_optimize=last_optimize,
        )


class _LLMParts(NamedTuple):
    extractor: Extractor
    judge: Judge | None
    client: OpenAIClient | None


def _default_llm_parts(settings: Settings, *, want: bool) -> _LLMParts:
    """The offline extractor and no judge, unless an LLM endpoint is configured."""
    offline = OfflineExtractor(settings.memory_confidence_threshold)
    if not (want and settings.llm_configured):
        return _LLMParts(offline, None, None)
    from longmem.llm.factory import make_client, make_extractor, make_judge

    client = make_client(settings)
    return _LLMParts(
        make_extractor(settings, client, offline), make_judge(settings, client), client
    )


def _standing_parts(memory: MemoryRecord) -> ScoreParts:
    """A standing memory applies to every turn: it is in the context whatever the query."""
    return ScoreParts(
        semantic=1.0,
        dense=0.0,
        lexical=0.0,
        recency=1.0,
        access=0.0,
        confidence=memory.metadata.confidence,
        relevance=1.0,
    )
