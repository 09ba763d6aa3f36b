"""The README is a front door whose commands work: its Quick start is run as written against a
real `make serve`, its library example in a fresh directory, its MCP snippet is started as a
desktop client would start it, and every link in it and in docs/ leads somewhere."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from mcp import StdioServerParameters, stdio_client

from test_mcp import TOOLS, connected, server_env

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()
DOCS = sorted((ROOT / "docs").glob("*.md"))
FENCE = re.compile(r"^```(\w+)\n(.*?)^```", re.M | re.S)
PUBLISHED_PORT = "localhost:8000"


def blocks(language: str, text: str = README) -> list[str]:
    return [body for lang, body in FENCE.findall(text) if lang == language]


def section(title: str) -> str:
    start = README.index(f"## {title}\n")
    end = README.find("\n## ", start + 1)
    return README[start : end if end != -1 else None]


def commands(script: str) -> list[str]:
    """Shell commands of a block: comments dropped, continued lines joined."""
    joined = script.replace("\\\n", " ")
    return [
        line.split("#")[0].strip() for line in joined.splitlines() if line.split("#")[0].strip()
    ]


def json_documents(text: str) -> list[dict[str, Any]]:
    """The JSON answers of several curl calls, printed one after another."""
    decoder, found, at = json.JSONDecoder(), [], 0
    while at < len(text.rstrip()):
        document, at = decoder.raw_decode(text, at)
        found.append(document)
        while at < len(text) and text[at].isspace():
            at += 1
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_the_readme_is_a_front_door_under_ten_thousand_characters() -> None:
    assert len(README) < 10_000, len(README)
    for title in ("Quick start", "The library, in your own process", "How well it works"):
        assert section(title)
    # the current benchmark table is in it
    assert "| longmem search |" in section("How well it works")


def test_the_quick_start_has_exactly_two_set_up_commands_and_make_knows_both() -> None:
    setup = commands(blocks("bash", section("Quick start"))[0])
    assert setup == ["make serve", "make test"]
    for command in setup:
        dry = subprocess.run([*command.split(), "-n"], cwd=ROOT, capture_output=True, text=True)
        assert dry.returncode == 0, dry.stderr


def test_every_link_in_the_readme_and_docs_leads_to_a_file_and_heading() -> None:
    documents = [ROOT / "README.md", *DOCS]
    assert len(DOCS) >= 8
    for document in documents:
        for target in re.findall(r"\]\(([^)\s]+)\)", document.read_text()):
            if target.startswith(("http://", "https://")):
                continue
            path, _, anchor = target.partition("#")
            linked = (document.parent / path).resolve() if path else document
            assert linked.exists(), f"{document.name}: {target}"
            if anchor:
                headings = re.findall(r"^#+ (.+)$", linked.read_text(), re.M)
                slugs = {re.sub(r"[^\w\- ]", "", h.lower()).replace(" ", "-") for h in headings}
                assert anchor in slugs, f"{document.name}: {target}"
    # every document in docs/ is reachable from the README
    linked_docs = set(re.findall(r"\(docs/([\w\-]+\.md)\)", README))
    assert linked_docs == {doc.name for doc in DOCS}


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The README's run command, `make serve`, on a port of its own; yields host:port."""
    home = tmp_path_factory.mktemp("readme-serve")
    port = free_port()
    env = {**server_env(home / "store"), "PORT": str(port)}
    log = (home / "serve.log").open("w")
    server = subprocess.Popen(
        ["make", "--no-print-directory", "serve"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    address = f"127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"http://{address}/api/v1/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert server.poll() is None, (home / "serve.log").read_text()
            assert time.monotonic() < deadline, "make serve did not come up"
            time.sleep(0.3)
        yield address
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)
        log.close()


def test_the_quick_starts_curl_commands_record_a_turn_and_find_it(served: str) -> None:
    script = blocks("bash", section("Quick start"))[1].replace(PUBLISHED_PORT, served)
    out = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script], capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr
    answers = json_documents(out.stdout)
    assert [set(a) >= {"user_id"} for a in answers] == [True, True], out.stdout
    found = [hit["memory"]["content"] for hit in answers[1]["results"]]
    assert any("espresso" in content for content in found), found


def test_the_quick_starts_python_client_example_prints_what_it_stored(
    served: str, tmp_path: Path
) -> None:
    example = blocks("python", section("Quick start"))[0]
    assert "from longmem import Client" in example
    out = subprocess.run(
        [sys.executable, "-c", example.replace(PUBLISHED_PORT, served)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    assert "Lisbon" in out.stdout.splitlines()[0], out.stdout


@pytest.mark.slow
def test_the_library_example_runs_as_written_in_a_fresh_directory(tmp_path: Path) -> None:
    example = blocks("python", section("The library, in your own process"))[0]
    env = server_env(tmp_path / "unused")
    del env["LONGMEM_HOME"]  # the example's own default: ./.longmem
    out = subprocess.run(
        [sys.executable, "-c", example],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert "espresso" in out.stdout, out.stdout
    assert (tmp_path / ".longmem" / "longmem.db").exists()


def test_the_mcp_snippet_starts_a_server_with_the_six_tools(tmp_path: Path) -> None:
    snippet = json.loads(
        blocks("json", section("From an MCP client (Claude Desktop, Cursor, VS Code)"))[0]
    )
    server = snippet["mcpServers"]["longmem"]
    assert server["command"] == "longmem"
    params = StdioServerParameters(
        command=str(Path(sys.executable).parent / server["command"]),
        args=server["args"],
        env={**server_env(tmp_path / "home"), **server["env"], "LONGMEM_HOME": str(tmp_path / "h")},
        cwd=tmp_path,
    )
    with (
        (tmp_path / "stderr.log").open("w") as errlog,
        connected(lambda: stdio_client(params, errlog=errlog)) as client,
    ):
        assert {tool.name for tool in client.tools()} == TOOLS
        stored = client.ok("remember", content="I keep bees on my allotment")
        assert stored["user_id"] == server["args"][server["args"].index("--user") + 1]
