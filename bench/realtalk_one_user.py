"""Speed on real text: one user holding every REALTALK message (8,944 turns), then each of its
679 questions asked once. Prints the import rate and search p50 / p95.

    .venv/bin/python bench/realtalk_one_user.py --data ../shared/data/realtalk

Calls only `Memory.add_turns` and `Memory.search`, so it measures an earlier release too when
that release's source has this one's longmem/benchmark/realtalk.py and core/lexical.py copied
in (how the README's before figures were taken).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
from rich.progress import track

from longmem import Memory, Settings
from longmem.benchmark.realtalk import load


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True)
    args = parser.parse_args()
    conversations = load(Path(args.data))
    turns = []
    for c in conversations:
        turns += c.turn_dicts(first=len(turns) + 1)
    questions = [q.text for c in conversations for q in c.questions]
    with tempfile.TemporaryDirectory() as home, Memory(Settings(longmem_home=Path(home))) as mem:
        started = time.perf_counter()
        mem.add_turns("everyone", turns, progress=True)
        rate = len(turns) / (time.perf_counter() - started)
        mem.search("everyone", "warm-up")
        latencies = []
        for question in track(questions, description="searching"):
            started = time.perf_counter()
            mem.search("everyone", question, top_k=10)
            latencies.append((time.perf_counter() - started) * 1000)
    p50, p95 = np.percentile(latencies, [50, 95])
    print(
        f"{len(turns):,} turns for one user: import {rate:.0f} turns/s; "
        f"{len(questions)} searches p50 {p50:.1f} ms, p95 {p95:.1f} ms"
    )


if __name__ == "__main__":
    main()
