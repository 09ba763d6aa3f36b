"""Settings read from the environment (and `.env`), with the seed's variable names."""

from __future__ import annotations

import hmac
import json
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Literal

import pydantic
from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from longmem.errors import ConfigurationError

# USD per 1M input and output tokens, OpenAI's list prices for the seed's models.
PRICES_DEFAULT = '{"gpt-4o-mini": [0.15, 0.60], "gpt-4o": [2.50, 10.00]}'


class Settings(BaseSettings):
    """Every knob longmem has. Nothing is required: the defaults run the embedded store."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", case_sensitive=False)

    longmem_home: Path = Field(
        default=Path(".longmem"), description="Directory of the embedded store."
    )
    database_url: str | None = Field(
        default=None,
        description="`sqlite:///path.db` (default: LONGMEM_HOME/longmem.db) or "
        "`postgresql://...` (pgvector; SSL options pass through the URL).",
    )
    connection_pool_size: int = Field(default=10, ge=1, le=1000)
    pg_partitions: int = Field(default=16, ge=1, le=1024, description="Hash partitions by user.")

    vector_index: Literal["store", "pinecone"] = Field(
        default="store",
        description="`store`: vectors searched in the store itself. `pinecone`: dense search "
        "in a Pinecone index (one namespace per tenant and user); records, history and full "
        "text stay in the store. Needs `pip install longmem[pinecone]`.",
    )
    pinecone_api_key: str | None = Field(
        default=None, description="Key of the Pinecone project (VECTOR_INDEX=pinecone)."
    )
    pinecone_index: str | None = Field(
        default=None,
        description="Name of an existing Pinecone index with the embedder's dimension and the "
        "cosine (or dotproduct) metric.",
    )
    pinecone_host: str | None = Field(
        default=None,
        description="The index's data-plane host; without it, found once at start-up through "
        "Pinecone's control plane (describe index).",
    )
    pinecone_timeout_seconds: float = Field(
        default=5.0, gt=0, le=300, description="Per request to Pinecone (the SDK retries 5xx)."
    )

    memory_retrieval_top_k: int = Field(default=10, ge=1, le=200)
    retrieval_timeout_ms: int = Field(default=50, ge=1)
    max_context_tokens: int = Field(default=2000, ge=50)
    batch_embedding_size: int = Field(default=64, ge=1, le=1024)
    memory_confidence_threshold: float = Field(default=0.6, ge=0.0, le=1.0)
    memory_decay_days: float = Field(default=30.0, gt=0)
    memory_decay_turns: float = Field(
        default=1000.0, gt=0, description="Turn distance at which recency has halved."
    )
    memory_cache_hot_threshold: int = Field(default=5, ge=1)
    max_content_chars: int = Field(default=10_000, ge=16)
    episodic_chunk_chars: int = Field(
        default=1_000, ge=100, description="Long turns are stored as chunks of about this size."
    )

    score_weight_semantic: float = Field(default=0.4, ge=0)
    score_weight_recency: float = Field(default=0.3, ge=0)
    score_weight_access: float = Field(default=0.2, ge=0)
    score_weight_confidence: float = Field(default=0.1, ge=0)
    relevance_floor: float = Field(
        default=0.32,
        ge=0,
        le=1,
        description=(
            "Relevance a question's best memory needs for `context` to add recalled memories"
            " to a prompt (calibrated on REALTALK: bench/calibrate_realtalk.py)."
        ),
    )

    optimize_min_decay_score: float = Field(
        default=0.05, ge=0, le=1, description="Below this, unused semantic memories are removed."
    )
    optimize_protect_recent_turns: int = Field(
        default=200, ge=0, description="Memories used within this many turns are never removed."
    )

    redis_url: str | None = Field(
        default=None, description="redis://...: Redis cache (and the Celery broker)."
    )
    redis_cache_ttl: int = Field(default=3600, ge=1, description="Seconds a cache entry lives.")

    optimize_interval_seconds: int = Field(
        default=3600, ge=1, description="How often Celery beat optimizes every user."
    )
    task_redelivery_seconds: int = Field(
        default=3600,
        ge=1,
        description="Seconds after which Redis hands a task whose Celery worker died to another"
        " worker (the broker's visibility timeout); longer than the longest task.",
    )

    openai_api_key: str | None = Field(default=None, description="Key for the LLM endpoint.")
    openai_base_url: str | None = Field(
        default=None, description="Any OpenAI-compatible endpoint (vLLM, Ollama, llama.cpp)."
    )
    llm_extraction_model: str = Field(default="gpt-4o-mini")
    llm_response_model: str = Field(default="gpt-4o")
    llm_reconciliation: bool = Field(
        default=True,
        description="With an LLM configured, let it decide reconciliation for candidates "
        "with close neighbours (one more call each); false keeps the rules.",
    )
    llm_timeout_seconds: float = Field(default=30.0, gt=0)
    llm_max_retries: int = Field(default=3, ge=0, le=10)
    llm_prices: str = Field(
        default=PRICES_DEFAULT,
        description="JSON: model -> [USD per 1M input tokens, USD per 1M output tokens].",
    )

    api_keys: str = Field(
        default="",
        description="Comma-separated KEY:TENANT pairs; empty runs the service open (local use).",
    )
    log_pii: bool = Field(default=False, description="Log message contents (redacted if false).")
    max_request_bytes: int = Field(default=1_048_576, ge=1024, description="Larger bodies: 413.")
    host: str = Field(default="127.0.0.1")
    port: int = Field(default=8000, ge=1, le=65535)
    workers: int = Field(
        default=1,
        ge=1,
        le=64,
        description="`longmem serve` processes sharing the port. More than one needs PostgreSQL: "
        "each process keeps its own copy of the users it searches, which only PostgreSQL's "
        "write counters keep current across processes.",
    )

    embedding_model_dir: Path | None = Field(
        default=None, description="Local MiniLM directory; defaults to the installed package."
    )
    embedding_provider: Literal["local", "local-int8", "openai"] = Field(
        default="local",
        description="`local`: MiniLM on this machine. `local-int8`: the same with its matrix "
        "products in int8 (faster; recall a little lower: docs/llm.md). `openai`: "
        "EMBEDDING_MODEL at the LLM endpoint. Changing it needs `longmem reembed`.",
    )
    embedding_model: str = Field(
        default="text-embedding-3-small", description="Model name when EMBEDDING_PROVIDER=openai."
    )
    embedding_dimension: int | None = Field(
        default=None, ge=8, le=16_000, description="Vector width of an unlisted OpenAI model."
    )

    @field_validator("database_url")
    @classmethod
    def _known_scheme(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(
            ("sqlite:///", "postgresql://", "postgres://")
        ):
            raise ValueError("expected sqlite:///PATH or postgresql://...")
        return value

    @field_validator("api_keys")
    @classmethod
    def _key_tenant_pairs(cls, value: str) -> str:
        _pairs(value)
        return value

    @field_validator("llm_prices")
    @classmethod
    def _price_table(cls, value: str) -> str:
        try:
            table = json.loads(value)
            ok = isinstance(table, dict) and all(
                isinstance(p, list) and len(p) == 2 and all(isinstance(x, int | float) for x in p)
                for p in table.values()
            )
        except json.JSONDecodeError:
            ok = False
        if not ok:
            raise ValueError('expected JSON like {"gpt-4o-mini": [0.15, 0.60]} (USD per 1M tokens)')
        return value

    @model_validator(mode="after")
    def _pinecone_complete(self) -> Settings:
        if self.vector_index == "pinecone":
            missing = [
                name
                for name, value in (
                    ("PINECONE_API_KEY", self.pinecone_api_key),
                    ("PINECONE_INDEX", self.pinecone_index),
                )
                if not (value and value.strip())
            ]
            if missing:
                raise ValueError(f"VECTOR_INDEX=pinecone needs {' and '.join(missing)}")
        return self

    @model_validator(mode="after")
    def _workers_need_postgres(self) -> Settings:
        self.check_workers(self.workers)
        return self

    def check_workers(self, workers: int) -> None:
        if workers > 1 and not self.uses_postgres:
            raise ValueError(
                f"{workers} workers need DATABASE_URL=postgresql://...: the SQLite store's "
                "search index belongs to one process, so a second one would answer from a stale "
                "copy"
            )

    @property
    def uses_postgres(self) -> bool:
        return bool(self.database_url and self.database_url.startswith("postgres"))

    @property
    def llm_configured(self) -> bool:
        return bool(self.openai_api_key or self.openai_base_url)

    @property
    def llm_endpoint(self) -> str:
        return self.openai_base_url or "https://api.openai.com/v1"

    @property
    def prices(self) -> dict[str, tuple[float, float]]:
        raw = json.loads(self.llm_prices)
        return {model: (float(p[0]), float(p[1])) for model, p in raw.items()}

    @property
    def tenant_keys(self) -> dict[str, str]:
        """API key -> tenant."""
        return _pairs(self.api_keys)

    @property
    def sqlite_path(self) -> Path:
        if self.database_url and self.database_url.startswith("sqlite:///"):
            return Path(self.database_url.removeprefix("sqlite:///"))
        return self.longmem_home / "longmem.db"


def tenant_of(keys: Mapping[str, str], key: str) -> str | None:
    """The tenant of an API key, None for an unknown one. Every configured key is compared,
    each in constant time: no timing hint of which key was nearly right."""
    match = None
    for candidate, tenant in keys.items():
        if hmac.compare_digest(candidate.encode(), key.encode()):
            match = tenant
    return match


def _variable(loc: tuple[int | str, ...]) -> str:
    return "_".join(str(part) for part in loc).upper() or "settings"


def _pairs(api_keys: str) -> dict[str, str]:
    """KEY:TENANT pairs; a malformed entry is named by its place, never by its text (a key)."""
    entries = [part.strip() for part in api_keys.split(",") if part.strip()]
    pairs: dict[str, str] = {}
    for number, item in enumerate(entries, start=1):
        key, _, tenant = item.partition(":")
        if not key or not tenant:
            raise ValueError(f"entry {number} of {len(entries)} is not KEY:TENANT")
        pairs[key] = tenant
    return pairs


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Settings from the environment; a bad value is a `ConfigurationError` naming the variable
    (its value is not repeated: it may be a key or a password)."""
    try:
        return Settings()
    except pydantic.ValidationError as exc:
        problems = "; ".join(f"{_variable(error['loc'])}: {error['msg']}" for error in exc.errors())
        raise ConfigurationError(f"invalid configuration: {problems}") from None
