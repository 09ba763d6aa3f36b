"""The FastAPI application: components chosen once from settings, routes in `routes`."""

from __future__ import annotations

import gc
import logging
import threading
from collections import Counter
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from longmem.cache import open_cache
from longmem.config import Settings, get_settings, tenant_of
from longmem.embedding.base import Embedder
from longmem.embedding.factory import make_embedder
from longmem.errors import LongmemError
from longmem.extraction import OfflineExtractor
from longmem.llm.accounting import Accounting
from longmem.llm.client import Usage
from longmem.llm.factory import make_client, make_extractor, make_judge
from longmem.llm.responder import LLMResponder
from longmem.mcp_server import TenantMcpApp
from longmem.memory import Memory
from longmem.service import errors, inspector, logs
from longmem.service.limits import BodyLimit
from longmem.service.measure import MeasureRequests
from longmem.service.metrics import Metrics
from longmem.service.schemas import complete_openapi
from longmem.service.worker import ExtractionWorker, TaskQueue
from longmem.store.embedding_record import check_embedder
from longmem.store.factory import open_store

log = logging.getLogger("longmem.api")


class Service:
    """Everything a request needs, built at start-up and shared by all requests."""

    def __init__(self, settings: Settings, embedder: Embedder) -> None:
        self.settings = settings
        self.keys = settings.tenant_keys
        self.embedder = embedder
        self.store = open_store(settings, embedder.dimension)
        try:
            check_embedder(self.store, embedder)  # refuse to start on another model's vectors
        except LongmemError:
            self.store.close()
            raise
        self.metrics = Metrics()
        self.retrieval_pool = ThreadPoolExecutor(max_workers=8, thread_name_prefix="retrieval")
        self._memories: dict[str, Memory] = {}
        self._lock = threading.Lock()
        self.cache = open_cache(settings)
        self.accounting = Accounting(settings.prices)
        self.turns_recorded = 0
        self.llm = make_client(settings, recorder=self._record_llm)
        self.responder = LLMResponder(self.llm, settings.llm_response_model) if self.llm else None
        self.extractor = make_extractor(
            settings, self.llm, OfflineExtractor(settings.memory_confidence_threshold)
        )
        self.judge = make_judge(settings, self.llm)
        self._seen_hits: Counter[str] = Counter()
        self._seen_misses: Counter[str] = Counter()
        self.worker: TaskQueue
        if settings.redis_url:
            from longmem.worker.queue import CeleryQueue

            self.worker = CeleryQueue()
        else:
            self.worker = ExtractionWorker(
                self.memory, on_done=lambda outcome: self.metrics.operations.labels(outcome).inc()
            )
        self.resumed = self._resume_extraction()

    def _resume_extraction(self) -> int:
        """Queues again every turn a crash left unextracted (the store's outbox)."""
        pending = self.store.pending_extractions()
        for tenant, user_id, turn in pending:
            self.worker.submit(tenant, user_id, turn)
        if pending:
            log.info("resuming queued extraction", extra={"turns": len(pending)})
        return len(pending)

    def memory(self, tenant: str) -> Memory:
        with self._lock:
            found = self._memories.get(tenant)
            if found is None:
                found = Memory(
                    self.settings,
                    store=self.store,
                    embedder=self.embedder,
                    cache=self.cache,
                    extractor=self.extractor,
                    judge=self.judge,
                    tenant_id=tenant,
                )
                self._memories[tenant] = found
            return found

    def _record_llm(self, usage: Usage) -> None:
        self.metrics.llm_duration.labels(usage.model, usage.purpose).observe(usage.seconds)
        self.metrics.llm_tokens.labels(usage.model, usage.purpose).inc(
            usage.prompt_tokens + usage.completion_tokens
        )
        self.accounting.record(usage)

    def count_turns(self, n: int) -> None:
        with self._lock:
            self.turns_recorded += n

    @property
    def cost_per_1000_turns(self) -> float:
        return self.accounting.per_1000_turns(self.turns_recorded)

    def memories(self) -> list[Memory]:
        with self._lock:
            return list(self._memories.values())

    def sync_cache_counters(self) -> None:
        """Counters only go up: add what the cache counted since the last scrape."""
        with self._lock:
            for kind in ("query_embedding", "memory"):
                for counter, seen, current in (
                    (self.metrics.cache_hits, self._seen_hits, self.cache.hits),
                    (self.metrics.cache_misses, self._seen_misses, self.cache.misses),
                ):
                    counter.labels(kind).inc(max(0, current[kind] - seen[kind]))
                    seen[kind] = current[kind]

    def tenant_for(self, key: str) -> str | None:
        return tenant_of(self.keys, key)

    def users(self, tenant: str) -> list[str]:
        """The tenant's users holding memories (turns or explicit memories); the store lists
        every tenant's."""
        return [user for owner, user in self.store.memory_owners() if owner == tenant]

    def close(self) -> None:
        self.worker.close()
        if self.llm is not None:
            self.llm.close()
        self.retrieval_pool.shutdown(wait=False, cancel_futures=True)
        for memory in self._memories.values():
            memory.close()
        self.store.close()


# For a process of the service's own (`longmem serve`): a full collection walks every object
# alive, and a user's index of 10,000 memories is ~180,000 of them; over 400 searches of one
# user holding REALTALK the longest pause was 97 ms, against 3 ms with young collections run
# less often. What is alive at start-up (the model, the word tables) is also kept out of full
# collections. Both are process-wide, so an application embedding the service is left alone.
YOUNG_COLLECTION_THRESHOLD = (10_000, 20, 20)


def create_served_app() -> FastAPI:
    """The application for `longmem serve`, whose process it owns."""
    return create_app(own_process=True)


def create_app(
    settings: Settings | None = None,
    *,
    embedder: Embedder | None = None,
    own_process: bool = False,
) -> FastAPI:
    settings = settings or get_settings()
    logs.configure()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        model = embedder
        if model is None:
            model = make_embedder(settings)
        service = Service(settings, model)
        app.state.service = service
        if own_process:
            gc.freeze()
            gc.set_threshold(*YOUNG_COLLECTION_THRESHOLD)
        if not service.keys:
            log.warning(
                "NO API KEYS CONFIGURED: the service is open to anyone who can reach it. "
                "Set API_KEYS=key:tenant,... before exposing it beyond this machine.",
                extra={"listen": f"{settings.host}:{settings.port}"},
            )
        log.info("ready", extra={"store": str(service.store.path)})
        try:
            async with mcp.lifespan():
                yield
        finally:
            service.close()

    app = FastAPI(
        title="longmem",
        version="0.1.0",
        description="Long-term memory for LLM applications.",
        lifespan=lifespan,
    )
    errors.install(app)
    # Inside the measuring middleware below (added later, so outside it): refusals are counted.
    app.add_middleware(BodyLimit, max_bytes=settings.max_request_bytes)

    app.add_middleware(
        MeasureRequests, service=lambda scope: getattr(scope["app"].state, "service", None)
    )

    from longmem.service.routes import router, system

    app.include_router(router)
    app.include_router(system)
    inspector.mount(app)
    # MCP over streamable HTTP at /mcp: the same keys, tenants and memories as /api/v1.
    mcp = TenantMcpApp(
        lambda tenant: app.state.service.memory(tenant),
        settings.tenant_keys,
        host=settings.host,
        max_request_bytes=settings.max_request_bytes,
    )
    # A route, not a mount (a mount redirects /mcp to /mcp/); Starlette runs an endpoint that
    # is not a function as the ASGI app it is, which its annotation does not say.
    app.add_route("/mcp", mcp)  # type: ignore[arg-type]

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            spec = get_openapi(
                title=app.title,
                version=app.version,
                openapi_version=app.openapi_version,
                description=app.description,
                routes=app.routes,
            )
            app.openapi_schema = complete_openapi(
                spec, max_content_chars=settings.max_content_chars, keys=bool(settings.tenant_keys)
            )
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app
