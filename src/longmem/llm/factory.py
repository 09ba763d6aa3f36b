"""Builds the LLM parts from settings; nothing when no endpoint is configured."""

from __future__ import annotations

from longmem.config import Settings
from longmem.extraction.base import Extractor
from longmem.llm.client import OpenAIClient, Recorder
from longmem.llm.extractor import LLMExtractor
from longmem.llm.reconciler import LLMJudge


def make_client(settings: Settings, recorder: Recorder | None = None) -> OpenAIClient | None:
    if not settings.llm_configured:
        return None
    return OpenAIClient(
        settings.llm_endpoint,
        settings.openai_api_key,
        timeout=settings.llm_timeout_seconds,
        max_retries=settings.llm_max_retries,
        recorder=recorder,
    )


def make_extractor(
    settings: Settings, client: OpenAIClient | None, fallback: Extractor
) -> Extractor:
    if client is None:
        return fallback
    return LLMExtractor(
        client, settings.llm_extraction_model, fallback, settings.memory_confidence_threshold
    )


def make_judge(settings: Settings, client: OpenAIClient | None) -> LLMJudge | None:
    """Reconciliation by the extraction model, when an endpoint is configured."""
    if client is None or not settings.llm_reconciliation:
        return None
    return LLMJudge(client, settings.llm_extraction_model)
