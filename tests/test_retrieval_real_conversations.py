"""Retrieval on real conversations: several named speakers, imported dates, repeated questions.

The REALTALK slice runs when shared/data/realtalk sits beside the repository (as on every
developer machine and in CI); the rest makes its own conversations.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from longmem import Memory, Settings
from longmem.benchmark import realtalk
from longmem.core.change import asks_about_self, asks_now
from longmem.core.ranking import Statement, newer_first, speakers_named
from longmem.core.when import dates_named

REALTALK = Path(__file__).resolve().parents[2] / "shared" / "data" / "realtalk"

CHAT = [
    ("Caroline", "I went to the LGBTQ support group yesterday and it was so powerful."),
    ("Melanie", "That sounds amazing! I've been painting a lot lately, a lake at sunrise."),
    ("Caroline", "I'm researching adoption agencies, I really want to give a kid a home."),
    ("Melanie", "You'd be a great mom. We took the kids camping at the beach last weekend."),
    ("Caroline", "Did you see the game last night?"),
    ("Melanie", "Yes! What a finish."),
    ("Caroline", "My grandma gave me a necklace from Sweden, it means so much to me."),
    ("Melanie", "I signed up for a pottery class, we made bowls on Friday."),
]


def _import(memory: Memory, user: str, start: datetime, *, naive: bool = False) -> None:
    turns = []
    for i, (speaker, text) in enumerate(CHAT):
        when = start + timedelta(days=i)
        turns.append(
            {
                "turn_number": i + 1,
                "speaker": speaker,
                "content": text,
                "timestamp": when.replace(tzinfo=None) if naive else when,
            }
        )
    memory.add_turns(user, turns)


def test_a_question_in_the_third_person_finds_what_that_person_said(memory: Memory):
    _import(memory, "chat", datetime(2024, 1, 1, 12, tzinfo=UTC))
    hits = memory.search("chat", "What did Caroline research?", top_k=3)
    assert hits[0].memory.metadata.speaker == "Caroline"
    assert "adoption agencies" in hits[0].memory.content


def test_a_date_in_the_question_prefers_what_was_said_that_day(memory: Memory):
    _import(memory, "chat", datetime(2024, 1, 1, 12, tzinfo=UTC))

    # turn 2 (painting) was said on 2 January, turn 8 (pottery) on the 8th
    def lead_of_8_over_2(question: str) -> float:
        rank = {
            h.memory.metadata.source_turn: h.parts.semantic
            for h in memory.search("chat", question, top_k=8, kinds=["episodic"])
        }
        return rank[8] - rank[2]

    on_the_8th = lead_of_8_over_2("What did Melanie do on 08.01.2024?")
    on_the_2nd = lead_of_8_over_2("What did Melanie do on 2 Jan 2024?")
    assert on_the_8th > on_the_2nd + 0.1


def test_naive_and_aware_timestamps_both_work_and_naive_is_utc(memory: Memory):
    _import(memory, "naive", datetime(2024, 1, 1, 12, tzinfo=UTC), naive=True)
    _import(memory, "aware", datetime(2024, 1, 1, 12, tzinfo=UTC))
    for user in ("naive", "aware"):
        hits = memory.search(user, "adoption agencies", top_k=1)
        assert hits[0].memory.valid_from == datetime(2024, 1, 3, 12, tzinfo=UTC)
        assert memory.context(user, "Who is researching adoption agencies?").memories


def test_a_memorys_time_is_when_it_was_said_so_an_old_history_keeps_its_order(memory: Memory):
    _import(memory, "old", datetime(2019, 5, 1, 9, tzinfo=UTC))
    hits = memory.search("old", "necklace from Sweden", top_k=1)
    # recency counts from the turn's own date (2019), not from the import
    assert hits[0].parts.recency < 0.01


def test_asking_150_questions_does_not_change_what_the_first_one_finds(memory: Memory):
    _import(memory, "u", datetime(2024, 1, 1, 12, tzinfo=UTC))
    first = "What does Melanie like to do in her free time?"
    before = [h.memory.memory_id for h in memory.search("u", first, top_k=10)]
    questions = [
        "painting",
        "adoption",
        "camping at the beach",
        "pottery bowls",
        "grandma necklace",
        "support group",
        "the game last night",
    ]
    for i in range(150):
        memory.search("u", questions[i % len(questions)], top_k=10)
        memory.context("u", questions[i % len(questions)])
    memory.flush()
    after = [h.memory.memory_id for h in memory.search("u", first, top_k=10)]
    assert after == before


def test_min_relevance_filters_search_and_rejects_values_outside_0_1(memory: Memory):
    from longmem import ValidationError

    _import(memory, "u", datetime(2024, 1, 1, 12, tzinfo=UTC))
    everything = memory.search("u", "pottery class", top_k=8)
    assert len(everything) == 8  # search ranks; it does not gate
    strong = memory.search("u", "pottery class", top_k=8, min_relevance=0.5)
    assert 1 <= len(strong) < 8 and all(h.parts.relevance >= 0.5 for h in strong)
    with pytest.raises(ValidationError):
        memory.search("u", "pottery class", min_relevance=1.5)


def test_dates_named_reads_the_common_ways_of_writing_a_day():
    assert dates_named("What did Paola cook on 22.01.2024?") == {date(2024, 1, 22)}
    assert dates_named("Where was Elise on 31 Dec 2023?") == {date(2023, 12, 31)}
    assert dates_named("naps on January 6 2024") == {date(2024, 1, 6)}
    assert dates_named("on the 10th of February 2024") == {date(2024, 2, 10)}
    assert dates_named("on 2024-03-05, and on 31.02.2024") == {date(2024, 3, 5)}
    assert dates_named("in 2024, sometime in May") == frozenset()
    # wordings no rule was written from
    assert dates_named("What happened on March 3rd, 2024?") == {date(2024, 3, 3)}
    assert dates_named("on Jan. 5, 2024 and the 21st of Sept 2023") == {
        date(2024, 1, 5),
        date(2023, 9, 21),
    }
    assert dates_named("Where was she on 3/14/2024?") == {date(2024, 3, 14)}


def test_speakers_named_by_any_part_of_their_name():
    speakers = {"Fahim Khan", "Muhhamed", "elise"}
    assert speakers_named("What are Fahim's hobbies?", speakers) == {"Fahim Khan"}
    assert speakers_named("Where does Elise study?", speakers) == {"elise"}
    assert speakers_named("What games do they play?", speakers) == frozenset()


def test_a_misspelt_name_stands_for_the_speaker_when_the_chat_never_uses_the_word():
    speakers = {"Fahim Khan", "Muhhamed", "Akib"}

    def never(word: str) -> bool:
        return False

    assert speakers_named("When did Muhammad start Fortnite?", speakers, never) == {"Muhhamed"}
    assert speakers_named("What video games did Aqib play?", speakers, never) == {"Akib"}
    # a word the conversation uses is its own word, however close to a name
    assert speakers_named("Did Akim call?", speakers, known=lambda w: True) == frozenset()
    # another first letter, or too short to tell: not a speaker
    assert speakers_named("Did Fakib or Kib call?", speakers, never) == frozenset()


def test_a_question_that_misspells_a_speaker_is_answered_as_if_spelt_right(memory: Memory):
    _import(memory, "chat", datetime(2024, 1, 1, 12, tzinfo=UTC))
    right = memory.search("chat", "What did Caroline research?", top_k=3)
    misspelt = memory.search("chat", "What did Carolyn research?", top_k=3)
    assert "adoption agencies" in misspelt[0].memory.content
    # the misspelling is not a word the chat never said, which would count against the question
    assert misspelt[0].parts.relevance == pytest.approx(right[0].parts.relevance, abs=0.05)


def test_a_restatement_on_a_later_day_is_taken_as_the_update_but_not_one_the_same_day():
    day = date(2025, 3, 1)
    said = {
        "rex": Statement("Sam", 1, changes=False, day=day),
        "bruno": Statement("Sam", 6, changes=False, day=day + timedelta(days=5)),
        "same-day": Statement("Sam", 2, changes=False, day=day),
        "other": Statement("Kim", 7, changes=False, day=day + timedelta(days=6)),
    }
    cosine = {"bruno": 0.64, "same-day": 0.64, "other": 0.9}
    rank = {"rex": 1.2, "bruno": 0.3, "same-day": 0.9, "other": 0.2}
    newer_first(rank, said, list(rank), 0.04, lambda a, b: cosine.get(b, 0.0))
    assert rank["bruno"] > rank["rex"]  # "We renamed the dog Bruno" after "My dog's called Rex"
    assert rank["same-day"] < rank["rex"]  # going on about it the same day is no update
    assert rank["other"] < rank["rex"]  # another speaker's turn updates nothing of Sam's


def test_a_marked_change_need_only_be_related_but_must_answer_nearly_as_well():
    day = date(2025, 3, 1)
    said = {
        "todoist": Statement(None, 1, changes=False, day=day),
        "notion": Statement(None, 6, changes=True, day=day + timedelta(days=5)),
        "weak": Statement(None, 8, changes=True, day=day + timedelta(days=7)),
    }
    rank = {"todoist": 1.1, "notion": 0.78, "weak": 0.3}
    newer_first(rank, said, list(rank), 0.04, lambda a, b: 0.31)
    assert rank["notion"] > rank["todoist"]
    assert rank["weak"] < rank["todoist"]


def test_for_the_askers_own_present_a_later_answer_about_the_same_thing_is_the_update():
    day = date(2025, 3, 1)
    said = {
        "mittens": Statement(None, 1, changes=False, day=day),
        "marmalade": Statement(None, 9, changes=False, day=day + timedelta(days=8)),
        "unrelated": Statement(None, 7, changes=False, day=day + timedelta(days=6)),
        "same-day": Statement(None, 2, changes=False, day=day),
    }
    # "We lost our old girl ... named her Marmalade" after "My old cat Mittens is 19": 0.29
    cosine = {"marmalade": 0.29, "unrelated": 0.12, "same-day": 0.29}
    rank = {"mittens": 1.0, "marmalade": 0.5, "unrelated": 0.9, "same-day": 0.8}
    as_a_third_party = dict(rank)
    newer_first(rank, said, list(rank), 0.04, lambda a, b: cosine.get(b, 0.0), about_self=True)
    assert rank["marmalade"] > rank["mittens"]
    assert rank["unrelated"] < rank["mittens"]  # answers it, but is about something else
    assert rank["same-day"] < rank["mittens"]  # more of the same, not what became of it
    newer_first(
        as_a_third_party, said, list(rank), 0.04, lambda a, b: cosine.get(b, 0.0)
    )  # "What is Sam's cat called?": REALTALK's questions, about what was said then
    assert as_a_third_party["marmalade"] < as_a_third_party["mittens"]


def test_what_replaced_a_message_rises_above_the_facts_extracted_from_it_too():
    day = date(2025, 3, 1)
    said = {
        "bristol-turn": Statement(None, 1, changes=False, day=day),
        "bristol-fact": Statement(None, 1, changes=False, day=day),  # "User lives in Bristol"
        "commute-fact": Statement(None, 1, changes=False, day=day),  # same message, other thing
        "cardiff": Statement(None, 5, changes=False, day=day + timedelta(days=4)),
    }
    # "the house in Cardiff is officially ours" for "which city do I live in?": 0.54 of the old
    # message's rank, a third of its fact's (lifted by the slot the question asks about)
    cosine = {"bristol-turn": 0.36, "bristol-fact": 0.40, "commute-fact": 0.05}
    rank = {"commute-fact": 1.6, "bristol-fact": 1.4, "bristol-turn": 0.76, "cardiff": 0.41}
    newer_first(rank, said, list(rank), 0.04, lambda a, b: cosine.get(a, 0.0), about_self=True)
    assert rank["cardiff"] > rank["bristol-fact"]
    assert rank["cardiff"] < rank["commute-fact"]  # a fact of the message about something else


def test_for_the_askers_own_present_a_marked_change_need_answer_it_only_a_little():
    day = date(2025, 3, 1)
    said = {
        "window": Statement(None, 1, changes=False, day=day),
        "aisle": Statement(None, 11, changes=True, day=day + timedelta(days=10)),
        "far": Statement(None, 9, changes=True, day=day + timedelta(days=8)),
        "faint": Statement(None, 7, changes=True, day=day + timedelta(days=6)),
    }
    # "I'm an aisle person now though" after "I always pick a window seat": 0.21 alike, and a
    # third of the old statement's rank for "what seat do I like on planes?"
    cosine = {"aisle": 0.21, "far": 0.12, "faint": 0.4}
    rank = {"window": 1.0, "aisle": 0.34, "far": 0.3, "faint": 0.1}
    as_a_third_party = dict(rank)
    newer_first(rank, said, list(rank), 0.04, lambda a, b: cosine.get(b, 0.0), about_self=True)
    assert rank["aisle"] > rank["window"]
    assert rank["far"] < rank["window"]  # a change, but of something else (MARKED_SELF_COSINE
    # lifts one that answers nearly as well: it cannot tell 0.12 from "the same thing")
    assert rank["faint"] < rank["window"]  # related, but it hardly answers the question
    newer_first(as_a_third_party, said, list(rank), 0.04, lambda a, b: cosine.get(b, 0.0))
    assert as_a_third_party["aisle"] < as_a_third_party["window"]


def test_for_the_askers_own_present_a_marked_change_that_answers_as_well_need_barely_relate():
    day = date(2025, 3, 1)
    said = {
        "student": Statement(None, 3, changes=False, day=day),
        "agency": Statement(None, 7, changes=True, day=day + timedelta(days=4)),
        "unmarked": Statement(None, 6, changes=False, day=day + timedelta(days=3)),
        "opposite": Statement(None, 8, changes=True, day=day + timedelta(days=5)),
    }
    # "graduated last month and started at a marketing agency" after "as a uni student ...":
    # 0.13 alike, and 0.59 of its rank for "am I still a student?"
    cosine = {"agency": 0.13, "unmarked": 0.13, "opposite": -0.05}
    rank = {"student": 0.85, "agency": 0.5, "unmarked": 0.6, "opposite": 0.55}
    as_a_third_party = dict(rank)
    newer_first(rank, said, list(rank), 0.04, lambda a, b: cosine.get(b, 0.0), about_self=True)
    assert rank["agency"] > rank["student"]
    assert rank["unmarked"] < rank["student"]  # no change said, and hardly alike
    assert rank["opposite"] < rank["student"]  # a change of something else altogether
    newer_first(as_a_third_party, said, list(rank), 0.04, lambda a, b: cosine.get(b, 0.0))
    assert as_a_third_party["agency"] < as_a_third_party["student"]


def test_before_and_once_ask_about_the_past_only_when_nothing_follows_that_they_time():
    assert asks_now("what do I do before bed?")
    assert asks_now("am I on call once a month?")
    assert asks_now("how often do I swim, once or twice a week?")
    assert not asks_now("which phone did I have before?")
    assert not asks_now("where was I working before that?")
    assert not asks_now("what car do I have before?")
    assert not asks_now("where did I live once?")


def test_asked_about_their_present_the_user_gets_the_later_answer_first(memory: Memory):
    start = datetime(2025, 5, 1, 9, tzinfo=UTC)
    said = [
        "my cat Mittens is nineteen and sleeps on the radiator all day",
        "what's a good marinade for tofu?",
        "Soy, maple, garlic and a little lime.",
        "we said goodbye to our old girl in spring. the kitten we brought home is called"
        " Pumpkin and she climbs everything",
    ]
    memory.add_turns(
        "owner",
        [
            {"content": text, "role": "assistant" if i == 2 else "user"}
            | {"timestamp": start + timedelta(days=i)}
            for i, text in enumerate(said)
        ],
    )
    # No word of change, and no fact extracted from it: the later answer to the user's
    # question about their present is what became of the earlier one.
    hits = memory.search("owner", "what is my cat called?", top_k=5)
    assert "Pumpkin" in hits[0].memory.content


def test_a_question_is_about_the_asker_when_it_speaks_of_me_my_we_or_our():
    assert asks_about_self("whats my cat called?", names_someone=False)
    assert asks_about_self("do we eat meat?", names_someone=False)
    assert asks_about_self("where do Alex and I live?", names_someone=False)
    # REALTALK's questions name the chat's people: about them, whatever else they say
    kevin = "What countries except the US has Kevin been to?"
    assert not asks_about_self(kevin, names_someone=True)
    assert not asks_about_self("Can we assume Akib likes hiking?", names_someone=True)
    assert not asks_about_self("What is the name of Emi's pet iguana?", names_someone=False)


def test_the_realtalk_benchmark_measures_longmem_and_both_baselines(settings: Settings):
    if not REALTALK.is_dir():
        pytest.skip("shared/data/realtalk is not beside the repository")
    conversations = realtalk.sliced(realtalk.load(REALTALK)[:1], 120)
    result = realtalk.run(conversations, settings, progress=False)
    assert result["turns"] == 120 and result["longmem"]["questions"] > 0
    for name in ("longmem", "bm25", "dense"):
        assert 0.0 <= result[name]["recall_at_1"] <= result[name]["recall_at_10"] <= 1.0
    # the full run's figures are in the README; a slice this small only shows it working
    assert result["longmem"]["recall_at_10"] > 0.4
    assert "| longmem search |" in realtalk.table(result)


def test_a_year_or_a_compound_said_in_two_words_is_no_word_the_user_never_said(memory: Memory):
    from longmem.core.text import compound_parts
    from longmem.synth import generate_conversation

    # Past 300 memories, a question word the user never said counts against the question
    # (familiarity). People write "snow fall" and ask about "snowfall"; nobody says the year.
    history = generate_conversation(
        seed=3, n_turns=400, n_planted=5, plant_window=50, n_contradictions=0, n_distractors=0
    ).turn_dicts()
    said = "We went across the river to Jersey and the snow fall over there was crazy"
    memory.add_turns("u", [*history, {"turn_number": 401, "role": "user", "content": said}])
    floor = memory.settings.relevance_floor
    for question in ("How heavy was the snowfall in Jersey?", "What happened in Jersey in 2023?"):
        best = memory.search("u", question, top_k=1)[0]
        assert best.memory.content == said
        assert best.parts.relevance >= floor, question
    assert compound_parts("snowfall") == (("snow", "fall"),)
    # parts under four letters would read too much in: "airline" is not "air" and "line"
    assert compound_parts("airline") == ()


def test_a_date_is_no_word_of_the_question():
    from longmem.core.when import without_dates

    assert without_dates("Where is Paola going on 19.01.2024?").split() == [
        "Where",
        "is",
        "Paola",
        "going",
        "on",
        "?",
    ]
    assert "2024" not in without_dates("naps on January 6 2024 and the 10th of February 2024")
