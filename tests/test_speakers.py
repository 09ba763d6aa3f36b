"""Several speakers in one conversation: each fact is about the person who said it, and slots
are per person. The one-user-and-assistant case keeps its "User ..." wording.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from longmem import Memory
from longmem.benchmark import realtalk
from longmem.core.speakers import as_said
from longmem.extraction import OfflineExtractor
from longmem.models import MemoryKind, MemoryStatus

REALTALK = Path(__file__).resolve().parents[2] / "shared" / "data" / "realtalk"


def _facts(memory: Memory, user: str) -> list:
    return memory.list(user, kinds=[MemoryKind.semantic], limit=1000).items


def test_a_fact_from_a_named_speaker_is_about_that_speaker():
    found = OfflineExtractor().extract(
        "I live in Boston and my sister lives nearby.", speaker="Ana"
    )
    assert found and all(c.content.startswith("Ana ") for c in found), found
    assert "User" not in " ".join(c.content for c in found)


def test_the_one_user_case_still_reads_user():
    found = OfflineExtractor().extract("I love espresso and prefer dark roast")
    assert found[0].content == "User loves espresso and prefers dark roast"


def test_pronouns_become_the_speakers_name():
    (found,) = OfflineExtractor().extract("My dog is called Biscuit.", speaker="Caroline")
    assert found.content.startswith("Caroline's dog")


def test_one_persons_new_value_never_supersedes_anothers(memory: Memory):
    memory.add_turns(
        "chat",
        [
            {"speaker": "Caroline", "content": "I live in Boston."},
            {"speaker": "Melanie", "content": "Nice! I live in Denver."},
        ],
    )
    active = {m.metadata.speaker: m for m in _facts(memory, "chat")}
    assert active["Caroline"].content == "Caroline lives in Boston"
    assert active["Melanie"].content == "Melanie lives in Denver"
    assert all(m.status is MemoryStatus.active for m in active.values())


def test_a_persons_own_change_supersedes_their_old_value(memory: Memory):
    memory.add_turns(
        "chat",
        [
            {"speaker": "Caroline", "content": "I live in Boston."},
            {"speaker": "Melanie", "content": "I live in Denver."},
            {"speaker": "Caroline", "content": "Big news: I moved to Chicago last month."},
        ],
    )
    everything = memory.list(
        "chat", kinds=[MemoryKind.semantic], statuses=["active", "superseded"]
    ).items
    status = {m.content: m.status for m in everything}
    assert status["Caroline lives in Boston"] is MemoryStatus.superseded
    assert status["Caroline lives in Chicago"] is MemoryStatus.active
    assert status["Melanie lives in Denver"] is MemoryStatus.active


@pytest.mark.parametrize(
    ("asked", "said"),
    [
        ("What did Caroline research?", "What did I research?"),
        ("What are Fahim's hobbies?", "What are my hobbies?"),
        ("Where did Fahim Khan go to school?", "Where did I go to school?"),
        ("What game did Fahim and Muhhamed play?", "What game did I play?"),
        ("what is caroline’s dog called?", "what is my dog called?"),
    ],
)
def test_a_question_about_a_speaker_is_read_as_they_would_say_it(asked: str, said: str):
    assert as_said(asked, ["Caroline", "Fahim", "Khan", "Muhhamed"]) == said


def test_a_question_in_the_first_person_or_naming_no_one_is_left_as_asked():
    names = ["Kevin", "Caroline"]
    assert as_said("What did I tell Kevin about the move?", names) == (
        "What did I tell Kevin about the move?"
    )
    assert as_said("Where is the Carolinesque museum?", names) == (
        "Where is the Carolinesque museum?"
    )
    assert as_said("What did Caroline research?", []) == "What did Caroline research?"


def test_the_speakers_of_a_user_are_those_of_the_turns_still_stored(memory: Memory):
    store, tenant = memory.engine.store, memory.engine.tenant_id
    memory.add_turn("chat", "I adopted a kitten last week.", speaker="Ana", turn_number=1)
    memory.add_turn("chat", "Did you see the game last night?", speaker="Ben", turn_number=2)
    memory.add_turn("chat", "I paint on Sundays.", speaker="user", turn_number=3)
    memory.flush()
    assert store.speakers(tenant, "chat") == {"Ana", "Ben", "user"}
    bens = [
        m
        for m in memory.list("chat", kinds=[MemoryKind.episodic], limit=100).items
        if m.metadata.speaker == "Ben"
    ]
    for chunk in bens:
        memory.delete("chat", chunk.memory_id)
    assert store.speakers(tenant, "chat") == {"Ana", "user"}
    assert store.speakers(tenant, "nobody") == frozenset()


def test_a_speaker_named_user_is_the_one_user(memory: Memory):
    memory.add_turn("solo", "I live in Lisbon.", speaker="user")
    (fact,) = _facts(memory, "solo")
    assert fact.content == "User lives in Lisbon"
    assert fact.metadata.speaker is None


def test_realtalk_facts_are_attributed_to_the_speaker_who_said_them(memory: Memory):
    if not REALTALK.is_dir():
        pytest.skip("shared/data/realtalk is not beside the repository")
    chat = realtalk.load(REALTALK)[0]
    memory.add_turns("realtalk", chat.turn_dicts()[:400])
    speakers = {m.speaker for m in chat.messages}
    facts = _facts(memory, "realtalk")
    assert len(facts) >= 20
    for fact in facts:
        assert fact.metadata.speaker in speakers, fact
        others = speakers - {fact.metadata.speaker}
        # about its speaker, never about "User", nor worded as the other person's
        assert not re.search(r"\b(?:User|the user)\b", fact.content), fact.content
        assert not any(fact.content.startswith(o + " ") for o in others), fact.content
