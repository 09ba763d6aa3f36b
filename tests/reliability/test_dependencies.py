"""What the service does while what it depends on fails: Redis stopped, PostgreSQL restarted,
the LLM endpoint failing or hanging. Each against a real `longmem serve`."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from longmem.benchmark import reliability
from longmem.benchmark.served import Served, StoreView, clean_env, wait_for
from openai_standin import StandIn


@pytest.mark.slow
def test_redis_stopped_mid_load_every_request_is_answered_and_the_cache_returns_with_it(
    tmp_path: Path,
) -> None:
    outcome = reliability.redis_outage(tmp_path)
    assert outcome.errors == 0, outcome.details["failures"]
    assert outcome.details["cache_used_again"]
    # Tasks the dead broker lost, or refused while down, were sent again from the outbox.
    assert outcome.acknowledged > 0
    assert (outcome.lost, outcome.unextracted, outcome.problems) == (0, 0, {})


@pytest.mark.slow
def test_postgres_restarted_mid_load_answers_503_while_down_and_loses_nothing(
    tmp_path: Path,
) -> None:
    outcome = reliability.postgres_restart(tmp_path)
    assert outcome.errors == 0, outcome.details["failures"]  # 503s, each with its reason
    assert outcome.details["unavailable"] >= 8
    assert (outcome.lost, outcome.unextracted, outcome.problems) == (0, 0, {})


# -- the LLM endpoint ---------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("failure", [{"status": 500}, {"sleep": 3}], ids=["500s", "hanging"])
def test_an_llm_endpoint_failing_keeps_the_turn_and_extracts_it_offline(
    failure: dict[str, int], tmp_path: Path
) -> None:
    with StandIn() as standin:
        for _ in range(20):
            standin.then(**failure, content=json.dumps({"memories": []}))
        env = clean_env(
            tmp_path,
            OPENAI_BASE_URL=standin.base_url,
            OPENAI_API_KEY="sk-standin",
            LLM_TIMEOUT_SECONDS="1",
            LLM_MAX_RETRIES="1",
        )
        view = StoreView(sqlite_path=tmp_path / "home" / "longmem.db")
        served = Served(env, tmp_path / "serve.log").start()
        try:
            answer = httpx.post(
                f"{served.base}/conversation",
                json={"user_id": "ann", "turn_number": 1, "message": "I live in Porto"},
                timeout=30,
            )
            assert answer.status_code == 200, answer.text
            assert answer.json()["reply"] is None and answer.json()["reply_error"]
            wait_for(lambda: view.pending() == 0, 60, "the turn to be extracted")
        finally:
            served.stop()
        assert standin.requests, "the LLM endpoint was never tried"
    facts = view.rows("SELECT content FROM memories WHERE user_id = 'ann' AND kind = 'semantic'")
    assert facts == [("User lives in Porto",)]
    assert view.turns("ann") == {1}
