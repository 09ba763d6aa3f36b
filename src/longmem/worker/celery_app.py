"""Celery application: extraction, per-user optimize, and a periodic optimize of everyone.

    celery -A longmem.worker.celery_app worker
    celery -A longmem.worker.celery_app beat

Redis (REDIS_URL) is the broker. Tasks call the same `Memory` methods as the embedded
in-process worker. They are idempotent (a retried extraction finds its own memories and
decides NOOP), retried with exponential backoff and jitter on store failures, and never lose a
turn: the episodic record is written before the task is queued.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Any

from celery import Celery

from longmem.config import get_settings
from longmem.errors import NotFoundError, StoreError
from longmem.memory import Memory

settings = get_settings()
broker = settings.redis_url or "redis://127.0.0.1:6379/0"

celery_app = Celery("longmem", broker=broker, backend=broker)
celery_app.conf.update(
    task_serializer="json",
    result_serializer="json",
    accept_content=["json"],
    task_acks_late=True,  # a worker that dies mid-task leaves the task to another
    task_reject_on_worker_lost=True,
    # A task unacknowledged this long (its worker was killed) is delivered again.
    broker_transport_options={"visibility_timeout": settings.task_redelivery_seconds},
    worker_prefetch_multiplier=1,
    result_expires=3600,
    timezone="UTC",
    beat_schedule={
        "optimize-every-user": {
            "task": "longmem.optimize_all",
            "schedule": float(settings.optimize_interval_seconds),
        },
        "resume-lost-extraction": {
            "task": "longmem.resume_extraction",
            "schedule": float(settings.task_redelivery_seconds),
        },
    },
)

_memories: dict[str, Memory] = {}
_lock = threading.Lock()


def memory_for(tenant_id: str) -> Memory:
    """One `Memory` per tenant per worker process, sharing the model and the store."""
    with _lock:
        found = _memories.get(tenant_id)
        if found is None:
            first = next(iter(_memories.values()), None)
            found = Memory(
                settings,
                store=first.store if first else None,
                embedder=first.engine.embedder if first else None,
                cache=first.engine.cache if first else None,
                tenant_id=tenant_id,
            )
            _memories[tenant_id] = found
        return found


RETRY = {
    "autoretry_for": (StoreError, OSError),
    "retry_backoff": True,
    "retry_backoff_max": 120,
    "retry_jitter": True,
    "max_retries": 6,
}


@celery_app.task(name="longmem.extract_turn", **RETRY)
def extract_turn(tenant_id: str, user_id: str, turn_number: int) -> dict[str, Any]:
    try:
        result = memory_for(tenant_id).extract_turn(user_id, turn_number)
    except NotFoundError as exc:  # the user or turn was erased meanwhile: nothing to do
        return {"turn": turn_number, "skipped": str(exc)}
    return {
        "turn": turn_number,
        "decisions": [o.decision.value for o in result.outcomes],
        "memories": [o.memory_id for o in result.outcomes if o.memory_id],
    }


@celery_app.task(name="longmem.optimize_user", **RETRY)
def optimize_user(tenant_id: str, user_id: str, current_turn: int | None = None) -> dict[str, Any]:
    report = memory_for(tenant_id).optimize(user_id, current_turn)
    return report.model_dump(mode="json")


@celery_app.task(name="longmem.resume_extraction")
def resume_extraction() -> int:
    """Beat's sweep of the outbox: a turn still unextracted TASK_REDELIVERY_SECONDS after it
    was queued lost its task (a broker that restarted, or refused the task while it was
    down); it is queued again. Extraction is idempotent, so a slow task sent twice is safe."""
    age = timedelta(seconds=settings.task_redelivery_seconds)
    stale = memory_for("default").store.pending_extractions(before=datetime.now(UTC) - age)
    for tenant_id, user_id, turn in stale:
        extract_turn.delay(tenant_id, user_id, turn)
    return len(stale)


@celery_app.task(name="longmem.optimize_all")
def optimize_all() -> int:
    """Beat's periodic decay / consolidation / cleanup: one task per user."""
    users = memory_for("default").store.users()
    for tenant_id, user_id in users:
        optimize_user.delay(tenant_id, user_id)
    return len(users)
