"""Whose news a sentence is (core.subject): what may replace an earlier statement."""

from __future__ import annotations

import pytest

from longmem.core.change import states_change
from longmem.core.subject import (
    about_speaker,
    asks,
    asks_about_someone,
    lasting,
    people_asked,
    statements,
)


@pytest.mark.parametrize(
    "sentence",
    [
        "I switched to a Fairphone",
        "my phone is a Pixel now",
        "my wife and I moved to Leeds",
        "me and my husband are vegan now",
        "work called us back to the office three days a week",
        "covered a shift for a colleague on tuesday",  # the subject dropped, as chat does
        "my niece got me into fantasy, I'm halfway through the first book",
        # the speaker the subject of what follows from another's act
        "physio banned running so I've bought a road bike",
        "the baby changed everything — I'm up at 5am now",
        "my partner's been sneaking cilantro into stuff and now I actually crave it",
        "My daughter had her baby on Friday, a little boy, and I'm a grandma!!!",
        "my sister dragged me to a pottery class and I'm hooked",
    ],
)
def test_the_speaker_or_their_things_are_the_subject(sentence: str):
    assert about_speaker(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "my dad just got a OnePlus 12",
        "my best friend just moved to Austin",
        "she keeps sending me memes",
        "everyone keeps asking about the wedding",
        "mum says the new kettle is great",
        "my dad's a lifelong Everton fan",
        "the kids keep begging for a hamster, not happening lol",
        "a coworker of mine just got a Tesla",
        # the speaker only in a later clause, or only told something
        "my dad just got a OnePlus 12 and now he sends me 40 pics a day",
        "my mum keeps telling me to get an iPhone",
        "my boss wants me back in the office",
        # a first person further in is not what the sentence is about
        "my sister just got the iPhone 15 Pro and she keeps airdropping me memes i cant even open",
        "my in-laws still pay for Hulu and I binged half a season",
        "my girlfriend reads on her Kindle and honestly it's the same vibe, we read side by side",
        # an outing another person took the speaker on
        "my cousin dragged me to a salsa night, not my thing",
        "a friend took me to a whisky tasting yesterday",
    ],
)
def test_another_person_as_the_subject_is_their_news(sentence: str):
    assert not about_speaker(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "My doctor upped my sertraline from 50mg to 100mg last week.",
        "doctor switched me to bupropion, more energy so far",
        "they made me head chef when Marco left!!!!",
        "so they made me store manager!!",  # the first clause with words in it
        "my mum got me a Kindle for my birthday",
    ],
)
def test_what_another_person_does_to_the_speaker_is_the_speakers_news(sentence: str):
    assert about_speaker(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "whats a good lunch I can make in 10 mins",
        "how do i get my toddler to eat veg",
        "can u suggest a name for a book club",
        "thanks! any tips?",
        "is it worth upgrading the RAM",
    ],
)
def test_questions_and_requests_ask(sentence: str):
    assert asks(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "did my 10th parkrun on Saturday",  # "did" before no subject: the subject dropped
        "i use firefox and youtube keeps buffering, any fixes?",  # states first, then asks
        "my laptop is getting sluggish",
    ],
)
def test_news_with_a_question_in_it_is_not_only_asking(sentence: str):
    assert not asks(sentence)


@pytest.mark.parametrize(
    ("sentence", "lasts"),
    [
        ("I'm vegan now", True),
        ("been doing keto for 3 weeks now", True),
        ("from next month I'm in the office every day", True),
        ("if I won the lottery I'd buy a Porsche", False),
        ("my dream is to retire to Hobart one day", False),
        ("back when I was an accountant I never had time", False),
        ("I grew up in Halifax", False),
        ("we're visiting Lisbon for two weeks", False),
        ("staying in a cabin for 4 nights", False),
        # a conditional that states or hedges a present stance, and staying up late, last
        ("weirdly I'd rather just ring people now", True),
        ("honestly i'd call myself vegetarian now", True),
        ("I've gotten into astrophotography, staying up till 2am shooting the milky way", True),
        # offered and declined, only thought of, or once
        ("an agency offered me a staff job last week but i turned it down", False),
        ("my mate wants me to switch to android, not happening", False),
        ("thinking about getting a 3d printer at some point", False),
        ("covered a shift at the cafe, just this once", False),
        ("the physio said no running so I'm swimming now", True),  # someone else's "no"
        ("tempting but i passed, i like my freedom", False),
        ("I passed my driving test on the second go", True),
    ],
)
def test_what_is_wished_long_past_or_for_a_while_does_not_last(sentence: str, lasts: bool):
    assert lasting(sentence) is lasts


def test_a_turns_own_statements_leave_out_questions_and_other_peoples_news():
    turn = "my sister just moved to Oslo. I started a new job too! whats a good housewarming gift"
    assert statements(turn) == ("I started a new job too!",)
    assert statements(turn, own=False) == (
        "my sister just moved to Oslo.",
        "I started a new job too!",
    )


def test_a_change_counts_only_in_the_speakers_own_news_when_asked():
    remark = "my dad just switched to an iPhone"
    assert states_change(remark, "user") and not states_change(remark, "user", own=True)
    assert states_change("I switched to an iPhone", "user", own=True)


@pytest.mark.parametrize(
    ("sentence", "own_change"),
    [
        ("my best friend just moved to Toronto for work and I'm gutted", False),
        ("my sister switched to a Pixel, I'm still on my iPhone", False),
        ("my phone died so I switched to a Pixel", True),
        ("me and my husband are vegan now", True),  # a compound subject is one clause
        ("the boss moved me to the night shift", True),
    ],
)
def test_a_change_is_the_speakers_only_in_a_clause_of_theirs(sentence: str, own_change: bool):
    assert states_change(sentence, "user")  # the sentence speaks of the speaker and marks a change
    assert states_change(sentence, "user", own=True) is own_change


@pytest.mark.parametrize(
    ("question", "about"),
    [
        ("where is my son living now?", True),
        ("how many kids do I have?", True),
        ("what do we call our cat?", True),
        ("who shares my flat?", True),
        ("what phone do I have?", False),
        ("where do I live?", False),
    ],
)
def test_a_question_about_people_or_pets_is_answered_by_their_news(question: str, about: bool):
    assert asks_about_someone(question) is about


@pytest.mark.parametrize(
    ("question", "people"),
    [
        ("how many kids do I have?", {"kid"}),
        ("where is my son living now?", {"kid"}),  # a son answers for the kids, and so on
        ("what do we call our cats?", {"pet"}),
        ("how often do I see my parents?", {"mother"}),
        ("who am I married to?", set()),
        ("what phone do I have?", set()),
    ],
)
def test_a_question_names_the_people_it_asks_about_by_kind(question: str, people: set[str]):
    assert people_asked(question) == people


@pytest.mark.parametrize(
    ("sentence", "news"),
    [
        ("our baby girl arrived on tuesday, 7lbs 3oz", True),
        ("my daughter moved back home after uni", True),
        ("he graduated and moved back home while he job hunts", True),  # "he" may be the son
        ("my best friend just had twins", False),
        ("my neighbour just had triplets, what a week for them", False),
        ("the boss's kids are at Eton", False),
    ],
)
def test_news_of_the_people_a_question_asks_about_answers_it_and_no_one_elses(
    sentence: str, news: bool
):
    kids = people_asked("how many kids do I have?")
    assert about_speaker(sentence, kids) is news
    assert not about_speaker("my best friend just had twins")  # without the question's people
