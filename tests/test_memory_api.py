"""The public `Memory` API against a real SQLite file and the real embedding model."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from longmem import (
    ContentTooLargeError,
    Decision,
    Memory,
    MemoryKind,
    MemoryStatus,
    MemoryType,
    NotFoundError,
    Settings,
    ValidationError,
)
from longmem.core.context import gate
from longmem.memory import access_rounds


def test_the_readme_example_recalls_the_coffee_preference(memory: Memory):
    memory.add_turn("user_123", "I love espresso and prefer dark roast coffee", turn_number=1)
    hits = memory.search(
        "user_123", "What kind of coffee should I buy?", top_k=10, current_turn=1001
    )
    assert hits
    top = hits[0]
    assert "espresso" in top.memory.content.lower() or "coffee" in top.memory.content.lower()
    assert top.memory.metadata.source_turn == 1
    assert 0 < top.score <= 1
    assert top.parts.semantic > 0


def test_a_turn_is_recorded_as_episodic_and_extracted_as_semantic(memory: Memory):
    result = memory.add_turn("u", "I live in Lisbon and I work as a nurse", turn_number=4)
    assert [m.kind for m in result.episodic] == [MemoryKind.episodic]
    assert result.episodic[0].content == "I live in Lisbon and I work as a nurse"
    kinds = {o.candidate.slot for o in result.outcomes if o.decision is Decision.add}
    assert {"home", "job"} <= kinds
    semantic = memory.list("u", kinds=["semantic"]).items
    assert all(m.metadata.source_turn == 4 for m in semantic)


def test_turn_numbers_default_to_the_next_turn(memory: Memory):
    assert memory.add_turn("u", "hello there").turn_number == 1
    assert memory.add_turn("u", "hello again", turn_number=10).turn_number == 10
    assert memory.add_turn("u", "and again").turn_number == 11


def test_questions_and_chit_chat_create_no_semantic_memory(memory: Memory):
    memory.add_turn("u", "What's the weather like in Paris today?")
    memory.add_turn("u", "haha thanks, sounds great")
    assert memory.list("u", kinds=["semantic"]).items == []
    assert len(memory.list("u", kinds=["episodic"]).items) == 2


def test_a_contradiction_supersedes_and_rollback_restores(memory: Memory):
    memory.add_turn("u", "I live in Paris", turn_number=1)
    result = memory.add_turn("u", "I moved to Berlin last month", turn_number=40)
    (outcome,) = [o for o in result.outcomes if o.candidate.slot == "home"]
    assert outcome.decision is Decision.supersede
    old = memory.get("u", outcome.target_id)
    assert old.status is MemoryStatus.superseded
    assert old.superseded_by == outcome.memory_id
    assert [e.action.value for e in memory.history("u", old.memory_id)] == ["create", "supersede"]

    semantic_hits = memory.search("u", "Which city am I living in?", kinds=["semantic"])
    assert [h.memory.metadata.value for h in semantic_hits] == ["Berlin"]

    restored = memory.rollback("u", old.memory_id, version=1)
    assert restored.status is MemoryStatus.active
    assert memory.get("u", outcome.memory_id).status is MemoryStatus.superseded
    semantic_hits = memory.search("u", "Which city am I living in?", kinds=["semantic"])
    assert [h.memory.metadata.value for h in semantic_hits] == ["Paris"]
    assert memory.history("u", old.memory_id)[-1].action.value == "restore"


def test_a_correction_marks_earlier_turns_stating_the_old_value_out_of_date(memory: Memory):
    memory.add_turn(
        "u", "Still getting used to Rotterdam, I only moved here in the spring.", turn_number=1
    )
    memory.add_turn("u", "Rotterdam has the best bike lanes I've seen", turn_number=2)
    memory.add_turn("u", "Can you recommend a podcast about design?", turn_number=3)
    result = memory.add_turn(
        "u", "I finally moved from Rotterdam to Bristol last week.", turn_number=50
    )
    (correction,) = [o for o in result.outcomes if o.candidate.replaces]
    assert correction.outdated_turns == [1, 2]

    old = memory.search("u", "Rotterdam", current_turn=51, kinds=["episodic"])
    said = {h.memory.metadata.source_turn: h.memory for h in old}
    assert said[1].content.startswith("Still getting used to Rotterdam")  # kept as said
    assert said[1].valid_to_turn == 50 and said[1].status is MemoryStatus.active
    events = memory.history("u", said[1].memory_id)
    assert [e.action.value for e in events] == ["create", "update"]
    assert "out of date: turn 50 replaces 'rotterdam'" in events[-1].reason

    hits = memory.search("u", "Where do I live these days?", current_turn=51)
    turns = [h.memory.metadata.source_turn for h in hits]
    assert turns[0] == 50  # the move (turn and fact) before anything said of Rotterdam

    # a question that matches the old turn best is answered first with the turn that
    # corrected it, and the old turn reaches a prompt only marked as replaced
    settling = memory.search("u", "Am I still getting used to the place?", current_turn=51)
    assert settling[0].memory.metadata.source_turn == 50
    assert settling[0].memory.kind is MemoryKind.episodic
    block = memory.context("u", "Am I still getting used to the place?", current_turn=51)
    assert block.memories[0].memory.metadata.source_turn == 50
    assert all(h.outdated for h in block.memories if h.memory.metadata.source_turn == 1)

    memory.rollback("u", said[1].memory_id, version=1)
    assert memory.get("u", said[1].memory_id).valid_to_turn is None


def test_a_chain_of_corrections_answers_with_the_newest(memory: Memory):
    memory.add_turn(
        "u", "Still getting used to Rotterdam, I only moved here in the spring.", turn_number=1
    )
    memory.add_turn("u", "I finally moved from Rotterdam to Bristol last week.", turn_number=50)
    third = memory.add_turn("u", "I finally moved from Bristol to Leeds last week.", turn_number=80)
    assert [o.outdated_turns for o in third.outcomes if o.candidate.replaces] == [[50]]
    hits = memory.search("u", "Am I still getting used to the place?", current_turn=81)
    assert [h.memory.metadata.source_turn for h in hits][:3] == [80, 50, 1]
    assert [h.outdated for h in hits][:3] == [False, True, True]


def test_an_out_of_date_turn_comes_along_as_a_companion_marked_as_replaced(
    settings: Settings, embedder
):
    strict = settings.model_copy(update={"relevance_floor": 0.45})
    with Memory(strict, embedder=embedder) as memory:
        memory.add_turn(
            "u", "Still getting used to Rotterdam, I moved here in spring.", turn_number=1
        )
        memory.add_turn("u", "I finally moved from Rotterdam to Bristol last week.", turn_number=50)
        block = memory.context("u", "Where did I move to?", current_turn=51)
        by_turn = {h.memory.metadata.source_turn: h for h in block.memories}
        assert max(h.parts.relevance for h in by_turn.values()) >= 0.45  # the move answers
        # turn 1 matches only well enough to come along as related context, and is no longer
        # true: it comes along, and its line says so, so it cannot pass for current
        assert by_turn[1].outdated and by_turn[1].parts.relevance < 0.45
        assert "(turn 1, since replaced)" in block.text
        assert "(turn 50, since replaced)" not in block.text
        nothing = gate(memory.search("u", "What is my cat called?", current_turn=51), 0.45)
        assert nothing == []  # a question nothing answers still gets nothing


def test_a_turn_is_stale_once_every_fact_it_stated_is_superseded(memory: Memory):
    memory.add_turn("u", "I live in Paris and I work as a nurse", turn_number=1)
    memory.add_turn("u", "I moved to Berlin last month", turn_number=40)
    assert memory.store.stale_turns("default", "u") == set()  # the job still stands
    memory.add_turn("u", "I work as a teacher now", turn_number=41)
    assert memory.store.stale_turns("default", "u") == {1}


def test_a_standing_instruction_is_replaced_by_a_forget_x_from_now_on_y(memory: Memory):
    memory.add_turn("u", "Please give me answers as headings with bold labels.", turn_number=1)
    result = memory.add_turn(
        "u",
        "Forget headings with bold labels, from now on I'd prefer bullet points.",
        turn_number=9,
    )
    (outcome,) = result.outcomes
    assert outcome.decision is Decision.supersede and outcome.outdated_turns == [1]
    (current,) = memory.list("u", types=["instruction"]).items
    assert "bullet points" in current.content


def test_the_same_fact_twice_is_merged_into_one_memory(memory: Memory):
    memory.add_turn("u", "I'm allergic to peanuts", turn_number=1)
    second = memory.add_turn("u", "I am allergic to peanuts", turn_number=30)
    assert [o.decision for o in second.outcomes] == [Decision.merge]
    allergies = [m for m in memory.list("u", kinds=["semantic"]).items]
    assert len(allergies) == 1
    assert allergies[0].metadata.access_count == 1
    assert allergies[0].version == 2


def test_explicit_add_get_update_delete_and_history(memory: Memory):
    added = memory.add(
        "u", "User prefers window seats", "preference", source_turn=3, confidence=0.9
    )
    assert memory.get("u", added.memory_id).content == "User prefers window seats"
    updated = memory.update("u", added.memory_id, content="User prefers aisle seats")
    assert updated.version == 2
    hits = memory.search("u", "aisle or window seat on a flight?")
    assert hits and hits[0].memory.content == "User prefers aisle seats"
    memory.delete("u", added.memory_id)
    assert memory.search("u", "aisle or window seat on a flight?") == []
    actions = [e.action.value for e in memory.history("u", added.memory_id)]
    assert actions == ["create", "update", "delete"]
    assert memory.rollback("u", added.memory_id, 1).content == "User prefers window seats"


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda m: m.add_turn("u", ""), ValidationError),
        (lambda m: m.add_turn("u", "   \n\t"), ValidationError),
        (lambda m: m.add_turn("u", "x" * 2_001), ContentTooLargeError),
        (lambda m: m.add_turn("u", "hello", turn_number=-1), ValidationError),
        (lambda m: m.add_turn("", "hello"), ValidationError),
        (lambda m: m.add_turn("ann\r\nforged log line", "hello"), ValidationError),
        (lambda m: m.add_turn("\x1b[31mann", "hello"), ValidationError),
        (lambda m: m.add_turn("a" * 257, "hello"), ValidationError),
        (lambda m: m.add_turn("u", "hello", role="robot"), ValidationError),
        (lambda m: m.add("u", "User likes tea", "opinion"), ValidationError),
        (lambda m: m.add("u", "User likes tea", "preference", confidence=1.5), ValidationError),
        (lambda m: m.add("u", "User likes tea", "preference", confidence=-0.1), ValidationError),
        (lambda m: m.add("u", "User likes tea", "preference", source_turn=-3), ValidationError),
        (lambda m: m.add_turns("u", [{"content": "fine"}, {"content": ""}]), ValidationError),
        (lambda m: m.search("u", " "), ValidationError),
        (lambda m: m.search("u", "tea", top_k=0), ValidationError),
        (lambda m: m.get("u", "no-such-id"), NotFoundError),
        (lambda m: m.update("u", "no-such-id", content="x"), NotFoundError),
        (lambda m: m.delete("u", "no-such-id"), NotFoundError),
        (lambda m: m.rollback("u", "no-such-id", 1), NotFoundError),
    ],
)
def test_bad_input_raises_a_typed_error_and_writes_nothing(
    memory: Memory, settings, table_counts, call, error
):
    memory.add_turn("u", "I live in Oslo", turn_number=1)
    before = table_counts()
    with pytest.raises(error) as raised:
        call(memory)
    assert str(raised.value)
    assert table_counts() == before


def test_another_users_memory_is_not_found(memory: Memory):
    mine = memory.add("alice", "User likes tea", "preference")
    with pytest.raises(NotFoundError):
        memory.get("bob", mine.memory_id)
    assert memory.search("bob", "Does the user like tea?") == []


def test_list_pages_with_a_cursor(memory: Memory):
    memory.add_turns("u", [{"content": f"note number {i}"} for i in range(7)])
    first = memory.list("u", limit=3)
    second = memory.list("u", limit=3, cursor=first.next_cursor)
    third = memory.list("u", limit=3, cursor=second.next_cursor)
    seen = [m.memory_id for page in (first, second, third) for m in page.items]
    assert len(seen) == len(set(seen)) == 7
    assert third.next_cursor is None


def test_a_question_about_something_said_also_brings_related_memories_under_the_floor(
    memory: Memory,
):
    for turn, text in enumerate(
        (
            "I love espresso and prefer dark roast coffee",
            "The café near my office does a decent flat white",
            "My sister Ana lives in Porto",
        ),
        start=1,
    ):
        memory.add_turn("u", text, turn_number=turn)
    floor = memory.settings.relevance_floor
    block = memory.context("u", "What kind of coffee should I buy?", current_turn=10)
    relevances = {h.memory.content: h.parts.relevance for h in block.memories}
    assert max(relevances.values()) >= floor
    # the flat white is weaker evidence than the floor asks of an answer, and comes along
    assert relevances["The café near my office does a decent flat white"] < floor
    assert not any("Porto" in content for content in relevances)
    assert memory.context("u", "What's my blood type?", current_turn=10).memories == []
    # search ranks and does not gate: the same question is answered with the best there is,
    # each hit carrying its calibrated relevance, and min_relevance filters
    ranked = memory.search("u", "What's my blood type?", current_turn=10)
    assert ranked and all(h.parts.relevance < floor for h in ranked)
    assert memory.search("u", "What's my blood type?", current_turn=10, min_relevance=floor) == []


def test_search_filters_by_type_and_kind(memory: Memory):
    memory.add_turn("u", "Always answer in French please", turn_number=1)
    memory.add_turn("u", "I love French cheese", turn_number=2)
    only_instructions = memory.search(
        "u", "Which language should replies be in?", types=[MemoryType.instruction]
    )
    assert only_instructions
    assert {h.memory.type for h in only_instructions} == {MemoryType.instruction}
    episodic = memory.search("u", "French cheese", kinds=["episodic"])
    assert episodic and {h.memory.kind for h in episodic} == {MemoryKind.episodic}


def test_search_records_access_in_the_background(memory: Memory):
    memory.add_turn("u", "My sister Ana lives in Porto", turn_number=1)
    hits = memory.search("u", "Tell me about my sister", current_turn=9)
    memory.flush()
    again = memory.get("u", hits[0].memory.memory_id)
    assert again.metadata.access_count == 1
    assert again.metadata.last_accessed_turn == 9


def test_accesses_gathered_in_one_window_are_each_counted(memory: Memory):
    memory.add_turn("u", "My sister Ana lives in Porto", turn_number=1)
    for turn in (5, 7, 6):  # written together, once the window closes or on flush
        hits = memory.search("u", "Tell me about my sister", current_turn=turn)
    memory.flush()
    again = memory.get("u", hits[0].memory.memory_id)
    assert (again.metadata.access_count, again.metadata.last_accessed_turn) == (3, 7)


def test_a_windows_accesses_become_one_round_per_repeat():
    at = [datetime(2026, 1, 1, 12, 0, s, tzinfo=UTC) for s in range(3)]
    rounds = access_rounds(
        [
            ("ana", ["m1", "m2"], 4, at[0]),
            ("bob", ["m9"], None, at[0]),
            ("ana", ["m1", "m1"], 3, at[1]),  # one search, one access
            ("ana", ["m1"], None, at[2]),
        ]
    )
    assert rounds == {
        "ana": [(["m1", "m2"], 4, at[2]), (["m1"], 4, at[2]), (["m1"], 4, at[2])],
        "bob": [(["m9"], None, at[0])],
    }


def test_context_puts_instructions_first_and_respects_the_budget(memory: Memory):
    memory.add_turn("u", "Always answer in French", turn_number=1)
    memory.add_turn("u", "I love espresso and prefer dark roast coffee", turn_number=2)
    block = memory.context("u", "Which coffee beans should I get?", max_tokens=200)
    lines = block.text.splitlines()
    assert "instruction" in lines[1]
    assert any("espresso" in line for line in lines)
    assert block.tokens <= 200
    tiny = memory.context("u", "Which coffee beans should I get?", max_tokens=25)
    assert tiny.tokens <= 25
    assert len(tiny.memories) < len(block.memories)


def test_stats_count_by_type_kind_and_status(memory: Memory):
    memory.add_turn("u", "I live in Paris", turn_number=1)
    memory.add_turn("u", "I moved to Rome", turn_number=2)
    stats = memory.stats("u")
    assert stats.turns_seen == 2
    assert stats.by_kind == {"episodic": 2, "semantic": 1}
    assert stats.by_status == {"active": 3, "superseded": 1}
    assert stats.by_type == {"fact": 1}
    assert stats.storage_bytes > 0


def test_a_turn_can_be_recorded_first_and_extracted_later_exactly_once(memory: Memory):
    recorded = memory.add_turn("u", "I live in Lima", turn_number=5, extract=False)
    assert recorded.outcomes == []
    assert memory.list("u", kinds=["semantic"]).items == []
    first = memory.extract_turn("u", 5)
    assert [o.decision for o in first.outcomes] == [Decision.add]
    again = memory.extract_turn("u", 5)
    assert [o.decision for o in again.outcomes] == [Decision.noop]
    assert len(memory.list("u", kinds=["semantic"]).items) == 1
    with pytest.raises(NotFoundError):
        memory.extract_turn("u", 6)


def test_context_says_a_fact_once_preferring_the_extracted_form(memory: Memory):
    memory.add_turn("u", "I love espresso and prefer dark roast coffee", turn_number=1)
    block = memory.context("u", "What kind of coffee should I buy?", current_turn=500)
    assert len(block.memories) == 1
    assert block.memories[0].memory.kind is MemoryKind.semantic


def test_what_was_said_before_a_change_is_recalled_as_outdated(memory: Memory):
    memory.add_turn("u", "My boss is Claire Martin, she's pretty demanding.", turn_number=5)
    memory.add_turn("u", "My new boss is Paul Durand.", turn_number=11)

    hits = memory.search("u", "Who is my boss?", current_turn=12)
    by_turn = {(h.memory.kind, h.memory.metadata.source_turn): h for h in hits}
    assert by_turn[(MemoryKind.episodic, 5)].outdated
    assert not by_turn[(MemoryKind.semantic, 11)].outdated

    block = memory.context("u", "Who is my boss?", current_turn=12)
    old = next(line for line in block.text.splitlines() if "Claire" in line)
    assert "since replaced" in old
    new = next(line for line in block.text.splitlines() if "Paul Durand" in line)
    assert "since replaced" not in new


def test_an_allergy_is_in_every_context_even_when_the_question_does_not_name_it(memory: Memory):
    memory.add_turn("u", "I'm allergic to shellfish, so keep that in mind.", turn_number=2)
    memory.add_turn("u", "Just so you know, I'm vegan.", turn_number=3)
    for turn in range(4, 40):
        memory.add_turn("u", f"Can you explain topic number {turn} of my course?", turn_number=turn)

    block = memory.context("u", "What should I cook tonight?", current_turn=40)

    assert "User is allergic to shellfish" in block.text
    assert any(h.memory.metadata.slot == "diet" for h in block.memories)
