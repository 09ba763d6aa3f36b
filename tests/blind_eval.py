"""Scores the blind sets of tests/blind (written by someone who had not read the extractor).

changes.json: a user states a fact, chats about other things, then says it changed. A scenario
passes when `search(question)` (default settings, top 10) ranks a memory holding the new value
above every memory holding only the old one.
stays_controls.json: the other side. A user states a fact, then later says something related
that does not replace it (a friend's phone, a weekend in another city, a steak cooked for
someone else). A scenario passes when a memory holding the fact ranks above every memory
holding only the later remark: a change found where there was none fails it.
requests.json: one-off requests must not be stored as instructions; standing instructions must.

`python tests/blind_eval.py` prints the figures (the README quotes them).
"""

from __future__ import annotations

import json
import tempfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from longmem import Memory, Settings
from longmem.embedding import MiniLMEmbedder
from longmem.models import MemoryType

BLIND = Path(__file__).parent / "blind"
START = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


def changes(path: Path = BLIND / "changes.json") -> list[dict[str, Any]]:
    return list(json.loads(path.read_text()))


def requests() -> list[dict[str, Any]]:
    return list(json.loads((BLIND / "requests.json").read_text()))


@dataclass
class ChangeResult:
    id: str
    category: str
    new_rank: int | None  # 1-based rank of the first hit holding the new value
    old_rank: int | None  # of the first hit holding the old value and not the new one

    @property
    def passed(self) -> bool:
        return self.new_rank is not None and (
            self.old_rank is None or self.new_rank < self.old_rank
        )


def run_change(mem: Memory, scenario: dict[str, Any]) -> ChangeResult:
    user = scenario["id"]
    mem.add_turns(
        user,
        [
            {"content": t["text"], "role": t["role"], "timestamp": START + timedelta(days=i)}
            for i, t in enumerate(scenario["turns"])
        ],
    )
    old, new = scenario["old"].lower(), scenario["new"].lower()
    new_rank = old_rank = None
    for rank, hit in enumerate(mem.search(user, scenario["question"], top_k=10), start=1):
        text = hit.memory.content.lower()
        if new in text:
            new_rank = new_rank or rank
        elif old in text:
            old_rank = old_rank or rank
    return ChangeResult(user, scenario["category"], new_rank, old_rank)


def controls(path: Path = BLIND / "stays_controls.json") -> list[dict[str, Any]]:
    return list(json.loads(path.read_text()))


def run_control(mem: Memory, scenario: dict[str, Any]) -> ChangeResult:
    """A control read as a change whose "new" value is the fact that still holds."""
    return run_change(mem, {**scenario, "old": scenario["distractor"], "new": scenario["current"]})


@dataclass
class RequestResult:
    id: str
    kind: str
    stored_as_instruction: bool

    @property
    def passed(self) -> bool:
        return self.stored_as_instruction == (self.kind == "instruction")


def run_request(mem: Memory, item: dict[str, Any]) -> RequestResult:
    mem.add_turn(item["id"], item["text"])
    stored = mem.list(item["id"], types=[MemoryType.instruction]).items
    return RequestResult(item["id"], item["kind"], bool(stored))


@dataclass
class Figures:
    changes: list[ChangeResult] = field(default_factory=list)
    requests: list[RequestResult] = field(default_factory=list)

    def share(self, kind: str) -> float:
        chosen = [r for r in self.requests if r.kind == kind]
        return sum(r.passed for r in chosen) / len(chosen)

    @property
    def newest_first(self) -> float:
        return sum(r.passed for r in self.changes) / len(self.changes)

    def table(self) -> str:
        by = Counter(r.category for r in self.changes)
        ok = Counter(r.category for r in self.changes if r.passed)
        lines = [
            f"{'category':<22} passed",
            *(f"{c:<22} {ok[c]}/{n}" for c, n in sorted(by.items())),
        ]
        lines += [
            f"newest value ranks above the old one: {self.newest_first:.1%} of {len(self.changes)}",
            f"requests not stored as instructions:  {self.share('request'):.1%}",
            f"instructions stored as instructions:  {self.share('instruction'):.1%}",
        ]
        return "\n".join(lines)


@contextmanager
def blind_memory(embedder: MiniLMEmbedder | None = None) -> Iterator[Memory]:
    with tempfile.TemporaryDirectory(prefix="longmem-blind-") as home:
        settings = Settings(longmem_home=Path(home))
        with Memory(settings=settings, embedder=embedder or MiniLMEmbedder()) as mem:
            yield mem


def evaluate(
    embedder: MiniLMEmbedder | None = None, scenarios: Path = BLIND / "changes.json"
) -> Figures:
    figures = Figures()
    with blind_memory(embedder) as mem:
        figures.changes = [run_change(mem, s) for s in changes(scenarios)]
        figures.requests = [run_request(mem, r) for r in requests()]
    return figures


if __name__ == "__main__":
    import sys

    path = Path(sys.argv[1]) if len(sys.argv) > 1 else BLIND / "changes.json"
    if path.name.startswith("stays_"):
        with blind_memory() as mem:
            kept = [run_control(mem, s) for s in controls(path)]
        print(
            f"the fact that still holds ranks first: {sum(r.passed for r in kept) / len(kept):.1%}"
        )
        for r in kept:
            if not r.passed:
                print(
                    f"  missed {r.id} ({r.category}): fact at {r.new_rank}, remark at {r.old_rank}"
                )
        raise SystemExit(0)
    result = evaluate(scenarios=path)
    print(result.table())
    for r in result.changes:
        if not r.passed:
            print(f"  missed {r.id} ({r.category}): new at {r.new_rank}, old at {r.old_rank}")
    for q in result.requests:
        if not q.passed:
            print(f"  missed {q.id} ({q.kind})")
