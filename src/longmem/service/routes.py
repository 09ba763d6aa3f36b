"""Routes validate and delegate to `Memory`; no memory logic lives here."""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Iterator
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Response, status
from fastapi import Path as FastPath
from fastapi.responses import JSONResponse, PlainTextResponse, StreamingResponse
from prometheus_client import generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from longmem import validation
from longmem.core import ranking
from longmem.llm.client import LLMUnavailable
from longmem.models import (
    ContextBlock,
    MemoryEvent,
    MemoryKind,
    MemoryRecord,
    MemoryStatus,
    MemoryType,
    OptimizeReport,
    Page,
    SearchHit,
    TurnResult,
)
from longmem.service.app import Service
from longmem.service.deps import KEY_OPTIONAL, KnownCallerDep, MemoryDep, ServiceDep, TenantDep
from longmem.service.errors import ApiError
from longmem.service.logs import redact
from longmem.service.schemas import (
    CONVERSATION_STREAM,
    ERROR_RESPONSES,
    MAX_TURN,
    TEXT_SCHEMA,
    ContextIn,
    ConversationIn,
    ConversationOut,
    ImportIn,
    ImportOut,
    MemoryIn,
    MemoryPatch,
    ScoreWeights,
    ScoringOut,
    SearchIn,
    SearchOut,
    TurnsIn,
    TurnsOut,
    UserIdPath,
    UsersOut,
)

log = logging.getLogger("longmem.api")
router = APIRouter(prefix="/api/v1", responses=ERROR_RESPONSES)
system = APIRouter()


@router.post("/conversation", response_model=ConversationOut, responses=CONVERSATION_STREAM)
def conversation(
    body: ConversationIn, svc: ServiceDep, mem: MemoryDep, tenant: TenantDep
) -> Response:
    """Recall memories for the turn, record it, and queue its extraction."""
    started = time.perf_counter()
    hits: list[SearchHit] = []
    context, tokens, timed_out = "", 0, False
    if body.include_memories:
        future = svc.retrieval_pool.submit(
            mem.context, body.user_id, body.message, current_turn=body.turn_number
        )
        try:
            block = future.result(timeout=svc.settings.retrieval_timeout_ms / 1000)
        except FutureTimeout:
            timed_out = True
            svc.metrics.retrieval_timeouts.inc()
        else:
            hits, context, tokens = block.memories, block.text, block.tokens
    retrieval_ms = (time.perf_counter() - started) * 1000
    svc.metrics.retrieval_ms.observe(retrieval_ms)
    # Recorded before extraction is queued: whatever happens to the queue, the turn is kept.
    recorded = mem.add_turn(body.user_id, body.message, turn_number=body.turn_number, extract=False)
    svc.worker.submit(tenant, body.user_id, recorded.turn_number)
    svc.metrics.operations.labels("turn_recorded").inc()
    svc.count_turns(1)
    log.info(
        "turn",
        extra={
            "user_id": body.user_id,
            "turn": recorded.turn_number,
            "text": redact(body.message, svc.settings.log_pii),
            "recalled": len(hits),
        },
    )
    out = ConversationOut(
        user_id=body.user_id,
        turn_number=recorded.turn_number,
        reply=None,
        memories=hits,
        context=context,
        context_tokens=tokens,
        retrieval_ms=round(retrieval_ms, 3),
        retrieval_timed_out=timed_out,
        extraction="queued",
    )
    if body.stream:
        return StreamingResponse(
            _stream_reply(svc, out, body.message), media_type="text/event-stream"
        )
    if svc.responder is not None:
        try:
            out.reply = svc.responder.reply(context, body.message)
        except LLMUnavailable as exc:
            out.reply_error = str(exc)  # the turn and its memories are still served
    return JSONResponse(out.model_dump(mode="json"))


def _event(name: str, data: Any) -> str:
    return f"event: {name}\ndata: {json.dumps(data)}\n\n"


def _stream_reply(svc: Service, out: ConversationOut, message: str) -> Iterator[str]:
    """Server-sent events: the recalled memories first, then the reply as it is written."""
    yield _event("memories", out.model_dump(mode="json"))
    parts: list[str] = []
    if svc.responder is not None:
        try:
            for delta in svc.responder.stream(out.context, message):
                parts.append(delta)
                yield _event("delta", {"text": delta})
        except LLMUnavailable as exc:
            yield _event("error", {"code": exc.code, "message": str(exc)})
    yield _event("done", {"reply": "".join(parts) if svc.responder is not None else None})


@router.post("/turns", response_model=TurnsOut)
def import_turns(body: TurnsIn, svc: ServiceDep, mem: MemoryDep, tenant: TenantDep) -> TurnsOut:
    """Bulk import of a history; with `wait` the response comes after extraction."""
    results = mem.add_turns(body.user_id, body.turns, extract=body.wait)
    if not body.wait:
        for result in results:
            svc.worker.submit(tenant, body.user_id, result.turn_number)
    svc.metrics.operations.labels("turn_recorded").inc(len(results))
    svc.count_turns(len(results))
    return TurnsOut(
        user_id=body.user_id,
        recorded=len(results),
        first_turn=results[0].turn_number,
        last_turn=results[-1].turn_number,
        extraction="done" if body.wait else "queued",
        created=sum(len(r.created) for r in results),
        results=results if body.results else None,
    )


@router.post("/memories/{user_id}/turns/{turn_number}/extract", response_model=TurnResult)
def extract_turn(
    user_id: UserIdPath,
    turn_number: Annotated[int, FastPath(ge=0, le=MAX_TURN)],
    svc: ServiceDep,
    mem: MemoryDep,
) -> TurnResult:
    """Extracts a recorded turn now (one imported without `wait`), whether or not the
    background worker has; a second run finds its own memories and decides NOOP."""
    result = mem.extract_turn(user_id, turn_number)
    svc.metrics.operations.labels("extract_turn").inc()
    return result


@router.post("/import", response_model=ImportOut)
def import_memories(body: ImportIn, svc: ServiceDep, mem: MemoryDep) -> ImportOut:
    """Restores exported memories with their histories into the caller's tenant, in one
    transaction. A memory the user already holds under the same id is skipped, so sending the
    same lines again is harmless; an id another user holds is a 409, and nothing is written."""
    # The tenant is the key's, whatever a line says.
    counts = mem.import_memories(i.exported() for i in body.items)
    svc.metrics.operations.labels("import").inc(counts["imported"])
    return ImportOut(**counts)


@router.get("/users", response_model=UsersOut)
def users(svc: ServiceDep, tenant: TenantDep) -> UsersOut:
    """The user ids of the caller's tenant holding memories (recorded turns or memories given
    through POST /memories), sorted; an erased user is gone. The inspector at /inspect picks
    from these."""
    return UsersOut(users=svc.users(tenant))


@router.get("/scoring", response_model=ScoringOut)
def scoring(mem: MemoryDep) -> ScoringOut:
    """How search orders and scores its hits (SCORE_WEIGHT_*, normalised), so that a client can
    say why a hit ranked where it did: the inspector at /inspect does."""
    w = mem.engine.weights.normalised()
    return ScoringOut(
        weights=ScoreWeights(
            relevance=w.semantic, recency=w.recency, access=w.access, confidence=w.confidence
        ),
        comparable=ranking.COMPARABLE,
    )


@router.post("/memories", response_model=MemoryRecord, status_code=status.HTTP_201_CREATED)
def create_memory(body: MemoryIn, svc: ServiceDep, mem: MemoryDep) -> MemoryRecord:
    created = mem.add(
        body.user_id,
        body.content,
        body.type,
        source_turn=body.source_turn,
        confidence=body.confidence,
    )
    svc.metrics.operations.labels("create").inc()
    return created


@router.get("/memories/{user_id}", response_model=Page)
def list_memories(
    user_id: UserIdPath,
    mem: MemoryDep,
    kinds: Annotated[list[MemoryKind] | None, Query()] = None,
    types: Annotated[list[MemoryType] | None, Query()] = None,
    statuses: Annotated[list[MemoryStatus] | None, Query()] = None,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> Page:
    return mem.list(
        user_id, kinds=kinds, types=types, statuses=statuses, cursor=cursor, limit=limit
    )


@router.post("/memories/{user_id}/search", response_model=SearchOut)
def search(
    user_id: UserIdPath,
    svc: ServiceDep,
    mem: MemoryDep,
    query: Annotated[str | None, Query(min_length=1, json_schema_extra=TEXT_SCHEMA)] = None,
    top_k: Annotated[int | None, Query(ge=1, le=200)] = None,
    current_turn: Annotated[int | None, Query(ge=0, le=MAX_TURN)] = None,
    min_relevance: Annotated[float | None, Query(ge=0, le=1)] = None,
    body: Annotated[SearchIn | None, Body()] = None,
) -> SearchOut:
    """Query parameters as in the seed (`?query=...&top_k=10`), or the same fields as JSON;
    one of the two must give `query` (the body wins when both are sent)."""
    if query is not None:  # checked even when the body wins: every part sent must be valid
        validation.content(query, svc.settings.max_content_chars, field="query")
    if body is not None:
        request = body
    elif query is not None:
        request = SearchIn(
            query=query,
            top_k=top_k or svc.settings.memory_retrieval_top_k,
            current_turn=current_turn,
            min_relevance=min_relevance,
        )
    else:
        raise ApiError(422, "invalid_input", "query: give ?query=... or a JSON body with query")
    started = time.perf_counter()
    hits = mem.search(
        user_id,
        request.query,
        top_k=request.top_k,
        current_turn=request.current_turn,
        types=request.types,
        kinds=request.kinds,
        min_relevance=request.min_relevance,
    )
    elapsed = (time.perf_counter() - started) * 1000
    svc.metrics.retrieval_ms.observe(elapsed)
    svc.metrics.operations.labels("search").inc()
    return SearchOut(
        user_id=user_id, query=request.query, results=hits, retrieval_ms=round(elapsed, 3)
    )


@router.post("/memories/{user_id}/context", response_model=ContextBlock)
def context(user_id: UserIdPath, body: ContextIn, svc: ServiceDep, mem: MemoryDep) -> ContextBlock:
    """The memory block for a prompt about `message`, as `Memory.context` builds it: standing
    instructions, allergies and diet, then what the message recalls past the relevance floor.
    Reads only: the message is not recorded as a turn (that is /conversation)."""
    block = mem.context(
        user_id, body.message, current_turn=body.current_turn, max_tokens=body.max_tokens
    )
    svc.metrics.operations.labels("context").inc()
    return block


@router.get("/memories/{user_id}/stats")
def stats(user_id: UserIdPath, svc: ServiceDep, mem: MemoryDep) -> dict[str, Any]:
    result = mem.stats(user_id).model_dump(mode="json")
    result["pending_extractions"] = svc.worker.pending
    result["llm_cost_per_1000_turns_usd"] = round(svc.cost_per_1000_turns, 6)
    return result


@router.post("/memories/{user_id}/optimize", response_model=OptimizeReport)
def optimize(
    user_id: UserIdPath,
    svc: ServiceDep,
    mem: MemoryDep,
    current_turn: Annotated[int | None, Query(ge=0, le=MAX_TURN)] = None,
) -> OptimizeReport:
    report = mem.optimize(user_id, current_turn)
    svc.metrics.operations.labels("optimize").inc()
    return report


@router.delete("/memories/{user_id}/all")
def erase_user(
    user_id: UserIdPath, svc: ServiceDep, mem: MemoryDep, tenant: TenantDep
) -> dict[str, Any]:
    """GDPR erasure: records, vectors, full text, history, cached queries, queued work."""
    queued = svc.worker.purge(tenant, user_id)
    counts = mem.delete_all(user_id)
    svc.metrics.operations.labels("erase_user").inc()
    return {"user_id": user_id, "deleted": {**counts, "queued_jobs": queued}}


@router.get(
    "/memories/{user_id}/export",
    response_class=StreamingResponse,
    responses={200: {"content": {"application/x-ndjson": {}}}},
)
def export_user(user_id: UserIdPath, mem: MemoryDep) -> StreamingResponse:
    """Every memory of the user, in any status, each with its whole history: one JSON object
    (`ExportedMemory`) a line, what `POST /import` and `longmem import` read."""
    validation.user_id(user_id)

    def lines() -> Iterator[str]:
        for item in mem.export_user(user_id):
            yield item.model_dump_json() + "\n"

    return StreamingResponse(lines(), media_type="application/x-ndjson")


@router.get("/memories/{user_id}/{memory_id}", response_model=MemoryRecord)
def get_memory(
    user_id: UserIdPath,
    memory_id: str,
    mem: MemoryDep,
    include_deleted: Annotated[bool, Query()] = False,
) -> MemoryRecord:
    """One memory; a deleted one is gone (404) unless asked for with `include_deleted`, as
    its history is kept."""
    found = mem.get(user_id, memory_id)
    if found.status is MemoryStatus.deleted and not include_deleted:
        raise ApiError(404, "not_found", f"memory {memory_id!r} was deleted")
    return found


@router.patch("/memories/{user_id}/{memory_id}", response_model=MemoryRecord)
def patch_memory(
    user_id: UserIdPath, memory_id: str, body: MemoryPatch, svc: ServiceDep, mem: MemoryDep
) -> MemoryRecord:
    """A deleted memory is gone (404) here as on GET: roll it back to edit it again."""
    if mem.get(user_id, memory_id).status is MemoryStatus.deleted:
        raise ApiError(404, "not_found", f"memory {memory_id!r} was deleted")
    updated = mem.update(
        user_id, memory_id, content=body.content, type=body.type, confidence=body.confidence
    )
    svc.metrics.operations.labels("update").inc()
    return updated


@router.delete("/memories/{user_id}/{memory_id}", response_model=MemoryRecord)
def delete_memory(
    user_id: UserIdPath, memory_id: str, svc: ServiceDep, mem: MemoryDep
) -> MemoryRecord:
    deleted = mem.delete(user_id, memory_id)
    svc.metrics.operations.labels("delete").inc()
    return deleted


@router.get("/memories/{user_id}/{memory_id}/history", response_model=list[MemoryEvent])
def history(user_id: UserIdPath, memory_id: str, mem: MemoryDep) -> list[MemoryEvent]:
    return mem.history(user_id, memory_id)


@router.post("/memories/{user_id}/{memory_id}/rollback", response_model=MemoryRecord)
def rollback(
    user_id: UserIdPath,
    memory_id: str,
    svc: ServiceDep,
    mem: MemoryDep,
    version: Annotated[int, Query(ge=1, le=MAX_TURN)],
) -> MemoryRecord:
    restored = mem.rollback(user_id, memory_id, version)
    svc.metrics.operations.labels("rollback").inc()
    return restored


_PASSWORD = re.compile(r"//[^@/\s]*@")


@router.get("/health", openapi_extra=KEY_OPTIONAL)
def health(svc: ServiceDep, known: KnownCallerDep) -> Response:
    """Each dependency on its own; 503 when the store cannot be reached. Without a key (when
    keys are configured) only up or down: the details name backends and endpoints."""
    checks: dict[str, dict[str, Any]] = {}
    try:
        svc.store.user_state("__health__", "__health__")
        checks["store"] = {
            "status": "ok",
            "backend": svc.store.backend,
            "location": str(svc.store.path),
        }
    except Exception as exc:  # any failure means the store is down for us
        # a connection error may quote the database URL with its password
        checks["store"] = {"status": "error", "error": _PASSWORD.sub("//***@", str(exc))}
    checks["embedder"] = {
        "status": "ok",
        "model": svc.embedder.model_name,
        "dimension": svc.embedder.dimension,
    }
    cache_ok = svc.cache.ping()
    checks["cache"] = {"status": "ok" if cache_ok else "degraded", "backend": svc.cache.backend}
    checks["queue"] = {
        "status": "ok" if svc.worker.alive else "error",
        "backend": svc.worker.backend,
        "pending": svc.worker.pending,
    }
    if svc.llm is None:
        checks["llm"] = {"status": "not_configured"}
    else:
        checks["llm"] = {
            "status": "circuit_open" if svc.llm.breaker.open else "ok",
            "endpoint": svc.settings.llm_endpoint,
            "models": [svc.settings.llm_extraction_model, svc.settings.llm_response_model],
        }
    store_up = checks["store"]["status"] == "ok"
    healthy = store_up and all(c["status"] in ("ok", "not_configured") for c in checks.values())
    status = "ok" if healthy else "degraded"
    return JSONResponse(
        {"status": status, "checks": checks} if known else {"status": status},
        status_code=200 if store_up else 503,
    )


@system.get("/metrics", include_in_schema=False)
def metrics(svc: ServiceDep) -> PlainTextResponse:
    svc.sync_cache_counters()
    svc.metrics.llm_cost.set(svc.cost_per_1000_turns)
    return PlainTextResponse(generate_latest(svc.metrics.registry), media_type=CONTENT_TYPE_LATEST)
