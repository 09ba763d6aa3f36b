"""In-process measurements: ingest, recall, false positives, staleness, search latency."""

from __future__ import annotations

import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from rich.progress import track

from longmem import Memory, Settings
from longmem.benchmark import stores
from longmem.core.context import recalled
from longmem.embedding import MiniLMEmbedder
from longmem.embedding.base import Embedder
from longmem.synth import Conversation


@contextmanager
def floorless(conversation: Conversation, embedder: Embedder) -> Iterator[Memory]:
    """The conversation imported into a throw-away store whose relevance floor is zero, so a
    search returns every candidate with its evidence: what the calibration scripts study."""
    with tempfile.TemporaryDirectory() as home:
        settings = Settings(longmem_home=Path(home), relevance_floor=0.0)
        with Memory(settings, embedder=embedder) as mem:
            mem.add_turns(conversation.user_id, conversation.turn_dicts())
            yield mem


def ingest(mem: Memory, conversation: Conversation) -> float:
    turns = conversation.turn_dicts()
    started = time.perf_counter()
    mem.add_turns(conversation.user_id, turns, progress=True)
    return time.perf_counter() - started


def probe(mem: Memory, conversation: Conversation, label: str) -> dict[str, Any]:
    """Asks every probe at the last turn; quality and latency in one pass."""
    user, last = conversation.user_id, len(conversation.turns)
    mem.search(user, "warm-up question", current_turn=last)  # builds the user's index
    latencies: list[float] = []
    ranks: list[int | None] = []
    false_positives = distractors = stale = updated = 0
    for p in track(conversation.probes, description=f"probing {label}"):
        t0 = time.perf_counter()
        hits = mem.search(user, p.question, top_k=10, current_turn=last)
        latencies.append((time.perf_counter() - t0) * 1000)
        turns = [h.memory.metadata.source_turn for h in hits]
        if p.kind == "distractor":
            # Search ranks and context gates: a false positive is a memory that a question
            # about something never said puts into the prompt.
            distractors += 1
            block = mem.context(user, p.question, current_turn=last)
            false_positives += bool(recalled(block.memories))
            continue
        rank = next((i for i, t in enumerate(turns) if t in p.answer_turns), None)
        ranks.append(rank)
        if p.kind == "updated":
            updated += 1
            old = next((i for i, t in enumerate(turns) if t in p.stale_turns), None)
            stale += old is not None and (rank is None or old < rank)
    found = [r for r in ranks if r is not None]
    asked = max(1, len(ranks))
    return {
        "search_p50_ms": stores.percentile(latencies, 50),
        "search_p95_ms": stores.percentile(latencies, 95),
        "search_p99_ms": stores.percentile(latencies, 99),
        "recall_at_1": sum(r < 1 for r in found) / asked,
        "recall_at_5": sum(r < 5 for r in found) / asked,
        "recall_at_10": sum(r < 10 for r in found) / asked,
        "mrr": sum(1 / (r + 1) for r in found) / asked,
        "false_positive_rate": false_positives / max(1, distractors),
        "stale_rate": stale / max(1, updated),
        "probes": len(ranks),
        "distractors": distractors,
    }


def measure(
    store: str,
    conversation: Conversation,
    embedder: MiniLMEmbedder,
    home: Path,
    pg_url: str | None,
    background_users: int,
) -> dict[str, Any]:
    settings = stores.settings_for(store, home, pg_url)
    size = len(conversation.turns)
    with stores.open_memory(settings, embedder) as mem:
        ingest_s = ingest(mem, conversation)
        row: dict[str, Any] = {
            "store": store,
            "turns": size,
            "users": 1,
            "ingest_turns_per_s": size / ingest_s,
            "ingest_s": ingest_s,
        }
        row.update(probe(mem, conversation, f"{store} {size:,} turns"))
        stats = mem.stats(conversation.user_id)
        row["storage_bytes_per_turn"] = stats.storage_bytes / size
        if store == "postgres" and background_users and settings.database_url:
            stores.add_background_users(
                settings.database_url, conversation.user_id, background_users
            )
            crowded = probe(
                mem, conversation, f"{store} {size:,} turns, {background_users + 1} users"
            )
            row["users"] = background_users + 1
            row["alone_search_p95_ms"] = row["search_p95_ms"]
            for key in ("search_p50_ms", "search_p95_ms", "search_p99_ms"):
                row[key] = crowded[key]
    row["rss_mib"] = stores.rss_mib()
    return row
