"""Named speakers: several people in one conversation ("Caroline: ...").

A fact extracted from Caroline's turn is about Caroline and reads so ("Caroline is researching
adoption agencies"); the one user of a one-to-one chat has no name and reads "User".
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from longmem.core.scoring import speaks_of_self
from longmem.models import MemoryKind, MemoryRecord

# Role words are not names: a turn whose speaker is "user" is the one user's.
_NOT_NAMES = frozenset({"user", "assistant", "system", "me", "i"})


def named(speaker: str | None) -> str | None:
    """The speaker's name if the turn has one, None for the user of a one-to-one chat."""
    name = (speaker or "").strip()
    return None if not name or name.lower() in _NOT_NAMES else name


def embedding_text(content: str, speaker: str | None) -> str:
    """What is embedded of a semantic memory: what it says, not whom it is about. A turn's
    text carries no name either; whom a question is about is matched by the speaker signal.
    With the name in the vector, every memory of Emi drew near every question naming Emi:
    on REALTALK, 37% of questions about things never said put a memory into the prompt (3%
    without), and recall@10 fell 0.03."""
    name = named(speaker)
    if name is None:
        return content
    first = re.escape(name.split()[0])
    text = re.sub(rf"^{re.escape(name)}\b", "User", content, flags=re.I)
    text = re.sub(rf"\b(?:{re.escape(name)}|{first})\b", "the user", text, flags=re.I)
    return text[:1].upper() + text[1:]


def vector_text(memory: MemoryRecord) -> str:
    """What is embedded of a stored memory: a turn as said, a semantic memory without its name."""
    if memory.kind is MemoryKind.episodic:
        return memory.content
    return embedding_text(memory.content, memory.metadata.speaker)


def as_said(question: str, name_words: Iterable[str]) -> str:
    """The question as the person it names would put it: "What are Fahim's hobbies?" ->
    "What are my hobbies?". What people say of themselves is in the first person ("I like
    running"), and a name the messages never carry pulls the question's embedding away from
    all of them: on REALTALK, dense MiniLM alone finds 0.41 of the evidence in its top 10 with
    the names, 0.53 without. Every run of the question's name words ("Fahim Khan", "Fahim and
    Muhhamed") becomes "I", or "my" when possessive. A question already in the first person
    ("what did I tell Kevin?") names someone else and is left as it is."""
    words = sorted({re.escape(w) for w in name_words if w}, key=len, reverse=True)
    if not words or speaks_of_self(question):
        return question
    name = rf"(?:{'|'.join(words)})(?:\s+(?:{'|'.join(words)}))*"
    run = re.compile(rf"\b{name}(?:\s+and\s+{name})*(['’]s?)?(?!\w)", re.IGNORECASE)
    said = run.sub(lambda m: "my" if m.group(1) else "I", question)
    return re.sub(r"\s{2,}", " ", said).strip()
