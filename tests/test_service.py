"""The HTTP API through an ASGI client: every endpoint and every error path."""

from __future__ import annotations

import gc
import json
import logging
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from longmem import Settings
from longmem.embedding import MiniLMEmbedder
from longmem.service import create_app
from longmem.service.app import YOUNG_COLLECTION_THRESHOLD

API = "/api/v1"


def make_client(tmp_path: Path, embedder: MiniLMEmbedder, **overrides: object) -> TestClient:
    values: dict[str, object] = {
        "longmem_home": tmp_path / "svc",
        "retrieval_timeout_ms": 5_000,
        "max_content_chars": 2_000,
        **overrides,
    }
    settings = Settings(**values)  # type: ignore[arg-type]
    return TestClient(create_app(settings, embedder=embedder))


@pytest.fixture
def client(tmp_path: Path, embedder: MiniLMEmbedder) -> Iterator[TestClient]:
    with make_client(tmp_path, embedder) as c:
        yield c


def wait_for_extraction(client: TestClient, user: str) -> None:
    for _ in range(200):
        if client.get(f"{API}/memories/{user}/stats").json()["pending_extractions"] == 0:
            return
        time.sleep(0.02)
    raise AssertionError("extraction did not finish")


def assert_error(response, status: int, code: str, mentions: str = "") -> None:
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] == code
    assert mentions in error["message"]


def test_the_seed_example_recalls_the_preference_at_turn_500(client: TestClient):
    first = client.post(
        f"{API}/conversation",
        json={
            "user_id": "user_123",
            "turn_number": 1,
            "message": "I love espresso and prefer dark roast coffee",
        },
    )
    assert first.status_code == 200
    assert first.json()["reply"] is None and first.json()["extraction"] == "queued"
    wait_for_extraction(client, "user_123")
    later = client.post(
        f"{API}/conversation",
        json={
            "user_id": "user_123",
            "turn_number": 500,
            "message": "What kind of coffee should I buy?",
            "include_memories": True,
        },
    ).json()
    assert later["turn_number"] == 500
    assert later["memories"], later
    assert any("espresso" in m["memory"]["content"].lower() for m in later["memories"])
    assert "espresso" in later["context"].lower()
    assert later["retrieval_ms"] >= 0 and later["retrieval_timed_out"] is False
    assert later["memories"][0]["score"] > 0


def test_background_extraction_creates_semantic_memories(client: TestClient):
    client.post(
        f"{API}/conversation", json={"user_id": "u", "turn_number": 1, "message": "I live in Porto"}
    )
    wait_for_extraction(client, "u")
    page = client.get(f"{API}/memories/u", params={"kinds": "semantic"}).json()
    assert [m["metadata"]["value"] for m in page["items"]] == ["Porto"]


def test_memories_crud_history_and_rollback(client: TestClient):
    created = client.post(
        f"{API}/memories",
        json={
            "user_id": "u",
            "type": "preference",
            "content": "User prefers window seats",
            "source_turn": 3,
            "confidence": 0.9,
        },
    )
    assert created.status_code == 201
    memory_id = created.json()["memory_id"]
    assert (
        client.get(f"{API}/memories/u/{memory_id}").json()["content"] == "User prefers window seats"
    )
    patched = client.patch(
        f"{API}/memories/u/{memory_id}", json={"content": "User prefers aisle seats"}
    )
    assert patched.json()["version"] == 2
    history = client.get(f"{API}/memories/u/{memory_id}/history").json()
    assert [e["action"] for e in history] == ["create", "update"]
    restored = client.post(f"{API}/memories/u/{memory_id}/rollback", params={"version": 1})
    assert restored.json()["content"] == "User prefers window seats"
    deleted = client.delete(f"{API}/memories/u/{memory_id}")
    assert deleted.json()["status"] == "deleted"
    assert_error(client.get(f"{API}/memories/u/{memory_id}"), 404, "not_found", "deleted")
    kept = client.get(f"{API}/memories/u/{memory_id}", params={"include_deleted": "true"})
    assert kept.json()["status"] == "deleted"
    page = client.get(f"{API}/memories/u").json()
    assert page["items"] == [] and page["next_cursor"] is None


def test_search_takes_query_parameters_or_a_json_body(client: TestClient):
    client.post(
        f"{API}/memories",
        json={"user_id": "u", "type": "fact", "content": "User is allergic to peanuts"},
    )
    by_params = client.post(
        f"{API}/memories/u/search", params={"query": "Do I have any allergies?", "top_k": 5}
    ).json()
    by_body = client.post(
        f"{API}/memories/u/search", json={"query": "Do I have any allergies?", "top_k": 5}
    ).json()
    assert by_params["results"][0]["memory"]["content"] == "User is allergic to peanuts"
    assert by_body["results"][0]["memory"]["content"] == "User is allergic to peanuts"
    assert set(by_params["results"][0]["parts"]) >= {"semantic", "recency", "access", "confidence"}


def test_a_change_of_boss_over_http_recalls_the_old_turn_as_outdated(client: TestClient):
    client.post(
        f"{API}/turns",
        json={
            "user_id": "u",
            "wait": True,
            "turns": [
                {"turn_number": 5, "role": "user", "content": "My boss is Claire Martin."},
                {"turn_number": 11, "role": "user", "content": "My new boss is Paul Durand."},
            ],
        },
    )
    results = client.post(
        f"{API}/memories/u/search", params={"query": "Who is my boss?", "top_k": 10}
    ).json()["results"]
    outdated = {r["memory"]["content"]: r["outdated"] for r in results}
    assert outdated["My boss is Claire Martin."] is True
    assert outdated["The user's new boss is Paul Durand"] is False
    turn = client.post(
        f"{API}/conversation",
        json={"user_id": "u", "turn_number": 12, "message": "Who is my boss?"},
    ).json()
    assert "(turn 5, since replaced)" in turn["context"]


def test_bulk_import_waits_for_extraction_when_asked(client: TestClient):
    response = client.post(
        f"{API}/turns",
        json={
            "user_id": "u",
            "wait": True,
            "turns": [
                {"turn_number": 1, "role": "user", "content": "My manager is Sarah Chen"},
                {"turn_number": 2, "role": "assistant", "content": "Noted!"},
                {
                    "turn_number": 3,
                    "role": "user",
                    "content": "I'll send the report on Friday",
                    "speaker": "Ana",
                    "timestamp": "2026-01-05T10:00:00Z",
                },
            ],
        },
    ).json()
    assert response["recorded"] == 3 and response["extraction"] == "done"
    assert response["created"] == 2
    stats = client.get(f"{API}/memories/u/stats").json()
    assert stats["turns_seen"] == 3
    assert stats["by_type"] == {"entity": 1, "commitment": 1}


def test_stats_and_optimize(client: TestClient):
    client.post(
        f"{API}/memories",
        json={
            "user_id": "u",
            "type": "fact",
            "content": "User owned a red bicycle",
            "source_turn": 1,
        },
    )
    report = client.post(f"{API}/memories/u/optimize", params={"current_turn": 5000}).json()
    assert len(report["removed"]) == 1
    stats = client.get(f"{API}/memories/u/stats").json()
    assert stats["by_status"] == {"deleted": 1}
    assert stats["last_optimize"] is not None


def test_gdpr_erasure_removes_every_trace_and_reports_counts(client: TestClient):
    client.post(
        f"{API}/turns",
        json={
            "user_id": "gone",
            "wait": True,
            "turns": [{"content": "I live in Madrid"}, {"content": "I love jazz"}],
        },
    )
    client.post(f"{API}/memories/gone/search", params={"query": "Where do I live?"})
    erased = client.delete(f"{API}/memories/gone/all").json()
    assert erased["deleted"]["memories"] >= 4 and erased["deleted"]["cache_entries"] == 1
    assert client.get(f"{API}/memories/gone").json()["items"] == []
    assert (
        client.post(f"{API}/memories/gone/search", params={"query": "Where do I live?"}).json()[
            "results"
        ]
        == []
    )
    assert client.get(f"{API}/memories/gone/stats").json()["total"] == 0


def test_health_reports_each_dependency(client: TestClient):
    body = client.get(f"{API}/health").json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"store", "embedder", "cache", "queue", "llm"}
    assert body["checks"]["embedder"]["dimension"] == 384


def test_health_without_a_key_says_only_up_or_down(tmp_path: Path, embedder: MiniLMEmbedder):
    with make_client(tmp_path, embedder, api_keys="alpha-key:alpha") as c:
        anonymous = c.get(f"{API}/health")
        wrong = c.get(f"{API}/health", headers={"X-API-Key": "guess"})
        known = c.get(f"{API}/health", headers={"Authorization": "Bearer alpha-key"})
    assert anonymous.status_code == wrong.status_code == 200
    assert anonymous.json() == wrong.json() == {"status": "ok"}
    assert str(tmp_path) not in anonymous.text
    assert set(known.json()["checks"]) == {"store", "embedder", "cache", "queue", "llm"}


def test_health_is_503_when_the_store_is_unreachable(client: TestClient):
    client.app.state.service.store.close()  # type: ignore[attr-defined]
    response = client.get(f"{API}/health")
    assert response.status_code == 503
    assert response.json()["checks"]["store"]["status"] == "error"


def test_metrics_expose_the_seed_names_after_traffic(client: TestClient):
    client.post(f"{API}/memories", json={"user_id": "u", "type": "fact", "content": "x y z"})
    client.post(f"{API}/memories/u/search", params={"query": "hello there"})
    client.post(f"{API}/memories/u/search", params={"query": "hello there"})
    text = client.get("/metrics").text
    for name in (
        "memory_api_requests_total",
        "memory_api_request_duration_seconds",
        "memory_retrieval_duration_ms",
        "memory_operations_total",
        "llm_call_duration_seconds",
        "llm_tokens_used_total",
        "cache_hits_total",
        "cache_misses_total",
    ):
        assert name in text, name
    assert (
        'memory_api_requests_total{method="POST",path="/api/v1/memories/{user_id}/search",'
        'status="200"} 2.0' in text
    )
    assert 'cache_hits_total{cache="query_embedding"} 1.0' in text, text


def test_metrics_count_refused_and_unknown_requests_by_status(client: TestClient):
    client.post(f"{API}/memories/u/search", json={"top_k": 3})  # no query
    client.get(f"{API}/no-such-thing")
    text = client.get("/metrics").text
    assert (
        'memory_api_requests_total{method="POST",path="/api/v1/memories/{user_id}/search",'
        'status="422"} 1.0' in text
    ), text
    assert 'memory_api_requests_total{method="GET",path="unmatched",status="404"} 1.0' in text


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status", "code", "mentions"),
    [
        (
            "post",
            "/memories",
            {"json": {"user_id": "u", "type": "opinion", "content": "x"}},
            422,
            "invalid_input",
            "type",
        ),
        (
            "post",
            "/memories",
            {"json": {"user_id": "u", "type": "fact", "content": "x", "confidence": 2}},
            422,
            "invalid_input",
            "confidence",
        ),
        (
            "post",
            "/memories",
            {"json": {"user_id": "u", "type": "fact", "content": "  "}},
            422,
            "invalid_input",
            "content",
        ),
        (
            "post",
            "/memories",
            {"json": {"user_id": "ann\rroot", "type": "fact", "content": "x"}},
            422,
            "invalid_input",
            "printable",
        ),
        # booleans are not numbers, nor numbers booleans
        (
            "post",
            "/memories",
            {"json": {"user_id": "u", "type": "fact", "content": "x", "confidence": False}},
            422,
            "invalid_input",
            "confidence",
        ),
        (
            "post",
            "/conversation",
            {"json": {"user_id": "u", "message": "hi", "stream": 0}},
            422,
            "invalid_input",
            "stream",
        ),
        (
            "post",
            "/memories/u/search",
            {"json": {"query": "hi", "current_turn": False}},
            422,
            "invalid_input",
            "current_turn",
        ),
        (
            "post",
            "/memories",
            {"json": {"type": "fact", "content": "x"}},
            422,
            "invalid_input",
            "user_id",
        ),
        (
            "post",
            "/conversation",
            {"json": {"user_id": "u", "message": "hi", "turn_number": -1}},
            422,
            "invalid_input",
            "turn_number",
        ),
        (
            "post",
            "/memories",
            {"json": {"user_id": "u", "type": "fact", "content": "x" * 2_001}},
            413,
            "content_too_large",
            "",
        ),
        ("get", "/memories/u/nope", {}, 404, "not_found", "nope"),
        ("patch", "/memories/u/nope", {"json": {"content": "x"}}, 404, "not_found", ""),
        ("delete", "/memories/u/nope", {}, 404, "not_found", ""),
        ("post", "/memories/u/nope/rollback?version=1", {}, 404, "not_found", ""),
        ("post", "/memories/u/search", {}, 422, "invalid_input", "query"),
        ("post", "/memories/u/search?query=%20%0A", {}, 422, "invalid_input", "query"),
        (
            "post",
            f"/memories/u/search?query={'x' * 2_001}",
            {"json": {"query": "a valid body does not excuse the parameter"}},
            413,
            "content_too_large",
            "query",
        ),
        ("patch", "/memories/u/nope", {"json": {}}, 422, "invalid_input", "nothing to change"),
        ("patch", "/memories/u/nope", {"json": {"content": None}}, 422, "invalid_input", "null"),
        (
            "post",
            "/conversation",
            {"json": {"user_id": "u", "message": "hi", "turn_number": 2**31}},
            422,
            "invalid_input",
            "turn_number",
        ),
        (
            "post",
            "/turns",
            {"json": {"user_id": "u", "turns": [{"content": "hi", "turn_number": True}]}},
            422,
            "invalid_input",
            "turn_number",
        ),
        (
            "post",
            "/turns",
            {"json": {"user_id": "u", "turns": [{"content": "hi", "timestamp": 1700000000}]}},
            422,
            "invalid_input",
            "timestamp",
        ),
        (
            "post",
            "/turns",
            {"json": {"user_id": "u", "turns": [{"content": "hi", "role": "bot"}]}},
            422,
            "invalid_input",
            "role",
        ),
        ("get", "/nowhere", {}, 404, "not_found", ""),
    ],
)
def test_bad_requests_get_one_error_shape_and_write_nothing(
    client: TestClient, method, path, kwargs, status, code, mentions
):
    client.post(f"{API}/memories", json={"user_id": "u", "type": "fact", "content": "kept"})
    response = getattr(client, method)(f"{API}{path}", **kwargs)
    assert_error(response, status, code, mentions)
    items = client.get(f"{API}/memories/u").json()["items"]
    assert [m["content"] for m in items] == ["kept"]


def test_rolling_back_to_the_current_version_is_a_conflict(client: TestClient):
    memory_id = client.post(
        f"{API}/memories", json={"user_id": "u", "type": "fact", "content": "x"}
    ).json()["memory_id"]
    response = client.post(f"{API}/memories/u/{memory_id}/rollback", params={"version": 1})
    assert_error(response, 409, "conflict")


def test_oversized_bodies_are_refused_with_413(tmp_path: Path, embedder: MiniLMEmbedder):
    with make_client(tmp_path, embedder, max_request_bytes=2048) as c:
        response = c.post(
            f"{API}/turns",
            json={
                "user_id": "u",
                "turns": [
                    {"content": "a" * 1000},
                    {"content": "b" * 1000},
                    {"content": "c" * 1000},
                ],
            },
        )
        assert_error(response, 413, "payload_too_large", "MAX_REQUEST_BYTES")
        assert c.get(f"{API}/memories/u").json()["items"] == []


def test_a_slow_retrieval_lets_the_turn_proceed_and_is_counted(
    tmp_path: Path, embedder: MiniLMEmbedder
):
    with make_client(tmp_path, embedder, retrieval_timeout_ms=1) as c:
        c.post(
            f"{API}/turns",
            json={
                "user_id": "u",
                "wait": True,
                "turns": [{"content": f"note {i} about gardening"} for i in range(300)],
            },
        )
        body = c.post(
            f"{API}/conversation",
            json={"user_id": "u", "message": "What did I say about gardening?"},
        ).json()
        assert body["retrieval_timed_out"] is True and body["memories"] == []
        assert body["turn_number"] == 301
        assert "memory_retrieval_timeouts_total 1.0" in c.get("/metrics").text


def test_api_keys_bind_callers_to_their_tenant(tmp_path: Path, embedder: MiniLMEmbedder):
    with make_client(tmp_path, embedder, api_keys="alpha-key:alpha,beta-key:beta") as c:
        assert_error(c.get(f"{API}/memories/u"), 401, "unauthorized")
        assert_error(c.get(f"{API}/memories/u", headers={"X-API-Key": "wrong"}), 403, "forbidden")
        alpha = {"Authorization": "Bearer alpha-key"}
        beta = {"X-API-Key": "beta-key"}
        mine = c.post(
            f"{API}/memories",
            headers=alpha,
            json={"user_id": "u", "type": "fact", "content": "User is allergic to peanuts"},
        ).json()
        assert c.get(f"{API}/memories/u/{mine['memory_id']}", headers=alpha).status_code == 200
        assert_error(c.get(f"{API}/memories/u/{mine['memory_id']}", headers=beta), 404, "not_found")
        assert c.get(f"{API}/memories/u", headers=beta).json()["items"] == []
        assert (
            c.post(f"{API}/memories/u/search", headers=beta, params={"query": "allergies?"}).json()[
                "results"
            ]
            == []
        )
        assert c.delete(f"{API}/memories/u/all", headers=beta).json()["deleted"]["memories"] == 0
        assert c.get(f"{API}/memories/u/{mine['memory_id']}", headers=alpha).status_code == 200


def test_users_lists_the_callers_tenant_only(tmp_path: Path, embedder: MiniLMEmbedder):
    with make_client(tmp_path, embedder, api_keys="alpha-key:alpha,beta-key:beta") as c:
        alpha, beta = {"X-API-Key": "alpha-key"}, {"Authorization": "Bearer beta-key"}
        for headers, user in ((alpha, "ann"), (alpha, "al"), (beta, "bea")):
            turns = [{"content": "I like green tea"}]
            c.post(f"{API}/turns", headers=headers, json={"user_id": user, "turns": turns})
        explicit = {"user_id": "bo", "type": "fact", "content": "Bo is a nurse"}
        assert c.post(f"{API}/memories", headers=beta, json=explicit).status_code == 201
        assert c.get(f"{API}/users", headers=alpha).json() == {"users": ["al", "ann"]}
        assert c.get(f"{API}/users", headers=beta).json() == {"users": ["bea", "bo"]}
        assert_error(c.get(f"{API}/users"), 401, "unauthorized")
        assert_error(c.get(f"{API}/users", headers={"X-API-Key": "wrong"}), 403, "forbidden")
        c.delete(f"{API}/memories/ann/all", headers=alpha)
        assert c.get(f"{API}/users", headers=alpha).json() == {"users": ["al"]}


def test_scoring_states_the_normalised_weights_and_the_tie_margin(
    tmp_path: Path, embedder: MiniLMEmbedder
):
    weights = {"score_weight_semantic": 2, "score_weight_recency": 1, "score_weight_access": 1}
    with make_client(tmp_path, embedder, score_weight_confidence=0, **weights) as c:
        assert c.get(f"{API}/scoring").json() == {
            "weights": {"relevance": 0.5, "recency": 0.25, "access": 0.25, "confidence": 0.0},
            "comparable": 0.02,
        }


def test_openapi_documents_every_endpoint(client: TestClient):
    paths = client.get("/openapi.json").json()["paths"]
    assert {
        "/api/v1/conversation",
        "/api/v1/memories",
        "/api/v1/memories/{user_id}/search",
        "/api/v1/memories/{user_id}/stats",
        "/api/v1/memories/{user_id}/optimize",
        "/api/v1/health",
        "/api/v1/memories/{user_id}/all",
        "/api/v1/turns",
        "/api/v1/users",
        "/api/v1/scoring",
        "/api/v1/memories/{user_id}/{memory_id}",
        "/api/v1/memories/{user_id}/{memory_id}/history",
        "/api/v1/memories/{user_id}/{memory_id}/rollback",
    } <= set(paths)
    assert client.get("/docs").status_code == 200
    one = paths["/api/v1/memories/{user_id}/{memory_id}"]["get"]["responses"]
    assert {"200", "404", "422", "503"} <= set(one)
    assert one["404"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorOut")


def test_a_deleted_memory_cannot_be_edited_until_rolled_back(client: TestClient):
    memory_id = client.post(
        f"{API}/memories", json={"user_id": "u", "type": "fact", "content": "User owns a cat"}
    ).json()["memory_id"]
    client.delete(f"{API}/memories/u/{memory_id}")
    edit = client.patch(f"{API}/memories/u/{memory_id}", json={"confidence": 0.5})
    assert_error(edit, 404, "not_found", "deleted")
    client.post(f"{API}/memories/u/{memory_id}/rollback", params={"version": 1})
    assert (
        client.patch(f"{API}/memories/u/{memory_id}", json={"confidence": 0.5}).status_code == 200
    )


def test_a_whole_number_written_as_a_float_is_an_integer_and_a_boolean_is_not(client: TestClient):
    body = {"user_id": "u", "message": "I like tea", "turn_number": 7.0}
    assert client.post(f"{API}/conversation", json=body).json()["turn_number"] == 7
    for bad in (7.5, True, "7"):
        response = client.post(f"{API}/conversation", json={**body, "turn_number": bad})
        assert_error(response, 422, "invalid_input", "turn_number")


def test_a_refused_method_lists_every_method_of_the_path(client: TestClient):
    response = client.put(f"{API}/memories/u/some-id")
    assert_error(response, 405, "method_not_allowed")
    assert response.headers["allow"] == "DELETE, GET, PATCH"
    assert client.put(f"{API}/memories/u/all").headers["allow"] == "DELETE"


def test_openapi_states_user_ids_text_limits_streaming_and_keys(
    client: TestClient, tmp_path: Path, embedder: MiniLMEmbedder
):
    spec = client.get("/openapi.json").json()
    user_id = spec["components"]["schemas"]["UserId"]
    pattern = re.compile(user_id["pattern"])
    assert pattern.search("alice") and pattern.search("用户 42") and pattern.search(" a")
    assert not any(pattern.search(bad) for bad in ("   ", "a\nb", "a\u200bb", "\x1b[31m"))
    body = spec["components"]["schemas"]["ConversationIn"]["properties"]
    assert body["user_id"] == {"$ref": "#/components/schemas/UserId"}
    assert body["message"]["maxLength"] == 2_000  # this client's MAX_CONTENT_CHARS
    assert not re.search(body["message"]["pattern"], " \t\n")
    conversation = spec["paths"]["/api/v1/conversation"]["post"]["responses"]["200"]["content"]
    assert set(conversation) == {"application/json", "text/event-stream"}
    assert "securitySchemes" not in spec["components"]  # an open service asks no key
    with make_client(tmp_path / "keys", embedder, api_keys="k:t") as keyed:
        spec = keyed.get("/openapi.json").json()
    assert set(spec["components"]["securitySchemes"]) == {"ApiKey", "Bearer"}
    assert spec["paths"]["/api/v1/turns"]["post"]["security"] == [{"ApiKey": []}, {"Bearer": []}]
    assert {} in spec["paths"]["/api/v1/health"]["get"]["security"]


class Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.mark.parametrize("log_pii", [False, True])
def test_logs_redact_message_contents_unless_asked(
    tmp_path: Path, embedder: MiniLMEmbedder, log_pii: bool
):
    collect = Collect()
    logger = logging.getLogger("longmem.api")
    logger.addHandler(collect)
    try:
        with make_client(tmp_path, embedder, log_pii=log_pii) as c:
            c.post(f"{API}/conversation", json={"user_id": "u", "message": "My PIN is 4321"})
    finally:
        logger.removeHandler(collect)
    (turn,) = [r for r in collect.records if r.getMessage() == "turn"]
    assert ("4321" in turn.text) is log_pii  # type: ignore[attr-defined]
    if not log_pii:
        assert turn.text == "<redacted 14 chars>"  # type: ignore[attr-defined]
    requests = [r for r in collect.records if r.getMessage() == "request"]
    assert requests and requests[-1].path == "/api/v1/conversation"  # type: ignore[attr-defined]


def test_the_service_runs_on_postgresql_by_configuration_alone(
    tmp_path: Path, embedder: MiniLMEmbedder, fresh_postgres: str
):
    with make_client(tmp_path, embedder, database_url=fresh_postgres) as c:
        health = c.get(f"{API}/health").json()
        assert health["checks"]["store"]["backend"] == "postgresql"
        c.post(
            f"{API}/turns",
            json={"user_id": "u", "wait": True, "turns": [{"content": "I live in Porto"}]},
        )
        hits = c.post(f"{API}/memories/u/search", params={"query": "Where do I live?"}).json()
        assert any("Porto" in h["memory"]["content"] for h in hits["results"])
        assert c.delete(f"{API}/memories/u/all").json()["deleted"]["memories"] == 2


def test_naive_and_aware_timestamps_over_http_and_min_relevance_filters(client: TestClient):
    turns = [
        {
            "turn_number": 1,
            "speaker": "Caroline",
            "content": "I'm researching adoption agencies",
            "timestamp": "2024-01-03T12:00:00",
        },  # naive: taken as UTC
        {
            "turn_number": 2,
            "speaker": "Melanie",
            "content": "We went camping at the beach",
            "timestamp": "2024-01-04T12:00:00+02:00",
        },
    ]
    response = client.post(f"{API}/turns", json={"user_id": "t", "turns": turns, "wait": True})
    assert response.status_code == 200, response.text
    found = client.post(
        f"{API}/memories/t/search", json={"query": "adoption agencies", "top_k": 5}
    ).json()["results"]
    assert found[0]["memory"]["valid_from"].startswith("2024-01-03T12:00:00")
    assert len(found) >= 2  # search ranks without a floor
    strict = client.post(
        f"{API}/memories/t/search",
        json={"query": "adoption agencies", "top_k": 5, "min_relevance": 0.5},
    ).json()["results"]
    assert strict and all(h["parts"]["relevance"] >= 0.5 for h in strict)
    assert len(strict) < len(found)
    assert_error(
        client.post(f"{API}/memories/t/search", json={"query": "x", "min_relevance": 2}),
        422,
        "invalid_input",
        "min_relevance",
    )


def test_an_export_is_json_lines_that_post_import_restores(client: TestClient):
    client.post(
        f"{API}/turns",
        json={"user_id": "ana", "turns": [{"content": "I live in Lisbon"}], "wait": True},
    )
    exported = client.get(f"{API}/memories/ana/export")
    assert exported.status_code == 200
    assert exported.headers["content-type"].startswith("application/x-ndjson")
    lines = [line for line in exported.text.splitlines() if line]
    assert len(lines) == 2  # the turn and its fact

    items = [json.loads(line) for line in lines]
    assert client.delete(f"{API}/memories/ana/all").status_code == 200
    restored = client.post(f"{API}/import", json={"items": items})
    assert restored.json() == {"imported": 2, "skipped": 0}
    assert client.post(f"{API}/import", json={"items": items}).json()["skipped"] == 2

    items[1]["history"][0]["memory_id"] = "someone-elses"
    assert_error(client.post(f"{API}/import", json={"items": items}), 422, "invalid_input")
    assert_error(client.post(f"{API}/import", json={"items": []}), 422, "invalid_input")
    items[1]["memory"]["user_id"] = items[1]["history"][0]["user_id"] = "bob"
    items[1]["history"][0]["memory_id"] = items[1]["memory"]["memory_id"]
    assert_error(client.post(f"{API}/import", json={"items": items[1:]}), 409, "conflict")
    assert client.get(f"{API}/memories/bob").json()["items"] == []


def test_a_queued_turn_is_extracted_on_request_and_turns_answer_with_results(client: TestClient):
    queued = client.post(
        f"{API}/turns",
        json={"user_id": "ana", "turns": [{"content": "I work as a nurse"}], "results": True},
    ).json()
    (result,) = queued["results"]
    assert result["turn_number"] == 1 and result["outcomes"] == []
    assert result["episodic"][0]["content"] == "I work as a nurse"

    extracted = client.post(f"{API}/memories/ana/turns/1/extract")
    assert extracted.status_code == 200 and extracted.json()["turn_number"] == 1
    assert_error(client.post(f"{API}/memories/ana/turns/7/extract"), 404, "not_found")
    assert_error(client.post(f"{API}/memories/ana/turns/-1/extract"), 422, "invalid_input")


def test_only_a_process_of_its_own_tunes_the_garbage_collector(tmp_path: Path, embedder):
    threshold = gc.get_threshold()
    try:
        with make_client(tmp_path, embedder) as c:
            assert c.get(f"{API}/health").status_code == 200
            assert gc.get_threshold() == threshold  # an embedding application's own settings
        settings = Settings(longmem_home=tmp_path / "own")
        app = create_app(settings, embedder=embedder, own_process=True)
        with TestClient(app) as c:
            assert c.get(f"{API}/health").status_code == 200
            assert gc.get_threshold() == YOUNG_COLLECTION_THRESHOLD
            assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        gc.set_threshold(*threshold)
