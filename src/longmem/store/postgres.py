"""The production store: PostgreSQL with pgvector, pooled connections, hash partitions.

Same contract as the SQLite store (tests/test_store_contract.py runs on both). A search reads
the user's active memories from a per-process copy (`postgres_index`: vectors, term statistics,
turns, slots and the records search has read), brought up to date from the user's write
counter in one round trip; writes, listings and history are SQL.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from datetime import datetime
from importlib import resources
from typing import Any, TypeVar

import numpy as np
from psycopg import Connection
from psycopg import errors as pg_errors
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb
from psycopg_pool import ConnectionPool

from longmem.errors import ConflictError, StoreError
from longmem.models import EventAction, MemoryEvent, MemoryRecord, MemoryStatus
from longmem.store import rows as convert
from longmem.store.base import MemoryFilter, Vector
from longmem.store.index import (
    IndexRow,
    Retired,
    UserIndex,
    pending_op,
)
from longmem.store.index_reads import IndexedReads, NeighbourReads
from longmem.store.postgres_index import STAMP, SharedIndexes

SCHEMA_VERSION = 4
POOL_WAIT_SECONDS = 5.0
DOWN_SECONDS = 1.0
_MIGRATION_LOCK = 7_024_311  # pg_advisory_xact_lock key: one migrator at a time
_TERM = re.compile(r"^[a-z0-9]+$")
_ACTIVE = frozenset({MemoryStatus.active})

Conn = Connection[dict[str, Any]]


_UPSERT_META = (
    "INSERT INTO store_meta (key, value) VALUES (%s, %s)"
    " ON CONFLICT (key) DO UPDATE SET value = excluded.value"
)


def _filter_sql(flt: MemoryFilter) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    args: list[Any] = []
    for column, values in (("status", flt.statuses), ("kind", flt.kinds), ("type", flt.types)):
        if values is not None:
            clauses.append(f"{column} = ANY(%s)")
            args.append(sorted(v.value for v in values))
    return (" AND " + " AND ".join(clauses)) if clauses else "", args


def _insert_sql() -> str:
    columns = [c.strip() for c in convert.COLUMNS.split(",")] + ["embedding", "changed"]
    return (
        f"INSERT INTO memories ({', '.join(columns)}) VALUES "
        f"({', '.join(f'%({c})s' for c in columns)})"
    )


_INSERT = _insert_sql()
_SELECT = f"SELECT {convert.COLUMNS} FROM memories"


def _event(row: dict[str, Any]) -> MemoryEvent:
    return MemoryEvent(
        event_id=row["event_id"],
        memory_id=row["memory_id"],
        user_id=row["user_id"],
        version=row["version"],
        action=EventAction(row["action"]),
        reason=row["reason"],
        turn=row["turn"],
        created_at=row["created_at"],
        snapshot=row["snapshot"],
    )


def _records(conn: Conn, where: str, args: Sequence[Any]) -> list[MemoryRecord]:
    return [convert.record(r) for r in conn.execute(f"{_SELECT} WHERE {where}", args).fetchall()]


def _embeddings(
    conn: Conn, tenant_id: str, user_id: str, memory_ids: Sequence[str]
) -> dict[str, Vector]:
    """The stored vectors of the given memories, in any status; unknown ids left out."""
    if not memory_ids:
        return {}
    rows = conn.execute(
        "SELECT memory_id, embedding FROM memories WHERE user_id = %s AND tenant_id = %s"
        " AND memory_id = ANY(%s)",
        (user_id, tenant_id, list(memory_ids)),
    ).fetchall()
    return {r["memory_id"]: _array(r["embedding"]) for r in rows}


class _PgTx(NeighbourReads):
    def __init__(self, conn: Conn, store: PostgresStore) -> None:
        self._conn = conn
        self._store = store
        self._versions: dict[tuple[str, str], int] = {}
        # What this transaction wrote, as the user's index will hold it: the nearest-neighbour
        # reads below take the committed index with these in place.
        self._ops: dict[tuple[str, str], dict[str, IndexRow | Retired]] = {}
        self._indexes: dict[tuple[str, str], UserIndex] = {}

    def _index(self, tenant_id: str, user_id: str) -> UserIndex:
        """The user's committed index, brought up to date once a transaction, on this
        transaction's connection (a second connection could wait for the pool while this one
        is held) and before it writes the user's rows (`_stamp`), which must not enter a copy
        other threads read."""
        key = (tenant_id, user_id)
        if key not in self._indexes:
            shared = self._store._indexes
            self._indexes[key] = shared.current(lambda: nullcontext(self._conn), key)
        return self._indexes[key]

    def _stamp(self, memory: MemoryRecord) -> int:
        """This transaction's write number for the memory's owner (postgres_index). First
        the user's row is locked, so no other writer of the user commits until this one does,
        and the user's index is brought up to date: what this transaction reads of it is
        then current, with its own writes laid over it."""
        key = (memory.tenant_id, memory.user_id)
        if key not in self._versions:
            self.lock_user(*key)
            self._index(*key)
            row = self._conn.execute(STAMP, key).fetchone()
            assert row is not None
            self._versions[key] = int(row["version"])
        return self._versions[key]

    def insert(self, memory: MemoryRecord, embedding: Vector) -> None:
        values = convert.params(memory, native=True)
        values["embedding"] = np.asarray(embedding, dtype=np.float32)
        values["changed"] = self._stamp(memory)
        self._conn.execute(_INSERT, values)
        self._queue(memory, embedding)

    def _queue(self, memory: MemoryRecord, embedding: Vector | None) -> None:
        ops = self._ops.setdefault((memory.tenant_id, memory.user_id), {})
        ops[memory.memory_id] = pending_op(memory, embedding)

    def update(self, memory: MemoryRecord, embedding: Vector | None = None) -> None:
        values = convert.params(memory, native=True)
        keys = ("memory_id", "tenant_id", "user_id")
        values["changed"] = self._stamp(memory)
        sets = ", ".join(f"{c} = %({c})s" for c in values if c not in keys)
        if embedding is not None:
            values["embedding"] = np.asarray(embedding, dtype=np.float32)
            sets += ", embedding = %(embedding)s"
        cursor = self._conn.execute(
            f"UPDATE memories SET {sets} WHERE user_id = %(user_id)s"
            " AND memory_id = %(memory_id)s AND tenant_id = %(tenant_id)s",
            values,
        )
        if cursor.rowcount != 1:
            raise StoreError(f"memory {memory.memory_id} vanished during the update")
        if memory.status is MemoryStatus.active and embedding is None:
            embedding = self._vector(memory)
        self._queue(memory, embedding)

    def _vector(self, memory: MemoryRecord) -> Vector:
        """An updated memory's unchanged vector: from this transaction's own writes or the
        user's index (an optimize updates every memory of a user: no read a row), else SQL."""
        key = (memory.tenant_id, memory.user_id)
        queued = self._ops.get(key, {}).get(memory.memory_id)
        if isinstance(queued, IndexRow):
            return queued.embedding
        index = self._index(*key)
        with self._store._indexes.lock:
            at = index.position.get(memory.memory_id)
            if at is not None:
                row: Vector = index.matrix[at].copy()
                return row
        return self.embeddings(*key, [memory.memory_id])[memory.memory_id]

    def append_event(
        self, memory: MemoryRecord, action: EventAction, reason: str, turn: int | None
    ) -> None:
        self._conn.execute(
            "INSERT INTO memory_events (memory_id, tenant_id, user_id, version, action, reason,"
            " turn, created_at, snapshot) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
            (
                memory.memory_id,
                memory.tenant_id,
                memory.user_id,
                memory.version,
                action.value,
                reason,
                turn,
                memory.metadata.updated_at,
                Jsonb(memory.model_dump(mode="json")),
            ),
        )

    def insert_event(self, event: MemoryEvent, tenant_id: str) -> None:
        self._conn.execute(
            "INSERT INTO memory_events (memory_id, tenant_id, user_id, version, action, reason,"
            " turn, created_at, snapshot) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
            (
                event.memory_id,
                tenant_id,
                event.user_id,
                event.version,
                event.action.value,
                event.reason,
                event.turn,
                event.created_at,
                Jsonb(event.snapshot),
            ),
        )

    def lock_user(self, tenant_id: str, user_id: str) -> bool:
        row = self._conn.execute(
            "SELECT 1 FROM users WHERE tenant_id = %s AND user_id = %s FOR UPDATE",
            (tenant_id, user_id),
        ).fetchone()
        return row is not None

    def defer_extraction(self, tenant_id: str, user_id: str, turn: int) -> None:
        self._conn.execute(
            "INSERT INTO pending_extraction (tenant_id, user_id, turn) VALUES (%s, %s, %s)"
            " ON CONFLICT DO NOTHING",
            (tenant_id, user_id, turn),
        )

    def extraction_done(self, tenant_id: str, user_id: str, turn: int) -> None:
        self._conn.execute(
            "DELETE FROM pending_extraction WHERE tenant_id = %s AND user_id = %s AND turn = %s",
            (tenant_id, user_id, turn),
        )

    def touch_user(self, tenant_id: str, user_id: str, turn: int, turns: int) -> None:
        self._conn.execute(
            "INSERT INTO users (tenant_id, user_id, last_turn, turns_seen) VALUES (%s, %s, %s, %s)"
            " ON CONFLICT (tenant_id, user_id) DO UPDATE SET"
            " last_turn = GREATEST(users.last_turn, EXCLUDED.last_turn),"
            " turns_seen = users.turns_seen + EXCLUDED.turns_seen",
            (tenant_id, user_id, turn, turns),
        )

    def mark_optimized(self, tenant_id: str, user_id: str, at: datetime) -> None:
        self._conn.execute(
            "INSERT INTO users (tenant_id, user_id, last_optimize) VALUES (%s, %s, %s)"
            " ON CONFLICT (tenant_id, user_id)"
            " DO UPDATE SET last_optimize = EXCLUDED.last_optimize",
            (tenant_id, user_id, at),
        )

    def get(self, tenant_id: str, user_id: str, memory_id: str) -> MemoryRecord | None:
        found = _records(
            self._conn,
            "user_id = %s AND memory_id = %s AND tenant_id = %s",
            (user_id, memory_id, tenant_id),
        )
        return found[0] if found else None

    def by_slot(self, tenant_id: str, user_id: str, slot: str) -> list[MemoryRecord]:
        return _records(
            self._conn,
            "tenant_id = %s AND user_id = %s AND slot = %s AND status = 'active'"
            " AND kind = 'semantic' ORDER BY seq",
            (tenant_id, user_id, slot),
        )

    def turns_mentioning(
        self, tenant_id: str, user_id: str, terms: Sequence[str], before_turn: int
    ) -> list[MemoryRecord]:
        words = [t for t in dict.fromkeys(terms) if _TERM.match(t)]
        if not words:
            return []
        return _records(
            self._conn,
            "tenant_id = %s AND user_id = %s AND kind = 'episodic' AND role = 'user'"
            " AND status = 'active' AND valid_to_turn IS NULL"
            " AND source_turn < %s AND tsv @@ to_tsquery('simple', %s) ORDER BY seq",
            (tenant_id, user_id, before_turn, " & ".join(f"{w}:*" for w in words)),
        )

    def embeddings(
        self, tenant_id: str, user_id: str, memory_ids: Sequence[str]
    ) -> dict[str, Vector]:
        return _embeddings(self._conn, tenant_id, user_id, memory_ids)

    def of_turn(self, tenant_id: str, user_id: str, turn: int) -> list[MemoryRecord]:
        rows = self._conn.execute(
            f"SELECT {convert.COLUMNS} FROM memories WHERE tenant_id = %s AND user_id = %s"
            " AND source_turn = %s AND (kind = 'episodic' OR status = 'active')"
            " ORDER BY kind, chunk_index",
            (tenant_id, user_id, turn),
        ).fetchall()
        return [convert.record(r) for r in rows]

    def _committed(self, tenant_id: str, user_id: str) -> tuple[UserIndex, threading.RLock]:
        return self._index(tenant_id, user_id), self._store._indexes.lock

    def _written(self, tenant_id: str, user_id: str) -> dict[str, IndexRow | Retired]:
        return self._ops.get((tenant_id, user_id), {})

    def _read(self, tenant_id: str, user_id: str, memory_ids: list[str]) -> list[MemoryRecord]:
        return _records(
            self._conn,
            "user_id = %s AND tenant_id = %s AND memory_id = ANY(%s)",
            (user_id, tenant_id, memory_ids),
        )


def _unreachable(exc: Exception) -> bool:
    """The server cannot be reached or is shutting down (no SQLSTATE, or class 08 / 57P),
    as opposed to one statement failing."""
    state = getattr(exc, "sqlstate", None)
    return state is None or state.startswith(("08", "57P"))


class PostgresStore(IndexedReads):
    """Thread-safe: each call borrows a pooled connection (CONNECTION_POOL_SIZE)."""

    backend = "postgresql"
    schema_version = SCHEMA_VERSION
    _indexes: SharedIndexes

    def __init__(
        self,
        url: str,
        dimension: int,
        *,
        pool_size: int = 10,
        partitions: int = 16,
        index_users: int = 64,
    ) -> None:
        from pgvector.psycopg import register_vector

        self.url = url
        self.dimension = dimension
        try:
            with Connection.connect(url, autocommit=True) as conn:
                self._migrate(conn, partitions)
        except pg_errors.Error as exc:
            raise StoreError(f"cannot prepare the PostgreSQL store: {exc}") from exc
        self._pool: ConnectionPool[Conn] = ConnectionPool(
            url,
            min_size=1,
            max_size=pool_size,
            open=True,
            kwargs={"autocommit": True, "row_factory": dict_row},
            configure=register_vector,
            # A connection the server dropped (a restart) is replaced before it is lent out,
            # and while the server is down a request waits at most POOL_WAIT_SECONDS for one
            # (then 503), not the pool's default 30 s.
            check=ConnectionPool.check_connection,
            timeout=POOL_WAIT_SECONDS,
        )
        self._lock = threading.Lock()
        self._index_users = index_users
        self._indexes = SharedIndexes(dimension, max_users=index_users)
        self._down_until = 0.0
        self._down_reason = ""

    @property
    def path(self) -> str:
        return re.sub(r"//[^@/]*@", "//***@", self.url)  # never show a password

    def _migrate(self, conn: Connection[Any], partitions: int) -> None:
        script = resources.files("longmem.store").joinpath("schema_postgres.sql").read_text()
        script = script.replace("{dimension}", str(self.dimension))
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATION_LOCK,))
            conn.execute("CREATE EXTENSION IF NOT EXISTS vector")
            exists = conn.execute("SELECT to_regclass('longmem_schema')").fetchone()
            if exists and exists[0]:
                row = conn.execute("SELECT max(version) FROM longmem_schema").fetchone()
                version = row[0] if row and row[0] is not None else 0
                if version > SCHEMA_VERSION:
                    raise StoreError(
                        f"the database has schema version {version}; this "
                        f"longmem knows up to {SCHEMA_VERSION}: upgrade longmem"
                    )
                if version == SCHEMA_VERSION:
                    return
            for statement in filter(None, (s.strip() for s in _statements(script))):
                conn.execute(statement.encode())
            for table in ("memories", "memory_events"):
                for i in range(partitions):
                    conn.execute(
                        f"CREATE TABLE IF NOT EXISTS {table}_p{i} PARTITION OF {table}"
                        f" FOR VALUES WITH (MODULUS {partitions}, REMAINDER {i})".encode()
                    )
            conn.execute("INSERT INTO longmem_schema (version) VALUES (%s)", (SCHEMA_VERSION,))

    def close(self) -> None:
        self._pool.close()

    @contextmanager
    def _conn(self) -> Iterator[Conn]:
        # After a failure, calls fail at once for DOWN_SECONDS instead of each waiting for
        # the pool: callers queued behind one (a user's turn lock) get their 503 promptly.
        if time.monotonic() < self._down_until:
            raise StoreError(f"PostgreSQL unreachable: {self._down_reason}")
        try:
            with self._pool.connection() as conn:
                yield conn
        except (pg_errors.OperationalError, pg_errors.InterfaceError) as exc:
            if not _unreachable(exc):  # a deadlock or a cancelled query: this call only
                raise StoreError(f"PostgreSQL error, nothing was written: {exc}") from exc
            self._down_until = time.monotonic() + DOWN_SECONDS
            self._down_reason = str(exc)
            raise StoreError(f"PostgreSQL unreachable: {exc}") from exc

    @contextmanager
    def transaction(self) -> Iterator[_PgTx]:
        try:
            with self._conn() as conn, conn.transaction():
                yield _PgTx(conn, self)
        except pg_errors.IntegrityError as exc:
            raise ConflictError(
                f"a stored row holds the same key, nothing was written: {exc}"
            ) from exc

    # -- reads -----------------------------------------------------------------------------

    def _select(self, where: str, args: Sequence[Any]) -> list[MemoryRecord]:
        with self._conn() as conn:
            return _records(conn, where, args)

    def get(self, tenant_id: str, user_id: str, memory_id: str) -> MemoryRecord | None:
        found = self._select(
            "user_id = %s AND memory_id = %s AND tenant_id = %s", (user_id, memory_id, tenant_id)
        )
        return found[0] if found else None

    def get_many(
        self, tenant_id: str, user_id: str, memory_ids: Sequence[str]
    ) -> list[MemoryRecord]:
        if not memory_ids:
            return []
        key = (tenant_id, user_id)
        index = self._index(tenant_id, user_id)
        found: dict[str, MemoryRecord] = {}
        with self._indexes.lock:
            for memory_id in memory_ids:
                if (kept := index.cached_record(memory_id)) is not None:
                    found[memory_id] = kept
        missing = [m for m in memory_ids if m not in found]
        if missing:
            with self._conn() as conn:
                # The user's counter in the same statement: the records are kept only if the
                # copy is at the version they were read at.
                rows = conn.execute(
                    f"SELECT (SELECT version FROM users WHERE tenant_id = %s AND user_id = %s)"
                    f" AS user_version, {convert.COLUMNS} FROM memories WHERE user_id = %s"
                    " AND tenant_id = %s AND memory_id = ANY(%s)",
                    (tenant_id, user_id, user_id, tenant_id, missing),
                ).fetchall()
            read = [convert.record(r) for r in rows]
            found.update((m.memory_id, m) for m in read)
            if rows:
                self._indexes.keep(key, rows[0]["user_version"] or 0, read)
        return [found[i] for i in memory_ids if i in found]

    def list_page(
        self, tenant_id: str, user_id: str, flt: MemoryFilter, *, after: str | None, limit: int
    ) -> list[MemoryRecord]:
        extra, args = _filter_sql(flt)
        where = f"tenant_id = %s AND user_id = %s{extra}"
        params: list[Any] = [tenant_id, user_id, *args]
        if after is not None:
            where += " AND seq > (SELECT seq FROM memories WHERE user_id = %s AND memory_id = %s)"
            params += [user_id, after]
        return self._select(f"{where} ORDER BY seq LIMIT %s", [*params, limit])

    def iter_user(self, tenant_id: str, user_id: str, flt: MemoryFilter) -> Iterator[MemoryRecord]:
        after: str | None = None
        while True:
            page = self.list_page(tenant_id, user_id, flt, after=after, limit=500)
            yield from page
            if len(page) < 500:
                return
            after = page[-1].memory_id

    def by_slot(self, tenant_id: str, user_id: str, slot: str) -> list[MemoryRecord]:
        with self._conn() as conn:
            return _PgTx(conn, self).by_slot(tenant_id, user_id, slot)

    def turn_chunks(self, tenant_id: str, user_id: str, turn: int) -> list[MemoryRecord]:
        return self._select(
            "tenant_id = %s AND user_id = %s AND kind = 'episodic' AND source_turn = %s"
            " ORDER BY chunk_index",
            (tenant_id, user_id, turn),
        )

    def _index(self, tenant_id: str, user_id: str) -> UserIndex:
        return self._indexes.current(self._conn, (tenant_id, user_id))

    @contextmanager
    def reading(self, tenant_id: str, user_id: str) -> Iterator[None]:
        """The reads of one user inside share one check that the copy is current."""
        with self._indexes.pinned((tenant_id, user_id)):
            yield

    def lexical_search(
        self, tenant_id: str, user_id: str, terms: Sequence[str], limit: int, flt: MemoryFilter
    ) -> list[tuple[str, float]]:
        if flt.statuses == _ACTIVE:
            return self._indexed_lexical(tenant_id, user_id, terms, limit, flt)
        words = [t for t in dict.fromkeys(terms) if _TERM.match(t)]
        if not words:
            return []
        extra, args = _filter_sql(flt)
        # 'simple' on the query side: the terms are already stemmed like the tsvector's.
        query = " | ".join(f"{w}:*" for w in words)
        with self._conn() as conn:
            rows = conn.execute(
                "SELECT memory_id, ts_rank_cd(tsv, q) AS rank FROM memories,"
                " to_tsquery('simple', %s) AS q"
                f" WHERE tenant_id = %s AND user_id = %s AND tsv @@ q{extra}"
                " ORDER BY rank DESC LIMIT %s",
                (query, tenant_id, user_id, *args, limit),
            ).fetchall()
        return [(r["memory_id"], float(r["rank"])) for r in rows]

    def _stored_vectors(
        self, tenant_id: str, user_id: str, memory_ids: Sequence[str]
    ) -> dict[str, Vector]:
        with self._conn() as conn:
            return _embeddings(conn, tenant_id, user_id, memory_ids)

    def history(self, tenant_id: str, user_id: str, memory_id: str) -> list[MemoryEvent]:
        with self._conn() as conn:
            rows = conn.execute(
                "SELECT * FROM memory_events WHERE tenant_id = %s AND user_id = %s"
                " AND memory_id = %s ORDER BY event_id",
                (tenant_id, user_id, memory_id),
            ).fetchall()
        return [_event(r) for r in rows]

    def record_access(
        self,
        tenant_id: str,
        user_id: str,
        memory_ids: Sequence[str],
        turn: int | None,
        at: datetime,
    ) -> None:
        if not memory_ids:
            return

        def count() -> None:
            with self._conn() as conn, conn.transaction():
                row = conn.execute(STAMP, (tenant_id, user_id)).fetchone()
                assert row is not None
                conn.execute(
                    "UPDATE memories SET access_count = access_count + 1, last_accessed = %s,"
                    " last_accessed_turn = GREATEST(coalesce(last_accessed_turn, 0),"
                    " coalesce(%s, 0)), changed = %s"
                    " WHERE user_id = %s AND tenant_id = %s AND memory_id = ANY(%s)",
                    (at, turn, row["version"], user_id, tenant_id, list(memory_ids)),
                )

        _again_after_deadlock(count)

    def user_state(self, tenant_id: str, user_id: str) -> tuple[int, int, datetime | None]:
        with self._conn() as conn:
            row = conn.execute(
                "SELECT last_turn, turns_seen, last_optimize FROM users"
                " WHERE tenant_id = %s AND user_id = %s",
                (tenant_id, user_id),
            ).fetchone()
        if row is None:
            return 0, 0, None
        return row["last_turn"], row["turns_seen"], row["last_optimize"]

    def counts(self, tenant_id: str, user_id: str) -> dict[str, dict[str, int]]:
        where = "tenant_id = %s AND user_id = %s"
        queries = {
            "type": f"SELECT type AS k, count(*) AS n FROM memories WHERE {where}"
            " AND status = 'active' AND kind = 'semantic' GROUP BY type",
            "kind": f"SELECT kind AS k, count(*) AS n FROM memories WHERE {where}"
            " AND status = 'active' GROUP BY kind",
            "status": f"SELECT status AS k, count(*) AS n FROM memories WHERE {where}"
            " GROUP BY status",
        }
        with self._conn() as conn:
            return {
                name: {r["k"]: int(r["n"]) for r in conn.execute(sql, (tenant_id, user_id))}
                for name, sql in queries.items()
            }

    def storage_bytes(self, tenant_id: str, user_id: str) -> int:
        with self._conn() as conn:
            row = conn.execute(
                "SELECT coalesce(sum(pg_column_size(content) + pg_column_size(embedding)), 0)"
                " AS n FROM memories WHERE tenant_id = %s AND user_id = %s",
                (tenant_id, user_id),
            ).fetchone()
        return int(row["n"]) if row else 0

    def hot_count(self, tenant_id: str, user_id: str, min_accesses: int) -> int:
        with self._conn() as conn:
            row = conn.execute(
                "SELECT count(*) AS n FROM memories WHERE tenant_id = %s AND user_id = %s"
                " AND status = 'active' AND access_count >= %s",
                (tenant_id, user_id, min_accesses),
            ).fetchone()
        return int(row["n"]) if row else 0

    def users(self) -> list[tuple[str, str]]:
        with self._conn() as conn:
            rows = conn.execute("SELECT tenant_id, user_id FROM users ORDER BY 1, 2").fetchall()
        return [(r["tenant_id"], r["user_id"]) for r in rows]

    def memory_owners(self) -> list[tuple[str, str]]:
        with self._conn() as conn:
            rows = conn.execute(
                "SELECT DISTINCT tenant_id, user_id FROM memories ORDER BY 1, 2"
            ).fetchall()
        return [(r["tenant_id"], r["user_id"]) for r in rows]

    def pending_extractions(self, before: datetime | None = None) -> list[tuple[str, str, int]]:
        with self._conn() as conn:
            rows = conn.execute(
                "SELECT tenant_id, user_id, turn FROM pending_extraction"
                " WHERE %s::timestamptz IS NULL OR queued_at < %s ORDER BY queued_at, turn",
                (before, before),
            ).fetchall()
        return [(r["tenant_id"], r["user_id"], int(r["turn"])) for r in rows]

    def delete_user(self, tenant_id: str, user_id: str) -> dict[str, int]:
        return _again_after_deadlock(lambda: self._delete_user(tenant_id, user_id))

    def _delete_user(self, tenant_id: str, user_id: str) -> dict[str, int]:
        counts: dict[str, int] = {}
        with self.transaction() as tx:
            tx.lock_user(tenant_id, user_id)  # waits for an extraction of this user to finish
            tx._conn.execute(
                "DELETE FROM reembed_staging WHERE memory_id IN (SELECT memory_id FROM memories"
                " WHERE user_id = %s AND tenant_id = %s)",
                (user_id, tenant_id),
            )
            for table in ("memories", "memory_events", "users", "pending_extraction"):
                cursor = tx._conn.execute(
                    f"DELETE FROM {table} WHERE user_id = %s AND tenant_id = %s",
                    (user_id, tenant_id),
                )
                counts[table] = cursor.rowcount
        self._indexes.drop((tenant_id, user_id))
        return counts

    # -- which model made the vectors, and re-embedding (`longmem reembed`) ----------------

    def get_meta(self, key: str) -> str | None:
        with self._conn() as conn:
            row = conn.execute("SELECT value FROM store_meta WHERE key = %s", (key,)).fetchone()
        return None if row is None else str(row["value"])

    def set_meta(self, key: str, value: str) -> None:
        with self._conn() as conn:
            conn.execute(_UPSERT_META, (key, value))

    def stored_dimension(self) -> int | None:
        with self._conn() as conn:
            row = conn.execute(
                "SELECT atttypmod AS width FROM pg_attribute"
                " WHERE attrelid = 'memories'::regclass AND attname = 'embedding'"
            ).fetchone()
        return None if row is None or row["width"] <= 0 else int(row["width"])

    def reembed_pending(self, limit: int) -> list[tuple[str, str, str | None]]:
        with self._conn() as conn:
            rows = conn.execute(
                "SELECT memory_id, content, CASE WHEN kind = 'semantic' THEN speaker END AS speaker"
                " FROM memories m WHERE NOT EXISTS"
                " (SELECT 1 FROM reembed_staging s WHERE s.memory_id = m.memory_id)"
                " ORDER BY memory_id LIMIT %s",
                (limit,),
            ).fetchall()
        return [(r["memory_id"], r["content"], r["speaker"]) for r in rows]

    def reembed_progress(self) -> tuple[int, int]:
        with self._conn() as conn:
            row = conn.execute(
                "SELECT (SELECT count(*) FROM reembed_staging s WHERE EXISTS"
                " (SELECT 1 FROM memories m WHERE m.memory_id = s.memory_id)) AS done,"
                " (SELECT count(*) FROM memories) AS total"
            ).fetchone()
        assert row is not None
        return int(row["done"]), int(row["total"])

    def reembed_stage(self, rows: Sequence[tuple[str, Vector]]) -> None:
        with self._conn() as conn, conn.transaction(), conn.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO reembed_staging (memory_id, embedding) VALUES (%s, %s)"
                " ON CONFLICT (memory_id) DO UPDATE SET embedding = excluded.embedding",
                [(memory_id, np.asarray(v, dtype=np.float32)) for memory_id, v in rows],
            )

    def reembed_clear(self) -> None:
        with self._conn() as conn:
            conn.execute("DELETE FROM reembed_staging")

    def reembed_finish(self, meta: dict[str, str], dimension: int) -> None:
        """Swaps every staged vector in at once (DDL is transactional here), or nothing if a
        memory still lacks one. The column takes the new width: vector(d) is typed by it."""
        with self._conn() as conn, conn.transaction():
            conn.execute("LOCK TABLE memories IN EXCLUSIVE MODE")
            row = conn.execute(
                "SELECT count(*) AS missing FROM memories m WHERE NOT EXISTS"
                " (SELECT 1 FROM reembed_staging s WHERE s.memory_id = m.memory_id)"
            ).fetchone()
            if row and row["missing"]:
                raise StoreError(
                    f"{row['missing']} memories have no new vector yet; run reembed again"
                )
            conn.execute("ALTER TABLE memories DROP COLUMN embedding")
            conn.execute(f"ALTER TABLE memories ADD COLUMN embedding vector({int(dimension)})")
            conn.execute(
                "UPDATE memories m SET embedding = s.embedding FROM reembed_staging s"
                " WHERE s.memory_id = m.memory_id"
            )
            conn.execute("ALTER TABLE memories ALTER COLUMN embedding SET NOT NULL")
            conn.execute("DELETE FROM reembed_staging")
            # Every process's copy of every user is built again, from the new vectors.
            conn.execute("UPDATE users SET born = nextval('longmem_writes')")
            for key, value in meta.items():
                conn.execute(_UPSERT_META, (key, value))
        self.dimension = dimension
        self._indexes = SharedIndexes(dimension, max_users=self._index_users)


# Two transactions of one user can deadlock (an erasure and a write that arrived with it);
# PostgreSQL then aborts one, which wrote nothing: a call that is one transaction runs again.
DEADLOCK_ATTEMPTS = 3
_T = TypeVar("_T")


def _again_after_deadlock(call: Callable[[], _T]) -> _T:
    for attempt in range(1, DEADLOCK_ATTEMPTS + 1):
        try:
            return call()
        except StoreError as exc:
            if attempt == DEADLOCK_ATTEMPTS or not isinstance(
                exc.__cause__, pg_errors.DeadlockDetected
            ):
                raise
            time.sleep(0.02 * attempt)
    raise AssertionError("unreachable")


def _array(value: Any) -> Vector:
    """pgvector hands back its own Vector type (binary protocol) or a numpy array."""
    raw = value.to_numpy() if hasattr(value, "to_numpy") else value
    return np.asarray(raw, dtype=np.float32)


def _statements(script: str) -> list[str]:
    """Splits the schema file on semicolons outside comments (it has no functions)."""
    lines = [line for line in script.splitlines() if not line.strip().startswith("--")]
    return " \n".join(lines).split(";")


__all__ = ["SCHEMA_VERSION", "MemoryStatus", "PostgresStore"]
