"""How rare a word is in English at large, from wordfreq's tables (shipped in the package).

A question word the user never said is evidence that the question is about something never
said only when the word is distinctive: never having said "iguana" or "Tokyo" tells; never
having said "buy" or "place" does not.
"""

from __future__ import annotations

from functools import lru_cache

from wordfreq import zipf_frequency

from longmem.core.text import by_term

# Zipf frequency (log10 of uses per billion words): "place" 5.7, "buy" 5.3, "coffee" 4.9,
# "Tokyo" 4.3, "tofu" 3.3, "iguana" 2.7. At COMMON and above a word is fully ordinary; at
# RARE and below, fully distinctive.
COMMON = 5.5
RARE = 3.0


@lru_cache(maxsize=65536)
def rarity(word: str) -> float:
    """0 for an everyday word, 1 for a rare one (or one English does not know)."""
    zipf = float(zipf_frequency(word, "en"))
    return min(1.0, max(0.0, (COMMON - zipf) / (COMMON - RARE)))


def term_rarity(text: str) -> dict[str, float]:
    """The rarity of each stemmed content term of `text`, from the words that stem to it."""
    return by_term(text, rarity)


def load() -> None:
    """Reads wordfreq's tables (0.1 s) now, at start-up, rather than in the first search,
    where they would overrun RETRIEVAL_TIMEOUT_MS."""
    rarity("memory")
