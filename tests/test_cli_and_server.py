"""The command line, and the real server started with the README's run command."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from longmem import Memory, Settings
from longmem.cli import main

ROOT = Path(__file__).resolve().parent.parent


def test_export_then_import_round_trips_memories_with_history(
    tmp_path, embedder, monkeypatch, capsys
):
    source = Settings(longmem_home=tmp_path / "a")
    with Memory(source, embedder=embedder) as mem:
        mem.add_turn("ann", "I live in Paris", turn_number=1)
        mem.add_turn("ann", "I moved to Rome", turn_number=2)
    monkeypatch.setenv("LONGMEM_HOME", str(tmp_path / "a"))
    from longmem.config import get_settings

    get_settings.cache_clear()
    out = tmp_path / "ann.jsonl"
    assert main(["export", "ann", "--out", str(out)]) == 0
    lines = out.read_text().splitlines()
    assert len(lines) == 4

    monkeypatch.setenv("LONGMEM_HOME", str(tmp_path / "b"))
    get_settings.cache_clear()
    assert main(["import", str(out)]) == 0
    assert main(["import", str(out)]) == 0  # a second import skips what exists
    assert "skipped 4 existing" in capsys.readouterr().err
    get_settings.cache_clear()
    with Memory(Settings(longmem_home=tmp_path / "b"), embedder=embedder) as copy:
        stats = copy.stats("ann")
        assert stats.by_status == {"active": 3, "superseded": 1}
        assert stats.turns_seen == 2
        rome = copy.search("ann", "Which city do I live in?", kinds=["semantic"])
        assert [h.memory.metadata.value for h in rome] == ["Rome"]
        old = next(m for m in copy.list("ann", statuses=["superseded"]).items)
        assert [e.action.value for e in copy.history("ann", old.memory_id)] == [
            "create",
            "supersede",
        ]


def test_a_bad_environment_variable_is_one_line_naming_it_and_not_its_value(monkeypatch, capsys):
    from longmem.config import get_settings

    monkeypatch.setenv("MEMORY_RETRIEVAL_TOP_K", "many")
    monkeypatch.setenv("DATABASE_URL", "mysql://admin:hunter2@db/x")
    get_settings.cache_clear()
    try:
        assert main(["stats", "ann"]) == 2
    finally:
        get_settings.cache_clear()
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: invalid configuration: ")
    assert "MEMORY_RETRIEVAL_TOP_K: Input should be a valid integer" in err
    assert "DATABASE_URL: Value error, expected sqlite:///PATH or postgresql://" in err
    assert "hunter2" not in err and "Traceback" not in err
    assert len(err.splitlines()) == 1


def test_init_db_creates_the_store(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("LONGMEM_HOME", str(tmp_path / "fresh"))
    from longmem.config import get_settings

    get_settings.cache_clear()
    assert main(["init-db"]) == 0
    assert (tmp_path / "fresh" / "longmem.db").exists()
    assert "schema version 4" in capsys.readouterr().out
    get_settings.cache_clear()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.slow
def test_the_readme_run_command_serves_http(tmp_path):
    port = free_port()
    env = {**os.environ, "PORT": str(port), "LONGMEM_HOME": str(tmp_path / "served")}
    server = subprocess.Popen(
        ["make", "--no-print-directory", "serve"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}/api/v1"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert server.poll() is None, server.stdout.read().decode() if server.stdout else ""
            assert time.monotonic() < deadline, "server did not come up"
            time.sleep(0.3)
        first = httpx.post(
            f"{base}/conversation",
            timeout=10,
            json={
                "user_id": "user_123",
                "turn_number": 1,
                "message": "I love espresso and prefer dark roast coffee",
            },
        )
        assert first.status_code == 200
        time.sleep(1.0)
        later = httpx.post(
            f"{base}/conversation",
            timeout=10,
            json={
                "user_id": "user_123",
                "turn_number": 500,
                "message": "What kind of coffee should I buy?",
            },
        ).json()
        assert any("espresso" in m["memory"]["content"] for m in later["memories"])
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)


def test_chat_shows_what_each_message_recalls_and_extracts(tmp_path):
    env = {**os.environ, "LONGMEM_HOME": str(tmp_path / "chat")}
    done = subprocess.run(
        [sys.executable, "-m", "longmem.cli", "chat", "--user", "ann"],
        input="I live in Paris\nWhere do I live?\n\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=True,
    )
    assert "ADD: User lives in Paris" in done.stderr
    assert "recalled" in done.stderr and "turn 2 recorded" in done.stderr


def test_a_key_without_its_tenant_stops_serve_with_one_line_and_no_secret(tmp_path):
    env = {**os.environ, "API_KEYS": "supersecretvalue", "LONGMEM_HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "longmem.cli", "serve", "--port", "0"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    printed = done.stdout + done.stderr
    assert done.returncode == 2
    assert "supersecretvalue" not in printed and "Traceback" not in printed
    assert "serving on" not in printed
    assert printed.strip() == (
        "error: invalid configuration: API_KEYS: Value error, entry 1 of 1 is not KEY:TENANT"
    )
