"""The shapes of the catalog's rows: planted-memory, filler and distractor templates.

Templates are `str.format` strings. A planted template's main slot is always `{value}`; any
other placeholder is extra context drawn from `values` the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

MEMORY_TYPES = ("preference", "fact", "commitment", "instruction", "entity")


@dataclass(frozen=True)
class PlantedTemplate:
    """One kind of personal memory a user may state, with how they would later ask for it."""

    key: str  # the memory's slot, in `longmem.core.slots` vocabulary: "home", "pref:coffee"
    type: str  # one of MEMORY_TYPES
    statements: tuple[str, ...]  # the user stating it
    questions: tuple[str, ...]  # asked much later; never contain a slot value
    values: Mapping[str, tuple[str, ...]]  # placeholder -> choices; "value" is the answer
    # How the user replaces the value later ({old}, {new}). Only single-valued slots have these.
    updates: tuple[str, ...] = ()
    # Other topics a statement of this template would answer, so neither a second planted
    # memory nor a distractor lands on them ("rel:vet" also says the user has a pet).
    related: tuple[str, ...] = ()

    @property
    def topics(self) -> tuple[str, ...]:
        return (self.key, *self.related)

    @property
    def updatable(self) -> bool:
        return bool(self.updates)


@dataclass(frozen=True)
class FillerExchange:
    """An impersonal request and the replies that fit it; both share the topic's slots."""

    request: str
    replies: tuple[str, ...]


@dataclass(frozen=True)
class FillerTopic:
    name: str
    values: Mapping[str, tuple[str, ...]]
    exchanges: tuple[FillerExchange, ...]


@dataclass(frozen=True)
class DistractorTemplate:
    """Personal questions about a topic; asked only when nothing on `topic` was planted."""

    topic: str
    questions: tuple[str, ...]


def exchange(request: str, *replies: str) -> FillerExchange:
    return FillerExchange(request, replies)


def distractor(topic: str, *questions: str) -> DistractorTemplate:
    return DistractorTemplate(topic, questions)
