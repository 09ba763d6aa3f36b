"""Embedders turn text into unit-length float32 vectors."""

from longmem.embedding.base import Embedder
from longmem.embedding.minilm import MiniLMEmbedder

__all__ = ["Embedder", "MiniLMEmbedder"]
