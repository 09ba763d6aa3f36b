"""What a query asks about: its content terms (with weights) and the slots it targets."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from longmem.core.lexical import idf
from longmem.core.slots import OWN_PREFIX, PREFERENCE_PREFIX, RELATION_PREFIX, SLOTS
from longmem.core.text import content_terms, stem

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


def term_weights(terms: tuple[str, ...], df: Mapping[str, int], n_docs: int) -> dict[str, float]:
    """BM25-style IDF per query term over the user's own memories: a word the user says in
    every other turn is weak evidence that a memory answers the question."""
    return {t: idf(df.get(t, 0), n_docs) for t in terms}


def _present(term: str, memory_terms: frozenset[str]) -> bool:
    if term in memory_terms:
        return True
    # Snowball keeps "allerg" (allergic) and "allergi" (allergies) apart; a shared stem of
    # five letters or more is the same word family.
    return len(term) >= 5 and any(
        len(m) >= 5 and (m.startswith(term) or term.startswith(m)) for m in memory_terms
    )


def coverage(weights: Mapping[str, float], memory_terms: frozenset[str]) -> float:
    total = sum(weights.values())
    if total <= 0:
        return 0.0
    return sum(w for t, w in weights.items() if _present(t, memory_terms)) / total
