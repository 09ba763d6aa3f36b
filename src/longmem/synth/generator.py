"""Seeded, reproducible long conversations with planted memories and probe questions.

A conversation is laid out as exchanges (a user turn, then one assistant reply, occasionally
two). Planted statements take random user turns inside the plant window; contradictions
restate a planted single-valued fact with a new value well after it; every other user turn is
impersonal filler. Probes are asked after the last turn: one per planted memory and a set of
distractors about topics this conversation never touched.

All randomness comes from one `random.Random(seed)`, so a seed is a conversation.
"""

from __future__ import annotations

import random
from collections import Counter, deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from longmem.errors import ValidationError
from longmem.synth.catalog import (
    ACKNOWLEDGEMENTS,
    DISTRACTOR_TEMPLATES,
    FILLER_FOLLOW_UPS,
    FILLER_TOPICS,
    LINKS,
    MEMORY_FOLLOW_UPS,
    OPENERS,
    PLANTED_TEMPLATES,
    UPDATE_ACKNOWLEDGEMENTS,
)
from longmem.synth.templates import MEMORY_TYPES, FillerExchange, FillerTopic, PlantedTemplate

MAX_FILLER_REPEATS = 3
# Updates land at least this many turns before the end, so the newest value is never the
# conversation's last words when the probes are asked.
UPDATE_TAIL = 50

_SAME_TOPIC_P = 0.3  # a filler request stays on the previous filler topic ("Thanks! And…")
_OPENER_P = 0.2  # a new-topic request opens with "Quick question." and the like
_DOUBLE_REPLY_P = 0.04  # the assistant sends a second message after its reply
_RECENT = 40  # exchanges within which a filler request never recurs
_MAX_FILLER_DRAWS = 500


@dataclass(frozen=True)
class PlantedMemory:
    key: str  # unique within a conversation: "home", "pref:coffee", "rel:manager"
    type: str  # "preference" | "fact" | "commitment" | "instruction" | "entity"
    statement: str  # the user's turn that states it
    turn_number: int
    questions: tuple[str, ...]  # paraphrased questions whose answer is this memory
    value: str  # the value as stated here (the stale one if the memory is updated later)


@dataclass(frozen=True)
class Probe:
    question: str
    kind: str  # "planted" | "updated" | "distractor"
    key: str | None  # the PlantedMemory key; None for distractors
    answer_turns: tuple[int, ...]  # turns whose content answers it; empty for distractors
    stale_turns: tuple[int, ...]  # for "updated": the turn of the superseded value
    answer: str | None  # the value a correct answer names; None for distractors


@dataclass(frozen=True)
class Turn:
    turn_number: int
    role: str  # "user" | "assistant"
    content: str


@dataclass(frozen=True)
class Conversation:
    user_id: str
    turns: tuple[Turn, ...]
    planted: tuple[PlantedMemory, ...]
    probes: tuple[Probe, ...]

    def turn_dicts(self) -> list[dict[str, Any]]:
        """The turns as `Memory.add_turns` and `POST /turns` take them."""
        return [
            {"turn_number": t.turn_number, "role": t.role, "content": t.content} for t in self.turns
        ]


@dataclass(frozen=True)
class _Planted:
    memory: PlantedMemory
    template: PlantedTemplate
    slots: Mapping[str, str]  # every placeholder's value, so an update can reuse them


@dataclass(frozen=True)
class _Update:
    turn_number: int
    statement: str
    value: str


Exchange = tuple[int, ...]  # (user turn, assistant turn, ...)


def generate_conversation(
    *,
    seed: int,
    n_turns: int = 1200,
    n_planted: int = 45,
    plant_window: int = 100,
    n_contradictions: int = 0,
    n_distractors: int = 40,
    user_id: str | None = None,
) -> Conversation:
    """Build the conversation for `seed`; the same arguments always give the same result.

    Planted memories take distinct user turns in 1..plant_window, cover all five memory types
    (when n_planted >= 5) and never share a topic. `n_contradictions` of them get a later user
    turn, after the window and before `n_turns - 50`, that replaces the value; their probe is
    then of kind "updated". Distractor probes only ask about topics no planted memory touches.
    """
    _check_arguments(n_turns, n_planted, plant_window, n_contradictions, n_distractors)
    rng = random.Random(seed)
    exchanges = _layout(rng, n_turns, plant_window)
    templates = _choose_templates(rng, n_planted, n_contradictions)
    used: set[str] = set()
    planted = _plant(rng, exchanges, templates, plant_window, used)
    updates = _plant_updates(rng, exchanges, planted, used, n_contradictions, plant_window)
    memories = [p.memory for p in planted]
    return Conversation(
        user_id=user_id if user_id is not None else f"synth-{seed}",
        turns=_write_turns(rng, exchanges, memories, updates),
        planted=tuple(memories),
        probes=_probes(rng, planted, updates, n_distractors),
    )


def _check_arguments(
    n_turns: int, n_planted: int, plant_window: int, n_contradictions: int, n_distractors: int
) -> None:
    if n_turns < 2:
        raise ValidationError("must be at least 2", field="n_turns")
    if not 1 <= plant_window <= n_turns:
        raise ValidationError("must be between 1 and n_turns", field="plant_window")
    for field, value in (
        ("n_planted", n_planted),
        ("n_contradictions", n_contradictions),
        ("n_distractors", n_distractors),
    ):
        if value < 0:
            raise ValidationError("must not be negative", field=field)
    if n_contradictions > n_planted:
        raise ValidationError("cannot exceed n_planted", field="n_contradictions")


def _layout(rng: random.Random, n_turns: int, plant_window: int) -> list[Exchange]:
    """Split 1..n_turns into exchanges; inside the plant window roles strictly alternate."""
    exchanges: list[Exchange] = []
    turn = 1
    while turn <= n_turns:
        user_turn = turn
        replies = 2 if user_turn > plant_window and rng.random() < _DOUBLE_REPLY_P else 1
        last = min(user_turn + replies, n_turns)
        exchanges.append(tuple(range(user_turn, last + 1)))
        turn = last + 1
    return exchanges


def _choose_templates(
    rng: random.Random, n_planted: int, n_contradictions: int
) -> list[PlantedTemplate]:
    """Pick templates with pairwise-disjoint topics: one per type first, then updatable ones
    (so there are enough to contradict), then any."""
    candidates = list(PLANTED_TEMPLATES)
    rng.shuffle(candidates)
    chosen: list[PlantedTemplate] = []
    taken: set[str] = set()

    def fits(template: PlantedTemplate) -> bool:
        return len(chosen) < n_planted and taken.isdisjoint(template.topics)

    def take(template: PlantedTemplate) -> None:
        chosen.append(template)
        taken.update(template.topics)

    def short_of_updatable() -> bool:
        return sum(t.updatable for t in chosen) < n_contradictions

    memory_types = list(MEMORY_TYPES)
    rng.shuffle(memory_types)
    for memory_type in memory_types:
        of_type = [t for t in candidates if t.type == memory_type and fits(t)]
        if of_type:
            preferred = [t for t in of_type if t.updatable] if short_of_updatable() else []
            take((preferred or of_type)[0])
    for template in candidates:
        if short_of_updatable() and template.updatable and fits(template):
            take(template)
    for template in candidates:
        if fits(template):
            take(template)

    if len(chosen) < n_planted:
        raise ValidationError(
            f"the catalog holds at most {len(chosen)} non-overlapping topics", field="n_planted"
        )
    if short_of_updatable():
        raise ValidationError(
            "not enough single-valued memories to contradict", field="n_contradictions"
        )
    return chosen


def _plant(
    rng: random.Random,
    exchanges: Sequence[Exchange],
    templates: Sequence[PlantedTemplate],
    plant_window: int,
    used: set[str],
) -> list[_Planted]:
    """State each template's memory at its own random user turn inside the window."""
    window = [ex[0] for ex in exchanges if ex[0] <= plant_window]
    if len(window) < len(templates):
        raise ValidationError(
            f"only {len(window)} user turns fit in the plant window", field="n_planted"
        )
    placed = zip(rng.sample(window, len(templates)), templates, strict=True)
    planted: list[_Planted] = []
    for turn_number, template in sorted(placed, key=lambda pair: pair[0]):
        slots = {name: _draw(rng, pool, used) for name, pool in template.values.items()}
        memory = PlantedMemory(
            key=template.key,
            type=template.type,
            statement=_render(rng.choice(template.statements), slots),
            turn_number=turn_number,
            questions=template.questions,
            value=slots["value"],
        )
        planted.append(_Planted(memory, template, slots))
    return planted


def _plant_updates(
    rng: random.Random,
    exchanges: Sequence[Exchange],
    planted: Sequence[_Planted],
    used: set[str],
    n_contradictions: int,
    plant_window: int,
) -> dict[str, _Update]:
    """Give `n_contradictions` updatable memories a later user turn that replaces the value."""
    if n_contradictions == 0:
        return {}
    n_turns = exchanges[-1][-1]
    turns = [ex[0] for ex in exchanges if plant_window < ex[0] < n_turns - UPDATE_TAIL]
    if len(turns) < n_contradictions:
        raise ValidationError(
            f"only {len(turns)} user turns lie after plant_window and before "
            f"n_turns - {UPDATE_TAIL}",
            field="n_contradictions",
        )
    updatable = [p for p in planted if p.template.updatable]
    targets = rng.sample(updatable, n_contradictions)
    updates: dict[str, _Update] = {}
    for target, turn_number in zip(targets, rng.sample(turns, n_contradictions), strict=True):
        new_value = _draw(rng, target.template.values["value"], used)
        fill = {**target.slots, "old": target.memory.value, "new": new_value}
        statement = _render(rng.choice(target.template.updates), fill)
        updates[target.memory.key] = _Update(turn_number, statement, new_value)
    return updates


def _write_turns(
    rng: random.Random,
    exchanges: Sequence[Exchange],
    memories: Sequence[PlantedMemory],
    updates: Mapping[str, _Update],
) -> tuple[Turn, ...]:
    special: dict[int, tuple[str, tuple[str, ...]]] = {}
    for memory in memories:
        special[memory.turn_number] = (memory.statement, ACKNOWLEDGEMENTS[memory.type])
    for update in updates.values():
        special[update.turn_number] = (update.statement, UPDATE_ACKNOWLEDGEMENTS)

    filler = _FillerWriter(rng, FILLER_TOPICS)
    turns: list[Turn] = []
    for user_turn, *assistant_turns in exchanges:
        if user_turn in special:
            request, acknowledgements = special[user_turn]
            replies = [rng.choice(acknowledgements), rng.choice(MEMORY_FOLLOW_UPS)]
            filler.break_topic()
        else:
            request, reply = filler.exchange()
            replies = [reply, rng.choice(FILLER_FOLLOW_UPS)]
        turns.append(Turn(user_turn, "user", request))
        for turn_number, content in zip(assistant_turns, replies, strict=False):
            turns.append(Turn(turn_number, "assistant", content))
    return tuple(turns)


def _probes(
    rng: random.Random,
    planted: Sequence[_Planted],
    updates: Mapping[str, _Update],
    n_distractors: int,
) -> tuple[Probe, ...]:
    probes: list[Probe] = []
    for memory in (p.memory for p in planted):
        question = rng.choice(memory.questions)
        update = updates.get(memory.key)
        if update is None:
            probe = Probe(
                question=question,
                kind="planted",
                key=memory.key,
                answer_turns=(memory.turn_number,),
                stale_turns=(),
                answer=memory.value,
            )
        else:
            probe = Probe(
                question=question,
                kind="updated",
                key=memory.key,
                answer_turns=(update.turn_number,),
                stale_turns=(memory.turn_number,),
                answer=update.value,
            )
        probes.append(probe)

    touched = {topic for p in planted for topic in p.template.topics}
    eligible = [d for d in DISTRACTOR_TEMPLATES if d.topic not in touched]
    if len(eligible) < n_distractors:
        raise ValidationError(
            f"only {len(eligible)} distractor topics are free of planted topics",
            field="n_distractors",
        )
    for template in rng.sample(eligible, n_distractors):
        probes.append(Probe(rng.choice(template.questions), "distractor", None, (), (), None))
    rng.shuffle(probes)
    return tuple(probes)


class _FillerWriter:
    """Draws impersonal request/reply pairs.

    A request (ignoring its "Thanks!"-style prefix) is used at most MAX_FILLER_REPEATS times
    and never twice within _RECENT exchanges, so a retriever cannot lean on verbatim repeats.
    """

    def __init__(self, rng: random.Random, topics: Sequence[FillerTopic]) -> None:
        self._rng = rng
        self._topics = topics
        self._previous: tuple[FillerTopic, FillerExchange] | None = None
        self._uses: Counter[str] = Counter()
        self._recent: deque[str] = deque(maxlen=_RECENT)

    def break_topic(self) -> None:
        self._previous = None

    def exchange(self) -> tuple[str, str]:
        rng = self._rng
        for _ in range(_MAX_FILLER_DRAWS):
            if self._previous is not None and rng.random() < _SAME_TOPIC_P:
                topic, last = self._previous
                template = rng.choice([e for e in topic.exchanges if e is not last])
                prefix = rng.choice(LINKS)
            else:
                topic = self._other_topic()
                template = rng.choice(topic.exchanges)
                prefix = rng.choice(OPENERS) if rng.random() < _OPENER_P else ""
            slots = {name: rng.choice(pool) for name, pool in topic.values.items()}
            request = _render(template.request, slots)
            if self._uses[request] < MAX_FILLER_REPEATS and request not in self._recent:
                self._uses[request] += 1
                self._recent.append(request)
                self._previous = (topic, template)
                return prefix + request, _render(rng.choice(template.replies), slots)
        # The catalog holds about 2,900 distinct requests, enough for conversations of some
        # 17,000 turns; getting here means one far longer than it was written for.
        raise ValidationError("the filler catalog is exhausted", field="n_turns")

    def _other_topic(self) -> FillerTopic:
        previous = self._previous[0] if self._previous else None
        topic = self._rng.choice(self._topics)
        while topic is previous:
            topic = self._rng.choice(self._topics)
        return topic


def _draw(rng: random.Random, pool: Sequence[str], used: set[str]) -> str:
    """A value from `pool` not yet used in this conversation, so each value names one memory."""
    fresh = [value for value in pool if value not in used]
    if not fresh:
        raise ValidationError("a value pool ran out of unused values", field="n_planted")
    value = rng.choice(fresh)
    used.add(value)
    return value


def _render(template: str, slots: Mapping[str, str]) -> str:
    text = template.format_map(slots)
    return text[:1].upper() + text[1:]
