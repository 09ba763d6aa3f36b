"""What the service does while what it depends on fails: Redis stopped, PostgreSQL restarted,
the LLM endpoint failing or hanging. Each against a real `longmem serve` under load."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import tempfile
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
import redis

from openai_standin import StandIn
from reliability.harness import Served, StoreView, free_port, wait_for
from reliability.test_crash_safety import celery, clean_env, said


class Load:
    """Clients in closed loops, each alternating a new turn with a search, counting every
    answer by status until stopped. Acknowledged turns are kept per user."""

    def __init__(self, base: str, clients: int = 4, timeout: float = 15) -> None:
        self.base, self.timeout = base, timeout
        self.statuses: Counter[int | str] = Counter()
        self.failures: list[str] = []  # the bodies of answers that were not 200
        self.acknowledged: dict[str, set[int]] = {f"load{i}": set() for i in range(clients)}
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._threads = [
            threading.Thread(target=self._client, args=(user,)) for user in self.acknowledged
        ]

    def __enter__(self) -> Load:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join()

    def count(self, status: int | str, body: str = "") -> None:
        with self._lock:
            self.statuses[status] += 1
            if status != 200:
                self.failures.append(f"{status}: {body[:300]}")

    def answered(self) -> int:
        with self._lock:
            return sum(self.statuses.values())

    def _client(self, user: str) -> None:
        turn = 0
        with httpx.Client(base_url=self.base, timeout=self.timeout) as client:
            while not self._stop.is_set():
                turn += 1
                said_now = {"user_id": user, "turn_number": turn, "message": said(turn)}
                for path, body in (
                    ("/conversation", said_now),
                    (f"/memories/{user}/search", {"query": "Where do I live?"}),
                ):
                    try:
                        answer = client.post(path, json=body)
                    except httpx.TimeoutException:
                        self.count("timeout", f"no answer in {self.timeout} s to {path}")
                        continue
                    self.count(answer.status_code, answer.text)
                    if path == "/conversation" and answer.status_code == 200:
                        self.acknowledged[user].add(turn)


def metric(base: str, name: str, label: str) -> float:
    text = httpx.get(base.removesuffix("/api/v1") + "/metrics", timeout=5).text
    for line in text.splitlines():
        if line.startswith(name) and label in line:
            return float(line.rsplit(" ", 1)[1])
    return 0.0


# -- Redis --------------------------------------------------------------------------------------


def start_redis(port: int, workdir: Path) -> Callable[[], None]:
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
    wait_for(lambda: _pings(port), 10, "redis-server to start")

    def stop() -> None:
        process.terminate()
        process.wait(timeout=10)

    return stop


def _pings(port: int) -> bool:
    try:
        return bool(redis.Redis(port=port, socket_connect_timeout=0.2).ping())
    except redis.RedisError:
        return False


@pytest.mark.slow
def test_redis_stopped_mid_load_every_request_is_answered_and_the_cache_returns_with_it(
    fresh_postgres: str, tmp_path: Path
) -> None:
    port = free_port()
    url = f"redis://127.0.0.1:{port}/0"
    stop_redis = start_redis(port, tmp_path)
    env = clean_env(
        tmp_path, DATABASE_URL=fresh_postgres, REDIS_URL=url, TASK_REDELIVERY_SECONDS="2"
    )
    view = StoreView(postgres_url=fresh_postgres)
    worker = celery(
        ["worker", "-B", "--pool=solo", "--loglevel=INFO", "--schedule", str(tmp_path / "beat")],
        env,
        tmp_path / "worker.log",
    )
    served = Served(env, tmp_path / "serve.log").start()
    try:
        with Load(served.base) as load:
            wait_for(lambda: load.answered() >= 40, 60, "load to warm up")
            stop_redis()  # a restart of Redis on this machine loses everything it held
            down_from = load.answered()
            wait_for(lambda: load.answered() >= down_from + 40, 60, "answers while Redis is down")
            stop_redis = start_redis(port, tmp_path)
            back_from = load.answered()
            wait_for(lambda: load.answered() >= back_from + 40, 60, "answers after Redis is back")
        assert load.statuses == Counter({200: load.answered()}), load.failures[:5]

        hits = metric(served.base, "cache_hits_total", 'cache="query_embedding"')
        for _ in range(3):
            httpx.post(f"{served.base}/memories/load0/search", json={"query": "Where do I live?"})
        assert metric(served.base, "cache_hits_total", 'cache="query_embedding"') > hits

        # Tasks the dead broker lost, or refused while down, are sent again from the outbox.
        wait_for(lambda: view.pending() == 0, 120, "every acknowledged turn to be extracted")
        for user, turns in load.acknowledged.items():
            assert turns and turns <= view.turns(user, "semantic"), user
        assert view.problems() == {}
    finally:
        served.stop()
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=30)
        stop_redis()


# -- PostgreSQL ---------------------------------------------------------------------------------


@pytest.fixture
def own_postgres() -> Iterator[tuple[str, Callable[[], None], Callable[[], None]]]:
    """A PostgreSQL of this test's own (pgserver: PostgreSQL 16 + pgvector), which it may stop
    and start: (url, stop, start)."""
    import pgserver

    with tempfile.TemporaryDirectory(prefix="longmem-pg-restart-") as data:
        server = pgserver.get_server(data, cleanup_mode="stop")

        def stop() -> None:
            pgserver.pg_ctl(
                ["-w", "-m", "fast", "stop"], pgdata=server.pgdata, user=server.system_user
            )

        try:
            yield server.get_uri(), stop, server.ensure_postgres_running
        finally:
            server.ensure_postgres_running()
            server.cleanup()


@pytest.mark.slow
def test_postgres_restarted_mid_load_answers_503_while_down_and_loses_nothing(
    own_postgres: tuple[str, Callable[[], None], Callable[[], None]], tmp_path: Path
) -> None:
    url, stop_postgres, start_postgres = own_postgres
    env = clean_env(tmp_path, DATABASE_URL=url)
    view = StoreView(postgres_url=url)
    served = Served(env, tmp_path / "serve.log").start()
    try:
        with Load(served.base) as load:
            wait_for(lambda: load.answered() >= 40, 60, "load to warm up")
            stop_postgres()
            wait_for(lambda: load.statuses[503] >= 8, 60, "503s while PostgreSQL is down")
            start_postgres()
            back_from = load.statuses[200]
            wait_for(lambda: load.statuses[200] >= back_from + 40, 60, "answers after the restart")
        assert set(load.statuses) == {200, 503}, [f for f in load.failures if f[:3] != "503"]
        unavailable = [f for f in load.failures if f.startswith("503")]
        assert all("PostgreSQL" in f and "store_error" in f for f in unavailable), unavailable[:3]

        wait_for(lambda: view.pending() == 0, 120, "extraction retried after the restart")
        for user, turns in load.acknowledged.items():
            assert turns <= view.turns(user), f"{user}: acknowledged turns lost"
            assert turns <= view.turns(user, "semantic"), f"{user}: turns not extracted"
        assert view.problems() == {}
    finally:
        served.stop()


# -- the LLM endpoint ---------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("failure", [{"status": 500}, {"sleep": 3}], ids=["500s", "hanging"])
def test_an_llm_endpoint_failing_keeps_the_turn_and_extracts_it_offline(
    failure: dict[str, int], tmp_path: Path
) -> None:
    with StandIn() as standin:
        for _ in range(20):
            standin.then(**failure, content=json.dumps({"memories": []}))
        env = clean_env(
            tmp_path,
            OPENAI_BASE_URL=standin.base_url,
            OPENAI_API_KEY="sk-standin",
            LLM_TIMEOUT_SECONDS="1",
            LLM_MAX_RETRIES="1",
        )
        view = StoreView(sqlite_path=tmp_path / "home" / "longmem.db")
        served = Served(env, tmp_path / "serve.log").start()
        try:
            answer = httpx.post(
                f"{served.base}/conversation",
                json={"user_id": "ann", "turn_number": 1, "message": "I live in Porto"},
                timeout=30,
            )
            assert answer.status_code == 200, answer.text
            assert answer.json()["reply"] is None and answer.json()["reply_error"]
            wait_for(lambda: view.pending() == 0, 60, "the turn to be extracted")
        finally:
            served.stop()
        assert standin.requests, "the LLM endpoint was never tried"
    facts = view.rows("SELECT content FROM memories WHERE user_id = 'ann' AND kind = 'semantic'")
    assert facts == [("User lives in Porto",)]
    assert view.turns("ann") == {1}
