"""Fresh stores for a benchmark run: a SQLite file, or a new database on a PostgreSQL."""

from __future__ import annotations

import os
import resource
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import numpy as np

from longmem import Memory, Settings
from longmem.embedding import MiniLMEmbedder


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values), q)) if values else float("nan")


def rss_mib() -> float:
    """Peak resident memory of this process."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@contextmanager
def postgres_server() -> Iterator[str]:
    """LONGMEM_BENCH_DATABASE_URL, or a pgserver instance (PostgreSQL 16 + pgvector)."""
    configured = os.environ.get("LONGMEM_BENCH_DATABASE_URL")
    if configured:
        yield configured
        return
    import pgserver

    with tempfile.TemporaryDirectory(prefix="longmem-bench-pg-") as data:
        server = pgserver.get_server(data, cleanup_mode="stop")  # type: ignore[attr-defined]
        try:
            yield server.get_uri()
        finally:
            server.cleanup()


def fresh_database(pg_url: str) -> str:
    import psycopg

    name = f"bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(pg_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(urlsplit(pg_url)._replace(path=f"/{name}"))


def settings_for(store: str, home: Path, pg_url: str | None) -> Settings:
    if store == "sqlite":
        return Settings(longmem_home=home)
    assert pg_url is not None
    return Settings(longmem_home=home, database_url=fresh_database(pg_url))


def open_memory(settings: Settings, embedder: MiniLMEmbedder) -> Memory:
    return Memory(settings, embedder=embedder)


def add_background_users(
    database_url: str,
    user_id: str,
    count: int,
    advance: Callable[[], object] | None = None,
) -> int:
    """Copies one user's rows to `count` other users inside PostgreSQL: the store then holds
    that many users of the same size, without embedding their turns again. `advance` is
    called after each copy (a progress bar's)."""
    import psycopg

    columns = (
        "tenant_id, kind, type, content, status, superseded_by, valid_from_turn, "
        "valid_to_turn, valid_from, valid_to, version, source_turn, created_at, updated_at, "
        "last_accessed, last_accessed_turn, access_count, confidence, decay_score, role, "
        "speaker, slot, value, negated, chunk_index, embedding"
    )
    with psycopg.connect(database_url, autocommit=True) as conn:
        for n in range(count):
            conn.execute(
                f"INSERT INTO memories (memory_id, user_id, {columns})"
                f" SELECT memory_id || %s, %s, {columns} FROM memories WHERE user_id = %s",
                (f"-bg{n}", f"background-{n}", user_id),
            )
            conn.execute(
                "INSERT INTO users (tenant_id, user_id, last_turn, turns_seen)"
                " SELECT tenant_id, %s, last_turn, turns_seen FROM users WHERE user_id = %s",
                (f"background-{n}", user_id),
            )
            if advance is not None:
                advance()
    at_rest(database_url)
    return count


def at_rest(database_url: str) -> None:
    """Vacuums and analyses the memories just written. Otherwise autovacuum visits the new rows
    while searches are being timed, as it would not in a database at rest: the first service
    timed after an import of 10,000 turns searched at p50 21 ms, the next one 12."""
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE memories")
