"""`longmem bench`: recall, false positives, staleness, latency and throughput, both stores."""

from longmem.benchmark.runner import run

__all__ = ["run"]
