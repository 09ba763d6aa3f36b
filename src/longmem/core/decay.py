"""Decay and the cleanup policy applied by `optimize`."""

from __future__ import annotations

from dataclasses import dataclass

from longmem.core.scoring import access_frequency, recency
from longmem.models import MemoryKind, MemoryRecord, MemoryType

# Never removed by cleanup, however old: a standing instruction or a promise that silently
# disappeared would be worse than a long context.
PROTECTED_TYPES = frozenset({MemoryType.instruction, MemoryType.commitment})


@dataclass(frozen=True)
class DecayPolicy:
    half_life_turns: float
    half_life_days: float
    min_decay_score: float
    protect_recent_turns: int


def last_used_turn(memory: MemoryRecord) -> int:
    meta = memory.metadata
    candidates = [
        t
        for t in (meta.last_accessed_turn, meta.source_turn, memory.valid_from_turn)
        if t is not None
    ]
    return max(candidates) if candidates else 0


def decay_score(
    memory: MemoryRecord, current_turn: int, age_days: float, policy: DecayPolicy
) -> float:
    """How alive a memory is: recency of its last use, slowed by how often it was used."""
    base = recency(
        current_turn - last_used_turn(memory),
        age_days,
        policy.half_life_turns,
        policy.half_life_days,
    )
    return min(1.0, base * (1.0 + access_frequency(memory.metadata.access_count)))


def removable(memory: MemoryRecord, current_turn: int, score: float, policy: DecayPolicy) -> bool:
    """The cleanup policy: only semantic memories, never instructions or commitments, never
    anything used within `protect_recent_turns`, and only below `min_decay_score`."""
    if memory.kind is not MemoryKind.semantic or memory.type in PROTECTED_TYPES:
        return False
    if current_turn - last_used_turn(memory) <= policy.protect_recent_turns:
        return False
    return score < policy.min_decay_score
