"""Isolation and secrets: 10,000 probes with another tenant's key reach nothing, and no secret
(API key, database password, LLM key) appears in anything the service printed or answered,
through bad keys, bad input and an outage of the database."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from longmem.benchmark import reliability
from openai_standin import StandIn


@contextmanager
def llm_endpoint() -> Iterator[str]:
    with StandIn() as standin:
        yield standin.base_url


@pytest.mark.slow
@pytest.mark.parametrize("store", ["sqlite", "postgresql"])
def test_ten_thousand_probes_with_another_tenants_key_reach_nothing_and_print_no_secret(
    store: str, tmp_path: Path
) -> None:
    outcome = reliability.isolation(store, tmp_path, probes=10_000, llm=llm_endpoint)
    assert outcome.details["leaks"] == [] and outcome.details["secrets_shown"] == []
    assert outcome.details["other_tenant_unchanged"]
    assert outcome.leaks == 0
    assert outcome.errors == 0, outcome.details["errors"]
