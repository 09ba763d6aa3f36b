"""Chooses the embedder from settings: the local model (float32 or int8) unless
EMBEDDING_PROVIDER=openai."""

from __future__ import annotations

from longmem.config import Settings
from longmem.embedding.base import Embedder


def make_embedder(settings: Settings) -> Embedder:
    if settings.embedding_provider == "openai":
        from longmem.embedding.openai import OpenAIEmbedder
        from longmem.llm.client import OpenAIClient

        client = OpenAIClient(
            settings.llm_endpoint,
            settings.openai_api_key,
            timeout=settings.llm_timeout_seconds,
            max_retries=settings.llm_max_retries,
        )
        return OpenAIEmbedder(
            client,
            settings.embedding_model,
            settings.embedding_dimension,
            batch=settings.batch_embedding_size,
        )
    from longmem.embedding.minilm import MiniLMEmbedder

    return MiniLMEmbedder(
        settings.embedding_model_dir, int8=settings.embedding_provider == "local-int8"
    )
