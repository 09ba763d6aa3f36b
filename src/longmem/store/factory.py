"""Chooses the store from settings: the only place that knows both."""

from __future__ import annotations

from longmem.config import Settings
from longmem.store.base import Store


def open_store(settings: Settings, dimension: int) -> Store:
    if settings.uses_postgres:
        from longmem.store.postgres import PostgresStore

        assert settings.database_url is not None
        return PostgresStore(
            settings.database_url,
            dimension,
            pool_size=settings.connection_pool_size,
            partitions=settings.pg_partitions,
        )
    from longmem.store.sqlite import SQLiteStore

    return SQLiteStore(settings.sqlite_path, dimension)
