"""`longmem bench --quick`: the CI smoke size of the benchmark, on both stores, over HTTP."""

from __future__ import annotations

import json

import pytest

from longmem.cli import main


@pytest.mark.slow
def test_the_quick_benchmark_measures_everything_it_reports(tmp_path, capsys):
    out = tmp_path / "bench.json"
    assert main(["bench", "--quick", "--out", str(out)]) == 0
    result = json.loads(out.read_text())
    assert [(r["store"], r["turns"]) for r in result["quality"]] == [
        ("sqlite", 300),
        ("postgres", 300),
    ]
    for row in result["quality"]:
        assert 0 <= row["recall_at_10"] <= 1 and 0 <= row["false_positive_rate"] <= 1
        assert row["ingest_turns_per_s"] > 0 and row["search_p95_ms"] > 0
        assert row["storage_bytes_per_turn"] > 1536  # at least the float32 vector
    assert result["quality"][1]["users"] == 5 and "alone_search_p95_ms" in result["quality"][1]
    endpoints = {(r["store"], r["endpoint"], r["clients"]) for r in result["http"]}
    assert ("sqlite", "search", 8) in endpoints and ("postgres", "conversation", 1) in endpoints
    printed = capsys.readouterr().out
    assert "| recall_at_10 >= 0.95 |" in printed and "HTTP search p95" in printed
