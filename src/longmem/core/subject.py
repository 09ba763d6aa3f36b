"""Whose news a sentence is: the speaker's own, or someone else's.

A later remark replaces what the speaker said earlier only when it is about the speaker: "my
dad just got a OnePlus 12" changes nothing about the speaker's phone, "work lent me a
ThinkPad for the trip" is for a while, and "whats a good lunch I can make in 10 mins" asks for
something. Chat drops the subject as often as it keeps it ("covered a day shift for a
colleague"), so a sentence with no subject is the speaker's; one whose subject is another
person ("my coworker keeps nagging me", "she", "everyone") is not. The people a speaker names
("my dad", "my boss") are a small, closed class of words, as are the words that open a
question or a request and those that put a statement in another time ("if I won the lottery
I'd ...", "back when I was ...", "for two weeks").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from longmem.core.scoring import speaks_of_self
from longmem.core.text import sentences

PETS = """
dog dogs cat cats puppy kitten rabbit hamster parrot budgie tortoise turtle horse fish
goldfish snake lizard guinea pig ferret
""".split()
FAMILY = """
wife husband partner son daughter sister brother mother father mom mum dad kids children
kid child twins grandmother grandfather grandma grandpa aunt uncle niece nephew fiance
fiancee stepson stepdaughter boyfriend girlfriend spouse
""".split()
# Relations that come one at a time (a new one replaces the old) and those that accumulate.
SINGLE_RELATIONS = """
manager boss dentist doctor gp therapist counsellor counselor vet plumber mentor
accountant lawyer landlord landlady trainer coach tutor hairdresser barber mechanic
assistant babysitter nanny cleaner physio physiotherapist electrician optician pharmacist
bank team lead supervisor host
""".split()
MULTI_RELATIONS = """
friend colleague coworker neighbour neighbor cousin classmate teammate
""".split()
# Everyone a speaker can say "my ..." of who is not the speaker: plurals and the words chat
# uses for them too ("my bf", "my flatmate", "my in-laws").
PEOPLE = frozenset(
    {
        *FAMILY,
        *(w for w in SINGLE_RELATIONS if w not in {"bank", "team", "lead", "host"}),
        *MULTI_RELATIONS,
        *"""
        parents parent mother-in-law father-in-law in-laws sibling siblings grandparents
        grandkids grandchildren granddaughter grandson stepmom stepmum stepdad bf gf hubby
        fiancé fiancée ex flatmate roommate housemate mate mates buddy bestie bff pal
        colleagues coworkers co-worker friends neighbours neighbors cousins boss's team
        family sis bro mam mommy mummy daddy nan nana gran granny grandad twin baby
        """.split(),
        *(w + "s" for w in (*FAMILY, *MULTI_RELATIONS) if not w.endswith("s")),
    }
)
_LIVING = PEOPLE | frozenset((*PETS, "pet", "pets"))

_WORD = re.compile(r"[a-z][a-z'’-]*|\d+")
# Words that open a sentence without saying anything: "ok", "haha", "thx", "funny,".
_FILLERS = frozenset(
    """
    ok okay k kk cool great nice perfect awesome lovely amazing sweet thanks thank thx ty
    cheers haha hahaha lol lmao lmfao omg ugh oof eek ooh oh ah aw aww wow yes yeah yep yup
    yea no nope nah hey hi hello morning evening well hmm hm um uh honestly actually also and
    but so anyway anyways btw then fine sure right alright good got it love funny wait
    """.split()
)
# Words that open a question or a request typed with or without its mark.
_ASKING = frozenset(
    """
    what whats what's how hows how's why when where which who whos who's whose any anyone
    recommend suggest help give tell write make explain list show remind find plan draft
    translate summarise summarize
    """.split()
)
# The first person as a subject: wherever it stands, some clause is the speaker's ("my
# niece got me into fantasy, I'm halfway through ...").
_SELF = frozenset("i i'm im i've ive i'd i'll we we're we've weve we'd we'll".split())

# A question typed without its mark, its verb before its subject: "should I charge hourly",
# "can u help me write a bio", "is it worth upgrading the RAM"; not "did Dry January and kept
# going" or "can finally carry my own coffee", whose subject was dropped.
INVERTED_QUESTION = re.compile(
    r"^(?:is|are|was|were|am|do|does|did|can|could|would|should|will|shall|has|have|had)"
    r"(?: not|n't)? (?:i|you|u|it|we|they|he|she|there|this|that)\b"
    # "is my cat overweight", but "did my 10th parkrun", "had my first lesson" are news
    r"|^(?:is|are|was|were|can|could|would|should|will)(?: not|n't)? (?:my|your|our)\b"
    r"|^any (?:idea|ideas|tips|advice|recommendations?)\b"
)

_OWN = frozenset(("my", "our"))
_ARTICLES = frozenset(("the", "a", "an"))
_OTHERS = frozenset(
    """
    he she they he's she's they're hes shes theyre his her their everyone everybody someone
    somebody nobody people
    """.split()
)
# How far into a sentence its subject is looked for ("funny, back in uni our flat had ...").
_SUBJECT_WITHIN = 6


def _words(sentence: str) -> list[str]:
    return _WORD.findall(sentence.lower().replace("’", "'"))


def _opening(words: list[str]) -> list[str]:
    start = 0
    while start < len(words) and words[start] in _FILLERS:
        start += 1
    return words[start:]


def asks(sentence: str) -> bool:
    """A question or a request: opens with a word that asks ("whats a good lunch ...", "how
    do i stop my 8 year old ...", "can u suggest ..."), or ends with a question mark and says
    nothing in the first person ("any fixes?", but not "i use firefox and it keeps buffering,
    any fixes?", which states something first)."""
    words = _opening(_words(sentence))
    if words and (words[0] in _ASKING or INVERTED_QUESTION.match(" ".join(words))):
        return True
    return sentence.rstrip().endswith("?") and not speaks_of_self(sentence)


def _someone_else(words: list[str], at: int) -> str:
    """The person "my"/"our" at `at` names ("my dad", "my new boss"), or "" for a thing of the
    speaker's ("my phone"); "my wife and I" is the speaker."""
    for offset in (1, 2):
        # "my dad's a lifelong Everton fan", "my wife's allergic to peanuts"
        if at + offset < len(words) and words[at + offset].removesuffix("'s") in PEOPLE:
            rest = words[at + offset + 1 : at + offset + 3]
            if len(rest) == 2 and rest[0] == "and" and rest[1] in {"i", "me", "we"}:
                return ""
            return words[at + offset]
    return ""


# Relations that answer for one another: a question about the speaker's kids is answered by
# news of "our baby girl" or "my son".
_KINDS = (
    "kid child baby son daughter twin stepson stepdaughter",
    "wife husband partner spouse boyfriend girlfriend fiance fiancee fiancé fiancée bf gf hubby",
    "mother father mom mum dad parent stepmom stepmum stepdad mam mommy mummy daddy",
    "sister brother sibling sis bro",
    "grandmother grandfather grandma grandpa nan nana gran granny grandad grandparent",
    "grandkid grandchild granddaughter grandson",
    " ".join(("pet", *PETS)),
)
_KIND = {word: kind.split()[0] for kind in _KINDS for word in kind.split()}


def _kin(word: str) -> str:
    """One name for a person or animal word and those that answer for it: "kids", "child"
    and "son's" are all "kid"."""
    word = word.removesuffix("'s")
    if word.endswith("ren"):
        word = word[:-3]
    elif word.endswith("s") and not word.endswith("ss") and len(word) > 3 and word not in _KIND:
        word = word[:-1]
    return _KIND.get(word, word)


# A clause that follows from what came before, its subject the speaker: "physio banned running
# so I've bought a road bike", "the baby changed everything — I'm up at 5am now", "my partner's
# been sneaking cilantro into stuff and now I actually crave it"; or, after a bare "and", a
# state of theirs that began there ("my sister dragged me to CrossFit and I'm hooked", "... and
# I've been buying Coltrane records ever since"), not a past event ("... and I binged half a
# season").
_RESULT = re.compile(
    r"(?:\bso|\bnow|[—–]|\s-\s|,\s*and)\s+(?:(?:now|honestly|actually|basically|finally)\s+)?"
    r"(?:i|i'm|im|i've|ive|we|we're|we've)\b"
    r"|\band (?:i'm|im|i am|we're|we are|(?:i|we)(?:'ve| have) been|ive been)\b"
)


def _speaker_is_subject(sentence: str) -> bool:
    """Whether the speaker is the subject of the sentence's first clause ("I'm allergic to
    penicillin, what should I tell ...", "my wife and I ...") or of a clause that follows from
    it (`_RESULT`). A first person further in is seldom what the sentence is about: "my sister
    just got the iPhone 15 Pro and she keeps airdropping me memes i cant even open", "my
    in-laws still pay for Hulu and I binged half a season"."""
    text = sentence.lower().replace("’", "'")
    first = next((w for c in _NEW_CLAUSE.split(text) if (w := _opening(_words(c)))), [])
    return any(word in _SELF for word in first) or _RESULT.search(text) is not None


def about_speaker(sentence: str, people: frozenset[str] = frozenset()) -> bool:
    """Whether a statement is the speaker's own news: the speaker is the subject of its first
    clause or of one that follows from it (`_speaker_is_subject`), or it opens on one of their
    things ("my phone is ..."), on what happened to them ("work called
    us back to the office"), or on nothing ("covered a shift ..."); not on another person
    ("my dad just got ...", "she ...", "mum says ..."), unless what they do lands on the
    speaker ("doctor switched me to bupropion", `_acts_on_speaker`) or they are among
    `people` (`_kin` names: a question about the speaker's kids is answered by news of them,
    or of "he" or "she", not of a friend)."""
    words = _opening(_words(sentence))
    if _speaker_is_subject(sentence):
        return True
    for at, word in enumerate(words[:_SUBJECT_WITHIN]):
        if word in ("me", "us"):
            return True
        if word in _OWN:
            person = _someone_else(words, at)
            return not person or _kin(person) in people or _acts_on_speaker(sentence)
        if word in _OTHERS:
            return bool(people) or _acts_on_speaker(sentence)
        # "mum says ...", "the kids keep begging for a hamster"
        if word.removesuffix("'s") in PEOPLE and (at == 0 or (at <= 2 and words[0] in _ARTICLES)):
            return _kin(word) in people or _acts_on_speaker(sentence)
    return True


# Where a clause ends: what another person does to the speaker is said in its first clause
# ("my dad just got a OnePlus 12 and now he sends me 40 pics a day" is the dad's news).
_CLAUSE_END = re.compile(r"[,;:.!?]|\b(?:and|but|so|because|cos|while|though|when)\b")
# What people say to the speaker, or want of them, changes nothing yet: "my mum keeps telling
# me to get an iPhone", "my boss wants me back in the office".
_SAYING = frozenset(
    """
    tell tells told telling ask asks asked asking say says said saying keep keeps kept nag
    nags nagging want wants wanted suggest suggests suggested recommend recommends recommended
    think thinks reckon reckons try tries tried trying beg begs begged convince convinced
    """.split()
)


# Where a clause of its own begins inside a sentence: a new subject after "and" ("my best
# friend just moved to Toronto and I'm gutted"), but not a compound subject ("me and my
# husband are vegan now"). Unlike `_CLAUSE_END`, which bounds what another person does to the
# speaker and so ends at any "and" ("my dad got a OnePlus and now he sends me ...").
_NEW_CLAUSE = re.compile(
    r"[,;:!?—–]|\s-\s|\b(?:but|so|because|cos|while|though|whereas)\b"
    r"|\band (?=(?:i|i'm|im|i've|ive|we|we're|we've|he|she|they|he's|she's|they're)\b)",
    re.IGNORECASE,
)


def changes_own(sentence: str, changes: Callable[[str], bool], people: frozenset[str]) -> bool:
    """Whether a clause of `sentence` that `changes` marks as a change is the speaker's own
    news (or news of `people`): "my best friend just moved to Toronto and I'm gutted" is the
    friend's move, though the sentence is also the speaker's."""
    return any(
        changes(clause) and about_speaker(clause, people)
        for clause in _NEW_CLAUSE.split(sentence.replace("’", "'"))
        if _words(clause)
    )


# An outing another person takes the speaker on is theirs: "my friend dragged me to a techno
# night", "my mate took me on a costco run"; not "took me off the tablets".
_OUTING = re.compile(
    r"\b(?:dragged|drags|invited|invites|roped)\b|\btook (?:me|us) (?:to|on|out)\b"
)


def _acts_on_speaker(sentence: str) -> bool:
    """Another person's act whose object is the speaker or a thing of theirs: their doctor
    "switched me to bupropion", "upped my sertraline"; "they made me head chef". It is the
    speaker's news, unlike what is said to them."""
    # The first clause with words in it: "so they made me store manager!!" opens on "so".
    clauses = _CLAUSE_END.split(sentence.lower().replace("’", "'"))
    words = next((w for c in clauses if (w := _words(c))), [])
    if any(w in _SAYING for w in words) or _OUTING.search(" ".join(words)):
        return False
    for at, word in enumerate(words[1:], start=1):
        if word in ("me", "us") or (word in _OWN and not _someone_else(words, at)):
            return True
    return False


# What a sentence says of a time other than the lasting present: wished for or supposed ("my
# dream is to retire to Hobart one day", "if i had the space id get one", "I'd never risk
# it": the conditional's "would", not its "if", which also sets the terms of a present state),
# long past ("back when I was an accountant", "I grew up in Halifax", "years ago"), or
# for a while ("visiting for 2 weeks", "we've rented a cottage for half term", "next month").
# Not the conditional that states or hedges a present stance ("I'd rather ring people now",
# "I'd call myself vegetarian now"), nor staying up late.
_NOT_LASTING = re.compile(
    r"\b(?:(?:would|wouldn't|\w+'d|id)(?! (?:say|call|describe|guess|rather|prefer)\b)|"
    r"dream\w*|someday|one day|wish\w*|back (?:when|in (?:uni|college|school|the day))|"
    r"years ago|grew up|as a kid|at (?:uni|college|school)|when i was|visit\w*|rented|"
    r"staying(?! up\b)|"
    # "next month", but not a change that starts then: "from next month I'm in the office"
    r"(?<!from )(?<!starting )(?<!as of )next (?:week|month|year|weekend|fortnight))\b"
    # "for two weeks", but not how long something has lasted: "been vegan for 3 weeks now"
    r"|^(?!.*\bbeen\b).*\bfor (?:the |a |an |one |two |three |\d+ )?(?:weekend|week|weeks|"
    r"night|nights|day|days|fortnight|half term|holidays?|trip)\b(?! now| already| straight)",
    re.IGNORECASE,
)


# What was offered and declined, or only thought of, changes nothing ("got offered a job in
# Perth but I turned it down", "my coworker keeps nagging me to switch, not happening",
# "thinking about getting into 3D printing at some point"); nor does what happens once ("took
# a car share for once", "a one-off client workshop", "just this once").
_NOT_TAKEN = re.compile(
    r"\b(?:turned (?:it |them |him |her |that )?down|(?:i|we) said no|said no thanks|"
    # "tempting but i passed, ...", not "I passed my driving test"
    r"(?:i|we) passed(?= on\b|\s*[,.!;]|$)|i'?ll pass|"
    r"declined|withdrew|ignored (?:it|them|him|her)|not happening|"
    r"not (?:gonna|going to|planning to) (?:apply|switch|take|buy|get|move|do it)|"
    r"(?:didn'?t|did not|haven'?t|have not) (?:take|taken|accept|accepted|apply|applied|"
    r"decided|reply|replied)|"
    r"at some point|(?:just|only) (?:this|that|the) once|one-?off|one-time|"
    r"not a regular thing|first time ever|as a (?:guest|favou?r))\b"
)


def lasting(sentence: str) -> bool:
    """Whether a statement speaks of the lasting present (`_NOT_LASTING`), of something taken
    up (`_NOT_TAKEN`)."""
    text = sentence.replace("’", "'")
    return _NOT_LASTING.search(text) is None and _NOT_TAKEN.search(text) is None


@lru_cache(maxsize=65536)
def own_news(sentence: str, people: frozenset[str] = frozenset()) -> bool:
    """Whether a statement tells how things now stand for its speaker (or for `people` of
    theirs, `about_speaker`). Cached: a question about the asker's present reads it for every
    candidate fact, search after search."""
    return about_speaker(sentence, people) and lasting(sentence)


@lru_cache(maxsize=65536)
def statements(
    text: str, *, own: bool = True, people: frozenset[str] = frozenset()
) -> tuple[str, ...]:
    """The sentences of a turn that state something, not ask it; with `own`, only those that
    state the speaker's own news or news of `people` (cached: search reads the same turns
    query after query)."""
    return tuple(
        s
        for s in sentences(text)
        if _opening(_words(s)) and not asks(s) and (not own or own_news(s, people))
    )


def asks_about_someone(question: str) -> bool:
    """Whether a question is about people or animals ("where is my son living now?", "how many
    kids do I have?", "what do we call our cat?", "who shares my home?"): their news answers
    it."""
    words = _opening(_words(question))
    if words and words[0] in {"who", "whos", "who's", "whom", "whose"}:
        return True
    return any(w in _LIVING for w in words)


def people_asked(question: str) -> frozenset[str]:
    """The people and animals a question asks about ("how many kids do I have?": kid), in
    `_kin` spelling."""
    return frozenset(_kin(w) for w in _opening(_words(question)) if w in _LIVING)
