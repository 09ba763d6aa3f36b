"""The contract: schemathesis, every check and every phase (stateful included), against a real
`longmem serve` and the OpenAPI document it serves, open and with API keys. Zero failures: the
document states every status the service returns and the shape of every response, what it
accepts is accepted and what it refuses is refused with a 4xx.

This file is also the schemathesis hooks module of those runs (SCHEMATHESIS_HOOKS):
`filter_failure` drops the few reports that are the documented behaviour (the test prints each
with its reason), `filter_case` and `filter_body` leave out two inputs, each for its reason.
Settings: LONGMEM_CONTRACT_SEED, LONGMEM_CONTRACT_EXAMPLES, LONGMEM_CONTRACT_SCENARIOS.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
import schemathesis

from longmem.benchmark.served import Served

SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")
# Fixed, so a red run replays; LONGMEM_CONTRACT_SEED explores others.
SEED = os.environ.get("LONGMEM_CONTRACT_SEED", "20260501")
MAX_EXAMPLES = int(os.environ.get("LONGMEM_CONTRACT_EXAMPLES", "25"))
# Scenarios of the stateful phase: chains of calls through the document's links (create, read,
# delete, read again...). They cost little next to drawing inputs.
SCENARIOS = int(os.environ.get("LONGMEM_CONTRACT_SCENARIOS", "100"))
API_KEY = "contract-key"
DROPPED = "dropped-failures.txt"

# The checks' own settings. 413 is how the service refuses text over MAX_CONTENT_CHARS (the
# document's maxLength; README, "Errors"): a refusal like 422, which the check's default list
# of refusing statuses leaves out.
CONFIG = """
generation.max-examples = {examples}

[phases.stateful.generation]
max-examples = {scenarios}

[checks.negative_data_rejection]
expected-statuses = [
    "400", "401", "403", "404", "405", "406", "409", "413", "415", "422", "428", "429", "5xx",
]
"""

_TRUE = {"true", "1", "yes", "on"}
_ESCAPE = re.compile("%[0-9A-Fa-f]{2}")


def by_design(
    code: str, method: str, path: str, path_parameters: Any, query: Any, body: Any
) -> str:
    """Why a reported failure is the documented behaviour; "" when it is not. The path
    parameters are as sent, percent-encoded."""
    for value in (path_parameters or {}).values():
        # A user id from a response (stateful links) put back in a path: '/' splits the path,
        # even as %2F, so such an id cannot be named there (the UserId schema says so).
        if isinstance(value, str) and "/" in unquote(value):
            return "an id holding '/' in a path"
    user_id = (path_parameters or {}).get("user_id")
    sent = unquote(user_id) if isinstance(user_id, str) else None
    if code == "ST202" and sent is not None and not (sent.isprintable() and sent.strip()):
        # A valid id was drawn (positive data) but went out invalid: it held something like
        # "%0A", which schemathesis takes for escaped (see filter_body).
        return "a drawn user id that looks escaped, sent unescaped"
    if code == "ST301" and method == "GET" and path.endswith("/{memory_id}/history"):
        return "a deleted memory keeps its history"
    if code == "ST301" and method == "GET" and path.endswith("/{memory_id}"):
        include = (query or {}).get("include_deleted")
        if str(include).lower() in _TRUE:
            return "a deleted memory is served when asked for with include_deleted"
    if code == "ST202" and method == "POST" and path.endswith("/import"):
        # A line's history must be its own memory's: one field equal to another, which a
        # schema cannot say. Drawn events name other memories, and are refused (422).
        items = body.get("items") if isinstance(body, dict) else None
        if isinstance(items, list) and any(_foreign_history(i) for i in items):
            return "an imported history that belongs to another memory"
        ids = [i.get("memory", {}).get("memory_id") for i in items or [] if isinstance(i, dict)]
        if len(set(ids)) < len(ids):
            return "an import naming one memory twice"
    # Search takes its query as ?query=... or in the JSON body; OpenAPI cannot say "one of
    # the two", so a request with neither looks valid. It is refused (422).
    searching = code == "ST202" and method == "POST" and path.endswith("/search")
    if searching and "query" not in (query or {}) and not isinstance(body, dict):
        return "a search without a query"
    return ""


def _foreign_history(item: Any) -> bool:
    memory = item.get("memory", {}) if isinstance(item, dict) else {}
    owner = (memory.get("memory_id"), memory.get("user_id"))
    return any((e.get("memory_id"), e.get("user_id")) != owner for e in item.get("history", []))


@schemathesis.hook
def filter_failure(context: Any, failure: Any, case: Any, response: Any) -> bool:
    code = getattr(failure, "code", "")
    why = by_design(
        code, case.method.upper(), case.path, case.path_parameters, case.query, case.body
    )
    if why:  # the test prints these; the run's working directory is the test's
        with open(DROPPED, "a", encoding="utf-8") as dropped:
            dropped.write(f"{code} {case.method.upper()} {case.path}: {why}\n")
    return not why


@schemathesis.hook
def filter_case(context: Any, case: Any) -> bool:
    # The coverage phase imports as many turns as /turns takes (10,000). Recording them means
    # embedding each: ~45 s on a CPU, a wait no run of this suite affords. Smaller imports
    # check the same contract, and 10,001 turns (refused) still goes.
    turns = case.body.get("turns") if isinstance(case.body, dict) else None
    return not (isinstance(turns, list) and 1_000 < len(turns) <= 10_000)


# schemathesis takes a value that looks escaped for escaped ("%20a" goes as " a", to keep its
# quoting idempotent). A user id created with such a body, then named in a path (stateful
# links), would name another user: such ids are not drawn for bodies. In a path, see by_design.
@schemathesis.hook
def filter_body(context: Any, body: Any) -> bool:
    user_id = body.get("user_id") if isinstance(body, dict) else None
    return not (isinstance(user_id, str) and _ESCAPE.search(user_id))


def clean_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"REDIS_URL", "DATABASE_URL", "API_KEYS"} and not k.startswith("OPENAI_")
    }
    return {**env, "LONGMEM_HOME": str(tmp_path / "home"), **extra}


def report(output: str) -> str:
    """The errors, failures and summary of a schemathesis run, as it printed them."""
    marks = [output.find(m) for m in ("= ERRORS =", "= FAILURES =", "= SUMMARY =")]
    start = min((i for i in marks if i >= 0), default=0)
    return output[output.rfind("\n", 0, start) + 1 :]


def schemathesis_run(tmp_path: Path, served: Served, *headers: str) -> subprocess.Popen[str]:
    config = tmp_path / "schemathesis.toml"
    config.write_text(CONFIG.format(examples=MAX_EXAMPLES, scenarios=SCENARIOS))
    command = [str(SCHEMATHESIS), "--config-file", str(config), "run"]
    command += [f"http://127.0.0.1:{served.port}/openapi.json", "--checks", "all"]
    command += ["--phases", "examples,coverage,fuzzing,stateful"]
    command += ["--seed", SEED, "--no-color"]
    command += ["--generation-database", "none", "--request-timeout", "30"]
    # Hypothesis times its own data generation; on a busy 2-core machine it calls drawing the
    # conversation body "too slow" and stops that operation's fuzzing: a fact about the
    # machine, not the service.
    command += ["--suppress-health-check", "too_slow"]
    for header in headers:
        command += ["--header", header]
    env = {
        **os.environ,
        "SCHEMATHESIS_HOOKS": __file__,
        "PYTHONPATH": os.pathsep.join([str(Path(__file__).parents[1]), *sys.path]),
    }
    return subprocess.Popen(
        command,
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


@pytest.mark.slow
def test_the_service_keeps_its_openapi_contract(tmp_path: Path) -> None:
    """Open (no API_KEYS, no security in the document) and with a key (the document asks for
    one; schemathesis also sends none and a wrong one: 401, 403). Both at once, on their own
    services: the runs are CPU-bound and each uses one core."""
    runs = {"open": clean_env(tmp_path / "open")}
    runs["api-keys"] = clean_env(tmp_path / "api-keys", API_KEYS=f"{API_KEY}:contract")
    headers = {"open": [], "api-keys": [f"X-API-Key: {API_KEY}"]}
    started = time.monotonic()
    services: dict[str, Served] = {}
    processes: dict[str, subprocess.Popen[str]] = {}
    outputs: dict[str, tuple[int, str]] = {}
    try:
        for name, env in runs.items():
            (tmp_path / name).mkdir()
            services[name] = Served(env, tmp_path / name / "serve.log").start()
        for name in runs:
            processes[name] = schemathesis_run(tmp_path / name, services[name], *headers[name])
        for name, process in processes.items():
            out, _ = process.communicate(timeout=900)
            outputs[name] = (process.returncode, out)
    finally:
        for process in processes.values():
            if process.poll() is None:
                process.kill()
                process.wait()
        for served in services.values():
            served.stop()
    print(f"schemathesis ran {time.monotonic() - started:.0f} s")
    for name, (_, output) in outputs.items():
        dropped = tmp_path / name / DROPPED
        reasons = Counter(dropped.read_text().splitlines() if dropped.exists() else [])
        print(f"--- {name} ---\n{report(output)}")
        print("dropped by design:", *(f"{n} x {r}" for r, n in reasons.most_common()), sep="\n")
    for name, (code, output) in outputs.items():
        assert code == 0, f"schemathesis ({name}) found failures:\n{report(output)}"
        tested = re.search(r"Tested: (\d+)", output)
        generated = re.search(r"(\d+) generated", output)
        assert tested and int(tested.group(1)) >= 14, output[-3000:]
        assert generated and int(generated.group(1)) > 0, output[-3000:]
        assert "Scenarios:" in output, output[-3000:]  # the stateful phase ran
