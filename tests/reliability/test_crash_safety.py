"""kill -9 mid-ingest: every acknowledged turn survives, the store stays consistent, and
extraction that was still queued resumes by itself when the service starts again."""

from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path

import pytest
import redis
from celery import Celery

from longmem import Memory, Settings
from longmem.benchmark import reliability
from longmem.benchmark.served import StoreView, celery, clean_env, wait_for
from openai_standin import StandIn

BROKER = "redis://127.0.0.1:6379/13"  # db 13 of the machine's Redis: this suite's own


@pytest.mark.slow
@pytest.mark.parametrize("store", ["sqlite", "postgresql"])
def test_kill_9_mid_ingest_loses_no_acknowledged_turn_and_resumes_extraction(
    store: str, tmp_path: Path
) -> None:
    outcome = reliability.kill_mid_ingest(store, tmp_path)
    assert outcome.details["pending_at_kill"] > 0, "the kill came too late to test a resume"
    assert outcome.acknowledged > 450 and outcome.errors == 0
    assert (outcome.lost, outcome.unextracted, outcome.problems) == (0, 0, {})


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
