"""Hybrid retrieval: dense and lexical candidates, relevance evidence, composite ranking."""

from __future__ import annotations

from datetime import datetime

from longmem.core import query as q
from longmem.core.scoring import (
    Evidence,
    access_frequency,
    admission,
    composite,
    disclosure,
    recency,
    relevance,
)
from longmem.core.text import content_terms
from longmem.engine import Engine
from longmem.models import MemoryKind, MemoryRecord, MemoryStatus, ScoreParts, SearchHit
from longmem.store.base import MemoryFilter, Vector

# Candidates per retriever: wide enough that a planted fact ranked low by one retriever still
# reaches scoring through the other (measured: recall@10 stops rising past ~40).
CANDIDATES = 50
# A turn whose every extracted fact has been superseded ("I live in Paris" after the move to
# Berlin), or that a later correction made out of date, is what the user said then, not what
# is true now: it keeps half its relevance, and comes back only on its own evidence (the
# floor), never as a companion of another answer, where it would read as current.
STALE_TURN_FACTOR = 0.5


def _age_days(memory: MemoryRecord, at: datetime) -> float:
    seen = memory.metadata.last_accessed or memory.valid_from or memory.metadata.created_at
    return max(0.0, (at - seen).total_seconds() / 86400.0)


def _corrections(
    engine: Engine,
    user_id: str,
    candidates: list[MemoryRecord],
    vector: Vector,
    dense: dict[str, float],
) -> dict[str, list[str]]:
    """For each out-of-date turn among the candidates, the chunks of the turn that corrected
    it (`valid_to_turn`), following chains of corrections; the chunks are added to
    `candidates` and `dense`: what is true now comes with what was."""
    store, tenant = engine.store, engine.tenant_id
    found: dict[str, list[str]] = {}
    by_turn: dict[int, list[MemoryRecord]] = {}
    pending = list(candidates)
    while pending:
        memory = pending.pop()
        turn = memory.valid_to_turn
        if memory.kind is not MemoryKind.episodic or turn is None:
            continue
        if turn not in by_turn:
            by_turn[turn] = [
                f
                for f in store.turn_chunks(tenant, user_id, turn)
                if f.status is MemoryStatus.active and f.metadata.role == "user"
            ]
            new = [f for f in by_turn[turn] if f.memory_id not in dense]
            if new:
                dense.update(store.cosines(tenant, user_id, vector, [f.memory_id for f in new]))
                candidates.extend(new)
                pending.extend(new)
        found[memory.memory_id] = [f.memory_id for f in by_turn[turn]]
    return found


def _inherit(relevances: dict[str, float], corrections: dict[str, list[str]]) -> None:
    """The turn that corrected another answers whatever that one answered, down a chain of
    corrections (Paris -> Berlin -> Rome). Values only rise, to values already present."""
    changed = True
    while changed:
        changed = False
        for old, fixes in corrections.items():
            for fix in fixes:
                if relevances.get(fix, 1.0) < relevances.get(old, 0.0):
                    relevances[fix] = relevances[old]
                    changed = True


def search(
    engine: Engine,
    user_id: str,
    text: str,
    *,
    top_k: int,
    current_turn: int,
    flt: MemoryFilter,
    at: datetime,
    floor: float | None = None,
) -> list[SearchHit]:
    store, tenant = engine.store, engine.tenant_id
    vector = engine.embed_query(user_id, text)
    analysis = q.analyse(text)
    dense = dict(store.dense_search(tenant, user_id, vector, CANDIDATES, flt))
    lexical = store.lexical_search(tenant, user_id, analysis.terms, CANDIDATES, flt)
    # Third retriever: extracted facts in the slot the question asks about, however the two
    # are worded ("what should I avoid ordering?" -> the allergy).
    slotted = [m for m, slot in store.slots(tenant, user_id) if analysis.slot_matches(slot)]
    if flt.kinds is not None and MemoryKind.semantic not in flt.kinds:
        slotted = []
    missing = [m for m in (*(m for m, _ in lexical), *slotted) if m not in dense]
    if missing:
        dense.update(store.cosines(tenant, user_id, vector, missing))
    if not dense:
        return []
    df, n_docs = store.document_frequencies(tenant, user_id, analysis.terms)
    weights = q.term_weights(analysis.terms, df, n_docs)
    settings = engine.settings
    floor = settings.relevance_floor if floor is None else floor
    stale = store.stale_turns(tenant, user_id)
    candidates = engine.records(user_id, list(dense))
    corrections = _corrections(engine, user_id, candidates, vector, dense)
    judged: list[tuple[MemoryRecord, Evidence, float, bool]] = []
    for memory in candidates:
        if (flt.types is not None and memory.type not in flt.types) or (
            flt.kinds is not None and memory.kind not in flt.kinds
        ):
            continue
        evidence = Evidence(
            dense=dense[memory.memory_id],
            coverage=q.coverage(weights, frozenset(content_terms(memory.content))),
            slot_match=memory.kind is MemoryKind.semantic
            and analysis.slot_matches(memory.metadata.slot),
            disclosure=disclosure(
                memory.kind.value, memory.metadata.role, memory.content, analysis.about_replies
            ),
        )
        outdated = memory.kind is MemoryKind.episodic and (
            memory.metadata.source_turn in stale or memory.valid_to_turn is not None
        )
        judged.append((memory, evidence, relevance(evidence), outdated))
    own = {memory.memory_id: rel for memory, _, rel, _ in judged}
    _inherit(own, corrections)
    judged = [
        (memory, evidence, own[memory.memory_id] * (STALE_TURN_FACTOR if old else 1.0), old)
        for memory, evidence, _, old in judged
    ]
    cut = admission(max((rel for _, _, rel, _ in judged), default=0.0), floor)
    if cut is None:
        return []
    hits: list[SearchHit] = []
    for memory, evidence, rel, outdated in judged:
        if rel < (floor if outdated else cut):
            continue
        last_turn = max(
            t
            for t in (memory.metadata.source_turn, memory.metadata.last_accessed_turn, 0)
            if t is not None
        )
        rec = recency(
            current_turn - last_turn,
            _age_days(memory, at),
            settings.memory_decay_turns,
            settings.memory_decay_days,
        )
        acc = access_frequency(memory.metadata.access_count)
        conf = memory.metadata.confidence
        hits.append(
            SearchHit(
                memory=memory,
                score=composite(engine.weights, rel, rec, acc, conf),
                parts=ScoreParts(
                    semantic=rel,
                    dense=evidence.dense,
                    lexical=evidence.coverage,
                    recency=rec,
                    access=acc,
                    confidence=conf,
                    relevance=rel,
                ),
                outdated=outdated,
            )
        )
    hits.sort(key=lambda h: h.score, reverse=True)
    return hits[:top_k]
