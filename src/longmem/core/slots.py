"""The slots a personal fact can fill, shared by extraction, reconciliation and query analysis.

A slot names *what* a statement is about ("home", "job", "pref:coffee"); its value is the
answer ("Berlin"). Single-valued slots hold one current value, so a new value supersedes the
old one; multi-valued slots (pets, allergies) accumulate.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Slot:
    name: str
    single_valued: bool
    # Words that, in a question, show it asks about this slot. Stems, lower case.
    cues: tuple[str, ...]


SLOTS: dict[str, Slot] = {
    s.name: s
    for s in (
        Slot("name", True, ("name", "call", "called")),
        Slot("home", True, ("live", "home", "city", "based", "reside", "move", "moved", "town")),
        Slot("origin", True, ("from", "grew", "hometown", "born", "originally")),
        Slot("job", True, ("work", "job", "profession", "career", "occupation")),
        Slot("employer", True, ("employer", "company", "employed", "firm", "work")),
        Slot("birthday", True, ("birthday", "born", "birth")),
        Slot("age", True, ("age", "old")),
        Slot("pet", False, ("pet", "pets", "dog", "cat", "animal")),
        Slot(
            "family",
            False,
            (
                "family",
                "wife",
                "husband",
                "partner",
                "kid",
                "kids",
                "child",
                "children",
                "son",
                "daughter",
                "sister",
                "brother",
                "mother",
                "father",
                "mom",
                "dad",
                "parent",
                "sibling",
                "married",
            ),
        ),
        # A person's standing in three parts of life, each with one current value: a new one
        # replaces the old whatever the verb ("not seeing anyone" -> "we got engaged").
        Slot(
            "relationship",
            True,
            (
                "relationship",
                "single",
                "dating",
                "seeing",
                "partner",
                "boyfriend",
                "girlfriend",
                "engaged",
                "married",
                "fiance",
                "fiancee",
                "spouse",
            ),
        ),
        Slot(
            "workplace",
            True,
            ("office", "remote", "remotely", "home", "hybrid", "commute", "onsite"),
        ),
        Slot(
            "employment",
            True,
            (
                "employed",
                "retired",
                "unemployed",
                "freelance",
                "freelancer",
                "job",
                "working",
                "work",
                "career",
            ),
        ),
        Slot("allergy", False, ("allergy", "allergic", "allergies", "intolerant", "avoid")),
        Slot("diet", True, ("diet", "vegetarian", "vegan", "eat", "meat")),
        Slot("diet:avoid", False, ("diet", "eat", "meat", "fish", "dairy")),
        Slot("language", False, ("language", "speak", "fluent")),
        Slot(
            "education",
            True,
            ("study", "studied", "degree", "university", "college", "school", "graduate"),
        ),
        Slot("instr:language", True, ("language", "reply", "respond", "answer")),
        Slot("instr:format", True, ("format", "bullet", "list", "reply", "respond", "answer")),
        Slot("instr:length", True, ("short", "long", "brief", "concise", "length", "detail")),
        Slot("instr:tone", True, ("tone", "formal", "casual", "emoji")),
        Slot("instr:address", True, ("call", "address")),
    )
}

# Preferences are slotted per object: "pref:coffee". The object decides, not a fixed list.
PREFERENCE_PREFIX = "pref:"
# Entities are slotted per relation: "rel:manager", "rel:dentist".
RELATION_PREFIX = "rel:"
# What the user names as theirs is slotted per thing: "my phone is a Samsung" -> "my:phone".
OWN_PREFIX = "my:"


def is_single_valued(slot: str | None) -> bool:
    """Whether a new value in this slot replaces the old one."""
    if slot is None:
        return False
    if slot.startswith((PREFERENCE_PREFIX, RELATION_PREFIX, OWN_PREFIX)):
        return True
    known = SLOTS.get(slot)
    return known.single_valued if known else False
