"""Changing the embedding model: the store refuses a mismatched embedder and `longmem reembed`
moves it, resuming after a failure. OpenAI embeddings come from a local stand-in for the API."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from longmem import Memory, Settings
from longmem.cli import main
from longmem.config import get_settings
from longmem.embedding.minilm import MiniLMEmbedder
from longmem.embedding.openai import OpenAIEmbedder
from longmem.errors import EmbedderError, EmbedderMismatchError
from longmem.llm.client import OpenAIClient
from longmem.reembed import reembed
from longmem.service import create_app
from longmem.store.base import Store
from longmem.store.embedding_record import recorded
from openai_standin import StandIn

TURNS = [
    "I live in Paris with my partner Ana.",
    "I love espresso and prefer dark roast coffee.",
    "Always answer me in French.",
    "I'll send the quarterly report on Friday.",
    "I moved to Berlin last month.",
    "My dog Rex is allergic to chicken.",
]


@pytest.fixture
def standin() -> Iterator[StandIn]:
    with StandIn() as server:
        yield server


def openai_embedder(standin: StandIn) -> OpenAIEmbedder:
    client = OpenAIClient(standin.base_url, "sk-test", max_retries=0)
    return OpenAIEmbedder(client, "text-embedding-3-small", batch=4)


def reopen(memory: Memory, settings: Settings, dimension: int) -> Store:
    """The same store, opened again as a separate process would."""
    if memory.store.backend == "sqlite":
        from longmem.store.sqlite import SQLiteStore

        return SQLiteStore(settings.sqlite_path, dimension)
    from longmem.store.postgres import PostgresStore

    return PostgresStore(memory.store.url, dimension, pool_size=2, partitions=4)  # type: ignore[attr-defined]


def test_a_store_remembers_its_model_and_refuses_another(memory, settings, standin):
    memory.add_turn("u", TURNS[0])
    assert recorded(memory.store) == (MiniLMEmbedder().model_name, 384)
    store = reopen(memory, settings, 1536)
    try:
        with pytest.raises(EmbedderMismatchError, match=r"all-MiniLM-L6-v2 \(384-d\).*reembed"):
            Memory(settings, store=store, embedder=openai_embedder(standin))
    finally:
        store.close()


def test_reembed_resumes_after_a_failure_and_then_serves_the_new_model(
    memory, settings, embedder, standin
):
    memory.add_turns("u", [{"content": t} for t in TURNS])
    memory.add_turn("v", "My favourite band is Radiohead.")
    store = reopen(memory, settings, 1536)
    new = openai_embedder(standin)
    try:
        done, total = store.reembed_progress()
        assert done == 0 and total > 8

        progress: list[tuple[int, int]] = []

        def first_batch_then_outage(done: int, total: int) -> None:
            progress.append((done, total))
            if done:
                standin.embedding_failures = 1

        with pytest.raises(EmbedderError, match="unavailable"):
            reembed(store, new, batch=4, on_progress=first_batch_then_outage)
        assert progress == [(0, total), (4, total)]
        assert store.reembed_progress() == (4, total)
        # Until the swap the store still serves the old model, untouched.
        assert recorded(store) == (embedder.model_name, 384)
        assert memory.search("u", "Which city do I live in now?", top_k=3)

        report = reembed(store, new, batch=4)
        assert (report.resumed, report.embedded, report.total) == (4, total - 4, total)
        assert sorted(standin.embedded) == sorted(
            m.content for m in _all_memories(memory, ("u", "v"))
        )  # every memory embedded exactly once across both runs
        assert recorded(store) == ("text-embedding-3-small", 1536)
        assert store.stored_dimension() == 1536 and store.reembed_progress()[0] == 0

        with pytest.raises(EmbedderMismatchError):
            Memory(settings, store=store, embedder=embedder)
        with Memory(settings, store=store, embedder=new) as moved:
            hits = moved.search("u", "My dog Rex is allergic to chicken.", top_k=3)
        assert hits and hits[0].memory.content == "My dog Rex is allergic to chicken."
        assert hits[0].parts.semantic > 0.9
    finally:
        store.close()


def _all_memories(memory: Memory, users: tuple[str, ...]) -> list:
    from longmem.models import MemoryStatus
    from longmem.store.base import MemoryFilter

    every = MemoryFilter(statuses=frozenset(MemoryStatus))
    found = []
    for user in users:
        found += memory.store.list_page("default", user, every, after=None, limit=10_000)
    return found


def test_the_service_refuses_to_start_on_another_models_store(tmp_path, embedder, standin):
    settings = Settings(longmem_home=tmp_path / "svc")
    with Memory(settings, embedder=embedder) as mem:
        mem.add_turn("u", TURNS[1])
    app = create_app(settings, embedder=openai_embedder(standin))
    with pytest.raises(EmbedderMismatchError), TestClient(app):
        pass


def test_longmem_reembed_moves_the_embedded_store(
    tmp_path: Path, embedder, standin, monkeypatch, capsys
):
    home = tmp_path / "cli"
    with Memory(Settings(longmem_home=home), embedder=embedder) as mem:
        mem.add_turns("u", [{"content": t} for t in TURNS])
    for name, value in {
        "LONGMEM_HOME": str(home),
        "EMBEDDING_PROVIDER": "openai",
        "OPENAI_BASE_URL": standin.base_url,
        "LLM_MAX_RETRIES": "0",
    }.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    try:
        assert main(["stats", "u"]) == 2  # refused: the store is still on MiniLM
        assert "reembed" in capsys.readouterr().err
        assert main(["reembed", "--quiet"]) == 0
        assert "to text-embedding-3-small (1536-d)" in capsys.readouterr().err
        assert main(["reembed", "--quiet"]) == 0
        assert "nothing to do" in capsys.readouterr().err
        assert main(["stats", "u"]) == 0
    finally:
        get_settings.cache_clear()


def test_erasure_also_removes_a_users_staged_vectors(memory, settings, standin, table_counts):
    memory.add_turns("u", [{"content": t} for t in TURNS[:3]])
    memory.add_turns("v", [{"content": t} for t in TURNS[3:]])
    store = reopen(memory, settings, 1536)
    try:
        rows = store.reembed_pending(1_000)
        vectors = openai_embedder(standin).embed([content for _, content, _ in rows])
        store.reembed_stage([(row[0], vectors[i]) for i, row in enumerate(rows)])
        assert table_counts()["reembed_staging"] == len(rows)
        erased = memory.delete_all("u")
        assert erased["memories"] > 0
        assert table_counts()["reembed_staging"] == len(rows) - erased["memories"]
    finally:
        store.close()
