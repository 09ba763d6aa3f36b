"""`Client` and `AsyncClient`: the `Memory` API spoken over HTTP to a `longmem serve`.

Same method names, parameters, return models and exceptions as `Memory`, so code moves from
embedded to remote by changing the line that builds it:

>>> mem = Client("http://127.0.0.1:8000", api_key="KEY")    # was: mem = Memory()
>>> mem.add_turn("user_123", "I love espresso", turn_number=1)
>>> mem.search("user_123", "What coffee should I buy?")[0].memory.content

Where the remote call differs from the embedded one:
- `add_turns` sends a long history in several requests (at most `TURNS_PER_REQUEST` turns and
  about `CHARS_PER_REQUEST` characters each, under the service's MAX_REQUEST_BYTES), each
  answered once its turns are recorded and, with `extract=True`, extracted; with
  `extract=False` the service extracts them in the background. `Memory.add_turns` is all or
  nothing per batch of BATCH_EMBEDDING_SIZE turns; so is each request here.
- `import_memories` sends its items in requests of the same size, one transaction each (one
  transaction in all for `Memory`); ids the user already holds are skipped, so after a failure
  the same items can be sent again.
- a user id holding '/' cannot be named in a URL path (ValidationError).
- `search(top_k=None)` takes the route's default of 10, not the service's MEMORY_RETRIEVAL_TOP_K.

Retries: 429 and 503 mean the service did not do the work, so the call is sent again after an
exponential backoff with jitter (or the `Retry-After` the service asked for); so is a request
that never reached it (no connection). A request that may have reached it (a read timeout, a
dropped connection) is sent again only when a second run is harmless: reads and `delete_all`.
A turn is never recorded twice: the store keeps a second copy of a resent turn even with the
same turn number, so `add_turn` is not resent once it may have arrived, and a batch of several
turns not even after a 503 (its earlier transactions may have been written).
"""

from __future__ import annotations

import asyncio
import builtins
import json
import random
import re
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, Generic, TypeVar
from urllib.parse import quote

import httpx
import pydantic

from longmem import validation
from longmem.errors import (
    AuthenticationError,
    ConfigurationError,
    ConflictError,
    ContentTooLargeError,
    EmbedderError,
    EmbedderMismatchError,
    LongmemError,
    NotFoundError,
    StoreError,
    ValidationError,
)
from longmem.models import (
    ContextBlock,
    ExportedMemory,
    MemoryEvent,
    MemoryKind,
    MemoryRecord,
    MemoryStatus,
    MemoryType,
    OptimizeReport,
    Page,
    SearchHit,
    TurnIn,
    TurnResult,
    UserStats,
)
from longmem.progress import progress as turn_progress

T = TypeVar("T")
API_PREFIX = "/api/v1"

# -- what each call sends and how its answer is read (no I/O) ---------------------------------


@dataclass(frozen=True)
class _Call(Generic[T]):
    method: str
    path: str
    read: Callable[[Any], T]
    params: dict[str, Any] | None = None
    body: Any = None
    # Harmless to send again once it may have reached the service (reads, erasure).
    repeatable: bool = False
    # A 503 says nothing was written: true of one transaction, not of a batch of several.
    retry_unavailable: bool = True
    # The answer is JSON lines (an export), read as a list of objects.
    lines: bool = False


_EVENTS = pydantic.TypeAdapter(builtins.list[MemoryEvent])
_HITS = pydantic.TypeAdapter(builtins.list[SearchHit])
_RESULTS = pydantic.TypeAdapter(builtins.list[TurnResult])
_EXPORTED = pydantic.TypeAdapter(builtins.list[ExportedMemory])
# One request's share of a long history or an import: well under the service's default
# MAX_REQUEST_BYTES (1 MiB), and short enough to be extracted within the default timeout.
TURNS_PER_REQUEST = 200
CHARS_PER_REQUEST = 256_000
# Path segments of other routes under /memories/{user_id}/: as a memory id they would reach
# those routes (DELETE .../all erases the user), and no memory id is one of them.
_ROUTE_WORDS = {"all", "stats", "search", "optimize", "export", "turns"}


def _user(user_id: str) -> str:
    user_id = validation.user_id(user_id)
    if "/" in user_id:
        raise ValidationError(
            "a user id holding '/' cannot be named in a URL path", field="user_id"
        )
    return _segment(user_id)


def _memory(memory_id: str) -> str:
    if not memory_id or "/" in memory_id or memory_id in _ROUTE_WORDS:
        raise NotFoundError(f"no memory {memory_id!r}")
    return _segment(memory_id)


def _segment(value: str) -> str:
    # Dots encoded too: a bare "." or ".." segment would be resolved away by the URL parser.
    return quote(value, safe="").replace(".", "%2E")


def _names(values: Iterable[str] | None) -> builtins.list[str] | None:
    return [str(v) for v in values] if values else None


def _turns(turns: Sequence[TurnIn | Mapping[str, Any]]) -> builtins.list[TurnIn]:
    parsed = []
    for index, turn in enumerate(turns):
        try:
            parsed.append(turn if isinstance(turn, TurnIn) else TurnIn.model_validate(turn))
        except ValueError as exc:
            raise ValidationError(str(exc), field=f"turns.{index}") from None
    return parsed


def _batches(items: builtins.list[dict[str, Any]], most: int) -> Iterable[builtins.list[Any]]:
    """Consecutive runs of the items (JSON-ready dicts), each within one request's share."""
    batch: builtins.list[dict[str, Any]] = []
    size = 0
    for item in items:
        chars = len(json.dumps(item))
        if batch and (len(batch) == most or size + chars > CHARS_PER_REQUEST):
            yield batch
            batch, size = [], 0
        batch.append(item)
        size += chars
    if batch:
        yield batch


def _results(sent: int) -> Callable[[Any], builtins.list[TurnResult]]:
    def read(body: Any) -> builtins.list[TurnResult]:
        results = _RESULTS.validate_python(body["results"])
        if len(results) != sent:
            raise LongmemError(f"sent {sent} turns, the service recorded {len(results)}")
        return results

    return read


class _Calls:
    """The request of each call; `Client` and `AsyncClient` differ only in how they send it."""

    @staticmethod
    def add_turns(
        user_id: str, turns: Sequence[TurnIn | Mapping[str, Any]], extract: bool
    ) -> builtins.list[_Call[builtins.list[TurnResult]]]:
        """One request a share of the turns, sent in order: an unnumbered turn then follows
        the highest number recorded so far, as it would in one call. All are validated first."""
        user_id = validation.user_id(user_id)
        sent = [t.model_dump(mode="json", exclude_none=True) for t in _turns(turns)]
        return [
            _Call(
                "POST",
                "/turns",
                _results(len(batch)),
                body={"user_id": user_id, "turns": batch, "wait": extract, "results": True},
                retry_unavailable=len(batch) == 1,
            )
            for batch in _batches(sent, TURNS_PER_REQUEST)
        ]

    @staticmethod
    def extract_turn(user_id: str, turn_number: int) -> _Call[TurnResult]:
        return _Call(
            "POST",
            f"/memories/{_user(user_id)}/turns/{validation.turn(turn_number)}/extract",
            TurnResult.model_validate,
            repeatable=True,  # a second run finds its own memories and decides NOOP
        )

    @staticmethod
    def import_memories(items: Iterable[ExportedMemory]) -> builtins.list[_Call[dict[str, int]]]:
        sent = [
            (i if isinstance(i, ExportedMemory) else ExportedMemory.model_validate(i)).model_dump(
                mode="json"
            )
            for i in items
        ]
        return [
            _Call(
                "POST",
                "/import",
                lambda body: {"imported": int(body["imported"]), "skipped": int(body["skipped"])},
                body={"items": batch},
                repeatable=True,  # what was imported is skipped the second time
            )
            for batch in _batches(sent, TURNS_PER_REQUEST)
        ]

    @staticmethod
    def export_user(user_id: str) -> _Call[builtins.list[ExportedMemory]]:
        return _Call(
            "GET",
            f"/memories/{_user(user_id)}/export",
            _EXPORTED.validate_python,
            repeatable=True,
            lines=True,
        )

    @staticmethod
    def add(
        user_id: str,
        content: str,
        type: MemoryType | str,
        source_turn: int | None,
        confidence: float,
    ) -> _Call[MemoryRecord]:
        body: dict[str, Any] = {
            "user_id": validation.user_id(user_id),
            "content": content,
            "type": str(type),
            "confidence": confidence,
        }
        if source_turn is not None:
            body["source_turn"] = source_turn
        return _Call("POST", "/memories", MemoryRecord.model_validate, body=body)

    @staticmethod
    def search(
        user_id: str,
        query: str,
        top_k: int | None,
        current_turn: int | None,
        types: Iterable[MemoryType | str] | None,
        kinds: Iterable[MemoryKind | str] | None,
        min_relevance: float | None,
    ) -> _Call[builtins.list[SearchHit]]:
        fields = {
            "query": query,
            "top_k": top_k,
            "current_turn": current_turn,
            "types": _names(types),
            "kinds": _names(kinds),
            "min_relevance": min_relevance,
        }
        return _Call(
            "POST",
            f"/memories/{_user(user_id)}/search",
            lambda body: _HITS.validate_python(body["results"]),
            body={k: v for k, v in fields.items() if v is not None},
            repeatable=True,
        )

    @staticmethod
    def context(
        user_id: str, message: str, current_turn: int | None, max_tokens: int | None
    ) -> _Call[ContextBlock]:
        fields = {"message": message, "current_turn": current_turn, "max_tokens": max_tokens}
        return _Call(
            "POST",
            f"/memories/{_user(user_id)}/context",
            ContextBlock.model_validate,
            body={k: v for k, v in fields.items() if v is not None},
            repeatable=True,
        )

    @staticmethod
    def get(user_id: str, memory_id: str) -> _Call[MemoryRecord]:
        # `Memory.get` returns deleted memories too; the route does when asked.
        return _Call(
            "GET",
            f"/memories/{_user(user_id)}/{_memory(memory_id)}",
            MemoryRecord.model_validate,
            params={"include_deleted": "true"},
            repeatable=True,
        )

    @staticmethod
    def list(
        user_id: str,
        kinds: Iterable[MemoryKind | str] | None,
        types: Iterable[MemoryType | str] | None,
        statuses: Iterable[MemoryStatus | str] | None,
        cursor: str | None,
        limit: int,
    ) -> _Call[Page]:
        params = {
            "kinds": _names(kinds),
            "types": _names(types),
            "statuses": _names(statuses),
            "cursor": cursor,
            "limit": limit,
        }
        return _Call(
            "GET",
            f"/memories/{_user(user_id)}",
            Page.model_validate,
            params={k: v for k, v in params.items() if v is not None},
            repeatable=True,
        )

    @staticmethod
    def update(
        user_id: str,
        memory_id: str,
        content: str | None,
        type: MemoryType | str | None,
        confidence: float | None,
    ) -> _Call[MemoryRecord]:
        fields = {"content": content, "type": str(type) if type else None, "confidence": confidence}
        return _Call(
            "PATCH",
            f"/memories/{_user(user_id)}/{_memory(memory_id)}",
            MemoryRecord.model_validate,
            body={k: v for k, v in fields.items() if v is not None},
        )

    @staticmethod
    def delete(user_id: str, memory_id: str) -> _Call[MemoryRecord]:
        return _Call(
            "DELETE",
            f"/memories/{_user(user_id)}/{_memory(memory_id)}",
            MemoryRecord.model_validate,
        )

    @staticmethod
    def delete_all(user_id: str) -> _Call[dict[str, int]]:
        return _Call(
            "DELETE",
            f"/memories/{_user(user_id)}/all",
            lambda body: {k: int(v) for k, v in body["deleted"].items()},
            repeatable=True,  # erasing again erases nothing more (the counts then say 0)
        )

    @staticmethod
    def history(user_id: str, memory_id: str) -> _Call[builtins.list[MemoryEvent]]:
        return _Call(
            "GET",
            f"/memories/{_user(user_id)}/{_memory(memory_id)}/history",
            _EVENTS.validate_python,
            repeatable=True,
        )

    @staticmethod
    def rollback(user_id: str, memory_id: str, version: int) -> _Call[MemoryRecord]:
        return _Call(
            "POST",
            f"/memories/{_user(user_id)}/{_memory(memory_id)}/rollback",
            MemoryRecord.model_validate,
            params={"version": version},
        )

    @staticmethod
    def stats(user_id: str) -> _Call[UserStats]:
        return _Call(
            "GET", f"/memories/{_user(user_id)}/stats", UserStats.model_validate, repeatable=True
        )

    @staticmethod
    def optimize(user_id: str, current_turn: int | None) -> _Call[OptimizeReport]:
        # Not repeatable: after a read timeout the first pass is still running.
        return _Call(
            "POST",
            f"/memories/{_user(user_id)}/optimize",
            OptimizeReport.model_validate,
            params={"current_turn": current_turn} if current_turn is not None else None,
        )


def _summed(counts: Iterable[dict[str, int]]) -> dict[str, int]:
    total = {"imported": 0, "skipped": 0}
    for part in counts:
        for key, value in part.items():
            total[key] = total.get(key, 0) + value
    return total


# -- retries ---------------------------------------------------------------------------------

# Raised before a byte of the request left: sending again cannot repeat anything.
_NEVER_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
# May have reached the service: sent again only when the call is repeatable.
_MAYBE_SENT = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)


@dataclass(frozen=True)
class _Retry:
    retries: int
    backoff: float
    max_backoff: float

    def after_response(
        self, call: _Call[Any], attempt: int, response: httpx.Response
    ) -> float | None:
        """Seconds to wait before sending again, or None to give the answer as it is."""
        status = response.status_code
        if attempt >= self.retries:
            return None
        if status == 429 or (status == 503 and call.retry_unavailable):
            return self._wait(attempt, _retry_after(response))
        return None

    def after_error(
        self, call: _Call[Any], attempt: int, exc: httpx.TransportError
    ) -> float | None:
        if attempt >= self.retries:
            return None
        if isinstance(exc, _NEVER_SENT) or (call.repeatable and isinstance(exc, _MAYBE_SENT)):
            return self._wait(attempt, None)
        return None

    def _wait(self, attempt: int, asked: float | None) -> float | None:
        ceiling = min(self.max_backoff, self.backoff * 2**attempt)
        # Equal jitter: never sooner than half the backoff, and clients refused together
        # do not all come back in the same instant.
        wait = random.uniform(ceiling / 2, ceiling)
        if asked is None:
            return wait
        # A service asking for longer than we would ever wait gets the error now, not a hang.
        return max(wait, asked) if asked <= self.max_backoff else None


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, (parsedate_to_datetime(value) - datetime.now(UTC)).total_seconds())
    except (TypeError, ValueError):
        return None


# -- errors ----------------------------------------------------------------------------------

_BY_CODE: dict[str, type[LongmemError]] = {
    cls.code: cls
    for cls in (
        ValidationError,
        ContentTooLargeError,
        NotFoundError,
        ConflictError,
        StoreError,
        EmbedderError,
        EmbedderMismatchError,
        ConfigurationError,
    )
}
_BY_CODE |= {
    "payload_too_large": ContentTooLargeError,  # the body is over MAX_REQUEST_BYTES
    "unauthorized": AuthenticationError,
    "forbidden": AuthenticationError,
}
# For answers without longmem's error body (a proxy's, or a code this client does not know).
_BY_STATUS: dict[int, type[LongmemError]] = {
    400: ValidationError,
    401: AuthenticationError,
    403: AuthenticationError,
    404: NotFoundError,
    409: ConflictError,
    413: ContentTooLargeError,
    422: ValidationError,
}
_FIELD = re.compile(r"([A-Za-z_][\w.]*): (.+)", re.DOTALL)


def _error(response: httpx.Response) -> LongmemError:
    """The exception `Memory` raises for the same failure, with the service's message."""
    code, message = "http_error", f"HTTP {response.status_code}: {response.text[:500]}"
    try:
        found = response.json()["error"]
        code, message = str(found["code"]), str(found["message"])
    except (ValueError, KeyError, TypeError):
        pass
    cls = _BY_CODE.get(code) or _BY_STATUS.get(response.status_code, LongmemError)
    if issubclass(cls, ValidationError):
        # "field: message", as `ValidationError` itself writes it: the same str, and `.field`
        named = _FIELD.fullmatch(message)
        return cls(named[2], field=named[1]) if named else cls(message)
    exc = cls(message)
    if cls is LongmemError:
        exc.code = code
    return exc


def _unreachable(base: str, exc: httpx.TransportError) -> LongmemError:
    found = LongmemError(f"no answer from the longmem service at {base}: {exc!r}")
    found.code = "unavailable"
    return found


def _result(call: _Call[T], response: httpx.Response) -> T:
    if not response.is_success:
        raise _error(response)
    try:
        if call.lines:
            return call.read([json.loads(line) for line in response.text.splitlines() if line])
        return call.read(response.json())
    except (ValueError, KeyError, TypeError) as exc:
        raise LongmemError(f"unexpected answer to {call.method} {call.path}: {exc}") from None


# -- the clients -----------------------------------------------------------------------------


class _Options:
    def __init__(
        self,
        base_url: str,
        api_key: str | None,
        retries: int,
        backoff: float,
        max_backoff: float,
    ) -> None:
        base = base_url.rstrip("/")
        self.base_url = base if base.endswith(API_PREFIX) else base + API_PREFIX
        self.headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self.retry = _Retry(retries=max(0, retries), backoff=backoff, max_backoff=max_backoff)


def _sleep(seconds: float) -> None:
    time.sleep(seconds)


async def _asleep(seconds: float) -> None:
    await asyncio.sleep(seconds)


class Client:
    """`Memory` over HTTP. `base_url` is the service (`http://host:8000`, /api/v1 implied);
    `timeout` is seconds per request (an import of many turns with `extract=True` may need
    more); `retries` how often a refused or unanswered call is sent again (see the module)."""

    def __init__(
        self,
        base_url: str = "http://127.0.0.1:8000",
        *,
        api_key: str | None = None,
        timeout: float | httpx.Timeout = 10.0,
        retries: int = 3,
        backoff: float = 0.5,
        max_backoff: float = 30.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self._options = _Options(base_url, api_key, retries, backoff, max_backoff)
        self._http = httpx.Client(
            base_url=self._options.base_url,
            headers=self._options.headers,
            timeout=timeout,
            transport=transport,
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def flush(self) -> None:
        """Nothing waits in the client: the service finishes its bookkeeping itself."""

    def _send(self, call: _Call[T]) -> T:
        retry = self._options.retry
        attempt = 0
        while True:
            try:
                response = self._http.request(
                    call.method, call.path, params=call.params, json=call.body
                )
            except httpx.TransportError as exc:
                wait = retry.after_error(call, attempt, exc)
                if wait is None:
                    raise _unreachable(self._options.base_url, exc) from exc
            else:
                wait = retry.after_response(call, attempt, response)
                if wait is None:
                    return _result(call, response)
            _sleep(wait)
            attempt += 1

    # -- writing ---------------------------------------------------------------------------

    def add_turn(
        self,
        user_id: str,
        content: str,
        *,
        turn_number: int | None = None,
        role: str = "user",
        speaker: str | None = None,
        timestamp: datetime | None = None,
        extract: bool = True,
    ) -> TurnResult:
        """Records a turn; with `extract` (the default) returns once its facts are extracted."""
        turn = {"content": content, "turn_number": turn_number, "role": role, "speaker": speaker}
        return self.add_turns(user_id, [{**turn, "timestamp": timestamp}], extract=extract)[0]

    def add_turns(
        self,
        user_id: str,
        turns: Sequence[TurnIn | Mapping[str, Any]],
        *,
        progress: bool = False,
        extract: bool = True,
    ) -> builtins.list[TurnResult]:
        """Records the turns in order, in as many requests as their size needs (see the
        module); `progress` shows a bar over them."""
        results: builtins.list[TurnResult] = []
        with turn_progress(progress, len(turns)) as advance:
            for call in _Calls.add_turns(user_id, turns, extract):
                recorded = self._send(call)
                results.extend(recorded)
                advance(len(call.body["turns"]))
        return results

    def add(
        self,
        user_id: str,
        content: str,
        type: MemoryType | str,
        *,
        source_turn: int | None = None,
        confidence: float = 1.0,
    ) -> MemoryRecord:
        return self._send(_Calls.add(user_id, content, type, source_turn, confidence))

    def update(
        self,
        user_id: str,
        memory_id: str,
        *,
        content: str | None = None,
        type: MemoryType | str | None = None,
        confidence: float | None = None,
    ) -> MemoryRecord:
        return self._send(_Calls.update(user_id, memory_id, content, type, confidence))

    def delete(self, user_id: str, memory_id: str) -> MemoryRecord:
        return self._send(_Calls.delete(user_id, memory_id))

    def delete_all(self, user_id: str) -> dict[str, int]:
        return self._send(_Calls.delete_all(user_id))

    def rollback(self, user_id: str, memory_id: str, version: int) -> MemoryRecord:
        return self._send(_Calls.rollback(user_id, memory_id, version))

    def optimize(self, user_id: str, current_turn: int | None = None) -> OptimizeReport:
        return self._send(_Calls.optimize(user_id, current_turn))

    def extract_turn(self, user_id: str, turn_number: int) -> TurnResult:
        return self._send(_Calls.extract_turn(user_id, turn_number))

    def import_memories(self, items: Iterable[ExportedMemory]) -> dict[str, int]:
        return _summed(self._send(call) for call in _Calls.import_memories(items))

    # -- reading ---------------------------------------------------------------------------

    def search(
        self,
        user_id: str,
        query: str,
        *,
        top_k: int | None = None,
        current_turn: int | None = None,
        types: Iterable[MemoryType | str] | None = None,
        kinds: Iterable[MemoryKind | str] | None = None,
        min_relevance: float | None = None,
    ) -> builtins.list[SearchHit]:
        return self._send(
            _Calls.search(user_id, query, top_k, current_turn, types, kinds, min_relevance)
        )

    def context(
        self,
        user_id: str,
        message: str,
        *,
        current_turn: int | None = None,
        max_tokens: int | None = None,
    ) -> ContextBlock:
        return self._send(_Calls.context(user_id, message, current_turn, max_tokens))

    context_for = context

    def get(self, user_id: str, memory_id: str) -> MemoryRecord:
        return self._send(_Calls.get(user_id, memory_id))

    def list(
        self,
        user_id: str,
        *,
        kinds: Iterable[MemoryKind | str] | None = None,
        types: Iterable[MemoryType | str] | None = None,
        statuses: Iterable[MemoryStatus | str] | None = None,
        cursor: str | None = None,
        limit: int = 100,
    ) -> Page:
        return self._send(_Calls.list(user_id, kinds, types, statuses, cursor, limit))

    def history(self, user_id: str, memory_id: str) -> builtins.list[MemoryEvent]:
        return self._send(_Calls.history(user_id, memory_id))

    def stats(self, user_id: str) -> UserStats:
        return self._send(_Calls.stats(user_id))

    def export_user(self, user_id: str) -> Iterable[ExportedMemory]:
        """Everything stored about the user, read in one request."""
        return self._send(_Calls.export_user(user_id))


class AsyncClient:
    """`AsyncMemory` over HTTP: `Client`'s calls, awaited, on one `httpx.AsyncClient`."""

    def __init__(
        self,
        base_url: str = "http://127.0.0.1:8000",
        *,
        api_key: str | None = None,
        timeout: float | httpx.Timeout = 10.0,
        retries: int = 3,
        backoff: float = 0.5,
        max_backoff: float = 30.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._options = _Options(base_url, api_key, retries, backoff, max_backoff)
        self._http = httpx.AsyncClient(
            base_url=self._options.base_url,
            headers=self._options.headers,
            timeout=timeout,
            transport=transport,
        )

    async def close(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.close()

    async def flush(self) -> None:
        """Nothing waits in the client: the service finishes its bookkeeping itself."""

    async def _send(self, call: _Call[T]) -> T:
        retry = self._options.retry
        attempt = 0
        while True:
            try:
                response = await self._http.request(
                    call.method, call.path, params=call.params, json=call.body
                )
            except httpx.TransportError as exc:
                wait = retry.after_error(call, attempt, exc)
                if wait is None:
                    raise _unreachable(self._options.base_url, exc) from exc
            else:
                wait = retry.after_response(call, attempt, response)
                if wait is None:
                    return _result(call, response)
            await _asleep(wait)
            attempt += 1

    # -- writing ---------------------------------------------------------------------------

    async def add_turn(
        self,
        user_id: str,
        content: str,
        *,
        turn_number: int | None = None,
        role: str = "user",
        speaker: str | None = None,
        timestamp: datetime | None = None,
        extract: bool = True,
    ) -> TurnResult:
        turn = {"content": content, "turn_number": turn_number, "role": role, "speaker": speaker}
        results = await self.add_turns(user_id, [{**turn, "timestamp": timestamp}], extract=extract)
        return results[0]

    async def add_turns(
        self,
        user_id: str,
        turns: Sequence[TurnIn | Mapping[str, Any]],
        *,
        extract: bool = True,
    ) -> builtins.list[TurnResult]:
        results: builtins.list[TurnResult] = []
        for call in _Calls.add_turns(user_id, turns, extract):
            recorded = await self._send(call)
            results.extend(recorded)
        return results

    async def add(
        self,
        user_id: str,
        content: str,
        type: MemoryType | str,
        *,
        source_turn: int | None = None,
        confidence: float = 1.0,
    ) -> MemoryRecord:
        return await self._send(_Calls.add(user_id, content, type, source_turn, confidence))

    async def update(
        self,
        user_id: str,
        memory_id: str,
        *,
        content: str | None = None,
        type: MemoryType | str | None = None,
        confidence: float | None = None,
    ) -> MemoryRecord:
        return await self._send(_Calls.update(user_id, memory_id, content, type, confidence))

    async def delete(self, user_id: str, memory_id: str) -> MemoryRecord:
        return await self._send(_Calls.delete(user_id, memory_id))

    async def delete_all(self, user_id: str) -> dict[str, int]:
        return await self._send(_Calls.delete_all(user_id))

    async def rollback(self, user_id: str, memory_id: str, version: int) -> MemoryRecord:
        return await self._send(_Calls.rollback(user_id, memory_id, version))

    async def optimize(self, user_id: str, current_turn: int | None = None) -> OptimizeReport:
        return await self._send(_Calls.optimize(user_id, current_turn))

    async def extract_turn(self, user_id: str, turn_number: int) -> TurnResult:
        return await self._send(_Calls.extract_turn(user_id, turn_number))

    async def import_memories(self, items: Iterable[ExportedMemory]) -> dict[str, int]:
        return _summed([await self._send(call) for call in _Calls.import_memories(items)])

    # -- reading ---------------------------------------------------------------------------

    async def search(
        self,
        user_id: str,
        query: str,
        *,
        top_k: int | None = None,
        current_turn: int | None = None,
        types: Iterable[MemoryType | str] | None = None,
        kinds: Iterable[MemoryKind | str] | None = None,
        min_relevance: float | None = None,
    ) -> builtins.list[SearchHit]:
        return await self._send(
            _Calls.search(user_id, query, top_k, current_turn, types, kinds, min_relevance)
        )

    async def context(
        self,
        user_id: str,
        message: str,
        *,
        current_turn: int | None = None,
        max_tokens: int | None = None,
    ) -> ContextBlock:
        return await self._send(_Calls.context(user_id, message, current_turn, max_tokens))

    async def get(self, user_id: str, memory_id: str) -> MemoryRecord:
        return await self._send(_Calls.get(user_id, memory_id))

    async def list(
        self,
        user_id: str,
        *,
        kinds: Iterable[MemoryKind | str] | None = None,
        types: Iterable[MemoryType | str] | None = None,
        statuses: Iterable[MemoryStatus | str] | None = None,
        cursor: str | None = None,
        limit: int = 100,
    ) -> Page:
        return await self._send(_Calls.list(user_id, kinds, types, statuses, cursor, limit))

    async def history(self, user_id: str, memory_id: str) -> builtins.list[MemoryEvent]:
        return await self._send(_Calls.history(user_id, memory_id))

    async def stats(self, user_id: str) -> UserStats:
        return await self._send(_Calls.stats(user_id))

    async def export_user(self, user_id: str) -> builtins.list[ExportedMemory]:
        return await self._send(_Calls.export_user(user_id))
