"""The service's task queue when REDIS_URL is set: Celery, with Redis as the broker."""

from __future__ import annotations

import logging

import kombu.exceptions
import redis

from longmem.worker.celery_app import broker, celery_app, extract_turn

log = logging.getLogger("longmem.worker")


class CeleryQueue:
    backend = "celery"

    def __init__(self) -> None:
        self._redis = redis.Redis.from_url(broker, socket_timeout=0.5, socket_connect_timeout=0.5)

    def submit(self, tenant: str, user_id: str, turn: int) -> None:
        # The turn is already recorded with its row in the outbox: a broker that is down
        # must not fail the request. Beat's `resume_extraction` sends the task later.
        try:
            # No result is wanted: subscribing to one ties every request to the result
            # backend, whose client gives up for good after a Redis outage.
            extract_turn.apply_async((tenant, user_id, turn), retry=False, ignore_result=True)
        except (kombu.exceptions.OperationalError, redis.RedisError, OSError) as exc:
            log.warning(
                "broker unavailable; extraction waits in the outbox",
                extra={"turn": turn, "error": str(exc)},
            )

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
