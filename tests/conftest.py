from __future__ import annotations

import os
import sqlite3
import tempfile
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from longmem import Memory, Settings
from longmem.embedding import MiniLMEmbedder


@pytest.fixture(scope="session")
def embedder() -> MiniLMEmbedder:
    """The real model, loaded once: it takes ~1.5 s to verify and build."""
    return MiniLMEmbedder()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(longmem_home=tmp_path / "home", max_content_chars=2_000)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A real PostgreSQL with pgvector: LONGMEM_TEST_DATABASE_URL, or a pgserver instance
    (PostgreSQL 16 + pgvector from PyPI) started in a temporary directory."""
    configured = os.environ.get("LONGMEM_TEST_DATABASE_URL")
    if configured:
        yield configured
        return
    import pgserver

    with tempfile.TemporaryDirectory(prefix="longmem-pg-") as data:
        server = pgserver.get_server(data, cleanup_mode="stop")
        try:
            yield server.get_uri()
        finally:
            server.cleanup()


@pytest.fixture
def fresh_postgres(postgres_url: str) -> Iterator[str]:
    """A new, empty database on the test server, dropped afterwards."""
    import psycopg

    name = f"longmem_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(urlsplit(postgres_url)._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(postgres_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgres"])
def store_kind(request: pytest.FixtureRequest) -> str:
    """The store contract: tests that use `memory` run once per store."""
    return str(request.param)


@pytest.fixture
def memory(
    settings: Settings, embedder: MiniLMEmbedder, store_kind: str, request: pytest.FixtureRequest
) -> Iterator[Memory]:
    if store_kind == "sqlite":
        with Memory(settings, embedder=embedder) as mem:
            yield mem
        return
    from longmem.store.postgres import PostgresStore

    url = request.getfixturevalue("fresh_postgres")
    store = PostgresStore(url, embedder.dimension, pool_size=4, partitions=4)
    try:
        with Memory(settings, store=store, embedder=embedder) as mem:
            yield mem
    finally:
        store.close()


def count_rows(path: Path) -> dict[str, int]:
    """Row counts straight from the SQLite file, bypassing longmem."""
    db = sqlite3.connect(path)
    try:
        return {
            table: db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("memories", "memory_events", "users", "memories_fts", "reembed_staging")
        }
    finally:
        db.close()


@pytest.fixture
def table_counts(memory: Memory, settings: Settings) -> Callable[[], dict[str, int]]:
    """Row counts of every table of the store under test, read around longmem's API."""
    if memory.store.backend == "sqlite":
        return lambda: count_rows(settings.sqlite_path)

    def postgres_counts() -> dict[str, int]:
        import psycopg

        url = memory.store.url  # type: ignore[attr-defined]
        with psycopg.connect(url) as conn:
            return {
                table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # type: ignore[index]
                for table in ("memories", "memory_events", "users", "reembed_staging")
            }

    return postgres_counts
