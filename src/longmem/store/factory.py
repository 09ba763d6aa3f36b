"""Chooses the store from settings: the only place that knows both."""

from __future__ import annotations

from longmem.config import Settings
from longmem.store.base import Store


def open_store(settings: Settings, dimension: int) -> Store:
    store = _open_records(settings, dimension)
    if settings.vector_index != "pinecone":
        return store
    try:
        return _with_pinecone(settings, store, dimension)
    except BaseException:
        store.close()
        raise


def _open_records(settings: Settings, dimension: int) -> Store:
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


def _with_pinecone(settings: Settings, store: Store, dimension: int) -> Store:
    from longmem.store.pinecone_index import PineconeIndexedStore
    from longmem.store.pinecone_vectors import PineconeVectors

    # Settings refuse VECTOR_INDEX=pinecone without both; asserted for the type checker.
    assert settings.pinecone_api_key and settings.pinecone_index
    vectors = PineconeVectors.connect(
        api_key=settings.pinecone_api_key,
        index_name=settings.pinecone_index,
        host=settings.pinecone_host,
        dimension=dimension,
        timeout=settings.pinecone_timeout_seconds,
    )
    return PineconeIndexedStore(store, vectors)
