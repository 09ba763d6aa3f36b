"""`AsyncMemory`: the same memory, awaited, without holding up the event loop."""

from __future__ import annotations

import asyncio

import pytest

from longmem import AsyncMemory, Memory, MemoryStatus, NotFoundError, Settings, ValidationError

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
async def amem(settings: Settings, embedder):
    async with AsyncMemory(settings, embedder=embedder) as mem:
        yield mem


async def test_a_turn_added_and_awaited_is_recalled(amem: AsyncMemory):
    result = await amem.add_turn("u", "I love espresso and prefer dark roast coffee", turn_number=1)
    assert result.created
    hits = await amem.search("u", "What kind of coffee should I buy?", current_turn=20)
    assert hits and hits[0].memory.metadata.source_turn == 1
    block = await amem.context("u", "Any coffee ideas?", current_turn=20)
    assert "espresso" in block.text


async def test_the_whole_lifecycle_is_awaitable(amem: AsyncMemory):
    added = await amem.add("u", "User prefers window seats", "preference", source_turn=3)
    updated = await amem.update("u", added.memory_id, content="User prefers aisle seats")
    assert updated.version == 2
    assert (await amem.get("u", added.memory_id)).content == "User prefers aisle seats"
    restored = await amem.rollback("u", added.memory_id, 1)
    assert restored.content == "User prefers window seats"
    assert [e.action for e in await amem.history("u", added.memory_id)][:2] == [
        "create",
        "update",
    ]
    assert (await amem.list("u")).items
    assert (await amem.stats("u")).total >= 1
    exported = await amem.export_user("u")
    [mine] = [e for e in exported if e.memory.memory_id == added.memory_id]
    assert len(mine.history) == 3
    deleted = await amem.delete("u", added.memory_id)
    assert deleted.status is MemoryStatus.deleted
    await amem.delete_all("u")
    assert not (await amem.list("u")).items


async def test_errors_are_the_typed_exceptions_of_the_sync_api(amem: AsyncMemory):
    with pytest.raises(ValidationError):
        await amem.add_turn("u", "   ")
    with pytest.raises(NotFoundError):
        await amem.get("u", "no-such-id")
    assert not (await amem.list("u")).items


async def test_the_event_loop_keeps_running_while_turns_are_imported(amem: AsyncMemory):
    ticks = 0
    done = asyncio.Event()

    async def heartbeat() -> None:
        nonlocal ticks
        while not done.is_set():
            ticks += 1
            await asyncio.sleep(0)

    beat = asyncio.create_task(heartbeat())
    turns = [
        {"turn_number": n, "content": f"Note {n}: I walked {n} km today"} for n in range(1, 65)
    ]
    await amem.add_turns("u", turns)
    done.set()
    await beat
    # a blocking call would have let the heartbeat run only before and after it
    assert ticks > 10


async def test_concurrent_calls_share_one_store_safely(amem: AsyncMemory):
    await asyncio.gather(
        *(amem.add_turn(f"user{n}", f"I live in city number {n}", turn_number=1) for n in range(8))
    )
    results = await asyncio.gather(
        *(amem.search(f"user{n}", "Where do I live?", current_turn=2) for n in range(8))
    )
    for n, hits in enumerate(results):
        assert hits and all(h.memory.user_id == f"user{n}" for h in hits)


async def test_it_can_wrap_a_memory_it_does_not_own(settings: Settings, embedder):
    with Memory(settings, embedder=embedder) as mem:
        async with AsyncMemory(memory=mem) as amem:
            await amem.add_turn("u", "My sister Ana lives in Porto", turn_number=1)
        # closing the AsyncMemory left the shared Memory open
        assert mem.search("u", "Tell me about my sister", current_turn=2)
        assert amem.sync is mem
