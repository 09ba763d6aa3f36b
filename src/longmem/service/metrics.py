"""Prometheus metrics with the seed's names, in a registry of the app's own."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.requests = Counter(
            "memory_api_requests_total", "HTTP requests", ["method", "path", "status"], registry=r
        )
        self.request_duration = Histogram(
            "memory_api_request_duration_seconds",
            "HTTP request duration",
            ["method", "path"],
            registry=r,
        )
        self.retrieval_ms = Histogram(
            "memory_retrieval_duration_ms",
            "Memory retrieval duration in milliseconds",
            buckets=(1, 2, 5, 10, 20, 30, 50, 75, 100, 200, 500, 1000),
            registry=r,
        )
        self.retrieval_timeouts = Counter(
            "memory_retrieval_timeouts_total",
            "Retrievals that exceeded RETRIEVAL_TIMEOUT_MS",
            registry=r,
        )
        self.operations = Counter(
            "memory_operations_total", "Memory operations", ["operation"], registry=r
        )
        self.llm_duration = Histogram(
            "llm_call_duration_seconds", "LLM call duration", ["model", "purpose"], registry=r
        )
        self.llm_tokens = Counter(
            "llm_tokens_used_total", "LLM tokens used", ["model", "purpose"], registry=r
        )
        self.llm_cost = Gauge(
            "llm_cost_per_1000_turns_usd",
            "LLM cost per 1,000 recorded turns (this process)",
            registry=r,
        )
        self.cache_hits = Counter("cache_hits_total", "Cache hits", ["cache"], registry=r)
        self.cache_misses = Counter("cache_misses_total", "Cache misses", ["cache"], registry=r)
