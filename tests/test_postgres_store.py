"""What must hold inside PostgreSQL: partitions, migrations, transactions, erasure."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import psycopg
import pytest

from longmem import Memory, StoreError
from longmem.store.postgres import SCHEMA_VERSION, PostgresStore, _PgTx


@pytest.fixture
def store_kind() -> str:
    return "postgres"


def test_migrations_are_idempotent_and_a_newer_schema_is_refused(fresh_postgres: str):
    PostgresStore(fresh_postgres, 384, partitions=4).close()
    PostgresStore(fresh_postgres, 384, partitions=4).close()
    with psycopg.connect(fresh_postgres, autocommit=True) as conn:
        versions = [r[0] for r in conn.execute("SELECT version FROM longmem_schema")]
        assert versions == [SCHEMA_VERSION]
        conn.execute("INSERT INTO longmem_schema VALUES (%s)", (SCHEMA_VERSION + 1,))
    with pytest.raises(StoreError, match="upgrade longmem"):
        PostgresStore(fresh_postgres, 384, partitions=4)


def test_one_users_rows_live_in_one_hash_partition(memory: Memory):
    memory.add_turns("alice", [{"content": f"note {i}"} for i in range(20)])
    memory.add_turns("bob", [{"content": f"note {i}"} for i in range(20)])
    url = memory.store.url  # type: ignore[attr-defined]
    with psycopg.connect(url) as conn:
        partitions = conn.execute(
            "SELECT user_id, count(DISTINCT tableoid) FROM memories GROUP BY user_id"
        ).fetchall()
        names = [
            r[0]
            for r in conn.execute(
                "SELECT inhrelid::regclass::text FROM pg_inherits"
                " WHERE inhparent = 'memories'::regclass ORDER BY 1"
            )
        ]
    assert dict(partitions) == {"alice": 1, "bob": 1}
    assert names == ["memories_p0", "memories_p1", "memories_p2", "memories_p3"]


def test_search_uses_the_exact_distance_on_the_users_rows(memory: Memory, embedder):
    memory.add("u", "User is allergic to peanuts", "fact")
    memory.add("other", "User is allergic to peanuts", "fact")
    hits = memory.search("u", "Do I have any allergies?")
    assert [h.memory.user_id for h in hits] == ["u"]
    query, content = embedder.embed(["Do I have any allergies?", "User is allergic to peanuts"])
    assert hits[0].parts.dense == pytest.approx(float(query @ content), abs=1e-5)


def test_a_crash_mid_batch_rolls_back_the_batch(
    memory: Memory, settings, table_counts, monkeypatch
):
    settings.batch_embedding_size = 10
    memory.add_turn("u", "I live in Oslo", turn_number=1)
    before = table_counts()
    real_insert = _PgTx.insert
    calls = {"n": 0}

    def crashing_insert(self, record, embedding):
        calls["n"] += 1
        if calls["n"] == 15:
            raise RuntimeError("connection reset")
        real_insert(self, record, embedding)

    monkeypatch.setattr(_PgTx, "insert", crashing_insert)
    with pytest.raises(RuntimeError):
        memory.add_turns("u", [{"content": f"filler turn {i}"} for i in range(30)])
    monkeypatch.undo()
    assert table_counts()["memories"] == before["memories"] + 10
    assert memory.add_turn("u", "ok").turn_number == 12


def test_delete_all_leaves_no_row_of_the_user(memory: Memory):
    memory.add_turns("gone", [{"content": "I live in Madrid"}, {"content": "I love jazz"}])
    memory.add_turn("kept", "I live in Quito")
    counts = memory.delete_all("gone")
    assert counts["memories"] >= 3 and counts["users"] == 1
    url = memory.store.url  # type: ignore[attr-defined]
    with psycopg.connect(url) as conn:
        for table in ("memories", "memory_events", "users"):
            left = conn.execute(f"SELECT count(*) FROM {table} WHERE user_id = 'gone'").fetchone()
            assert left == (0,)
        assert conn.execute("SELECT count(*) FROM memories WHERE user_id = 'kept'").fetchone() != (
            0,
        )


def test_an_unreachable_server_is_a_store_error():
    with pytest.raises(StoreError, match="cannot prepare"):
        PostgresStore("postgresql://nobody@127.0.0.1:1/none?connect_timeout=1", 384)


# Each process keeps a copy of the users it searches (postgres_index); another process's
# writes must reach it. Two stores on one database stand for two processes.


@pytest.fixture
def other_process(fresh_postgres: str, settings, embedder):
    store = PostgresStore(fresh_postgres, embedder.dimension, pool_size=2, partitions=4)
    with Memory(settings, store=store, embedder=embedder) as mem:
        yield mem
    store.close()


def _found(memory: Memory, user: str, question: str) -> list[str]:
    return [h.memory.content for h in memory.search(user, question, top_k=10)]


def test_a_search_sees_what_another_process_added_updated_and_deleted(
    memory: Memory, other_process: Memory
):
    kept = memory.add("alice", "Alice keeps bees on her roof", "fact")
    assert _found(other_process, "alice", "bees") == ["Alice keeps bees on her roof"]
    memory.add("alice", "Alice plays the cello on Sundays", "fact")
    assert "Alice plays the cello on Sundays" in _found(other_process, "alice", "cello")
    memory.update("alice", kept.memory_id, content="Alice keeps goats on her farm")
    assert _found(other_process, "alice", "goats")[0] == "Alice keeps goats on her farm"
    assert "Alice keeps bees on her roof" not in _found(other_process, "alice", "bees")
    memory.delete("alice", kept.memory_id)
    assert "Alice keeps goats on her farm" not in _found(other_process, "alice", "goats")


def test_a_user_erased_and_recreated_elsewhere_is_not_mixed_with_the_old_copy(
    memory: Memory, other_process: Memory
):
    memory.add("bob", "Bob collects stamps from Peru", "fact")
    assert _found(other_process, "bob", "stamps") == ["Bob collects stamps from Peru"]
    memory.delete_all("bob")
    assert _found(other_process, "bob", "stamps") == []
    memory.add("bob", "Bob collects coins from Chile", "fact")
    assert _found(other_process, "bob", "collects") == ["Bob collects coins from Chile"]


def test_a_change_understood_in_one_process_is_what_another_answers_with(
    memory: Memory, other_process: Memory
):
    memory.add_turn("carol", "I live in Lisbon")
    before = _found(other_process, "carol", "Where do I live?")
    assert any("Lisbon" in c for c in before)
    memory.add_turn("carol", "I moved to Porto last month")
    after = other_process.search("carol", "Where do I live now?", top_k=10)
    assert "Porto" in after[0].memory.content
    stale = [h for h in after if "Lisbon" in h.memory.content]
    assert all(h.memory.status.value != "active" or h.memory.valid_to_turn for h in stale)


def test_two_service_workers_each_answer_with_what_the_other_wrote(fresh_postgres, tmp_path):
    import httpx

    from longmem.benchmark.served import Served, clean_env

    env = clean_env(tmp_path, DATABASE_URL=fresh_postgres, WORKERS="2")
    service = Served(env, tmp_path / "serve.log").start()
    try:
        assert service.process is not None
        pid = service.process.pid
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        commands = [Path(f"/proc/{c}/cmdline").read_bytes() for c in children]
        assert sum(b"spawn_main" in c for c in commands) == 2  # uvicorn's two workers
        for n in range(6):
            with httpx.Client(base_url=service.base, timeout=30) as client:
                client.post(
                    "/memories",
                    json={"user_id": "dana", "type": "fact", "content": f"Dana owns {n + 1} bikes"},
                ).raise_for_status()
            # New connections, so the searches land on both processes.
            for _ in range(4):
                with httpx.Client(base_url=service.base, timeout=30) as client:
                    found = client.post("/memories/dana/search", json={"query": "bikes"})
                    found.raise_for_status()
                    contents = {h["memory"]["content"] for h in found.json()["results"]}
                assert f"Dana owns {n + 1} bikes" in contents
                assert len(contents) == n + 1
    finally:
        service.stop()


def test_a_schema_3_database_upgrades_and_its_users_are_searched_from_the_new_counters(
    fresh_postgres: str, settings, embedder
):
    store = PostgresStore(fresh_postgres, embedder.dimension, partitions=4)
    with Memory(settings, store=store, embedder=embedder) as memory:
        memory.add_turn("erin", "I grow chillies on my balcony")
    store.close()
    # What a database written by the release before looks like: no write counters.
    with psycopg.connect(fresh_postgres, autocommit=True) as conn:
        conn.execute("DROP INDEX memories_changed")
        conn.execute("ALTER TABLE memories DROP COLUMN changed")
        conn.execute("ALTER TABLE users DROP COLUMN version, DROP COLUMN born")
        conn.execute("DROP SEQUENCE longmem_writes")
        conn.execute("UPDATE longmem_schema SET version = 3")
    first = PostgresStore(fresh_postgres, embedder.dimension, partitions=4)
    second = PostgresStore(fresh_postgres, embedder.dimension, partitions=4)
    try:
        with (
            Memory(settings, store=first, embedder=embedder) as one,
            Memory(settings, store=second, embedder=embedder) as other,
        ):
            assert "chillies" in _found(other, "erin", "What do I grow?")[0]
            one.add_turn("erin", "I keep two hens called Rosa and Mia")
            assert "hens" in _found(other, "erin", "What are my hens called?")[0]
    finally:
        first.close()
        second.close()
    with psycopg.connect(fresh_postgres, autocommit=True) as conn:
        assert conn.execute("SELECT max(version) FROM longmem_schema").fetchone() == (
            SCHEMA_VERSION,
        )


def test_an_erasure_chosen_as_a_deadlocks_victim_runs_again_and_erases(memory: Memory):
    memory.add_turns("gone", [{"content": "I live in Madrid"}, {"content": "I love jazz"}])
    url = memory.store.url  # type: ignore[attr-defined]
    erased: list[dict[str, int]] = []
    with psycopg.connect(url) as other:
        # Another writer holds the user's memories and then asks for the user's row, which the
        # erasure holds while it waits for the memories: PostgreSQL aborts the erasure (this
        # session waits longer before it looks for a deadlock).
        other.execute("SET deadlock_timeout = '30s'")
        other.execute("SELECT 1 FROM memories WHERE user_id = 'gone' FOR UPDATE").fetchall()
        eraser = threading.Thread(target=lambda: erased.append(memory.delete_all("gone")))
        eraser.start()
        time.sleep(0.5)  # the erasure holds the user's row and waits for the memories
        other.execute("SELECT 1 FROM users WHERE user_id = 'gone' FOR UPDATE").fetchall()
        other.rollback()
        eraser.join(timeout=30)
    assert erased and erased[0]["memories"] >= 2 and erased[0]["users"] == 1
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT count(*) FROM memories WHERE user_id = 'gone'").fetchone() == (
            0,
        )
