"""LLM extraction: one structured-output call per turn, validated item by item.

Malformed output is repaired where it can be (code fences, text around the JSON) and
rejected per item where it cannot; an unreachable endpoint falls back to the offline
extractor, so ingestion never stops on the LLM.
"""

from __future__ import annotations

import logging
from typing import Any

from pydantic import ValidationError as PydanticError

from longmem.extraction.base import Extractor
from longmem.llm.client import LLMUnavailable, OpenAIClient
from longmem.llm.prompts import load
from longmem.models import Candidate

log = logging.getLogger("longmem.llm")

PROMPT = "extract_v3"
_ITEM = {
    "type": "object",
    "properties": {
        "type": {"enum": ["preference", "fact", "commitment", "instruction", "entity"]},
        "content": {"type": "string"},
        "confidence": {"type": "number"},
        "slot": {"type": ["string", "null"]},
        "value": {"type": ["string", "null"]},
        "negated": {"type": "boolean"},
        "replaces": {"type": ["string", "null"]},
        "completes": {"type": ["string", "null"]},
    },
    "required": ["type", "content", "confidence"],
}
RESPONSE_FORMAT = {
    "type": "json_schema",
    "json_schema": {
        "name": "memories",
        "schema": {
            "type": "object",
            "properties": {"memories": {"type": "array", "items": _ITEM}},
            "required": ["memories"],
        },
    },
}


def memory_items(data: Any) -> list[Any] | None:
    """The list of memory items in a structured reply; None if there is none."""
    if isinstance(data, dict) and isinstance(data.get("memories"), list):
        return list(data["memories"])
    if isinstance(data, list):
        return data
    return None


def extraction_prompt(text: str, role: str = "user", speaker: str | None = None) -> str:
    who = speaker or "the user"
    return load(PROMPT).replace("{role}", role).replace("{speaker}", who).replace("{text}", text)


class LLMExtractor:
    def __init__(
        self,
        client: OpenAIClient,
        model: str,
        fallback: Extractor,
        confidence_threshold: float = 0.6,
    ) -> None:
        self._client, self._model, self._fallback = client, model, fallback
        self.confidence_threshold = confidence_threshold

    def extract(
        self, text: str, *, role: str = "user", speaker: str | None = None
    ) -> list[Candidate]:
        if role != "user" or not text.strip():
            return []
        try:
            reply = self._client.chat_json(
                model=self._model,
                purpose="extraction",
                prompt=extraction_prompt(text, role, speaker),
                response_format=RESPONSE_FORMAT,
            )
        except LLMUnavailable as exc:
            log.warning(
                "LLM extraction unavailable, using the offline extractor", extra={"error": str(exc)}
            )
            return self._fallback.extract(text, role=role, speaker=speaker)
        items = memory_items(reply)
        if items is None:
            log.warning("LLM extraction returned no usable JSON, using the offline extractor")
            return self._fallback.extract(text, role=role, speaker=speaker)
        found: list[Candidate] = []
        for item in items:
            if not isinstance(item, dict):
                continue
            item.setdefault("source_text", text)
            try:
                item["confidence"] = min(1.0, max(0.0, float(item.get("confidence") or 0)))
                candidate = Candidate.model_validate(
                    {k: v for k, v in item.items() if k in Candidate.model_fields}
                )
            except (PydanticError, TypeError, ValueError):
                log.info("dropped a malformed extracted item")
                continue
            if candidate.content.strip() and candidate.confidence >= self.confidence_threshold:
                found.append(candidate)
        return found
