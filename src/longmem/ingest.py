"""Recording turns and reconciling what is extracted from them."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from longmem.core.reconcile import (
    Advice,
    Neighbour,
    already_recorded,
    decide,
    follow,
    fulfils,
    is_close,
)
from longmem.core.speakers import embedding_text, named
from longmem.core.text import content_terms
from longmem.engine import Engine
from longmem.models import (
    Candidate,
    Decision,
    EventAction,
    MemoryKind,
    MemoryMetadata,
    MemoryRecord,
    MemoryStatus,
    MemoryType,
    ReconcileOutcome,
    TurnResult,
)
from longmem.store.base import StoreTx, Vector

NEIGHBOURS = 8
FULFIL_NEIGHBOURS = 50


@dataclass(frozen=True)
class PreparedTurn:
    turn_number: int
    role: str
    speaker: str | None
    timestamp: datetime
    chunks: list[str]
    candidates: list[Candidate]
    deferred: bool = False  # recorded now, extracted later (the outbox holds it)


def new_id() -> str:
    return uuid.uuid4().hex


def chunk(text: str, size: int) -> list[str]:
    """Split long turns on sentence or word boundaries into pieces of about `size` chars,
    so each piece still embeds within the model's window."""
    if len(text) <= size:
        return [text]
    pieces: list[str] = []
    rest = text
    while len(rest) > size:
        cut = max(rest.rfind(". ", 0, size), rest.rfind("\n", 0, size))
        if cut < size // 2:
            cut = rest.rfind(" ", 0, size)
        if cut <= 0:
            cut = size
        pieces.append(rest[: cut + 1].strip())
        rest = rest[cut + 1 :]
    if rest.strip():
        pieces.append(rest.strip())
    return pieces


def prepare(
    engine: Engine,
    content: str,
    turn_number: int,
    role: str,
    speaker: str | None,
    timestamp: datetime,
    *,
    extract: bool = True,
) -> PreparedTurn:
    threshold = engine.settings.memory_confidence_threshold
    who = named(speaker)
    candidates = (
        [
            c.model_copy(update={"speaker": who})
            for c in engine.extractor.extract(content, role=role, speaker=who)
            if c.confidence >= threshold
        ]
        if extract
        else []
    )
    return PreparedTurn(
        turn_number,
        role,
        speaker,
        timestamp,
        chunk(content, engine.settings.episodic_chunk_chars),
        candidates,
        deferred=not extract,
    )


def texts_to_embed(turns: Sequence[PreparedTurn]) -> list[str]:
    """In the order `write_turns` reads vectors: each turn's chunks, then its candidates."""
    return [
        text
        for turn in turns
        for text in (
            *turn.chunks,
            *(embedding_text(c.content, c.speaker) for c in turn.candidates),
        )
    ]


def write_turns(
    engine: Engine,
    tx: StoreTx,
    user_id: str,
    turns: Sequence[PreparedTurn],
    vectors: Vector,
    advice: Sequence[Advice | None] = (),
) -> list[TurnResult]:
    """Writes prepared turns through an open transaction. `vectors` holds, in order, each
    turn's chunks then its candidates; `advice`, if given, one entry per candidate."""
    results: list[TurnResult] = []
    row = 0
    advised = iter(advice)
    for turn in turns:
        chunk_vectors = vectors[row : row + len(turn.chunks)]
        fact_vectors = vectors[
            row + len(turn.chunks) : row + len(turn.chunks) + len(turn.candidates)
        ]
        row += len(turn.chunks) + len(turn.candidates)
        episodic: list[MemoryRecord] = []
        for index, text in enumerate(turn.chunks):
            record = MemoryRecord(
                memory_id=new_id(),
                tenant_id=engine.tenant_id,
                user_id=user_id,
                kind=MemoryKind.episodic,
                type=None,
                content=text,
                valid_from_turn=turn.turn_number,
                valid_from=turn.timestamp,
                metadata=MemoryMetadata(
                    source_turn=turn.turn_number,
                    created_at=turn.timestamp,
                    updated_at=turn.timestamp,
                    role=turn.role,
                    speaker=turn.speaker,
                    chunk_index=index,
                ),
            )
            tx.insert(record, chunk_vectors[index])
            tx.append_event(
                record, EventAction.create, f"{turn.role} turn recorded", turn.turn_number
            )
            episodic.append(record)
        outcomes = [
            reconcile(
                engine,
                tx,
                user_id,
                candidate,
                fact_vectors[i],
                turn.turn_number,
                turn.timestamp,
                next(advised, None),
            )
            for i, candidate in enumerate(turn.candidates)
        ]
        link_change(engine, tx, user_id, turn, episodic, outcomes, chunk_vectors, fact_vectors)
        if turn.deferred:
            tx.defer_extraction(engine.tenant_id, user_id, turn.turn_number)
        tx.touch_user(engine.tenant_id, user_id, turn.turn_number, 1)
        results.append(
            TurnResult(
                user_id=user_id, turn_number=turn.turn_number, episodic=episodic, outcomes=outcomes
            )
        )
    return results


def semantic_record(
    engine: Engine,
    user_id: str,
    memory_type: MemoryType,
    content: str,
    confidence: float,
    source_turn: int | None,
    at: datetime,
    candidate: Candidate | None = None,
) -> MemoryRecord:
    return MemoryRecord(
        memory_id=new_id(),
        tenant_id=engine.tenant_id,
        user_id=user_id,
        kind=MemoryKind.semantic,
        type=memory_type,
        content=content,
        valid_from_turn=source_turn,
        valid_from=at,
        metadata=MemoryMetadata(
            source_turn=source_turn,
            created_at=at,
            updated_at=at,
            confidence=confidence,
            slot=candidate.slot if candidate else None,
            value=candidate.value if candidate else None,
            negated=candidate.negated if candidate else False,
            speaker=candidate.speaker if candidate else None,
        ),
    )


def mentions(memory: MemoryRecord, phrase: str) -> bool:
    """Whether a memory holds the value a correction names: all its content words appear."""
    wanted = set(content_terms(phrase))
    return bool(wanted) and wanted <= set(content_terms(memory.content))


def neighbours_of(
    reader: StoreTx, engine: Engine, user_id: str, candidate: Candidate, vector: Vector
) -> list[Neighbour]:
    """Active memories about the same person that may conflict: close in meaning, same slot,
    or named as replaced."""
    found = {
        m.memory_id: Neighbour(m, cos)
        for m, cos in reader.semantic_neighbours(engine.tenant_id, user_id, vector, NEIGHBOURS)
    }
    if candidate.slot is not None:
        for m in reader.by_slot(engine.tenant_id, user_id, candidate.slot):
            found.setdefault(m.memory_id, Neighbour(m, 0.0))
    named_terms = frozenset(content_terms(candidate.replaces or ""))
    if named_terms:
        # Only facts holding every word of the named value come back (`mentions`).
        for m, cos in reader.semantic_neighbours(
            engine.tenant_id, user_id, vector, 10_000, containing=named_terms
        ):
            found[m.memory_id] = Neighbour(m, cos, named=True)
    if candidate.completes:
        # The commitment a deed fulfils shares its verb and object, so it is among the
        # nearest memories: no need to read them all for every "I watched a film".
        for m, cos in reader.semantic_neighbours(
            engine.tenant_id, user_id, vector, FULFIL_NEIGHBOURS
        ):
            if fulfils(candidate.completes, m):
                found[m.memory_id] = Neighbour(m, cos, fulfilled=True)
    return [n for n in found.values() if named(n.memory.metadata.speaker) == candidate.speaker]


def advise(
    engine: Engine, user_id: str, candidates: Sequence[Candidate], vectors: Vector
) -> list[Advice | None]:
    """Asks the judge (an LLM), outside any transaction, about candidates with close
    neighbours; the transaction follows the advice only if it still holds."""
    judge = engine.judge
    if judge is None or not candidates:  # the conversation path records turns with none
        return [None] * len(candidates)
    # A short read-only transaction for the neighbours; the LLM is asked after it closes.
    with engine.store.transaction() as tx:
        close = [
            [n for n in neighbours_of(tx, engine, user_id, c, v) if is_close(c, n)]
            for c, v in zip(candidates, vectors, strict=True)
        ]
    return [
        judge.advise(c, near) if near else None for c, near in zip(candidates, close, strict=True)
    ]


def advise_turns(
    engine: Engine, user_id: str, turns: Sequence[PreparedTurn], vectors: Vector
) -> list[Advice | None]:
    """`advise` over prepared turns, whose `vectors` are each turn's chunks then candidates."""
    rows: list[int] = []
    row = 0
    for turn in turns:
        row += len(turn.chunks)
        rows.extend(range(row, row + len(turn.candidates)))
        row += len(turn.candidates)
    candidates = [c for turn in turns for c in turn.candidates]
    return advise(engine, user_id, candidates, vectors[rows])


def outdate_turns(
    engine: Engine,
    tx: StoreTx,
    user_id: str,
    replaced: str,
    turn: int,
    at: datetime,
    speaker: str | None = None,
) -> list[int]:
    """What the user said before stays as said, but is no longer current: its validity ends at
    the correcting turn, which search weighs like a turn whose facts were all superseded.
    Needed where the old value was never extracted as a fact ("Still getting used to
    Rotterdam" before "I finally moved from Rotterdam to Bristol")."""
    outdated: list[int] = []
    for said in tx.turns_mentioning(engine.tenant_id, user_id, content_terms(replaced), turn):
        if not mentions(said, replaced) or named(said.metadata.speaker) != speaker:
            continue  # what another person said of the same thing is theirs
        _outdate(tx, said, turn, at, f"out of date: turn {turn} replaces {replaced!r}")
        if said.metadata.source_turn is not None and said.metadata.source_turn not in outdated:
            outdated.append(said.metadata.source_turn)
    return outdated


def _outdate(tx: StoreTx, said: MemoryRecord, turn: int, at: datetime, reason: str) -> None:
    ended = said.model_copy(
        update={
            "valid_to_turn": turn,
            "valid_to": at,
            "version": said.version + 1,
            "metadata": said.metadata.model_copy(update={"updated_at": at}),
        }
    )
    tx.update(ended)
    tx.append_event(ended, EventAction.update, reason, turn)


def _supersede(
    tx: StoreTx, old: MemoryRecord, by: str, turn: int | None, at: datetime, reason: str
) -> None:
    ended = old.model_copy(
        update={
            "status": MemoryStatus.superseded,
            "superseded_by": by,
            "valid_to_turn": turn,
            "valid_to": at,
            "version": old.version + 1,
            "metadata": old.metadata.model_copy(update={"updated_at": at}),
        }
    )
    tx.update(ended)
    tx.append_event(ended, EventAction.supersede, f"SUPERSEDE: {reason}", turn)


# A statement that marks a change ("I've moved over to a Fairphone") updates the nearest earlier
# statement of the same speaker if they are at least this close in meaning. Measured with
# MiniLM on our development scenarios (tests/fixtures/changes_dev.json): the statement changed
# lies at 0.17-0.73, other turns of the same chats below 0.20 but for one at 0.36.
LINK_COSINE = 0.30
# Failing a close turn, the nearest earlier fact of the speaker, between the two facts: on
# tests/fixtures/changes_dev3.json 0.35 and 0.40 gave 75% newest-first, 0.45 73%, 0.50 72%.
FACT_LINK_COSINE = 0.40
# How many nearest turns are read to find the nearest of the same speaker.
LINK_NEIGHBOURS = 20


def link_change(
    engine: Engine,
    tx: StoreTx,
    user_id: str,
    turn: PreparedTurn,
    episodic: Sequence[MemoryRecord],
    outcomes: Sequence[ReconcileOutcome],
    vectors: Vector,
    fact_vectors: Vector,
) -> int | None:
    """A turn that says something changed, without a correction the extractor understood,
    outdates the nearest earlier statement of the same speaker (by meaning) and supersedes the
    facts drawn from it: search then ranks what is true now above what was. The statement is
    found by the turn's meaning, or else by the changed fact's (`fact_vectors`: a long turn
    about several things is far from every single earlier one). `vectors` are the turn's
    chunks', `fact_vectors` its candidates'. Returns the turn outdated."""
    if not any(c.changes for c in turn.candidates) or any(
        o.outdated_turns or o.decision is Decision.supersede for o in outcomes
    ):
        return None
    speaker = named(turn.speaker)
    changed = [v for c, v in zip(turn.candidates, fact_vectors, strict=True) if c.changes]
    found = _nearest_turn(engine, tx, user_id, turn, vectors, speaker) or _nearest_fact(
        engine, tx, user_id, turn, changed, speaker, {o.memory_id for o in outcomes}
    )
    if found is None:
        return None
    old_turn, cosine = found
    reason = f"turn {turn.turn_number} says it changed (cosine {cosine:.2f})"
    _, facts = _end_turn(engine, tx, user_id, old_turn, turn.turn_number, turn.timestamp, reason)
    by = next((o.memory_id for o in outcomes if o.memory_id), None) or episodic[0].memory_id
    for fact in facts:
        if fact.type in (MemoryType.fact, MemoryType.preference) and (
            named(fact.metadata.speaker) == speaker
        ):
            _supersede(tx, fact, by, turn.turn_number, turn.timestamp, reason)
    return old_turn


def _end_turn(
    engine: Engine, tx: StoreTx, user_id: str, said: int, turn: int, at: datetime, reason: str
) -> tuple[bool, list[MemoryRecord]]:
    """Marks what the user said in turn `said` out of date from `turn` on; returns whether
    any of it was still current, and the active facts drawn from that turn."""
    ended, facts = False, []
    for memory in tx.of_turn(engine.tenant_id, user_id, said):
        if memory.kind is MemoryKind.semantic:
            facts.append(memory)
        elif memory.valid_to_turn is None and memory.metadata.role == "user":
            _outdate(tx, memory, turn, at, f"out of date: {reason}")
            ended = True
    return ended, facts


def _nearest_turn(
    engine: Engine,
    tx: StoreTx,
    user_id: str,
    turn: PreparedTurn,
    vectors: Vector,
    speaker: str | None,
) -> tuple[int, float] | None:
    """The earlier turn of the same speaker nearest any of `vectors`, if close enough."""
    best: tuple[int, float] | None = None
    for vector in vectors:
        for said, cosine in tx.turn_neighbours(
            engine.tenant_id, user_id, vector, turn.turn_number, LINK_NEIGHBOURS
        ):
            if named(said.metadata.speaker) != speaker:
                continue
            number = said.metadata.source_turn
            if number is not None and cosine >= LINK_COSINE and (best is None or cosine > best[1]):
                best = (number, cosine)
            break
    return best


def _nearest_fact(
    engine: Engine,
    tx: StoreTx,
    user_id: str,
    turn: PreparedTurn,
    vectors: Sequence[Vector],
    speaker: str | None,
    own: set[str | None],
) -> tuple[int, float] | None:
    """The turn of the earlier fact of the same speaker nearest a changed fact's vector."""
    best: tuple[int, float] | None = None
    for vector in vectors:
        for fact, cosine in tx.semantic_neighbours(engine.tenant_id, user_id, vector, 10):
            number = fact.metadata.source_turn
            if (
                fact.memory_id in own
                or number is None
                or number >= turn.turn_number
                or named(fact.metadata.speaker) != speaker
                or fact.type not in (MemoryType.fact, MemoryType.preference)
            ):
                continue
            if cosine >= FACT_LINK_COSINE and (best is None or cosine > best[1]):
                best = (number, cosine)
            break
    return best


def reconcile(
    engine: Engine,
    tx: StoreTx,
    user_id: str,
    candidate: Candidate,
    vector: Vector,
    turn: int | None,
    at: datetime,
    advice: Advice | None = None,
) -> ReconcileOutcome:
    """Decides and writes what happens to one candidate; a correction that names the value it
    replaces also marks the user's earlier turns that state that value as out of date."""
    neighbours = neighbours_of(tx, engine, user_id, candidate, vector)
    verdict = (
        already_recorded(candidate, turn, neighbours)
        or (follow(advice, candidate, neighbours) if advice is not None else None)
        or decide(candidate, turn, neighbours)
    )
    target = verdict.target
    outcome = ReconcileOutcome(
        decision=verdict.decision,
        reason=verdict.reason,
        candidate=candidate,
        target_id=target.memory_id if target else None,
    )
    if verdict.decision is Decision.noop:
        outcome.memory_id = target.memory_id if target else None
        return outcome
    if candidate.replaces and turn is not None:
        outcome.outdated_turns = outdate_turns(
            engine, tx, user_id, candidate.replaces, turn, at, candidate.speaker
        )
    if verdict.decision is Decision.merge and target is not None:
        meta = target.metadata.model_copy(
            update={
                "access_count": target.metadata.access_count + 1,
                # Hearing a fact again is evidence: confidence moves halfway to the new one, up.
                "confidence": min(
                    1.0, max(target.metadata.confidence, (target.metadata.confidence + 1.0) / 2)
                ),
                "last_accessed_turn": turn,
                "updated_at": at,
            }
        )
        merged = target.model_copy(update={"metadata": meta, "version": target.version + 1})
        tx.update(merged)
        tx.append_event(merged, EventAction.merge, f"MERGE: {verdict.reason}", turn)
        outcome.memory_id = merged.memory_id
        return outcome
    if verdict.decision is Decision.update and target is not None:
        meta = target.metadata.model_copy(
            update={
                "confidence": max(target.metadata.confidence, candidate.confidence),
                "source_turn": turn,
                "updated_at": at,
                "slot": candidate.slot or target.metadata.slot,
                "value": candidate.value or target.metadata.value,
            }
        )
        updated = target.model_copy(
            update={"content": candidate.content, "metadata": meta, "version": target.version + 1}
        )
        tx.update(updated, vector)
        tx.append_event(updated, EventAction.update, f"UPDATE: {verdict.reason}", turn)
        outcome.memory_id = updated.memory_id
        return outcome

    created = semantic_record(
        engine,
        user_id,
        candidate.type,
        candidate.content,
        candidate.confidence,
        turn,
        at,
        candidate,
    )
    tx.insert(created, vector)
    tx.append_event(
        created, EventAction.create, f"{verdict.decision.value}: {verdict.reason}", turn
    )
    outcome.memory_id = created.memory_id
    if verdict.decision is Decision.supersede and target is not None:
        _supersede(tx, target, created.memory_id, turn, at, verdict.reason)
        said = target.metadata.source_turn
        if turn is not None and said is not None and said < turn and not outcome.outdated_turns:
            # the turn that said the old value is out of date too: search then ranks the
            # turn that replaced it just above it
            ended, _ = _end_turn(engine, tx, user_id, said, turn, at, verdict.reason)
            outcome.outdated_turns = [said] if ended else []
    return outcome
