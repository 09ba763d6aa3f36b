"""The composite score and its parts."""

import math
from datetime import UTC, datetime

import pytest

from longmem.core.context import gate
from longmem.core.scoring import (
    Evidence,
    Weights,
    access_frequency,
    composite,
    recency,
    relevance,
)
from longmem.models import MemoryKind, MemoryMetadata, MemoryRecord, ScoreParts, SearchHit


def test_composite_uses_the_seed_weights_by_default():
    assert composite(Weights(), 1.0, 0.0, 0.0, 0.0) == pytest.approx(0.4)
    assert composite(Weights(), 0.0, 1.0, 0.0, 0.0) == pytest.approx(0.3)
    assert composite(Weights(), 0.0, 0.0, 1.0, 0.0) == pytest.approx(0.2)
    assert composite(Weights(), 0.0, 0.0, 0.0, 1.0) == pytest.approx(0.1)


def test_configured_weights_are_normalised_to_sum_to_one():
    assert composite(Weights(2, 0, 0, 0), 0.5, 1, 1, 1) == pytest.approx(0.5)


def test_all_zero_weights_are_refused():
    with pytest.raises(ValueError):
        composite(Weights(0, 0, 0, 0), 1, 1, 1, 1)


def test_recency_halves_at_each_half_life_in_turns_and_in_days():
    assert recency(0, 0, 1000, 30) == 1.0
    assert recency(1000, 0, 1000, 30) == pytest.approx(0.5)
    assert recency(0, 30, 1000, 30) == pytest.approx(0.5)
    assert recency(1000, 30, 1000, 30) == pytest.approx(0.25)


def test_recency_treats_the_future_as_now():
    assert recency(-5, -1, 1000, 30) == 1.0


def test_access_frequency_is_log_scaled_and_saturates():
    assert access_frequency(0) == 0.0
    assert access_frequency(1) < access_frequency(10) < access_frequency(50) == 1.0
    assert access_frequency(10) - access_frequency(1) > access_frequency(50) - access_frequency(40)
    assert access_frequency(10_000) == 1.0
    assert access_frequency(1) == pytest.approx(math.log(2) / math.log(51))


def test_relevance_grows_with_each_kind_of_evidence():
    base = relevance(Evidence(dense=0.4, coverage=0.0, slot_match=False))
    assert relevance(Evidence(dense=0.5, coverage=0.0, slot_match=False)) > base
    assert relevance(Evidence(dense=0.4, coverage=1.0, slot_match=False)) > base
    assert relevance(Evidence(dense=0.4, coverage=0.0, slot_match=True)) > base


def test_unrelated_text_has_no_relevance():
    assert relevance(Evidence(dense=0.05, coverage=0.0, slot_match=False)) == 0.0


def test_relevance_is_capped_at_one():
    assert relevance(Evidence(dense=1.0, coverage=1.0, slot_match=True)) == 1.0


def _hit(relevance_: float) -> SearchHit:
    memory = MemoryRecord(
        memory_id=f"m{relevance_}",
        user_id="u",
        kind=MemoryKind.episodic,
        type=None,
        content=f"said with relevance {relevance_}",
        metadata=MemoryMetadata(created_at=datetime.now(UTC), updated_at=datetime.now(UTC)),
    )
    parts = ScoreParts(
        semantic=relevance_,
        dense=relevance_,
        lexical=0.0,
        recency=0.0,
        access=0.0,
        confidence=1.0,
        relevance=relevance_,
    )
    return SearchHit(memory=memory, score=relevance_, parts=parts)


def test_a_question_whose_best_evidence_is_under_the_floor_adds_nothing_to_a_prompt():
    assert gate([_hit(0.35), _hit(0.2)], floor=0.36) == []
    assert gate([], floor=0.0) == []


def test_an_answered_question_brings_every_hit_with_any_evidence_in_its_rank():
    # the answer is often not the best-matching memory: the weak ones come along
    ranked = [_hit(0.9), _hit(0.3), _hit(0.004)]
    assert gate(ranked, floor=0.36) == ranked
    assert gate(ranked, floor=0.9) == ranked
    # what shares nothing with the question does not
    assert gate([*ranked, _hit(0.0)], floor=0.36) == ranked


def test_a_question_whose_distinctive_words_were_never_said_is_unfamiliar():
    from longmem.core.rarity import term_rarity
    from longmem.core.scoring import familiarity

    weights = {"pet": 2.0, "iguana": 8.0}
    rarity = term_rarity("pet iguana")
    assert rarity["iguana"] == 1.0 and rarity["pet"] < 1.0
    # "pet" was said, "iguana" never: most of the question is unknown to this user
    assert familiarity(weights, {"pet": 3}, rarity, documents=1_000) == pytest.approx(0.2)
    # an everyday word never said tells little
    common = term_rarity("buy coffee")
    assert common["buy"] < 0.1
    assert familiarity({"buy": 5.0, "coffe": 5.0}, {"coffe": 2}, common, 1_000) > 0.95
    # in a short history, what was not said tells nothing yet
    assert familiarity(weights, {"pet": 3}, rarity, documents=3) > 0.9


def test_a_word_for_a_category_never_said_tells_less_than_a_thing_never_said():
    from longmem.core.concreteness import concreteness, tangibility
    from longmem.core.scoring import familiarity
    from longmem.core.text import by_term

    # A chat answers "What are Fahim's hobbies?" by naming football, never "hobby"; a chat
    # about a pet iguana names the iguana.
    assert tangibility("hobbies") == 0.0  # by its lemma, "hobby"
    assert tangibility("ailments") == 0.0
    assert tangibility("iguana") == 1.0
    # a quality is no category: never having said "proudest" tells
    assert tangibility("proudest") == 1.0
    assert concreteness("Saxophone") == concreteness("saxophone") is not None
    # a name the norms do not rate counts as a thing: never having said "Tokyo" tells
    assert concreteness("Tokyo") is None and tangibility("Tokyo") == 1.0
    asked = by_term("What hobbies and which iguana?", tangibility)
    assert asked == {"hobbi": 0.0, "iguana": 1.0}
    weights = {"hobbi": 8.0, "iguana": 8.0}
    assert familiarity({"hobbi": 8.0}, {}, asked, documents=1_000) == 1.0
    assert familiarity(weights, {}, asked, documents=1_000) == pytest.approx(0.5)


def test_relevance_decides_the_top_k_and_the_composite_orders_only_comparable_hits():
    from longmem.core.ranking import top_k

    items = [("a", 0.90, 0.1), ("b", 0.89, 0.9), ("c", 0.50, 1.0), ("d", 0.10, 1.0)]
    chosen = top_k(items, 3, rank=lambda i: i[1], order=lambda i: i[2], key=lambda i: i[0])
    # d's composite is the highest but its relevance keeps it out; a and b are comparable,
    # so the composite orders them; c is not comparable to b and stays behind
    assert [i[0] for i in chosen] == ["b", "a", "c"]


def test_a_question_that_offers_options_is_familiar_when_one_of_them_was_said():
    from longmem.core.query import alternatives
    from longmem.core.scoring import familiarity

    asked = "Where does Akib live, in a big city or in the suburbs?"
    offered = alternatives(asked)
    assert offered == ((frozenset({"big", "citi"}), frozenset({"suburb"})),)
    weights = {"live": 2.0, "big": 1.0, "citi": 3.0, "suburb": 6.0}
    said = {"live": 9, "big": 4, "citi": 7}  # he lives in the city; "suburbs" never came up
    telling = dict.fromkeys(weights, 1.0)
    assert familiarity(weights, said, telling, 1_000, offered) == 1.0
    # read without its options, the unsaid "suburbs" is half the question
    assert familiarity(weights, said, telling, 1_000) == pytest.approx(0.5)
    # neither option said: the better-known one still counts as unsaid
    assert familiarity(weights, {"live": 9}, telling, 1_000, offered) == pytest.approx(1 - 4 / 12)


@pytest.mark.parametrize(
    ("question", "options"),
    [
        ("Does Fahim have any sisters or brothers?", [{"sister"}, {"brother"}]),
        # the verb before a hyphenated option is not part of it
        ("Does Kate work full-time or part-time?", [{"full", "time"}, {"part", "time"}]),
        ("tea or coffee or juice?", [{"tea"}, {"coffe"}, {"juic"}]),
        # options never reach across punctuation
        ("Is it far, or near?", []),
        ("What is my dog called?", []),
    ],
)
def test_the_options_a_question_offers(question, options):
    from longmem.core.query import alternatives

    found = alternatives(question)
    assert [set(o) for choice in found for o in choice] == options
