"""Query analysis, stemming and the token estimate."""

from longmem.core.query import analyse, coverage, term_weights
from longmem.core.text import content_terms, estimate_tokens, stem


def test_inflections_meet_on_one_stem():
    assert stem("moved") == stem("moving") == stem("moves")
    assert stem("lives") == stem("live")
    assert stem("favourite") == stem("favorite")


def test_content_terms_drop_function_and_asking_words():
    assert content_terms("Can you remind me what I said about my favourite coffee?") == [
        stem("favourite"),
        stem("coffee"),
    ]


def test_questions_about_home_target_the_home_slot():
    assert "home" in analyse("Where do I live these days?").slots
    assert "job" in analyse("What do I do for work?").slots


def test_preference_questions_match_the_object_slot():
    analysis = analyse("What coffee should I buy?")
    assert analysis.slot_matches("pref:coffee")
    assert analysis.slot_matches("pref:coffees")
    assert not analysis.slot_matches("pref:tea")
    assert not analysis.slot_matches(None)


def test_rare_words_weigh_more_than_common_ones():
    weights = term_weights(("coffee", "day"), {"coffee": 1, "day": 90}, 100)
    assert weights["coffee"] > weights["day"]
    assert coverage(weights, frozenset({"coffee"})) > coverage(weights, frozenset({"day"}))
    assert coverage(weights, frozenset()) == 0.0


def test_token_estimate_counts_words_and_punctuation():
    assert estimate_tokens("") == 0
    assert estimate_tokens("Hello, world!") == 4
    assert estimate_tokens("supercalifragilistic") == 4


def test_an_aside_in_brackets_with_sentences_of_its_own_is_read_apart():
    from longmem.core.text import sentences

    said = "lol my husband (weird to say!! the wedding was two weeks ago) says the cake was a hit"
    assert sentences(said) == [
        "lol my husband says the cake was a hit",
        "weird to say!!",
        "the wedding was two weeks ago",
    ]
    # a bracketed name or word is part of its sentence
    assert sentences("My sister (Anna) lives in Paris. I'm (sort of) tired") == [
        "My sister (Anna) lives in Paris.",
        "I'm (sort of) tired",
    ]


def test_a_fact_is_not_cut_at_the_punctuation_of_an_aside():
    from longmem.extraction.offline import OfflineExtractor

    found = OfflineExtractor().extract(
        "my husband (still weird to say!! we only married in May) says the cake was a hit"
    )
    assert found and all("(" not in c.content for c in found)
