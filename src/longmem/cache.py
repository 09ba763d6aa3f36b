"""Caches of query embeddings and hot memories: in-process by default, Redis in production.

A cache is never the source of truth: every failure is a miss, and writes invalidate what
they change after the transaction commits. Keys hash (tenant, user), so one user's entries can
be found and erased without globbing user ids.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections import Counter, OrderedDict
from collections.abc import Iterable
from functools import lru_cache
from typing import Protocol

import numpy as np
import numpy.typing as npt

from longmem.config import Settings
from longmem.models import MemoryRecord

log = logging.getLogger("longmem.cache")
Vector = npt.NDArray[np.float32]


@lru_cache(maxsize=4096)
def user_prefix(tenant_id: str, user_id: str) -> str:
    return "lm:" + hashlib.sha1(f"{tenant_id}\0{user_id}".encode()).hexdigest()[:24]


def query_key(tenant_id: str, user_id: str, text: str) -> str:
    return f"{user_prefix(tenant_id, user_id)}:q:{hashlib.sha1(text.encode()).hexdigest()}"


def memory_key(tenant_id: str, user_id: str, memory_id: str) -> str:
    return f"{user_prefix(tenant_id, user_id)}:m:{memory_id}"


class Cache(Protocol):
    backend: str
    hits: Counter[str]  # by kind: "query_embedding", "memory"
    misses: Counter[str]

    def get_vector(self, key: str) -> Vector | None: ...

    def put_vector(self, key: str, vector: Vector) -> None: ...

    def get_record(self, key: str) -> MemoryRecord | None: ...

    def put_record(self, key: str, record: MemoryRecord) -> None: ...

    def delete(self, keys: Iterable[str]) -> None: ...

    def forget_user(self, tenant_id: str, user_id: str) -> int: ...

    def ping(self) -> bool: ...


class _LRU:
    """One bounded least-recently-used map."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.items: OrderedDict[str, Vector | MemoryRecord] = OrderedDict()

    def get(self, key: str) -> Vector | MemoryRecord | None:
        found = self.items.get(key)
        if found is not None:
            self.items.move_to_end(key)
        return found

    def put(self, key: str, value: Vector | MemoryRecord) -> None:
        self.items[key] = value
        self.items.move_to_end(key)
        while len(self.items) > self.size:
            self.items.popitem(last=False)


class InProcessCache:
    """Bounded LRUs in this process: the embedded default. Query embeddings and memory records
    are kept apart, `size` entries each: sharing one LRU, the records a user's searches made
    hot evicted the query embeddings (one user holding REALTALK, its 679 questions asked
    twice: 82 of 2,604 query embeddings served from the cache)."""

    backend = "in-process"

    def __init__(self, size: int = 4096) -> None:
        self._kinds = {"query_embedding": _LRU(size), "memory": _LRU(size)}
        self._lock = threading.Lock()
        self.hits: Counter[str] = Counter()
        self.misses: Counter[str] = Counter()

    def _get(self, key: str, kind: str) -> Vector | MemoryRecord | None:
        with self._lock:
            found = self._kinds[kind].get(key)
            if found is None:
                self.misses[kind] += 1
            else:
                self.hits[kind] += 1
            return found

    def _put(self, key: str, value: Vector | MemoryRecord, kind: str) -> None:
        with self._lock:
            self._kinds[kind].put(key, value)

    def get_vector(self, key: str) -> Vector | None:
        found = self._get(key, "query_embedding")
        return found if isinstance(found, np.ndarray) else None

    def put_vector(self, key: str, vector: Vector) -> None:
        self._put(key, vector, "query_embedding")

    def get_record(self, key: str) -> MemoryRecord | None:
        found = self._get(key, "memory")
        return found if isinstance(found, MemoryRecord) else None

    def put_record(self, key: str, record: MemoryRecord) -> None:
        self._put(key, record, "memory")

    def delete(self, keys: Iterable[str]) -> None:
        with self._lock:
            for key in keys:
                for lru in self._kinds.values():
                    lru.items.pop(key, None)

    def forget_user(self, tenant_id: str, user_id: str) -> int:
        prefix = user_prefix(tenant_id, user_id) + ":"
        doomed = 0
        with self._lock:
            for lru in self._kinds.values():
                keys = [k for k in lru.items if k.startswith(prefix)]
                for key in keys:
                    del lru.items[key]
                doomed += len(keys)
        return doomed

    def ping(self) -> bool:
        return True


class RedisCache:
    """Redis with a TTL. When Redis stops answering, every call is a miss for `cooldown`
    seconds (no request waits on a dead server twice in a row), then it is tried again.
    Invalidations sent while it was away are lost, so the first call that reaches it again
    drops every cached memory record and everything of users erased meanwhile; query
    embeddings never go stale and are kept."""

    backend = "redis"

    def __init__(
        self, url: str, ttl_seconds: int, *, timeout: float = 0.05, cooldown: float = 1.0
    ) -> None:
        import redis

        self._redis = redis.Redis.from_url(
            url, socket_timeout=timeout, socket_connect_timeout=timeout
        )
        self._errors: tuple[type[Exception], ...] = (redis.RedisError, OSError)
        self._ttl = ttl_seconds
        self._cooldown = cooldown
        self._down_until = 0.0
        self._stale = False
        self._erased: set[str] = set()  # user prefixes erased while Redis was away
        self.hits: Counter[str] = Counter()
        self.misses: Counter[str] = Counter()
        self.failures = 0

    def _available(self) -> bool:
        if time.monotonic() < self._down_until:
            return False
        if self._stale:
            try:
                self._drop_stale()
            except self._errors as exc:
                self._failed(exc)
                return False
        return True

    def _drop_stale(self) -> None:
        for pattern in ("lm:*:m:*", *(prefix + ":*" for prefix in self._erased)):
            self._delete_matching(pattern)
        self._erased.clear()
        self._stale = False
        log.info("redis is back; cached memory records dropped")

    def _delete_matching(self, pattern: str) -> int:
        keys = list(self._redis.scan_iter(match=pattern, count=1000))
        for start in range(0, len(keys), 1000):
            self._redis.delete(*keys[start : start + 1000])
        return len(keys)

    def _failed(self, exc: Exception) -> None:
        self.failures += 1
        self._stale = True
        self._down_until = time.monotonic() + self._cooldown
        log.warning("redis unavailable, serving from the store", extra={"error": str(exc)})

    def _get(self, key: str, kind: str) -> bytes | None:
        if not self._available():
            self.misses[kind] += 1
            return None
        try:
            raw = self._redis.get(key)
        except self._errors as exc:
            self._failed(exc)
            raw = None
        if raw is None:
            self.misses[kind] += 1
            return None
        self.hits[kind] += 1
        return bytes(raw)  # type: ignore[arg-type]

    def _put(self, key: str, value: bytes) -> None:
        if not self._available():
            return
        try:
            self._redis.set(key, value, ex=self._ttl)
        except self._errors as exc:
            self._failed(exc)

    def get_vector(self, key: str) -> Vector | None:
        raw = self._get(key, "query_embedding")
        return np.frombuffer(raw, dtype="<f4").copy() if raw is not None else None

    def put_vector(self, key: str, vector: Vector) -> None:
        self._put(key, np.asarray(vector, dtype="<f4").tobytes())

    def get_record(self, key: str) -> MemoryRecord | None:
        raw = self._get(key, "memory")
        return MemoryRecord.model_validate_json(raw) if raw is not None else None

    def put_record(self, key: str, record: MemoryRecord) -> None:
        self._put(key, record.model_dump_json().encode())

    def delete(self, keys: Iterable[str]) -> None:
        doomed = list(keys)
        if not doomed:
            return
        try:
            self._redis.delete(*doomed)
        except self._errors as exc:
            # A stale hot memory could be served until its TTL: say so loudly.
            self._failed(exc)
            log.error("could not invalidate cached memories", extra={"keys": len(doomed)})

    def forget_user(self, tenant_id: str, user_id: str) -> int:
        # The store's erasure has committed: a cache that is away must not undo it. What
        # Redis still holds of the user goes as soon as it answers again.
        prefix = user_prefix(tenant_id, user_id)
        if not self._available():
            self._erased.add(prefix)
            return 0
        try:
            return self._delete_matching(prefix + ":*")
        except self._errors as exc:
            self._erased.add(prefix)
            self._failed(exc)
            return 0

    def ping(self) -> bool:
        try:
            return bool(self._redis.ping())
        except self._errors:
            return False


def open_cache(settings: Settings) -> Cache:
    if settings.redis_url:
        return RedisCache(settings.redis_url, settings.redis_cache_ttl)
    return InProcessCache()
