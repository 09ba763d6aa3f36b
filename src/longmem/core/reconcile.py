"""Reconciliation: what to do with a new candidate given what is already stored.

One decision per candidate, with a reason that goes into the history:
ADD (new), UPDATE (refines a memory), SUPERSEDE (contradicts it: newest wins), MERGE (says the
same thing again: one memory, reinforced) or NOOP (already recorded from this very turn).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from longmem.core.slots import is_single_valued
from longmem.core.text import content_terms, verb_lemma
from longmem.models import Candidate, Decision, MemoryRecord, MemoryType

# Cosines between MiniLM embeddings of short statements, measured on the extractor's output:
# restatements of one fact land above 0.90, refinements ("likes coffee" -> "likes dark roast
# coffee") between 0.80 and 0.90, related but distinct facts below 0.80.
MERGE_COSINE = 0.90
UPDATE_COSINE = 0.80
# A plain denial of a memory lands above this (0.91-0.93: "User likes jazz" / "User does not
# like jazz"); a conditional one below it (0.67-0.79: "... does not like hiking in the rain").
NEGATION_COSINE = 0.85


@dataclass(frozen=True)
class Neighbour:
    memory: MemoryRecord
    cosine: float
    named: bool = False  # holds the old value the candidate says it replaces
    fulfilled: bool = False  # a commitment the candidate reports done


@dataclass(frozen=True)
class Verdict:
    decision: Decision
    reason: str
    target: MemoryRecord | None = None


_NORMALISE = re.compile(r"[^a-z0-9]+")


def normalise_value(value: str | None) -> str:
    return _NORMALISE.sub(" ", (value or "").lower()).strip()


def _same_value(candidate: Candidate, memory: MemoryRecord) -> bool:
    return normalise_value(candidate.value) == normalise_value(memory.metadata.value)


# Embeddings barely see a "not": "User is vegetarian" and "User is not vegetarian anymore" are
# 0.93 apart in cosine, closer than most restatements. Polarity is read from the words.
_NEGATION = re.compile(r"\b(?:not|never|no longer|cannot)\b|n't\b", re.I)


def negative(content: str, negated: bool = False) -> bool:
    """Whether a statement denies rather than affirms (flagged by the extractor, or worded so)."""
    return negated or bool(_NEGATION.search(content))


def _opposite(candidate: Candidate, memory: MemoryRecord) -> bool:
    return negative(candidate.content, candidate.negated) != negative(
        memory.content, memory.metadata.negated
    )


_WORDS = re.compile(r"[a-z]+")


def fulfils(completes: str, memory: MemoryRecord) -> bool:
    """Whether a reported deed ("send report") is what an active commitment promised: the
    commitment has the same verb in any form ("will send", "sending") and every word of the
    object."""
    if memory.type is not MemoryType.commitment:
        return False
    verb, _, obj = completes.partition(" ")
    wanted = set(content_terms(obj))
    words = _WORDS.findall(memory.content.lower())
    return (
        bool(wanted)
        and wanted <= set(content_terms(memory.content))
        and any(verb_lemma(w) == verb for w in words)
    )


@dataclass(frozen=True)
class Advice:
    """A decision proposed outside the transaction (by an LLM), over the neighbours it saw."""

    decision: Decision
    target_id: str | None
    reason: str
    seen: frozenset[str]


def already_recorded(
    candidate: Candidate, source_turn: int | None, neighbours: list[Neighbour]
) -> Verdict | None:
    """A retried extraction finds its own memory: this keeps extraction idempotent."""
    for n in neighbours:
        same_turn = source_turn is not None and n.memory.metadata.source_turn == source_turn
        if same_turn and n.memory.content == candidate.content:
            return Verdict(Decision.noop, "already recorded from this turn", n.memory)
    return None


class Judge(Protocol):
    """Proposes a decision for a candidate with close neighbours (an LLM); None if it cannot."""

    def advise(self, candidate: Candidate, neighbours: Sequence[Neighbour]) -> Advice | None: ...


# Below this cosine, and without a shared slot or a named old value, a neighbour is not worth
# a judge's call: the rules add the candidate.
JUDGE_MIN_COSINE = 0.55


def is_close(candidate: Candidate, n: Neighbour) -> bool:
    return (
        n.named
        or n.fulfilled
        or n.cosine >= JUDGE_MIN_COSINE
        or (candidate.slot is not None and n.memory.metadata.slot == candidate.slot)
    )


def follow(advice: Advice, candidate: Candidate, neighbours: list[Neighbour]) -> Verdict | None:
    """The advice, if it still holds inside the transaction: its target is still active and no
    close memory has appeared that the adviser did not see. None lets the rules decide."""
    if any(n.memory.memory_id not in advice.seen and is_close(candidate, n) for n in neighbours):
        return None
    if advice.decision in (Decision.add, Decision.noop) and advice.target_id is None:
        return Verdict(advice.decision, advice.reason)
    target = next((n.memory for n in neighbours if n.memory.memory_id == advice.target_id), None)
    if target is None:
        return None
    return Verdict(advice.decision, advice.reason, target)


def decide(candidate: Candidate, source_turn: int | None, neighbours: list[Neighbour]) -> Verdict:
    """Pure decision. `neighbours` holds the user's active semantic memories that share the
    candidate's slot or are close in embedding space, each with its cosine to the candidate."""
    repeated = already_recorded(candidate, source_turn, neighbours)
    if repeated is not None:
        return repeated

    done = [n for n in neighbours if n.fulfilled]
    if done:
        newest = max(done, key=lambda n: n.memory.metadata.source_turn or 0)
        return Verdict(Decision.supersede, f"done: {candidate.completes!r}", newest.memory)
    if candidate.completion_only:
        return Verdict(Decision.noop, "reports a deed no open commitment promised")

    named = [n for n in neighbours if n.named]
    if named:
        newest = max(named, key=lambda n: n.memory.metadata.source_turn or 0)
        return Verdict(
            Decision.supersede, f"correction: {candidate.replaces!r} is replaced", newest.memory
        )

    if candidate.slot is not None:
        slotted = [n for n in neighbours if n.memory.metadata.slot == candidate.slot]
        for n in slotted:
            if _same_value(candidate, n.memory):
                if candidate.negated == n.memory.metadata.negated:
                    return Verdict(Decision.merge, f"restates {candidate.slot}", n.memory)
                return Verdict(Decision.supersede, f"reverses {candidate.slot}", n.memory)
        if slotted and is_single_valued(candidate.slot):
            newest = max(slotted, key=lambda n: n.memory.metadata.source_turn or 0)
            return Verdict(
                Decision.supersede,
                f"new value for {candidate.slot}: {candidate.value!r} replaces "
                f"{newest.memory.metadata.value!r}",
                newest.memory,
            )

    same_type = [n for n in neighbours if n.memory.type == candidate.type]
    if not same_type:
        return Verdict(Decision.add, "nothing similar stored")
    best = max(same_type, key=lambda n: n.cosine)
    if candidate.slot is not None and best.memory.metadata.slot not in (None, candidate.slot):
        return Verdict(Decision.add, f"different slot from closest ({best.memory.metadata.slot})")
    if best.cosine >= UPDATE_COSINE and _opposite(candidate, best.memory):
        if best.cosine >= NEGATION_COSINE:
            return Verdict(
                Decision.supersede,
                f"negates a close memory (cosine {best.cosine:.2f})",
                best.memory,
            )
        # "User never drinks coffee after 6pm" beside "User drinks coffee every morning"
        # (0.78): a condition, not a reversal; neither merged nor replaced.
        return Verdict(Decision.add, f"opposite polarity, not a denial (cosine {best.cosine:.2f})")
    if best.cosine >= MERGE_COSINE:
        return Verdict(Decision.merge, f"near-duplicate (cosine {best.cosine:.2f})", best.memory)
    if best.cosine >= UPDATE_COSINE and len(candidate.content) > len(best.memory.content):
        return Verdict(
            Decision.update, f"refines a close memory (cosine {best.cosine:.2f})", best.memory
        )
    return Verdict(Decision.add, f"closest memory too different (cosine {best.cosine:.2f})")
