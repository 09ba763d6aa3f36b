"""HTTP latency of `search` and `conversation` against a real `longmem serve` process.

    .venv/bin/python bench/http_latency.py --turns 1000

Starts the service on a free local port with a fresh store, imports one synthetic user's
history (longmem.synth) through POST /api/v1/turns, then times sequential requests from one
client: searches with the probe questions, and conversation turns continuing the history.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time

import httpx
import numpy as np
from rich.console import Console
from rich.progress import track

from longmem.synth import generate_conversation

console = Console()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_ready(base: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("the server exited during start-up")
        try:
            if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.3)
    raise SystemExit("the server did not come up in 120 s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    port = free_port()
    base = f"http://127.0.0.1:{port}/api/v1"
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "PORT": str(port), "LONGMEM_HOME": home}
        server = subprocess.Popen(
            [sys.executable, "-m", "longmem.cli", "serve"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            wait_ready(base, server)
            conv = generate_conversation(seed=args.seed, n_turns=args.turns)
            user = conv.user_id
            with httpx.Client(timeout=60) as client:
                turns = [
                    {"turn_number": t.turn_number, "role": t.role, "content": t.content}
                    for t in conv.turns
                ]
                for start in track(range(0, len(turns), 500), description="importing"):
                    client.post(
                        f"{base}/turns",
                        json={"user_id": user, "wait": True, "turns": turns[start : start + 500]},
                    )
                questions = [p.question for p in conv.probes]
                search_ms: list[float] = []
                for i in track(range(args.requests), description="search"):
                    t0 = time.perf_counter()
                    client.post(
                        f"{base}/memories/{user}/search",
                        params={"query": questions[i % len(questions)], "top_k": 10},
                    )
                    search_ms.append((time.perf_counter() - t0) * 1000)
                conversation_ms: list[float] = []
                for i in track(range(args.requests), description="conversation"):
                    t0 = time.perf_counter()
                    client.post(
                        f"{base}/conversation",
                        json={
                            "user_id": user,
                            "turn_number": args.turns + i + 1,
                            "message": questions[i % len(questions)],
                        },
                    )
                    conversation_ms.append((time.perf_counter() - t0) * 1000)
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=20)
    print(f"| endpoint ({args.turns:,} turns, 1 client) | p50 ms | p95 ms | p99 ms |")
    print("|---|---|---|---|")
    for name, values in (
        ("POST /memories/{user}/search", search_ms),
        ("POST /conversation", conversation_ms),
    ):
        p50, p95, p99 = np.percentile(values, [50, 95, 99])
        print(f"| {name} | {p50:.1f} | {p95:.1f} | {p99:.1f} |")


if __name__ == "__main__":
    main()
