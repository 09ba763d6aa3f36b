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
