"""longmem: long-term memory for LLM applications."""

from longmem.async_memory import AsyncMemory
from longmem.client import AsyncClient, Client
from longmem.config import Settings
from longmem.errors import (
    AuthenticationError,
    ConfigurationError,
    ConflictError,
    ContentTooLargeError,
    EmbedderError,
    LongmemError,
    NotFoundError,
    StoreError,
    ValidationError,
)
from longmem.memory import Memory
from longmem.models import (
    ContextBlock,
    Decision,
    MemoryEvent,
    MemoryKind,
    MemoryRecord,
    MemoryStatus,
    MemoryType,
    OptimizeReport,
    SearchHit,
    TurnIn,
    TurnResult,
    UserStats,
)

__all__ = [
    "AsyncClient",
    "AsyncMemory",
    "AuthenticationError",
    "Client",
    "ConfigurationError",
    "ConflictError",
    "ContentTooLargeError",
    "ContextBlock",
    "Decision",
    "EmbedderError",
    "LongmemError",
    "Memory",
    "MemoryEvent",
    "MemoryKind",
    "MemoryRecord",
    "MemoryStatus",
    "MemoryType",
    "NotFoundError",
    "OptimizeReport",
    "SearchHit",
    "Settings",
    "StoreError",
    "TurnIn",
    "TurnResult",
    "UserStats",
    "ValidationError",
]
__version__ = "0.1.0"
