"""What a user of longmem relies on, held true by `Memory` in-process and by `Client` over a
real `longmem serve`: each contract test runs once on each (the `mem` fixture), so moving from
embedded to remote is the one line that builds `mem`. Then what only the client has: API keys,
its retry policy, and `AsyncClient`."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

import longmem.client
from longmem import (
    AsyncClient,
    AuthenticationError,
    Client,
    ConflictError,
    ContentTooLargeError,
    LongmemError,
    Memory,
    MemoryRecord,
    MemoryStatus,
    NotFoundError,
    OptimizeReport,
    SearchHit,
    Settings,
    StoreError,
    TurnIn,
    TurnResult,
    UserStats,
    ValidationError,
)
from longmem.benchmark.served import Served, clean_env
from longmem.embedding import MiniLMEmbedder
from longmem.models import ContextBlock, MemoryEvent, Page

KEY, OTHER_KEY = "contract-key", "other-tenant-key"
Api = Memory | Client


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """One service for the module (it starts in a few seconds); each test has its own user.
    Its content limit is the `settings` fixture's, so both sides refuse the same input."""
    home = tmp_path_factory.mktemp("served")
    env = clean_env(home, API_KEYS=f"{KEY}:contract,{OTHER_KEY}:other", MAX_CONTENT_CHARS="2000")
    service = Served(env, home / "serve.log").start()
    try:
        yield service
    finally:
        service.stop()


@pytest.fixture(params=["memory", "client"])
def mem(
    request: pytest.FixtureRequest, settings: Settings, embedder: MiniLMEmbedder
) -> Iterator[Api]:
    if request.param == "memory":
        with Memory(settings, embedder=embedder) as memory:
            yield memory
        return
    service: Served = request.getfixturevalue("served")
    with Client(service.base, api_key=KEY) as client:
        yield client


@pytest.fixture
def user() -> str:
    return f"user-{uuid.uuid4().hex[:8]}"


def only_fact(mem: Api, user: str) -> MemoryRecord:
    (fact,) = mem.list(user, kinds=["semantic"]).items
    return fact


# -- the contract ----------------------------------------------------------------------------


def test_a_turn_is_recorded_and_found_by_search(mem: Api, user: str) -> None:
    result = mem.add_turn(user, "I love espresso and prefer dark roast coffee", turn_number=1)
    assert isinstance(result, TurnResult)
    assert (result.user_id, result.turn_number) == (user, 1)

    hits = mem.search(user, "What kind of coffee should I buy?", top_k=5)
    assert hits and all(isinstance(h, SearchHit) for h in hits)
    top = hits[0]
    assert "espresso" in top.memory.content.lower() or "coffee" in top.memory.content.lower()
    assert top.memory.metadata.source_turn == 1
    assert 0 < top.score <= 1


def test_context_builds_the_prompt_block_and_adds_nothing_for_what_was_never_said(
    mem: Api, user: str
) -> None:
    mem.add_turn(user, "I am allergic to peanuts", turn_number=1)
    mem.add_turn(user, "My sister Ines lives in Lisbon", turn_number=2)

    block = mem.context(user, "Where does my sister live?", max_tokens=300)
    assert isinstance(block, ContextBlock)
    assert "Lisbon" in block.text and "peanuts" in block.text  # an allergy bears on anything
    assert 0 < block.tokens <= 300
    never = mem.context(user, "What is the name of my goldfish?")
    assert "Lisbon" not in never.text
    with pytest.raises(ValidationError):
        mem.context(user, "Where does my sister live?", max_tokens=0)


def test_turns_without_a_number_follow_the_highest_so_far(mem: Api, user: str) -> None:
    assert mem.add_turn(user, "hello there").turn_number == 1
    assert mem.add_turn(user, "hello again", turn_number=10).turn_number == 10
    batch = [{"content": "and again"}, TurnIn(content="later", turn_number=20), {"content": "ok"}]
    assert [r.turn_number for r in mem.add_turns(user, batch)] == [11, 20, 21]


def test_the_newest_fact_wins(mem: Api, user: str) -> None:
    mem.add_turn(user, "I live in Paris", turn_number=1)
    mem.add_turn(user, "I moved to Berlin last month", turn_number=40)

    hits = mem.search(user, "Which city am I living in?", kinds=["semantic"])
    assert [h.memory.metadata.value for h in hits] == ["Berlin"]
    (old,) = mem.list(user, kinds=["semantic"], statuses=["superseded"]).items
    assert old.metadata.value == "Paris"
    assert old.superseded_by == hits[0].memory.memory_id


def test_a_memory_is_edited_deleted_and_rolled_back_with_its_history(mem: Api, user: str) -> None:
    mem.add_turn(user, "I work as a nurse", turn_number=1)
    fact = only_fact(mem, user)
    assert mem.get(user, fact.memory_id).content == fact.content

    edited = mem.update(user, fact.memory_id, content="User works as a surgeon")
    assert (edited.content, edited.version) == ("User works as a surgeon", fact.version + 1)

    deleted = mem.delete(user, fact.memory_id)
    assert deleted.status is MemoryStatus.deleted
    assert mem.list(user, kinds=["semantic"]).items == []
    assert mem.get(user, fact.memory_id).status is MemoryStatus.deleted  # kept, with its history

    restored = mem.rollback(user, fact.memory_id, version=edited.version)
    assert (restored.status, restored.content) == (MemoryStatus.active, "User works as a surgeon")
    history = mem.history(user, fact.memory_id)
    assert all(isinstance(e, MemoryEvent) for e in history)
    assert [e.action.value for e in history] == ["create", "update", "delete", "restore"]
    with pytest.raises(ConflictError):
        mem.rollback(user, fact.memory_id, version=restored.version)


def test_a_list_is_read_page_by_page(mem: Api, user: str) -> None:
    mem.add_turns(user, [{"content": f"hello number {n}"} for n in range(3)])
    first = mem.list(user, kinds=["episodic"], limit=2)
    assert isinstance(first, Page) and len(first.items) == 2 and first.next_cursor
    rest = mem.list(user, kinds=["episodic"], limit=2, cursor=first.next_cursor)
    assert len(rest.items) == 1 and rest.next_cursor is None
    assert len({m.memory_id for m in first.items + rest.items}) == 3


def test_delete_all_erases_every_trace_of_the_user(mem: Api, user: str) -> None:
    mem.add_turn(user, "I live in Lisbon and I work as a nurse", turn_number=1)
    counts = mem.delete_all(user)
    assert counts["memories"] == 3  # the turn and its two facts

    assert mem.list(user, statuses=["active", "superseded", "deleted"]).items == []
    assert mem.search(user, "Where do I live?") == []
    stats = mem.stats(user)
    assert (stats.total, stats.turns_seen) == (0, 0)


def test_stats_count_what_is_kept_and_optimize_reports_its_pass(mem: Api, user: str) -> None:
    mem.add_turn(user, "I live in Lisbon and I work as a nurse", turn_number=3)
    stats = mem.stats(user)
    assert isinstance(stats, UserStats)
    assert (stats.total, stats.turns_seen, stats.last_optimize) == (3, 1, None)
    assert stats.by_kind == {"episodic": 1, "semantic": 2}

    report = mem.optimize(user)
    assert isinstance(report, OptimizeReport)
    assert (report.user_id, report.current_turn, report.removed) == (user, 3, [])
    assert mem.stats(user).last_optimize is not None


BAD_INPUT: dict[str, tuple[Callable[[Api, str], Any], type[ValidationError]]] = {
    "blank turn": (lambda m, u: m.add_turn(u, "   "), ValidationError),
    "turn over the limit": (lambda m, u: m.add_turn(u, "x" * 2001), ContentTooLargeError),
    "unknown role": (lambda m, u: m.add_turn(u, "hi", role="robot"), ValidationError),
    "blank user id": (lambda m, u: m.add_turn(" ", "hi"), ValidationError),
    "blank query": (lambda m, u: m.search(u, "  "), ValidationError),
    "top_k of 0": (lambda m, u: m.search(u, "coffee", top_k=0), ValidationError),
    "page of 0": (lambda m, u: m.list(u, limit=0), ValidationError),
    "unknown kind": (lambda m, u: m.list(u, kinds=["dream"]), ValidationError),
}


@pytest.mark.parametrize("case", BAD_INPUT)
def test_bad_input_raises_the_same_typed_error_and_writes_nothing(
    mem: Api, user: str, case: str
) -> None:
    call, error = BAD_INPUT[case]
    with pytest.raises(error) as raised:
        call(mem, user)
    assert type(raised.value) is error
    assert mem.stats(user).total == 0


def test_an_edit_that_changes_nothing_is_refused(mem: Api, user: str) -> None:
    mem.add_turn(user, "I work as a nurse", turn_number=1)
    with pytest.raises(ValidationError, match="nothing to change"):
        mem.update(user, only_fact(mem, user).memory_id)


ONE_MEMORY: dict[str, Callable[[Api, str, str], Any]] = {
    "get": lambda m, u, i: m.get(u, i),
    "update": lambda m, u, i: m.update(u, i, content="User is a pilot"),
    "delete": lambda m, u, i: m.delete(u, i),
    "history": lambda m, u, i: m.history(u, i),
    "rollback": lambda m, u, i: m.rollback(u, i, version=1),
}


def test_an_unknown_memory_or_another_users_is_not_found(mem: Api, user: str) -> None:
    mem.add_turn(user, "I work as a nurse", turn_number=1)
    known = only_fact(mem, user).memory_id
    for owner, memory_id in (("someone-else", known), (user, uuid.uuid4().hex)):
        for name, call in ONE_MEMORY.items():
            with pytest.raises(NotFoundError):
                call(mem, owner, memory_id)
                pytest.fail(f"{name} of {memory_id} as {owner}")
    assert mem.get(user, known).content == "User works as a nurse"


def test_a_turns_result_holds_its_records_and_the_decisions_of_its_extraction(
    mem: Api, user: str
) -> None:
    (result,) = mem.add_turns(user, [{"content": "I live in Lisbon", "turn_number": 4}])
    (turn,) = result.episodic
    assert (turn.content, turn.metadata.source_turn) == ("I live in Lisbon", 4)
    assert [o.decision.value for o in result.outcomes] == ["ADD"]
    (fact,) = result.created
    assert mem.get(user, fact).metadata.value == "Lisbon"

    moved = mem.add_turn(user, "I moved to Berlin last month", turn_number=9)
    assert moved.superseded == [fact] and len(moved.created) == 1


def test_a_turn_recorded_without_extraction_is_extracted_when_asked(mem: Api, user: str) -> None:
    recorded = mem.add_turn(user, "I work as a nurse", turn_number=2, extract=False)
    assert recorded.outcomes == [] and len(recorded.episodic) == 1

    # The service may have extracted it in the background meanwhile: then this finds it done.
    mem.extract_turn(user, 2)
    assert only_fact(mem, user).content == "User works as a nurse"
    assert mem.extract_turn(user, 2).created == []  # a second run changes nothing
    with pytest.raises(NotFoundError):
        mem.extract_turn(user, 3)
    with pytest.raises(ValidationError):
        mem.extract_turn(user, -1)


def test_an_export_restores_the_user_with_histories_and_a_second_import_skips_it(
    mem: Api, user: str
) -> None:
    mem.add_turn(user, "I live in Lisbon", turn_number=1)
    mem.add_turn(user, "I moved to Berlin last month", turn_number=2)
    exported = list(mem.export_user(user))
    assert len(exported) == 4  # two turns, the Berlin fact and the superseded Lisbon one
    before = {e.memory.memory_id: (e.memory.content, e.memory.status) for e in exported}
    histories = {e.memory.memory_id: [ev.action for ev in e.history] for e in exported}

    mem.delete_all(user)
    assert mem.import_memories(exported) == {"imported": 4, "skipped": 0}
    again = list(mem.export_user(user))
    assert {e.memory.memory_id: (e.memory.content, e.memory.status) for e in again} == before
    assert {e.memory.memory_id: [ev.action for ev in e.history] for e in again} == histories
    assert [
        h.memory.metadata.value for h in mem.search(user, "Where do I live?", kinds=["semantic"])
    ] == ["Berlin"]
    assert mem.import_memories(exported) == {"imported": 0, "skipped": 4}


def test_an_import_of_foreign_or_inconsistent_lines_is_refused_and_writes_nothing(
    mem: Api, user: str
) -> None:
    mem.add_turn(user, "I live in Lisbon", turn_number=1)
    exported = list(mem.export_user(user))
    fact = next(e for e in exported if e.memory.kind.value == "semantic")
    other = f"{user}-b"

    stray = fact.model_copy(update={"memory": fact.memory.model_copy(update={"user_id": other})})
    with pytest.raises(ValidationError, match="history"):  # its history is the first user's
        mem.import_memories([stray])
    # The same memory id for another user: SQLite keeps memory ids unique across users.
    taken = stray.model_copy(
        update={"history": [e.model_copy(update={"user_id": other}) for e in fact.history]}
    )
    with pytest.raises(ConflictError):
        mem.import_memories([taken])
    assert mem.stats(other).total == 0
    assert len(list(mem.export_user(user))) == len(exported)


# -- the client's own: keys, retries, async ----------------------------------------------------


def test_a_missing_or_unknown_key_is_refused(served: Served, user: str) -> None:
    with Client(served.base) as anonymous, pytest.raises(AuthenticationError, match="missing"):
        anonymous.stats(user)
    with Client(served.base, api_key="wrong") as stranger, pytest.raises(AuthenticationError):
        stranger.stats(user)


def test_each_key_reads_its_own_tenant_only(served: Served, user: str) -> None:
    base = served.base.removesuffix("/api/v1")  # the API prefix is implied
    with Client(base, api_key=KEY) as ours, Client(base, api_key=OTHER_KEY) as theirs:
        ours.add_turn(user, "I work as a nurse", turn_number=1)
        fact = only_fact(ours, user)
        with pytest.raises(NotFoundError):
            theirs.get(user, fact.memory_id)
        assert theirs.list(user).items == []


def test_an_import_lands_in_the_tenant_of_the_key_that_sends_it(served: Served, user: str) -> None:
    with Client(served.base, api_key=KEY) as ours, Client(served.base, api_key=OTHER_KEY) as theirs:
        ours.add_turn(user, "I work as a nurse", turn_number=1)
        exported = list(ours.export_user(user))
        ours.delete_all(user)

        assert theirs.import_memories(exported) == {"imported": 2, "skipped": 0}
        assert only_fact(theirs, user).content == "User works as a nurse"
        assert ours.list(user).items == []


def test_the_async_client_adds_searches_and_gets(served: Served, user: str) -> None:
    async def scenario() -> None:
        async with AsyncClient(served.base, api_key=KEY) as mem:
            added = await mem.add_turn(user, "I love espresso and prefer dark roast coffee")
            assert added.turn_number == 1
            hits = await mem.search(user, "What kind of coffee should I buy?")
            assert isinstance(hits[0], SearchHit)
            found = await mem.get(user, hits[0].memory.memory_id)
            assert found.memory_id == hits[0].memory.memory_id
            with pytest.raises(NotFoundError):
                await mem.get(user, uuid.uuid4().hex)

    asyncio.run(scenario())


STATS = UserStats(
    user_id="u",
    total=0,
    by_type={},
    by_kind={},
    by_status={},
    turns_seen=0,
    hot=0,
    cold=0,
    storage_bytes=0,
    last_optimize=None,
).model_dump(mode="json")
TURNS = {
    "user_id": "u",
    "recorded": 1,
    "first_turn": 1,
    "last_turn": 1,
    "extraction": "done",
    "results": [{"user_id": "u", "turn_number": 1, "episodic": []}],
}


def refusal(status: int, code: str, **headers: str) -> httpx.Response:
    return httpx.Response(status, json={"error": {"code": code, "message": code}}, headers=headers)


class Scripted:
    """A stand-in for the service that answers from a script, for the client's own retry
    policy: each answer is a response to give or a transport error to raise."""

    def __init__(self, *answers: httpx.Response | type[httpx.TransportError]) -> None:
        self.answers = list(answers)
        self.sent: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.sent.append(request)
        answer = self.answers.pop(0)
        if isinstance(answer, httpx.Response):
            return answer
        raise answer("scripted", request=request)

    def client(self, **options: Any) -> Client:
        return Client("http://service", transport=httpx.MockTransport(self), **options)


@pytest.fixture
def waits(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The client's backoff, recorded instead of slept."""
    slept: list[float] = []
    monkeypatch.setattr(longmem.client, "_sleep", slept.append)
    return slept


def test_the_key_is_sent_as_a_bearer_token(waits: list[float]) -> None:
    service = Scripted(httpx.Response(200, json=STATS))
    service.client(api_key="k").stats("u")
    assert service.sent[0].headers["Authorization"] == "Bearer k"
    assert service.sent[0].url.path == "/api/v1/memories/u/stats"


def test_429_and_503_are_retried_with_a_growing_jittered_backoff(waits: list[float]) -> None:
    service = Scripted(
        refusal(503, "store_error"),
        refusal(429, "rate_limited"),
        refusal(503, "store_error"),
        httpx.Response(200, json=STATS),
    )
    assert service.client(retries=3, backoff=0.5).stats("u").user_id == "u"
    assert len(service.sent) == 4
    for attempt, wait in enumerate(waits):
        assert 0.25 * 2**attempt <= wait <= 0.5 * 2**attempt


def test_retry_after_is_honoured_and_a_longer_one_is_not_waited_for(waits: list[float]) -> None:
    service = Scripted(
        refusal(429, "rate_limited", **{"Retry-After": "2"}), httpx.Response(200, json=STATS)
    )
    service.client(backoff=0.1).stats("u")
    assert waits == [2.0]

    service = Scripted(refusal(429, "rate_limited", **{"Retry-After": "3600"}))
    with pytest.raises(LongmemError, match="rate_limited") as raised:
        service.client(max_backoff=30).stats("u")
    assert raised.value.code == "rate_limited" and len(service.sent) == 1


def test_retries_end_with_the_typed_error_of_the_last_answer(waits: list[float]) -> None:
    service = Scripted(*[refusal(503, "store_error")] * 3)
    with pytest.raises(StoreError):
        service.client(retries=2).stats("u")
    assert len(service.sent) == 3


def test_a_turn_is_sent_again_only_when_it_cannot_have_arrived(waits: list[float]) -> None:
    # The store keeps a second copy of a resent turn, even with the same turn number.
    never_arrived = Scripted(httpx.ConnectError, httpx.Response(200, json=TURNS))
    assert never_arrived.client().add_turn("u", "hi", turn_number=1).turn_number == 1
    assert len(never_arrived.sent) == 2

    maybe_arrived = Scripted(httpx.ReadTimeout)
    with pytest.raises(LongmemError, match="no answer"):
        maybe_arrived.client().add_turn("u", "hi", turn_number=1)
    assert len(maybe_arrived.sent) == 1

    # A 503 from a later transaction of a batch leaves the earlier ones written.
    batch = Scripted(refusal(503, "store_error"))
    with pytest.raises(StoreError):
        batch.client().add_turns("u", [{"content": "hi"}, {"content": "there"}])
    assert len(batch.sent) == 1


def test_reads_are_sent_again_after_a_dropped_connection(waits: list[float]) -> None:
    service = Scripted(httpx.ReadError, httpx.RemoteProtocolError, httpx.Response(200, json=STATS))
    assert service.client().stats("u").total == 0
    assert len(service.sent) == 3


def test_an_answer_without_longmems_error_body_keeps_its_status(waits: list[float]) -> None:
    service = Scripted(httpx.Response(502, text="<html>Bad Gateway</html>"))
    with pytest.raises(LongmemError, match="HTTP 502: <html>Bad Gateway"):
        service.client().stats("u")
    proxy = Scripted(httpx.Response(404, text="no such page"))
    with pytest.raises(NotFoundError):
        proxy.client().get("u", "m1")


def test_a_long_history_is_sent_in_order_in_requests_of_bounded_size(
    waits: list[float], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(longmem.client, "TURNS_PER_REQUEST", 2)

    def recorded(*numbers: int) -> httpx.Response:
        results = [{"user_id": "u", "turn_number": n, "episodic": []} for n in numbers]
        return httpx.Response(200, json={**TURNS, "results": results})

    service = Scripted(recorded(1, 2), recorded(3, 4), recorded(5))
    results = service.client().add_turns("u", [{"content": f"turn {n}"} for n in range(5)])
    assert [r.turn_number for r in results] == [1, 2, 3, 4, 5]
    sent = [json.loads(r.content)["turns"] for r in service.sent]
    assert [[t["content"] for t in batch] for batch in sent] == [
        ["turn 0", "turn 1"],
        ["turn 2", "turn 3"],
        ["turn 4"],
    ]
