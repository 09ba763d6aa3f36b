"""`longmem bench --quick`: the CI smoke size of the benchmark, on both stores, over HTTP; and
`longmem bench --peer mem0` without mem0 installed (it never is in CI): its arguments, its
message, its workload and its measuring against a stand-in system."""

from __future__ import annotations

import json
from pathlib import Path

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


def test_bench_peer_mem0_parses_and_names_its_requirements_when_mem0_is_absent(monkeypatch, capsys):
    import importlib.util

    from longmem.benchmark import mem0_peer
    from longmem.cli import build_parser

    args = build_parser().parse_args(["bench", "--peer", "mem0", "--turns", "2000"])
    assert (args.peer, args.turns, args.questions) == ("mem0", [2000], 300)
    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: None if name == "mem0" else real_find_spec(name, *a),
    )
    # Fails before reading any data: no --data needed to learn what to install.
    assert main(["bench", "--peer", "mem0"]) == 2
    said = capsys.readouterr().err
    assert "mem0" in said and mem0_peer.REQUIREMENTS in said


REALTALK = Path(__file__).resolve().parents[2] / "shared" / "data" / "realtalk"


@pytest.mark.skipif(not REALTALK.is_dir(), reason="shared/data/realtalk is not beside the repo")
def test_the_peer_workload_is_realtalk_first_and_synthetic_only_to_reach_the_size():
    from longmem.benchmark.peer import workload

    work = workload(REALTALK, 10_000, 300)
    assert (len(work.turns), work.realtalk_turns, work.synthetic_turns) == (10_000, 8_944, 1_056)
    assert [t["turn_number"] for t in work.turns] == list(range(1, 10_001))
    # Synthetic turns come first, older than every message, so the last turns are real text.
    first_real = min(t["timestamp"] for t in work.turns[1_056:])
    assert all(t["timestamp"] < first_real for t in work.turns[:1_056])
    assert set(work.keys) == set(range(1_057, 10_001)) and len(set(work.keys.values())) == 8_944
    assert len(work.questions) == 300
    assert all(e in work.sessions for q in work.questions for e in q.evidence)

    small = workload(REALTALK, 500, 300)
    assert (small.realtalk_turns, small.synthetic_turns) == (500, 0)
    assert 0 < len(small.questions) < 300
    assert all(e in small.sessions for q in small.questions for e in q.evidence)


@pytest.mark.skipif(not REALTALK.is_dir(), reason="shared/data/realtalk is not beside the repo")
def test_measure_scores_evidence_recall_over_the_turns_a_system_returns():
    from rich.progress import Progress

    from longmem.benchmark.peer import measure, ratios, workload

    work = workload(REALTALK, 600, 20)
    by_key = {key: turn for turn, key in work.keys.items()}
    evidence = {q.text: [by_key[e] for e in q.evidence] for q in work.questions}

    class Oracle:
        name = "oracle"

        def __init__(self):
            self.imported: list[int] = []

        def import_turns(self, turns, advance):
            self.imported += [t["turn_number"] for t in turns]
            advance(len(turns))

        def add_turn(self, turn):
            self.imported.append(turn["turn_number"])

        def search(self, query, top_k):
            return evidence.get(query, [])[:top_k]

        def describe(self):
            return {}

    with Progress(disable=True) as bar:
        oracle = Oracle()
        result = measure(oracle, work, adds=10, top_k=10, bar=bar)
    assert oracle.imported == list(range(1, 601))
    assert result["recall_at_10"] == 1.0 and result["questions"] == 20
    assert result["import_turns_per_s"] > 0 and result["add_p95_ms"] >= result["add_p50_ms"]
    slower = {**result, "import_turns_per_s": result["import_turns_per_s"] / 4}
    slower["search_p95_ms"] = result["search_p95_ms"] * 3
    x = ratios(result, slower)
    assert round(x["import"], 6) == 4 and round(x["search_p95"], 6) == 3
    assert x["recall_at_10"] == 1.0


@pytest.mark.skipif(not REALTALK.is_dir(), reason="shared/data/realtalk is not beside the repo")
def test_bench_scale_measures_each_size_other_users_and_a_services_memory(
    tmp_path, postgres_url, monkeypatch
):
    from longmem import Settings
    from longmem.benchmark import scale

    monkeypatch.setenv("LONGMEM_BENCH_DATABASE_URL", postgres_url)
    result = scale.run(
        REALTALK,
        Settings(longmem_home=tmp_path / "home"),
        sizes=[120],
        store_names=["sqlite", "postgres"],
        questions=8,
        adds=12,
        background=2,
        rss_users=2,
        http_turns=120,
        http_clients=(2,),
        http_requests=6,
        progress=False,
    )
    runs = {(r["store"], r["users"]): r for r in result["runs"]}
    served = {(h["store"], h["workers"]): h for h in result["http"]}
    assert set(served) == {("sqlite", 1), ("postgres", 1), ("postgres", 2)}
    assert all(h["searches_per_s"] > 0 and h["p95_ms"] >= h["p50_ms"] for h in served.values())
    assert set(runs) == {("sqlite", 1), ("postgres", 1), ("postgres", 3)}
    for run in runs.values():
        assert run["turns"] == 120 and run["questions"] > 0
        assert 0 < run["search_p50_ms"] <= run["search_p95_ms"]
    assert runs["sqlite", 1]["import_turns_per_s"] > 0 and runs["sqlite", 1]["add_p95_ms"] > 0
    # Other users' rows change nothing of what this user's search finds (but a tie's order).
    assert abs(runs["postgres", 3]["recall_at_10"] - runs["postgres", 1]["recall_at_10"]) < 0.2
    assert result["rss"]["users"] == 2
    assert result["rss"]["rss_mib_loaded"] >= result["rss"]["rss_mib_started"] > 0
    table = scale.table(result)
    assert "| postgres | 120 | 3 |" in table and "MiB resident" in table
    assert "| postgres | 2 | 120 | 2 | 6 |" in table


def test_the_scale_plot_draws_a_line_a_store_through_each_size():
    from longmem.benchmark.scale import svg

    def run(store: str, turns: int, p95: float, users: int = 1) -> dict:
        return {
            "store": store,
            "turns": turns,
            "users": users,
            "search_p50_ms": p95 / 2,
            "search_p95_ms": p95,
        }

    drawn = svg(
        [
            {"runs": [run("sqlite", 1_000, 15.0), run("sqlite", 50_000, 28.0)]},
            {"runs": [run("postgresql", 1_000, 40.0), run("postgresql", 1_000, 41.0, users=1001)]},
        ]
    )
    assert drawn.startswith("<svg") and drawn.endswith("</svg>")
    assert drawn.count("<polyline") == 4  # p95 and p50 of each store; other users' run left out
    assert "sqlite p95" in drawn and "postgresql p95" in drawn and "50,000" in drawn
