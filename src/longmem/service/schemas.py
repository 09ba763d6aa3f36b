"""Request and response bodies of the HTTP API. Numbers and booleans are strict: `false` is
not a confidence of 0 nor `0` a `stream` flag (JSON says what it means)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from longmem.models import MemoryKind, MemoryStatus, MemoryType, SearchHit, TurnIn

UserId = Field(min_length=1, max_length=256)


class ConversationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    user_id: str = UserId
    turn_number: int | None = Field(default=None, ge=0, strict=True)
    message: str = Field(min_length=1)
    include_memories: bool = Field(default=True, strict=True)
    stream: bool = Field(default=False, strict=True)  # reply as server-sent events


class ConversationOut(BaseModel):
    user_id: str
    turn_number: int
    reply: str | None
    reply_error: str | None = None
    memories: list[SearchHit]
    context: str
    context_tokens: int
    retrieval_ms: float
    retrieval_timed_out: bool
    extraction: str  # "queued"


class MemoryIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    user_id: str = UserId
    type: MemoryType
    content: str = Field(min_length=1)
    source_turn: int | None = Field(default=None, ge=0, strict=True)
    confidence: float = Field(default=1.0, ge=0.0, le=1.0, strict=True)


class MemoryPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    content: str | None = Field(default=None, min_length=1)
    type: MemoryType | None = None
    confidence: float | None = Field(default=None, ge=0.0, le=1.0, strict=True)


class SearchIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    query: str = Field(min_length=1)
    top_k: int = Field(default=10, ge=1, le=200, strict=True)
    current_turn: int | None = Field(default=None, ge=0, strict=True)
    types: list[MemoryType] | None = None
    kinds: list[MemoryKind] | None = None
    min_relevance: float | None = Field(
        default=None,
        ge=0,
        le=1,
        strict=True,
        description="Drop hits whose calibrated relevance is below this (default: none).",
    )


class SearchOut(BaseModel):
    user_id: str
    query: str
    results: list[SearchHit]
    retrieval_ms: float


class TurnsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    user_id: str = UserId
    turns: list[TurnIn] = Field(min_length=1, max_length=10_000)
    wait: bool = Field(default=False, strict=True)


class TurnsOut(BaseModel):
    user_id: str
    recorded: int
    first_turn: int
    last_turn: int
    extraction: str  # "done" | "queued"
    created: int = 0


class ListFilters(BaseModel):
    kinds: list[MemoryKind] | None = None
    types: list[MemoryType] | None = None
    statuses: list[MemoryStatus] | None = None


class ErrorDetail(BaseModel):
    code: str
    message: str


class ErrorOut(BaseModel):
    """Every error the API returns: `{"error": {"code", "message"}}`."""

    error: ErrorDetail


# Documented on every /api/v1 operation: the statuses the error handlers can return.
ERROR_RESPONSES: dict[int | str, dict[str, object]] = {
    status: {"model": ErrorOut, "description": description}
    for status, description in (
        (400, "The body is not valid JSON"),
        (401, "No API key"),
        (403, "Unknown API key"),
        (404, "No such user, memory or version for this tenant"),
        (409, "The memory changed meanwhile"),
        (413, "Body or content too large"),
        (422, "A field is invalid; the message names it"),
        (503, "The store or the embedder is unavailable"),
    )
}
