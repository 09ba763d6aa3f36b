"""The embedded store: one SQLite file (WAL), FTS5 for words, float32 blobs for vectors.

Exact per-user vector search runs over an in-memory matrix (`index.UserIndex`) that mirrors the
user's active rows; the database stays the single source of truth and every write is one
transaction whose effects reach the index only after COMMIT.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from datetime import UTC, datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from longmem.errors import ConflictError, StoreError
from longmem.models import (
    EventAction,
    MemoryEvent,
    MemoryRecord,
    MemoryStatus,
)
from longmem.store import rows as convert
from longmem.store.base import MemoryFilter, Vector
from longmem.store.index import (
    IndexCache,
    IndexRow,
    Retired,
    UserIndex,
    indexed_row,
    pending_op,
)
from longmem.store.index_reads import IndexedReads, NeighbourReads

SCHEMA_VERSION = 4
ACTIVE = frozenset({MemoryStatus.active})


def owner_token(tenant_id: str, user_id: str) -> str:
    """A single FTS token naming one (tenant, user), so MATCH never scans other users."""
    return "o" + hashlib.sha1(f"{tenant_id}\0{user_id}".encode()).hexdigest()[:20]


# Ownership checked beside a lookup by id, not used to find the rows: given the owner columns
# plainly, SQLite's planner walks the (tenant, user) index over the user's every row (6 ms a
# statement at 10,000 turns, under the store's lock, so searches queued behind each access
# write). The unary + keeps the columns out of index choice.
OWNED_BY = "+tenant_id = ? AND +user_id = ?"

_UPSERT_META = (
    "INSERT INTO store_meta (key, value) VALUES (?, ?)"
    " ON CONFLICT (key) DO UPDATE SET value = excluded.value"
)


def _params(m: MemoryRecord) -> dict[str, Any]:
    values = convert.params(m, native=False)
    values["owner"] = owner_token(m.tenant_id, m.user_id)
    return values


def _blob(vector: Vector) -> bytes:
    return np.asarray(vector, dtype="<f4").tobytes()


def _filter_sql(flt: MemoryFilter) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    args: list[Any] = []
    for column, values in (("status", flt.statuses), ("kind", flt.kinds), ("type", flt.types)):
        if values is not None:
            clauses.append(f"{column} IN ({','.join('?' * len(values))})")
            args.extend(sorted(v.value for v in values))
    return (" AND " + " AND ".join(clauses)) if clauses else "", args


def _embeddings(
    db: sqlite3.Connection, tenant_id: str, user_id: str, memory_ids: Sequence[str]
) -> dict[str, Vector]:
    """The stored vectors of the given memories, in any status; unknown ids left out."""
    if not memory_ids:
        return {}
    rows = db.execute(
        f"SELECT memory_id, embedding FROM memories WHERE {OWNED_BY}"
        f" AND memory_id IN ({','.join('?' * len(memory_ids))})",
        (tenant_id, user_id, *memory_ids),
    ).fetchall()
    return {r["memory_id"]: np.frombuffer(r["embedding"], dtype="<f4") for r in rows}


class _Tx(NeighbourReads):
    """The write side of one transaction, handed out by `SQLiteStore.transaction`."""

    def __init__(self, store: SQLiteStore) -> None:
        self._store = store
        self._db = store._db
        self.index_ops: list[tuple[tuple[str, str], IndexRow | Retired]] = []

    def insert(self, memory: MemoryRecord, embedding: Vector) -> None:
        params = _params(memory)
        params["embedding"] = _blob(embedding)
        columns = ", ".join(params)
        self._db.execute(
            f"INSERT INTO memories ({columns}) VALUES ({', '.join(':' + c for c in params)})",
            params,
        )
        self._queue(memory, embedding)

    def update(self, memory: MemoryRecord, embedding: Vector | None = None) -> None:
        params = _params(memory)
        sets = ", ".join(f"{c} = :{c}" for c in params if c != "memory_id")
        if embedding is not None:
            params["embedding"] = _blob(embedding)
            sets += ", embedding = :embedding"
        cursor = self._db.execute(
            f"UPDATE memories SET {sets} WHERE memory_id = :memory_id AND tenant_id = :tenant_id"
            " AND user_id = :user_id",
            params,
        )
        if cursor.rowcount != 1:
            raise StoreError(f"memory {memory.memory_id} vanished during the update")
        if memory.status is MemoryStatus.active and embedding is None:
            row = self._db.execute(
                "SELECT embedding FROM memories WHERE memory_id = ?", (memory.memory_id,)
            ).fetchone()
            embedding = np.frombuffer(row["embedding"], dtype="<f4")
        self._queue(memory, embedding)

    def _queue(self, memory: MemoryRecord, embedding: Vector | None) -> None:
        self.index_ops.append(((memory.tenant_id, memory.user_id), pending_op(memory, embedding)))

    def append_event(
        self, memory: MemoryRecord, action: EventAction, reason: str, turn: int | None
    ) -> None:
        self._db.execute(
            "INSERT INTO memory_events (memory_id, tenant_id, user_id, version, action, reason,"
            " turn, created_at, snapshot) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                memory.memory_id,
                memory.tenant_id,
                memory.user_id,
                memory.version,
                action.value,
                reason,
                turn,
                convert.iso(memory.metadata.updated_at),
                memory.model_dump_json(),
            ),
        )

    def insert_event(self, event: MemoryEvent, tenant_id: str) -> None:
        self._db.execute(
            "INSERT INTO memory_events (memory_id, tenant_id, user_id, version, action, reason,"
            " turn, created_at, snapshot) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                event.memory_id,
                tenant_id,
                event.user_id,
                event.version,
                event.action.value,
                event.reason,
                event.turn,
                convert.iso(event.created_at),
                json.dumps(event.snapshot),
            ),
        )

    def lock_user(self, tenant_id: str, user_id: str) -> bool:
        # BEGIN IMMEDIATE already holds the only write lock; this only checks existence.
        row = self._db.execute(
            "SELECT 1 FROM users WHERE tenant_id = ? AND user_id = ?", (tenant_id, user_id)
        ).fetchone()
        return row is not None

    def defer_extraction(self, tenant_id: str, user_id: str, turn: int) -> None:
        self._db.execute(
            "INSERT INTO pending_extraction (tenant_id, user_id, turn, queued_at)"
            " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (tenant_id, user_id, turn, convert.iso(datetime.now(UTC))),
        )

    def extraction_done(self, tenant_id: str, user_id: str, turn: int) -> None:
        self._db.execute(
            "DELETE FROM pending_extraction WHERE tenant_id = ? AND user_id = ? AND turn = ?",
            (tenant_id, user_id, turn),
        )

    def touch_user(self, tenant_id: str, user_id: str, turn: int, turns: int) -> None:
        self._db.execute(
            "INSERT INTO users (tenant_id, user_id, last_turn, turns_seen) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (tenant_id, user_id) DO UPDATE SET"
            " last_turn = max(last_turn, excluded.last_turn),"
            " turns_seen = turns_seen + excluded.turns_seen",
            (tenant_id, user_id, turn, turns),
        )

    def mark_optimized(self, tenant_id: str, user_id: str, at: datetime) -> None:
        self._db.execute(
            "INSERT INTO users (tenant_id, user_id, last_optimize) VALUES (?, ?, ?)"
            " ON CONFLICT (tenant_id, user_id)"
            " DO UPDATE SET last_optimize = excluded.last_optimize",
            (tenant_id, user_id, convert.iso(at)),
        )

    def get(self, tenant_id: str, user_id: str, memory_id: str) -> MemoryRecord | None:
        return self._store.get(tenant_id, user_id, memory_id)

    def by_slot(self, tenant_id: str, user_id: str, slot: str) -> list[MemoryRecord]:
        return self._store.by_slot(tenant_id, user_id, slot)

    def turns_mentioning(
        self, tenant_id: str, user_id: str, terms: Sequence[str], before_turn: int
    ) -> list[MemoryRecord]:
        words = [t for t in dict.fromkeys(terms) if t.isalnum()]
        if not words:
            return []
        match = f'owner : "{owner_token(tenant_id, user_id)}" AND ' + " AND ".join(
            f'"{w}"*' for w in words
        )
        rows = self._db.execute(
            f"SELECT {convert.COLUMNS} FROM memories WHERE rowid IN"
            " (SELECT rowid FROM memories_fts WHERE memories_fts MATCH ?)"
            " AND tenant_id = ? AND user_id = ? AND kind = 'episodic' AND role = 'user'"
            " AND status = 'active' AND valid_to_turn IS NULL AND source_turn < ?"
            " ORDER BY rowid",
            (match, tenant_id, user_id, before_turn),
        ).fetchall()
        return [convert.record(r) for r in rows]

    def embeddings(
        self, tenant_id: str, user_id: str, memory_ids: Sequence[str]
    ) -> dict[str, Vector]:
        return _embeddings(self._db, tenant_id, user_id, memory_ids)

    def of_turn(self, tenant_id: str, user_id: str, turn: int) -> list[MemoryRecord]:
        rows = self._db.execute(
            f"SELECT {convert.COLUMNS} FROM memories WHERE tenant_id = ? AND user_id = ?"
            " AND source_turn = ? AND (kind = 'episodic' OR status = 'active')"
            " ORDER BY kind, chunk_index",
            (tenant_id, user_id, turn),
        ).fetchall()
        return [convert.record(r) for r in rows]

    def _committed(self, tenant_id: str, user_id: str) -> tuple[UserIndex, threading.RLock]:
        return self._store._index(tenant_id, user_id), self._store._indexes.lock

    def _written(self, tenant_id: str, user_id: str) -> dict[str, IndexRow | Retired]:
        key = (tenant_id, user_id)
        return {op.memory_id: op for owner, op in self.index_ops if owner == key}

    def _read(self, tenant_id: str, user_id: str, memory_ids: list[str]) -> list[MemoryRecord]:
        rows = self._db.execute(
            f"SELECT {convert.COLUMNS} FROM memories WHERE memory_id IN"
            f" ({','.join('?' * len(memory_ids))})",
            memory_ids,
        ).fetchall()
        return [convert.record(r) for r in rows]


class SQLiteStore(IndexedReads):
    """Thread-safe: one connection, serialised by a lock (SQLite has one writer anyway)."""

    backend = "sqlite"
    schema_version = SCHEMA_VERSION
    _indexes: IndexCache

    def __init__(self, path: Path | str, dimension: int, *, index_users: int = 64) -> None:
        self.path = Path(path)
        if str(path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self.dimension = dimension
        self._lock = threading.RLock()
        try:
            self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open {path}: {exc}") from exc
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA journal_mode = WAL")
        self._db.execute("PRAGMA synchronous = NORMAL")
        self._db.execute("PRAGMA busy_timeout = 5000")
        self._migrate()
        self._index_users = index_users
        self._indexes = IndexCache(dimension, max_users=index_users)

    def _migrate(self) -> None:
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path} has schema version {version}; this longmem knows up to "
                f"{SCHEMA_VERSION}: upgrade longmem"
            )
        if version == SCHEMA_VERSION:
            return
        script = resources.files("longmem.store").joinpath("schema_sqlite.sql").read_text()
        with self._lock:
            self._db.executescript(
                f"BEGIN;\n{script}\nPRAGMA user_version = {SCHEMA_VERSION};\nCOMMIT;"
            )

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @contextmanager
    def transaction(self) -> Iterator[_Tx]:
        with self._lock:
            tx = _Tx(self)
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield tx
            except sqlite3.IntegrityError as exc:
                self._db.execute("ROLLBACK")
                raise ConflictError(
                    f"a stored row holds the same key, nothing was written: {exc}"
                ) from exc
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            try:
                self._db.execute("COMMIT")
            except sqlite3.Error as exc:
                self._db.execute("ROLLBACK")
                raise StoreError(f"commit failed, nothing was written: {exc}") from exc
            with self._indexes.lock:
                for key, op in tx.index_ops:
                    index = self._indexes.get(key)
                    if index is None:
                        continue  # built from the database on its next use
                    if isinstance(op, Retired):
                        index.retire(op)
                    else:
                        index.add(op)

    # -- reads -----------------------------------------------------------------------------

    def reading(self, tenant_id: str, user_id: str) -> AbstractContextManager[None]:
        return nullcontext()  # this process's index is current: every write goes through it

    def _select(self, where: str, args: Sequence[Any]) -> list[MemoryRecord]:
        with self._lock:
            cursor = self._db.execute(f"SELECT {convert.COLUMNS} FROM memories WHERE {where}", args)
            return [convert.record(r) for r in cursor.fetchall()]

    def get(self, tenant_id: str, user_id: str, memory_id: str) -> MemoryRecord | None:
        found = self._select(
            "memory_id = ? AND tenant_id = ? AND user_id = ?", (memory_id, tenant_id, user_id)
        )
        return found[0] if found else None

    def get_many(
        self, tenant_id: str, user_id: str, memory_ids: Sequence[str]
    ) -> list[MemoryRecord]:
        if not memory_ids:
            return []
        # Looked up by the unique memory_id index alone, then checked for ownership: with the
        # owner columns in the WHERE clause SQLite chose the (tenant, user) index and scanned
        # the whole user (10 ms at 10,000 turns).
        with self._lock:
            index = self._indexes.get((tenant_id, user_id))
            found: dict[str, MemoryRecord] = {}
            if index is not None:
                for memory_id in memory_ids:
                    if (kept := index.cached_record(memory_id)) is not None:
                        found[memory_id] = kept
            missing = [m for m in memory_ids if m not in found]
            if missing:
                marks = ",".join("?" * len(missing))
                for m in self._select(f"memory_id IN ({marks})", missing):
                    if m.tenant_id == tenant_id and m.user_id == user_id:
                        found[m.memory_id] = m
                        if index is not None and m.status is MemoryStatus.active:
                            index.keep_record(m)
        return [found[i] for i in memory_ids if i in found]

    def list_page(
        self, tenant_id: str, user_id: str, flt: MemoryFilter, *, after: str | None, limit: int
    ) -> list[MemoryRecord]:
        extra, args = _filter_sql(flt)
        where = f"tenant_id = ? AND user_id = ?{extra}"
        params: list[Any] = [tenant_id, user_id, *args]
        if after is not None:
            where += " AND rowid > (SELECT rowid FROM memories WHERE memory_id = ?)"
            params.append(after)
        return self._select(f"{where} ORDER BY rowid LIMIT ?", [*params, limit])

    def iter_user(self, tenant_id: str, user_id: str, flt: MemoryFilter) -> Iterator[MemoryRecord]:
        after: str | None = None
        while True:
            page = self.list_page(tenant_id, user_id, flt, after=after, limit=500)
            yield from page
            if len(page) < 500:
                return
            after = page[-1].memory_id

    def by_slot(self, tenant_id: str, user_id: str, slot: str) -> list[MemoryRecord]:
        return self._select(
            "tenant_id = ? AND user_id = ? AND slot = ? AND status = 'active'"
            " AND kind = 'semantic' ORDER BY rowid",
            (tenant_id, user_id, slot),
        )

    def turn_chunks(self, tenant_id: str, user_id: str, turn: int) -> list[MemoryRecord]:
        return self._select(
            "tenant_id = ? AND user_id = ? AND kind = 'episodic' AND source_turn = ?"
            " ORDER BY chunk_index",
            (tenant_id, user_id, turn),
        )

    def _index(self, tenant_id: str, user_id: str) -> UserIndex:
        key = (tenant_id, user_id)
        index = self._indexes.get(key)
        if index is not None:
            return index
        with self._lock:
            index = self._indexes.get(key)
            if index is not None:
                return index
            rows = self._db.execute(
                "SELECT memory_id, kind, type, content, slot, source_turn, role, speaker,"
                " chunk_index, valid_to_turn IS NULL AS current, embedding FROM memories"
                " WHERE tenant_id = ? AND user_id = ? AND status = 'active' ORDER BY rowid",
                (tenant_id, user_id),
            ).fetchall()
            superseded = self._db.execute(
                "SELECT memory_id, source_turn FROM memories WHERE tenant_id = ? AND user_id = ?"
                " AND status = 'superseded' AND kind = 'semantic' AND source_turn IS NOT NULL",
                (tenant_id, user_id),
            ).fetchall()
            return self._indexes.build(
                key,
                [indexed_row(r, np.frombuffer(r["embedding"], dtype="<f4")) for r in rows],
                [(r[0], r[1]) for r in superseded],
            )

    def lexical_search(
        self, tenant_id: str, user_id: str, terms: Sequence[str], limit: int, flt: MemoryFilter
    ) -> list[tuple[str, float]]:
        if flt.statuses == ACTIVE:
            return self._indexed_lexical(tenant_id, user_id, terms, limit, flt)
        words = [t for t in terms if t.isalnum()]
        if not words:
            return []
        # Prefix queries: our light stems ("allerg") must meet FTS5's porter stems.
        match = (
            f'owner : "{owner_token(tenant_id, user_id)}" AND ('
            + " OR ".join(f'"{w}"*' for w in dict.fromkeys(words))
            + ")"
        )
        extra, args = _filter_sql(flt)
        with self._lock:
            rows = self._db.execute(
                "SELECT m.memory_id, bm25(memories_fts, 0.0, 1.0) AS rank FROM memories_fts"
                " JOIN memories m ON m.rowid = memories_fts.rowid"
                f" WHERE memories_fts MATCH ? AND m.tenant_id = ? AND m.user_id = ?{extra}"
                " ORDER BY rank LIMIT ?",
                (match, tenant_id, user_id, *args, limit),
            ).fetchall()
        return [(r["memory_id"], -float(r["rank"])) for r in rows]

    def history(self, tenant_id: str, user_id: str, memory_id: str) -> list[MemoryEvent]:
        with self._lock:
            rows = self._db.execute(
                f"SELECT * FROM memory_events WHERE memory_id = ? AND {OWNED_BY} ORDER BY event_id",
                (memory_id, tenant_id, user_id),
            ).fetchall()
        return [
            MemoryEvent(
                event_id=r["event_id"],
                memory_id=r["memory_id"],
                user_id=r["user_id"],
                version=r["version"],
                action=EventAction(r["action"]),
                reason=r["reason"],
                turn=r["turn"],
                created_at=datetime.fromisoformat(r["created_at"]),
                snapshot=json.loads(r["snapshot"]),
            )
            for r in rows
        ]

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
        marks = ",".join("?" * len(memory_ids))
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.execute(
                    "UPDATE memories SET access_count = access_count + 1, last_accessed = ?,"
                    " last_accessed_turn = max(coalesce(last_accessed_turn, 0), coalesce(?, 0))"
                    f" WHERE {OWNED_BY} AND memory_id IN ({marks})",
                    (convert.iso(at), turn, tenant_id, user_id, *memory_ids),
                )
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
            index = self._indexes.get((tenant_id, user_id))
            if index is not None:
                index.count_access(memory_ids, turn, at)

    def user_state(self, tenant_id: str, user_id: str) -> tuple[int, int, datetime | None]:
        with self._lock:
            row = self._db.execute(
                "SELECT last_turn, turns_seen, last_optimize FROM users"
                " WHERE tenant_id = ? AND user_id = ?",
                (tenant_id, user_id),
            ).fetchone()
        if row is None:
            return 0, 0, None
        return row["last_turn"], row["turns_seen"], convert.as_datetime(row["last_optimize"])

    def counts(self, tenant_id: str, user_id: str) -> dict[str, dict[str, int]]:
        """Active memories by type (semantic only) and kind; all memories by status."""
        where = "tenant_id = ? AND user_id = ?"
        queries = {
            "type": f"SELECT type, count(*) FROM memories WHERE {where}"
            " AND status = 'active' AND kind = 'semantic' GROUP BY type",
            "kind": f"SELECT kind, count(*) FROM memories WHERE {where}"
            " AND status = 'active' GROUP BY kind",
            "status": f"SELECT status, count(*) FROM memories WHERE {where} GROUP BY status",
        }
        with self._lock:
            return {
                name: {k: n for k, n in self._db.execute(sql, (tenant_id, user_id)).fetchall()}
                for name, sql in queries.items()
            }

    def hot_count(self, tenant_id: str, user_id: str, min_accesses: int) -> int:
        with self._lock:
            row = self._db.execute(
                "SELECT count(*) FROM memories WHERE tenant_id = ? AND user_id = ?"
                " AND status = 'active' AND access_count >= ?",
                (tenant_id, user_id, min_accesses),
            ).fetchone()
        return int(row[0])

    def _stored_vectors(
        self, tenant_id: str, user_id: str, memory_ids: Sequence[str]
    ) -> dict[str, Vector]:
        with self._lock:
            return _embeddings(self._db, tenant_id, user_id, memory_ids)

    def storage_bytes(self, tenant_id: str, user_id: str) -> int:
        with self._lock:
            row = self._db.execute(
                "SELECT coalesce(sum(length(content) + length(embedding)), 0) FROM memories"
                " WHERE tenant_id = ? AND user_id = ?",
                (tenant_id, user_id),
            ).fetchone()
        return int(row[0])

    def users(self) -> list[tuple[str, str]]:
        with self._lock:
            rows = self._db.execute("SELECT tenant_id, user_id FROM users ORDER BY 1, 2")
            return [(r[0], r[1]) for r in rows.fetchall()]

    def memory_owners(self) -> list[tuple[str, str]]:
        with self._lock:
            rows = self._db.execute(
                "SELECT DISTINCT tenant_id, user_id FROM memories ORDER BY 1, 2"
            )
            return [(r[0], r[1]) for r in rows.fetchall()]

    def pending_extractions(self, before: datetime | None = None) -> list[tuple[str, str, int]]:
        with self._lock:
            rows = self._db.execute(
                "SELECT tenant_id, user_id, turn FROM pending_extraction WHERE queued_at < ?"
                " ORDER BY queued_at, turn",
                (convert.iso(before or datetime.now(UTC) + timedelta(days=1)),),
            )
            return [(r[0], r[1], int(r[2])) for r in rows.fetchall()]

    def delete_user(self, tenant_id: str, user_id: str) -> dict[str, int]:
        counts: dict[str, int] = {}
        with self.transaction():
            self._db.execute(
                "DELETE FROM reembed_staging WHERE memory_id IN"
                " (SELECT memory_id FROM memories WHERE tenant_id = ? AND user_id = ?)",
                (tenant_id, user_id),
            )
            for table in ("memories", "memory_events", "users", "pending_extraction"):
                cursor = self._db.execute(
                    f"DELETE FROM {table} WHERE tenant_id = ? AND user_id = ?",
                    (tenant_id, user_id),
                )
                counts[table] = cursor.rowcount
        self._indexes.drop((tenant_id, user_id))
        return counts

    # -- which model made the vectors, and re-embedding (`longmem reembed`) ----------------

    def get_meta(self, key: str) -> str | None:
        with self._lock:
            row = self._db.execute("SELECT value FROM store_meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction():
            self._db.execute(_UPSERT_META, (key, value))

    def stored_dimension(self) -> int | None:
        with self._lock:
            row = self._db.execute("SELECT length(embedding) / 4 FROM memories LIMIT 1").fetchone()
        return None if row is None else int(row[0])

    def reembed_pending(self, limit: int) -> list[tuple[str, str, str | None]]:
        with self._lock:
            rows = self._db.execute(
                "SELECT memory_id, content, CASE WHEN kind = 'semantic' THEN speaker END"
                " FROM memories m WHERE NOT EXISTS"
                " (SELECT 1 FROM reembed_staging s WHERE s.memory_id = m.memory_id)"
                " ORDER BY rowid LIMIT ?",
                (limit,),
            ).fetchall()
        return [(r[0], r[1], r[2]) for r in rows]

    def reembed_progress(self) -> tuple[int, int]:
        with self._lock:
            row = self._db.execute(
                "SELECT (SELECT count(*) FROM reembed_staging s"
                " WHERE s.memory_id IN (SELECT memory_id FROM memories)),"
                " (SELECT count(*) FROM memories)"
            ).fetchone()
        return int(row[0]), int(row[1])

    def reembed_stage(self, rows: Sequence[tuple[str, Vector]]) -> None:
        with self.transaction():
            self._db.executemany(
                "INSERT OR REPLACE INTO reembed_staging (memory_id, embedding) VALUES (?, ?)",
                [(memory_id, _blob(vector)) for memory_id, vector in rows],
            )

    def reembed_clear(self) -> None:
        with self.transaction():
            self._db.execute("DELETE FROM reembed_staging")

    def reembed_finish(self, meta: dict[str, str], dimension: int) -> None:
        """Swaps every staged vector in at once, or nothing if a memory still lacks one."""
        with self.transaction():
            missing = self._db.execute(
                "SELECT count(*) FROM memories m WHERE NOT EXISTS"
                " (SELECT 1 FROM reembed_staging s WHERE s.memory_id = m.memory_id)"
            ).fetchone()[0]
            if missing:
                raise StoreError(f"{missing} memories have no new vector yet; run reembed again")
            self._db.execute(
                "UPDATE memories SET embedding = (SELECT embedding FROM reembed_staging s"
                " WHERE s.memory_id = memories.memory_id)"
            )
            self._db.execute("DELETE FROM reembed_staging")
            self._db.executemany(_UPSERT_META, list(meta.items()))
        self.dimension = dimension
        self._indexes = IndexCache(dimension, max_users=self._index_users)
