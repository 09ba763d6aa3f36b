"""Calibrates RELEVANCE_FLOOR (what `context` gates on) on REALTALK's real chats.

    .venv/bin/python bench/calibrate_realtalk.py --data ../shared/data/realtalk

For each answerable question whose evidence `search` finds in its top 10, and for each of the
never-said questions of bench/data/realtalk_never_said.json, runs the search `context` runs
(twice the top k) and keeps its hits' calibrated relevance. A floor lets an answerable
question's evidence into the prompt when `core.context.gate` would: the best hit reaches the
floor and an evidence hit has any relevance. It lets a never-said question in when its best
hit reaches the floor. Prints, per candidate floor, both shares on the first five
conversations and on the last five, so a floor chosen on one half is reported on the other.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import numpy as np
from rich.progress import track

from longmem import Memory, Settings
from longmem.benchmark.realtalk import dia_ids, load

NEVER_SAID = Path(__file__).parent / "data" / "realtalk_never_said.json"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True)
    args = parser.parse_args()
    conversations = load(Path(args.data), NEVER_SAID)
    # (conversation, best relevance, best relevance among the evidence hits)
    answered: list[tuple[int, float, float]] = []
    unsaid: list[tuple[int, float]] = []
    with tempfile.TemporaryDirectory() as home, Memory(Settings(longmem_home=Path(home))) as mem:
        wide = min(50, mem.settings.memory_retrieval_top_k * 2)  # as `context` searches
        for index, c in enumerate(track(conversations, description="conversations")):
            mem.add_turns(c.name, c.turn_dicts())
            by_turn = {i + 1: m.dia_id for i, m in enumerate(c.messages)}
            for q in c.questions:
                evidence = set(q.evidence)
                if not set(dia_ids(mem.search(c.name, q.text, top_k=10), by_turn)) & evidence:
                    continue
                hits = mem.search(c.name, q.text, top_k=wide)
                found = [h.parts.relevance for h in hits if set(dia_ids([h], by_turn)) & evidence]
                best = max((h.parts.relevance for h in hits), default=0.0)
                answered.append((index, best, max(found, default=-1.0)))
            for text in c.never_said:
                hits = mem.search(c.name, text, top_k=wide)
                unsaid.append((index, max((h.parts.relevance for h in hits), default=0.0)))
    halves = {"conversations 1-5": range(5), "conversations 6-10": range(5, 10)}
    print(
        "| floor | "
        + " | ".join(f"{h}: found evidence in the prompt / never-said admitted" for h in halves)
        + " |"
    )
    print("|---|" + "---|" * len(halves))
    for floor in np.arange(0.20, 0.45, 0.01):
        cells = []
        for rows in halves.values():
            reached = [
                best >= floor and evidence > 0.0  # as `core.context.gate` admits
                for i, best, evidence in answered
                if i in rows
            ]
            admitted = [best >= floor for i, best in unsaid if i in rows]
            cells.append(f"{np.mean(reached):.3f} / {np.mean(admitted):.3f}")
        print(f"| {floor:.2f} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
