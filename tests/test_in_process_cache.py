"""The embedded default's cache: bounded, query embeddings and records kept apart."""

from datetime import UTC, datetime

import numpy as np

from longmem.cache import InProcessCache, memory_key, query_key
from longmem.models import MemoryKind, MemoryRecord, MemoryType

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def _record(n: int) -> MemoryRecord:
    return MemoryRecord.model_validate(
        {
            "memory_id": f"m{n}",
            "user_id": "ana",
            "kind": MemoryKind.episodic,
            "type": MemoryType.fact,
            "content": f"turn {n}",
            "metadata": {"created_at": NOW, "updated_at": NOW},
        }
    )


def test_hot_records_never_evict_query_embeddings():
    cache = InProcessCache(size=8)
    vector = np.ones(4, dtype=np.float32)
    cache.put_vector(query_key("t", "ana", "where do I live?"), vector)
    for n in range(100):
        cache.put_record(memory_key("t", "ana", f"m{n}"), _record(n))
    assert cache.get_vector(query_key("t", "ana", "where do I live?")) is vector


def test_each_kind_keeps_only_its_most_recently_used_entries():
    cache = InProcessCache(size=2)
    keys = [memory_key("t", "ana", f"m{n}") for n in range(3)]
    cache.put_record(keys[0], _record(0))
    cache.put_record(keys[1], _record(1))
    assert cache.get_record(keys[0]) is not None  # used: now the newest
    cache.put_record(keys[2], _record(2))
    assert cache.get_record(keys[1]) is None
    assert cache.get_record(keys[0]) is not None and cache.get_record(keys[2]) is not None


def test_forgetting_a_user_drops_both_kinds_and_leaves_other_users():
    cache = InProcessCache()
    cache.put_vector(query_key("t", "ana", "q"), np.ones(4, dtype=np.float32))
    cache.put_record(memory_key("t", "ana", "m1"), _record(1))
    cache.put_record(memory_key("t", "bo", "m2"), _record(2))
    assert cache.forget_user("t", "ana") == 2
    assert cache.get_vector(query_key("t", "ana", "q")) is None
    assert cache.get_record(memory_key("t", "bo", "m2")) is not None
