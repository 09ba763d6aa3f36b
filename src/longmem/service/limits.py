"""Request bodies bounded by MAX_REQUEST_BYTES, whether or not they declare their length.

A declared Content-Length over the limit is refused before a byte is read. A body sent in
chunks, with no length, is read here up to the limit and then handed on; one byte more and it
is refused, so no request can make the service hold more than the limit in memory.
"""

from __future__ import annotations

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from longmem.service.errors import error_body


class BodyLimit:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit():
            if int(declared) > self.max_bytes:
                await self._refuse(scope, receive, send, f"body of {int(declared)} bytes")
                return
            await self.app(scope, receive, send)  # the server reads no more than declared
            return
        body = bytearray()
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            if len(body) > self.max_bytes:
                await self._refuse(scope, receive, send, "a body sent without its length")
                return
            if not message.get("more_body", False):
                break
        delivered = False

        async def replay() -> Message:
            nonlocal delivered
            if delivered:
                return await receive()  # what follows the body: a disconnect
            delivered = True
            return {"type": "http.request", "body": bytes(body), "more_body": False}

        await self.app(scope, replay, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, what: str) -> None:
        response = JSONResponse(
            error_body("payload_too_large", f"{what} exceeds MAX_REQUEST_BYTES ({self.max_bytes})"),
            status_code=413,
            headers={"connection": "close"},
        )
        await response(scope, receive, send)
