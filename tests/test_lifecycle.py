"""optimize (decay, consolidation, cleanup) and concurrent use, through the public API."""

from __future__ import annotations

import threading

from longmem import Memory, MemoryStatus


def test_optimize_merges_duplicates_and_removes_only_what_the_policy_allows(memory: Memory):
    twin_a = memory.add("u", "User enjoys hiking in the mountains", "preference", source_turn=4_900)
    twin_b = memory.add(
        "u", "User enjoys hiking in the mountains.", "preference", source_turn=4_901
    )
    stale = memory.add("u", "User owned a red bicycle as a child", "fact", source_turn=3)
    rule = memory.add("u", "Always answer in French", "instruction", source_turn=4)
    promise = memory.add("u", "User will renew the passport", "commitment", source_turn=5)
    used = memory.add("u", "User collects vintage stamps", "fact", source_turn=6)
    memory.search("u", "Do I collect stamps?", current_turn=4_990)
    memory.flush()

    report = memory.optimize("u", current_turn=5_000)

    assert report.merged == [(twin_a.memory_id, twin_b.memory_id)]
    assert memory.get("u", twin_b.memory_id).status is MemoryStatus.superseded
    assert stale.memory_id in report.removed
    assert memory.get("u", stale.memory_id).status is MemoryStatus.deleted
    for kept in (rule, promise, used, twin_a):
        assert kept.memory_id not in report.removed
        assert memory.get("u", kept.memory_id).status is MemoryStatus.active
    assert memory.get("u", twin_a.memory_id).metadata.decay_score < 1.0
    assert set(report.removed) == {stale.memory_id}
    assert [e.action.value for e in memory.history("u", stale.memory_id)][-1] == "delete"
    assert memory.stats("u").last_optimize is not None


def test_optimize_does_not_merge_a_statement_with_its_denial(memory: Memory):
    # Close in embedding space (cosine above the merge threshold), opposite in meaning.
    said = memory.add("u", "User is vegetarian", "fact", source_turn=4)
    denied = memory.add("u", "User is not vegetarian anymore", "fact", source_turn=90)

    report = memory.optimize("u", current_turn=100)

    assert report.merged == []
    for kept in (said, denied):
        assert memory.get("u", kept.memory_id).status is MemoryStatus.active


def test_optimize_is_idempotent(memory: Memory):
    memory.add("u", "User owned a red bicycle as a child", "fact", source_turn=3)
    memory.optimize("u", current_turn=100)
    again = memory.optimize("u", current_turn=100)
    assert again.merged == [] and again.removed == [] and again.decayed == 0


def test_concurrent_writers_and_readers_lose_nothing(memory: Memory):
    errors: list[BaseException] = []

    def writer(user: str) -> None:
        try:
            for i in range(15):
                memory.add_turn(user, f"I visited museum number {i} today", turn_number=i + 1)
        except BaseException as exc:  # surfaced by the assertion below
            errors.append(exc)

    def reader() -> None:
        try:
            for _ in range(30):
                memory.search("w0", "Which museum did I visit?")
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(f"w{n}",)) for n in range(3)]
    threads += [threading.Thread(target=reader) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    for n in range(3):
        assert memory.stats(f"w{n}").turns_seen == 15
        assert len(memory.list(f"w{n}", kinds=["episodic"]).items) == 15


def _home_facts(memory: Memory, user: str) -> dict[str, MemoryStatus]:
    every = memory.list(user, kinds=["semantic"], statuses=list(MemoryStatus), limit=100).items
    return {m.content: m.status for m in every if "lives in" in m.content}


def test_a_search_racing_the_write_that_supersedes_its_candidates_still_answers(
    memory: Memory, monkeypatch
):
    for turn in range(1, 6):
        memory.add_turn("u", f"I live in Town{turn}", turn_number=turn)
    memory.flush()
    engine = memory.engine
    records = engine.records
    raced: list[int] = []

    def records_after_a_write(user_id: str, memory_ids: list[str]):
        # The candidates were chosen; the user's next turn supersedes one before they are read.
        if not raced:
            raced.append(6)
            memory.add_turn("u", "I live in Town6", turn_number=6)
            memory.flush()
        return records(user_id, memory_ids)

    monkeypatch.setattr(engine, "records", records_after_a_write)
    hits = memory.search("u", "Where do I live?")
    assert raced and hits
    assert _home_facts(memory, "u")["User lives in Town5"] is MemoryStatus.superseded


def test_optimize_never_overwrites_what_a_write_changed_after_it_read(memory: Memory, monkeypatch):
    memory.add_turn("u", "I live in Paris", turn_number=1)
    memory.flush()
    store = memory.engine.store
    vectors = store.vectors

    def vectors_after_a_write(tenant_id: str, user_id: str, memory_ids: list[str]):
        # optimize has read the active facts; a change of home commits before it writes.
        memory.add_turn("u", "I moved to Rome", turn_number=2)
        memory.flush()
        return vectors(tenant_id, user_id, memory_ids)

    monkeypatch.setattr(store, "vectors", vectors_after_a_write)
    memory.optimize("u", current_turn=5_000)  # late enough to decay, so it would write Paris
    homes = _home_facts(memory, "u")
    assert homes["User lives in Paris"] is MemoryStatus.superseded, homes
    assert homes["User lives in Rome"] is MemoryStatus.active, homes
