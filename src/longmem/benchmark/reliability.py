"""`longmem bench reliability`: what the service survives, in figures.

Each scenario runs real processes (`longmem serve`, Celery, PostgreSQL, Redis), does something
a bad day does to them, and then reads the store around longmem. The test suite runs the same
scenarios smaller (tests/reliability); the bench runs them at full size and prints the table
the README shows.
"""

from __future__ import annotations

import itertools
import random
import statistics
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager, ExitStack, contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx

from longmem.benchmark.served import (
    OwnPostgres,
    Served,
    StoreView,
    celery,
    clean_env,
    end,
    own_postgres,
    own_redis,
    said,
    wait_for,
)


@dataclass
class Outcome:
    """One row of the table. `errors` counts answers the scenario does not allow (a 503 while
    the database is down is allowed, and counted in `notes`)."""

    scenario: str
    store: str
    done: str
    acknowledged: int = 0  # turns the service answered 200 for
    lost: int = 0  # of those, missing from the store afterwards
    unextracted: int = 0  # of those, never extracted
    requests: int = 0
    errors: int = 0
    leaks: int = 0
    problems: dict[str, int] = field(default_factory=dict)  # store rules broken
    notes: str = ""
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not (self.lost or self.unextracted or self.errors or self.leaks or self.problems)


@dataclass
class _Backing:
    env: dict[str, str]  # of a served process on this store
    view: StoreView
    pg: OwnPostgres | None = None


@contextmanager
def _store(kind: str, workdir: Path, password: str | None = None) -> Iterator[_Backing]:
    if kind == "sqlite":
        yield _Backing(clean_env(workdir), StoreView(sqlite_path=workdir / "home" / "longmem.db"))
        return
    with own_postgres(password=password) as pg:
        yield _Backing(clean_env(workdir, DATABASE_URL=pg.url), StoreView(postgres_url=pg.url), pg)


def _acknowledged_check(outcome: Outcome, view: StoreView, acked: dict[str, set[int]]) -> None:
    outcome.acknowledged = sum(len(t) for t in acked.values())
    outcome.lost = sum(len(t - view.turns(u)) for u, t in acked.items())
    outcome.unextracted = sum(len(t - view.turns(u, "semantic")) for u, t in acked.items())
    outcome.problems = view.problems()


# -- load --------------------------------------------------------------------------------------


class Load:
    """Clients in closed loops until stopped. Each round of a client: a new turn through
    /conversation, a search, and every `add_every` rounds an explicit memory. Answers are
    counted by status, latencies kept by operation, acknowledged turns kept per user."""

    def __init__(self, base: str, clients: int = 4, timeout: float = 15, add_every: int = 0):
        self.base, self.timeout, self.add_every = base, timeout, add_every
        self.statuses: Counter[int | str] = Counter()
        self.failures: list[str] = []
        self.latency: dict[str, list[float]] = {"conversation": [], "search": [], "add": []}
        self.acknowledged: dict[str, set[int]] = {f"load{i}": set() for i in range(clients)}
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._threads = [
            threading.Thread(target=self._client, args=(u,)) for u in self.acknowledged
        ]

    def __enter__(self) -> Load:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join()

    def answered(self, status: int | None = None) -> int:
        with self._lock:
            return self.statuses[status] if status is not None else sum(self.statuses.values())

    def _count(self, op: str, status: int | str, seconds: float, body: str) -> None:
        with self._lock:
            self.statuses[status] += 1
            if status == 200 or status == 201:
                self.latency[op].append(seconds * 1000)
            else:
                self.failures.append(f"{status} {op}: {body[:300]}")

    def _client(self, user: str) -> None:
        turn = 0
        with httpx.Client(base_url=self.base, timeout=self.timeout) as client:
            while not self._stop.is_set():
                turn += 1
                calls = [
                    (
                        "conversation",
                        "/conversation",
                        {"user_id": user, "turn_number": turn, "message": said(turn)},
                    ),
                    ("search", f"/memories/{user}/search", {"query": "Where do I live?"}),
                ]
                if self.add_every and turn % self.add_every == 0:
                    memory = {
                        "user_id": user,
                        "content": f"User's locker code is {turn}",
                        "type": "fact",
                    }
                    calls.append(("add", "/memories", memory))
                for op, path, body in calls:
                    started = time.perf_counter()
                    try:
                        answer = client.post(path, json=body)
                    except httpx.TimeoutException:
                        self._count(op, "timeout", 0, f"no answer in {self.timeout} s")
                        continue
                    except httpx.TransportError as exc:
                        self._count(op, "refused", 0, str(exc))
                        continue
                    self._count(op, answer.status_code, time.perf_counter() - started, answer.text)
                    if op == "conversation" and answer.status_code == 200:
                        self.acknowledged[user].add(turn)


def _last_server_error(log: Path) -> str:
    """The end of the last traceback the served process logged: what a 500 was."""
    text = log.read_text(errors="replace") if log.exists() else ""
    at = text.rfind("Traceback (most recent call last)")
    return text[at:][-3000:] if at >= 0 else ""


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _p(values: list[float], q: float) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def load(store: str, workdir: Path, *, clients: int = 32, seconds: float = 60) -> Outcome:
    """Closed-loop clients for `seconds`, mixed conversation / search / add."""
    with _store(store, workdir) as backing:
        view = backing.view
        served = Served(backing.env, workdir / "serve.log").start()
        try:
            pid = served.process.pid if served.process else 0
            rss_start = _rss_mb(pid)
            started = time.monotonic()
            with Load(served.base, clients=clients, timeout=30, add_every=5) as running:
                time.sleep(seconds)
            elapsed = time.monotonic() - started
            rss_end = _rss_mb(pid)
            wait_for(lambda: view.pending() == 0, 300, "extraction to catch up")
        finally:
            served.stop()
        outcome = Outcome(
            "load",
            store,
            f"{clients} closed-loop clients, {seconds:.0f} s, conversation / search / add",
        )
        outcome.requests = running.answered()
        outcome.errors = outcome.requests - running.answered(200) - running.answered(201)
        _acknowledged_check(outcome, view, running.acknowledged)
        every = [ms for values in running.latency.values() for ms in values]
        outcome.details = {
            "throughput_per_s": outcome.requests / elapsed,
            "p50_ms": _p(every, 50),
            "p95_ms": _p(every, 95),
            "p95_by_op_ms": {op: _p(v, 95) for op, v in running.latency.items() if v},
            "rss_start_mb": rss_start,
            "rss_end_mb": rss_end,
            "failures": running.failures[:5],
            "server_error": _last_server_error(workdir / "serve.log"),
        }
        outcome.notes = (
            f"{outcome.requests / elapsed:.0f} req/s, p95 {_p(every, 95):.0f} ms, "
            f"RSS {rss_start:.0f} -> {rss_end:.0f} MB"
        )
        return outcome


# -- crash -------------------------------------------------------------------------------------


def kill_mid_ingest(
    store: str, workdir: Path, *, batches: int = 3, batch_size: int = 150
) -> Outcome:
    """kill -9 of `longmem serve` while single turns arrive and batches are being extracted,
    then a restart: what was acknowledged, what is stored, and whether extraction resumed."""
    with _store(store, workdir) as backing:
        env, view = backing.env, backing.view
        served = Served(env, workdir / "serve.log").start()
        acked: dict[str, set[int]] = {"single": set(), "batch": set()}
        refused = Counter[int]()
        stop_singles = threading.Event()

        def singles() -> None:
            with httpx.Client(base_url=served.base, timeout=10) as client:
                for turn in itertools.count(1):
                    if stop_singles.is_set():
                        return
                    try:
                        answer = client.post(
                            "/conversation",
                            json={"user_id": "single", "turn_number": turn, "message": said(turn)},
                        )
                    except httpx.TransportError:
                        return  # the server is gone
                    if answer.status_code == 200:
                        acked["single"].add(turn)
                    else:
                        refused[answer.status_code] += 1

        sender = threading.Thread(target=singles)
        sender.start()
        try:
            with httpx.Client(base_url=served.base, timeout=120) as client:
                for batch in range(batches):
                    first = 1 + batch * batch_size
                    numbers = range(first, first + batch_size)
                    turns = [{"content": said(n), "turn_number": n} for n in numbers]
                    answer = client.post("/turns", json={"user_id": "batch", "turns": turns})
                    if answer.status_code == 200:
                        acked["batch"].update(numbers)
                    else:
                        refused[answer.status_code] += 1
            wait_for(lambda: len(acked["single"]) >= 10, 60, "single turns acknowledged")
        finally:
            served.kill()
            stop_singles.set()
            sender.join()
        outcome = Outcome(
            "kill -9 mid-ingest",
            store,
            f"single turns and {batches} /turns batches of {batch_size}, serve killed, restarted",
        )
        stored_at_kill = {u: t & view.turns(u) for u, t in acked.items()}
        pending_at_kill = view.pending()
        problems_at_kill = view.problems()
        restarted = Served(env, workdir / "serve.log").start()
        try:
            wait_for(lambda: view.pending() == 0, 300, "queued extraction to resume")
        finally:
            restarted.stop()
        _acknowledged_check(outcome, view, acked)
        outcome.lost = sum(len(t - stored_at_kill[u]) for u, t in acked.items())
        outcome.problems = {**problems_at_kill, **outcome.problems}
        outcome.requests = outcome.acknowledged + sum(refused.values())
        outcome.errors = sum(refused.values())
        outcome.details = {"pending_at_kill": pending_at_kill}
        outcome.notes = f"{pending_at_kill} extractions queued at the kill, resumed at restart"
        return outcome


# -- dependencies ------------------------------------------------------------------------------


def redis_outage(workdir: Path, *, clients: int = 4, answers: int = 40) -> Outcome:
    """Redis (cache and Celery broker) stopped under load and started again, empty."""
    outcome = Outcome(
        "Redis stopped mid-load", "postgresql", "Redis killed under load, restarted empty"
    )
    with own_postgres() as pg, own_redis(workdir) as redis_server:
        view = StoreView(postgres_url=pg.url)
        env = clean_env(
            workdir, DATABASE_URL=pg.url, REDIS_URL=redis_server.url, TASK_REDELIVERY_SECONDS="2"
        )
        worker = celery(
            ["worker", "-B", "--pool=solo", "--loglevel=INFO", "--schedule", str(workdir / "beat")],
            env,
            workdir / "worker.log",
        )
        served = Served(env, workdir / "serve.log").start()
        try:
            with Load(served.base, clients=clients) as running:
                wait_for(lambda: running.answered() >= answers, 60, "load to warm up")
                redis_server.stop()
                down_from = running.answered()
                wait_for(
                    lambda: running.answered() >= down_from + answers,
                    60,
                    "answers while Redis is down",
                )
                redis_server.start()
                back_from = running.answered()
                wait_for(
                    lambda: running.answered() >= back_from + answers,
                    60,
                    "answers after Redis is back",
                )
            hits = _metric(served.base, "cache_hits_total", 'cache="query_embedding"')
            # Within a few seconds: one slow Redis reply on a loaded machine (its timeout is
            # 50 ms) sets the cache aside for a second again, as it should.
            cache_back = False
            for _ in range(10):
                httpx.post(
                    f"{served.base}/memories/load0/search", json={"query": "Where do I live?"}
                )
                cache_back = (
                    _metric(served.base, "cache_hits_total", 'cache="query_embedding"') > hits
                )
                if cache_back:
                    break
                time.sleep(0.5)
            wait_for(
                lambda: view.pending() == 0, 180, "lost tasks to be sent again from the outbox"
            )
        finally:
            served.stop()
            end(worker)
        outcome.requests = running.answered()
        outcome.errors = outcome.requests - running.answered(200)
        _acknowledged_check(outcome, view, running.acknowledged)
        outcome.details = {"cache_used_again": cache_back, "failures": running.failures[:5]}
        outcome.notes = "cache used again after" if cache_back else "cache NOT used again"
        if not cache_back:
            outcome.errors += 1
        return outcome


def _metric(base: str, name: str, label: str) -> float:
    text = httpx.get(base.removesuffix("/api/v1") + "/metrics", timeout=5).text
    for line in text.splitlines():
        if line.startswith(name) and label in line:
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def postgres_restart(workdir: Path, *, clients: int = 4, answers: int = 40) -> Outcome:
    """PostgreSQL stopped under load until some requests have been refused, then started."""
    outcome = Outcome(
        "PostgreSQL restarted mid-load", "postgresql", "server stopped under load, started again"
    )
    with own_postgres() as pg:
        view = StoreView(postgres_url=pg.url)
        served = Served(clean_env(workdir, DATABASE_URL=pg.url), workdir / "serve.log").start()
        try:
            with Load(served.base, clients=clients) as running:
                wait_for(lambda: running.answered() >= answers, 60, "load to warm up")
                pg.stop()
                wait_for(lambda: running.answered(503) >= 8, 60, "503s while PostgreSQL is down")
                pg.start()
                back_from = running.answered(200)
                wait_for(
                    lambda: running.answered(200) >= back_from + answers,
                    60,
                    "answers after the restart",
                )
            wait_for(lambda: view.pending() == 0, 180, "extraction retried after the restart")
        finally:
            served.stop()
        unavailable = [f for f in running.failures if f.startswith("503")]
        clear = [f for f in unavailable if "store_error" in f and "PostgreSQL" in f]
        outcome.requests = running.answered()
        outcome.errors = outcome.requests - running.answered(200) - len(clear)
        _acknowledged_check(outcome, view, running.acknowledged)
        outcome.details = {
            "unavailable": len(unavailable),
            "failures": [f for f in running.failures if f not in clear][:5],
        }
        outcome.notes = f"{len(unavailable)} answered 503 with the reason while it was down"
        return outcome


# -- isolation and secrets ---------------------------------------------------------------------

ALPHA_SAYS = {
    "alice": ["I live in Porto", "My sister is called Inês", "I am allergic to peanuts"],
    "bob": ["I work as a nurse at St Mary's", "I have a dog named Biscuit"],
}


def _probes(real_ids: dict[str, list[str]]) -> Iterator[tuple[str, str, dict[str, Any] | None]]:
    """Every endpoint with another tenant's user ids and memory ids, real and guessed."""
    rng = random.Random(7)
    users = [*ALPHA_SAYS, "carol"]
    while True:
        user = rng.choice(users)
        memory_id = rng.choice([*real_ids.get(user, []), uuid.uuid4().hex])
        base = f"/memories/{quote(user)}"
        yield from (
            ("GET", f"{base}/{memory_id}", None),
            ("GET", f"{base}/{memory_id}?include_deleted=true", None),
            ("GET", f"{base}/{memory_id}/history", None),
            ("PATCH", f"{base}/{memory_id}", {"content": "overwritten by beta"}),
            ("POST", f"{base}/{memory_id}/rollback?version=1", None),
            ("DELETE", f"{base}/{memory_id}", None),
            ("GET", base, None),
            ("POST", f"{base}/search", {"query": rng.choice(["Where do I live?", "dog", "work"])}),
            ("GET", f"{base}/stats", None),
            ("POST", f"{base}/optimize", {}),
            ("DELETE", f"{base}/all", None),
            ("POST", "/conversation", {"user_id": user, "message": "What do you know about me?"}),
        )


def _alpha_state(client: httpx.Client) -> list[tuple[str, str, str, int]]:
    state = []
    for user in ALPHA_SAYS:
        page = client.get(f"/memories/{user}", params={"limit": 200}).json()
        state += [(user, m["memory_id"], m["content"], m["version"]) for m in page["items"]]
    return sorted(state)


def isolation(
    store: str,
    workdir: Path,
    *,
    probes: int = 10_000,
    llm: Callable[[], AbstractContextManager[str]] | None = None,
) -> Outcome:
    """Tenant beta probes tenant alpha's users on every endpoint; then the service's output and
    every answer are searched for the secrets it was given (API keys, the database password,
    the LLM key), through bad keys, bad input and, on PostgreSQL, a database outage. `llm`
    gives the base URL of an OpenAI-compatible endpoint to configure (its key is a secret)."""
    alpha_key, beta_key = "lm-alpha-" + uuid.uuid4().hex, "lm-beta-" + uuid.uuid4().hex
    secrets = {"API key": alpha_key, "other API key": beta_key, "LLM key": "sk-" + uuid.uuid4().hex}
    password = "pw-" + uuid.uuid4().hex
    if store == "postgresql":
        secrets["database password"] = password
    with ExitStack() as stack:
        backing = stack.enter_context(_store(store, workdir, password=password))
        env = backing.env
        env["API_KEYS"] = f"{alpha_key}:alpha,{beta_key}:beta"
        if llm is not None:
            env["OPENAI_BASE_URL"] = stack.enter_context(llm())
            env["OPENAI_API_KEY"] = secrets["LLM key"]
            env["LLM_TIMEOUT_SECONDS"] = "2"
        served = Served(env, workdir / "serve.log").start()
        stack.callback(served.stop)
        alpha = stack.enter_context(
            httpx.Client(base_url=served.base, headers={"X-API-Key": alpha_key}, timeout=30)
        )
        beta = stack.enter_context(
            httpx.Client(base_url=served.base, headers={"X-API-Key": beta_key}, timeout=30)
        )
        answers: list[str] = []
        for user, turns in ALPHA_SAYS.items():
            alpha.post(
                "/turns",
                json={"user_id": user, "turns": [{"content": t} for t in turns], "wait": True},
            ).raise_for_status()
        before = _alpha_state(alpha)
        real_ids: dict[str, list[str]] = {}
        for user, memory_id, _, _ in before:
            real_ids.setdefault(user, []).append(memory_id)
        contents = {content for _, _, content, _ in before}
        ids = {memory_id for _, memory_id, _, _ in before}
        leaks: list[str] = []
        errors: list[str] = []
        lock = threading.Lock()

        def probe(request: tuple[str, str, dict[str, Any] | None]) -> None:
            method, path, body = request
            answer = beta.request(method, path, json=body)
            text = answer.text
            # An id the caller sent may come back in its error; any other of alpha's is a leak,
            # and so is reaching one of alpha's memories by its id, whatever the body says.
            found = [t for t in contents if t in text] + [
                i for i in ids if i in text and i not in path
            ]
            by_id = any(i in path for i in ids)
            with lock:
                answers.append(text + str(answer.headers))
                if found or (by_id and answer.status_code != 404):
                    leaks.append(f"{method} {path} -> {answer.status_code} {text[:200]}")
                if answer.status_code >= 500:
                    errors.append(f"{method} {path} -> {answer.status_code} {text[:200]}")

        with ThreadPoolExecutor(max_workers=4) as pool:
            list(pool.map(probe, itertools.islice(_probes(real_ids), probes)))
        unchanged = _alpha_state(alpha) == before

        for headers in (
            {"X-API-Key": beta_key + "x"},
            {"Authorization": f"Bearer {alpha_key[:-1]}"},
            {},
        ):
            refused = httpx.get(f"{served.base}/memories/alice", headers=headers, timeout=10)
            answers.append(refused.text)
            if refused.status_code not in (401, 403):
                errors.append(f"wrong key -> {refused.status_code}")
        answers.append(alpha.post("/conversation", content=b"{not json").text)
        answers.append(
            alpha.post("/conversation", json={"user_id": "alice", "message": "hello"}).text
        )
        answers.append(alpha.get("/health").text)
        if backing.pg is not None:
            backing.pg.stop()  # the database goes away under a request
            try:
                down = alpha.post("/memories/alice/search", json={"query": "Where do I live?"})
                answers += [down.text, alpha.get("/health").text]
                answers.append(httpx.get(f"{served.base}/health").text)
                if down.status_code != 503:
                    errors.append(f"search with the database down -> {down.status_code}")
            finally:
                backing.pg.start()
            wait_for(lambda: alpha.get("/health").status_code == 200, 30, "the service to recover")
        served.stop()  # everything it will ever print is in the log now
        printed = served.log_path.read_text(errors="replace")
        shown = sorted(
            {
                name
                for name, secret in secrets.items()
                if secret in printed or any(secret in a for a in answers)
            }
        )
        outcome = Outcome(
            "another tenant's key",
            store,
            f"{probes:,} probes on every endpoint, real and guessed ids; all output searched"
            " for the secrets",
        )
        outcome.requests = probes
        outcome.leaks = len(leaks) + len(shown) + (0 if unchanged else 1)
        outcome.errors = len(errors) + printed.count("Traceback")
        outcome.details = {
            "leaks": leaks[:5],
            "secrets_shown": shown,
            "other_tenant_unchanged": unchanged,
            "errors": errors[:5],
        }
        outcome.notes = (
            "0 secrets in logs or answers" if not shown else f"SHOWN: {', '.join(shown)}"
        )
        return outcome


# -- bad input ---------------------------------------------------------------------------------

_COUNTED = ("memories", "memory_events", "users", "pending_extraction")


def _bad_requests(turns: int) -> Iterator[tuple[str, int, str, dict[str, Any]]]:
    """(what, status expected, text the error must contain, request) of each bad request."""
    middle = turns // 2
    for bad, status, where in (
        ({"content": ""}, 422, f"turns.{middle}.content"),
        ({"content": "   "}, 422, f"turns.{middle}"),
        ({"content": "x" * 4001}, 413, f"turns.{middle}"),
        ({"content": "fine", "timestamp": "yesterday-ish"}, 422, f"turns.{middle}.timestamp"),
        ({"content": "fine", "turn_number": -3}, 422, f"turns.{middle}.turn_number"),
        ({"content": "fine", "role": "robot"}, 422, f"turns.{middle}.role"),
        ({"text": "wrong field"}, 422, f"turns.{middle}.content"),
    ):
        batch: list[dict[str, Any]] = [
            {"content": f"Turn {i}: I went for a walk by the river"} for i in range(turns)
        ]
        batch[middle] = bad
        key, value = next(iter(bad.items()))
        what = f"{turns:,}-turn import, turn {middle} {key}={str(value)[:12]!r}"
        yield what, status, where, {"path": "/turns", "json": {"user_id": "ann", "turns": batch}}

    def chunked() -> Iterator[bytes]:  # no Content-Length to refuse it by
        yield b'{"user_id": "ann", "message": "'
        for _ in range(40):
            yield b"a" * 65536
        yield b'"}'

    big = b'{"user_id": "ann", "message": "' + b"a" * 2_000_000 + b'"}'
    nested = b'{"user_id": "ann", "message": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    for what, status, where, body in (
        ("2 MB body", 413, "MAX_REQUEST_BYTES", big),
        ("2.6 MB body sent in chunks, no length", 413, "MAX_REQUEST_BYTES", chunked()),
        ("JSON nested 100,000 deep", 422, "", nested),
        ("invalid UTF-8", 422, "", b'{"user_id": "ann", "message": "caf\xe9 \xff\xfe"}'),
        ("truncated JSON", 422, "", b'{"user_id": "ann", "message": '),
    ):
        yield what, status, where, {"path": "/conversation", "content": body}
    control = {"user_id": "ann\x1b[31m", "message": "hello"}
    yield (
        "user id with an escape character",
        422,
        "user_id",
        {"path": "/conversation", "json": control},
    )


def bad_input(store: str, workdir: Path, *, turns: int = 10_000) -> Outcome:
    """Bad requests, each checked for its status, its message, nothing written, and the
    service healthy after it."""
    outcome = Outcome(
        "bad input at scale",
        store,
        f"oversized, chunked, nested, non-UTF-8 bodies; {turns:,}-turn imports with one bad turn",
    )
    with _store(store, workdir) as backing:
        env = backing.env | {"MAX_REQUEST_BYTES": "1048576", "MAX_CONTENT_CHARS": "4000"}
        view = backing.view
        served = Served(env, workdir / "serve.log").start()
        try:
            httpx.post(
                f"{served.base}/turns",
                json={"user_id": "ann", "turns": [{"content": "I live in Porto"}], "wait": True},
                timeout=30,
            ).raise_for_status()
            wrong: list[str] = []
            for what, status, where, request in _bad_requests(turns):
                before = {t: view.scalar(f"SELECT count(*) FROM {t}") for t in _COUNTED}
                path = request.pop("path")
                answer = httpx.post(f"{served.base}{path}", timeout=60, **request)
                outcome.requests += 1
                try:
                    message = str(answer.json()["error"]["message"])
                except (ValueError, KeyError, TypeError):
                    message = ""
                after = {t: view.scalar(f"SELECT count(*) FROM {t}") for t in _COUNTED}
                healthy = httpx.get(f"{served.base}/health", timeout=10).status_code == 200
                if answer.status_code != status or not message or where not in message:
                    wrong.append(f"{what}: {answer.status_code} {answer.text[:200]}")
                if after != before:
                    wrong.append(f"{what}: wrote {after} (was {before})")
                if not healthy:
                    wrong.append(f"{what}: unhealthy after it")
        finally:
            served.stop()
        outcome.problems = view.problems()
    outcome.errors = len(wrong)
    outcome.details = {"wrong": wrong}
    outcome.notes = "each: clear 4xx, nothing written, healthy after" if not wrong else wrong[0]
    return outcome


# -- the whole run -----------------------------------------------------------------------------


def run(
    workdir: Path, *, stores: tuple[str, ...] = ("sqlite", "postgresql"), quick: bool = False
) -> list[Outcome]:
    """Every scenario at full size (`quick`: the test suite's sizes), printing progress."""
    from rich.console import Console

    console = Console(stderr=True)
    probes, batches, seconds = (1_000, 3, 10) if quick else (10_000, 10, 60)
    plans: list[tuple[str, Callable[[Path], Outcome]]] = []
    for store in stores:
        plans += [
            (f"kill -9 mid-ingest ({store})", partial(kill_mid_ingest, store, batches=batches)),
            (f"another tenant's key ({store})", partial(isolation, store, probes=probes)),
            (f"bad input ({store})", partial(bad_input, store)),
            (f"load ({store})", partial(load, store, seconds=seconds)),
        ]
    if "postgresql" in stores:
        plans += [
            ("PostgreSQL restarted mid-load", postgres_restart),
            ("Redis stopped mid-load", redis_outage),
        ]
    outcomes = []
    for i, (name, plan) in enumerate(plans, 1):
        console.print(f"[{i}/{len(plans)}] {name} ...", markup=False)
        started = time.monotonic()
        place = workdir / f"{i:02d}"
        place.mkdir(parents=True, exist_ok=True)
        outcome = plan(place)
        verdict = "ok" if outcome.ok else "FAILED"
        took = time.monotonic() - started
        console.print(f"    {verdict} in {took:.0f} s: {outcome.notes}", markup=False)
        outcomes.append(outcome)
    return outcomes


def table(outcomes: list[Outcome]) -> str:
    """The README's table, as Markdown."""
    lines = [
        "| scenario | store | what was done | turns acknowledged / lost / unextracted"
        " | requests / errors | leaks | store consistent | notes |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for o in outcomes:
        turns = f"{o.acknowledged:,} / {o.lost} / {o.unextracted}" if o.acknowledged else "-"
        consistent = (
            "yes" if not o.problems else ", ".join(f"{k}: {v}" for k, v in o.problems.items())
        )
        cells = (o.scenario, o.store, o.done, turns, f"{o.requests:,} / {o.errors}", o.leaks)
        lines.append("| " + " | ".join(str(c) for c in (*cells, consistent, o.notes)) + " |")
    return "\n".join(lines)
