"""Calibrates the relevance floor: where answers and never-said questions separate.

    .venv/bin/python bench/calibrate.py --turns 1200 --seeds 1 2 3

Imports synthetic conversations (seeds other than the test suite's), asks every probe with the
floor at zero, and prints for each candidate floor (what a query's best memory must reach for
anything to be returned) and companion floor (what the other results must reach then) the
recall@10 of planted memories and the false-positive rate of distractors.
"""

from __future__ import annotations

import argparse

from rich.console import Console

from longmem.benchmark.inprocess import floorless
from longmem.embedding import MiniLMEmbedder
from longmem.synth import generate_conversation

console = Console()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--turns", type=int, default=1200)
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    embedder = MiniLMEmbedder()
    # per planted probe: (relevance, composite score, is an answer) of every hit
    answers: list[list[tuple[float, float, bool]]] = []
    distractor_best: list[float] = []
    for seed in args.seeds:
        conv = generate_conversation(
            seed=seed, n_turns=args.turns, n_contradictions=6, n_distractors=60
        )
        with floorless(conv, embedder) as mem:
            for probe in conv.probes:
                hits = mem.search(conv.user_id, probe.question, top_k=50, current_turn=args.turns)
                if probe.kind == "distractor":
                    best = max((h.parts.relevance for h in hits), default=0.0)
                    distractor_best.append(best)
                    if args.verbose and hits:
                        top = max(hits, key=lambda h: h.parts.relevance)
                        console.print(
                            f"[red]D {best:.2f}[/] {probe.question} -> {top.memory.content[:80]}",
                            markup=True,
                        )
                    continue
                rows = [
                    (
                        h.parts.relevance,
                        h.score,
                        h.memory.metadata.source_turn in probe.answer_turns,
                    )
                    for h in hits
                ]
                answers.append(rows)
                if args.verbose:
                    found = [r for r, _, ok in rows if ok]
                    mark = f"{max(found):.2f}" if found else "MISS"
                    console.print(f"A {mark} {probe.question}", markup=False)

    console.print(
        "| floor | companion | recall@10 | false positives |\n|---|---|---|---|", markup=False
    )
    # companion 1.00 is a floor on every result (min(floor, 1.0) = floor)
    for companion in (0.0, 0.1, 0.15, 0.2, 0.25, 1.0):
        for floor in [x / 100 for x in range(26, 50, 2)]:
            cut = min(floor, companion)
            recalled = 0
            for rows in answers:
                if max((r[0] for r in rows), default=0.0) < floor:
                    continue
                kept = sorted((r for r in rows if r[0] >= cut), key=lambda r: r[1], reverse=True)
                recalled += any(ok for _, _, ok in kept[:10])
            fp = sum(b >= floor for b in distractor_best)
            console.print(
                f"| {floor:.2f} | {companion:.2f} | {recalled / len(answers):.3f} "
                f"| {fp / len(distractor_best):.3f} |",
                markup=False,
            )


if __name__ == "__main__":
    main()
