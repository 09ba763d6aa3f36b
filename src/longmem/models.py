"""Typed records at longmem's edges: what callers pass in and get back."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class MemoryType(StrEnum):
    preference = "preference"
    fact = "fact"
    commitment = "commitment"
    instruction = "instruction"
    entity = "entity"


class MemoryKind(StrEnum):
    episodic = "episodic"  # a turn (or a chunk of one) as it was said
    semantic = "semantic"  # an extracted, typed, deduplicated statement


class MemoryStatus(StrEnum):
    active = "active"
    superseded = "superseded"
    deleted = "deleted"


class EventAction(StrEnum):
    create = "create"
    update = "update"
    supersede = "supersede"
    merge = "merge"
    decay = "decay"
    delete = "delete"
    restore = "restore"
    access = "access"


class Decision(StrEnum):
    add = "ADD"
    update = "UPDATE"
    supersede = "SUPERSEDE"
    merge = "MERGE"
    noop = "NOOP"


class MemoryMetadata(BaseModel):
    model_config = ConfigDict(extra="forbid")

    source_turn: int | None = None
    created_at: datetime
    updated_at: datetime
    last_accessed: datetime | None = None
    last_accessed_turn: int | None = None
    access_count: int = 0
    confidence: float = 1.0
    decay_score: float = 1.0
    role: str | None = None
    speaker: str | None = None
    slot: str | None = None
    value: str | None = None
    negated: bool = False
    chunk_index: int = 0


class MemoryRecord(BaseModel):
    """One memory. `type` is set for semantic memories; episodic ones carry a turn."""

    memory_id: str
    tenant_id: str = "default"
    user_id: str
    kind: MemoryKind
    type: MemoryType | None
    content: str
    status: MemoryStatus = MemoryStatus.active
    superseded_by: str | None = None
    valid_from_turn: int | None = None
    valid_to_turn: int | None = None
    valid_from: datetime | None = None
    valid_to: datetime | None = None
    version: int = 1
    metadata: MemoryMetadata


class MemoryEvent(BaseModel):
    """One entry of a memory's append-only history."""

    event_id: int
    memory_id: str
    user_id: str
    version: int
    action: EventAction
    reason: str
    turn: int | None = None
    created_at: datetime
    snapshot: dict[str, Any]


class Candidate(BaseModel):
    """A statement an extractor believes is worth remembering."""

    type: MemoryType
    content: str
    confidence: float = Field(ge=0.0, le=1.0)
    slot: str | None = None  # e.g. "home", "job", "pref:coffee"
    value: str | None = None  # the slot's value, e.g. "Berlin"
    negated: bool = False  # "I don't like X" / "I no longer ..."
    replaces: str | None = None  # the old value a correction names: "instead of Ruby" -> "Ruby"
    # a deed that may fulfil a commitment, as verb lemma and object: "I sent the report" ->
    # "send report"
    completes: str | None = None
    # nothing but such a report ("I watched a film"): kept only if it fulfils a commitment
    completion_only: bool = False
    source_text: str = ""
    # says the speaker's state changed without naming the value replaced ("I've moved over to
    # a Fairphone"): ingest finds the statement it changes by meaning
    changes: bool = False
    # whom it is about: the named speaker of the turn, None for the user of a one-to-one chat.
    # Slots are per person: Melanie's new job never supersedes Caroline's.
    speaker: str | None = None


class ReconcileOutcome(BaseModel):
    """What reconciliation did with one candidate."""

    decision: Decision
    reason: str
    candidate: Candidate
    memory_id: str | None = None  # the memory created or changed
    target_id: str | None = None  # the existing memory it was compared with
    # earlier turns of the user that a correction made out of date ("I moved from Rotterdam")
    outdated_turns: list[int] = Field(default_factory=list)


class TurnResult(BaseModel):
    user_id: str
    turn_number: int
    episodic: list[MemoryRecord]
    outcomes: list[ReconcileOutcome] = Field(default_factory=list)

    def _ids(self, *decisions: Decision) -> list[str]:
        return [o.memory_id for o in self.outcomes if o.decision in decisions and o.memory_id]

    @property
    def created(self) -> list[str]:
        return self._ids(Decision.add, Decision.supersede)

    @property
    def updated(self) -> list[str]:
        return self._ids(Decision.update, Decision.merge)

    @property
    def superseded(self) -> list[str]:
        return [
            o.target_id
            for o in self.outcomes
            if o.decision == Decision.supersede and o.target_id is not None
        ]


class TurnIn(BaseModel):
    """One turn of an imported history."""

    content: str
    turn_number: int | None = None
    role: str = "user"
    speaker: str | None = None
    timestamp: datetime | None = None


class ScoreParts(BaseModel):
    semantic: float
    dense: float
    lexical: float
    recency: float
    access: float
    confidence: float
    relevance: float


class SearchHit(BaseModel):
    memory: MemoryRecord
    score: float
    parts: ScoreParts
    # An episodic turn that a later correction made out of date, or whose facts were all
    # superseded: what the user said then, not what is true now.
    outdated: bool = False


class ContextBlock(BaseModel):
    text: str
    tokens: int
    memories: list[SearchHit]


class UserStats(BaseModel):
    user_id: str
    total: int
    by_type: dict[str, int]
    by_kind: dict[str, int]
    by_status: dict[str, int]
    turns_seen: int
    hot: int
    cold: int
    storage_bytes: int
    last_optimize: datetime | None


class OptimizeReport(BaseModel):
    user_id: str
    current_turn: int
    decayed: int
    merged: list[tuple[str, str]]  # (kept, absorbed)
    removed: list[str]
    elapsed_ms: float


class Page(BaseModel):
    items: list[MemoryRecord]
    next_cursor: str | None


class ExportedMemory(BaseModel):
    """One line of `longmem export`: a memory and its history."""

    memory: MemoryRecord
    history: list[MemoryEvent]
