"""The offline extractor: sentence patterns, no model, no network.

It favours precision: a missed fact is still recallable from the episodic turn, while a wrong
fact would be recalled with authority. Questions, chit-chat, hypotheticals and what other people
said yield nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from longmem.core.change import says_change
from longmem.core.scoring import speaks_of_self
from longmem.core.text import sentences
from longmem.extraction import patterns as p
from longmem.extraction.directive import asks_for_work, standing
from longmem.extraction.person import past_lemma, third_person
from longmem.models import Candidate, MemoryType

_STOP_AT = re.compile(
    r"\s+(?:and|but|so|because|since|as|when|while|which|though|although|"
    r"if|or|than|with|for|at|in|on|from|to|every|these|this|these|lately|now|"
    r"anymore|any more|these days|last|next|yesterday|today|ago|already|earlier)\b.*$"
)
_ARTICLE = re.compile(r"^(?:a|an|the|some|my|our|really|very|good|great|)\s+")
_LONE_I = re.compile(r"\bi\b")
_VALUE_TAIL = re.compile(
    r"(?:\s+(?:now|nowadays|these days|anymore|any more|again|at the moment|lately|instead|"
    r"after all))+$",
    re.I,
)


@dataclass(frozen=True)
class _Sentence:
    original: str  # contractions expanded, casing kept
    lower: str  # the same characters, lower case: spans are shared
    speaker: str | None = None  # who said it, if a named person; else the user

    @property
    def who(self) -> str:
        return self.speaker or "User"

    def value(self, match: re.Match[str], group: str = "v") -> str:
        start, end = match.span(group)
        # Names may contain dots ("St. Ives") but a value never ends a sentence with one,
        # nor with the word that says it is new ("my favourite colour is green now").
        value = self.original[start:end].strip().rstrip(".,;:!?")
        return _VALUE_TAIL.sub("", value) or value


_CONDITIONS = frozenset(
    "in on at after before when while if during without unless except from with for".split()
)


def _conditional(phrase: str) -> bool:
    """Whether a preference's object carries a condition ("hiking in the rain")."""
    cut = _STOP_AT.search(phrase.strip().lower())
    return cut is not None and cut.group(0).split()[0] in _CONDITIONS


def _clause_before(text: str, at: int) -> str:
    """The words of `text` before position `at`, back to the start of their clause."""
    before = text[:at]
    return before[max(before.rfind(","), before.rfind(";")) + 1 :]


def _head(phrase: str) -> str:
    """The object of a preference, cut to its noun phrase: 'dark roast coffee in the morning'
    -> 'dark roast coffee'; the slot is its last word ('coffee')."""
    phrase = _STOP_AT.sub("", phrase.strip().lower())
    while True:
        trimmed = _ARTICLE.sub("", phrase)
        if trimmed == phrase:
            break
        phrase = trimmed
    return phrase.strip(" -'\"")


# Patterns are written for sentences, and some cost the square of a sentence's length: a
# run-on text without punctuation (a transcript, or an attack) is read in windows this long.
MAX_SENTENCE_CHARS = 400
_WINDOW = re.compile(rf"\S.{{0,{MAX_SENTENCE_CHARS - 2}}}\S(?=\s|$)|\S+", re.S)


def _sentences(text: str, speaker: str | None = None) -> Iterator[_Sentence]:
    for sentence in sentences(text):
        pieces = (
            [sentence]
            if len(sentence) <= MAX_SENTENCE_CHARS
            else [w[:MAX_SENTENCE_CHARS] for w in _WINDOW.findall(sentence)]
        )
        for raw in pieces:
            original = raw.strip()
            if not original:
                continue
            for pattern, replacement in p.CONTRACTIONS:
                original = re.sub(pattern.pattern, replacement, original, flags=re.I)
            original = _LONE_I.sub("I", original)
            lowered = original.lower()
            stripped = p.LEADING_FILLER.sub("", lowered)
            offset = len(lowered) - len(stripped)
            aside = p.CALL_ME_ASIDE.match(stripped)
            if (
                aside is not None
                and original[offset + aside.start("v") : offset + aside.end("v")].islower()
            ):
                # a figure of speech before an opinion: what follows is what is said
                stripped = stripped[aside.end() :].lstrip(" ,")
                offset = len(lowered) - len(stripped)
            yield _Sentence(original[offset:], stripped, speaker)


class OfflineExtractor:
    """Pattern-based extraction of the five memory types from user turns."""

    def __init__(self, confidence_threshold: float = 0.6) -> None:
        self.confidence_threshold = confidence_threshold
        # lemminflect reads its tables on first use (0.2 s): here, at start-up, rather than
        # in the first turn, where a reply would wait for it.
        third_person("I love it")

    def extract(
        self, text: str, *, role: str = "user", speaker: str | None = None
    ) -> list[Candidate]:
        if role != "user" or not text or not text.strip():
            return []
        found: list[Candidate] = []
        for sentence in _sentences(text[:20_000], speaker):
            found.extend(self._sentence(sentence))
        return [c for c in found if c.confidence >= self.confidence_threshold]

    def _sentence(self, s: _Sentence) -> list[Candidate]:
        low = s.lower
        if len(low.split()) < 2 or (p.CHIT_CHAT.match(low) and len(low.split()) < 6):
            return []
        if p.HYPOTHETICAL.search(low):
            return []
        is_question = low.endswith("?") or bool(
            p.QUESTION_START.match(low) or p.INVERTED_QUESTION.match(low)
        )
        replaces = self._replaced(low)
        # Between named people, "you" is the other person: only the one user of a chat with
        # the assistant gives it standing instructions.
        instruction = None if s.speaker else self._instruction(s, is_question, replaces)
        if instruction is not None:
            instruction.replaces = replaces
            return [instruction]
        if is_question:
            return []
        if asks_for_work(low):
            # Work asked for says nothing about the user, though "remind me to ..." is a plan.
            plan = self._commitment(s)
            return [plan] if plan is not None else []
        hedge = 0.3 if p.HEDGE.search(low) else 0.0
        out = [*self._facts(s), *self._preferences(s), *self._entities(s)]
        commitment = self._commitment(s)
        if commitment is not None:
            out.append(commitment)
        if not out and (
            (p.FIRST_PERSON_FACT.search(low) and not p.PASSING_STATE.search(low)) or replaces
        ):
            out.append(self._make(MemoryType.fact, s, 0.75 if replaces else 0.7))
        if says_change(low) and not (p.FOR_A_WHILE.search(low) or p.PASSING_STATE.search(low)):
            # "Started at KPMG on Monday!", "been moving all my stuff over to Obsidian"
            opening = " ".join(low.split()[:3])
            if not out and (speaks_of_self(low) or p.NO_SUBJECT.match(low) or says_change(opening)):
                out.append(self._make(MemoryType.fact, s, 0.75))
            for c in out:
                c.changes = c.type in (MemoryType.fact, MemoryType.preference)
        completes = self._completed(low)
        if completes and not out:
            out.append(self._make(MemoryType.fact, s, 0.75))
            out[0].completion_only = True
        if completes:
            for c in out:
                if c.type is not MemoryType.commitment:
                    c.completes = completes
        if replaces:
            for c in out:
                if c.type is not MemoryType.commitment:
                    c.replaces = replaces
        for c in out:
            c.confidence = round(max(0.0, c.confidence - hedge), 2)
        return out

    @staticmethod
    def _make(
        type_: MemoryType,
        s: _Sentence,
        confidence: float,
        slot: str | None = None,
        value: str | None = None,
        negated: bool = False,
        content: str | None = None,
    ) -> Candidate:
        return Candidate(
            type=type_,
            content=content or third_person(s.original, s.speaker),
            confidence=confidence,
            slot=slot,
            value=value,
            negated=negated,
            source_text=s.original,
        )

    @staticmethod
    def _replaced(low: str) -> str | None:
        for pattern in p.CORRECTION:
            m = pattern.search(low)
            if m:
                named = m.group("old") or m.groupdict().get("old2") or ""
                old = _head(named) or named.strip()
                if old and old not in ("it", "that", "this", "them"):
                    return old
        if p.FORGET_EARLIER.search(low):
            return ""  # a correction of the same slot, old value unnamed
        return None

    @staticmethod
    def _completed(low: str) -> str | None:
        if p.DENIED.search(low):
            return None  # "I didn't send the report" closes nothing
        m = p.COMPLETION.match(low)
        verb = past_lemma(m.group("verb")) if m else None
        if m is None or verb is None:
            return None
        obj = _head(m.group("what"))
        return f"{verb} {obj}" if obj else None

    def _instruction(
        self, s: _Sentence, is_question: bool, replaced: str | None = None
    ) -> Candidate | None:
        low = s.lower
        # CALL_ME matches only where the name is asked for: in "don't call me Sam, call me
        # Alex" that is Alex.
        call_me = p.CALL_ME.search(low)
        if call_me:
            name = s.value(call_me)
            return self._make(
                MemoryType.instruction,
                s,
                0.9,
                "instr:address",
                name.title(),
                content=f"Call the user {name.title()}",
            )
        slot = value = None
        refused = False  # "never use emojis": the slot's value, denied
        for name, pattern in p.INSTRUCTION_SLOTS:
            # "Stop replying in French, use German", "I don't like long answers, keep them
            # short": the value is the one asked for, not the one replaced or refused.
            found = list(pattern.finditer(low))
            wanted = [
                m
                for m in found
                if s.value(m).lower() != replaced
                and not p.REFUSED.search(_clause_before(low, m.start()))
            ]
            if found:
                slot, value, refused = name, s.value((wanted or found)[0]), not wanted
                break
        content = "Instruction: " + s.original.strip().rstrip(".!")
        if replaced is not None and slot:
            # "forget what I said and keep things to a few lines": a new standing instruction
            return self._make(
                MemoryType.instruction, s, 0.85, slot, value, refused, content=content
            )
        # "I hate it when you use emoji": the manner of replies, told as a dislike
        about_replies = (
            slot is not None
            and not is_question
            and bool(p.TO_THE_ASSISTANT.search(low))
            and not asks_for_work(low)  # "can you make a shopping list": work, not a format
        )
        if not (standing(low) or about_replies):
            return None  # "give me three tips about X" is a one-off request
        return self._make(MemoryType.instruction, s, 0.85, slot, value, refused, content=content)

    def _facts(self, s: _Sentence) -> Iterator[Candidate]:
        low, fact = s.lower, MemoryType.fact
        if (m := p.NAME.search(s.original) or p.INTRODUCTION.search(s.original)) and (
            s.value(m).lower() not in p.NOT_NAMES
        ):
            yield self._make(
                fact, s, 0.9, "name", s.value(m), content=f"{s.who}'s name is {s.value(m)}"
            )
        if m := p.HOME.search(s.original):
            yield self._make(
                fact, s, 0.9, "home", s.value(m), content=f"{s.who} lives in {s.value(m)}"
            )
        if m := p.ORIGIN.search(s.original):
            yield self._make(
                fact, s, 0.85, "origin", s.value(m), content=f"{s.who} is from {s.value(m)}"
            )
        if m := p.JOB_QUIT.search(low):
            yield self._make(fact, s, 0.8, "job", None, negated=True)
        elif m := (p.JOB_AS.search(low) or p.JOB_IS.search(low)):
            job = s.value(m)
            article = "an" if job[:1] in "aeiou" else "a"
            yield self._make(fact, s, 0.85, "job", job, content=f"{s.who} works as {article} {job}")
        if m := p.EMPLOYER.search(s.original) or p.PROFESSION_AT.search(s.original):
            yield self._make(
                fact, s, 0.85, "employer", s.value(m), content=f"{s.who} works at {s.value(m)}"
            )
        if m := p.BIRTHDAY.search(low):
            yield self._make(
                fact, s, 0.9, "birthday", s.value(m), content=f"{s.who}'s birthday is {s.value(m)}"
            )
        if m := p.AGE.search(low) or p.AGE_TURNED.search(low):
            yield self._make(
                fact, s, 0.85, "age", s.value(m), content=f"{s.who} is {s.value(m)} years old"
            )
        if m := p.NOT_ALLERGIC.search(low):
            value = _head(s.value(m)) or s.value(m)
            content = f"{s.who} is not allergic to {value}"
            yield self._make(fact, s, 0.9, "allergy", value, negated=True, content=content)
        elif m := p.ALLERGY_SUFFIX.search(low) or p.ALLERGY.search(low):
            value = _head(s.value(m)) or s.value(m)
            yield self._make(
                fact, s, 0.9, "allergy", value, content=f"{s.who} is allergic to {value}"
            )
        if m := p.DIET.search(low):
            yield self._make(fact, s, 0.85, "diet", m.group("v"))
        if m := p.DIET_AVOID.search(low):
            yield self._make(fact, s, 0.85, "diet:avoid", m.group("v"), negated=True)
        for m in p.LANGUAGE.finditer(low):
            yield self._make(fact, s, 0.85, "language", s.value(m).title())
        if m := p.EDUCATION.search(low):
            yield self._make(fact, s, 0.8, "education", _head(s.value(m)) or s.value(m))
        if (m := p.OWNED.match(s.original)) and m.group("thing").lower() not in p.NOT_OWNED:
            yield self._make(fact, s, 0.8, f"my:{m.group('thing').lower()}", s.value(m))
        for slot, pattern in p.STATUS.items():
            found = list(pattern.finditer(low))
            if found:
                yield self._make(fact, s, 0.8, slot, found[-1].group("v"))
        if m := p.PET.search(low):
            name = s.value(m, "name") if m.group("name") else ""
            yield self._make(fact, s, 0.85, "pet", f"{m.group('v')} {name}".strip())
        for m in p.FAMILY_RE.finditer(low):
            yield self._make(fact, s, 0.8, "family", m.group("v"))
            break

    def _preferences(self, s: _Sentence) -> Iterator[Candidate]:
        low, pref = s.lower, MemoryType.preference
        if m := p.FAVOURITE.search(low):
            what = _head(m.group("what")).split()[-1:] or ["thing"]
            yield self._make(pref, s, 0.9, f"pref:{what[0]}", s.value(m, "obj"))
            return
        for pattern, negated in (
            (p.DISLIKE, True),
            (p.LIKE, False),
            (p.FAN_OF, False),
            (p.FAN_SUFFIX, False),
            (p.IS_MY_THING, False),
            (p.RATHER, False),
            (p.HABIT, False),
            (p.WEAKNESS, False),
        ):
            m = pattern.search(low)
            if not m:
                continue
            raw = m.group("obj") or m.groupdict().get("obj2") or ""
            obj = _head(raw)
            if not obj or obj in ("it", "that", "this", "them", "to", "you"):
                continue
            if p.REACTION.match(raw.strip()):
                return  # "I love how you explained that": about this reply, not the user
            if obj.startswith("to "):
                obj = obj[3:]
            if _conditional(raw):
                # "I don't like hiking in the rain" says nothing of hiking in the sun: it is
                # not the value of pref:hiking, and replaces no memory that holds one.
                yield self._make(pref, s, 0.85, negated=negated)
                return
            head = obj.split()[-1]
            yield self._make(pref, s, 0.85, f"pref:{head}", obj, negated=negated)
            return

    def _entities(self, s: _Sentence) -> Iterator[Candidate]:
        for pattern in p.ENTITY_PATTERNS:
            m = pattern.search(s.original)
            if not m:
                continue
            name = m.group("name").strip()
            rel = (m.groupdict().get("rel") or "bank").lower().split()[-1]
            slot = f"rel:{rel}:{name.lower()}" if rel in p.MULTI_RELATIONS else f"rel:{rel}"
            yield self._make(MemoryType.entity, s, 0.85, slot, name)
            return

    def _commitment(self, s: _Sentence) -> Candidate | None:
        low = s.lower
        timed = bool(p.TIME_EXPRESSION.search(low))
        m = p.REMIND_ME.search(low) or p.COMMITMENT.search(low)
        if m:
            what = next((g for g in m.groups() if g), "").strip(" .!,")
            if p.LEAVING.match(what):
                return None  # "I have to go now, bye!" is a goodbye, not a plan
            return self._make(MemoryType.commitment, s, 0.9 if timed else 0.7)
        if p.INTENTION.search(low) and not re.search(r"\bi will (?:never|not)\b", low):
            # "I'll watch anything like that" is a disposition; "I'll call her on Friday" a plan.
            return self._make(MemoryType.commitment, s, 0.85 if timed else 0.5)
        return None
