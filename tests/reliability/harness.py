"""The reliability suite's processes and store checks live in the package (the bench runs
the same scenarios at full size): longmem.benchmark.served."""

from longmem.benchmark.served import (
    OwnPostgres,
    Served,
    StoreView,
    celery,
    clean_env,
    end,
    free_port,
    own_postgres,
    own_redis,
    said,
    serving,
    wait_for,
)

__all__ = [
    "OwnPostgres",
    "Served",
    "StoreView",
    "celery",
    "clean_env",
    "end",
    "free_port",
    "own_postgres",
    "own_redis",
    "said",
    "serving",
    "wait_for",
]
