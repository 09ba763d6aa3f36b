"""The Redis cache against real Redis servers: hits, invalidation, erasure, failover."""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from longmem import Memory, MemoryStatus, Settings
from longmem.cache import RedisCache, user_prefix

SHARED_REDIS = "redis://127.0.0.1:6379/13"  # the machine's Redis; db 13 is ours to flush


@pytest.fixture
def cached_memory(tmp_path: Path, embedder) -> Iterator[Memory]:
    client = redis.Redis.from_url(SHARED_REDIS)
    client.flushdb()
    settings = Settings(
        longmem_home=tmp_path / "r", redis_url=SHARED_REDIS, memory_cache_hot_threshold=1
    )
    with Memory(settings, embedder=embedder) as mem:
        yield mem
    client.flushdb()


def test_query_embeddings_are_cached_per_user(cached_memory: Memory):
    cache = cached_memory.engine.cache
    assert cache.backend == "redis"
    cached_memory.search("u", "Where do I live?")
    cached_memory.search("u", "Where do I live?")
    assert cache.hits["query_embedding"] == 1 and cache.misses["query_embedding"] == 1
    keys = redis.Redis.from_url(SHARED_REDIS).keys(user_prefix("default", "u") + ":q:*")
    assert len(keys) == 1


def make_hot(mem: Memory, memory_id: str) -> None:
    mem.search("u", "Which seat do I prefer on planes?")
    mem.flush()
    assert mem.get("u", memory_id).metadata.access_count >= 1


def test_hot_memories_are_served_from_the_cache_and_never_stale(cached_memory: Memory):
    added = cached_memory.add("u", "User prefers window seats", "preference")
    make_hot(cached_memory, added.memory_id)
    cache = cached_memory.engine.cache
    before = cache.hits["memory"]
    cached_memory.get("u", added.memory_id)
    assert cache.hits["memory"] == before + 1

    cached_memory.update("u", added.memory_id, content="User prefers aisle seats")
    assert cached_memory.get("u", added.memory_id).content == "User prefers aisle seats"
    cached_memory.delete("u", added.memory_id)
    assert cached_memory.get("u", added.memory_id).status is MemoryStatus.deleted


def test_erasing_a_user_erases_their_cache_entries(cached_memory: Memory):
    added = cached_memory.add("u", "User prefers window seats", "preference")
    make_hot(cached_memory, added.memory_id)
    cached_memory.get("u", added.memory_id)
    client = redis.Redis.from_url(SHARED_REDIS)
    assert client.keys(user_prefix("default", "u") + ":*")
    counts = cached_memory.delete_all("u")
    assert counts["cache_entries"] >= 2
    assert client.keys(user_prefix("default", "u") + ":*") == []


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_redis(port: int, workdir: Path) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(workdir),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    client = redis.Redis(port=port)
    for _ in range(100):
        try:
            if client.ping():
                return process
        except redis.ConnectionError:
            time.sleep(0.05)
    raise RuntimeError("redis-server did not start")


@pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs redis-server")
def test_the_service_keeps_answering_when_redis_goes_away_and_recovers(tmp_path: Path, embedder):
    port = free_port()
    server = start_redis(port, tmp_path)
    url = f"redis://127.0.0.1:{port}/0"
    cache = RedisCache(url, ttl_seconds=60, cooldown=0.2)
    settings = Settings(longmem_home=tmp_path / "f", redis_url=url)
    try:
        with Memory(settings, embedder=embedder, cache=cache) as mem:
            mem.add_turn("u", "I live in Lisbon", turn_number=1)
            assert mem.search("u", "Where do I live?")
            assert mem.search("u", "Where do I live?")
            assert cache.hits["query_embedding"] == 1

            server.terminate()
            server.wait(timeout=10)
            answers = mem.search("u", "Where do I live?")
            assert answers and "Lisbon" in answers[0].memory.content
            assert mem.add_turn("u", "I love jazz").turn_number == 2
            assert cache.failures >= 1
            assert not cache.ping()

            server = start_redis(port, tmp_path)
            time.sleep(0.3)  # past the cooldown
            mem.search("u", "Do I like music?")
            mem.search("u", "Do I like music?")
            assert cache.hits["query_embedding"] == 2
            assert cache.ping()
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs redis-server")
def test_after_an_outage_no_stale_memory_is_served_and_erasures_made_meanwhile_land(
    tmp_path: Path, embedder
):
    port = free_port()
    server = start_redis(port, tmp_path)
    url = f"redis://127.0.0.1:{port}/0"
    cache = RedisCache(url, ttl_seconds=600, cooldown=0.2)
    settings = Settings(longmem_home=tmp_path / "o", redis_url=url, memory_cache_hot_threshold=1)
    client = redis.Redis(port=port)
    try:
        with Memory(settings, embedder=embedder, cache=cache) as mem:
            seat = mem.add("u", "User prefers window seats", "preference")
            make_hot(mem, seat.memory_id)
            mem.get("u", seat.memory_id)
            tea = mem.add("v", "User likes green tea", "preference")
            mem.search("v", "What do I like to drink?")
            mem.flush()
            mem.get("v", tea.memory_id)
            assert client.keys(user_prefix("default", "u") + ":m:*")
            assert client.keys(user_prefix("default", "v") + ":*")

            # Redis stops answering but keeps its data (a pause, like a network partition):
            # the invalidation of the update and the erasure's cleanup cannot reach it.
            server.send_signal(signal.SIGSTOP)
            mem.update("u", seat.memory_id, content="User prefers aisle seats")
            assert mem.delete_all("v")["memories"] >= 1  # erasure is not held up by the cache
            server.send_signal(signal.SIGCONT)
            time.sleep(0.3)  # past the cooldown

            assert mem.get("u", seat.memory_id).content == "User prefers aisle seats"
            assert client.keys(user_prefix("default", "v") + ":*") == []
    finally:
        server.send_signal(signal.SIGCONT)
        server.terminate()
        server.wait(timeout=10)
