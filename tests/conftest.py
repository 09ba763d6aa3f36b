from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

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


@pytest.fixture
def memory(settings: Settings, embedder: MiniLMEmbedder) -> Iterator[Memory]:
    with Memory(settings, embedder=embedder) as mem:
        yield mem


def count_rows(path: Path) -> dict[str, int]:
    """Row counts straight from the file, bypassing longmem."""
    db = sqlite3.connect(path)
    try:
        return {
            table: db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("memories", "memory_events", "users", "memories_fts")
        }
    finally:
        db.close()


@pytest.fixture
def table_counts() -> Callable[[Path], dict[str, int]]:
    return count_rows
