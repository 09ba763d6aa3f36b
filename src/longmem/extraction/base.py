from __future__ import annotations

from typing import Protocol

from longmem.models import Candidate


class Extractor(Protocol):
    """Returns what a turn states that is worth remembering, each with a confidence. A named
    `speaker` (several people in one conversation) is whom the statements are about."""

    def extract(
        self, text: str, *, role: str = "user", speaker: str | None = None
    ) -> list[Candidate]: ...
