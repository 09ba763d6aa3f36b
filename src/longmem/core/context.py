"""Builds the memory block that goes into an LLM prompt, within a token budget."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from longmem.core.scoring import admission
from longmem.models import MemoryKind, SearchHit

HEADER = "Known about the user (from earlier turns; newest facts win):"
# Facts that constrain any recommendation whatever the question names: an allergy or a diet
# bears on "what should I cook tonight?", which shares no word with "allergic to shellfish".
# They go into every context with the standing instructions.
STANDING_SLOTS = ("allergy", "diet", "diet:avoid")


def _line(hit: SearchHit) -> str:
    memory = hit.memory
    turn = memory.metadata.source_turn
    where = f" (turn {turn})" if turn is not None else ""
    if memory.kind is MemoryKind.semantic:
        return f"- [{memory.type}] {memory.content}{where}"
    speaker = memory.metadata.speaker or memory.metadata.role or "user"
    if hit.outdated:
        # Said then, no longer true: the model must not read it as current.
        where = f" (turn {turn}, since replaced)" if turn is not None else " (since replaced)"
    return f'- [{speaker} said{where}] "{memory.content}"'


def recalled(hits: Sequence[SearchHit]) -> list[SearchHit]:
    """The hits of a context block that its message recalled, not the standing memories that
    go into every block (those carry no dense or lexical evidence)."""
    return [h for h in hits if h.parts.dense or h.parts.lexical]


def gate(ranked: Sequence[SearchHit], floor: float) -> list[SearchHit]:
    """What of a search may enter a prompt. A question is told apart from one about something
    never said by its best evidence: below the floor, nothing enters. Above it, the other hits
    join from the companion floor (the answer is often not the best-matching memory). An
    out-of-date turn joins on the same terms: its relevance is already discounted for being
    out of date, and its line says it was replaced, so it cannot read as current. Holding such
    turns to the full floor kept the evidence of 4% of REALTALK's answerable questions out of
    the prompt: in a chat between friends, what someone did then is the answer to "when did
    ...?" however often their plans changed since."""
    cut = admission(max((h.parts.relevance for h in ranked), default=0.0), floor)
    if cut is None:
        return []
    return [h for h in ranked if h.parts.relevance >= cut]


def build_context(
    standing: Sequence[SearchHit],
    ranked: Sequence[SearchHit],
    max_tokens: int,
    count_tokens: Callable[[str], int],
) -> tuple[str, list[SearchHit]]:
    """Standing memories first (instructions, and facts in STANDING_SLOTS: they apply to every
    reply), then ranked hits in order.
    A turn whose extracted fact is already included is skipped: the fact says it shorter.
    Stops at the first line that would not fit, so the most relevant memories win."""
    lines: list[str] = []
    used: list[SearchHit] = []
    seen: set[str] = set()
    candidates = [*standing, *ranked]
    covered_turns = {
        h.memory.metadata.source_turn
        for h in candidates
        if h.memory.kind is MemoryKind.semantic and h.memory.metadata.source_turn is not None
    }
    budget = max_tokens - count_tokens(HEADER)
    for hit in candidates:
        memory = hit.memory
        if memory.memory_id in seen:
            continue
        turn = memory.metadata.source_turn
        if memory.kind is MemoryKind.episodic and turn in covered_turns:
            continue
        line = _line(hit)
        cost = count_tokens(line)
        if cost > budget:
            break
        budget -= cost
        lines.append(line)
        used.append(hit)
        seen.add(memory.memory_id)
    if not lines:
        return "", []
    return "\n".join([HEADER, *lines]), used
