"""`longmem bench realtalk`: evidence recall on REALTALK's real 21-day chats, beside two
baselines over the same messages (plain BM25, dense MiniLM).

Each conversation is one user; every message one turn with its speaker and timestamp, imported
through `Memory.add_turns`; every question asked once with `search(top_k=10)`. A hit counts for
the message of its source turn (an extracted fact names the turn it came from). The data is
read from the path given and never copied.
"""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from longmem.config import Settings
from longmem.core.context import recalled
from longmem.core.lexical import Document, TermStats, bm25
from longmem.core.text import content_words

CATEGORIES = {1: "multi-hop", 2: "temporal", 3: "commonsense"}
KS = (1, 5, 10)
# Every retriever is judged on its first ten, as a user of `search(top_k=10)` sees them; the
# session measure reads the sessions of those ten.
TOP_K = 10


@dataclass
class Message:
    dia_id: str
    session: int
    speaker: str
    text: str
    timestamp: datetime


@dataclass
class Question:
    text: str
    evidence: list[str]
    category: int


@dataclass
class Conversation:
    name: str
    messages: list[Message]
    questions: list[Question]
    never_said: list[str] = field(default_factory=list)

    def turn_dicts(self, first: int = 1) -> list[dict[str, Any]]:
        """The messages as `add_turns` takes them, numbered from `first`."""
        return [
            {
                "turn_number": first + i,
                "content": m.text,
                "speaker": m.speaker,
                "timestamp": m.timestamp,
            }
            for i, m in enumerate(self.messages)
        ]


def load(path: Path, never_said: Path | None = None) -> list[Conversation]:
    """The conversations of a REALTALK folder (Chat_*.json; format in its README)."""
    files = sorted(path.glob("Chat_*.json"))
    if not files:
        raise FileNotFoundError(f"no Chat_*.json files in {path}")
    unsaid: dict[str, list[str]] = {}
    if never_said is not None:
        unsaid = json.loads(never_said.read_text())["questions"]
    conversations = []
    for file in files:
        data = json.loads(file.read_text())
        messages: list[Message] = []
        n = 1
        while f"session_{n}" in data:
            for m in data[f"session_{n}"]:
                messages.append(
                    Message(
                        m["dia_id"].strip(),
                        n,
                        m["speaker"],
                        m["clean_text"],
                        datetime.strptime(m["date_time"], "%d.%m.%Y, %H:%M:%S").replace(tzinfo=UTC),
                    )
                )
            n += 1
        known = {m.dia_id for m in messages}
        questions = []
        for qa in data.get("qa", []):
            # Some evidence ids carry a stray full stop ("D5:3.").
            evidence = [e.strip().rstrip(".").strip() for e in qa.get("evidence", [])]
            evidence = [e for e in evidence if e in known]
            if evidence:
                questions.append(Question(qa["question"], evidence, int(qa["category"])))
        conversations.append(
            Conversation(file.name, messages, questions, unsaid.get(file.name, []))
        )
    return conversations


def sliced(conversations: list[Conversation], turns: int) -> list[Conversation]:
    """The first `turns` messages of each conversation and the questions they answer."""
    out = []
    for c in conversations:
        kept = c.messages[:turns]
        ids = {m.dia_id for m in kept}
        qs = [q for q in c.questions if set(q.evidence) <= ids]
        out.append(Conversation(c.name, kept, qs, c.never_said))
    return out


@dataclass
class Scores:
    """Evidence recall of one retriever."""

    recall: dict[int, list[float]] = field(default_factory=lambda: {k: [] for k in KS})
    by_category: dict[int, list[float]] = field(default_factory=dict)
    session_hits: list[bool] = field(default_factory=list)
    latencies_ms: list[float] = field(default_factory=list)

    def add(self, question: Question, ranked: Sequence[str], sessions: dict[str, int]) -> None:
        evidence = set(question.evidence)
        for k in KS:
            self.recall[k].append(len(evidence & set(ranked[:k])) / len(evidence))
        self.by_category.setdefault(question.category, []).append(self.recall[10][-1])
        # Session level: the first five distinct sessions in rank order hold some evidence.
        seen: list[int] = []
        for dia_id in ranked:
            if sessions[dia_id] not in seen:
                seen.append(sessions[dia_id])
        wanted = {sessions[e] for e in evidence}
        self.session_hits.append(bool(wanted & set(seen[:5])))

    def summary(self) -> dict[str, Any]:
        out: dict[str, Any] = {f"recall_at_{k}": _mean(v) for k, v in self.recall.items()}
        out["session_recall_at_5"] = _mean(self.session_hits)
        out["by_category"] = {CATEGORIES[c]: _mean(v) for c, v in sorted(self.by_category.items())}
        out["questions"] = len(self.recall[10])
        if self.latencies_ms:
            out["search_p50_ms"] = _percentile(self.latencies_ms, 50)
            out["search_p95_ms"] = _percentile(self.latencies_ms, 95)
        return out


def _mean(values: Iterable[float]) -> float:
    items = list(values)
    return float(statistics.fmean(items)) if items else 0.0


def _percentile(values: list[float], p: float) -> float:
    return float(np.percentile(np.asarray(values), p))


def plain_terms(text: str) -> list[str]:
    """The BM25 baseline's words: lower-cased, stopwords out, no stemming."""
    return content_words(text)


def bm25_baseline(messages: list[Message]) -> Callable[[str], list[str]]:
    words = [plain_terms(m.text) for m in messages]
    df: Counter[str] = Counter()
    for w in words:
        df.update(set(w))
    average = statistics.fmean(len(set(w)) for w in words) if words else 0.0
    stats = TermStats(df, len(words), average)

    def ranked(query: str) -> list[str]:
        terms = plain_terms(query)
        wanted = frozenset(terms)
        scores = np.array([bm25(terms, Document.of(w, wanted), stats) for w in words])
        return [messages[i].dia_id for i in np.argsort(-scores, kind="stable")[:TOP_K]]

    return ranked


def dense_baseline(
    messages: list[Message], embed: Callable[[list[str]], Any]
) -> Callable[[str], list[str]]:
    matrix = np.asarray(embed([m.text for m in messages]), dtype=np.float32)

    def ranked(query: str) -> list[str]:
        scores = matrix @ np.asarray(embed([query])[0], dtype=np.float32)
        return [messages[i].dia_id for i in np.argsort(-scores, kind="stable")[:TOP_K]]

    return ranked


@dataclass
class Gate:
    """What `context` lets into a prompt."""

    never_said: list[bool] = field(default_factory=list)  # a recalled memory got in
    found_reached: list[bool] = field(default_factory=list)  # found evidence got in

    def summary(self) -> dict[str, Any]:
        return {
            "never_said_questions": len(self.never_said),
            "never_said_with_memories": _mean(self.never_said),
            "answerable_found": len(self.found_reached),
            "found_evidence_in_context": _mean(self.found_reached),
        }


def run(
    conversations: list[Conversation],
    settings: Settings,
    *,
    top_k: int = TOP_K,
    progress: bool = True,
) -> dict[str, Any]:
    """Imports every conversation into a fresh store and measures longmem and the baselines."""
    from rich.progress import Progress

    from longmem.memory import Memory

    ours, bm25s, dense = Scores(), Scores(), Scores()
    gate = Gate()
    import_seconds = 0.0
    turns = 0
    with tempfile.TemporaryDirectory(prefix="longmem-realtalk-") as home:
        if not settings.uses_postgres:
            settings = settings.model_copy(
                update={"longmem_home": Path(home), "database_url": f"sqlite:///{home}/rt.db"}
            )
        with Memory(settings) as mem, Progress(disable=not progress) as bar:
            task = bar.add_task("REALTALK", total=sum(len(c.questions) for c in conversations))
            for c in conversations:
                user = f"realtalk-{c.name.removesuffix('.json')}"
                mem.delete_all(user)
                by_turn = {i + 1: m.dia_id for i, m in enumerate(c.messages)}
                sessions = {m.dia_id: m.session for m in c.messages}
                started = time.perf_counter()
                mem.add_turns(user, c.turn_dicts())
                import_seconds += time.perf_counter() - started
                turns += len(c.messages)
                baseline_bm25 = bm25_baseline(c.messages)
                baseline_dense = dense_baseline(c.messages, mem.engine.embed)
                for question in c.questions:
                    started = time.perf_counter()
                    hits = mem.search(user, question.text, top_k=top_k)
                    ours.latencies_ms.append((time.perf_counter() - started) * 1000)
                    ranked = dia_ids(hits, by_turn)
                    ours.add(question, ranked, sessions)
                    bm25s.add(question, baseline_bm25(question.text), sessions)
                    dense.add(question, baseline_dense(question.text), sessions)
                    found = set(ranked) & set(question.evidence)
                    if found:
                        block = mem.context(user, question.text)
                        gate.found_reached.append(
                            bool(found & set(dia_ids(block.memories, by_turn)))
                        )
                    bar.advance(task)
                for text in c.never_said:
                    block = mem.context(user, text)
                    gate.never_said.append(bool(recalled(block.memories)))
                mem.delete_all(user)
    return {
        "conversations": len(conversations),
        "turns": turns,
        "store": "postgresql" if settings.uses_postgres else "sqlite",
        "import_turns_per_s": turns / import_seconds if import_seconds else 0.0,
        "longmem": ours.summary(),
        "bm25": bm25s.summary(),
        "dense": dense.summary(),
        "context_gate": gate.summary(),
    }


def dia_ids(hits: Sequence[Any], by_turn: dict[int, str]) -> list[str]:
    """The messages the hits come from, in rank order, each once."""
    ranked: list[str] = []
    for hit in hits:
        turn = hit.memory.metadata.source_turn
        dia_id = by_turn.get(turn) if turn is not None else None
        if dia_id is not None and dia_id not in ranked:
            ranked.append(dia_id)
    return ranked


def table(result: dict[str, Any]) -> str:
    head = (
        "| retriever | R@1 | R@5 | R@10 | multi-hop R@10 | temporal R@10 | commonsense R@10 "
        "| session R@5 | search p50 ms | p95 ms |"
    )
    lines = [head, "|" + "---|" * 10]
    for name, label in (("longmem", "longmem search"), ("bm25", "BM25"), ("dense", "dense MiniLM")):
        r = result[name]
        cats = r["by_category"]
        lat = (
            f"{r['search_p50_ms']:.1f} | {r['search_p95_ms']:.1f}"
            if "search_p50_ms" in r
            else "- | -"
        )
        lines.append(
            f"| {label} | {r['recall_at_1']:.3f} | {r['recall_at_5']:.3f} "
            f"| {r['recall_at_10']:.3f} | {cats.get('multi-hop', 0):.3f} "
            f"| {cats.get('temporal', 0):.3f} | {cats.get('commonsense', 0):.3f} "
            f"| {r['session_recall_at_5']:.3f} | {lat} |"
        )
    best = max(result["bm25"]["recall_at_10"], result["dense"]["recall_at_10"])
    g = result["context_gate"]
    lines += [
        "",
        f"{result['conversations']} conversations, {result['turns']:,} turns on "
        f"{result['store']}, {result['longmem']['questions']} questions; import "
        f"{result['import_turns_per_s']:.0f} turns/s; longmem / better baseline R@10: "
        f"{result['longmem']['recall_at_10'] / best if best else 0:.2f}x",
        f"context gate: {g['never_said_with_memories']:.1%} of {g['never_said_questions']} "
        f"never-said questions got a recalled memory into the prompt; for "
        f"{g['found_evidence_in_context']:.1%} of {g['answerable_found']} answerable questions "
        "whose evidence search found, that evidence reached the prompt",
    ]
    return "\n".join(lines)
