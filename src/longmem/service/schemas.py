"""Request and response bodies of the HTTP API. Numbers and booleans are strict: `false` is
not a confidence of 0 nor `0` a `stream` flag (JSON says what it means). A whole number
written `3.0` is the integer 3, as JSON Schema reads it.

What the store and `longmem.validation` check is said here too, so that the OpenAPI document
describes every input the service accepts and no other: user ids (1-256 printable characters,
the `UserId` component), text that is more than whitespace, at most MAX_CONTENT_CHARS of it
(`complete_openapi` writes the configured limit), turn numbers that fit the stores' columns."""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Callable, Iterator
from datetime import datetime
from functools import cache
from typing import Annotated, Any, Literal

from fastapi import Path
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    field_validator,
    model_validator,
)
from pydantic.json_schema import SkipJsonSchema

from longmem import models
from longmem.models import MemoryKind, MemoryStatus, MemoryType, SearchHit
from longmem.validation import MAX_ID_CHARS

# Turn numbers and versions are `integer` columns in PostgreSQL: the largest both stores keep.
MAX_TURN = 2**31 - 1


def _ranges(member: Callable[[str], bool]) -> Iterator[tuple[int, int]]:
    start = None
    for code in range(sys.maxunicode + 2):
        inside = code <= sys.maxunicode and not 0xD800 <= code <= 0xDFFF and member(chr(code))
        if inside and start is None:
            start = code
        elif not inside and start is not None:
            yield start, code - 1
            start = None


def _char(code: int) -> str:
    # `\uXXXX` reads alike in ECMA-262, Python and Rust regular expressions; above the BMP no
    # escape does, the character itself does. Surrogates are left out: no UTF-8 text holds one.
    return f"\\u{code:04X}" if code <= 0xFFFF else chr(code)


def _char_class(member: Callable[[str], bool]) -> str:
    """The body of a regex character class of every character for which `member` holds."""
    return "".join(
        _char(low) if low == high else f"{_char(low)}-{_char(high)}"
        for low, high in _ranges(member)
    )


@cache
def user_id_schema() -> dict[str, Any]:
    """The `UserId` component: `validation.user_id`'s rule (`str.isprintable`, not only spaces)
    as a pattern. Listed as what is allowed: a negated class would list a million unassigned
    code points, and test-data generators (hypothesis) build the set of characters it names."""
    printable = _char_class(str.isprintable)
    printable_not_space = _char_class(lambda c: c.isprintable() and c != " ")
    return {
        "type": "string",
        "title": "User Id",
        "minLength": 1,
        "maxLength": MAX_ID_CHARS,
        "pattern": f"^ *[{printable_not_space}][{printable}]*$",
        "description": (
            f"1 to {MAX_ID_CHARS} printable characters, not all spaces: no control, format, "
            "private-use or unassigned character, and no separator but the space (Python's "
            f"`str.isprintable`, Unicode {unicodedata.unidata_version}). A user id holding '/' "
            "cannot be named in a URL path."
        ),
    }


@cache
def not_blank() -> str:
    """A pattern of text with something besides what `str.strip()` removes (searched)."""
    return f"[^{_char_class(str.isspace)}]"


# Marks a user id; `complete_openapi` makes it a reference to the one `UserId` component.
_USER_ID = "x-user-id"
# Marks text: not blank, at most MAX_CONTENT_CHARS (`complete_openapi` writes both).
_TEXT = "x-text"
TEXT_SCHEMA: dict[str, Any] = {_TEXT: True}


def _whole_number(value: object) -> object:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


UserId = Annotated[
    str, Field(min_length=1, max_length=MAX_ID_CHARS, json_schema_extra={_USER_ID: True})
]
# A user id in a path: `validation.user_id` checks it, with its own messages.
UserIdPath = Annotated[str, Path(json_schema_extra={_USER_ID: True})]
Text = Annotated[str, Field(min_length=1, json_schema_extra=TEXT_SCHEMA)]
TurnNumber = Annotated[int, Strict(), Field(ge=0, le=MAX_TURN), BeforeValidator(_whole_number)]
TopK = Annotated[int, Strict(), Field(ge=1, le=200), BeforeValidator(_whole_number)]
Confidence = Annotated[float, Field(ge=0.0, le=1.0, strict=True)]
Tokens = Annotated[int, Strict(), Field(ge=1, le=100_000), BeforeValidator(_whole_number)]


class ConversationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    user_id: UserId
    turn_number: TurnNumber | None = None
    message: Text
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


# The events of `stream: true`, documented beside the JSON reply of POST /conversation. Before
# OpenAPI 3.2 (`itemSchema`), the schema of an event stream describes one event.
CONVERSATION_STREAM: dict[int | str, dict[str, Any]] = {
    200: {
        "description": (
            "The turn's memories (JSON); with `stream: true`, server-sent events instead: "
            "`memories` (a ConversationOut), one `delta` ({text}) per piece of the reply, "
            "`error` ({code, message}) if the LLM fails, then `done` ({reply})."
        ),
        "content": {
            "text/event-stream": {
                "schema": {
                    "type": "object",
                    "title": "ConversationEvent",
                    "required": ["event", "data"],
                    "properties": {
                        "event": {
                            "type": "string",
                            "enum": ["memories", "delta", "error", "done"],
                        },
                        "data": {
                            "type": "string",
                            "contentMediaType": "application/json",
                            "description": "memories: a ConversationOut; delta: {text}; "
                            "error: {code, message}; done: {reply}",
                        },
                    },
                }
            }
        },
    }
}


class MemoryIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    user_id: UserId
    type: MemoryType
    content: Text
    source_turn: TurnNumber | None = None
    confidence: Confidence = 1.0


def _patch_schema(schema: dict[str, Any]) -> None:
    # A field left out is kept; null is no value (refused): no default of null to advertise.
    for field in schema.get("properties", {}).values():
        field.pop("default", None)
    schema["minProperties"] = 1


class MemoryPatch(BaseModel):
    """What to change; at least one field. A field left out keeps its value."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=_patch_schema)

    content: Text | SkipJsonSchema[None] = None
    type: MemoryType | SkipJsonSchema[None] = None
    confidence: Confidence | SkipJsonSchema[None] = None

    @field_validator("content", "type", "confidence", mode="before")
    @classmethod
    def _not_null(cls, value: object) -> object:
        if value is None:
            raise ValueError("null is not a value: leave the field out to keep it")
        return value

    @model_validator(mode="after")
    def _something_to_change(self) -> MemoryPatch:
        if not self.model_fields_set:
            raise ValueError("nothing to change: give content, type or confidence")
        return self


class SearchIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    query: Text
    top_k: TopK = 10
    current_turn: TurnNumber | None = None
    types: list[MemoryType] | None = None
    kinds: list[MemoryKind] | None = None
    min_relevance: Confidence | None = Field(
        default=None,
        description="Drop hits whose calibrated relevance is below this (default: none).",
    )


class ContextIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    message: Text
    current_turn: TurnNumber | None = None
    max_tokens: (
        Annotated[int, Strict(), Field(ge=1, le=100_000), BeforeValidator(_whole_number)] | None
    ) = Field(default=None, description="Budget of the block (default MAX_CONTEXT_TOKENS).")


class SearchOut(BaseModel):
    user_id: str
    query: str
    results: list[SearchHit]
    retrieval_ms: float


_DATE_AND_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}")


def _date_and_time(value: object) -> object:
    # not seconds since 1970 nor a bare date, which the lax datetime parser would take
    if not (isinstance(value, str) and _DATE_AND_TIME.match(value)):
        raise ValueError("expected an ISO 8601 date and time, e.g. 2024-05-01T09:30:00Z")
    return value


# ISO 8601 date and time; one without an offset is UTC.
Moment = Annotated[datetime, BeforeValidator(_date_and_time)]


class TurnIn(models.TurnIn):
    """One turn of an imported history, as the API takes it: the library's `TurnIn` with
    what `Memory.add_turns` checks said in its schema."""

    content: Text
    turn_number: TurnNumber | None = None
    role: Literal["user", "assistant", "system"] = "user"
    timestamp: Moment | None = Field(
        default=None, description="ISO 8601 date and time; one without an offset is UTC."
    )


class TurnsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    user_id: UserId
    turns: list[TurnIn] = Field(min_length=1, max_length=10_000)
    wait: bool = Field(default=False, strict=True)
    results: bool = Field(
        default=False,
        strict=True,
        description="Answer with each turn's result (its records and, with `wait`, the"
        " decisions of its extraction), as `Memory.add_turns` returns them.",
    )


class TurnsOut(BaseModel):
    user_id: str
    recorded: int
    first_turn: int
    last_turn: int
    extraction: str  # "done" | "queued"
    created: int = 0
    results: list[models.TurnResult] | None = None


# An import's lines are the library's own models, with what the stores take said in the
# schema: ids and text that are not empty, turns and counts that fit an `integer` column.
MemoryId = Annotated[str, Field(min_length=1, max_length=MAX_ID_CHARS)]
Count = Annotated[int, Strict(), Field(ge=0, le=MAX_TURN), BeforeValidator(_whole_number)]
Version = Annotated[int, Strict(), Field(ge=1, le=MAX_TURN), BeforeValidator(_whole_number)]
Score = Annotated[float, Field(ge=0.0, strict=True, allow_inf_nan=False)]


class ImportedMetadata(models.MemoryMetadata):
    source_turn: TurnNumber | None = None
    created_at: Moment
    updated_at: Moment
    last_accessed: Moment | None = None
    last_accessed_turn: TurnNumber | None = None
    access_count: Count = 0
    confidence: Confidence = 1.0
    decay_score: Score = 1.0
    chunk_index: Count = 0
    negated: Annotated[bool, Strict()] = False


class ImportedRecord(models.MemoryRecord):
    model_config = ConfigDict(extra="forbid")

    memory_id: MemoryId
    user_id: UserId
    content: Annotated[str, Field(min_length=1)]
    superseded_by: MemoryId | None = None
    valid_from_turn: TurnNumber | None = None
    valid_to_turn: TurnNumber | None = None
    valid_from: Moment | None = None
    valid_to: Moment | None = None
    version: Version = 1
    metadata: ImportedMetadata


class ImportedEvent(models.MemoryEvent):
    model_config = ConfigDict(extra="forbid")

    event_id: Annotated[int, Strict()]
    memory_id: MemoryId
    user_id: UserId
    version: Version
    turn: TurnNumber | None = None
    created_at: Moment


class ImportedMemory(BaseModel):
    """One line of an export. Its history must be its own memory's (422 otherwise), which
    this schema cannot say."""

    model_config = ConfigDict(extra="forbid")

    memory: ImportedRecord
    history: list[ImportedEvent]

    def exported(self) -> models.ExportedMemory:
        history: list[models.MemoryEvent] = list(self.history)
        return models.ExportedMemory(memory=self.memory, history=history)


class ImportIn(BaseModel):
    """Lines of an export (`GET /memories/{user_id}/export`, `longmem export`)."""

    model_config = ConfigDict(extra="forbid")

    # A thousand lines of an export are about a megabyte, the default MAX_REQUEST_BYTES.
    items: list[ImportedMemory] = Field(min_length=1, max_length=1_000)


class ImportOut(BaseModel):
    imported: int
    skipped: int = Field(description="Memories the user already holds under the same id.")


class UsersOut(BaseModel):
    users: list[str] = Field(description="The tenant's user ids holding memories, sorted.")


class ScoreWeights(BaseModel):
    """Normalised (they sum to 1): a hit's `score` is the weighted sum of its parts of these
    names."""

    relevance: float
    recency: float
    access: float
    confidence: float


class ScoringOut(BaseModel):
    weights: ScoreWeights
    comparable: float = Field(
        description=(
            "Search ranks hits by `parts.semantic` (the match); hits within this of the next "
            "better one are ordered by their score without its access part instead."
        )
    )


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


def complete_openapi(spec: dict[str, Any], *, max_content_chars: int, keys: bool) -> dict[str, Any]:
    """What the generated document cannot say by itself: the `UserId` component, the text
    limit this service was configured with, no API key when none is configured; and tuples of
    one type spelled with `items` (schemathesis misreads `prefixItems`, its issues 3842/4099)."""
    components = spec.setdefault("components", {})
    components.setdefault("schemas", {})["UserId"] = dict(user_id_schema())
    if not keys:  # an open service asks no key
        components.pop("securitySchemes", None)
    for operations in spec.get("paths", {}).values():
        for operation in operations.values():
            if isinstance(operation, dict) and "security" in operation:
                if keys:  # once each: an operation's `openapi_extra` adds to what FastAPI lists
                    once: list[Any] = []
                    for requirement in operation["security"]:
                        if requirement not in once:
                            once.append(requirement)
                    operation["security"] = once
                else:
                    del operation["security"]
    _link_memories(spec.get("paths", {}))
    _rewrite(spec, max_content_chars)
    return spec


# Where a response that names one memory leads (OpenAPI links, for clients and for testers that
# chain calls): the memory read, edited, deleted, its history, a rollback to its first version.
_MEMORY = "/api/v1/memories/{user_id}/{memory_id}"
_NEXT = {
    "GetMemory": (_MEMORY, "get", {}),
    "EditMemory": (_MEMORY, "patch", {}),
    "DeleteMemory": (_MEMORY, "delete", {}),
    "MemoryHistory": (f"{_MEMORY}/history", "get", {}),
    "RollBackToFirstVersion": (f"{_MEMORY}/rollback", "post", {"version": 1}),
}
_NAMING_A_MEMORY = [
    ("/api/v1/memories", "post", "201"),
    (_MEMORY, "get", "200"),
    (_MEMORY, "patch", "200"),
    (_MEMORY, "delete", "200"),
    (f"{_MEMORY}/rollback", "post", "200"),
]


def _link_memories(paths: dict[str, Any]) -> None:
    links = {
        name: {
            "operationId": paths[path][method]["operationId"],
            "parameters": {
                "user_id": "$response.body#/user_id",
                "memory_id": "$response.body#/memory_id",
                **constants,
            },
        }
        for name, (path, method, constants) in _NEXT.items()
    }
    for path, method, status in _NAMING_A_MEMORY:
        paths[path][method]["responses"][status]["links"] = links


def _rewrite(node: object, max_content_chars: int) -> None:
    if isinstance(node, list):
        for item in node:
            _rewrite(item, max_content_chars)
        return
    if not isinstance(node, dict):
        return
    if node.pop(_USER_ID, False):
        node.clear()
        node["$ref"] = "#/components/schemas/UserId"
    if node.pop(_TEXT, False):
        node["pattern"] = not_blank()
        node["maxLength"] = max_content_chars
    prefix = node.get("prefixItems")
    if (
        isinstance(prefix, list)
        and prefix
        and all(item == prefix[0] for item in prefix)
        and node.get("minItems") == node.get("maxItems") == len(prefix)
    ):
        node["items"] = node.pop("prefixItems")[0]
    for value in node.values():
        _rewrite(value, max_content_chars)
