"""The newest fact wins, however the user words the change.

Each case is two turns of the same user, through the public API on a real store with the real
model and the offline extractor: after the second, no active memory holds what was replaced,
and one holds what replaced it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from longmem import Memory, MemoryStatus


def active_semantic(memory: Memory, user_id: str) -> list[str]:
    return [m.content for m in memory.list(user_id, kinds=["semantic"]).items]


@pytest.mark.parametrize(
    ("before", "after", "gone", "now"),
    [
        (
            "I live in Paris",
            "Actually I don't live in Paris anymore, I'm in Berlin now.",
            "User lives in Paris",
            "Berlin",
        ),
        ("I work at Google", "I just started a new job at Microsoft.", "Google", "Microsoft"),
        ("I'm vegetarian", "I'm not vegetarian anymore.", "User is vegetarian", "not vegetarian"),
        ("My favourite colour is blue", "My favourite colour is green now.", "blue", "green"),
        (
            "I love coffee",
            "I don't drink coffee anymore, I switched to tea.",
            "User loves coffee",
            "tea",
        ),
        ("Always answer in French", "Stop replying in French, use German.", "Always", "German"),
        ("I'm 34 years old", "I turned 35 today.", "34", "35"),
        ("I drive a Toyota", "I sold my Toyota and bought a Tesla.", "User drives", "Tesla"),
        ("I have a dog named Rex", "Rex passed away last week.", "has a dog", "Rex passed away"),
        (
            "I have a dog named Biscuit",
            "Our dog Biscuit died yesterday.",
            "has a dog",
            "Biscuit died",
        ),
        (
            "My grandfather lives in Leeds",
            "My grandfather died in March.",
            "lives in Leeds",
            "grandfather died",
        ),
        ("I'm married to John", "John and I got divorced.", "married", "divorced"),
        ("My boyfriend Sam is a chef", "I broke up with Sam.", "is a chef", "broke up"),
        (
            "I'm allergic to peanuts",
            "Turns out I'm not allergic to peanuts after all.",
            "User is allergic",
            "not allergic to peanuts",
        ),
        ("I hate mushrooms", "I actually like mushrooms now.", "hates", "likes mushrooms"),
        (
            "Please use bullet points",
            "No more bullet points please, write in prose.",
            "Please use bullet points",
            "prose",
        ),
        (
            "I'm training for the Berlin marathon in May",
            "I pulled out of the Berlin marathon.",
            "training",
            "pulled out",
        ),
        (
            "Keep your answers short please",
            "Actually, you can give me longer answers now, I'm on my laptop.",
            "short",
            "longer",
        ),
        (
            "I work as a teacher at Oakwood Primary.",
            "I no longer work at Oakwood, I'm at Riverside Academy now.",
            "User works at Oakwood",
            "Riverside Academy",
        ),
        (
            "I'm a software engineer at Spotify",
            "I left Spotify, I'm at Klarna now.",
            "works at Spotify",
            "Klarna",
        ),
        (
            "I'm training for a half marathon in October.",
            "I hurt my knee, so the half marathon is off.",
            "training",
            "is off",
        ),
        ("Call me Sam", "Don't call me Sam, call me Alex.", "Sam", "Alex"),
        (
            "Keep your answers short",
            "From now on give me detailed answers.",
            "short",
            "detailed",
        ),
        ("Never use emojis", "You can use emojis now, I don't mind.", "Never", "You can"),
        ("My landlord is Mr Harris", "We have a new landlord, Ms Chen.", "Harris", "Chen"),
        # a commitment reported done is closed
        ("I'll send the report on Friday", "I sent the report already.", "will send", "sent"),
        (
            "I need to renew my passport before June",
            "I've finally renewed my passport.",
            "need to renew",
            "renewed",
        ),
        (
            "I need to book a dentist appointment",
            "Booked the dentist appointment for Tuesday.",
            "need to book",
            "Booked",
        ),
    ],
)
def test_a_change_in_everyday_words_replaces_the_old_memory(
    memory: Memory, before: str, after: str, gone: str, now: str
):
    memory.add_turn("u", before, turn_number=1)
    result = memory.add_turn("u", after, turn_number=2)

    contents = active_semantic(memory, "u")
    assert not [c for c in contents if gone in c], contents
    assert [c for c in contents if now in c], contents
    superseded = [o for o in result.outcomes if o.decision.value == "SUPERSEDE"]
    assert superseded, result.outcomes
    old = memory.get("u", superseded[0].target_id)
    assert old.status is MemoryStatus.superseded


def test_where_the_user_works_does_not_replace_what_they_do(memory: Memory):
    memory.add_turn("u", "I work as a nurse", turn_number=1)
    memory.add_turn("u", "I work at St Mary's Hospital", turn_number=2)

    contents = active_semantic(memory, "u")
    assert any("nurse" in c for c in contents), contents
    assert any("St Mary's Hospital" in c for c in contents), contents


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("My favourite time of year is autumn", "I don't have time for the gym anymore."),
        ("My favourite phone brand is Nokia", "My phone died."),
        ("My favourite phone brand is Nokia", "My phone is off."),
        # a condition is not a reversal
        ("I love sushi", "I don't like sushi from supermarkets."),
        ("I love hiking", "I don't like hiking in the rain."),
        ("I always drink coffee in the morning", "I never drink coffee after 6pm."),
        # a trip is not a move
        ("I live in Leeds", "I left Leeds for the weekend."),
        # other people's facts are theirs
        ("Call me Sam", "My colleagues call me Sammy."),
        ("I live in Berlin", "My sister lives in Munich."),
        ("I'm allergic to peanuts", "My son is allergic to eggs."),
    ],
)
def test_a_remark_that_does_not_change_the_fact_replaces_nothing(
    memory: Memory, before: str, after: str
):
    kept = memory.add_turn("u", before, turn_number=1).outcomes[0].memory_id
    memory.add_turn("u", after, turn_number=2)

    assert memory.get("u", kept).status is MemoryStatus.active


def test_a_deed_that_fulfils_no_commitment_is_not_kept_as_a_fact(memory: Memory):
    memory.add_turn("u", "I need to call the plumber by Friday", turn_number=1)
    result = memory.add_turn("u", "I called the dentist this morning.", turn_number=2)

    assert [o.decision.value for o in result.outcomes] == ["NOOP"]
    assert active_semantic(memory, "u") == ["User needs to call the plumber by Friday"]


@pytest.mark.parametrize(
    "change", ["I'm no longer allergic to peanuts.", "My peanut allergy is gone."]
)
def test_an_allergy_that_ended_replaces_that_allergy_and_no_other(memory: Memory, change: str):
    memory.add_turn("u", "I'm allergic to peanuts", turn_number=1)
    memory.add_turn("u", "I'm allergic to shellfish", turn_number=2)
    memory.add_turn("u", change, turn_number=3)

    contents = active_semantic(memory, "u")
    assert "User is allergic to shellfish" in contents
    assert "User is allergic to peanuts" not in contents
    assert not [c for c in contents if c.startswith("Instruction")], contents


def test_a_deed_denied_closes_nothing(memory: Memory):
    memory.add_turn("u", "I have to do the report by Friday", turn_number=1)
    memory.add_turn("u", "I didn't do the report.", turn_number=2)

    assert active_semantic(memory, "u") == ["User has to do the report by Friday"]


def test_what_the_user_does_not_eat_adds_to_their_diet(memory: Memory):
    memory.add_turn("u", "I'm vegetarian.", turn_number=1)
    memory.add_turn("u", "I don't eat fish either.", turn_number=2)

    assert set(active_semantic(memory, "u")) == {
        "User is vegetarian",
        "User does not eat fish either",
    }


# Changes that name neither a slot the extractor knows nor the value replaced: the statement
# changed is found by meaning (the nearest earlier statement of the same speaker).
@pytest.mark.parametrize(
    ("before", "after", "question", "old", "new"),
    [
        (
            "My phone is a Samsung.",
            "I've moved over to a Fairphone.",
            "what phone do I use?",
            "Samsung",
            "Fairphone",
        ),
        (
            "I work from home, it's so quiet.",
            "I'm back in the office three days a week now.",
            "where do I work from?",
            "home",
            "office",
        ),
        (
            "I'm not seeing anyone at the moment.",
            "Big news, Sam and I got engaged!",
            "am I in a relationship?",
            "not seeing anyone",
            "engaged",
        ),
    ],
)
def test_a_change_found_by_meaning_ranks_the_new_value_first(
    memory: Memory, before: str, after: str, question: str, old: str, new: str
):
    memory.add_turn("u", before, turn_number=1)
    memory.add_turn("u", "Did you see the match last night? What a finish.", turn_number=2)
    memory.add_turn("u", after, turn_number=3)

    texts = [h.memory.content for h in memory.search("u", question, top_k=5)]
    first_new = next(i for i, t in enumerate(texts) if new in t)
    assert all(new in t for t in texts[: first_new + 1]), texts
    assert not [t for t in active_semantic(memory, "u") if old in t and new not in t]


def test_a_change_never_outdates_what_another_speaker_said(memory: Memory):
    memory.add_turns(
        "chat",
        [
            {"speaker": "Ana", "content": "My phone is a Samsung."},
            {"speaker": "Ben", "content": "I've moved over to a Fairphone."},
        ],
    )
    said = memory.list("chat", kinds=["episodic"]).items
    assert all(m.valid_to_turn is None for m in said)
    assert all(m.status is MemoryStatus.active for m in memory.list("chat").items)


def test_a_change_found_by_meaning_is_linked_when_extraction_runs_later(memory: Memory):
    turns = ["My phone is a Samsung.", "Did you see the match?", "I've moved over to a Fairphone."]
    for number, text in enumerate(turns, start=1):
        memory.add_turn("u", text, turn_number=number, extract=False)
    for number in (1, 2, 3):
        memory.extract_turn("u", number)

    (said,) = [m for m in memory.list("u", kinds=["episodic"]).items if m.valid_to_turn]
    assert said.content == "My phone is a Samsung." and said.valid_to_turn == 3
    first = memory.search("u", "what phone do I use?", top_k=3)[0]
    assert "Fairphone" in first.memory.content


@pytest.mark.parametrize(
    ("before", "after", "question", "holds", "remark"),
    [
        # someone else's news
        (
            "I use a Pixel 7 and love the camera.",
            "My brother just got an iPhone 15 and keeps sending me photos of it.",
            "what phone do I use now?",
            "Pixel",
            "iPhone",
        ),
        # wished for, long past, for a while
        (
            "I drive a Skoda Octavia.",
            "If I won the lottery I'd buy a Porsche tomorrow.",
            "what car do I drive these days?",
            "Skoda",
            "Porsche",
        ),
        (
            "I'm a nurse on the children's ward.",
            "Back when I was a barista I never got weekends off.",
            "what do I do for work these days?",
            "nurse",
            "barista",
        ),
        (
            "I live in Glasgow, near the park.",
            "So excited, we're visiting Lisbon for two weeks in June.",
            "where do I live now?",
            "Glasgow",
            "Lisbon",
        ),
        (
            "My laptop is a Dell XPS.",
            "Work lent us a MacBook for the trip next week.",
            "what laptop do I use now?",
            "Dell",
            "MacBook",
        ),
        # a question states nothing
        (
            "I take the train to work every morning.",
            "whats the safest way to cycle to the city centre",
            "how do I get to work now?",
            "train",
            "cycle",
        ),
        (
            "I work at KPMG as an auditor and busy season is brutal",
            "Deloitte offered me a manager role last week but I turned it down",
            "where do I work?",
            "KPMG",
            "Deloitte",
        ),
    ],
)
def test_a_later_remark_that_is_not_the_users_lasting_news_ranks_below_what_still_holds(
    memory: Memory, before: str, after: str, question: str, holds: str, remark: str
):
    """Days apart, a later statement that answers a question about the user's present as well
    as an earlier one is taken as what became of it; these are not."""
    _first_above(memory, [before, after], question, holds, remark)


@pytest.mark.parametrize(
    ("before", "after", "question", "old", "new"),
    [
        (
            "I usually go to sleep around 1am after scrolling my phone for hours",
            "phone stays in the kitchen now, lights out by 10:30. week three and I feel human",
            "what time do I go to bed?",
            "1am",
            "10:30",
        ),
        (
            "my longest run so far is 5k, any tips for going further?",
            "crossed the finish line of the Bath half marathon in 2:05, still buzzing",
            "what's the longest race I've run?",
            "5k",
            "half marathon",
        ),
    ],
)
def test_a_later_state_told_in_other_words_than_the_question_ranks_above_the_old_one(
    memory: Memory, before: str, after: str, question: str, old: str, new: str
):
    """Days apart, an implicit change answers the question about the user's present only a
    third as well as the statement it replaced (ranking.SELF_SHARE): still what became of it."""
    _first_above(memory, [before, after], question, new, old)


def _first_above(memory: Memory, said: list[str], question: str, first: str, other: str) -> None:
    """`said[0]`, two unrelated questions and `said[1]`, a day apart each: the first hit
    holding `first` ranks above every hit holding `other`."""
    start = datetime(2025, 3, 1, 9, tzinfo=UTC)
    turns = [
        said[0],
        "Any tips for keeping basil alive?",
        "What's a good film for a rainy day?",
        said[1],
    ]
    memory.add_turns(
        "u", [{"content": t, "timestamp": start + timedelta(days=d)} for d, t in enumerate(turns)]
    )

    texts = [h.memory.content for h in memory.search("u", question, top_k=5)]
    at = next(i for i, t in enumerate(texts) if first in t)
    assert not [t for t in texts[:at] if other in t], texts


@pytest.mark.parametrize(
    ("before", "after", "question", "holds", "remark"),
    [
        (
            "I brew my coffee in a moka pot every morning, but it tastes a bit burnt.",
            "funny, back in uni our flat had one of those Nespresso machines and we went through"
            " so many coffee pods.",
            "how do I make my coffee at home?",
            "moka",
            "Nespresso",
        ),
        (
            "we've got three boys under ten so the house is never quiet, any tips for a calmer"
            " bedtime?",
            "my neighbour just had triplets, what's a useful gift for a family with three"
            " newborns?",
            "how many children do I have?",
            "three boys",
            "triplets",
        ),
        (
            "I work from home and my back hurts, is a laptop stand worth it?",
            "my husband's company made him work from the office five days a week",
            "where do I work from?",
            "from home",
            "office",
        ),
    ],
)
def test_a_remark_that_is_no_news_of_the_users_present_ranks_below_what_holds_for_them(
    memory: Memory, before: str, after: str, question: str, holds: str, remark: str
):
    """The remark shares more of the question's words than the statement in passing does;
    for a question about the user's own present, it is someone else's news or long past."""
    start = datetime(2025, 3, 1, 9, tzinfo=UTC)
    turns = [before, "Any tips for keeping basil alive?", after]
    memory.add_turns(
        "u", [{"content": t, "timestamp": start + timedelta(days=d)} for d, t in enumerate(turns)]
    )

    texts = [h.memory.content for h in memory.search("u", question, top_k=5)]
    assert holds in texts[0], texts
