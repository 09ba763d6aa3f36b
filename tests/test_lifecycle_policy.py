"""Decay and the cleanup policy used by optimize."""

from datetime import UTC, datetime

import pytest

from longmem.core.decay import DecayPolicy, decay_score, removable
from longmem.models import MemoryKind, MemoryMetadata, MemoryRecord, MemoryType

NOW = datetime(2026, 1, 1, tzinfo=UTC)
POLICY = DecayPolicy(
    half_life_turns=100, half_life_days=30, min_decay_score=0.05, protect_recent_turns=50
)


def memory(type_=MemoryType.fact, *, turn=1, accesses=0, last_turn=None, kind=MemoryKind.semantic):
    return MemoryRecord(
        memory_id="m",
        user_id="u",
        kind=kind,
        type=type_,
        content="x",
        metadata=MemoryMetadata(
            source_turn=turn,
            created_at=NOW,
            updated_at=NOW,
            access_count=accesses,
            last_accessed_turn=last_turn,
        ),
    )


def test_decay_halves_per_half_life_of_disuse():
    assert decay_score(memory(turn=0), 100, 0, POLICY) == pytest.approx(0.5)


def test_use_slows_decay():
    assert decay_score(memory(turn=0, accesses=20), 300, 0, POLICY) > decay_score(
        memory(turn=0), 300, 0, POLICY
    )


def test_old_unused_facts_are_removable():
    m = memory(turn=0)
    assert removable(m, 1000, decay_score(m, 1000, 0, POLICY), POLICY)


@pytest.mark.parametrize("type_", [MemoryType.instruction, MemoryType.commitment])
def test_instructions_and_commitments_are_never_removed(type_):
    m = memory(type_, turn=0)
    assert not removable(m, 10_000, 0.0, POLICY)


def test_recently_used_memories_are_never_removed():
    m = memory(turn=0, last_turn=980)
    assert not removable(m, 1000, 0.0, POLICY)


def test_episodic_turns_are_never_removed():
    m = memory(None, turn=0, kind=MemoryKind.episodic)
    assert not removable(m, 10_000, 0.0, POLICY)
