"""Whether a statement says that something about the speaker has changed.

People announce a new value in many words ("moved over to a Fairphone", "back in the office
three days a week", "we got engaged", "these days I drink tea") and seldom name the value it
replaces. What they share is a small, closed class of words that mark a change of state:
verbs of switching, starting, stopping, leaving and becoming, and adverbs of the present
against the past ("now", "these days", "anymore", "since"). Which earlier statement changed is
decided by meaning elsewhere (ingest links the nearest earlier statement of the same speaker);
this module only reads the marker.
"""

from __future__ import annotations

import re
from functools import lru_cache

from longmem.core.scoring import speaks_of_self
from longmem.core.subject import changes_own, statements

_CHANGE = re.compile(
    r"\b(?:"
    # the present against the past
    # not "right now", "just now", "for now", "by now", "now that"
    r"(?<!right )(?<!just )(?<!for )(?<!by )(?<!until )now(?! that)|nowadays|these days|"
    r"anymore|any more|no longer|not any longer|lately|recently|currently|at the moment|"
    r"finally|instead|used to|no more|"
    # "since March", "since last year", not "since I have time"
    r"since (?:then|last|early|late|the (?:start|beginning|summer|spring|autumn|fall|winter)|"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*|\d)|"
    # switching
    r"switch(?:ed|ing)?|swap(?:ped|ping)?|trade[ds]?(?: in| up)?|traded|trading|"
    r"replac(?:e|ed|ing)|upgrad(?:e|ed|ing)|downgrad(?:e|ed|ing)|"
    r"mov(?:e|ed|ing)(?: \w+){0,3}? (?:over|onto|on to|to|into|in|out|back|away|across|house|on)|"
    r"relocat(?:e|ed|ing)|chang(?:e|ed|ing) (?:to|over|jobs?|careers?)|convert(?:ed)?|"
    r"(?:went|gone|going|go) (?:back|over|fully|full|part|freelance|vegan|vegetarian|"
    r"plant|keto|remote|hybrid|self)|"
    # starting and stopping
    r"start(?:ed|ing)|began|begun|took up|taken up|picked up|got into|"
    r"stop(?:ped|ping)|quit(?:ting)?|gave up|given up|giving up|cut out|cut back|cut down|"
    r"got rid of|get rid of|ditch(?:ed|ing)|dump(?:ed)|dropp(?:ed|ing)|"
    # leaving, joining, becoming
    r"left (?:my|our|the|for)|leaving (?:my|our|the|for)|retir(?:e|ed|ing)|resign(?:ed|ing)|"
    r"handed in|laid off|made redundant|"
    r"joined|hired|promoted|new job|"
    r"broke up|split up|divorc(?:e|ed|ing)|separated|engaged|married|moved in|"
    r"adopt(?:ed|ing)|rehom(?:e|ed|ing)|"
    r"bought|sold|became|become|becoming|ended up|turned into|back (?:in|to|on|at)|"
    r"got (?:a|an|my|our) new|(?:my|our) new"
    r")\b",
    re.IGNORECASE,
)


def says_change(text: str) -> bool:
    """Whether `text` marks a change of state ("I switched to ...", "these days I ...")."""
    return _CHANGE.search(text) is not None


# A question about the past ("what did I drive before?", "when did Emi move?") is answered by
# what was said then, not by what replaced it. "before" and "once" also say when and how often
# in the present ("what do I do before bed?", "am I on call once a month?"): they mark the past
# only where nothing that they time follows ("before?", "before that", "once, years ago").
_PAST = re.compile(
    r"\b(?:did|was|were|had|went|used to|ago|last|yesterday|previous|previously|"
    r"first|originally|earlier|former|old|"
    r"before(?=\s*(?:$|[^\w\s]|that\b|then\b|now\b|you\b|we\b|i\b))|"
    r"once(?!\s+(?:a|an|per|every|each|or|in|more|again)\b))\b",
    re.IGNORECASE,
)


def asks_now(question: str) -> bool:
    """Whether a question asks about the present state, not about the past."""
    return _PAST.search(question) is None


# Searches ask it of the same top turns again and again (75 us a turn, 1 ms a search).
@lru_cache(maxsize=65536)
def states_change(
    text: str, role: str | None = "user", *, own: bool = False, people: frozenset[str] = frozenset()
) -> bool:
    """Whether a turn states that the speaker's own situation changed: said by the user (or
    a named speaker), in a sentence in the first person that is not a question; with `own`,
    only in a sentence that is the speaker's own news of the lasting present ("my dad just
    switched to an iPhone" is not; `core.subject`)."""
    return role == "user" and any(
        says_change(sentence)
        and speaks_of_self(sentence)
        and (not own or changes_own(sentence, says_change, people))
        for sentence in statements(text, own=own, people=people)
    )


def asks_about_self(question: str, *, names_someone: bool) -> bool:
    """Whether the asker asks about themselves ("what's my cat called?", "do we eat meat?"):
    in the first person, and naming no one of the conversation (a question that names a
    participant is about them: "Can we assume Akib likes hiking?")."""
    return not names_someone and speaks_of_self(question)
