"""Prompt files, versioned by name (extract_v3, respond_v1, reconcile_v2)."""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def load(name: str) -> str:
    return resources.files(__name__).joinpath(f"{name}.md").read_text()
