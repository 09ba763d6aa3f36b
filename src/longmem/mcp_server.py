"""The MCP server: longmem's memory as tools for MCP clients, over stdio or streamable HTTP.

Tools are thin shells over `Memory`, as the HTTP routes and CLI commands are. Over HTTP the
keys of API_KEYS apply as for /api/v1, and each tenant is served by its own `MCPServer` whose
tools hold only that tenant's `Memory`: a key cannot reach another tenant's users because no
code path leads there, not because every tool remembers to check.
"""

from __future__ import annotations

import contextlib
import functools
import json
import sys
import threading
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Annotated, Literal

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.types import ToolAnnotations
from pydantic import BaseModel, Field

from longmem import __version__
from longmem.config import Settings, tenant_of
from longmem.errors import LongmemError
from longmem.memory import Memory
from longmem.models import (
    ContextBlock,
    Decision,
    MemoryEvent,
    MemoryKind,
    MemoryRecord,
    MemoryStatus,
    MemoryType,
    Page,
    SearchHit,
)

if TYPE_CHECKING:
    from starlette.applications import Starlette
    from starlette.types import Receive, Scope, Send

    from longmem.cache import Cache
    from longmem.embedding.base import Embedder
    from longmem.store.base import Store

DEFAULT_TENANT = "default"
INSTRUCTIONS = (
    "Long-term memory of conversations. Call `context` with the user's message before answering"
    " and put its `text` into your prompt; call `remember` with what the user said (a turn) or"
    " with a fact worth keeping (give its `type`). `recall` searches, `list_memories` pages"
    " through everything, `forget` deletes one memory, `memory_history` explains one."
)

# Argument types: the SDK reads the annotations from this module's globals, so they live here.
UserArg = Annotated[
    str | None,
    Field(
        description="Whose memory. Required unless the server was started with --user, which"
        " fixes the user (another user_id is then refused).",
        max_length=256,
    ),
]
MemoryIdArg = Annotated[
    str, Field(min_length=1, description="A memory_id, as returned by the other tools.")
]
TypesArg = Annotated[
    list[MemoryType] | None, Field(description="Only semantic memories of these types.")
]
KindsArg = Annotated[
    list[MemoryKind] | None,
    Field(description="`episodic` (turns as said) and/or `semantic` (extracted facts)."),
]


class Extracted(BaseModel):
    """What reconciliation did with one statement extracted from a turn."""

    decision: Decision
    type: MemoryType
    content: str
    memory_id: str | None
    reason: str


class Remembered(BaseModel):
    user_id: str
    turn_number: int | None = Field(description="The turn recorded; null for an explicit memory.")
    memories: list[MemoryRecord] = Field(
        description="What was written: the turn as said (episodic), or the explicit memory."
    )
    extracted: list[Extracted] = Field(
        description="Statements extracted from the turn (ADD, UPDATE, SUPERSEDE, MERGE, NOOP)."
    )


class Recalled(BaseModel):
    hits: list[SearchHit] = Field(
        description="Best first; `parts` holds the score parts, `parts.relevance` the calibrated"
        " relevance."
    )


class History(BaseModel):
    memory_id: str
    events: list[MemoryEvent]


@contextlib.contextmanager
def _tool_errors() -> Iterator[None]:
    """A refused input or a missing memory is the caller's to correct: an error result with the
    message (the SDK's ToolError), never a crash of the server."""
    try:
        yield
    except LongmemError as exc:
        raise ToolError(f"{exc.code}: {exc}") from None


def build_server(
    memory: Memory | Callable[[], Memory], *, user: str | None = None, name: str = "longmem"
) -> MCPServer:
    """An MCP server whose tools act on `memory` (or on what the factory returns, per call).
    With `user`, every tool acts for that user and refuses any other `user_id`."""
    memory_of: Callable[[], Memory] = memory if callable(memory) else (lambda: memory)
    instructions = INSTRUCTIONS + (f" Every memory here belongs to user {user!r}." if user else "")
    server: MCPServer = MCPServer(
        name, instructions=instructions, version=__version__, log_level="WARNING"
    )

    def owner(user_id: str | None) -> str:
        if user is None:
            if user_id is None:
                raise ToolError("user_id is required: this server serves many users")
            return user_id
        if user_id is not None and user_id != user:
            raise ToolError(f"this server is fixed to user {user!r}; user_id {user_id!r} refused")
        return user

    read_only = ToolAnnotations(read_only_hint=True, open_world_hint=False)

    @server.tool(
        description="Store something in long-term memory. Without `type`: a conversation turn,"
        " recorded as said and mined for facts, preferences, commitments and instructions (a"
        " correction supersedes what it contradicts). With `type`: one explicit memory, stored"
        " exactly as given.",
        annotations=ToolAnnotations(destructive_hint=False, open_world_hint=False),
    )
    def remember(
        content: Annotated[str, Field(min_length=1, description="What was said, or the fact.")],
        user_id: UserArg = None,
        type: Annotated[
            MemoryType | None, Field(description="Set to store an explicit memory of this type.")
        ] = None,
        role: Annotated[
            Literal["user", "assistant", "system"], Field(description="Who said the turn.")
        ] = "user",
        speaker: Annotated[
            str | None, Field(description="The speaker's name, in a conversation of several.")
        ] = None,
        confidence: Annotated[
            float, Field(ge=0, le=1, description="An explicit memory's confidence.")
        ] = 1.0,
    ) -> Remembered:
        who = owner(user_id)
        with _tool_errors():
            if type is not None:
                record = memory_of().add(who, content, type, confidence=confidence)
                return Remembered(user_id=who, turn_number=None, memories=[record], extracted=[])
            turn = memory_of().add_turn(who, content, role=role, speaker=speaker)
        return Remembered(
            user_id=who,
            turn_number=turn.turn_number,
            memories=turn.episodic,
            extracted=[
                Extracted(
                    decision=o.decision,
                    type=o.candidate.type,
                    content=o.candidate.content,
                    memory_id=o.memory_id,
                    reason=o.reason,
                )
                for o in turn.outcomes
            ],
        )

    @server.tool(
        description="Search a user's memories for what answers `query`, best first, each with"
        " its score parts (semantic, dense, lexical, recency, access, confidence) and a"
        " calibrated relevance in [0, 1]. Search ranks and does not filter: use `min_relevance`"
        " or `context` to keep only what is relevant.",
        annotations=read_only,
    )
    def recall(
        query: Annotated[str, Field(min_length=1, description="A question or a message.")],
        user_id: UserArg = None,
        top_k: Annotated[
            int | None, Field(ge=1, le=200, description="How many (MEMORY_RETRIEVAL_TOP_K).")
        ] = None,
        types: TypesArg = None,
        kinds: KindsArg = None,
        min_relevance: Annotated[
            float | None, Field(ge=0, le=1, description="Drop hits less relevant than this.")
        ] = None,
    ) -> Recalled:
        who = owner(user_id)
        with _tool_errors():
            hits = memory_of().search(
                who, query, top_k=top_k, types=types, kinds=kinds, min_relevance=min_relevance
            )
        return Recalled(hits=hits)

    @server.tool(
        description="The memory block to put into the prompt for a user's message: standing"
        " instructions, then what the message recalls above the relevance floor, within a token"
        " budget. `text` is the block; empty when nothing relevant is remembered.",
        annotations=read_only,
    )
    def context(
        message: Annotated[str, Field(min_length=1, description="The user's new message.")],
        user_id: UserArg = None,
        max_tokens: Annotated[
            int | None, Field(ge=1, description="Token budget (MAX_CONTEXT_TOKENS).")
        ] = None,
    ) -> ContextBlock:
        who = owner(user_id)
        with _tool_errors():
            return memory_of().context(who, message, max_tokens=max_tokens)

    @server.tool(
        description="A page of a user's memories, oldest first. Active ones unless `statuses`"
        " says otherwise; pass `next_cursor` back as `cursor` for the next page.",
        annotations=read_only,
    )
    def list_memories(
        user_id: UserArg = None,
        kinds: KindsArg = None,
        types: TypesArg = None,
        statuses: Annotated[
            list[MemoryStatus] | None,
            Field(description="active (default), superseded and/or deleted."),
        ] = None,
        cursor: Annotated[str | None, Field(description="`next_cursor` of the last page.")] = None,
        limit: Annotated[int, Field(ge=1, le=1000, description="Memories per page.")] = 50,
    ) -> Page:
        who = owner(user_id)
        with _tool_errors():
            return memory_of().list(
                who, kinds=kinds, types=types, statuses=statuses, cursor=cursor, limit=limit
            )

    @server.tool(
        description="Delete one memory. It leaves search, context and lists at once; its history"
        " is kept (see `memory_history`). Returns the memory as deleted.",
        annotations=ToolAnnotations(
            destructive_hint=True, idempotent_hint=False, open_world_hint=False
        ),
    )
    def forget(memory_id: MemoryIdArg, user_id: UserArg = None) -> MemoryRecord:
        who = owner(user_id)
        with _tool_errors():
            return memory_of().delete(who, memory_id)

    @server.tool(
        description="Every change of one memory, oldest first: created, updated, superseded"
        " (and by what), merged, decayed, deleted, restored, each with its reason and a"
        " snapshot.",
        annotations=read_only,
    )
    def memory_history(memory_id: MemoryIdArg, user_id: UserArg = None) -> History:
        who = owner(user_id)
        with _tool_errors():
            return History(memory_id=memory_id, events=memory_of().history(who, memory_id))

    return server


class TenantMcpApp:
    """Streamable HTTP for every tenant of API_KEYS: an ASGI app plus the lifespan it needs.

    A request carries its key as /api/v1 takes it (`X-API-Key: KEY` or `Authorization: Bearer
    KEY`); without keys configured the app is open and everything is tenant "default". To mount
    it in another Starlette/FastAPI app, add it as a route (`app.add_route("/mcp", mcp_app)`)
    and enter `mcp_app.lifespan()` in that app's lifespan: a mounted app's own lifespan never
    runs, and the SDK's session managers refuse requests until it has.
    """

    def __init__(
        self,
        memory_for: Callable[[str], Memory],
        tenant_keys: Mapping[str, str],
        *,
        user: str | None = None,
        host: str = "127.0.0.1",
        max_request_bytes: int = 1_048_576,
    ) -> None:
        self._keys = dict(tenant_keys)
        tenants = sorted(set(self._keys.values())) or [DEFAULT_TENANT]
        self._servers = {
            tenant: build_server(functools.partial(memory_for, tenant), user=user)
            for tenant in tenants
        }
        for server in self._servers.values():
            # Stateless, JSON answers: any replica can serve any request and each request is
            # authenticated on its own; none of the tools needs a server-to-client request.
            # On a loopback host the SDK also checks Host and Origin (DNS rebinding).
            server.streamable_http_app(
                stateless_http=True,
                json_response=True,
                host=host,
                max_request_body_size=max_request_bytes,
            )

    @property
    def tenants(self) -> list[str]:
        return list(self._servers)

    @contextlib.asynccontextmanager
    async def lifespan(self) -> AsyncIterator[None]:
        async with contextlib.AsyncExitStack() as stack:
            for server in self._servers.values():
                await stack.enter_async_context(server.session_manager.run())
            yield

    def tenant_for(self, key: str | None) -> str | None:
        """The key's tenant; every key is compared in constant time (no hint of a near miss)."""
        if not self._keys:
            return DEFAULT_TENANT
        return tenant_of(self._keys, key) if key else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        headers = {name.lower(): value.decode("latin-1") for name, value in scope["headers"]}
        key = headers.get(b"x-api-key")
        scheme, _, token = headers.get(b"authorization", "").partition(" ")
        if key is None and scheme.lower() == "bearer":
            key = token.strip()
        tenant = self.tenant_for(key)
        if tenant is None:
            if key:
                await _refuse(send, 403, "forbidden", "unknown API key")
            else:
                await _refuse(
                    send,
                    401,
                    "unauthorized",
                    "missing API key: send 'Authorization: Bearer KEY' or 'X-API-Key: KEY'",
                )
            return
        await self._servers[tenant].session_manager.handle_request(scope, receive, send)


async def _refuse(send: Send, status: int, code: str, message: str) -> None:
    """The /api/v1 error shape, `{"error": {"code", "message"}}`."""
    body = json.dumps({"error": {"code": code, "message": message}}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    if status == 401:
        headers.append((b"www-authenticate", b'Bearer realm="longmem"'))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def standalone_app(mcp_app: TenantMcpApp, path: str = "/mcp") -> Starlette:
    """`mcp_app` at `path`, with its lifespan: what `longmem mcp --http` serves."""
    from starlette.applications import Starlette
    from starlette.routing import Route

    return Starlette(routes=[Route(path, endpoint=mcp_app)], lifespan=lambda _: mcp_app.lifespan())


class TenantMemories:
    """One `Memory` per tenant over one shared store, embedder and cache, made on first use."""

    def __init__(self, settings: Settings, store: Store, embedder: Embedder, cache: Cache) -> None:
        self._settings, self._store, self._embedder, self._cache = settings, store, embedder, cache
        self._memories: dict[str, Memory] = {}
        self._lock = threading.Lock()

    def __call__(self, tenant: str) -> Memory:
        with self._lock:
            found = self._memories.get(tenant)
            if found is None:
                found = Memory(
                    self._settings,
                    store=self._store,
                    embedder=self._embedder,
                    cache=self._cache,
                    tenant_id=tenant,
                )
                self._memories[tenant] = found
            return found

    def close(self) -> None:
        with self._lock:
            for memory in self._memories.values():
                memory.close()
            self._memories.clear()


def serve_stdio(settings: Settings, *, user: str | None = None) -> None:
    """Serves one client on stdin/stdout until it closes them (what desktop clients start)."""
    # Stdout is the protocol: whatever a library prints while the model loads goes to stderr.
    with contextlib.redirect_stdout(sys.stderr):
        memory = Memory(settings)
    try:
        build_server(memory, user=user).run("stdio")
    finally:
        memory.close()


def serve_http(settings: Settings, *, user: str | None, host: str, port: int) -> None:
    """Serves streamable HTTP at http://HOST:PORT/mcp until interrupted."""
    import uvicorn

    from longmem.cache import open_cache
    from longmem.embedding.factory import make_embedder
    from longmem.store.embedding_record import check_embedder
    from longmem.store.factory import open_store

    embedder = make_embedder(settings)
    store = open_store(settings, embedder.dimension)
    memories = TenantMemories(settings, store, embedder, open_cache(settings))
    try:
        check_embedder(store, embedder)
        app = TenantMcpApp(
            memories,
            settings.tenant_keys,
            user=user,
            host=host,
            max_request_bytes=settings.max_request_bytes,
        )
        print(f"longmem MCP on http://{host}:{port}/mcp", file=sys.stderr)
        if not settings.tenant_keys:
            print(
                "NO API KEYS CONFIGURED: the MCP endpoint is open to anyone who can reach it."
                " Set API_KEYS=key:tenant,... before exposing it beyond this machine.",
                file=sys.stderr,
            )
        uvicorn.run(
            standalone_app(app), host=host, port=port, access_log=False, log_level="warning"
        )
    finally:
        memories.close()
        store.close()


__all__ = [
    "DEFAULT_TENANT",
    "Remembered",
    "TenantMcpApp",
    "TenantMemories",
    "build_server",
    "serve_http",
    "serve_stdio",
    "standalone_app",
]
