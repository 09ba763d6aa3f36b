"""Latency over HTTP against a real `longmem serve` process, with concurrent clients."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
from rich.progress import track

from longmem.benchmark import stores
from longmem.synth import Conversation


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _rss_mib(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def _wait_ready(base: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("the server exited during start-up")
        try:
            if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.3)
    raise RuntimeError("the server did not come up in 120 s")


def timed_requests(base: str, clients: int, total: int, make: Any) -> list[float]:
    local = threading.local()
    latencies: list[float] = []
    lock = threading.Lock()

    def one(i: int) -> None:
        client = getattr(local, "client", None)
        if client is None:
            client = local.client = httpx.Client(base_url=base, timeout=60)
        method, path, kwargs = make(i)
        t0 = time.perf_counter()
        client.request(method, path, **kwargs).raise_for_status()
        elapsed = (time.perf_counter() - t0) * 1000
        with lock:
            latencies.append(elapsed)

    with ThreadPoolExecutor(max_workers=clients) as pool:
        list(pool.map(one, range(total)))
    return latencies


def measure(
    store: str,
    conversation: Conversation,
    home: Path,
    pg_url: str | None,
    concurrency: list[int],
    requests: int,
) -> list[dict[str, Any]]:
    settings = stores.settings_for(store, home, pg_url)
    port = _free_port()
    base = f"http://127.0.0.1:{port}/api/v1"
    env = {
        **os.environ,
        "PORT": str(port),
        "LONGMEM_HOME": str(home),
        "RETRIEVAL_TIMEOUT_MS": "10000",
    }
    if settings.database_url:
        env["DATABASE_URL"] = settings.database_url
    server = subprocess.Popen(
        [sys.executable, "-m", "longmem.cli", "serve"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    user, size = conversation.user_id, len(conversation.turns)
    questions = [p.question for p in conversation.probes]
    rows: list[dict[str, Any]] = []
    try:
        _wait_ready(base, server)
        turns = conversation.turn_dicts()
        with httpx.Client(timeout=600) as client:
            for start in track(range(0, len(turns), 1000), description=f"HTTP import {store}"):
                client.post(
                    f"{base}/turns",
                    json={"user_id": user, "wait": True, "turns": turns[start : start + 1000]},
                ).raise_for_status()
        for clients in concurrency:
            latencies = timed_requests(
                base,
                clients,
                requests,
                lambda i: (
                    "POST",
                    f"/memories/{user}/search",
                    {"params": {"query": questions[i % len(questions)], "top_k": 10}},
                ),
            )
            rows.append(_row(store, size, "search", clients, latencies))
        latencies = timed_requests(
            base,
            1,
            requests,
            lambda i: (
                "POST",
                "/conversation",
                {
                    "json": {
                        "user_id": user,
                        "turn_number": size + i + 1,
                        "message": questions[i % len(questions)],
                    }
                },
            ),
        )
        rows.append(_row(store, size, "conversation", 1, latencies))
        for row in rows:
            row["server_rss_mib"] = _rss_mib(server.pid)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    return rows


def _row(
    store: str, size: int, endpoint: str, clients: int, latencies: list[float]
) -> dict[str, Any]:
    return {
        "store": store,
        "turns": size,
        "endpoint": endpoint,
        "clients": clients,
        "requests": len(latencies),
        "p50_ms": stores.percentile(latencies, 50),
        "p95_ms": stores.percentile(latencies, 95),
        "p99_ms": stores.percentile(latencies, 99),
    }
