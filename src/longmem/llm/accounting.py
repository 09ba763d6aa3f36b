"""Token and cost accounting, from the usage the endpoint reports."""

from __future__ import annotations

import threading
from collections import Counter

from longmem.llm.client import Usage


class Accounting:
    def __init__(self, prices: dict[str, tuple[float, float]]) -> None:
        self._prices = prices  # USD per 1M tokens: (input, output)
        self._lock = threading.Lock()
        self.tokens: Counter[tuple[str, str, str]] = Counter()  # (model, purpose, kind)
        self.cost_usd = 0.0
        self.calls = 0

    def record(self, usage: Usage) -> None:
        price_in, price_out = self._prices.get(usage.model, (0.0, 0.0))
        with self._lock:
            self.calls += 1
            self.tokens[(usage.model, usage.purpose, "prompt")] += usage.prompt_tokens
            self.tokens[(usage.model, usage.purpose, "completion")] += usage.completion_tokens
            self.cost_usd += (
                usage.prompt_tokens * price_in + usage.completion_tokens * price_out
            ) / 1_000_000

    def per_1000_turns(self, turns: int) -> float:
        return self.cost_usd / turns * 1000 if turns else 0.0
