"""The components one `Memory` works with, chosen once from settings."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import numpy as np

from longmem.config import Settings
from longmem.core.decay import DecayPolicy
from longmem.core.scoring import Weights
from longmem.embedding.base import Embedder, Vectors
from longmem.extraction.base import Extractor
from longmem.store.base import Store


class EmbeddingCache:
    """LRU of query embeddings per user: the same question asked again costs no model call.
    Keyed by user so that erasing a user also erases the questions they asked."""

    def __init__(self, size: int = 2048) -> None:
        self._size = size
        self._items: OrderedDict[tuple[str, str], np.ndarray] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, user_id: str, text: str) -> np.ndarray | None:
        key = (user_id, text)
        with self._lock:
            found = self._items.get(key)
            if found is None:
                self.misses += 1
            else:
                self.hits += 1
                self._items.move_to_end(key)
            return found

    def put(self, user_id: str, text: str, vector: np.ndarray) -> None:
        key = (user_id, text)
        with self._lock:
            self._items[key] = vector
            self._items.move_to_end(key)
            while len(self._items) > self._size:
                self._items.popitem(last=False)

    def forget(self, user_id: str) -> int:
        with self._lock:
            doomed = [k for k in self._items if k[0] == user_id]
            for key in doomed:
                del self._items[key]
            return len(doomed)


@dataclass
class Engine:
    settings: Settings
    store: Store
    embedder: Embedder
    extractor: Extractor
    tenant_id: str = "default"
    query_cache: EmbeddingCache = field(default_factory=EmbeddingCache)

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

    def embed_query(self, user_id: str, text: str) -> np.ndarray:
        cached = self.query_cache.get(user_id, text)
        if cached is None:
            cached = self.embedder.embed([text])[0]
            self.query_cache.put(user_id, text, cached)
        return cached


def now() -> datetime:
    return datetime.now(UTC)
