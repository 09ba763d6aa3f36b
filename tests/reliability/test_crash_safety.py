"""kill -9 mid-ingest: every acknowledged turn survives, the store stays consistent, and
extraction that was still queued resumes by itself when the service starts again."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import redis
from celery import Celery

from longmem import Memory, Settings
from openai_standin import StandIn
from reliability.harness import Served, StoreView, wait_for

BROKER = "redis://127.0.0.1:6379/13"  # db 13 of the machine's Redis: this suite's own


def said(turn: int) -> str:
    # Each turn states a new home: every one is extracted into a fact of its own (the
    # previous one superseded, not merged), so an unextracted turn shows.
    return f"I live in Town{turn}"


def clean_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"REDIS_URL", "DATABASE_URL", "API_KEYS", "OPENAI_API_KEY", "OPENAI_BASE_URL"}
    }
    return {**env, "LONGMEM_HOME": str(tmp_path / "home"), **extra}


@pytest.fixture(params=["sqlite", "postgres"])
def served_store(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[tuple[dict[str, str], StoreView]]:
    if request.param == "sqlite":
        env = clean_env(tmp_path)
        yield env, StoreView(sqlite_path=tmp_path / "home" / "longmem.db")
        return
    url = request.getfixturevalue("fresh_postgres")
    yield clean_env(tmp_path, DATABASE_URL=url), StoreView(postgres_url=url)


@pytest.mark.slow
def test_kill_9_mid_ingest_loses_no_acknowledged_turn_and_resumes_extraction(
    served_store: tuple[dict[str, str], StoreView], tmp_path: Path
) -> None:
    env, view = served_store
    served = Served(env, tmp_path / "serve.log").start()
    acknowledged: dict[str, set[int]] = {"single": set(), "batch": set()}
    stop_singles = threading.Event()

    def singles() -> None:
        with httpx.Client(base_url=served.base, timeout=10) as client:
            turn = 1
            while not stop_singles.is_set():
                try:
                    answer = client.post(
                        "/conversation",
                        json={"user_id": "single", "turn_number": turn, "message": said(turn)},
                    )
                except httpx.TransportError:
                    return  # the server is gone
                if answer.status_code == 200:
                    acknowledged["single"].add(turn)
                turn += 1

    sender = threading.Thread(target=singles)
    sender.start()
    try:
        with httpx.Client(base_url=served.base, timeout=60) as client:
            for batch in range(3):
                first = 1 + batch * 150
                turns = [{"content": said(n), "turn_number": n} for n in range(first, first + 150)]
                answer = client.post("/turns", json={"user_id": "batch", "turns": turns})
                assert answer.status_code == 200, answer.text
                acknowledged["batch"].update(t["turn_number"] for t in turns)
        wait_for(lambda: len(acknowledged["single"]) >= 10, 60, "single turns acknowledged")
    finally:
        served.kill()  # mid-ingest: singles still arriving, batches still being extracted
        stop_singles.set()
        sender.join()

    for user, turns in acknowledged.items():
        assert turns <= view.turns(user), f"{user}: acknowledged turns lost"
    assert view.problems() == {}
    left = view.pending()
    assert left > 0, "the kill came too late to leave queued extraction; nothing was tested"

    restarted = Served(env, tmp_path / "serve.log").start()
    try:
        wait_for(lambda: view.pending() == 0, 180, "queued extraction to resume")
    finally:
        restarted.stop()
    assert view.problems() == {}
    for user, turns in acknowledged.items():
        assert turns <= view.turns(user, "semantic"), f"{user}: acknowledged turns not extracted"


def test_the_outbox_holds_a_deferred_turn_until_its_extraction_commits(memory: Memory) -> None:
    memory.add_turn("ann", "I live in Porto", turn_number=1, extract=False)
    memory.add_turn("ann", "I work as a nurse", turn_number=2)  # extracted at once
    assert memory.store.pending_extractions() == [("default", "ann", 1)]
    memory.extract_turn("ann", 1)
    assert memory.store.pending_extractions() == []
    memory.add_turn("ann", "I have a cat", turn_number=3, extract=False)
    memory.delete_all("ann")
    assert memory.store.pending_extractions() == []  # erasure empties the user's outbox


def test_a_failed_extraction_stays_in_the_outbox(memory: Memory, monkeypatch) -> None:
    memory.add_turn("ann", "I live in Porto", turn_number=1, extract=False)

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr("longmem.ingest.reconcile", broken)
    with pytest.raises(RuntimeError):
        memory.extract_turn("ann", 1)
    assert memory.store.pending_extractions() == [("default", "ann", 1)]


# -- a Celery worker killed mid-task ----------------------------------------------------------


def celery(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "longmem.worker.celery_app", *args],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


@pytest.mark.slow
def test_a_celery_worker_killed_mid_task_is_replaced_and_the_retry_adds_no_duplicate(
    fresh_postgres: str, tmp_path: Path, embedder
) -> None:
    broker = redis.Redis.from_url(BROKER)
    broker.flushdb()
    extracted = {"type": "fact", "content": "User lives in Porto", "confidence": 0.9}
    with StandIn() as standin:
        # The first extraction hangs long enough to be killed; the redelivered one answers.
        standin.then(sleep=20, content=json.dumps({"memories": [extracted]}))
        standin.then(content=json.dumps({"memories": [extracted]}))
        env = clean_env(
            tmp_path,
            DATABASE_URL=fresh_postgres,
            REDIS_URL=BROKER,
            OPENAI_BASE_URL=standin.base_url,
            OPENAI_API_KEY="sk-standin",
            LLM_RECONCILIATION="false",
            TASK_REDELIVERY_SECONDS="3",
        )
        settings = Settings(longmem_home=tmp_path / "api", database_url=fresh_postgres)
        with Memory(settings, embedder=embedder) as recorder:
            recorder.add_turn("ann", "I live in Porto", turn_number=1, extract=False)
        view = StoreView(postgres_url=fresh_postgres)
        # A client of our own: longmem's app may hold connections to another test's broker.
        Celery("client", broker=BROKER).send_task("longmem.extract_turn", ("default", "ann", 1))
        log = tmp_path / "worker.log"
        first = celery(["worker", "--pool=solo", "--loglevel=INFO"], env, log)
        try:
            wait_for(lambda: len(standin.requests) >= 1, 60, "the worker to start the task")
        finally:
            os.killpg(first.pid, signal.SIGKILL)  # mid-task: the LLM has not answered
            first.wait(timeout=20)
        assert view.pending() == 1
        second = celery(["worker", "--pool=solo", "--loglevel=INFO"], env, log)
        try:
            wait_for(lambda: view.pending() == 0, 120, "the task to be delivered again")
            time.sleep(2)  # a duplicate delivery, if any, would land now
        finally:
            os.killpg(second.pid, signal.SIGTERM)
            second.wait(timeout=30)
    broker.flushdb()
    facts = view.rows(
        "SELECT content, status FROM memories WHERE user_id = 'ann' AND kind = 'semantic'"
    )
    assert facts == [("User lives in Porto", "active")]
    assert view.problems() == {}
