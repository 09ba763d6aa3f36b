"""Calibrates RELEVANCE_FLOOR (what `context` gates on) on REALTALK's real chats.

    .venv/bin/python bench/calibrate_realtalk.py --data ../shared/data/realtalk

For each answerable question whose evidence `search` finds in its top 10, and for each of the
never-said questions of bench/data/realtalk_never_said.json, records the best calibrated
relevance among the hits. A floor admits a question when its best hit reaches it. Prints, per
candidate floor, the share of answerable questions admitted and of never-said questions that
would put a memory into the prompt, on the first five conversations and on the last five, so
a floor chosen on one half is reported on the other.
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
    answered: list[tuple[int, float]] = []
    unsaid: list[tuple[int, float]] = []
    with tempfile.TemporaryDirectory() as home, Memory(Settings(longmem_home=Path(home))) as mem:
        for index, c in enumerate(track(conversations, description="conversations")):
            mem.add_turns(c.name, c.turn_dicts())
            by_turn = {i + 1: m.dia_id for i, m in enumerate(c.messages)}
            for q in c.questions:
                hits = mem.search(c.name, q.text, top_k=10)
                if set(dia_ids(hits, by_turn)) & set(q.evidence):
                    answered.append((index, max(h.parts.relevance for h in hits)))
            for text in c.never_said:
                hits = mem.search(c.name, text, top_k=10)
                unsaid.append((index, max((h.parts.relevance for h in hits), default=0.0)))
    halves = {"conversations 1-5": range(5), "conversations 6-10": range(5, 10)}
    print(
        "| floor | "
        + " | ".join(f"{h}: answerable admitted / never-said admitted" for h in halves)
        + " |"
    )
    print("|---|" + "---|" * len(halves))
    for floor in np.arange(0.10, 0.46, 0.02):
        cells = []
        for rows in halves.values():
            a = np.array([v for i, v in answered if i in rows])
            n = np.array([v for i, v in unsaid if i in rows])
            cells.append(f"{(a >= floor).mean():.3f} / {(n >= floor).mean():.3f}")
        print(f"| {floor:.2f} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
