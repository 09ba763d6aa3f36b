"""The promise: at turn 1,200 the assistant still knows what the user said in the first 100.

A seeded synthetic conversation (longmem.synth) plants 45 memories of all five types in the
first 100 turns, then fills up to 1,200 turns with everyday chat. Paraphrased questions must
find the planted turn (or the memory extracted from it) in the top 10; questions about things
never said must return nothing.

The paraphrases share no distinctive word with what was said ("Who fixes my leaks?" for "If a
pipe ever bursts, Kwame is my go-to"). The issue's target is 95% recall at most 5% false
positives; offline, with MiniLM and the pattern extractor, this release reaches a little over
half that recall at that false-positive rate (README, "Status"). The target stays here as a
strict xfail, so the day it is met the suite says so, and the measured level is guarded
against regression.
"""

from __future__ import annotations

import pytest

from longmem import Memory
from longmem.core.context import recalled
from longmem.synth import Conversation, Probe, generate_conversation

pytestmark = pytest.mark.slow

SEED = 20261125  # held out: the relevance floor was calibrated on seeds 1-4
TARGET_RECALL = 0.95
MAX_FALSE_POSITIVES = 0.05
# Measured on this seed: 0.538 (21 of 39; 0.564 before the employer slot, one probe that a
# wrong slot match let through). A drop below the guard is a regression.
GUARDED_RECALL = 0.53


@pytest.fixture(scope="module")
def conversation() -> Conversation:
    return generate_conversation(
        seed=SEED,
        n_turns=1200,
        n_planted=45,
        plant_window=100,
        n_contradictions=6,
        n_distractors=60,
    )


@pytest.fixture(scope="module")
def loaded(conversation: Conversation, tmp_path_factory, embedder):
    from longmem import Settings

    settings = Settings(longmem_home=tmp_path_factory.mktemp("long"))
    mem = Memory(settings, embedder=embedder)
    mem.add_turns(
        conversation.user_id,
        conversation.turn_dicts(),
    )
    yield mem
    mem.close()


def answered(mem: Memory, user_id: str, probe: Probe, top_k: int = 10) -> bool:
    hits = mem.search(user_id, probe.question, top_k=top_k, current_turn=1200)
    return any(h.memory.metadata.source_turn in probe.answer_turns for h in hits)


def test_the_conversation_plants_all_five_types_early(conversation: Conversation):
    assert len(conversation.turns) == 1200
    assert len(conversation.planted) >= 40
    assert {p.type for p in conversation.planted} == {
        "preference",
        "fact",
        "commitment",
        "instruction",
        "entity",
    }
    assert max(p.turn_number for p in conversation.planted) <= 100


def recall_at_10(mem: Memory, conversation: Conversation) -> float:
    probes = [p for p in conversation.probes if p.kind == "planted"]
    missed = [p.question for p in probes if not answered(mem, conversation.user_id, p)]
    recall = 1 - len(missed) / len(probes)
    print(f"recall@10 = {recall:.3f} over {len(probes)} probes; missed: {missed}")
    return recall


def test_paraphrased_questions_keep_their_measured_recall(loaded, conversation):
    assert recall_at_10(loaded, conversation) >= GUARDED_RECALL


@pytest.mark.xfail(strict=True, reason="not met offline yet: see README Status")
def test_paraphrased_questions_find_the_planted_memory_in_the_top_10(loaded, conversation):
    assert recall_at_10(loaded, conversation) >= TARGET_RECALL


def test_questions_about_things_never_said_put_nothing_recalled_into_the_context(
    loaded, conversation
):
    """Search ranks; context gates (DESIGN, Retrieval 3): what a never-said question recalls
    must not reach the prompt. Standing instructions, allergies and diet always do."""
    probes = [p for p in conversation.probes if p.kind == "distractor"]
    leaked = {
        p.question: [
            h.memory.content
            for h in recalled(
                loaded.context(conversation.user_id, p.question, current_turn=1200).memories
            )
        ]
        for p in probes
    }
    leaked = {q: hits for q, hits in leaked.items() if hits}
    rate = len(leaked) / len(probes)
    print(f"false-positive rate = {rate:.3f} over {len(probes)} probes; leaked: {leaked}")
    assert rate <= MAX_FALSE_POSITIVES, leaked


def test_updated_facts_answer_with_the_newest_value(loaded, conversation):
    probes = [p for p in conversation.probes if p.kind == "updated"]
    assert probes
    for probe in probes:
        hits = loaded.search(
            conversation.user_id, probe.question, current_turn=1200, kinds=["semantic"]
        )
        turns = [h.memory.metadata.source_turn for h in hits]
        assert not set(probe.stale_turns) & set(turns), (probe.question, turns)
