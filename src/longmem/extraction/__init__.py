"""Extractors turn a turn's text into typed memory candidates."""

from longmem.extraction.base import Extractor
from longmem.extraction.offline import OfflineExtractor

__all__ = ["Extractor", "OfflineExtractor"]
