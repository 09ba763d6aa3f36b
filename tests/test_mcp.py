"""`longmem mcp`, started as a real subprocess and driven by the MCP SDK's own client: over stdio
(what desktop clients start) and over streamable HTTP with the API keys of /api/v1."""

from __future__ import annotations

import functools
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

import httpx
import httpx2
import pytest
from anyio.from_thread import BlockingPortal, start_blocking_portal
from mcp import ClientSession, StdioServerParameters, stdio_client
from mcp.client.streamable_http import streamable_http_client
from mcp.types import CallToolResult, TextContent

LONGMEM = str(Path(sys.executable).parent / "longmem")
TOOLS = {"remember", "recall", "context", "list_memories", "forget", "memory_history"}
PARTS = {"semantic", "dense", "lexical", "recency", "access", "confidence", "relevance"}
DROPPED = {"REDIS_URL", "DATABASE_URL", "API_KEYS"}

Streams = AbstractAsyncContextManager[Any]


class Mcp:
    """A connected SDK client session, called from synchronous tests through a portal."""

    def __init__(self, portal: BlockingPortal, session: ClientSession) -> None:
        self._portal, self._session = portal, session

    def tools(self) -> list[Any]:
        return list(self._portal.call(self._session.list_tools).tools)

    def call(self, tool: str, **arguments: Any) -> CallToolResult:
        return self._portal.call(functools.partial(self._session.call_tool, tool, arguments))

    def ok(self, tool: str, **arguments: Any) -> Any:
        result = self.call(tool, **arguments)
        assert not result.is_error, error_text(result)
        return result.structured_content

    def error(self, tool: str, **arguments: Any) -> str:
        result = self.call(tool, **arguments)
        assert result.is_error, result.structured_content
        return error_text(result)


def error_text(result: CallToolResult) -> str:
    return " ".join(c.text for c in result.content if isinstance(c, TextContent))


@asynccontextmanager
async def _initialized(transport: Callable[[], Streams]) -> AsyncIterator[ClientSession]:
    async with transport() as (read, write), ClientSession(read, write) as session:
        await session.initialize()
        yield session


@contextmanager
def connected(transport: Callable[[], Streams]) -> Iterator[Mcp]:
    with (
        start_blocking_portal() as portal,
        portal.wrap_async_context_manager(_initialized(transport)) as session,
    ):
        yield Mcp(portal, session)


def server_env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in DROPPED and not k.startswith("OPENAI_")}
    return {**env, "LONGMEM_HOME": str(home), **extra}


# -- stdio -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def stdio(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Mcp]:
    """One `longmem mcp --user ann` for the module, as a desktop client starts it."""
    work = tmp_path_factory.mktemp("mcp-stdio")
    params = StdioServerParameters(
        command=LONGMEM,
        args=["mcp", "--user", "ann"],
        env=server_env(work / "home"),
        cwd=work,  # no .env of the checkout
    )
    with (
        (work / "stderr.log").open("w") as errlog,
        connected(lambda: stdio_client(params, errlog=errlog)) as client,
    ):
        yield client
    log = (work / "stderr.log").read_text()
    assert "Traceback" not in log, log


def test_the_six_tools_are_listed_with_descriptions_and_input_schemas(stdio: Mcp) -> None:
    tools = {tool.name: tool for tool in stdio.tools()}
    assert set(tools) == TOOLS
    for tool in tools.values():
        assert len(tool.description or "") > 40, tool.name
        assert tool.input_schema["type"] == "object"
        assert "user_id" in tool.input_schema["properties"], tool.name
        assert tool.output_schema is not None, tool.name
    assert tools["remember"].input_schema["required"] == ["content"]
    assert tools["recall"].input_schema["required"] == ["query"]
    assert tools["forget"].input_schema["required"] == ["memory_id"]
    assert tools["forget"].annotations.destructive_hint is True
    assert tools["recall"].annotations.read_only_hint is True


def test_a_remembered_turn_is_recalled_with_its_score_parts(stdio: Mcp) -> None:
    stored = stdio.ok("remember", content="I play the cello in a string quartet on Tuesdays")
    assert stored["user_id"] == "ann"
    assert stored["turn_number"] >= 1
    assert [m["kind"] for m in stored["memories"]] == ["episodic"]

    hits = stdio.ok("recall", query="Which instrument do I play?")["hits"]
    assert "cello" in hits[0]["memory"]["content"]
    assert set(hits[0]["parts"]) == PARTS
    assert 0 < hits[0]["parts"]["relevance"] <= 1
    # --user fixes the user: naming it again is fine
    assert stdio.ok("recall", query="cello", user_id="ann", top_k=1)["hits"]


def test_context_returns_the_prompt_block_for_a_message(stdio: Mcp) -> None:
    stdio.ok("remember", content="I moved to Lisbon last spring")
    block = stdio.ok("context", message="Which city do I live in now?")
    assert "Lisbon" in block["text"]
    assert block["tokens"] > 0
    assert block["memories"]
    # a question about something never said adds nothing to the prompt
    nothing = stdio.ok("context", message="What is the name of my pet iguana?")
    assert (nothing["text"], nothing["memories"]) == ("", [])


def test_list_forget_and_history_of_an_explicit_memory(stdio: Mcp) -> None:
    made = stdio.ok("remember", content="Prefers green tea over coffee", type="preference")
    assert made["turn_number"] is None
    memory_id = made["memories"][0]["memory_id"]
    listed = stdio.ok("list_memories", types=["preference"])
    assert memory_id in [m["memory_id"] for m in listed["items"]]

    gone = stdio.ok("forget", memory_id=memory_id)
    assert gone["status"] == "deleted"
    listed = stdio.ok("list_memories", types=["preference"])
    assert memory_id not in [m["memory_id"] for m in listed["items"]]
    deleted = stdio.ok("list_memories", statuses=["deleted"])
    assert memory_id in [m["memory_id"] for m in deleted["items"]]

    history = stdio.ok("memory_history", memory_id=memory_id)
    assert [e["action"] for e in history["events"]] == ["create", "delete"]


def test_bad_arguments_are_error_results_and_the_server_keeps_serving(stdio: Mcp) -> None:
    message = stdio.error("forget", memory_id="no-such-memory")
    assert "not_found" in message and "no-such-memory" in message
    assert "no-such-memory" in stdio.error("memory_history", memory_id="no-such-memory")
    assert "content" in stdio.error("remember", content="")
    assert "must not be empty" in stdio.error("remember", content="   ")
    assert "top_k" in stdio.error("recall", query="cello", top_k=0)
    assert "type" in stdio.error("remember", content="x", type="opinion")
    assert "fixed to user 'ann'" in stdio.error("recall", query="cello", user_id="bob")
    assert "nope" in stdio.error("nope")

    assert stdio.ok("recall", query="Which instrument do I play?")["hits"]


def test_stdout_carries_nothing_but_the_protocol(tmp_path: Path) -> None:
    """A desktop client reads every stdout line as JSON-RPC: one stray print breaks it."""
    server = subprocess.Popen(
        [LONGMEM, "mcp", "--user", "ann"],
        cwd=tmp_path,
        env=server_env(tmp_path / "home"),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert server.stdin is not None and server.stdout is not None
    watchdog = threading.Timer(60, server.kill)
    watchdog.start()
    try:

        def send(message: dict[str, Any]) -> None:
            assert server.stdin is not None
            server.stdin.write(json.dumps({"jsonrpc": "2.0", **message}) + "\n")
            server.stdin.flush()

        client = {"name": "raw", "version": "0"}
        hello = {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": client}
        send({"id": 1, "method": "initialize", "params": hello})
        assert json.loads(server.stdout.readline())["result"]["serverInfo"]["name"] == "longmem"
        send({"method": "notifications/initialized"})
        send({"id": 2, "method": "tools/list"})
        assert len(json.loads(server.stdout.readline())["result"]["tools"]) == len(TOOLS)
        server.stdin.close()
        rest, err = server.stdout.read(), server.stderr.read() if server.stderr else ""
        assert server.wait(timeout=30) == 0, err
    finally:
        watchdog.cancel()
        server.kill()
    assert rest == ""
    assert "Traceback" not in err


# -- streamable HTTP -------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module", params=["mcp --http", "serve"])
def mcp_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """Streamable HTTP with two keys of two tenants: `longmem mcp --http`, and the same
    mounted at /mcp by `longmem serve`."""
    work = tmp_path_factory.mktemp("mcp-http")
    port = free_port()
    url = f"http://127.0.0.1:{port}/mcp"
    log = work / "server.log"
    command = ["mcp", "--http"] if request.param == "mcp --http" else ["serve"]
    with log.open("w") as out:
        server = subprocess.Popen(
            [LONGMEM, *command, "--host", "127.0.0.1", "--port", str(port)],
            cwd=work,
            env=server_env(work / "home", API_KEYS="k1:t1,k2:t2"),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.post(url, json={}, timeout=2).status_code == 401:
                    break
            except httpx.TransportError:
                pass
            assert server.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "longmem mcp --http did not come up"
            time.sleep(0.2)
        yield url
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=20)
    assert "Traceback" not in log.read_text(), log.read_text()


def over_http(url: str, headers: dict[str, str]) -> Callable[[], Streams]:
    @asynccontextmanager
    async def transport() -> AsyncIterator[Any]:
        async with (
            httpx2.AsyncClient(headers=headers, timeout=30) as http,
            streamable_http_client(url, http_client=http) as streams,
        ):
            yield streams

    return transport


def test_http_refuses_a_request_without_a_known_key(mcp_url: str) -> None:
    initialize = {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {}}
    missing = httpx.post(mcp_url, json=initialize, timeout=5)
    assert missing.status_code == 401
    assert missing.json()["error"]["code"] == "unauthorized"
    wrong = httpx.post(mcp_url, json=initialize, headers={"X-API-Key": "k3"}, timeout=5)
    assert wrong.status_code == 403
    assert wrong.json() == {"error": {"code": "forbidden", "message": "unknown API key"}}


def test_http_a_key_acts_within_its_tenant_only(mcp_url: str) -> None:
    with connected(over_http(mcp_url, {"X-API-Key": "k1"})) as t1:
        stored = t1.ok("remember", user_id="u", content="My locker code at the gym is 4711")
        memory_id = stored["memories"][0]["memory_id"]
        assert (
            "4711"
            in t1.ok("recall", user_id="u", query="locker code")["hits"][0]["memory"]["content"]
        )
        assert "user_id is required" in t1.error("recall", query="locker code")

    with connected(over_http(mcp_url, {"Authorization": "Bearer k2"})) as t2:
        assert t2.ok("recall", user_id="u", query="locker code")["hits"] == []
        assert t2.ok("list_memories", user_id="u")["items"] == []
        assert t2.ok("context", user_id="u", message="What is my locker code?")["text"] == ""
        assert "not_found" in t2.error("forget", user_id="u", memory_id=memory_id)
        assert "not_found" in t2.error("memory_history", user_id="u", memory_id=memory_id)

    with connected(over_http(mcp_url, {"X-API-Key": "k1"})) as t1:
        history = t1.ok("memory_history", user_id="u", memory_id=memory_id)
        assert [e["action"] for e in history["events"]] == ["create"]
