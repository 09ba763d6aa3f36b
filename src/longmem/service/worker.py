"""In-process background extraction: the embedded default's task queue.

The episodic record is written, with its row in the store's outbox, before a turn is queued
here; the extraction removes the row when it writes the turn's memories. A crash loses no turn,
and the service queues what the outbox still holds when it starts again.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections import Counter
from collections.abc import Callable
from typing import Protocol

from longmem.errors import LongmemError, StoreError
from longmem.memory import Memory

log = logging.getLogger("longmem.worker")

Job = tuple[str, str, int, int]  # tenant, user, turn, attempt
RETRIES = 6  # a store that is down gets 1 + 2 + 4 + ... seconds to come back, like Celery's


class TaskQueue(Protocol):
    """Where the service sends extraction: this process, or Celery workers."""

    backend: str

    def submit(self, tenant: str, user_id: str, turn: int) -> None: ...

    def purge(self, tenant: str, user_id: str) -> int: ...

    @property
    def pending(self) -> int: ...

    @property
    def alive(self) -> bool: ...

    def close(self) -> None: ...


class ExtractionWorker:
    backend = "in-process"

    def __init__(
        self, memory_for: Callable[[str], Memory], on_done: Callable[[str], None] | None = None
    ) -> None:
        self._memory_for = memory_for
        self._on_done = on_done or (lambda outcome: None)
        self._queue: queue.Queue[Job | None] = queue.Queue()
        self._pending: Counter[tuple[str, str]] = Counter()
        self._cancelled: set[tuple[str, str]] = set()
        self._running: tuple[str, str] | None = None
        self._lock = threading.Condition()
        self._thread = threading.Thread(target=self._run, name="longmem-extract", daemon=True)
        self._thread.start()

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()

    @property
    def pending(self) -> int:
        with self._lock:
            return sum(self._pending.values())

    def submit(self, tenant: str, user_id: str, turn: int) -> None:
        with self._lock:
            self._cancelled.discard((tenant, user_id))
            self._pending[(tenant, user_id)] += 1
        self._queue.put((tenant, user_id, turn, 0))

    def _retry_later(self, job: Job) -> None:
        tenant, user_id, turn, attempt = job
        timer = threading.Timer(
            min(2.0**attempt, 60.0), self._queue.put, ((tenant, user_id, turn, attempt + 1),)
        )
        timer.daemon = True
        timer.start()

    def purge(self, tenant: str, user_id: str) -> int:
        """Drops the user's queued work (GDPR erasure) and waits for a job of theirs that is
        running, so nothing it writes can outlive the erasure. Returns the jobs dropped."""
        key = (tenant, user_id)
        with self._lock:
            dropped = self._pending.pop(key, 0)
            self._cancelled.add(key)
            self._lock.wait_for(lambda: self._running != key, timeout=30)
            return dropped

    def _run(self) -> None:
        while (job := self._queue.get()) is not None:
            tenant, user_id, turn, attempt = job
            retrying = False
            try:
                with self._lock:
                    if (tenant, user_id) in self._cancelled:
                        continue
                    self._running = (tenant, user_id)
                self._memory_for(tenant).extract_turn(user_id, turn)
                self._on_done("extracted")
            except StoreError as exc:
                # The turn stays in the outbox whatever happens; retried while the store is down
                retrying = attempt < RETRIES
                log.warning(
                    "extraction failed, store unavailable",
                    extra={"turn": turn, "error": str(exc), "retrying": retrying},
                )
                if retrying:
                    self._retry_later(job)
                else:
                    self._on_done("extract_failed")
            except LongmemError as exc:
                log.warning("extraction failed", extra={"turn": turn, "error": str(exc)})
                self._on_done("extract_failed")
            except Exception:  # the worker must survive any one bad turn
                log.exception("extraction crashed", extra={"turn": turn})
                self._on_done("extract_failed")
            finally:
                with self._lock:
                    self._running = None
                    self._lock.notify_all()
                    key = (tenant, user_id)
                    if not retrying and self._pending.get(key):
                        self._pending[key] -= 1
                        if not self._pending[key]:
                            del self._pending[key]
                self._queue.task_done()
        self._queue.task_done()

    def join(self) -> None:
        self._queue.join()

    def close(self) -> None:
        self._queue.put(None)
        self._thread.join(timeout=10)
