"""Reconciliation decisions: ADD, UPDATE, SUPERSEDE, MERGE, NOOP."""

from datetime import UTC, datetime

from longmem.core.reconcile import Neighbour, decide, fulfils
from longmem.models import (
    Candidate,
    Decision,
    MemoryKind,
    MemoryMetadata,
    MemoryRecord,
    MemoryType,
)

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def stored(content, *, type_=MemoryType.fact, slot=None, value=None, negated=False, turn=1):
    return MemoryRecord(
        memory_id=f"m-{content[:10]}",
        user_id="u",
        kind=MemoryKind.semantic,
        type=type_,
        content=content,
        metadata=MemoryMetadata(
            source_turn=turn,
            created_at=NOW,
            updated_at=NOW,
            slot=slot,
            value=value,
            negated=negated,
        ),
    )


def candidate(content, *, type_=MemoryType.fact, slot=None, value=None, negated=False):
    return Candidate(
        type=type_, content=content, confidence=0.9, slot=slot, value=value, negated=negated
    )


def test_nothing_stored_means_add():
    assert (
        decide(candidate("User lives in Paris", slot="home", value="Paris"), 3, []).decision
        is Decision.add
    )


def test_a_new_value_in_a_single_valued_slot_supersedes_the_old_one():
    paris = stored("User lives in Paris", slot="home", value="Paris")
    verdict = decide(
        candidate("User moved to Berlin", slot="home", value="Berlin"), 50, [Neighbour(paris, 0.4)]
    )
    assert verdict.decision is Decision.supersede
    assert verdict.target is paris
    assert "Berlin" in verdict.reason


def test_the_same_value_again_merges():
    paris = stored("User lives in Paris", slot="home", value="Paris")
    verdict = decide(
        candidate("User lives in paris", slot="home", value="paris"), 80, [Neighbour(paris, 0.97)]
    )
    assert verdict.decision is Decision.merge


def test_multi_valued_slots_accumulate():
    dog = stored("User has a dog named Rex", slot="pet", value="dog")
    verdict = decide(candidate("User has a cat", slot="pet", value="cat"), 9, [Neighbour(dog, 0.6)])
    assert verdict.decision is Decision.add


def test_a_reversed_preference_supersedes():
    likes = stored(
        "User likes coffee", type_=MemoryType.preference, slot="pref:coffee", value="coffee"
    )
    verdict = decide(
        candidate(
            "User no longer likes coffee",
            type_=MemoryType.preference,
            slot="pref:coffee",
            value="coffee",
            negated=True,
        ),
        9,
        [Neighbour(likes, 0.8)],
    )
    assert verdict.decision is Decision.supersede


def test_a_near_duplicate_without_slot_merges():
    report = stored("User will send the report on Friday", type_=MemoryType.commitment)
    verdict = decide(
        candidate("User will send the report on Friday.", type_=MemoryType.commitment),
        20,
        [Neighbour(report, 0.96)],
    )
    assert verdict.decision is Decision.merge


def test_a_denial_of_a_close_memory_supersedes_it_instead_of_merging():
    # MiniLM puts these two 0.93 apart: closer than most restatements.
    vegetarian = stored("User is vegetarian")
    verdict = decide(candidate("User is not vegetarian anymore"), 40, [Neighbour(vegetarian, 0.93)])
    assert verdict.decision is Decision.supersede
    assert verdict.target is vegetarian
    assert "negates" in verdict.reason


def test_an_affirmation_after_a_denial_supersedes_it_too():
    denial = stored("User doesn't eat meat")
    verdict = decide(candidate("User eats meat"), 40, [Neighbour(denial, 0.88)])
    assert verdict.decision is Decision.supersede


def test_a_conditional_denial_neither_merges_nor_replaces():
    habit = stored("User drinks coffee every morning")
    verdict = decide(candidate("User never drinks coffee after 6pm"), 40, [Neighbour(habit, 0.83)])
    assert verdict.decision is Decision.add


def test_two_denials_of_the_same_thing_still_merge():
    denial = stored("User does not eat meat")
    verdict = decide(candidate("User doesn't eat meat"), 40, [Neighbour(denial, 0.97)])
    assert verdict.decision is Decision.merge


def test_a_longer_close_statement_refines():
    short = stored("User plays guitar")
    verdict = decide(
        candidate("User plays classical guitar in a band"), 20, [Neighbour(short, 0.84)]
    )
    assert verdict.decision is Decision.update
    assert verdict.target is short


def test_a_different_type_is_not_merged_even_if_close():
    fact = stored("User runs marathons", type_=MemoryType.fact)
    verdict = decide(
        candidate("User loves running marathons", type_=MemoryType.preference),
        20,
        [Neighbour(fact, 0.95)],
    )
    assert verdict.decision is Decision.add


def test_replaying_the_same_turn_is_a_noop():
    made = stored("User lives in Paris", slot="home", value="Paris", turn=3)
    verdict = decide(
        candidate("User lives in Paris", slot="home", value="Paris"), 3, [Neighbour(made, 1.0)]
    )
    assert verdict.decision is Decision.noop


def test_distant_memories_do_not_block_an_add():
    other = stored("User is vegetarian")
    assert (
        decide(candidate("User plays chess"), 5, [Neighbour(other, 0.3)]).decision is Decision.add
    )


def test_a_correction_naming_the_old_value_supersedes_the_memory_holding_it():
    ruby = stored("Instruction: write any snippets in Ruby", type_=MemoryType.instruction)
    other = stored("User likes rubies", type_=MemoryType.preference)
    verdict = decide(
        Candidate(
            type=MemoryType.fact,
            content="Show the user TypeScript instead of Ruby",
            confidence=0.8,
            replaces="ruby",
        ),
        90,
        [Neighbour(ruby, 0.3, named=True), Neighbour(other, 0.5)],
    )
    assert verdict.decision is Decision.supersede
    assert verdict.target is ruby


def test_a_deed_fulfils_the_commitment_with_its_verb_and_object():
    promise = stored("User will send the report on Friday", type_=MemoryType.commitment)
    assert fulfils("send report", promise)
    assert not fulfils("read report", promise)  # another verb
    assert not fulfils("send invoice", promise)  # another object
    assert not fulfils("send report", stored("User will send the report on Friday"))  # a fact


def test_a_reported_deed_supersedes_the_commitment_it_fulfils():
    promise = stored("User will send the report on Friday", type_=MemoryType.commitment)
    done = candidate("User sent the report already")
    done.completes, done.completion_only = "send report", True
    verdict = decide(done, 9, [Neighbour(promise, 0.7, fulfilled=True)])
    assert verdict.decision is Decision.supersede
    assert verdict.target is promise


def test_a_reported_deed_with_no_commitment_to_close_is_not_stored():
    done = candidate("User watched a film last night")
    done.completes, done.completion_only = "watch film", True
    assert decide(done, 9, []).decision is Decision.noop
