"""Celery worker and beat as real processes, on the machine's Redis and a real PostgreSQL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
import redis

from longmem import Memory, Settings
from longmem.errors import StoreError
from longmem.worker import celery_app as tasks

BROKER = "redis://127.0.0.1:6379/14"  # db 14 of the machine's Redis is the tests' own


@pytest.fixture
def store_kind() -> str:
    return "postgres"


def start(args: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "longmem.worker.celery_app", *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def stop(process: subprocess.Popen[bytes]) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)


@pytest.fixture
def worker_env(fresh_postgres: str, tmp_path: Path) -> Iterator[dict[str, str]]:
    redis.Redis.from_url(BROKER).flushdb()
    tasks.celery_app.conf.update(broker_url=BROKER, result_backend=BROKER)
    yield {
        **os.environ,
        "REDIS_URL": BROKER,
        "DATABASE_URL": fresh_postgres,
        "LONGMEM_HOME": str(tmp_path / "worker"),
        "OPTIMIZE_INTERVAL_SECONDS": "1",
    }
    redis.Redis.from_url(BROKER).flushdb()


@pytest.fixture
def recorder(fresh_postgres: str, tmp_path: Path, embedder) -> Iterator[Memory]:
    settings = Settings(longmem_home=tmp_path / "api", database_url=fresh_postgres)
    with Memory(settings, embedder=embedder) as mem:
        yield mem


@pytest.mark.slow
def test_a_worker_extracts_recorded_turns_and_a_retry_adds_nothing(worker_env, recorder):
    recorder.add_turn("ann", "I live in Porto and I work as a nurse", turn_number=1, extract=False)
    worker = start(["worker", "--pool=solo", "--loglevel=WARNING"], worker_env)
    try:
        first = tasks.extract_turn.delay("default", "ann", 1).get(timeout=120)
        again = tasks.extract_turn.delay("default", "ann", 1).get(timeout=60)
        gone = tasks.extract_turn.delay("default", "nobody", 1).get(timeout=60)
    finally:
        stop(worker)
    assert sorted(first["decisions"]) == ["ADD", "ADD"]
    assert again["decisions"] == ["NOOP", "NOOP"]
    assert "skipped" in gone
    values = sorted(m.metadata.value or "" for m in recorder.list("ann", kinds=["semantic"]).items)
    assert values == ["Porto", "nurse"]


@pytest.mark.slow
def test_beat_schedules_optimize_for_every_user(worker_env, recorder, tmp_path: Path):
    recorder.add_turn("ann", "I love jazz", turn_number=1)
    recorder.add_turn("bob", "I love tea", turn_number=1)
    worker = start(["worker", "--pool=solo", "--loglevel=WARNING"], worker_env)
    beat = start(
        ["beat", "--loglevel=WARNING", "--schedule", str(tmp_path / "beat-schedule")], worker_env
    )
    url = worker_env["DATABASE_URL"]
    try:
        deadline = time.monotonic() + 90
        optimized: list[tuple[str]] = []
        while time.monotonic() < deadline:
            with psycopg.connect(url) as conn:
                optimized = conn.execute(
                    "SELECT user_id FROM users WHERE last_optimize IS NOT NULL ORDER BY 1"
                ).fetchall()
            if len(optimized) == 2:
                break
            time.sleep(0.5)
    finally:
        stop(beat)
        stop(worker)
    assert optimized == [("ann",), ("bob",)]


def test_tasks_retry_store_failures_with_exponential_backoff_and_jitter():
    for task in (tasks.extract_turn, tasks.optimize_user):
        assert StoreError in task.autoretry_for
        assert task.retry_backoff is True and task.retry_jitter is True
        assert task.max_retries == 6
    assert tasks.celery_app.conf.task_acks_late is True
    schedule = tasks.celery_app.conf.beat_schedule["optimize-every-user"]
    assert schedule["task"] == "longmem.optimize_all"
