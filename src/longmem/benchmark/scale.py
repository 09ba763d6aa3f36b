"""`longmem bench scale`: how a user's search cost grows with the user's history and with other
users' data, on real text, and what one service process holds in memory.

Each size is one user holding REALTALK's messages (synthetic turns before them past 8,944,
`peer.workload`), imported through `Memory.add_turns`, then `adds` single `add_turn`s and the
REALTALK questions whose evidence it holds, each asked once (`peer.measure`). Then, on
PostgreSQL, the same user's search beside `background` other users of the same size (their
rows copied inside the database: embedding them again would take hours). Then the resident
memory of a `longmem serve` holding `rss_users` users of the largest SQLite size, each searched
once so that its index is loaded.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

import httpx
from rich.progress import Progress

from longmem.benchmark import peer, stores
from longmem.benchmark.http import timed_requests
from longmem.benchmark.realtalk import Scores
from longmem.benchmark.served import Served, clean_env
from longmem.config import Settings


@contextmanager
def _postgres(wanted: bool) -> Iterator[str | None]:
    if not wanted:
        yield None
        return
    with stores.postgres_server() as url:
        yield url


def run(
    data: Path,
    settings: Settings,
    *,
    sizes: list[int],
    store_names: list[str],
    questions: int = 300,
    adds: int = 100,
    background: int = 1_000,
    rss_users: int = 10,
    http_turns: int = 10_000,
    http_clients: tuple[int, ...] = (1, 32),
    http_requests: int = 300,
    progress: bool = True,
) -> dict[str, Any]:
    result: dict[str, Any] = {"cpus": os.cpu_count(), "runs": [], "questions": questions}
    with (
        tempfile.TemporaryDirectory(prefix="longmem-scale-") as tmp,
        _postgres("postgres" in store_names) as pg_url,
        Progress(disable=not progress) as bar,
    ):
        for store in store_names:
            for size in sizes:
                home = Path(tmp) / f"{store}-{size}"
                work = peer.workload(data, size, questions)
                url = _url(store, home, pg_url)
                system = peer.LongmemSystem(settings, home, database_url=url)
                try:
                    measured = peer.measure(
                        system,
                        work,
                        adds=min(adds, size // 10),
                        top_k=10,
                        bar=bar,
                        settle=partial(stores.at_rest, url) if store == "postgres" else None,
                    )
                    result["runs"].append({**measured, "store": store, "turns": size, "users": 1})
                    if store == "postgres" and size == min(sizes) and background:
                        system.close()
                        copying = bar.add_task("copying the user to others", total=background)
                        stores.add_background_users(
                            url, peer.USER, background, partial(bar.advance, copying)
                        )
                        system = peer.LongmemSystem(settings, home, database_url=url)
                        result["runs"].append(
                            {
                                "store": store,
                                "turns": size,
                                "users": background + 1,
                                **_searches(system, work, bar),
                            }
                        )
                finally:
                    system.close()
                if size == http_turns and http_clients:
                    asked = [q.text for q in work.questions]
                    if store == "postgres":  # the timed adds and searches wrote since
                        stores.at_rest(url)
                    # Several service processes only where the store allows them.
                    for workers in (1, 2) if store == "postgres" else (1,):
                        result.setdefault("http", []).extend(
                            _http(home, url, size, asked, http_clients, http_requests, workers)
                        )
        largest = max(sizes)
        if "sqlite" in store_names and rss_users:
            result["rss"] = _service_rss(Path(tmp) / f"sqlite-{largest}", largest, rss_users)
    return result


def _url(store: str, home: Path, pg_url: str | None) -> str:
    if store == "sqlite":
        return f"sqlite:///{home}/peer.db"
    assert pg_url is not None
    return stores.fresh_database(pg_url)


def _searches(system: peer.LongmemSystem, work: peer.Workload, bar: Any) -> dict[str, Any]:
    scores = Scores()
    system.search("warm-up", 10)
    task = bar.add_task("search beside other users", total=len(work.questions))
    for question in work.questions:
        started = time.perf_counter()
        turns = system.search(question.text, 10)
        scores.latencies_ms.append((time.perf_counter() - started) * 1000)
        ranked = [work.keys[t] for t in turns if t in work.keys]
        scores.add(question, list(dict.fromkeys(ranked)), work.sessions)
        bar.advance(task)
    return scores.summary()


def _http(
    home: Path,
    database_url: str,
    turns: int,
    questions: list[str],
    clients: tuple[int, ...],
    requests: int,
    workers: int = 1,
) -> list[dict[str, Any]]:
    """Searches over HTTP against a `longmem serve` of `workers` processes on the user's
    store, closed-loop clients each asking the next question once answered."""
    served_home = home.parent / f"http-{home.name}-{workers}"
    served_home.mkdir()
    env = clean_env(served_home, DATABASE_URL=database_url, WORKERS=str(workers))
    service = Served(env, served_home / "serve.log").start()
    store = "postgres" if database_url.startswith("postgres") else "sqlite"
    rows = []
    try:
        path = f"/memories/{peer.USER}/search"
        # Each worker loads the user's index on its first search: warm them all up.
        for _ in range(4 * workers):
            with httpx.Client(base_url=service.base, timeout=60) as client:
                client.post(path, json={"query": "warm-up"}).raise_for_status()
        for n in clients:
            started = time.perf_counter()
            latencies = timed_requests(
                service.base,
                n,
                requests,
                lambda i: ("POST", path, {"json": {"query": questions[i % len(questions)]}}),
            )
            wall = time.perf_counter() - started
            rows.append(
                {
                    "store": store,
                    "workers": workers,
                    "turns": turns,
                    "clients": n,
                    "requests": requests,
                    "p50_ms": stores.percentile(latencies, 50),
                    "p95_ms": stores.percentile(latencies, 95),
                    "searches_per_s": requests / wall,
                }
            )
    finally:
        service.stop()
    return rows


def _service_rss(home: Path, turns: int, users: int) -> dict[str, Any]:
    """VmRSS of a `longmem serve` on a copy of the SQLite file with the one user copied to
    `users` users, after one search of each."""
    served_home = home.parent / "served"
    served_home.mkdir()
    db = served_home / "longmem.db"
    shutil.copy(home / "peer.db", db)
    _copy_user(db, peer.USER, users - 1)
    service = Served(clean_env(served_home, DATABASE_URL=f"sqlite:///{db}"), home / "serve.log")
    service.start()
    try:
        assert service.process is not None
        before = _vm_rss(service.process.pid)
        with httpx.Client(base_url=service.base, timeout=120) as client:
            for n in range(users):
                user = peer.USER if n == 0 else f"{peer.USER}-{n}"
                client.post(f"/memories/{user}/search", json={"query": "what did I say?"})
        return {
            "users": users,
            "turns_each": turns,
            "rss_mib_started": before,
            "rss_mib_loaded": _vm_rss(service.process.pid),
        }
    finally:
        service.stop()


def _copy_user(db: Path, user_id: str, copies: int) -> None:
    con = sqlite3.connect(db)
    columns = [r[1] for r in con.execute("PRAGMA table_info(memories)")]
    copied = [c for c in columns if c not in ("rowid", "memory_id", "user_id", "owner")]
    names = ", ".join(copied)
    with con:
        for n in range(1, copies + 1):
            other = f"{user_id}-{n}"
            con.execute(
                f"INSERT INTO memories (memory_id, user_id, owner, {names})"
                f" SELECT memory_id || ?, ?, owner || ?, {names} FROM memories WHERE user_id = ?",
                (f"-{n}", other, f"x{n}", user_id),
            )
            con.execute(
                "INSERT INTO users (tenant_id, user_id, last_turn, turns_seen)"
                " SELECT tenant_id, ?, last_turn, turns_seen FROM users WHERE user_id = ?",
                (other, user_id),
            )
    con.close()


def _vm_rss(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def table(result: dict[str, Any]) -> str:
    lines = [
        "| store | turns | users | import turns/s | add p50 / p95 ms | search p50 / p95 ms"
        " | recall@10 |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in result["runs"]:
        rate = f"{r['import_turns_per_s']:.0f}" if "import_turns_per_s" in r else "-"
        add = f"{r['add_p50_ms']:.1f} / {r['add_p95_ms']:.1f}" if "add_p50_ms" in r else "-"
        lines.append(
            f"| {r['store']} | {r['turns']:,} | {r['users']:,} | {rate} | {add}"
            f" | {r['search_p50_ms']:.1f} / {r['search_p95_ms']:.1f} | {r['recall_at_10']:.3f} |"
        )
    if result.get("http"):
        lines += [
            "\nOver HTTP (`longmem serve`, closed-loop clients, distinct REALTALK questions):\n",
            "| store | workers | turns | clients | searches | p50 / p95 ms | searches/s |",
            "|---|---|---|---|---|---|---|",
        ]
    for h in result.get("http", []):
        lines.append(
            f"| {h.get('store', 'sqlite')} | {h.get('workers', 1)} | {h['turns']:,}"
            f" | {h['clients']} | {h['requests']} | {h['p50_ms']:.1f} / {h['p95_ms']:.1f}"
            f" | {h['searches_per_s']:.0f} |"
        )
    rss = result.get("rss")
    if rss:
        lines.append(
            f"\nOne `longmem serve` (SQLite) holding {rss['users']} users of {rss['turns_each']:,}"
            f" turns: {rss['rss_mib_started']:.0f} MiB resident at start,"
            f" {rss['rss_mib_loaded']:.0f} MiB once each user has searched."
        )
    return "\n".join(lines)


def svg(results: list[dict[str, Any]]) -> str:
    """Search p50 and p95 by history size, one line a store (single-user runs), as a small
    SVG with no plotting library: sizes on a log scale."""
    import math

    series: dict[str, list[tuple[int, float, float]]] = {}
    for result in results:
        for r in result["runs"]:
            if r["users"] == 1:
                series.setdefault(r["store"], []).append(
                    (r["turns"], r["search_p50_ms"], r["search_p95_ms"])
                )
    width, height, left, bottom, top, right = 620, 320, 60, 50, 20, 170
    sizes = sorted({t for points in series.values() for t, _, _ in points})
    ceiling = max(p95 for points in series.values() for _, _, p95 in points) * 1.15
    low, high = math.log10(min(sizes)), math.log10(max(sizes))

    def x(turns: int) -> float:
        span = (math.log10(turns) - low) / ((high - low) or 1.0)
        return left + span * (width - left - right)

    def y(ms: float) -> float:
        return height - bottom - ms / ceiling * (height - bottom - top)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}"'
        ' font-family="sans-serif" font-size="12">',
        f'<rect width="{width}" height="{height}" fill="white"/>',
        f'<line x1="{left}" y1="{y(0)}" x2="{width - right}" y2="{y(0)}" stroke="black"/>',
        f'<line x1="{left}" y1="{y(0)}" x2="{left}" y2="{top}" stroke="black"/>',
        f'<text x="{(width - right + left) / 2}" y="{height - 12}" text-anchor="middle">'
        "turns held by the user (log scale)</text>",
        f'<text x="14" y="{(height - bottom + top) / 2}" text-anchor="middle"'
        f' transform="rotate(-90 14 {(height - bottom + top) / 2})">search ms</text>',
    ]
    step = 10 if ceiling <= 80 else 20
    for ms in range(0, int(ceiling) + 1, step):
        parts.append(
            f'<text x="{left - 6}" y="{y(ms) + 4}" text-anchor="end">{ms}</text>'
            f'<line x1="{left}" y1="{y(ms)}" x2="{width - right}" y2="{y(ms)}"'
            ' stroke="#ddd"/>'
        )
    for turns in sizes:
        parts.append(f'<text x="{x(turns)}" y="{y(0) + 16}" text-anchor="middle">{turns:,}</text>')
    colours = ["#1f77b4", "#d62728", "#2ca02c"]
    for n, (store, points) in enumerate(sorted(series.items())):
        colour = colours[n % len(colours)]
        points.sort()
        for i, dash in ((2, ""), (1, ' stroke-dasharray="5,4"')):
            line = " ".join(f"{x(p[0]):.1f},{y(p[i]):.1f}" for p in points)
            parts.append(
                f'<polyline points="{line}" fill="none" stroke="{colour}" stroke-width="2"{dash}/>'
            )
        label_y = top + 18 * (2 * n + 1)
        parts.append(
            f'<text x="{width - right + 10}" y="{label_y}" fill="{colour}">{store} p95</text>'
            f'<text x="{width - right + 10}" y="{label_y + 16}" fill="{colour}">'
            f"{store} p50 (dashed)</text>"
        )
    parts.append("</svg>")
    return "\n".join(parts)


if __name__ == "__main__":
    import json
    import sys

    # python -m longmem.benchmark.scale OUT.svg RESULT.json...
    Path(sys.argv[1]).write_text(
        svg([json.loads(Path(f).read_text()) for f in sys.argv[2:]]) + "\n"
    )
