"""Load: 32 closed-loop clients, mixed conversation / search / add, against a real serve.
The 60-second run is `longmem bench reliability`; the suite runs 10 seconds of it."""

from __future__ import annotations

from pathlib import Path

import pytest

from longmem.benchmark import reliability


@pytest.mark.slow
@pytest.mark.parametrize("store", ["sqlite", "postgresql"])
def test_32_clients_get_every_answer_and_memory_does_not_run_away(
    store: str, tmp_path: Path
) -> None:
    outcome = reliability.load(store, tmp_path, clients=32, seconds=10)
    assert outcome.requests > 100
    assert outcome.errors == 0, (outcome.details["failures"], outcome.details["server_error"])
    assert (outcome.lost, outcome.unextracted, outcome.problems) == (0, 0, {})
    # A bound, not a measurement: a leak per request would pass it only on a tiny run.
    assert outcome.details["rss_end_mb"] < 2 * outcome.details["rss_start_mb"] + 200
