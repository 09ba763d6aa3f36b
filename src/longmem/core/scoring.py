"""Composite ranking: relevance evidence, recency, access frequency and confidence."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Weights:
    semantic: float = 0.4
    recency: float = 0.3
    access: float = 0.2
    confidence: float = 0.1

    def normalised(self) -> Weights:
        total = self.semantic + self.recency + self.access + self.confidence
        if total <= 0:
            raise ValueError("score weights must not all be zero")
        return Weights(
            self.semantic / total,
            self.recency / total,
            self.access / total,
            self.confidence / total,
        )


@dataclass(frozen=True)
class Evidence:
    """What speaks for a memory answering a query."""

    dense: float  # cosine similarity of the embeddings, in [-1, 1]
    coverage: float  # share of the query's content-word weight found in the memory, [0, 1]
    slot_match: bool  # the query asks about the slot this memory fills
    disclosure: float = 1.0  # how much the memory says about the user (see `disclosure`)


# Calibrated with bench/calibrate.py on synthetic conversations (seeds 1-4; the test suite's
# seed held out) for the most recall at no more than 4% false positives. A cosine alone
# separates paraphrases from never-said questions poorly (answers: median 0.35, distractors'
# best match: median 0.32 with MiniLM), so lexical coverage and slot agreement add evidence.
DENSE_WEIGHT = 1.0
COVERAGE_WEIGHT = 0.5
SLOT_BONUS = 0.4
DENSE_ZERO = 0.15  # cosine at which MiniLM texts are, in practice, unrelated


def relevance(e: Evidence) -> float:
    """Relevance evidence in [0, 1]; compared with the relevance floor."""
    dense = max(0.0, (e.dense - DENSE_ZERO) / (1.0 - DENSE_ZERO))
    value = DENSE_WEIGHT * dense + COVERAGE_WEIGHT * e.coverage * (0.5 + dense)
    if e.slot_match:
        value += SLOT_BONUS
    return min(1.0, value * e.disclosure)


# Below this many memories, what a user has not said tells little (three turns about coffee
# never name "beans"); the familiarity penalty grows to its full weight at this size.
FAMILIAR_DOCUMENTS = 300


def familiarity(
    weights: Mapping[str, float],
    df: Mapping[str, int],
    telling: Mapping[str, float],
    documents: int,
    alternatives: Sequence[Sequence[frozenset[str]]] = (),
) -> float:
    """1 minus the IDF-weighted share of a question's content words that the user never said,
    each counted by how much never having said it tells (`telling`, in [0, 1]: rare in
    English, `longmem.core.rarity`, and the name of a thing, `longmem.core.concreteness`). A
    question whose telling words were never used ("Which hotel in Tokyo did Akib book?" in a
    chat that never names Tokyo or a hotel) is most likely about something never said. On
    REALTALK's 120 never-said questions, the plain share (no weights) told them from
    answerable questions better (AUC 0.91) than the best hit's relevance (0.83).
    Of the options a question offers (`core.query.alternatives`: "in a big city or in the
    suburbs?") only the best-known counts: the answer is expected to name one of them."""
    total = sum(weights.values())
    if total <= 0:
        return 1.0

    def unseen(terms: Iterable[str]) -> float:
        return sum(
            weights[t] * telling.get(t, 1.0) for t in terms if t in weights and df.get(t, 0) == 0
        )

    offered = {t for options in alternatives for option in options for t in option}
    missing = unseen(t for t in weights if t not in offered) + sum(
        min(unseen(option) for option in options) for options in alternatives if options
    )
    return 1.0 - missing / total * min(1.0, documents / FAMILIAR_DOCUMENTS)


_FIRST_PERSON = re.compile(r"\b(?:i|i'm|i've|i'd|i'll|my|me|mine|we|our|us)\b", re.I)
_ASKING = re.compile(
    r"\?\s*$|^\s*(?:(?:hi|hey|thanks|thank you|ok|okay|cool|great|nice|quick question|"
    r"got it|random one)\W+)*(?:can|could|would|will|do|does|is|are|what|how|why|when|"
    r"where|which|who|explain|tell|give|show|help|write|list|recommend|suggest)\b",
    re.I,
)


@lru_cache(maxsize=131072)
def speaks_of_self(content: str) -> bool:
    """A first-person statement: what people say about their own lives ("I went to...")."""
    return bool(_FIRST_PERSON.search(content))


ASSISTANT_DISCLOSURE = 0.4
REQUEST_DISCLOSURE = 0.3


def disclosure(kind: str, role: str | None, content: str, query_about_replies: bool) -> float:
    """How much a memory can tell about the user. A question about the user is answered by
    what the user stated about themselves: extracted facts and first-person statements. The
    user's own questions and requests ("how do I descale a kettle?") and the assistant's
    replies mostly say nothing about the user, and in long histories they are the bulk of
    the text, so they keep only part of their relevance (all of it when the question asks
    what the assistant said)."""
    if kind == "semantic":
        return 1.0
    if role == "assistant":
        return 1.0 if query_about_replies else ASSISTANT_DISCLOSURE
    return REQUEST_DISCLOSURE if asks(content) else 1.0


@lru_cache(maxsize=131072)
def asks(content: str) -> bool:
    """A question or request that says nothing of the speaker's own life (cached: search
    reads the same turns query after query)."""
    return bool(_ASKING.search(content)) and not _FIRST_PERSON.search(_ASKING.sub("", content, 1))


HALF_LIFE_FLOOR = 1e-9


def recency(
    turn_distance: float, age_days: float, half_life_turns: float, half_life_days: float
) -> float:
    """Exponential decay in turns and in days, each halving at its half-life."""
    turns = max(0.0, turn_distance) / max(half_life_turns, HALF_LIFE_FLOOR)
    days = max(0.0, age_days) / max(half_life_days, HALF_LIFE_FLOOR)
    return math.pow(0.5, turns + days)


ACCESS_SATURATION = 50


def access_frequency(access_count: int) -> float:
    """Log-scaled: the tenth use matters more than the hundredth; 1.0 at saturation."""
    return min(1.0, math.log1p(max(0, access_count)) / math.log1p(ACCESS_SATURATION))


def composite(
    weights: Weights, semantic: float, recency_value: float, access: float, confidence: float
) -> float:
    w = weights.normalised()
    return (
        w.semantic * semantic
        + w.recency * recency_value
        + w.access * access
        + w.confidence * confidence
    )
