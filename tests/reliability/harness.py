"""Real `longmem serve` processes for the reliability suite, and what a store must hold true.

Every scenario here runs the service as its users run it: a separate process, spoken to over
HTTP, stopped by a signal. The store is then read around longmem, straight from SQLite or
PostgreSQL, so a check cannot be fooled by the code it checks.
"""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

EMBEDDING_BYTES = 384 * 4


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
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)


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
            return [tuple(r) for r in conn.execute(sql.encode(), args).fetchall()]  # type: ignore[arg-type]

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
        sql = "SELECT DISTINCT source_turn FROM memories WHERE user_id = %s AND kind = %s"
        return {int(r[0]) for r in self.rows(sql, (user_id, kind))}

    def pending(self) -> int:
        return int(self.scalar("SELECT count(*) FROM pending_extraction"))
