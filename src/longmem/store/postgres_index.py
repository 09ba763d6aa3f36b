"""Per-process indexes of a PostgreSQL store's users, kept current by the users' write counters.

Why: on PostgreSQL every read of a search was SQL, 16 round trips and 80 ms p50 at 10,000
turns for one user, where SQLite answers the same reads from `index.UserIndex` in 11 ms. The
difference is that several processes write a PostgreSQL store (service workers, Celery), so a
process cannot know its copy is current. Each write transaction therefore takes the next value
of one sequence as the user's `version` (under the `users` row's lock, so a user's versions
follow the order its writes commit in) and stamps every row it writes with it (`changed`). A
read asks, in one statement, for the user's version and the rows changed since the copy's:
usually none. A deleted and recreated user has a new `born`, and the copy is built again.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

import numpy as np
from psycopg import Connection

from longmem.models import MemoryRecord
from longmem.store import rows as convert
from longmem.store.index import IndexCache, IndexRow, Retired, UserIndex, indexed_row

Conn = Connection[dict[str, Any]]
Key = tuple[str, str]

# Every write of a user's memories, in the transaction that writes them, before the first row:
# the lock on the user's row is held to COMMIT, so the user's next writer waits for it.
STAMP = (
    "INSERT INTO users (tenant_id, user_id, version) VALUES (%s, %s, nextval('longmem_writes'))"
    " ON CONFLICT (tenant_id, user_id) DO UPDATE SET version = nextval('longmem_writes')"
    " RETURNING version"
)
# One statement, one snapshot (it may run inside a writer's transaction, where the isolation
# level is already set): the user's counter, its active memories and its superseded facts.
_BUILD = (
    "SELECT u.version AS user_version, u.born, m.memory_id, m.kind, m.type, m.content, m.slot,"
    " m.source_turn, m.role, m.speaker, m.chunk_index, m.status,"
    " m.valid_to_turn IS NULL AS current,"
    " CASE WHEN m.status = 'active' THEN m.embedding END AS embedding"
    " FROM (VALUES (1)) AS one (x)"
    " LEFT JOIN users u ON u.tenant_id = %s AND u.user_id = %s"
    " LEFT JOIN memories m ON m.tenant_id = %s AND m.user_id = %s AND (m.status = 'active'"
    " OR (m.status = 'superseded' AND m.kind = 'semantic' AND m.source_turn IS NOT NULL))"
    " ORDER BY m.seq"
)
# One statement, one snapshot: the user's counter and what changed since the copy's.
_CHANGES = (
    f"SELECT u.version AS user_version, u.born, m.{convert.COLUMNS.replace(', ', ', m.')},"
    " m.valid_to_turn IS NULL AS current, m.embedding"
    " FROM users u LEFT JOIN memories m ON m.tenant_id = %s AND m.user_id = %s AND m.changed > %s"
    " WHERE u.tenant_id = %s AND u.user_id = %s"
)


def _row(r: dict[str, Any]) -> IndexRow:
    raw = r["embedding"]
    vector = raw.to_numpy() if hasattr(raw, "to_numpy") else raw
    return indexed_row(r, np.asarray(vector, dtype=np.float32))


class SharedIndexes:
    """The users' indexes of one process. `current` brings a user's up to date (one round
    trip); inside `pinned`, a thread's reads of one user share one such check."""

    def __init__(self, dimension: int, max_users: int = 64) -> None:
        self.cache = IndexCache(dimension, max_users=max_users)
        self._pins = threading.local()

    @property
    def lock(self) -> threading.RLock:
        return self.cache.lock

    @contextmanager
    def pinned(self, key: Key) -> Iterator[None]:
        previous = getattr(self._pins, "key", None)
        self._pins.key, self._pins.checked = key, False
        try:
            yield
        finally:
            self._pins.key, self._pins.checked = previous, False

    def current(self, connect: Callable[[], AbstractContextManager[Conn]], key: Key) -> UserIndex:
        index = self.cache.get(key)
        pinned = getattr(self._pins, "key", None) == key
        if index is not None and pinned and self._pins.checked:
            return index
        with connect() as conn:
            index = self._build(conn, key) if index is None else self._catch_up(conn, key, index)
        if pinned:
            self._pins.checked = True
        return index

    def _catch_up(self, conn: Conn, key: Key, index: UserIndex) -> UserIndex:
        tenant_id, user_id = key
        rows = conn.execute(
            _CHANGES, (tenant_id, user_id, index.version, tenant_id, user_id), binary=True
        ).fetchall()
        version, born = (rows[0]["user_version"], rows[0]["born"]) if rows else (0, 0)
        if born != index.born:
            return self._build(conn, key)
        with self.lock:
            if version > index.version:
                for r in rows:
                    if r["memory_id"] is not None:
                        _apply(index, r)
                index.version = version
        return index

    def _build(self, conn: Conn, key: Key) -> UserIndex:
        tenant_id, user_id = key
        rows = conn.execute(
            _BUILD, (tenant_id, user_id, tenant_id, user_id), binary=True
        ).fetchall()
        found = [r for r in rows if r["memory_id"] is not None]
        return self.cache.build(
            key,
            [_row(r) for r in found if r["status"] == "active"],
            [(r["memory_id"], r["source_turn"]) for r in found if r["status"] == "superseded"],
            version=rows[0]["user_version"] or 0,
            born=rows[0]["born"] or 0,
        )

    def keep(self, key: Key, version: int, records: list[MemoryRecord]) -> None:
        """Records read at the user's `version`: kept only if the copy is at that version, so
        an older read never overwrites what a newer catch-up put there."""
        with self.lock:
            index = self.cache.get(key)
            if index is None or index.version != version:
                return
            for record in records:
                if record.status.value == "active":
                    index.keep_record(record)

    def drop(self, key: Key) -> None:
        self.cache.drop(key)


def _apply(index: UserIndex, r: dict[str, Any]) -> None:
    record = convert.record(r)
    if r["status"] == "active":
        index.apply(_row(r), record)
    elif r["status"] == "superseded" and r["kind"] == "semantic" and r["source_turn"] is not None:
        index.retire(Retired(r["memory_id"], r["source_turn"]))
    else:
        index.retire(Retired(r["memory_id"]))
