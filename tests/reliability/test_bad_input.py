"""Bad input at scale: every rejected request gets a clear 4xx, writes nothing, and leaves the
service healthy. Against a real `longmem serve`, on both stores."""

from __future__ import annotations

from pathlib import Path

import pytest

from longmem.benchmark import reliability


@pytest.mark.slow
@pytest.mark.parametrize("store", ["sqlite", "postgresql"])
def test_oversized_nested_non_utf8_bodies_and_a_bad_turn_among_10000_write_nothing(
    store: str, tmp_path: Path
) -> None:
    outcome = reliability.bad_input(store, tmp_path, turns=10_000)
    assert outcome.requests == 13
    assert outcome.details["wrong"] == []
    assert outcome.problems == {}
