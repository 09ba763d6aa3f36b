"""LLM reconciliation: for a candidate with close neighbours, the model proposes ADD / UPDATE /
SUPERSEDE / MERGE / NOOP with the neighbours in the prompt. Any failure or unusable answer
returns None and the rules in `core.reconcile` decide, so ingestion never waits on a bad reply.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from pydantic import BaseModel, ValidationError, field_validator

from longmem.core.reconcile import Advice, Neighbour
from longmem.llm.client import LLMUnavailable, OpenAIClient
from longmem.llm.prompts import load
from longmem.models import Candidate, Decision

log = logging.getLogger("longmem.llm")

PROMPT = "reconcile_v2"
RESPONSE_FORMAT = {
    "type": "json_schema",
    "json_schema": {
        "name": "reconciliation",
        "schema": {
            "type": "object",
            "properties": {
                "decision": {"enum": [d.value for d in Decision]},
                "target": {"type": ["integer", "null"]},
                "reason": {"type": "string"},
            },
            "required": ["decision", "target", "reason"],
        },
    },
}
_NEEDS_TARGET = {Decision.update, Decision.supersede, Decision.merge}


class _Answer(BaseModel):
    decision: Decision
    target: int | None = None
    reason: str = ""

    @field_validator("decision", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.strip().upper() if isinstance(value, str) else value


def reconciliation_prompt(candidate: Candidate, neighbours: Sequence[Neighbour]) -> str:
    listing = "\n".join(
        f"{i}. ({n.memory.type or 'turn'}) {n.memory.content}" for i, n in enumerate(neighbours)
    )
    return (
        load(PROMPT)
        .replace("{type}", candidate.type.value)
        .replace("{candidate}", candidate.content)
        .replace("{neighbours}", listing)
    )


class LLMJudge:
    def __init__(self, client: OpenAIClient, model: str) -> None:
        self._client, self._model = client, model

    def advise(self, candidate: Candidate, neighbours: Sequence[Neighbour]) -> Advice | None:
        try:
            reply = self._client.chat_json(
                model=self._model,
                purpose="reconciliation",
                prompt=reconciliation_prompt(candidate, neighbours),
                response_format=RESPONSE_FORMAT,
            )
        except LLMUnavailable as exc:
            log.warning("LLM reconciliation unavailable, rules decide", extra={"error": str(exc)})
            return None
        try:
            answer = _Answer.model_validate(reply)
        except ValidationError:
            log.info("LLM reconciliation answer unusable, rules decide")
            return None
        if answer.decision in _NEEDS_TARGET:
            if answer.target is None or not 0 <= answer.target < len(neighbours):
                return None
            target_id: str | None = neighbours[answer.target].memory.memory_id
        else:
            target_id = None
        reason = f"LLM: {answer.reason.strip() or answer.decision.value}"[:300]
        return Advice(
            answer.decision, target_id, reason, frozenset(n.memory.memory_id for n in neighbours)
        )
