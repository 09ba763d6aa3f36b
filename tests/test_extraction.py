"""The offline extractor: what a sentence yields, and what it must not."""

from __future__ import annotations

import random
import string

import pytest

from longmem.extraction import OfflineExtractor
from longmem.extraction.person import third_person
from longmem.models import MemoryType

extract = OfflineExtractor().extract


def slots(text: str) -> list[tuple[str, str | None, str | None]]:
    return [(c.type.value, c.slot, c.value) for c in extract(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I live in Lisbon", ("fact", "home", "Lisbon")),
        ("We finally moved from Lisbon to Oslo last week", ("fact", "home", "Oslo")),
        ("I grew up in Savannah, a world away from here.", ("fact", "origin", "Savannah")),
        ("My name is Maya Singh", ("fact", "name", "Maya Singh")),
        (
            "I work as an architect, which is why my weeks are chaotic.",
            ("fact", "job", "architect"),
        ),
        ("I'm allergic to peanuts", ("fact", "allergy", "peanuts")),
        ("Just so you know, I'm vegan.", ("fact", "diet", "vegan")),
        ("My birthday is the 11th of February", ("fact", "birthday", "the 11th of February")),
        ("I'm 34", ("fact", "age", "34")),
        ("My dog is called Biscuit", ("fact", "pet", "dog Biscuit")),
        ("I speak Portuguese fluently", ("fact", "language", "Portuguese")),
        ("My sister Ana lives in Porto", ("fact", "family", "sister")),
        ("Hi! I'm Dana, I live in Lyon", ("fact", "name", "Dana")),
        ("I live in Lyon and work as a pharmacist.", ("fact", "job", "pharmacist")),
        ("I just started a new job at Siemens", ("fact", "employer", "Siemens")),
        ("I turned 35 last week", ("fact", "age", "35")),
        ("I'm a software engineer at Spotify", ("fact", "employer", "Spotify")),
        ("Our cat Mochi is due a check-up", ("fact", "pet", "cat")),
    ],
)
def test_personal_facts_fill_their_slot(text, expected):
    assert expected in slots(text)


@pytest.mark.parametrize(
    ("text", "slot", "value", "negated"),
    [
        ("I love espresso and prefer dark roast coffee", "pref:espresso", "espresso", False),
        ("My favourite band is Radiohead", "pref:band", "radiohead", False),
        ("I can't stand horror movies", "pref:movies", "horror movies", True),
        ("Honestly I've gone off coffee, I drink green tea now", "pref:coffee", "coffee", True),
        ("I'm a huge Bayern Munich fan", "pref:munich", "bayern munich", False),
    ],
)
def test_likes_and_dislikes_become_preferences(text, slot, value, negated):
    (candidate,) = [c for c in extract(text) if c.type is MemoryType.preference]
    assert (candidate.slot, candidate.value.lower(), candidate.negated) == (slot, value, negated)


@pytest.mark.parametrize(
    "text",
    [
        "I'll send the report on Friday",
        "Remind me to call the dentist tomorrow",
        "I promised Callum I'd help him move house on Thursday",
        "I need to renew my passport before March",
        "Goal for this year: put away 1,500 before next spring.",
    ],
)
def test_plans_and_promises_become_commitments(text):
    assert [c.type for c in extract(text)] == [MemoryType.commitment]


@pytest.mark.parametrize(
    ("text", "slot"),
    [
        ("Always answer in French", "instr:language"),
        ("From now on, please answer me in Greek, I want to practise.", "instr:language"),
        ("Please keep your replies short", "instr:length"),
        ("Please give me answers as bullet points, I skim everything.", "instr:format"),
        ("Please never use emoji when you answer me", "instr:tone"),
        ("Call me Sam", "instr:address"),
        ("You can give me longer answers now, I'm on my laptop.", "instr:length"),
        ("Write dates as day/month/year, the other way confuses me.", None),
    ],
)
def test_standing_instructions_are_recognised(text, slot):
    (candidate,) = extract(text)
    assert candidate.type is MemoryType.instruction
    assert candidate.slot == slot


@pytest.mark.parametrize(
    ("text", "slot", "name"),
    [
        ("My manager is Sarah Chen", "rel:manager", "Sarah Chen"),
        ("Dr. Patel is my dentist", "rel:dentist", "Dr. Patel"),
        ("Freya is the plumber I always call", "rel:plumber", "Freya"),
        ("My best friend Kofi and I go way back", "rel:friend:kofi", "Kofi"),
        ("We have a new landlord, Ms Chen.", "rel:landlord", "Ms Chen"),
    ],
)
def test_people_tied_to_the_user_become_entities(text, slot, name):
    (candidate,) = [c for c in extract(text) if c.type is MemoryType.entity]
    assert (candidate.slot, candidate.value) == (slot, name)


@pytest.mark.parametrize(
    "text",
    [
        "What's the weather like in Paris today?",
        "Can you explain compound interest simply?",
        "How do I get rust off old hand tools",
        "haha thanks, sounds great",
        "Good morning!",
        "translate this into French",
        "Write me a poem about autumn",
        "If I lived in Paris I would eat croissants every day",
        "if i ever bought a nintendo switch it'd only be for zelda tbh",
        "My friend said she loves sushi",
        "Explain volcanoes to me like I'm ten.",
        # how the user feels right now, and a nationality, are not a name
        "I'm back!",
        "I'm so tired today",
        "I'm running late",
        # reactions to the conversation and goodbyes are not tastes or plans
        "I love how you explained that!",
        "I prefer not to talk about it.",
        "I need to think about it.",
        "I have to go now, bye!",
    ],
)
def test_questions_requests_chit_chat_and_hypotheticals_yield_nothing(text):
    assert extract(text) == []


def test_assistant_turns_yield_nothing():
    assert extract("You live in Lisbon, right? I love that city.", role="assistant") == []


def test_a_correction_names_the_value_it_replaces():
    (candidate,) = extract("New job, new stack: show me TypeScript instead of Ruby from now on.")
    assert candidate.type is MemoryType.instruction and candidate.replaces == "ruby"
    (fact,) = extract("I finally ditched Windows 11, my new machine runs Linux.")
    assert fact.replaces == "windows 11"
    (switched,) = extract("Forget plain prose, from now on I'd prefer bullet points.")
    assert switched.type is MemoryType.instruction and switched.replaces == "plain prose"


def test_forgetting_something_is_not_always_a_correction():
    assert all(
        c.replaces is None for c in extract("Don't forget the tickets, they're on the desk.")
    )
    assert extract("Forget it, from now on I'll do it myself.") == []
    assert extract("Forget about it.") == []


def test_hedged_statements_fall_below_the_default_threshold():
    assert extract("I think I like jazz") == []
    (hedged,) = OfflineExtractor(confidence_threshold=0.5).extract("I think I like jazz")
    assert hedged.confidence < extract("I like jazz")[0].confidence


def test_one_turn_can_state_several_facts():
    found = slots("I live in Lisbon and I work as a nurse")
    assert ("fact", "home", "Lisbon") in found and ("fact", "job", "nurse") in found


def test_memories_read_as_statements_about_the_user():
    assert third_person("I love espresso") == "User loves espresso"
    assert extract("I drive a Tesla")[0].content == "User drives a Tesla"
    assert third_person("My sister Ana lives in Porto") == "The user's sister Ana lives in Porto"


@pytest.mark.parametrize(
    ("said", "stored"),
    [
        (
            "I love espresso and prefer dark roast coffee",
            "User loves espresso and prefers dark roast coffee",
        ),
        (
            "I really love hiking and never miss a weekend",
            "User really loves hiking and never misses a weekend",
        ),
        ("I am allergic to my cat", "User is allergic to their cat"),
        ("I have two kids and do not drive", "User has two kids and does not drive"),
        ("I promised Callum I would help", "User promised Callum the user would help"),
        ("I quit my job and went to Paris", "User quit their job and went to Paris"),
        ("I need a new laptop", "User needs a new laptop"),
        ("I love to cook and eat", "User loves to cook and eat"),
        (
            "My dentist, Dr Whitfield, says I grind my teeth at night.",
            "The user's dentist, Dr Whitfield, says the user grinds their teeth at night",
        ),
        (
            "Remind me later: I owe Tamsin a call",
            "Remind the user later: the user owes Tamsin a call",
        ),
        ("I study French and Mia teaches me", "User studies French and Mia teaches the user"),
        ("Mia and I are old friends", "Mia and the user are old friends"),
        ("My sister and I have a dog", "The user's sister and the user have a dog"),
        ("I love tea and I prefer green", "User loves tea and the user prefers green"),
        # irregular verbs come from the lemmatiser, not from a word list
        ("I sold my Toyota and bought a Tesla", "User sold their Toyota and bought a Tesla"),
        ("I fly to Oslo and teach there", "User flies to Oslo and teaches there"),
        ("I swam a mile and ate lunch", "User swam a mile and ate lunch"),
        ("I go to the gym and swim", "User goes to the gym and swims"),
        ("Our cat Mochi is due a check-up", "The user's cat Mochi is due a check-up"),
        ("I was in the garden and am now reading", "User was in the garden and is now reading"),
        # an adverb between the subject and its verb is no verb
        ("I probably drink too much coffee", "User probably drinks too much coffee"),
        ("If I ever get a dog", "If the user ever gets a dog"),
    ],
)
def test_third_person_keeps_the_grammar_of_what_was_said(said: str, stored: str):
    assert third_person(said) == stored


def test_arbitrary_text_never_raises():
    rng = random.Random(7)
    alphabet = string.printable + "éßø’“”🙂"
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 300)))
        assert isinstance(extract(text), list)
    long_text = "I love hiking in the mountains and I live in Bergen. " * 400
    assert ("fact", "home", "Bergen") in slots(long_text)


def test_a_nationality_or_a_mood_after_i_am_is_not_a_name():
    assert not [c for c in extract("I'm French, so keep it metric.") if c.slot == "name"]
    assert not [c for c in extract("I'm Sorry, I forgot") if c.slot == "name"]


def test_a_fact_inside_a_long_run_on_text_is_still_found():
    # A transcript without punctuation is read in windows, not as one 3,000-character sentence.
    filler = "and then we talked about the weather for a while " * 30
    text = f"{filler}I live in Lisbon {filler}"
    assert len(text) > 2_500
    assert ("fact", "home", "Lisbon") in slots(text)


def test_a_student_at_a_university_is_not_employed_there():
    assert ("fact", "employer", "Oxford") not in slots("I am a student at Oxford")


def test_no_longer_is_not_a_request_for_longer_answers():
    (candidate,) = extract("I'm no longer allergic to peanuts.")
    assert candidate.type is MemoryType.fact
    assert (candidate.slot, candidate.value, candidate.negated) == ("allergy", "peanuts", True)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Stop replying in French, use German.", "German"),
        ("I don't really like long answers anymore, keep them short.", "short"),
        ("Keep answers short, not long.", "short"),
        ("No more bullet points please, write in prose.", "prose"),
    ],
)
def test_an_instruction_keeps_the_value_asked_for_not_the_one_refused(text: str, value: str):
    (candidate,) = extract(text)
    assert candidate.type is MemoryType.instruction
    assert candidate.value == value


def test_not_working_somewhere_is_not_an_employer():
    assert not [c for c in extract("I don't work at Google.") if c.slot == "employer"]
    assert not [c for c in extract("I no longer work at Oakwood.") if c.slot == "employer"]


@pytest.mark.parametrize(
    "text",
    [
        "always keep your answers under 100 words",
        "please stop apologising so much",
        "keep answers short and skip the pleasantries",
        "use metric units with me",
        "don't suggest recipes with peanuts, ever",
        "whenever I ask about code, use Python",
        "address me informally",
        "Talk to me like a friend, not a textbook.",
        "Could you stop using so many exclamation marks?",
        "Keep it brief.",
        "I'd like you to reply in French going forward.",
        "Stick to British spelling.",
        "Assume I'm a beginner when you explain things.",
        "Don't be formal with me, but keep it detailed.",
        "Don't be formal, but I want detail in every reply",
        "I'm vegetarian now, so from now on no meat recipes please",
        "don't laugh, but I'd like you to answer in French from now on",
    ],
)
def test_a_standing_instruction_says_how_to_behave_from_now_on(text):
    assert [c.type for c in extract(text)] == [MemoryType.instruction]


@pytest.mark.parametrize(
    "text",
    [
        "give me three tips about keeping basil alive",
        "write a short poem about my cat",
        "explain how mortgages work",
        "help me draft an email to my landlord",
        "list five podcasts about history",
        # "always" and "never" inside the work asked for make nothing standing
        "explain why cats always land on their feet",
        "give me a recipe I'll never forget",
        "Write a haiku that never mentions the moon.",
        "Keep this paragraph under 50 words and fix the grammar.",
        "Use these notes to write a cover letter.",
        "Explain what happens when you boil water",
        "Every time I go running I get blisters",
    ],
)
def test_a_one_off_request_is_never_an_instruction(text):
    assert MemoryType.instruction not in [c.type for c in extract(text)]


@pytest.mark.parametrize(
    "text",
    [
        # typed as people text: "u" and "pls" ask as "you" and "please" do
        "can u always cite sources when u give me facts",
        "pls never bring up my weight again",
        "i use she/her, pls remember that whenever u refer to me",
        # "every time" closing what is asked of the assistant
        "put all code in markdown blocks pls, every time",
        "could you get straight to the point every time",
        # "ur" as "your"
        "pls keep ur replies to a paragraph",
        # a reason, then "so" and the order
        "im diabetic so never suggest desserts with loads of sugar",
        # what the assistant gives, named as a whole
        "finish every reply with one follow-up question",
        "two bullet points max per answer",
        "i'm pescatarian, no chicken or beef in any recipes u send me",
        "i'm skint so keep anything you suggest under 20 quid",
        # a condition on what is asked, its main clause unmarked
        "when you write sql use uppercase keywords",
        "if i ask about running, remember i have a weak left ankle",
        "whenever i paste an error just tell me the fix first",
        # the time marker first, or after the order
        "going forward answer in the language i write in",
        "explain maths to me step by step from now on, i'm rusty",
        # one form against another, no verb
        "kg not lbs please",
        "uk spelling only",
        "fahrenheit pls, im in texas",
        # a scope over what the assistant gives, and a form and what it should be
        "Remember I'm new to finance, so spell out any term you use.",
        "Temperatures should be in celsius for me, not fahrenheit.",
        # the pronouns to use, as a pair
        "fyi i use he/him",
        # a reason, then the replies as the order's object, or "so" and the order
        "im allergic to sesame so no sesame in any recipes thx",
        "i live in a tiny flat so stop suggesting anything that needs a garden",
        # asked politely, in a conditional that supposes nothing
        "if you could keep replies short that'd be great",
        "it would be nice if u always gave the source at the end",
        "i'd love it if you never used the word 'delve'",
        # an order after a dash, a stop said as no longer needed, a chat spelling of the marker
        "sorry one more thing - never put raisins in any recipe, i hate them",
        "you don't have to explain the basics any more, I've been coding for years",
        "going fwd pls give distances in km",
        # the form of the replies named as the user's preference
        "my preference for replies is bullet points, not paragraphs",
    ],
)
def test_an_instruction_typed_casually_is_still_an_instruction(text):
    assert MemoryType.instruction in [c.type for c in extract(text)]


@pytest.mark.parametrize(
    "text",
    [
        "my bus is late literally every time",
        "it crashes every time, so annoying",
        "I cry every time.",
        "can u make me a beginner plan for this week",
    ],
)
def test_every_time_and_u_alone_ask_nothing_standing(text):
    assert MemoryType.instruction not in [c.type for c in extract(text)]


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("call me crazy but pineapple on pizza slaps", []),
        ("Call me old-fashioned, but I still like paper maps", ["User still likes paper maps"]),
        ("call me crazy, but please always answer in french", ["please always answer in french"]),
        # a name asked for keeps its capital
        ("Call me Sam, but never Sammy", ["Call the user Sam"]),
    ],
)
def test_call_me_crazy_but_is_a_figure_of_speech_not_a_name(text, kept):
    found = [c.content.removeprefix("Instruction: ") for c in extract(text)]
    assert found == kept


def test_a_capital_u_in_a_name_is_no_you():
    found = [c.content for c in extract("I moved to the U.S. last year for a U-turn in my career")]
    assert found and all("you" not in c.lower().split() for c in found)


@pytest.mark.parametrize(
    "text",
    [
        "don't laugh but I do 5-minute cold showers now",
        "Do not judge me, but I ate a whole pizza last night",
        "don't hate me but we're getting a second cat",
    ],
)
def test_a_hedge_before_the_users_own_news_is_no_instruction(text):
    # said once in passing, it must not go into every prompt from now on
    assert MemoryType.instruction not in [c.type for c in extract(text)]


@pytest.mark.parametrize(
    "text",
    [
        "convert 350 fahrenheit to celsius",
        "write a short funny poem about my cat knocking things off the table",
        "could you write a limerick about a forgetful goldfish",
    ],
)
def test_work_asked_for_says_nothing_about_the_user(text):
    assert extract(text) == []


def test_a_reminder_asked_for_is_still_a_plan_and_a_name_still_a_fact():
    assert [c.type for c in extract("Remind me to call the dentist tomorrow")] == [
        MemoryType.commitment
    ]
    assert [c.slot for c in extract("Name's Priya but everyone calls me Pri")] == ["name"]


@pytest.mark.parametrize(
    ("text", "age"),
    [
        ("I'm 68 and still driving my old Toyota", "68"),
        ("I'm 55, no grandkids yet", "55"),
        ("I'm 16 btw. what's a good first job?", "16"),
        ("I am 42 years old", "42"),
        # a manner of explaining and a measure are no age
        ("explain the offside rule like I'm 5", None),
        ("Had LASIK last month and I'm 20/20 now", None),
        ("I'm 85 kg and trying to get under 80", None),
    ],
)
def test_an_age_is_a_number_the_speaker_is_not_a_measure_or_a_manner(text, age):
    found = [c.value for c in extract(text) if c.slot == "age"]
    assert found == ([age] if age else [])


@pytest.mark.parametrize(
    "text",
    [
        # said in passing about the user's own life, in the words of blind scenarios
        "can you make a shopping list for tacos for 4",
        "can you translate 'happy anniversary' into italian",
        "got stuck in a middle seat on my last flight, never again lol",
        "Quit smoking",
        "off to work, speak later",
        "I've got perfect 20/20 vision, never needed glasses",
        "a tiny ginger stray showed up at the back door and never left, so it's a trio now",
        "got diagnosed coeliac last week so it's strictly gluten free for me from now on",
        "my partner just got told he's going in five days a week from now on, poor man",
        "funny enough I'm a total mountain convert, don't think I'll ever go back to the beach",
        # a verb inside the condition of one's own news is no order
        "my laptop fan goes mad whenever i use zoom",
        "the train is delayed every time i need to be somewhere",
        # "ur" as "you are"
        "ur so right about the pasta lol",
        "maybe not today please, im wiped",
        # an order's words said in passing, to nobody's replies
        "don't worry, i figured it out",
        "dont mind me, just thinking out loud",
        "never a quiet day at work lol",
        "always the way with my car",
        "don't get me started on parking fees",
        "never say never haha",
        # a "please" that names no form of the replies
        "the full recipe please",
        "another one pls",
        "I want to read more this year. Any book you recommend?",
        # carry on now; never with its subject after it; asked for this once; something
        # else's news after the time marker
        "keep going lol",
        "never have I been so tired",
        "just this once, answer like a pirate",
        "from now on the gym opens at 5am, amazing",
    ],
)
def test_the_users_own_news_is_no_standing_instruction(text):
    # a standing instruction goes into every prompt from then on
    assert MemoryType.instruction not in [c.type for c in extract(text)]


@pytest.mark.parametrize(
    "text",
    [
        "never use emojis",
        "never apologise",
        "don't use bullet points",
        "stop hedging",
        "Do not mention my ex again",
        "Don't give me bullet points, I much prefer proper paragraphs.",
    ],
)
def test_never_and_dont_before_a_plain_verb_still_order(text):
    assert [c.type for c in extract(text)] == [MemoryType.instruction]


@pytest.mark.parametrize(
    "text",
    [
        "should I charge hourly or per project",
        "can u help me write a bday msg for my aunt, she's turning 60",
        "is it worth upgrading the RAM in my work ThinkPad",
        "any idea why my cat sneezes so much",
    ],
)
def test_a_question_typed_without_its_mark_is_no_fact(text):
    assert extract(text) == []


def test_a_statement_whose_subject_was_dropped_is_still_a_fact():
    assert extract("Did my 10th parkrun on Saturday, PB of 27 minutes")


def test_a_contraction_typed_without_its_apostrophe_is_read_as_one():
    (found,) = extract("I dont know you started saving money and I got offended")
    assert found.content.startswith("User does not know")
