"""The service's task queue when REDIS_URL is set: Celery, with Redis as the broker."""

from __future__ import annotations

import redis

from longmem.worker.celery_app import broker, celery_app, extract_turn


class CeleryQueue:
    backend = "celery"

    def __init__(self) -> None:
        self._redis = redis.Redis.from_url(broker, socket_timeout=0.5, socket_connect_timeout=0.5)

    def submit(self, tenant: str, user_id: str, turn: int) -> None:
        extract_turn.delay(tenant, user_id, turn)

    def purge(self, tenant: str, user_id: str) -> int:
        # Queued tasks cannot be picked out of the broker cheaply; each one finds its user
        # erased (the store serialises extraction with erasure) and writes nothing.
        return 0

    @property
    def pending(self) -> int:
        try:
            return int(self._redis.llen(celery_app.conf.task_default_queue or "celery"))
        except redis.RedisError:
            return -1

    @property
    def alive(self) -> bool:
        try:
            return bool(self._redis.ping())
        except redis.RedisError:
            return False

    def close(self) -> None:
        self._redis.close()
