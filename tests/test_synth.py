"""The synthetic-conversation generator keeps the promises the long-conversation tests rely on."""

from __future__ import annotations

import itertools
import re
import string
from collections import Counter
from typing import Any

import pytest

from longmem.errors import ValidationError
from longmem.synth import Conversation, generate_conversation
from longmem.synth.catalog import (
    ACKNOWLEDGEMENTS,
    DISTRACTOR_TEMPLATES,
    FILLER_TOPICS,
    PLANTED_TEMPLATES,
)
from longmem.synth.generator import MAX_FILLER_REPEATS, UPDATE_TAIL
from longmem.synth.templates import MEMORY_TYPES, PlantedTemplate

SEEDS = (1, 2, 3, 20261125)
TEMPLATE_BY_KEY = {t.key: t for t in PLANTED_TEMPLATES}
DISTRACTOR_QUESTIONS = [q for d in DISTRACTOR_TEMPLATES for q in d.questions]
DISTRACTOR_TOPIC = {q: d.topic for d in DISTRACTOR_TEMPLATES for q in d.questions}

# Words too common to give a question away, even when the statement uses them too.
# fmt: off
STOPWORDS = frozenset({
    "a", "an", "the", "of", "in", "on", "at", "to", "and", "or", "with", "for", "by", "from",
    "my", "me", "i", "you", "your", "is", "am", "are", "was", "were", "do", "does", "did",
    "what", "what's", "who", "who's", "which", "where", "when", "how", "why", "that", "this",
    "it", "it's", "i'm", "i've", "i'd", "be", "have", "has", "had", "any", "ever", "can",
    "could", "should", "would", "there", "their", "them", "they", "not", "no", "so", "if",
    "as", "but", "about", "up", "out", "all", "just", "one", "more", "some", "much", "many",
    "like", "get", "got", "go", "these", "day", "days",
})
# fmt: on


def words(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+(?:'[a-z]+)?", text.lower())) - STOPWORDS


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def filler_user_turns(conversation: Conversation) -> list[str]:
    special = {p.turn_number for p in conversation.planted} | {
        turn for p in conversation.probes if p.kind == "updated" for turn in p.answer_turns
    }
    return [
        t.content for t in conversation.turns if t.role == "user" and t.turn_number not in special
    ]


@pytest.fixture(scope="module", params=SEEDS)
def conversation(request: pytest.FixtureRequest) -> Conversation:
    return generate_conversation(seed=request.param, n_contradictions=6, n_distractors=60)


# --- reproducibility and shape ---------------------------------------------------------------


def test_the_same_seed_gives_the_same_conversation() -> None:
    assert generate_conversation(seed=7, n_contradictions=3) == generate_conversation(
        seed=7, n_contradictions=3
    )


def test_different_seeds_give_different_conversations() -> None:
    first, second = generate_conversation(seed=1), generate_conversation(seed=2)
    assert first.turns != second.turns
    assert [p.statement for p in first.planted] != [p.statement for p in second.planted]


def test_user_id_defaults_to_the_seed_and_can_be_given() -> None:
    assert generate_conversation(seed=5).user_id == "synth-5"
    assert generate_conversation(seed=5, user_id="ada").user_id == "ada"


def test_turns_are_numbered_1_to_n(conversation: Conversation) -> None:
    assert [t.turn_number for t in conversation.turns] == list(range(1, 1201))


def test_users_speak_first_and_the_assistant_always_answers(conversation: Conversation) -> None:
    roles = [t.role for t in conversation.turns]
    assert roles[0] == "user"
    assert all(r in ("user", "assistant") for r in roles)
    assert ("user", "user") not in set(itertools.pairwise(roles))
    doubles = sum(1 for a, b in itertools.pairwise(roles) if a == b == "assistant")
    assert 0 < doubles < len(roles) * 0.05


# --- planted memories ------------------------------------------------------------------------


def test_planted_statements_are_distinct_user_turns_in_the_window(
    conversation: Conversation,
) -> None:
    by_number = {t.turn_number: t for t in conversation.turns}
    numbers = [p.turn_number for p in conversation.planted]
    assert len(conversation.planted) == 45
    assert len(set(numbers)) == len(numbers)
    assert all(1 <= n <= 100 for n in numbers)
    for memory in conversation.planted:
        turn = by_number[memory.turn_number]
        assert turn.role == "user"
        assert turn.content == memory.statement
        assert memory.value.lower() in memory.statement.lower()


def test_all_five_types_are_planted(conversation: Conversation) -> None:
    assert {p.type for p in conversation.planted} == set(MEMORY_TYPES)


def test_planted_memories_never_share_a_topic(conversation: Conversation) -> None:
    keys = [p.key for p in conversation.planted]
    assert len(set(keys)) == len(keys)
    topics = [topic for key in keys for topic in TEMPLATE_BY_KEY[key].topics]
    assert len(set(topics)) == len(topics)


def test_no_value_is_used_by_two_memories(conversation: Conversation) -> None:
    values = [p.value for p in conversation.planted]
    assert len(set(values)) == len(values)


def test_the_reply_to_a_planted_statement_does_not_repeat_the_value(
    conversation: Conversation,
) -> None:
    by_number = {t.turn_number: t for t in conversation.turns}
    for memory in conversation.planted:
        reply = by_number[memory.turn_number + 1]
        assert reply.role == "assistant"
        assert reply.content in ACKNOWLEDGEMENTS[memory.type]


# --- probes ----------------------------------------------------------------------------------


def test_one_probe_per_planted_memory_plus_the_distractors(conversation: Conversation) -> None:
    kinds = Counter(p.kind for p in conversation.probes)
    assert kinds == {"planted": 39, "updated": 6, "distractor": 60}
    keyed = [p.key or "" for p in conversation.probes if p.kind != "distractor"]
    assert sorted(keyed) == sorted(p.key for p in conversation.planted)


def test_planted_probes_point_at_the_planted_turn(conversation: Conversation) -> None:
    memories = {p.key: p for p in conversation.planted}
    for probe in conversation.probes:
        if probe.kind == "planted":
            assert probe.key is not None
            memory = memories[probe.key]
            assert probe.question in memory.questions
            assert probe.answer_turns == (memory.turn_number,)
            assert probe.stale_turns == ()
            assert probe.answer == memory.value


def test_no_probe_question_contains_its_answer(conversation: Conversation) -> None:
    memories = {p.key: p for p in conversation.planted}
    for probe in conversation.probes:
        if probe.key is not None:
            question = probe.question.lower()
            assert memories[probe.key].value.lower() not in question
            assert probe.answer is not None
            assert probe.answer.lower() not in question


def test_distractors_ask_about_topics_nothing_planted_touches(
    conversation: Conversation,
) -> None:
    touched = {t for p in conversation.planted for t in TEMPLATE_BY_KEY[p.key].topics}
    distractors = [p for p in conversation.probes if p.kind == "distractor"]
    topics = [DISTRACTOR_TOPIC[p.question] for p in distractors]
    assert len(set(topics)) == len(topics)
    assert not touched & set(topics)
    assert all(p.key is None and p.answer_turns == () and p.answer is None for p in distractors)


# --- contradictions --------------------------------------------------------------------------


def test_updates_come_after_the_window_and_name_a_new_value(conversation: Conversation) -> None:
    by_number = {t.turn_number: t for t in conversation.turns}
    memories = {p.key: p for p in conversation.planted}
    updated = [p for p in conversation.probes if p.kind == "updated"]
    assert len({p.answer_turns for p in updated}) == 6
    for probe in updated:
        assert probe.key is not None
        memory = memories[probe.key]
        assert TEMPLATE_BY_KEY[probe.key].updatable
        (new_turn,) = probe.answer_turns
        assert probe.stale_turns == (memory.turn_number,)
        assert 100 < new_turn < 1200 - UPDATE_TAIL
        turn = by_number[new_turn]
        assert turn.role == "user"
        assert probe.answer is not None and probe.answer != memory.value
        assert probe.answer.lower() in turn.content.lower()
        assert probe.question in memory.questions


def test_without_contradictions_every_probe_is_planted_or_distractor() -> None:
    conversation = generate_conversation(seed=11)
    assert {p.kind for p in conversation.probes} == {"planted", "distractor"}
    assert len(conversation.probes) == 45 + 40


# --- filler ----------------------------------------------------------------------------------


def test_no_filler_request_repeats_more_than_three_times(conversation: Conversation) -> None:
    counts = Counter(filler_user_turns(conversation))
    assert max(counts.values()) <= MAX_FILLER_REPEATS


def test_filler_covers_many_topics_without_personal_facts(conversation: Conversation) -> None:
    personal = re.compile(
        r"\b(I live|I'm from|I work|my (wife|husband|partner|dog|cat|son|daughter|boss|"
        r"manager|mum|mom|dad|sister|brother|kids?|job|birthday)|I'm allergic|I'm (a )?vegan)\b",
        re.IGNORECASE,
    )
    filler = filler_user_turns(conversation)
    assert not [text for text in filler if personal.search(text)]
    assert len(set(filler)) > 400


def test_a_very_long_conversation_still_generates() -> None:
    conversation = generate_conversation(seed=3, n_turns=10_000, n_contradictions=10)
    assert len(conversation.turns) == 10_000
    assert max(Counter(filler_user_turns(conversation)).values()) <= MAX_FILLER_REPEATS


# --- arguments -------------------------------------------------------------------------------


def test_small_conversations_work() -> None:
    conversation = generate_conversation(
        seed=4, n_turns=200, n_planted=5, plant_window=20, n_contradictions=2, n_distractors=3
    )
    assert {p.type for p in conversation.planted} == set(MEMORY_TYPES)
    assert Counter(p.kind for p in conversation.probes) == {
        "planted": 3,
        "updated": 2,
        "distractor": 3,
    }


@pytest.mark.parametrize(
    "arguments",
    [
        {"n_planted": 51},  # 50 user turns in a 100-turn window
        {"n_planted": 200, "plant_window": 1000},  # more topics than the catalog has
        {"n_contradictions": 46},
        {"n_distractors": 500},
        {"n_turns": 140, "n_contradictions": 1},  # nowhere between the window and the tail
        {"plant_window": 0},
        {"n_distractors": -1},
    ],
)
def test_impossible_requests_are_rejected(arguments: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        generate_conversation(seed=1, **arguments)


# --- the catalog -----------------------------------------------------------------------------


def test_the_catalog_has_enough_of_everything() -> None:
    types = Counter(t.type for t in PLANTED_TEMPLATES)
    assert len(PLANTED_TEMPLATES) >= 70
    assert all(types[memory_type] >= 10 for memory_type in MEMORY_TYPES)
    assert len(FILLER_TOPICS) >= 25
    assert sum(len(d.questions) for d in DISTRACTOR_TEMPLATES) >= 60
    assert len(DISTRACTOR_QUESTIONS) == len(set(DISTRACTOR_QUESTIONS))
    assert sum(len(t.updates) > 0 for t in PLANTED_TEMPLATES) >= 20


@pytest.mark.parametrize("template", PLANTED_TEMPLATES, ids=lambda t: t.key)
def test_planted_templates_are_well_formed(template: PlantedTemplate) -> None:
    assert template.type in MEMORY_TYPES
    assert len(template.statements) >= 2
    assert 2 <= len(template.questions) <= 3
    assert "value" in template.values
    for statement in template.statements:
        assert "value" in placeholders(statement)
        assert placeholders(statement) <= set(template.values)
    for update in template.updates:
        assert "new" in placeholders(update)
        assert placeholders(update) <= set(template.values) | {"old", "new"}
    for question in template.questions:
        assert not placeholders(question)


@pytest.mark.parametrize("template", PLANTED_TEMPLATES, ids=lambda t: t.key)
def test_questions_paraphrase_rather_than_quote(template: PlantedTemplate) -> None:
    value_words = {w for pool in template.values.values() for v in pool for w in words(v)}
    for question in template.questions:
        assert not words(question) & value_words, question
        for statement in template.statements:
            shared = words(question) & words(re.sub(r"\{\w+\}", " ", statement))
            assert len(shared) <= 1, (question, statement, shared)


def test_filler_never_mentions_a_planted_value() -> None:
    planted_values = {
        v for t in PLANTED_TEMPLATES for pool in t.values.values() for v in pool if len(v) > 3
    }
    for topic in FILLER_TOPICS:
        texts = [e.request for e in topic.exchanges]
        texts += [r for e in topic.exchanges for r in e.replies]
        texts += [v for pool in topic.values.values() for v in pool]
        hits = [
            (text, value)
            for text in texts
            for value in planted_values
            if re.search(rf"\b{re.escape(value)}\b", text)
        ]
        assert not hits, topic.name


def test_filler_templates_only_use_their_topics_slots() -> None:
    for topic in FILLER_TOPICS:
        for exchange in topic.exchanges:
            assert exchange.replies
            for text in (exchange.request, *exchange.replies):
                assert placeholders(text) <= set(topic.values), (topic.name, text)
