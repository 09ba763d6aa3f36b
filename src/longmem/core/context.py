"""Builds the memory block that goes into an LLM prompt, within a token budget."""

from __future__ import annotations

from collections.abc import Callable, Sequence

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
    never said by its best evidence: below the floor, nothing enters. Above it, every hit
    with any evidence at all enters in its rank: the answer is often not the best-matching
    memory. On REALTALK the evidence of an answered question sits as low as 6th-14th among the
    hits, at relevance 0.007-0.10; a second floor for the other hits (0.10 until this release)
    kept 7 of the 546 answerable questions' evidence out of the prompt, for 15.5 memories in it
    on average against 19.5 now. A hit with no evidence (relevance 0: no word of the question,
    a cosine MiniLM gives unrelated texts) stays out. An out-of-date turn enters on the same
    terms: its line says it was replaced, so it cannot read as current, and in a chat between
    friends what someone did then is the answer to "when did ...?" however often their plans
    changed since."""
    if max((h.parts.relevance for h in ranked), default=0.0) < floor:
        return []
    return [h for h in ranked if h.parts.relevance > 0.0]


def build_context(
    standing: Sequence[SearchHit],
    ranked: Sequence[SearchHit],
    max_tokens: int,
    count_tokens: Callable[[str], int],
) -> tuple[str, list[SearchHit]]:
    """Standing memories first (instructions, and facts in STANDING_SLOTS: they apply to every
    reply), then ranked hits in order.
    A turn whose extracted fact is among them gives its place to the fact: the fact says it
    shorter, and ranked by the turn it leads ("moved to Bristol" before anything said of
    Rotterdam) however low it ranks itself.
    Stops at the first line that would not fit, so the most relevant memories win."""
    lines: list[str] = []
    used: list[SearchHit] = []
    facts_of: dict[int, list[SearchHit]] = {}
    for hit in [*standing, *ranked]:
        turn = hit.memory.metadata.source_turn
        if hit.memory.kind is MemoryKind.semantic and turn is not None:
            facts_of.setdefault(turn, []).append(hit)
    candidates: list[SearchHit] = []
    for hit in [*standing, *ranked]:
        turn = hit.memory.metadata.source_turn
        if hit.memory.kind is MemoryKind.episodic and turn in facts_of:
            candidates.extend(facts_of[turn])
        else:
            candidates.append(hit)
    seen: set[str] = set()
    budget = max_tokens - count_tokens(HEADER)
    for hit in candidates:
        memory = hit.memory
        if memory.memory_id in seen:
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
