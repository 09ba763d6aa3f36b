"""Cost accounting, from the usage the endpoint reports (tokens are counted by Prometheus)."""

from __future__ import annotations

import threading

from longmem.llm.client import Usage


class Accounting:
    def __init__(self, prices: dict[str, tuple[float, float]]) -> None:
        self._prices = prices  # USD per 1M tokens: (input, output)
        self._lock = threading.Lock()
        self.cost_usd = 0.0

    def record(self, usage: Usage) -> None:
        price_in, price_out = self._prices.get(usage.model, (0.0, 0.0))
        cost = (usage.prompt_tokens * price_in + usage.completion_tokens * price_out) / 1e6
        with self._lock:
            self.cost_usd += cost

    def per_1000_turns(self, turns: int) -> float:
        return self.cost_usd / turns * 1000 if turns else 0.0
