"""Isolation and secrets: 10,000 probes with another tenant's key reach nothing, and no secret
(API key, database password, LLM key) appears in anything the service printed or answered,
through errors and an outage of the database included."""

from __future__ import annotations

import itertools
import random
import tempfile
import threading
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest

from openai_standin import StandIn
from reliability.harness import Served, StoreView, wait_for
from reliability.test_crash_safety import clean_env

PROBES = 10_000
ALPHA_KEY = "lm-alpha-" + uuid.uuid4().hex
BETA_KEY = "lm-beta-" + uuid.uuid4().hex
LLM_KEY = "sk-llm-" + uuid.uuid4().hex
DB_PASSWORD = "pw-" + uuid.uuid4().hex
SECRETS = {"alpha API key": ALPHA_KEY, "beta API key": BETA_KEY, "LLM key": LLM_KEY}

ALPHA_SAYS = {
    "alice": ["I live in Porto", "My sister is called Inês", "I am allergic to peanuts"],
    "bob": ["I work as a nurse at St Mary's", "I have a dog named Biscuit"],
}


@pytest.fixture(scope="module")
def postgres_with_password() -> Iterator[tuple[str, object]]:
    """A PostgreSQL of this module's own, reached by a role with a password in its URL."""
    import pgserver
    import psycopg

    with tempfile.TemporaryDirectory(prefix="longmem-pg-secrets-") as data:
        server = pgserver.get_server(data, cleanup_mode="stop")
        with psycopg.connect(server.get_uri(), autocommit=True) as admin:
            admin.execute(f"CREATE ROLE longmem_app LOGIN SUPERUSER PASSWORD '{DB_PASSWORD}'")
            admin.execute("CREATE DATABASE isolation OWNER longmem_app")
        host = server.get_uri().split("host=", 1)[1]
        url = f"postgresql://longmem_app:{DB_PASSWORD}@/isolation?host={host}"
        try:
            yield url, server
        finally:
            server.cleanup()


@pytest.fixture(params=["sqlite", "postgres"])
def service(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[tuple[Served, StoreView, object | None]]:
    with StandIn() as standin:
        env = clean_env(
            tmp_path,
            API_KEYS=f"{ALPHA_KEY}:alpha,{BETA_KEY}:beta",
            OPENAI_BASE_URL=standin.base_url,
            OPENAI_API_KEY=LLM_KEY,
            LLM_TIMEOUT_SECONDS="2",
        )
        server = None
        if request.param == "postgres":
            url, server = request.getfixturevalue("postgres_with_password")
            env["DATABASE_URL"] = url
            view = StoreView(postgres_url=url)
        else:
            view = StoreView(sqlite_path=tmp_path / "home" / "longmem.db")
        served = Served(env, tmp_path / "serve.log").start()
        try:
            yield served, view, server
        finally:
            served.stop()


def alpha_state(client: httpx.Client) -> list[tuple[str, str, str, int]]:
    state = []
    for user in ALPHA_SAYS:
        page = client.get(f"/memories/{user}", params={"limit": 200}).json()
        state += [(user, m["memory_id"], m["content"], m["version"]) for m in page["items"]]
    return sorted(state)


def probes(real_ids: dict[str, list[str]]) -> Iterator[tuple[str, str, dict | None]]:
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


@pytest.mark.slow
def test_ten_thousand_probes_with_another_tenants_key_reach_nothing_and_print_no_secret(
    service: tuple[Served, StoreView, object | None],
) -> None:
    served, _, pg_server = service
    alpha = httpx.Client(base_url=served.base, headers={"X-API-Key": ALPHA_KEY}, timeout=30)
    beta = httpx.Client(base_url=served.base, headers={"X-API-Key": BETA_KEY}, timeout=30)
    answers: list[str] = []  # every body and header the service sent, for the secrets check
    for user, turns in ALPHA_SAYS.items():
        imported = alpha.post(
            "/turns",
            json={"user_id": user, "turns": [{"content": t} for t in turns], "wait": True},
        )
        assert imported.status_code == 200, imported.text
    before = alpha_state(alpha)
    real_ids: dict[str, list[str]] = {}
    for user, memory_id, _, _ in before:
        real_ids.setdefault(user, []).append(memory_id)
    assert len(before) >= 5  # the turns at least; facts too, when the LLM finds some
    alpha_contents = {content for _, _, content, _ in before}
    alpha_ids = {memory_id for _, memory_id, _, _ in before}

    leaks: list[str] = []
    lock = threading.Lock()

    def probe(request: tuple[str, str, dict | None]) -> None:
        method, path, body = request
        answer = beta.request(method, path, json=body)
        text = answer.text
        # An id the caller sent may be echoed in the error; any other of alpha's is a leak.
        found = [t for t in alpha_contents if t in text]
        found += [i for i in alpha_ids if i in text and i not in path]
        # Reaching one of alpha's memories by its id is a leak whatever the body says.
        by_id = any(i in path for ids in real_ids.values() for i in ids)
        wrong = answer.status_code >= 500 or (by_id and answer.status_code != 404)
        with lock:
            answers.append(text + str(answer.headers))
            if found or wrong:
                leaks.append(f"{method} {path} -> {answer.status_code} {text[:200]}")

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(probe, itertools.islice(probes(real_ids), PROBES)))

    assert leaks == [], sorted({leak.split(" -> ")[1][:120] for leak in leaks})
    assert alpha_state(alpha) == before  # nothing of alpha's changed, nothing erased

    # The service's own failures must not print a secret either: bad keys, bad input, and
    # (on PostgreSQL) the database going away under a request.
    wrong_keys = ({"X-API-Key": BETA_KEY + "x"}, {"Authorization": f"Bearer {ALPHA_KEY[:-1]}"}, {})
    for headers in wrong_keys:
        answer = httpx.get(f"{served.base}/memories/alice", headers=headers, timeout=10)
        assert answer.status_code in (401, 403)  # no key; a key that is not known
        answers.append(answer.text)
    answers.append(alpha.post("/conversation", content=b"{not json").text)
    answers.append(alpha.post("/conversation", json={"user_id": "alice", "message": "hello"}).text)
    answers.append(alpha.get("/health").text)
    if pg_server is not None:
        import pgserver

        pgserver.pg_ctl(
            ["-w", "-m", "fast", "stop"],
            pgdata=pg_server.pgdata,  # type: ignore[attr-defined]
            user=pg_server.system_user,  # type: ignore[attr-defined]
        )
        try:
            down = alpha.post("/memories/alice/search", json={"query": "Where do I live?"})
            assert down.status_code == 503
            answers += [down.text, alpha.get("/health").text]
            answers.append(httpx.get(f"{served.base}/health").text)
        finally:
            pg_server.ensure_postgres_running()  # type: ignore[attr-defined]
        wait_for(lambda: alpha.get("/health").status_code == 200, 30, "the service to recover")
    served.stop()  # everything it will ever print is in the log now

    printed = served.log_path.read_text(errors="replace")
    secrets = {**SECRETS, "database password": DB_PASSWORD}
    for name, secret in secrets.items():
        assert secret not in printed, f"the {name} is in the service's output"
        assert not any(secret in a for a in answers), f"the {name} is in a response"
    assert "Traceback" not in printed
