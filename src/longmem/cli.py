"""`longmem`: a thin command line over the library and the service."""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console

from longmem.config import Settings, get_settings
from longmem.core.context import recalled
from longmem.errors import ConfigurationError, LongmemError
from longmem.models import Decision, ExportedMemory

console = Console(stderr=True)


def _workers(value: str) -> int:
    """--workers: the WORKERS setting's bounds, refused by argparse with a one-line message."""
    try:
        workers = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number") from None
    if not 1 <= workers <= 64:
        raise argparse.ArgumentTypeError(f"{workers} is not between 1 and 64")
    return workers


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    host = args.host or settings.host
    port = args.port or settings.port
    workers = args.workers or settings.workers
    try:
        settings.check_workers(workers)
    except ValueError as exc:
        raise ConfigurationError(str(exc)) from None
    store = re.sub(r"//[^@/]*@", "//***@", settings.database_url or str(settings.sqlite_path))
    console.print(f"longmem serving on http://{host}:{port} (store: {store})", markup=False)
    uvicorn.run(
        "longmem.service.app:create_served_app",
        factory=True,
        host=host,
        port=port,
        access_log=False,
        log_level="warning",
        workers=workers,
    )
    return 0


def _mcp(args: argparse.Namespace, settings: Settings) -> int:
    """MCP over stdio (stdout carries nothing but the protocol), or streamable HTTP."""
    from longmem import mcp_server

    if args.http:
        host = args.host or settings.host
        port = args.port or settings.port
        mcp_server.serve_http(settings, user=args.user, host=host, port=port)
    else:
        mcp_server.serve_stdio(settings, user=args.user)
    return 0


def _init_db(_: argparse.Namespace, settings: Settings) -> int:
    """Creates or migrates the configured store; safe to run again."""
    from longmem.embedding.factory import make_embedder
    from longmem.store.embedding_record import check_embedder
    from longmem.store.factory import open_store

    embedder = make_embedder(settings)
    store = open_store(settings, embedder.dimension)
    try:
        check_embedder(store, embedder)
        print(
            f"{store.path}: {store.backend} store ready (schema version "
            f"{store.schema_version}) for {embedder.model_name} "
            f"({embedder.dimension}-d vectors)"
        )
    finally:
        store.close()
    return 0


def _reembed(args: argparse.Namespace, settings: Settings) -> int:
    """Moves the store to the configured embedder; an interrupted run resumes."""
    from rich.progress import Progress

    from longmem.embedding.factory import make_embedder
    from longmem.reembed import reembed
    from longmem.store.embedding_record import recorded
    from longmem.store.factory import open_store

    embedder = make_embedder(settings)
    store = open_store(settings, embedder.dimension)
    try:
        if recorded(store) == (embedder.model_name, embedder.dimension) and not args.force:
            console.print(f"the store is already on {embedder.model_name}; nothing to do")
            return 0
        with Progress(console=console, disable=args.quiet) as progress:
            task = progress.add_task(f"re-embedding with {embedder.model_name}", total=None)

            def advance(done: int, total: int) -> None:
                progress.update(task, completed=done, total=total)

            report = reembed(
                store,
                embedder,
                batch=args.batch or settings.batch_embedding_size,
                on_progress=advance,
            )
    finally:
        store.close()
    was = f"{report.previous[0]} ({report.previous[1]}-d)" if report.previous else "unrecorded"
    console.print(
        f"{report.total} memories moved from {was} to {report.model} ({report.dimension}-d): "
        f"{report.embedded} embedded now, {report.resumed} from an earlier run",
        markup=False,
        soft_wrap=True,
    )
    return 0


def _memory(settings: Settings):  # type: ignore[no-untyped-def]
    from longmem.memory import Memory

    return Memory(settings)


def _stats(args: argparse.Namespace, settings: Settings) -> int:
    with _memory(settings) as mem:
        print(mem.stats(args.user).model_dump_json(indent=2))
    return 0


def _export(args: argparse.Namespace, settings: Settings) -> int:
    out = open(args.out, "w") if args.out else sys.stdout  # noqa: SIM115
    count = 0
    with _memory(settings) as mem:
        for item in mem.export_user(args.user):
            out.write(item.model_dump_json() + "\n")
            count += 1
    if args.out:
        out.close()
    console.print(f"exported {count} memories of {args.user}")
    return 0


def _import(args: argparse.Namespace, settings: Settings) -> int:
    lines = Path(args.file).read_text().splitlines()
    items = [ExportedMemory.model_validate_json(line) for line in lines if line.strip()]
    with _memory(settings) as mem:
        result = mem.import_memories(items)
    console.print(f"imported {result['imported']}, skipped {result['skipped']} existing")
    return 0


def _chat(args: argparse.Namespace, settings: Settings) -> int:
    """Type messages; see what each one recalls and what it extracts."""
    with _memory(settings) as mem:
        console.print(f"chatting as {args.user}; empty line or Ctrl-D to stop")
        for line in sys.stdin:
            message = line.strip()
            if not message:
                break
            # What would reach a prompt: search ranks everything, context gates.
            for hit in recalled(mem.context(args.user, message).memories):
                console.print(
                    f"  recalled {hit.parts.relevance:.2f} [{hit.memory.kind.value}] "
                    f"{hit.memory.content}",
                    markup=False,
                )
            result = mem.add_turn(args.user, message)
            for outcome in result.outcomes:
                if outcome.decision is not Decision.noop:
                    console.print(
                        f"  {outcome.decision.value}: {outcome.candidate.content} "
                        f"({outcome.reason})",
                        markup=False,
                    )
            console.print(f"  turn {result.turn_number} recorded", markup=False)
    return 0


def _bench(args: argparse.Namespace, settings: Settings) -> int:
    if args.peer:
        return _bench_peer(args, settings)
    if args.suite == "realtalk":
        return _bench_realtalk(args, settings)
    if args.suite == "reliability":
        return _bench_reliability(args)
    if args.suite == "scale":
        return _bench_scale(args, settings)
    from longmem.benchmark import run

    run(
        quick=args.quick,
        stores_=args.stores,
        out=Path(args.out or "bench-results/bench.json"),
        seed=args.seed,
        turns=args.turns,
        skip_http=args.no_http,
    )
    return 0


def _bench_realtalk(args: argparse.Namespace, settings: Settings) -> int:
    from longmem.benchmark import realtalk

    if args.data is None:
        raise ConfigurationError("bench realtalk needs --data PATH (a folder of Chat_*.json)")
    data = Path(args.data)
    if not data.is_dir():
        raise ConfigurationError(f"--data {data} is not a folder")
    never_said = Path(args.never_said) if args.never_said else None
    if never_said is not None and not never_said.exists():
        never_said = None  # an installed package without the repository's bench/ folder
    conversations = realtalk.load(data, never_said)
    if args.conversations:
        conversations = conversations[: args.conversations]
    if args.turns:
        conversations = realtalk.sliced(conversations, args.turns[0])
    result = realtalk.run(conversations, settings)
    print(realtalk.table(result))
    out = Path(args.out or "bench-results/realtalk.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2))
    return 0


def _bench_peer(args: argparse.Namespace, settings: Settings) -> int:
    from longmem.benchmark import mem0_peer, peer

    mem0_peer.require()  # before a minute of longmem's import, not after
    if args.data is None:
        raise ConfigurationError("bench --peer needs --data PATH (a folder of Chat_*.json)")
    data = Path(args.data)
    if not data.is_dir():
        raise ConfigurationError(f"--data {data} is not a folder")
    result = peer.run(
        data,
        settings,
        peer=args.peer,
        turns=args.turns[0] if args.turns else 10_000,
        questions=args.questions,
        seed=args.seed,
    )
    print(peer.table(result))
    out = Path(args.out or f"bench-results/peer-{args.peer}.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, default=str))
    return 0


def _bench_scale(args: argparse.Namespace, settings: Settings) -> int:
    from longmem.benchmark import scale

    if args.data is None or not Path(args.data).is_dir():
        raise ConfigurationError("bench scale needs --data PATH (a folder of Chat_*.json)")
    result = scale.run(
        Path(args.data),
        settings,
        sizes=args.turns or [1_000, 10_000, 50_000],
        store_names=["postgres" if s == "postgres" else s for s in args.stores],
        questions=args.questions,
        background=args.background_users,
    )
    print(scale.table(result))
    out = Path(args.out or "bench-results/scale.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, default=str))
    return 0


def _bench_reliability(args: argparse.Namespace) -> int:
    import dataclasses
    import tempfile

    from longmem.benchmark import reliability

    stores = tuple("postgresql" if s == "postgres" else s for s in args.stores)
    with tempfile.TemporaryDirectory(prefix="longmem-reliability-") as work:
        outcomes = reliability.run(Path(work), stores=stores, quick=args.quick)
    print(reliability.table(outcomes))
    out = Path(args.out or "bench-results/reliability.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps([dataclasses.asdict(o) for o in outcomes], indent=2, default=str))
    return 0 if all(o.ok for o in outcomes) else 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="longmem", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the HTTP service")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.add_argument(
        "--workers",
        type=_workers,
        metavar="N",
        help="processes sharing the port, 1-64 (WORKERS; more than one needs PostgreSQL)",
    )
    serve.set_defaults(run=_serve)
    mcp = commands.add_parser(
        "mcp", help="an MCP server: stdio (desktop clients) or --http (streamable HTTP at /mcp)"
    )
    mcp.add_argument("--user", help="act for this user only (user_id becomes optional)")
    mcp.add_argument("--http", action="store_true", help="streamable HTTP instead of stdio")
    mcp.add_argument("--host", help="--http: interface (HOST)")
    mcp.add_argument("--port", type=int, help="--http: port (PORT)")
    mcp.set_defaults(run=_mcp)
    commands.add_parser("init-db", help="create or migrate the store").set_defaults(run=_init_db)
    again = commands.add_parser(
        "reembed", help="move the store to the configured embedding model (resumable)"
    )
    again.add_argument("--batch", type=int, help="texts per request (BATCH_EMBEDDING_SIZE)")
    again.add_argument("--force", action="store_true", help="even if already on that model")
    again.add_argument("--quiet", action="store_true", help="no progress bar")
    again.set_defaults(run=_reembed)
    chat = commands.add_parser("chat", help="an interactive session against the memory")
    chat.add_argument("--user", default="me")
    chat.set_defaults(run=_chat)
    stats = commands.add_parser("stats", help="a user's memory statistics")
    stats.add_argument("user")
    stats.set_defaults(run=_stats)
    export = commands.add_parser("export", help="a user's memories with history, as JSONL")
    export.add_argument("user")
    export.add_argument("--out", help="file to write (default: standard output)")
    export.set_defaults(run=_export)
    load = commands.add_parser("import", help="memories from a JSONL export")
    load.add_argument("file")
    load.set_defaults(run=_import)
    bench = commands.add_parser("bench", help="recall, false positives, latency, throughput")
    bench.add_argument(
        "suite",
        nargs="?",
        choices=("synthetic", "realtalk", "reliability", "scale"),
        default="synthetic",
        help="synthetic scenarios (default), REALTALK's real chats (needs --data),"
        " reliability: crashes, failing dependencies, isolation, load, bad input, or scale:"
        " search cost by history size and beside other users, on real text (needs --data)",
    )
    bench.add_argument(
        "--peer",
        choices=("mem0",),
        help="measure another memory layer beside longmem on REALTALK (needs --data and the"
        " packages in bench/peer-mem0-requirements.txt)",
    )
    bench.add_argument("--data", help="realtalk, --peer: the folder holding REALTALK's Chat_*.json")
    bench.add_argument(
        "--questions", type=int, default=300, help="--peer: REALTALK questions asked of each"
    )
    bench.add_argument(
        "--never-said",
        default=str(Path(__file__).resolve().parents[2] / "bench/data/realtalk_never_said.json"),
        help="realtalk: questions about things never said, to measure the context gate",
    )
    bench.add_argument("--conversations", type=int, help="realtalk: only the first N")
    bench.add_argument("--quick", action="store_true", help="a small run for CI (~2 min)")
    bench.add_argument(
        "--stores", nargs="+", choices=["sqlite", "postgres"], default=["sqlite", "postgres"]
    )
    bench.add_argument(
        "--turns",
        type=int,
        nargs="+",
        help="sizes (default 1,000 and 10,000); realtalk: the first N messages of each chat;"
        " --peer: turns for the one user (default 10,000); scale: default 1,000 10,000 50,000",
    )
    bench.add_argument(
        "--background-users",
        type=int,
        default=1_000,
        help="scale: other users beside the smallest size's user on PostgreSQL",
    )
    bench.add_argument("--seed", type=int, default=7)
    bench.add_argument("--no-http", action="store_true", help="in-process measurements only")
    bench.add_argument("--out", help="results as JSON (default bench-results/<suite>.json)")
    bench.set_defaults(run=_bench)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        code: int = args.run(args, get_settings())
    except LongmemError as exc:
        console.print(f"error: {exc}", markup=False, soft_wrap=True)
        return 2
    return code


if __name__ == "__main__":
    raise SystemExit(main())
