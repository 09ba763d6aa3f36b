"""Several speakers in one conversation: each fact is about the person who said it, and slots
are per person. The one-user-and-assistant case keeps its "User ..." wording.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from longmem import Memory
from longmem.benchmark import realtalk
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
