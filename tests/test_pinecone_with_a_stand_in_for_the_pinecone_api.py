"""VECTOR_INDEX=pinecone through the public `Memory` API, against a local stand-in for Pinecone's
REST API (tests/pinecone_standin.py) driven by the official SDK: the real service cannot be
reached from here, so what is proven is longmem's side of the wire protocol, not Pinecone."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient

from longmem import Memory, MemoryKind, MemoryStatus, MemoryType, Settings
from longmem.config import get_settings
from longmem.embedding import MiniLMEmbedder
from longmem.errors import (
    ConfigurationError,
    StoreError,
    VectorIndexErasureError,
    VectorIndexError,
)
from longmem.models import MemoryRecord
from longmem.reembed import reembed
from longmem.service import create_app
from longmem.store.base import MemoryFilter
from longmem.store.embedding_record import recorded
from longmem.store.factory import open_store
from longmem.store.pinecone_index import PineconeIndexedStore, labels, namespace_of
from longmem.store.pinecone_vectors import PineconeVectors
from longmem.store.sqlite import SQLiteStore
from pinecone_standin import PineconeStandIn

TENANT = "default"
EVERY_STATUS = [s.value for s in MemoryStatus]


@pytest.fixture
def pinecone(embedder: MiniLMEmbedder) -> Iterator[PineconeStandIn]:
    with PineconeStandIn(dimension=embedder.dimension) as standin:
        yield standin


def pinecone_settings(tmp_path: Path, standin: PineconeStandIn, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "longmem_home": tmp_path / "home",
        "max_content_chars": 2_000,
        "vector_index": "pinecone",
        "pinecone_api_key": standin.api_key,
        "pinecone_index": standin.index_name,
        "pinecone_host": standin.url,
        "pinecone_timeout_seconds": 2.0,
        **overrides,
    }
    return Settings(**values)


@pytest.fixture(params=["sqlite", "postgres"])
def records_in(request: pytest.FixtureRequest) -> dict[str, Any]:
    """Where records live: the SQLite file, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return {}
    url = request.getfixturevalue("fresh_postgres")
    return {"database_url": url, "pg_partitions": 4, "connection_pool_size": 4}


@pytest.fixture
def mem(
    tmp_path: Path,
    embedder: MiniLMEmbedder,
    pinecone: PineconeStandIn,
    records_in: dict[str, Any],
) -> Iterator[Memory]:
    with Memory(pinecone_settings(tmp_path, pinecone, **records_in), embedder=embedder) as m:
        yield m


def indexed(mem: Memory) -> PineconeIndexedStore:
    store = mem.store
    assert isinstance(store, PineconeIndexedStore)
    return store


def everything(mem: Memory, user: str) -> dict[str, MemoryRecord]:
    """Every memory of the user in the store, in any status."""
    return {m.memory_id: m for m in mem.list(user, statuses=EVERY_STATUS, limit=1000).items}


def stored_vectors(mem: Memory, user: str, memory_ids: list[str]) -> dict[str, np.ndarray]:
    with indexed(mem).inner.transaction() as tx:
        return tx.embeddings(TENANT, user, memory_ids)


def slot_outcome(result: Any, slot: str) -> Any:
    (outcome,) = [o for o in result.outcomes if o.candidate.slot == slot]
    return outcome


# -- what Pinecone holds -------------------------------------------------------------------


def test_every_memory_has_its_vector_and_labels_in_the_users_namespace(
    mem: Memory, pinecone: PineconeStandIn
):
    mem.add_turn("alice", "I live in Lisbon and I work as a nurse", turn_number=1)
    mem.add_turn("alice", "My sister Ana lives in Porto", turn_number=2)
    mem.add("alice", "Prefers window seats on trains", "preference")
    held = everything(mem, "alice")
    assert len(held) >= 5  # two turns and at least three facts

    space = pinecone.vectors(namespace_of(TENANT, "alice"))
    assert set(space) == set(held)
    copies = stored_vectors(mem, "alice", list(held))
    for memory_id, record in held.items():
        values, metadata = space[memory_id]
        np.testing.assert_allclose(values, copies[memory_id], atol=1e-6)
        assert metadata == labels(record)
    assert set(pinecone.namespaces) == {namespace_of(TENANT, "alice")}


def test_search_takes_its_dense_candidates_from_pinecone(
    mem: Memory, pinecone: PineconeStandIn, embedder: MiniLMEmbedder
):
    mem.add_turn("u", "I love espresso and prefer dark roast coffee", turn_number=1)
    train = mem.add_turn("u", "The train to Porto leaves at nine", turn_number=2).episodic[0]
    mem.add_turn("u", "My cat is called Miso", turn_number=3)

    queries = pinecone.calls("/query")
    hits = mem.search("u", "What kind of coffee should I buy?", current_turn=10)
    assert pinecone.calls("/query") == queries + 1  # one Pinecone query per search
    assert "coffee" in hits[0].memory.content

    # Pinecone is told that the train turn is exactly what a colour question means; the
    # store's own copy of its vector still says otherwise. Search believes Pinecone.
    question = "What is my favourite colour?"
    asked = embedder.embed([question])[0]
    namespace = namespace_of(TENANT, "u")
    pinecone.plant(
        namespace, train.memory_id, asked, pinecone.vectors(namespace)[train.memory_id][1]
    )
    store = indexed(mem)
    dense = store.dense_search(TENANT, "u", asked, 5, MemoryFilter())
    assert dense[0][0] == train.memory_id
    assert dense[0][1] == pytest.approx(1.0, abs=1e-4)
    assert store.inner.dense_search(TENANT, "u", asked, 5, MemoryFilter())[0][1] < 0.9
    (hit,) = [h for h in mem.search("u", question) if h.memory.memory_id == train.memory_id]
    assert hit.parts.dense == pytest.approx(1.0, abs=1e-4)


def test_dense_results_equal_what_the_store_itself_filters(mem: Memory, embedder: MiniLMEmbedder):
    mem.add_turn("u", "Always answer in French please", turn_number=1)
    mem.add_turn("u", "I love French cheese and I live in Paris", turn_number=2)
    mem.add_turn("u", "I'm allergic to peanuts", turn_number=3)
    mem.add_turn("u", "I moved to Berlin last month", turn_number=40)
    store = indexed(mem)
    asked = embedder.embed(["What should I cook for dinner in France?"])[0]
    filters = [
        MemoryFilter(),
        MemoryFilter(kinds=frozenset({MemoryKind.episodic})),
        MemoryFilter(kinds=frozenset({MemoryKind.semantic})),
        MemoryFilter(types=frozenset({MemoryType.preference})),
        MemoryFilter(types=frozenset({MemoryType.fact, MemoryType.instruction})),
    ]
    for flt in filters:
        through_pinecone = store.dense_search(TENANT, "u", asked, 50, flt)
        by_the_store = dict(store.inner.dense_search(TENANT, "u", asked, 50, flt))
        assert by_the_store, flt  # every filter selects something here
        assert {m for m, _ in through_pinecone} == set(by_the_store), flt
        for memory_id, score in through_pinecone:
            assert score == pytest.approx(by_the_store[memory_id], abs=1e-5)
        scores = [s for _, s in through_pinecone]
        assert scores == sorted(scores, reverse=True)
    # Statuses are filtered too, as PostgreSQL does (SQLite's in-memory index holds active
    # memories only and ignores them; search asks for active ones alone).
    superseded = MemoryFilter(statuses=frozenset({MemoryStatus.superseded}))
    found = {m for m, _ in store.dense_search(TENANT, "u", asked, 50, superseded)}
    assert found == {m for m, r in everything(mem, "u").items() if r.status.value == "superseded"}
    assert found


def test_supersede_delete_and_rollback_keep_pinecone_filtering_right(
    mem: Memory, pinecone: PineconeStandIn, embedder: MiniLMEmbedder
):
    mem.add_turn("u", "I live in Paris", turn_number=1)
    moved = slot_outcome(mem.add_turn("u", "I moved to Berlin last month", turn_number=40), "home")
    paris, berlin = moved.target_id, moved.memory_id
    namespace = namespace_of(TENANT, "u")
    asked = embedder.embed(["Which city am I living in?"])[0]
    semantic = MemoryFilter(kinds=frozenset({MemoryKind.semantic}))

    def dense_ids() -> set[str]:
        return {m for m, _ in indexed(mem).dense_search(TENANT, "u", asked, 50, semantic)}

    def status_in_pinecone(memory_id: str) -> str:
        return str(pinecone.vectors(namespace)[memory_id][1]["status"])

    assert status_in_pinecone(paris) == "superseded"
    assert berlin in dense_ids() and paris not in dense_ids()
    hits = mem.search("u", "Which city am I living in?", kinds=["semantic"])
    assert [h.memory.metadata.value for h in hits] == ["Berlin"]

    mem.delete("u", berlin)
    assert status_in_pinecone(berlin) == "deleted"
    assert berlin not in dense_ids()

    mem.rollback("u", paris, version=1)
    assert status_in_pinecone(paris) == "active"
    assert paris in dense_ids()
    hits = mem.search("u", "Which city am I living in?", kinds=["semantic"])
    assert [h.memory.metadata.value for h in hits] == ["Paris"]


def test_users_and_tenants_each_have_their_own_namespace(
    tmp_path: Path,
    embedder: MiniLMEmbedder,
    pinecone: PineconeStandIn,
    records_in: dict[str, Any],
):
    settings = pinecone_settings(tmp_path, pinecone, **records_in)
    store = open_store(settings, embedder.dimension)
    try:
        with (
            Memory(settings, store=store, embedder=embedder, tenant_id="acme") as acme,
            Memory(settings, store=store, embedder=embedder, tenant_id="globex") as globex,
        ):
            acme.add_turn("alice", "I live in Lisbon", turn_number=1)
            acme.add_turn("bob", "I live in Oslo", turn_number=1)
            globex.add_turn("alice", "I live in Quito", turn_number=1)
            owners = {
                ("acme", "alice"): acme,
                ("acme", "bob"): acme,
                ("globex", "alice"): globex,
            }
            namespaces = {owner: namespace_of(*owner) for owner in owners}
            assert len(set(namespaces.values())) == 3
            assert set(pinecone.namespaces) == set(namespaces.values())
            for (tenant, user), memory in owners.items():
                assert "alice" not in namespaces[(tenant, user)]  # ids stay out of Pinecone
                assert set(pinecone.vectors(namespaces[(tenant, user)])) == set(
                    everything(memory, user)
                )
            hits = globex.search("alice", "Where do I live?")
            assert hits and all("Quito" in h.memory.content for h in hits)
    finally:
        store.close()


def test_delete_all_erases_the_users_namespace_and_no_other(mem: Memory, pinecone: PineconeStandIn):
    mem.add_turn("alice", "I love espresso and prefer dark roast coffee", turn_number=1)
    mem.add_turn("bob", "I love green tea", turn_number=1)
    alice, bob = namespace_of(TENANT, "alice"), namespace_of(TENANT, "bob")
    assert pinecone.vectors(alice) and pinecone.vectors(bob)

    mem.delete_all("alice")
    assert alice not in pinecone.namespaces
    assert set(pinecone.vectors(bob)) == set(everything(mem, "bob"))
    assert mem.search("alice", "coffee") == []
    # Erasing again, or a user Pinecone never saw (a 404 there), is not an error.
    mem.delete_all("alice")
    mem.delete_all("carol")


# -- failures ------------------------------------------------------------------------------


def test_a_pinecone_outage_on_write_changes_nothing_and_raises_a_typed_error(
    mem: Memory, pinecone: PineconeStandIn
):
    paris = slot_outcome(mem.add_turn("u", "I live in Paris", turn_number=1), "home").memory_id
    held, state = everything(mem, "u"), mem.store.user_state(TENANT, "u")
    space = pinecone.vectors(namespace_of(TENANT, "u"))
    writes = [
        lambda: mem.add_turn("u", "I work as a nurse", turn_number=2),
        lambda: mem.add("u", "Likes green tea", "preference"),
        lambda: mem.delete("u", paris),
    ]
    with pinecone.outage("/vectors/upsert"):
        for write in writes:
            with pytest.raises(VectorIndexError, match="503") as raised:
                write()
            assert isinstance(raised.value, StoreError)  # what the service answers with 503
    assert everything(mem, "u") == held
    assert mem.store.user_state(TENANT, "u") == state
    assert mem.store.pending_extractions() == []
    assert pinecone.vectors(namespace_of(TENANT, "u")).keys() == space.keys()

    result = mem.add_turn("u", "I work as a nurse", turn_number=2)  # Pinecone is back
    assert result.episodic[0].memory_id in pinecone.vectors(namespace_of(TENANT, "u"))


def test_an_orphan_vector_is_never_returned(
    mem: Memory, pinecone: PineconeStandIn, embedder: MiniLMEmbedder
):
    mem.add_turn("u", "I love espresso and prefer dark roast coffee", turn_number=1)
    mem.add_turn("u", "My cat is called Miso", turn_number=2)
    bobs = mem.add_turn("bob", "I drink coffee every morning", turn_number=1).episodic[0]
    question = "What kind of coffee should I buy?"
    asked = embedder.embed([question])[0]
    namespace = namespace_of(TENANT, "u")
    # Vectors the store does not hold for this user, each a perfect match: left by a failed
    # transaction, or another user's memory id in this namespace.
    orphans = [f"orphan-{i}" for i in range(12)] + [bobs.memory_id]
    for orphan in orphans:
        pinecone.plant(namespace, orphan, asked, {"kind": "episodic", "status": "active"})

    active = len(mem.list("u").items)
    dense = indexed(mem).dense_search(TENANT, "u", asked, active, MemoryFilter())
    assert len(dense) == active  # the orphans took places: Pinecone was asked for more
    assert not {m for m, _ in dense} & set(orphans)
    hits = mem.search("u", question)
    assert hits and "coffee" in hits[0].memory.content
    assert not {h.memory.memory_id for h in hits} & set(orphans)


class _CommitFails:
    """A store whose next commit fails, after the transaction's body has run (and so after
    the vectors went to Pinecone)."""

    def __init__(self, inner: SQLiteStore) -> None:
        self.inner = inner
        self.fail_next = False

    @contextmanager
    def transaction(self) -> Iterator[Any]:
        with self.inner.transaction() as tx:
            yield tx
            if self.fail_next:
                self.fail_next = False
                raise StoreError("commit failed, nothing was written (simulated)")

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def test_a_failed_commit_puts_pinecone_back_as_the_store_holds_it(
    tmp_path: Path, embedder: MiniLMEmbedder, pinecone: PineconeStandIn
):
    settings = pinecone_settings(tmp_path, pinecone)
    flaky = _CommitFails(SQLiteStore(settings.sqlite_path, embedder.dimension))
    vectors = PineconeVectors.connect(
        api_key=pinecone.api_key,
        index_name=pinecone.index_name,
        host=pinecone.url,
        dimension=embedder.dimension,
        timeout=2.0,
    )
    store = PineconeIndexedStore(flaky, vectors)  # type: ignore[arg-type]
    try:
        with Memory(settings, store=store, embedder=embedder) as mem:
            paris = slot_outcome(mem.add_turn("u", "I live in Paris", turn_number=1), "home")
            namespace = namespace_of(TENANT, "u")
            before = pinecone.vectors(namespace)
            upserts = pinecone.calls("/vectors/upsert")
            flaky.fail_next = True
            with pytest.raises(StoreError, match="simulated"):
                mem.add_turn("u", "I moved to Berlin last month", turn_number=40)
            # The upsert did happen (Berlin's turn and fact, Paris superseded) and was undone.
            assert pinecone.calls("/vectors/upsert") >= upserts + 2
            after = pinecone.vectors(namespace)
            assert after.keys() == before.keys()
            assert after[paris.memory_id][1]["status"] == "active"
            assert mem.get("u", paris.memory_id).status is MemoryStatus.active
    finally:
        store.close()


def test_erasure_with_pinecone_down_raises_a_typed_error_and_erasing_again_finishes(
    mem: Memory, pinecone: PineconeStandIn
):
    mem.add_turn("u", "I love espresso and prefer dark roast coffee", turn_number=1)
    mem.search("u", "coffee?")  # a cached query embedding, which erasure must forget too
    namespace = namespace_of(TENANT, "u")
    erasure_refused = pytest.raises(VectorIndexErasureError, match="erase the user again")
    with pinecone.outage("/vectors/delete"), erasure_refused as raised:
        mem.delete_all("u")
    assert isinstance(raised.value, StoreError)
    assert everything(mem, "u") == {}  # the store went first
    assert mem.store.user_state(TENANT, "u") == (0, 0, None)
    assert mem.engine.cache.forget_user(TENANT, "u") == 0  # forgotten at the first attempt
    assert pinecone.vectors(namespace)  # still there, yet nothing can return them:
    assert mem.search("u", "What kind of coffee should I buy?") == []

    mem.delete_all("u")
    assert namespace not in pinecone.namespaces


def test_the_service_answers_503_when_pinecone_is_down(
    tmp_path: Path, embedder: MiniLMEmbedder, pinecone: PineconeStandIn
):
    settings = pinecone_settings(tmp_path, pinecone, retrieval_timeout_ms=5_000)
    with TestClient(create_app(settings, embedder=embedder)) as client:
        memory = {"user_id": "u", "content": "Likes green tea", "type": "preference"}
        with pinecone.outage("/vectors/upsert"):
            refused = client.post("/api/v1/memories", json=memory)
        assert refused.status_code == 503, refused.text
        assert refused.json()["error"]["code"] == "vector_index_error"
        assert pinecone.api_key not in refused.text
        assert client.post("/api/v1/memories", json=memory).status_code == 201


# -- configuration and start-up --------------------------------------------------------------


def test_settings_refuse_pinecone_without_its_key_or_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.chdir(tmp_path)  # no .env
    for name in ("PINECONE_API_KEY", "PINECONE_INDEX", "PINECONE_HOST"):
        monkeypatch.delenv(name, raising=False)
    assert Settings().vector_index == "store"
    monkeypatch.setenv("VECTOR_INDEX", "pinecone")
    get_settings.cache_clear()
    try:
        with pytest.raises(ConfigurationError, match="needs PINECONE_API_KEY and PINECONE_INDEX"):
            get_settings()
        monkeypatch.setenv("PINECONE_API_KEY", "pc-secret-value")
        get_settings.cache_clear()
        with pytest.raises(ConfigurationError, match=r"needs PINECONE_INDEX$") as raised:
            get_settings()
        assert "pc-secret-value" not in str(raised.value)
        monkeypatch.setenv("VECTOR_INDEX", "faiss")
        get_settings.cache_clear()
        with pytest.raises(ConfigurationError, match="VECTOR_INDEX"):
            get_settings()
    finally:
        get_settings.cache_clear()


def test_the_default_keeps_vectors_in_the_store(tmp_path: Path, embedder: MiniLMEmbedder):
    store = open_store(Settings(longmem_home=tmp_path), embedder.dimension)
    try:
        assert isinstance(store, SQLiteStore)
    finally:
        store.close()


def test_a_wrong_key_dimension_or_metric_fails_at_start_up(
    tmp_path: Path, embedder: MiniLMEmbedder
):
    with PineconeStandIn(dimension=embedder.dimension) as standin:
        settings = pinecone_settings(tmp_path, standin, pinecone_api_key="pc-wrong-key")
        with pytest.raises(VectorIndexError, match="401") as raised:
            Memory(settings, embedder=embedder)
        assert "pc-wrong-key" not in str(raised.value)
    wider = PineconeStandIn(dimension=embedder.dimension + 1)
    with wider as standin, pytest.raises(ConfigurationError, match="makes 384-d"):
        Memory(pinecone_settings(tmp_path, standin), embedder=embedder)
    euclidean = PineconeStandIn(dimension=embedder.dimension, metric="euclidean")
    with euclidean as standin, pytest.raises(ConfigurationError, match="euclidean"):
        Memory(pinecone_settings(tmp_path, standin), embedder=embedder)
    # The store opened before each refusal was closed: the file is free for the next one.
    with PineconeStandIn(dimension=embedder.dimension) as standin:
        mem = Memory(pinecone_settings(tmp_path, standin), embedder=embedder)
        with mem:
            mem.add_turn("u", "I live in Oslo", turn_number=1)


def test_without_a_host_it_is_found_through_the_control_plane(
    tmp_path: Path,
    embedder: MiniLMEmbedder,
    pinecone: PineconeStandIn,
    monkeypatch: pytest.MonkeyPatch,
):
    monkeypatch.setenv("PINECONE_CONTROLLER_HOST", pinecone.url)  # the SDK's own variable
    settings = pinecone_settings(tmp_path, pinecone, pinecone_host=None)
    with Memory(settings, embedder=embedder) as mem:
        mem.add_turn("u", "I live in Oslo", turn_number=1)
        assert pinecone.calls(f"/indexes/{pinecone.index_name}") == 1
        assert pinecone.vectors(namespace_of(TENANT, "u"))
    unknown = pinecone_settings(tmp_path, pinecone, pinecone_host=None, pinecone_index="nope")
    with pytest.raises(VectorIndexError, match="'nope'"):
        Memory(unknown, embedder=embedder)


def test_without_the_sdk_the_error_says_how_to_install_it(
    tmp_path: Path,
    embedder: MiniLMEmbedder,
    pinecone: PineconeStandIn,
    monkeypatch: pytest.MonkeyPatch,
):
    monkeypatch.setitem(sys.modules, "pinecone", None)  # `import pinecone` now fails
    with pytest.raises(ConfigurationError, match=r"longmem\[pinecone\]"):
        Memory(pinecone_settings(tmp_path, pinecone), embedder=embedder)


# -- filling Pinecone from the store -----------------------------------------------------------


def test_sync_fills_pinecone_for_memories_written_before_it(
    tmp_path: Path, embedder: MiniLMEmbedder, pinecone: PineconeStandIn
):
    with Memory(Settings(longmem_home=tmp_path / "home"), embedder=embedder) as plain:
        plain.add_turn("u", "I love espresso and prefer dark roast coffee", turn_number=1)
        plain.add_turn("u", "I live in Paris", turn_number=2)
        plain.add_turn("u", "I moved to Berlin last month", turn_number=40)
    with Memory(pinecone_settings(tmp_path, pinecone), embedder=embedder) as mem:
        asked = embedder.embed(["What kind of coffee should I buy?"])[0]
        assert indexed(mem).dense_search(TENANT, "u", asked, 10, MemoryFilter()) == []
        held = everything(mem, "u")
        assert indexed(mem).sync() == len(held)
        space = pinecone.vectors(namespace_of(TENANT, "u"))
        assert set(space) == set(held)
        assert {m: space[m][1] for m in held} == {m: labels(r) for m, r in held.items()}
        dense = indexed(mem).dense_search(TENANT, "u", asked, 10, MemoryFilter())
        own = indexed(mem).inner.dense_search(TENANT, "u", asked, 10, MemoryFilter())
        assert [m for m, _ in dense] == [m for m, _ in own]
        assert [s for _, s in dense] == pytest.approx([s for _, s in own], abs=1e-5)


class _OtherWidth:
    model_name = "another-model"
    dimension = 8

    def embed(self, texts: Any) -> np.ndarray:
        rows = np.ones((len(texts), self.dimension), dtype=np.float32)
        return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def test_reembed_sends_the_new_vectors_and_refuses_a_width_the_index_cannot_hold(
    tmp_path: Path, embedder: MiniLMEmbedder, pinecone: PineconeStandIn
):
    with Memory(pinecone_settings(tmp_path, pinecone), embedder=embedder) as mem:
        mem.add_turn("u", "I love espresso and prefer dark roast coffee", turn_number=1)
        mem.add("solo", "Prefers green tea", "preference")  # no turn: not a registered user
        for user in ("u", "solo"):  # Pinecone made stale, as by a model that came before
            namespace = namespace_of(TENANT, user)
            for memory_id in pinecone.vectors(namespace):
                pinecone.plant(namespace, memory_id, np.ones(embedder.dimension), {"s": "old"})

        reembed(mem.store, embedder)
        for user in ("u", "solo"):
            held = everything(mem, user)
            space = pinecone.vectors(namespace_of(TENANT, user))
            copies = stored_vectors(mem, user, list(held))
            for memory_id, record in held.items():
                np.testing.assert_allclose(space[memory_id][0], copies[memory_id], atol=1e-6)
                assert space[memory_id][1] == labels(record)

        with pytest.raises(ConfigurationError, match="dimension 8"):
            reembed(mem.store, _OtherWidth())  # type: ignore[arg-type]
        assert recorded(mem.store) == (embedder.model_name, embedder.dimension)
        assert mem.search("u", "What kind of coffee should I buy?")
