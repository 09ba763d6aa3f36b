"""LLM extraction, replies and resilience, against a local stand-in for the OpenAI API."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from longmem import Memory, MemoryType, Settings
from longmem.extraction import OfflineExtractor
from longmem.llm.client import CircuitBreaker, LLMUnavailable, OpenAIClient
from longmem.llm.extractor import LLMExtractor
from longmem.llm.reconciler import LLMJudge
from longmem.models import Decision, MemoryKind, MemoryStatus
from longmem.service import create_app
from openai_standin import StandIn

API = "/api/v1"
EXTRACTED = json.dumps(
    {
        "memories": [
            {
                "type": "preference",
                "content": "User loves dark roast coffee",
                "confidence": 0.95,
                "slot": "pref:coffee",
                "value": "dark roast coffee",
                "negated": False,
                "replaces": None,
            },
            {
                "type": "commitment",
                "content": "User will send the report on Friday",
                "confidence": 0.9,
            },
        ]
    }
)


@pytest.fixture
def standin() -> Iterator[StandIn]:
    with StandIn() as server:
        yield server


def llm_memory(tmp_path: Path, embedder, standin: StandIn, **client_options) -> Memory:
    client = OpenAIClient(standin.base_url, "sk-test", backoff=0.01, **client_options)
    extractor = LLMExtractor(client, "gpt-4o-mini", OfflineExtractor())
    return Memory(Settings(longmem_home=tmp_path / "llm"), embedder=embedder, extractor=extractor)


def test_structured_output_becomes_typed_memories(tmp_path, embedder, standin):
    standin.then(content=EXTRACTED)
    with llm_memory(tmp_path, embedder, standin) as mem:
        result = mem.add_turn("u", "I love dark roast. Report goes out Friday.", turn_number=3)
    assert {o.candidate.type for o in result.outcomes} == {
        MemoryType.preference,
        MemoryType.commitment,
    }
    sent = standin.requests[0]
    assert sent["model"] == "gpt-4o-mini"
    assert sent["response_format"]["type"] == "json_schema"
    assert "I love dark roast" in sent["messages"][0]["content"]


def test_a_deed_the_model_reports_closes_the_commitment(tmp_path, embedder, standin):
    standin.then(content=EXTRACTED)
    done = {"type": "fact", "content": "User sent the report", "confidence": 0.9}
    standin.then(content=json.dumps({"memories": [{**done, "completes": "send report"}]}))
    with llm_memory(tmp_path, embedder, standin) as mem:
        mem.add_turn("u", "I love dark roast. Report goes out Friday.", turn_number=3)
        result = mem.add_turn("u", "Report's out!", turn_number=9)
        promise = mem.get("u", result.outcomes[0].target_id)
    assert result.outcomes[0].decision is Decision.supersede
    assert promise.content == "User will send the report on Friday"
    assert promise.status is MemoryStatus.superseded
    assert '"completes"' in standin.requests[1]["messages"][0]["content"]


def test_malformed_items_are_dropped_one_by_one_and_fenced_json_is_repaired(
    tmp_path, embedder, standin
):
    reply = (
        "```json\n"
        + json.dumps(
            {
                "memories": [
                    {
                        "type": "fact",
                        "content": "User lives in Oslo",
                        "confidence": 0.9,
                        "slot": "home",
                        "value": "Oslo",
                    },
                    {"type": "opinion", "content": "bad type", "confidence": 0.9},
                    {"content": "no type at all", "confidence": 0.9},
                    "not even an object",
                ]
            }
        )
        + "\n```"
    )
    standin.then(content=reply)
    with llm_memory(tmp_path, embedder, standin) as mem:
        result = mem.add_turn("u", "I live in Oslo", turn_number=1)
    assert [o.candidate.content for o in result.outcomes] == ["User lives in Oslo"]


def test_unusable_output_falls_back_to_the_offline_extractor(tmp_path, embedder, standin):
    standin.then(content="Sure! Here are the memories: none, I think.")
    with llm_memory(tmp_path, embedder, standin) as mem:
        result = mem.add_turn("u", "I live in Oslo", turn_number=1)
    assert [o.candidate.slot for o in result.outcomes] == ["home"]


def test_429_then_success_is_retried(tmp_path, embedder, standin):
    standin.then(status=429).then(status=503).then(content=EXTRACTED)
    with llm_memory(tmp_path, embedder, standin) as mem:
        result = mem.add_turn("u", "I love dark roast coffee", turn_number=1)
    assert len(standin.requests) == 3
    assert len(result.outcomes) == 2


def test_a_timeout_falls_back_and_never_loses_the_turn(tmp_path, embedder, standin):
    standin.then(sleep=1.0, content=EXTRACTED)
    with llm_memory(tmp_path, embedder, standin, timeout=0.2, max_retries=0) as mem:
        result = mem.add_turn("u", "I live in Oslo", turn_number=1)
        assert [o.candidate.slot for o in result.outcomes] == ["home"]  # offline extractor
        assert mem.list("u", kinds=["episodic"]).items[0].content == "I live in Oslo"


def test_the_circuit_breaker_opens_after_repeated_failures(standin):
    for _ in range(3):
        standin.then(status=500)
    client = OpenAIClient(
        standin.base_url,
        None,
        max_retries=0,
        backoff=0.01,
        breaker=CircuitBreaker(threshold=3, cooldown=60),
    )
    for _ in range(3):
        with pytest.raises(LLMUnavailable):
            client.chat(
                model="m", purpose="extraction", messages=[{"role": "user", "content": "x"}]
            )
    calls = len(standin.requests)
    with pytest.raises(LLMUnavailable, match="circuit breaker"):
        client.chat(model="m", purpose="extraction", messages=[{"role": "user", "content": "x"}])
    assert len(standin.requests) == calls  # no request was sent


def service(tmp_path: Path, embedder, standin: StandIn) -> TestClient:
    settings = Settings(
        longmem_home=tmp_path / "svc",
        retrieval_timeout_ms=5000,
        openai_base_url=standin.base_url,
        openai_api_key="sk-test",
        llm_max_retries=0,
    )
    return TestClient(create_app(settings, embedder=embedder))


def test_the_conversation_reply_comes_from_the_model_with_memories_in_the_prompt(
    tmp_path, embedder, standin
):
    standin.then(content='{"memories": []}')  # extraction of the first turn
    with service(tmp_path, embedder, standin) as client:
        client.post(
            f"{API}/turns",
            json={
                "user_id": "u",
                "wait": True,
                "turns": [{"content": "I love espresso and prefer dark roast coffee"}],
            },
        )
        standin.chat.clear()
        standin.then(model="gpt-4o", content="Try an Ethiopian dark roast.")
        body = client.post(
            f"{API}/conversation", json={"user_id": "u", "message": "What coffee should I buy?"}
        ).json()
    assert body["reply"] == "Try an Ethiopian dark roast."
    reply_request = next(r for r in standin.requests if r["model"] == "gpt-4o")
    assert "espresso" in reply_request["messages"][0]["content"]


def test_a_streamed_reply_arrives_in_order_after_the_memories(tmp_path, embedder, standin):
    with service(tmp_path, embedder, standin) as client:
        standin.chat.clear()
        standin.then(model="gpt-4o", stream=["Try ", "an ", "Ethiopian ", "roast."])
        with client.stream(
            "POST",
            f"{API}/conversation",
            json={"user_id": "u", "message": "What coffee?", "stream": True},
        ) as response:
            assert response.headers["content-type"].startswith("text/event-stream")
            lines = [line for line in response.iter_lines() if line]
    events = [
        (name.removeprefix("event: "), json.loads(data.removeprefix("data: ")))
        for name, data in zip(lines[::2], lines[1::2], strict=True)
    ]
    assert events[0][0] == "memories"
    assert events[0][1]["user_id"] == "u"
    assert [data["text"] for name, data in events if name == "delta"] == [
        "Try ",
        "an ",
        "Ethiopian ",
        "roast.",
    ]
    assert events[-1] == ("done", {"reply": "Try an Ethiopian roast."})


def test_tokens_and_cost_are_counted(tmp_path, embedder, standin):
    standin.then(content=EXTRACTED, prompt_tokens=500, completion_tokens=100)
    with service(tmp_path, embedder, standin) as client:
        client.post(
            f"{API}/turns",
            json={"user_id": "u", "wait": True, "turns": [{"content": "I love dark roast"}]},
        )
        metrics = client.get("/metrics").text
        stats = client.get(f"{API}/memories/u/stats").json()
        health = client.get(f"{API}/health").json()
    assert 'llm_tokens_used_total{model="gpt-4o-mini",purpose="extraction"} 600.0' in metrics
    assert "llm_call_duration_seconds_count" in metrics
    # 500 x $0.15/M + 100 x $0.60/M = $0.000135 for one turn -> $0.135 per 1,000 turns
    assert stats["llm_cost_per_1000_turns_usd"] == pytest.approx(0.135)
    assert health["checks"]["llm"]["status"] == "ok"


def memories(*items: tuple[str, str]) -> str:
    return json.dumps(
        {"memories": [{"type": t, "content": c, "confidence": 0.9} for t, c in items]}
    )


def judged_memory(tmp_path: Path, embedder, standin: StandIn) -> Memory:
    client = OpenAIClient(standin.base_url, "sk-test", backoff=0.01, max_retries=0)
    return Memory(
        Settings(longmem_home=tmp_path / "judged"),
        embedder=embedder,
        extractor=LLMExtractor(client, "gpt-4o-mini", OfflineExtractor()),
        judge=LLMJudge(client, "gpt-4o-mini"),
    )


def test_the_llm_decides_reconciliation_with_the_neighbours_in_its_prompt(
    tmp_path, embedder, standin
):
    standin.then(content=memories(("fact", "User lives in Paris")))
    standin.then(content=memories(("fact", "User lives in Lisbon")))
    standin.then(content='{"decision": "supersede", "target": 0, "reason": "the user moved"}')
    with judged_memory(tmp_path, embedder, standin) as mem:
        mem.add_turn("u", "I live in Paris.")
        outcome = mem.add_turn("u", "These days I'm in Lisbon.").outcomes[0]
        old = mem.get("u", outcome.target_id)
        history = mem.history("u", old.memory_id)
    # The rules alone would ADD (cosine 0.74, no slot): the decision is the model's.
    assert outcome.decision is Decision.supersede
    assert old.content == "User lives in Paris" and old.status is MemoryStatus.superseded
    assert history[-1].reason.endswith("LLM: the user moved")
    asked = standin.requests[2]
    assert asked["response_format"]["json_schema"]["name"] == "reconciliation"
    assert "0. (fact) User lives in Paris" in asked["messages"][0]["content"]
    assert "User lives in Lisbon" in asked["messages"][0]["content"]


@pytest.mark.parametrize(
    "answer",
    [
        "I think you should merge them",  # no JSON
        '{"decision": "MERGE", "target": 7, "reason": "x"}',  # no such neighbour
        '{"decision": "FORGET", "target": null, "reason": "x"}',  # no such decision
        None,  # the endpoint fails
    ],
)
def test_an_unusable_reconciliation_answer_leaves_the_decision_to_the_rules(
    tmp_path, embedder, standin, answer
):
    standin.then(content=memories(("fact", "User lives in Paris")))
    standin.then(content=memories(("fact", "User lives in Lisbon")))
    standin.then(**({"content": answer} if answer else {"status": 500}))
    with judged_memory(tmp_path, embedder, standin) as mem:
        mem.add_turn("u", "I live in Paris.")
        outcome = mem.add_turn("u", "These days I'm in Lisbon.").outcomes[0]
        stored = sorted(m.content for m in mem.list("u", kinds=[MemoryKind.semantic]).items)
    assert outcome.decision is Decision.add
    assert not outcome.reason.startswith("LLM")
    assert stored == ["User lives in Lisbon", "User lives in Paris"]


def test_configuring_an_endpoint_turns_on_llm_extraction_and_reconciliation(
    tmp_path, embedder, standin
):
    settings = Settings(longmem_home=tmp_path / "configured", openai_base_url=standin.base_url)
    standin.then(content=memories(("preference", "User loves dark roast coffee")))
    with Memory(settings, embedder=embedder) as mem:
        outcome = mem.add_turn("u", "Dark roast, always.").outcomes[0]
    assert outcome.candidate.content == "User loves dark roast coffee"
    assert standin.requests[0]["model"] == "gpt-4o-mini"
    with Memory(settings.model_copy(update={"openai_base_url": None}), embedder=embedder) as mem:
        assert mem.add_turn("u", "Dark roast, always.").outcomes == []  # offline: nothing


@pytest.mark.parametrize("prices", ["not json", '{"gpt-4o-mini": 0.15}', '{"m": [1, "x"]}'])
def test_a_malformed_price_table_is_refused_with_the_expected_shape(prices):
    with pytest.raises(ValueError, match="USD per 1M tokens"):
        Settings(llm_prices=prices)


def test_a_failing_reply_model_still_serves_the_turn_and_its_memories(tmp_path, embedder, standin):
    with service(tmp_path, embedder, standin) as client:
        client.post(
            f"{API}/turns",
            json={"user_id": "u", "wait": True, "turns": [{"content": "I love dark roast coffee"}]},
        )
        standin.then(model="gpt-4o", status=500)
        body = client.post(
            f"{API}/conversation", json={"user_id": "u", "message": "What coffee should I buy?"}
        ).json()
        listed = client.get(f"{API}/memories/u", params={"kinds": "episodic"}).json()
    assert body["reply"] is None
    assert "500" in body["reply_error"]
    assert "dark roast" in body["context"]
    assert [m["content"] for m in listed["items"]] == [
        "I love dark roast coffee",
        "What coffee should I buy?",
    ]
