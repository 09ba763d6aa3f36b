"""Counts, times and logs every HTTP request, as plain ASGI.

Starlette's `@app.middleware("http")` runs the rest of the application as a separate task
and copies the response through a stream; a search over HTTP spent more time there than the
search itself took to rank its candidates. Here the response passes straight through, and its
status is read on the way out.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("longmem.api")


class MeasureRequests:
    """`service` gives the running service's metrics, or None before it has started."""

    def __init__(self, app: ASGIApp, service: Callable[[Scope], Any]) -> None:
        self.app = app
        self.service = service

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # what the client gets if the application fails before it answers

        async def send_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_status)
        finally:
            elapsed = time.perf_counter() - started
            path = getattr(scope.get("route"), "path", "unmatched")
            service = self.service(scope)
            if service is not None:
                service.metrics.requests.labels(scope["method"], path, str(status)).inc()
                service.metrics.request_duration.labels(scope["method"], path).observe(elapsed)
            log.info(
                "request",
                extra={
                    "method": scope["method"],
                    "path": path,
                    "status": status,
                    "ms": round(elapsed * 1000, 2),
                },
            )
