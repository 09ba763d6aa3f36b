"""Engine benchmark: ingest throughput, search latency, recall and false positives.

    .venv/bin/python bench/engine.py --turns 1000 10000 --stores sqlite postgres

For each store and size, one synthetic user (longmem.synth, seeded) is imported into a fresh
store with the real embedding model; then every probe is asked at the last turn. PostgreSQL
is a pgserver instance (PostgreSQL 16 + pgvector) in a temporary directory unless
LONGMEM_BENCH_DATABASE_URL names a server. Prints a markdown table and writes JSON (--out).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import numpy as np
from rich.console import Console
from rich.progress import track

from longmem import Memory, Settings
from longmem.embedding import MiniLMEmbedder
from longmem.synth import Conversation, generate_conversation

console = Console()


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values), q)) if values else float("nan")


@contextmanager
def postgres_server() -> Iterator[str]:
    configured = os.environ.get("LONGMEM_BENCH_DATABASE_URL")
    if configured:
        yield configured
        return
    import pgserver

    with tempfile.TemporaryDirectory(prefix="longmem-bench-pg-") as data:
        server = pgserver.get_server(data, cleanup_mode="stop")
        try:
            yield server.get_uri()
        finally:
            server.cleanup()


def open_memory(store: str, home: Path, embedder: MiniLMEmbedder, pg_url: str | None) -> Memory:
    if store == "sqlite":
        return Memory(Settings(longmem_home=home), embedder=embedder)
    import psycopg

    name = f"bench_{uuid.uuid4().hex[:10]}"
    assert pg_url is not None
    with psycopg.connect(pg_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = urlunsplit(urlsplit(pg_url)._replace(path=f"/{name}"))
    return Memory(Settings(longmem_home=home, database_url=url), embedder=embedder)


def measure(
    store: str, size: int, seed: int, embedder: MiniLMEmbedder, pg_url: str | None = None
) -> dict[str, Any]:
    conversation: Conversation = generate_conversation(
        seed=seed,
        n_turns=size,
        n_planted=45,
        plant_window=100,
        n_contradictions=6,
        n_distractors=60,
    )
    with tempfile.TemporaryDirectory() as home:
        mem = open_memory(store, Path(home), embedder, pg_url)
        turns = [
            {"turn_number": t.turn_number, "role": t.role, "content": t.content}
            for t in conversation.turns
        ]
        started = time.perf_counter()
        mem.add_turns(conversation.user_id, turns, progress=True)
        ingest_s = time.perf_counter() - started

        user = conversation.user_id
        mem.search(user, "warm-up question", current_turn=size)  # builds the user's index
        latencies: list[float] = []
        ranks: list[int | None] = []
        false_positive = 0
        stale = 0
        distractors = updated = 0
        for probe in track(conversation.probes, description=f"probing {store} {size} turns"):
            t0 = time.perf_counter()
            hits = mem.search(user, probe.question, top_k=10, current_turn=size)
            latencies.append((time.perf_counter() - t0) * 1000)
            turns_hit = [h.memory.metadata.source_turn for h in hits]
            if probe.kind == "distractor":
                distractors += 1
                false_positive += bool(hits)
                continue
            rank = next((i for i, t in enumerate(turns_hit) if t in probe.answer_turns), None)
            ranks.append(rank)
            if probe.kind == "updated":
                updated += 1
                stale_rank = next(
                    (i for i, t in enumerate(turns_hit) if t in probe.stale_turns), None
                )
                stale += stale_rank is not None and (rank is None or stale_rank < rank)
        stats = mem.stats(user)
        mem.close()

    found = [r for r in ranks if r is not None]
    return {
        "store": store,
        "turns": size,
        "ingest_turns_per_s": size / ingest_s,
        "ingest_s": ingest_s,
        "memories": stats.total,
        "storage_bytes_per_turn": stats.storage_bytes / size,
        "search_p50_ms": percentile(latencies, 50),
        "search_p95_ms": percentile(latencies, 95),
        "search_p99_ms": percentile(latencies, 99),
        "recall_at_1": sum(r < 1 for r in found) / len(ranks),
        "recall_at_5": sum(r < 5 for r in found) / len(ranks),
        "recall_at_10": sum(r < 10 for r in found) / len(ranks),
        "mrr": sum(1 / (r + 1) for r in found) / len(ranks),
        "false_positive_rate": false_positive / max(1, distractors),
        "stale_rate": stale / max(1, updated),
        "probes": len(ranks),
        "distractors": distractors,
        "mean_search_ms": statistics.fmean(latencies),
    }


def table(rows: list[dict[str, Any]]) -> str:
    head = (
        "| store | turns | ingest turns/s | search p50 ms | p95 ms | p99 ms | recall@1 | recall@5 "
        "| recall@10 | MRR | false pos. | stale |"
    )
    lines = [head, "|" + "|".join("---" for _ in range(12)) + "|"]
    for r in rows:
        lines.append(
            f"| {r['store']} | {r['turns']:,} | {r['ingest_turns_per_s']:.0f} "
            f"| {r['search_p50_ms']:.1f} | {r['search_p95_ms']:.1f} | {r['search_p99_ms']:.1f} "
            f"| {r['recall_at_1']:.2f} "
            f"| {r['recall_at_5']:.2f} | {r['recall_at_10']:.2f} | {r['mrr']:.2f} "
            f"| {r['false_positive_rate']:.1%} | {r['stale_rate']:.1%} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--stores", nargs="+", choices=["sqlite", "postgres"], default=["sqlite"])
    parser.add_argument("--out", type=Path, default=Path("bench-results/engine.json"))
    args = parser.parse_args()
    embedder = MiniLMEmbedder()
    rows = [
        measure("sqlite", size, args.seed, embedder)
        for size in args.turns
        if "sqlite" in args.stores
    ]
    if "postgres" in args.stores:
        with postgres_server() as pg_url:
            rows += [measure("postgres", size, args.seed, embedder, pg_url) for size in args.turns]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"machine": platform.platform(), "rows": rows}, indent=2))
    console.print(table(rows), markup=False)


if __name__ == "__main__":
    main()
