"""Real processes for the reliability scenarios: `longmem serve`, a PostgreSQL and a Redis of
their own, and what a store must hold true.

Every scenario runs the service as its users run it: a separate process, spoken to over HTTP,
stopped by a signal. The store is then read around longmem, straight from SQLite or
PostgreSQL, so a check cannot be fooled by the code it checks. Needs the dev extras (httpx,
pgserver) and, for Redis, the `redis-server` program.
"""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

EMBEDDING_BYTES = 384 * 4
# What the parent's environment must not pass on: each scenario says what it runs against.
_CONFIG = {"REDIS_URL", "DATABASE_URL", "API_KEYS", "OPENAI_API_KEY", "OPENAI_BASE_URL"}


def clean_env(home: Path, **extra: str) -> dict[str, str]:
    """This process's environment without longmem's configuration, storing under `home`."""
    env = {k: v for k, v in os.environ.items() if k not in _CONFIG}
    return {**env, "LONGMEM_HOME": str(home / "home"), **extra}


def said(turn: int) -> str:
    # Each turn states a new home: every one is extracted into a fact of its own (the
    # previous one superseded, not merged), so an unextracted turn shows.
    return f"I live in Town{turn}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Served:
    """One `longmem serve` process; its output goes to a file the secrets test reads."""

    env: dict[str, str]
    log_path: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v1"

    def start(self, timeout: float = 120) -> Served:
        env = {**self.env, "PORT": str(self.port), "HOST": "127.0.0.1"}
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [str(Path(sys.executable).with_name("longmem")), "serve"],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while True:
            try:
                if httpx.get(f"{self.base}/health", timeout=2).status_code in (200, 503):
                    return self
            except httpx.TransportError:
                pass
            if self.process.poll() is not None:
                raise RuntimeError(f"serve exited: {self.log_path.read_text()[-2000:]}")
            if time.monotonic() > deadline:
                raise RuntimeError("serve did not come up")
            time.sleep(0.2)

    def kill(self) -> None:
        """kill -9: no shutdown hook, no flush, what a power cut or the OOM killer does."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=20)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


@contextmanager
def serving(env: dict[str, str], log_path: Path) -> Iterator[Served]:
    served = Served(env, log_path).start()
    try:
        yield served
    finally:
        served.stop()


def wait_for(predicate: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        time.sleep(0.2)


@dataclass
class OwnPostgres:
    """A PostgreSQL 16 + pgvector of a scenario's own (pgserver), which it may stop and start."""

    url: str
    server: Any

    def stop(self) -> None:
        import pgserver

        pgserver.pg_ctl(  # type: ignore[attr-defined]
            ["-w", "-m", "fast", "stop"], pgdata=self.server.pgdata, user=self.server.system_user
        )

    def start(self) -> None:
        self.server.ensure_postgres_running()


@contextmanager
def own_postgres(database: str = "longmem", password: str | None = None) -> Iterator[OwnPostgres]:
    """With `password`, the URL names a role that has it (for checks that it never leaks)."""
    import pgserver
    import psycopg

    with tempfile.TemporaryDirectory(prefix="longmem-pg-") as data:
        server = pgserver.get_server(data, cleanup_mode="stop")  # type: ignore[attr-defined]
        role = "postgres"
        with psycopg.connect(server.get_uri(), autocommit=True) as admin:
            if password is not None:
                role = f"longmem_app:{password}"
                admin.execute(f"CREATE ROLE longmem_app LOGIN SUPERUSER PASSWORD '{password}'")
            admin.execute(f'CREATE DATABASE "{database}"')
        host = server.get_uri().split("host=", 1)[1]
        try:
            yield OwnPostgres(f"postgresql://{role}@/{database}?host={host}", server)
        finally:
            server.ensure_postgres_running()
            server.cleanup()


@dataclass
class OwnRedis:
    """A redis-server of a scenario's own, keeping nothing on disk (as this machine's does)."""

    port: int
    workdir: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                *("redis-server", "--port", str(self.port), "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "no", "--dir", str(self.workdir)),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(self._pings, 10, "redis-server to start")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def _pings(self) -> bool:
        import redis

        try:
            return bool(redis.Redis(port=self.port, socket_connect_timeout=0.2).ping())
        except redis.RedisError:
            return False


@contextmanager
def own_redis(workdir: Path) -> Iterator[OwnRedis]:
    found = OwnRedis(free_port(), workdir)
    found.start()
    try:
        yield found
    finally:
        found.stop()


def celery(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """A Celery process of longmem's app (worker, beat), in its own process group."""
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "longmem.worker.celery_app", *args],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def end(process: subprocess.Popen[bytes], sig: int = signal.SIGTERM) -> None:
    if process.poll() is None:
        os.killpg(process.pid, sig)
        process.wait(timeout=30)


# -- what a store must hold true, read around longmem ----------------------------------------

# Each query counts rows that break one rule; a consistent store answers 0 to every one.
_RULES = {
    "history event without its record": (
        "SELECT count(*) FROM memory_events e WHERE NOT EXISTS"
        " (SELECT 1 FROM memories m WHERE m.memory_id = e.memory_id)"
    ),
    "record without its history": (
        "SELECT count(*) FROM memories m WHERE NOT EXISTS"
        " (SELECT 1 FROM memory_events e WHERE e.memory_id = m.memory_id)"
    ),
    "queued extraction of a turn not recorded": (
        "SELECT count(*) FROM pending_extraction p WHERE NOT EXISTS"
        " (SELECT 1 FROM memories m WHERE m.tenant_id = p.tenant_id AND m.user_id = p.user_id"
        " AND m.kind = 'episodic' AND m.source_turn = p.turn)"
    ),
    "record of a user not registered": (
        "SELECT count(*) FROM memories m WHERE NOT EXISTS"
        " (SELECT 1 FROM users u WHERE u.tenant_id = m.tenant_id AND u.user_id = m.user_id)"
    ),
}


@dataclass(frozen=True)
class StoreView:
    """A store opened without longmem: a SQLite file or a PostgreSQL URL."""

    sqlite_path: Path | None = None
    postgres_url: str | None = None

    def rows(self, sql: str, args: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        if self.sqlite_path is not None:
            db = sqlite3.connect(self.sqlite_path)
            try:
                return [tuple(r) for r in db.execute(sql.replace("%s", "?"), args).fetchall()]
            finally:
                db.close()
        import psycopg

        assert self.postgres_url is not None
        with psycopg.connect(self.postgres_url) as conn:
            return [tuple(r) for r in conn.execute(sql.encode(), args).fetchall()]

    def scalar(self, sql: str, args: tuple[Any, ...] = ()) -> Any:
        return self.rows(sql, args)[0][0]

    def problems(self) -> dict[str, int]:
        """Every broken rule with its count; {} for a consistent store."""
        found = {rule: int(self.scalar(sql)) for rule, sql in _RULES.items()}
        if self.sqlite_path is not None:
            found["vector of the wrong width"] = int(
                self.scalar(
                    "SELECT count(*) FROM memories WHERE length(embedding) != ?",
                    (EMBEDDING_BYTES,),
                )
            )
            db = sqlite3.connect(self.sqlite_path)
            try:
                db.execute(
                    "INSERT INTO memories_fts(memories_fts, rank) VALUES ('integrity-check', 1)"
                )
                found["full-text index out of step"] = 0
            except sqlite3.DatabaseError:
                found["full-text index out of step"] = 1
            finally:
                db.close()
        else:
            found["record without its full-text vector"] = int(
                self.scalar("SELECT count(*) FROM memories WHERE tsv IS NULL")
            )
        return {rule: n for rule, n in found.items() if n}

    def turns(self, user_id: str, kind: str = "episodic") -> set[int]:
        """Turns of the user with a memory of `kind` (any status): recorded turns, or with
        "semantic" the turns something was extracted from."""
        sql = (
            "SELECT DISTINCT source_turn FROM memories WHERE user_id = %s AND kind = %s"
            " AND source_turn IS NOT NULL"
        )
        return {int(r[0]) for r in self.rows(sql, (user_id, kind))}

    def pending(self) -> int:
        return int(self.scalar("SELECT count(*) FROM pending_extraction"))
