"""The benchmark's markdown tables, with each target marked met or missed."""

from __future__ import annotations

from typing import Any

TARGETS = {  # from the seed: checked at the largest size run
    "recall_at_10": (">=", 0.95),
    "false_positive_rate": ("<=", 0.05),
    "stale_rate": ("<=", 0.02),
    "search_p95_ms": ("<=", 50.0),
}
HTTP_TARGET_MS = 50.0


def _met(value: float, op: str, bound: float) -> bool:
    return value >= bound if op == ">=" else value <= bound


def quality_table(rows: list[dict[str, Any]]) -> str:
    head = (
        "| store | turns | users | ingest turns/s | search p50 ms | p95 ms | p99 ms "
        "| recall@1 | recall@5 | recall@10 | MRR | false pos. | stale | bytes/turn "
        "| RSS MiB |"
    )
    lines = [head, "|" + "---|" * 15]
    for r in rows:
        lines.append(
            f"| {r['store']} | {r['turns']:,} | {r['users']} | {r['ingest_turns_per_s']:.0f} "
            f"| {r['search_p50_ms']:.1f} | {r['search_p95_ms']:.1f} | {r['search_p99_ms']:.1f} "
            f"| {r['recall_at_1']:.2f} | {r['recall_at_5']:.2f} | {r['recall_at_10']:.2f} "
            f"| {r['mrr']:.2f} | {r['false_positive_rate']:.1%} | {r['stale_rate']:.1%} "
            f"| {r['storage_bytes_per_turn']:.0f} | {r['rss_mib']:.0f} |"
        )
    return "\n".join(lines)


def http_table(rows: list[dict[str, Any]]) -> str:
    lines = [
        "| store | turns | endpoint | clients | p50 ms | p95 ms | p99 ms | server RSS MiB |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['store']} | {r['turns']:,} | {r['endpoint']} | {r['clients']} "
            f"| {r['p50_ms']:.1f} | {r['p95_ms']:.1f} | {r['p99_ms']:.1f} "
            f"| {r['server_rss_mib']:.0f} |"
        )
    return "\n".join(lines)


def targets_table(quality: list[dict[str, Any]], http: list[dict[str, Any]]) -> str:
    lines = ["| target | store | turns | measured | met |", "|---|---|---|---|---|"]
    largest = max((r["turns"] for r in quality), default=0)
    for r in (r for r in quality if r["turns"] == largest):
        for key, (op, bound) in TARGETS.items():
            value = r[key]
            shown = f"{value:.1%}" if key.endswith("rate") else f"{value:.2f}"
            lines.append(
                f"| {key} {op} {bound} | {r['store']} | {r['turns']:,} | {shown} "
                f"| {'yes' if _met(value, op, bound) else '**no**'} |"
            )
    most = max((r["clients"] for r in http if r["endpoint"] == "search"), default=0)
    for r in http:
        if (
            r["endpoint"] == "search"
            and r["clients"] == most
            and r["turns"] == max(h["turns"] for h in http)
        ):
            ok = r["p95_ms"] <= HTTP_TARGET_MS
            lines.append(
                f"| HTTP search p95 <= {HTTP_TARGET_MS:.0f} ms at {most} clients "
                f"| {r['store']} | {r['turns']:,} | {r['p95_ms']:.1f} "
                f"| {'yes' if ok else '**no**'} |"
            )
    return "\n".join(lines)
