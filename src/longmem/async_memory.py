"""`AsyncMemory`: the `Memory` API for asyncio applications.

Each call runs the synchronous, thread-safe `Memory` call in a worker thread, so an event loop
never waits on the embedding model or the store. The work and its guarantees are the same:
one transaction per write, typed exceptions raised from the awaited call.
"""

from __future__ import annotations

import asyncio
import builtins
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from longmem.cache import Cache
from longmem.config import Settings
from longmem.core.reconcile import Judge
from longmem.embedding.base import Embedder
from longmem.extraction.base import Extractor
from longmem.memory import Memory
from longmem.models import (
    ContextBlock,
    ExportedMemory,
    MemoryEvent,
    MemoryKind,
    MemoryRecord,
    MemoryStatus,
    MemoryType,
    OptimizeReport,
    Page,
    SearchHit,
    TurnIn,
    TurnResult,
    UserStats,
)
from longmem.store.base import Store


class AsyncMemory:
    """Awaitable twin of `Memory`.

    >>> async with AsyncMemory() as mem:
    ...     await mem.add_turn("user_123", "I love espresso", turn_number=1)
    ...     hits = await mem.search("user_123", "What coffee should I buy?")

    Constructing one loads the embedding model (about a second); `AsyncMemory.open` does that
    in a worker thread too. `AsyncMemory(memory=mem)` shares an existing `Memory`.
    """

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        memory: Memory | None = None,
        store: Store | None = None,
        embedder: Embedder | None = None,
        extractor: Extractor | None = None,
        cache: Cache | None = None,
        tenant_id: str = "default",
        judge: Judge | None = None,
    ) -> None:
        self._owns_memory = memory is None
        self._memory = memory or Memory(
            settings,
            store=store,
            embedder=embedder,
            extractor=extractor,
            cache=cache,
            tenant_id=tenant_id,
            judge=judge,
        )

    @classmethod
    async def open(cls, settings: Settings | None = None, **parts: Any) -> AsyncMemory:
        """Builds the `AsyncMemory` (and loads the model) without blocking the event loop."""
        return await asyncio.to_thread(lambda: cls(settings, **parts))

    @property
    def sync(self) -> Memory:
        """The synchronous `Memory` underneath, for code that is not async."""
        return self._memory

    @property
    def settings(self) -> Settings:
        return self._memory.settings

    async def close(self) -> None:
        """Closes the `Memory` if this object made it."""
        if self._owns_memory:
            await asyncio.to_thread(self._memory.close)

    async def __aenter__(self) -> AsyncMemory:
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.close()

    async def flush(self) -> None:
        await asyncio.to_thread(self._memory.flush)

    # -- writing ---------------------------------------------------------------------------

    async def add_turn(
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
        return await asyncio.to_thread(
            self._memory.add_turn,
            user_id,
            content,
            turn_number=turn_number,
            role=role,
            speaker=speaker,
            timestamp=timestamp,
            extract=extract,
        )

    async def add_turns(
        self,
        user_id: str,
        turns: Sequence[TurnIn | Mapping[str, Any]],
        *,
        extract: bool = True,
    ) -> builtins.list[TurnResult]:
        return await asyncio.to_thread(self._memory.add_turns, user_id, turns, extract=extract)

    async def extract_turn(self, user_id: str, turn_number: int) -> TurnResult:
        return await asyncio.to_thread(self._memory.extract_turn, user_id, turn_number)

    async def add(
        self,
        user_id: str,
        content: str,
        type: MemoryType | str,
        *,
        source_turn: int | None = None,
        confidence: float = 1.0,
    ) -> MemoryRecord:
        return await asyncio.to_thread(
            self._memory.add,
            user_id,
            content,
            type,
            source_turn=source_turn,
            confidence=confidence,
        )

    async def update(
        self,
        user_id: str,
        memory_id: str,
        *,
        content: str | None = None,
        type: MemoryType | str | None = None,
        confidence: float | None = None,
    ) -> MemoryRecord:
        return await asyncio.to_thread(
            self._memory.update,
            user_id,
            memory_id,
            content=content,
            type=type,
            confidence=confidence,
        )

    async def delete(self, user_id: str, memory_id: str) -> MemoryRecord:
        return await asyncio.to_thread(self._memory.delete, user_id, memory_id)

    async def delete_all(self, user_id: str) -> dict[str, int]:
        return await asyncio.to_thread(self._memory.delete_all, user_id)

    async def rollback(self, user_id: str, memory_id: str, version: int) -> MemoryRecord:
        return await asyncio.to_thread(self._memory.rollback, user_id, memory_id, version)

    async def optimize(self, user_id: str, current_turn: int | None = None) -> OptimizeReport:
        return await asyncio.to_thread(self._memory.optimize, user_id, current_turn)

    async def import_memories(self, items: Iterable[ExportedMemory]) -> dict[str, int]:
        return await asyncio.to_thread(self._memory.import_memories, items)

    # -- reading ---------------------------------------------------------------------------

    async def search(
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
        return await asyncio.to_thread(
            self._memory.search,
            user_id,
            query,
            top_k=top_k,
            current_turn=current_turn,
            types=types,
            kinds=kinds,
            min_relevance=min_relevance,
        )

    async def context(
        self,
        user_id: str,
        message: str,
        *,
        current_turn: int | None = None,
        max_tokens: int | None = None,
    ) -> ContextBlock:
        return await asyncio.to_thread(
            self._memory.context,
            user_id,
            message,
            current_turn=current_turn,
            max_tokens=max_tokens,
        )

    async def get(self, user_id: str, memory_id: str) -> MemoryRecord:
        return await asyncio.to_thread(self._memory.get, user_id, memory_id)

    async def list(
        self,
        user_id: str,
        *,
        kinds: Iterable[MemoryKind | str] | None = None,
        types: Iterable[MemoryType | str] | None = None,
        statuses: Iterable[MemoryStatus | str] | None = None,
        cursor: str | None = None,
        limit: int = 100,
    ) -> Page:
        return await asyncio.to_thread(
            self._memory.list,
            user_id,
            kinds=kinds,
            types=types,
            statuses=statuses,
            cursor=cursor,
            limit=limit,
        )

    async def history(self, user_id: str, memory_id: str) -> builtins.list[MemoryEvent]:
        return await asyncio.to_thread(self._memory.history, user_id, memory_id)

    async def stats(self, user_id: str) -> UserStats:
        return await asyncio.to_thread(self._memory.stats, user_id)

    async def export_user(self, user_id: str) -> builtins.list[ExportedMemory]:
        """Everything stored about the user, as a list (the sync call streams it)."""
        return await asyncio.to_thread(lambda: builtins.list(self._memory.export_user(user_id)))
