"""Embeddings from an OpenAI-compatible `/embeddings` endpoint (text-embedding-3-small, or a
vLLM / Ollama / llama.cpp server)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from longmem.embedding.base import Vectors
from longmem.errors import EmbedderError
from longmem.llm.client import LLMUnavailable, OpenAIClient

KNOWN_DIMENSIONS = {
    "text-embedding-3-small": 1536,
    "text-embedding-3-large": 3072,
    "text-embedding-ada-002": 1536,
}


class OpenAIEmbedder:
    def __init__(
        self, client: OpenAIClient, model: str, dimension: int | None = None, batch: int = 64
    ) -> None:
        dimension = dimension or KNOWN_DIMENSIONS.get(model)
        if dimension is None:
            raise EmbedderError(
                f"the width of {model!r} vectors is unknown: set EMBEDDING_DIMENSION"
            )
        self._client, self._model, self._dimension, self._batch = client, model, dimension, batch

    @property
    def model_name(self) -> str:
        return self._model

    @property
    def dimension(self) -> int:
        return self._dimension

    def embed(self, texts: Sequence[str]) -> Vectors:
        rows: list[list[float]] = []
        for start in range(0, len(texts), self._batch):
            part = list(texts[start : start + self._batch])
            try:
                got = self._client.embeddings(model=self._model, texts=part)
            except LLMUnavailable as exc:
                # No fallback: vectors of another model would not be comparable with the store's.
                raise EmbedderError(f"embedding endpoint unavailable: {exc}") from exc
            if len(got) != len(part) or any(len(v) != self._dimension for v in got):
                raise EmbedderError(
                    f"{self._model} answered {len(got)} vectors of width "
                    f"{len(got[0]) if got else 0}; expected {len(part)} of {self._dimension}"
                )
            rows.extend(got)
        matrix: Vectors = np.asarray(rows, dtype=np.float32).reshape(len(rows), self._dimension)
        matrix /= np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-12)
        return matrix
