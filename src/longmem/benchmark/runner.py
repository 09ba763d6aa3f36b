"""Runs the whole benchmark and writes the report (markdown on stdout, JSON to a file)."""

from __future__ import annotations

import json
import platform
import tempfile
import time
from contextlib import ExitStack
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from rich.console import Console

from longmem.benchmark import http, inprocess, report, stores
from longmem.embedding import MiniLMEmbedder
from longmem.synth import generate_conversation

console = Console(stderr=True)


@dataclass(frozen=True)
class Plan:
    turns: list[int]
    background_users: int  # other users copied into the PostgreSQL store
    concurrency: list[int]  # HTTP clients at once
    requests: int  # HTTP requests per concurrency level


QUICK = Plan(turns=[300], background_users=4, concurrency=[1, 8], requests=40)
FULL = Plan(turns=[1000, 10000], background_users=99, concurrency=[1, 8, 32], requests=300)


def run(
    *,
    quick: bool,
    stores_: list[str],
    out: Path,
    seed: int = 7,
    turns: list[int] | None = None,
    skip_http: bool = False,
) -> dict[str, Any]:
    plan = QUICK if quick else FULL
    if turns:
        plan = replace(plan, turns=turns)
    started = time.perf_counter()
    embedder = MiniLMEmbedder()
    quality: list[dict[str, Any]] = []
    latency: list[dict[str, Any]] = []
    with ExitStack() as stack:
        pg_url = stack.enter_context(stores.postgres_server()) if "postgres" in stores_ else None
        for store in stores_:
            for size in plan.turns:
                conversation = generate_conversation(
                    seed=seed,
                    n_turns=size,
                    n_planted=45,
                    plant_window=100,
                    n_contradictions=6,
                    n_distractors=60,
                )
                with tempfile.TemporaryDirectory() as home:
                    quality.append(
                        inprocess.measure(
                            store,
                            conversation,
                            embedder,
                            Path(home),
                            pg_url,
                            plan.background_users,
                        )
                    )
                if not skip_http:
                    with tempfile.TemporaryDirectory() as home:
                        latency += http.measure(
                            store,
                            conversation,
                            Path(home),
                            pg_url,
                            plan.concurrency,
                            plan.requests,
                        )
    result = {
        "machine": {
            "platform": platform.platform(),
            "python": platform.python_version(),
            "processor": platform.processor() or platform.machine(),
        },
        "quick": quick,
        "seed": seed,
        "seconds": time.perf_counter() - started,
        "quality": quality,
        "http": latency,
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2))
    print(report.quality_table(quality))
    if latency:
        print()
        print(report.http_table(latency))
    print()
    print(report.targets_table(quality, latency))
    console.print(f"wrote {out} in {result['seconds']:.0f} s")
    return result
