"""What a query asks about: its content terms (with weights) and the slots it targets."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from longmem.core.lexical import idf
from longmem.core.slots import OWN_PREFIX, PREFERENCE_PREFIX, RELATION_PREFIX, SLOTS
from longmem.core.text import STOPWORDS, content_terms, stem

_PREFERENCE_CUES = frozenset(
    stem(w)
    for w in (
        "favorite",
        "favourite",
        "like",
        "love",
        "prefer",
        "enjoy",
        "fan",
        "hate",
        "dislike",
        "best",
        "should",
        "buy",
        "order",
        "recommend",
        "drink",
        "eat",
        "listen",
        "watch",
        "read",
    )
)
_SLOT_CUES: dict[str, frozenset[str]] = {
    name: frozenset(stem(c) for c in slot.cues) for name, slot in SLOTS.items()
}


_ABOUT_REPLIES = re.compile(
    r"\byou (?:said|told|mentioned|recommended|suggested|explained|wrote|answered|gave)\b|"
    r"\b(?:your|the) (?:answer|reply|advice|suggestion|recommendation)\b",
    re.I,
)


@dataclass(frozen=True)
class QueryAnalysis:
    terms: tuple[str, ...]  # distinct stemmed content words
    slots: frozenset[str]
    asks_preference: bool
    about_replies: bool  # asks what the assistant said, not what the user said

    def slot_matches(self, slot: str | None) -> bool:
        if slot is None:
            return False
        if slot in self.slots:
            return True
        if slot.startswith(PREFERENCE_PREFIX):
            obj = slot.removeprefix(PREFERENCE_PREFIX)
            return self.asks_preference and stem(obj) in self.terms
        if slot.startswith(OWN_PREFIX):
            return stem(slot.removeprefix(OWN_PREFIX)) in self.terms
        if slot.startswith(RELATION_PREFIX):
            relation = slot.removeprefix(RELATION_PREFIX).split(":")[0]
            return stem(relation) in self.terms
        return False


def analyse(query: str) -> QueryAnalysis:
    terms = tuple(dict.fromkeys(content_terms(query)))
    words = set(terms) | {stem(w) for w in query.lower().split()}
    slots = frozenset(name for name, cues in _SLOT_CUES.items() if cues & words)
    return QueryAnalysis(
        terms, slots, bool(_PREFERENCE_CUES & words), bool(_ABOUT_REPLIES.search(query))
    )


# A question's words up to its punctuation: options never run across a comma ("Where does he
# live, in a city or in the suburbs?").
_PHRASE = re.compile(r"[^,;:.!?()\"]+")
_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
# Words an option may run to ("a big city", "specific titles"): longer runs reach into the
# clause around it ("does Kate work full-time or part-time?").
_OPTION_WORDS = 2

Options = tuple[frozenset[str], ...]


def alternatives(query: str) -> tuple[Options, ...]:
    """The options a question offers, as the stemmed content words on each side of "or" ("in
    a big city or in the suburbs?": {big, city} or {suburb}; "A or B or C" is one choice of
    three). One option is expected to be unsaid: the question names it so that the answer can
    pick the other."""
    choices: list[list[frozenset[str]]] = []
    for phrase in _PHRASE.findall(query.lower()):
        words = _TOKEN.findall(phrase)
        for i, word in enumerate(words):
            if word != "or":
                continue
            before = _option(reversed(words[:i]))
            after = _option(iter(words[i + 1 :]))
            if not before or not after:
                continue
            if choices and choices[-1][-1] == before:
                choices[-1].append(after)
            else:
                choices.append([before, after])
    return tuple(tuple(c) for c in choices)


def _option(words: Iterator[str]) -> frozenset[str]:
    """The content words next to an "or", after any function words ("in the suburbs")."""
    run: list[str] = []
    for word in words:
        if word in STOPWORDS:
            if run:
                break
            continue
        run.append(stem(word))
        if len(run) == _OPTION_WORDS:
            break
    return frozenset(run)


def term_weights(terms: tuple[str, ...], df: Mapping[str, int], n_docs: int) -> dict[str, float]:
    """BM25-style IDF per query term over the user's own memories: a word the user says in
    every other turn is weak evidence that a memory answers the question."""
    return {t: idf(df.get(t, 0), n_docs) for t in terms}


def _present(term: str, memory_terms: AbstractSet[str]) -> bool:
    if term in memory_terms:
        return True
    # Snowball keeps "allerg" (allergic) and "allergi" (allergies) apart; a shared stem of
    # five letters or more is the same word family.
    return len(term) >= 5 and any(
        len(m) >= 5 and (m.startswith(term) or term.startswith(m)) for m in memory_terms
    )


def coverage(weights: Mapping[str, float], memory_terms: AbstractSet[str]) -> float:
    total = sum(weights.values())
    if total <= 0:
        return 0.0
    return sum(w for t, w in weights.items() if _present(t, memory_terms)) / total
