"""Text helpers for lexical relevance and token budgets. Pure functions, no I/O."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from functools import lru_cache

import snowballstemmer
from lemminflect import getLemma

# Pictographs end a sentence in chat as a full stop does: "switched to an iPhone 😅 is there a
# way to ..." is a statement, then a question.
_EMOJI = "\U0001f300-\U0001faff\u2600-\u27bf\U0001f1e6-\U0001f1ff"
# Split after sentence punctuation, but not after the dot of a title ("Dr. Patel").
SENTENCE_SPLIT = re.compile(
    r"(?<!\bDr\.)(?<!\bMr\.)(?<!Mrs\.)(?<!\bMs\.)(?<!Prof\.)(?<!\bSt\.)(?<=[.!?;])\s+|\n+|"
    rf"\s*[{_EMOJI}][{_EMOJI}\ufe0f\u200d]*\s*"
)
# An aside in brackets that holds sentences of its own is read apart from the sentence it
# interrupts: "my husband (still weird to say!! the wedding was two weeks ago) says the cake was
# a hit" is "my husband says the cake was a hit" and "still weird to say!! the wedding was two
# weeks ago", not a split at "!!" mid-sentence. A bracketed word or name ("my sister (Anna)")
# stays where it is.
_BRACKETED = re.compile(r"\s*\(([^()]{1,600})\)")
_ENDS_SENTENCE = re.compile(r"[.!?]")


def sentences(text: str) -> list[str]:
    """The sentences of a text (`SENTENCE_SPLIT`), asides in brackets read after the rest."""
    asides: list[str] = []

    def apart(m: re.Match[str]) -> str:
        if not _ENDS_SENTENCE.search(m.group(1)):
            return m.group(0)
        asides.append(m.group(1))
        return ""

    text = _BRACKETED.sub(apart, text)
    return SENTENCE_SPLIT.split("\n".join([text, *asides]) if asides else text)


_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_PIECE = re.compile(r"\w+|[^\w\s]", re.UNICODE)

# Function words plus the words people use to *ask* about a memory ("remind me what I said",
# "what games are Nicolas and Nebraas discussing?"), which carry no evidence that a memory
# answers the question: chats rarely say "discuss" of themselves.
STOPWORDS = frozenset(
    """
    a about above after again against all also am an and any are aren't as at be because
    been before being below between both but by can can't could couldn't did didn't do does
    doesn't doing don't down during each few for from further had hadn't has hasn't have
    haven't having he he'd he'll he's her here here's hers herself him himself his how how's
    i i'd i'll i'm i've if in into is isn't it it's its itself just let's me more most
    mustn't my myself no nor not of off on once only or other ought our ours ourselves out
    over own same shan't she she'd she'll she's should shouldn't so some such than that
    that's the their theirs them themselves then there there's these they they'd they'll
    they're they've this those through to too under until up very was wasn't we we'd we'll
    we're we've were weren't what what's when when's where where's which while who who's
    whom why why's will with won't would wouldn't you you'd you'll you're you've your yours
    yourself yourselves remind tell told say said know remember recall mention mentioned
    again ever anything something thing things kind sort like get got really actually please
    okay ok yes yeah user users want wanted think mentions mentioning discuss discussed
    discusses discussing discussion discussions conversation conversations
    """.split()
)

_STEMMER = snowballstemmer.stemmer("english")
# Snowball keeps British and American spellings apart; people mix them in one conversation.
_SPELLING = {
    "favourite": "favorite",
    "favourites": "favorites",
    "colour": "color",
    "colours": "colors",
    "organise": "organize",
    "travelling": "traveling",
}


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Snowball (Porter 2) stem, applied identically to queries and memories."""
    return str(_STEMMER.stemWord(_SPELLING.get(word, word)))


@lru_cache(maxsize=65536)
def verb_lemma(word: str) -> str:
    """The base form of a word read as a verb ("sent" -> "send", "sending" -> "send")."""
    lemmas = getLemma(word.lower(), upos="VERB")
    return str(lemmas[0]) if lemmas else word.lower()


def content_words(text: str) -> list[str]:
    """Lower-cased content words in order, stopwords removed, not stemmed."""
    return [w for w in _WORD.findall(text.lower()) if w not in STOPWORDS]


def by_term(text: str, score: Callable[[str], float]) -> dict[str, float]:
    """`score` of each stemmed content term of `text`: the highest of the words stemming to it
    (a question's words are weighed as words, its terms matched as stems)."""
    found: dict[str, float] = {}
    for word in content_words(text):
        term = stem(word)
        found[term] = max(found.get(term, 0.0), score(word))
    return found


# A compound written as one word is read as its two parts of at least this many letters:
# "snowfall", "giftcards", "housework". Shorter parts read too much in: "airline" as "air" and
# "line".
COMPOUND_PART = 4


@lru_cache(maxsize=65536)
def compound_parts(word: str) -> tuple[tuple[str, str], ...]:
    """Every way to read `word` as two words of COMPOUND_PART letters or more, each stemmed."""
    return tuple(
        (stem(word[:i]), stem(word[i:]))
        for i in range(COMPOUND_PART, len(word) - COMPOUND_PART + 1)
    )


def content_terms(text: str) -> list[str]:
    """Stemmed content words in order, stopwords removed; duplicates kept."""
    return [stem(w) for w in content_words(text)]


@lru_cache(maxsize=131072)
def term_tuple(text: str) -> tuple[str, ...]:
    """`content_terms`, cached: search reads the same memories' words query after query."""
    return tuple(content_terms(text))


def estimate_tokens(text: str) -> int:
    """Approximate LLM (BPE) tokens: one per punctuation mark, one per 5 letters of a word.
    tiktoken cannot fetch its tables offline; this estimate counts common short words as one
    token, like cl100k does, and long or rare words as several."""
    return sum(max(1, math.ceil(len(piece) / 5)) for piece in _PIECE.findall(text))
