"""Transactions, erasure and schema: what must hold in the SQLite file itself."""

from __future__ import annotations

import sqlite3

import pytest

from longmem import Memory, StoreError
from longmem.store.sqlite import SCHEMA_VERSION, SQLiteStore, _Tx, owner_token


class InjectedCrash(RuntimeError):
    pass


@pytest.fixture
def store_kind() -> str:
    """These tests read the SQLite file itself (FTS5 integrity, WAL, user_version)."""
    return "sqlite"


def fts_consistent(path) -> bool:
    db = sqlite3.connect(path)
    try:
        db.execute("INSERT INTO memories_fts(memories_fts, rank) VALUES ('integrity-check', 1)")
        return db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    except sqlite3.DatabaseError:
        return False
    finally:
        db.close()


def test_delete_all_leaves_no_row_vector_text_or_history_of_the_user(memory: Memory, settings):
    memory.add_turns(
        "gone",
        [
            {"content": "I live in Madrid"},
            {"content": "I love jazz"},
            {"content": "My manager is Sarah Chen"},
        ],
    )
    memory.add("gone", "User prefers tea", "preference")
    memory.add_turn("kept", "I live in Quito")
    memory.search("gone", "Where do I live?")
    counts = memory.delete_all("gone")
    assert counts["memories"] >= 4 and counts["memory_events"] >= 4 and counts["users"] == 1

    db = sqlite3.connect(settings.sqlite_path)
    for table in ("memories", "memory_events", "users"):
        assert db.execute(f"SELECT count(*) FROM {table} WHERE user_id = 'gone'").fetchone() == (0,)
    token = owner_token("default", "gone")
    assert db.execute(
        "SELECT count(*) FROM memories_fts WHERE memories_fts MATCH ?", (f'owner : "{token}"',)
    ).fetchone() == (0,)
    assert db.execute(
        "SELECT count(*) FROM memories_fts WHERE memories_fts MATCH 'madrid'"
    ).fetchone() == (0,)
    db.close()
    assert fts_consistent(settings.sqlite_path)
    assert memory.search("gone", "Where do I live?") == []
    assert memory.list("gone").items == []
    assert memory.search("kept", "Where do I live?")


def test_a_crash_mid_batch_leaves_earlier_batches_and_a_consistent_file(
    memory: Memory, settings, monkeypatch, table_counts
):
    settings.batch_embedding_size = 10
    memory.add_turn("u", "I live in Oslo", turn_number=1)
    before = table_counts()
    real_insert = _Tx.insert
    calls = {"n": 0}

    def crashing_insert(self, record, embedding):
        calls["n"] += 1
        if calls["n"] == 15:  # inside the second batch of ten turns
            raise InjectedCrash("disk on fire")
        real_insert(self, record, embedding)

    monkeypatch.setattr(_Tx, "insert", crashing_insert)
    with pytest.raises(InjectedCrash):
        memory.add_turns("u", [{"content": f"filler turn {i}"} for i in range(30)])
    monkeypatch.setattr(_Tx, "insert", real_insert)

    after = table_counts()
    assert after["memories"] == before["memories"] + 10  # first batch only
    assert after["memories_fts"] == after["memories"]
    assert fts_consistent(settings.sqlite_path)
    # The index in memory agrees with the file: exactly the committed turns are searchable.
    episodic = memory.list("u", kinds=["episodic"], limit=1000).items
    assert len(episodic) == 11
    assert memory.add_turn("u", "I moved to Bergen").turn_number == 12
    assert (
        memory.search("u", "Where am I living now?", kinds=["semantic"])[0].memory.metadata.value
        == "Bergen"
    )


def test_a_failed_transaction_does_not_reach_the_in_memory_index(memory: Memory, monkeypatch):
    memory.add_turn("u", "I play the cello", turn_number=1)
    memory.search("u", "cello")  # loads the user's index

    def crash(*_args, **_kwargs):
        raise InjectedCrash("after the insert, before commit")

    monkeypatch.setattr(_Tx, "touch_user", crash)
    with pytest.raises(InjectedCrash):
        memory.add_turn("u", "I also play the violin", turn_number=2)
    monkeypatch.undo()
    assert all("violin" not in h.memory.content for h in memory.search("u", "violin"))


def test_schema_is_versioned_and_a_newer_file_is_refused(tmp_path):
    path = tmp_path / "s.db"
    SQLiteStore(path, 384).close()
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.commit()
    db.close()
    with pytest.raises(StoreError, match="upgrade longmem"):
        SQLiteStore(path, 384)


def test_reopening_a_store_keeps_everything(settings, embedder):
    with Memory(settings, embedder=embedder) as first:
        first.add_turn("u", "My dog is called Biscuit", turn_number=1)
    with Memory(settings, embedder=embedder) as second:
        hits = second.search("u", "What's my pet's name?")
        assert hits and "Biscuit" in hits[0].memory.content
        assert second.add_turn("u", "ok").turn_number == 2


def test_a_version_1_file_is_migrated_and_its_model_recorded_from_its_vectors(settings, embedder):
    with Memory(settings, embedder=embedder) as mem:
        mem.add_turn("u", "I love espresso and prefer dark roast coffee")
    db = sqlite3.connect(settings.sqlite_path)
    db.executescript(  # what a file written by schema version 1 looks like
        "DROP TABLE store_meta; DROP TABLE reembed_staging; PRAGMA user_version = 1;"
    )
    db.close()
    with Memory(settings, embedder=embedder) as mem:
        assert mem.search("u", "What coffee should I buy?")
        assert mem.store.get_meta("embedding_model") == embedder.model_name
        assert mem.store.get_meta("embedding_dimension") == "384"
    db = sqlite3.connect(settings.sqlite_path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 4
    indexes = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert "memories_turn" in indexes  # added by version 3
    db.close()


def test_the_index_kept_current_by_commits_equals_one_rebuilt_from_the_file(memory: Memory):
    """Search reads turns, stale turns and records from the in-memory index; every write path
    must leave it as a rebuild from the database would."""
    memory.add_turn("u", "I live in Paris", turn_number=1)
    memory.search("u", "where do I live?")  # loads the index before the writes below
    memory.add_turn("u", "I moved to Berlin last month. I work as a nurse.", turn_number=2)
    memory.add_turn("u", "I moved to Rome", turn_number=3)
    nurse = next(m for m in memory.list("u", kinds=["semantic"]).items if "nurse" in m.content)
    memory.delete("u", nurse.memory_id)
    memory.rollback("u", nurse.memory_id, version=1)
    memory.update("u", nurse.memory_id, content="User works as a surgeon")
    hits = memory.search("u", "Which city am I in?")  # caches records, then counts the access
    memory.flush()

    store = memory.engine.store
    assert isinstance(store, SQLiteStore)
    key = ("default", "u")
    kept = store._indexes.get(key)
    assert kept is not None
    cached = [r for r in kept.records if r is not None]
    assert cached and all(r == store.get("default", "u", r.memory_id) for r in cached)
    accessed = [store.get("default", "u", h.memory.memory_id) for h in hits]
    assert any(m and m.metadata.access_count for m in accessed)  # and no cached copy is behind
    counted = {m.memory_id for m in accessed if m and m.metadata.access_count}
    assert counted & {r.memory_id for r in cached}  # counted in memory too, not dropped

    turns = range(0, 5)
    seen = (store.turn_texts("default", "u", turns), store.stale_turns("default", "u", turns))
    store._indexes.drop(key)
    rebuilt = store._index(*key)
    assert (
        store.turn_texts("default", "u", turns),
        store.stale_turns("default", "u", turns),
    ) == seen
    assert seen[1] == {1}  # Paris: its fact superseded, none left active
    assert set(kept.position) == set(rebuilt.position)
    assert (kept.slots, +kept.df, kept.term_total) == (
        rebuilt.slots,
        +rebuilt.df,
        rebuilt.term_total,
    )
    assert (+kept.fact_turns, kept.superseded) == (+rebuilt.fact_turns, rebuilt.superseded)


def test_reads_and_writes_by_memory_id_use_the_id_index_not_a_walk_over_the_user(
    memory: Memory, settings
):
    """Counting an access, reading history or vectors touches a few rows however many the user
    holds: the statements find them by id and only check the owner."""
    memory.add_turns(
        "walker", [{"content": f"I tried recipe number {i} last night"} for i in range(40)]
    )
    store = memory._engine.store
    statements: list[str] = []
    store._db.set_trace_callback(statements.append)
    try:
        hits = memory.search("walker", "Which recipe did I try?")
        memory.flush()
        some = [h.memory.memory_id for h in hits[:3]]
        memory.history("walker", some[0])
        store._stored_vectors("default", "walker", some)
    finally:
        store._db.set_trace_callback(None)

    by_id = [s for s in statements if "memory_id IN" in s or "memory_id = '" in s]
    assert any(s.lstrip().startswith("UPDATE memories SET access_count") for s in by_id)
    assert any("FROM memory_events" in s for s in by_id)
    assert any("SELECT memory_id, embedding" in s for s in by_id)
    db = sqlite3.connect(settings.sqlite_path)
    for statement in by_id:
        plan = " ".join(row[3] for row in db.execute(f"EXPLAIN QUERY PLAN {statement}"))
        assert "(memory_id=?)" in plan, (statement, plan)
    db.close()
