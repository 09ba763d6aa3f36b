"""The components one `Memory` works with, chosen once from settings."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from longmem.cache import Cache, InProcessCache, memory_key, query_key
from longmem.config import Settings
from longmem.core.decay import DecayPolicy
from longmem.core.reconcile import Judge
from longmem.core.scoring import Weights
from longmem.embedding.base import Embedder, Vectors
from longmem.extraction.base import Extractor
from longmem.models import MemoryRecord
from longmem.store.base import Store, StoreTx


@dataclass
class Engine:
    settings: Settings
    store: Store
    embedder: Embedder
    extractor: Extractor
    tenant_id: str = "default"
    cache: Cache = field(default_factory=InProcessCache)
    judge: Judge | None = None  # an LLM that proposes reconciliation decisions

    @property
    def weights(self) -> Weights:
        s = self.settings
        return Weights(
            s.score_weight_semantic,
            s.score_weight_recency,
            s.score_weight_access,
            s.score_weight_confidence,
        )

    @property
    def decay_policy(self) -> DecayPolicy:
        s = self.settings
        return DecayPolicy(
            s.memory_decay_turns,
            s.memory_decay_days,
            s.optimize_min_decay_score,
            s.optimize_protect_recent_turns,
        )

    def embed(self, texts: Sequence[str]) -> Vectors:
        return self.embedder.embed(texts)

    def embed_query(self, user_id: str, text: str) -> Vectors:
        return self.embed_queries(user_id, [text])[0]

    def embed_queries(self, user_id: str, texts: Sequence[str]) -> list[Vectors]:
        """Each text's vector, from the cache where it is; the rest in one model call."""
        # The model is part of the key: a shared Redis may outlive a change of embedder.
        keys = [
            query_key(self.tenant_id, user_id, f"{self.embedder.model_name}\n{t}") for t in texts
        ]
        found = [self.cache.get_vector(key) for key in keys]
        missing = [i for i, vector in enumerate(found) if vector is None]
        if missing:
            for i, vector in zip(
                missing, self.embedder.embed([texts[i] for i in missing]), strict=True
            ):
                self.cache.put_vector(keys[i], vector)
                found[i] = vector
        return [v for v in found if v is not None]

    def records(self, user_id: str, memory_ids: Sequence[str]) -> list[MemoryRecord]:
        """Records by id, hot ones from the cache; what the store returns hot is cached."""
        keys = {m: memory_key(self.tenant_id, user_id, m) for m in memory_ids}
        found: dict[str, MemoryRecord] = {}
        for memory_id, key in keys.items():
            hit = self.cache.get_record(key)
            if hit is not None:
                found[memory_id] = hit
        missing = [m for m in memory_ids if m not in found]
        hot = self.settings.memory_cache_hot_threshold
        for record in self.store.get_many(self.tenant_id, user_id, missing):
            found[record.memory_id] = record
            if record.metadata.access_count >= hot:
                self.cache.put_record(keys[record.memory_id], record)
        return [found[m] for m in memory_ids if m in found]

    @contextmanager
    def transaction(self) -> Iterator[StoreTx]:
        """A store transaction whose changed memories leave the cache once it commits."""
        with self.store.transaction() as tx:
            tracked = _TrackedTx(tx)
            yield tracked
        self.cache.delete(memory_key(self.tenant_id, u, m) for u, m in tracked.changed)


class _TrackedTx:
    """Delegates to the store's transaction and remembers which memories it changed."""

    def __init__(self, tx: StoreTx) -> None:
        self._tx = tx
        self.changed: set[tuple[str, str]] = set()

    def update(self, memory: MemoryRecord, embedding: Vectors | None = None) -> None:
        self._tx.update(memory, embedding)
        self.changed.add((memory.user_id, memory.memory_id))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._tx, name)


def now() -> datetime:
    return datetime.now(UTC)
