"""How far apart answered and never-said questions are, whatever the gate.

    .venv/bin/python bench/separability.py --seeds 1 2 3 4 5 6

Imports synthetic conversations (the seeds of bench/calibrate.py, not the test suite's) and
asks every probe with no floor at all. Prints:
- the ceiling: how often the answer is in the top 10 when nothing is turned away;
- how well each piece of evidence separates answered questions from never-said ones (AUC);
- what a logistic gate over all of them achieves, fitted on all seeds but one and tested on
  that one in turn, at the false-positive rate the relevance floor is calibrated for.
If the best gate stays far under the recall target, no choice of floor can reach it: the
evidence itself has to improve (a stronger model, an LLM extractor).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

import numpy as np
import numpy.typing as npt
from rich.console import Console
from rich.progress import track

from longmem import SearchHit
from longmem.benchmark.inprocess import floorless
from longmem.embedding import MiniLMEmbedder
from longmem.synth import generate_conversation

console = Console(soft_wrap=True)
Matrix = npt.NDArray[np.float64]
FEATURES = (
    "best relevance",
    "best cosine",
    "best relevance - mean of top 10",
    "memories with relevance >= 0.2",
    "word coverage of the best",
    "cosine of the best",
    "best is an extracted fact",
    "second relevance",
)
TRAIN_FALSE_POSITIVES = 0.04


def features(hits: list[SearchHit]) -> list[float]:
    if not hits:
        return [0.0] * len(FEATURES)
    rel = np.sort([h.parts.relevance for h in hits])[::-1]
    best = max(hits, key=lambda h: h.parts.relevance)
    return [
        float(rel[0]),
        max(h.parts.dense for h in hits),
        float(rel[0] - rel[:10].mean()),
        float((rel >= 0.2).sum()) / 10,
        best.parts.lexical,
        best.parts.dense,
        float(best.memory.kind.value == "semantic"),
        float(rel[1]) if len(rel) > 1 else 0.0,
    ]


def auc(positive: npt.NDArray[np.float64], negative: npt.NDArray[np.float64]) -> float:
    """The chance that a random answered question scores above a random never-said one."""
    wins = (positive[:, None] > negative[None, :]).mean()
    ties = (positive[:, None] == negative[None, :]).mean()
    return float(wins + ties / 2)


def fit_logistic(x: Matrix, y: Matrix, steps: int = 3000) -> Callable[[Matrix], Matrix]:
    mean, std = x.mean(0), x.std(0) + 1e-9
    z = (x - mean) / std
    w, b = np.zeros(z.shape[1]), 0.0
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(z @ w + b)))
        w -= 0.5 * (z.T @ (p - y) / len(y) + 1e-2 * w)
        b -= 0.5 * float((p - y).mean())
    return lambda rows: ((rows - mean) / std) @ w + b


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--turns", type=int, default=1200)
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3, 4, 5, 6])
    args = parser.parse_args()
    embedder = MiniLMEmbedder()
    rows: list[list[float]] = []
    answered: list[bool] = []  # a planted probe (else never said)
    found: list[bool] = []  # its answer is in the top 10 when admitted
    by_relevance: list[bool] = []  # its answer is in the top 10 by relevance alone
    seeds: list[int] = []
    for seed in args.seeds:
        conv = generate_conversation(
            seed=seed, n_turns=args.turns, n_contradictions=6, n_distractors=60
        )
        with floorless(conv, embedder) as mem:
            probes = [p for p in conv.probes if p.kind in ("planted", "distractor")]
            for probe in track(probes, description=f"seed {seed}", console=console):
                hits = mem.search(conv.user_id, probe.question, top_k=200, current_turn=args.turns)
                rows.append(features(hits))
                answered.append(probe.kind == "planted")
                seeds.append(seed)
                # what the search returns once admitted: the companion floor, then the score
                kept = [h for h in hits if h.parts.relevance >= 0.15][:10]
                ranked = sorted(hits, key=lambda h: h.parts.relevance, reverse=True)[:10]
                found.append(any(h.memory.metadata.source_turn in probe.answer_turns for h in kept))
                by_relevance.append(
                    any(h.memory.metadata.source_turn in probe.answer_turns for h in ranked)
                )

    x = np.array(rows)
    y = np.array(answered, dtype=float)
    seed_of = np.array(seeds)
    planted = y == 1
    console.print(
        f"{int(planted.sum())} planted and {int((~planted).sum())} never-said questions\n"
        f"ceiling, no floor: answer in the top 10 for "
        f"{np.mean(np.array(by_relevance)[planted]):.3f} by relevance, "
        f"{np.mean(np.array(found)[planted]):.3f} as searched (composite score)\n",
        markup=False,
    )
    console.print("| evidence | AUC |\n|---|---|", markup=False)
    for i, name in enumerate(FEATURES):
        console.print(f"| {name} | {auc(x[planted, i], x[~planted, i]):.3f} |", markup=False)

    console.print("\n| gate | recall@10 | false positives |\n|---|---|---|", markup=False)
    for label, columns in (("best relevance", [0]), ("all evidence", list(range(len(FEATURES))))):
        recalled, leaked = [], []
        for held in np.unique(seed_of):
            train, test = seed_of != held, seed_of == held
            score = fit_logistic(x[train][:, columns], y[train])
            negatives = np.sort(score(x[train][:, columns])[y[train] == 0])
            cut = negatives[int(np.ceil((1 - TRAIN_FALSE_POSITIVES) * len(negatives))) - 1]
            admitted = score(x[:, columns]) > cut
            recalled.append(float((admitted & np.array(found))[test & planted].mean()))
            leaked.append(float(admitted[test & ~planted].mean()))
        console.print(
            f"| {label} (leave one seed out) | {np.mean(recalled):.3f} | {np.mean(leaked):.3f} |",
            markup=False,
        )


if __name__ == "__main__":
    main()
