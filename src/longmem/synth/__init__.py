"""Synthetic long conversations with planted memories and probe questions, for tests and
benchmarks.

    from longmem.synth import generate_conversation
    conversation = generate_conversation(seed=1, n_contradictions=5)
"""

from longmem.synth.generator import (
    Conversation,
    PlantedMemory,
    Probe,
    Turn,
    generate_conversation,
)

__all__ = ["Conversation", "PlantedMemory", "Probe", "Turn", "generate_conversation"]
