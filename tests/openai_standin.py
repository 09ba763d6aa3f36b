"""A local stand-in for the OpenAI API (the real one cannot be reached from here).

It speaks the wire protocol longmem uses: chat completions with `response_format`, streamed
chunks as server-sent events with a final usage chunk, embeddings, and error statuses. Tests
queue what it should answer next.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections import deque
from collections.abc import Iterator
from typing import Any

import numpy as np
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse

from local_server import LocalServer


def pseudo_embedding(text: str, width: int = 1536) -> list[float]:
    """A fixed random direction per text: equal texts meet, different ones are near-orthogonal."""
    seed = int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "little")
    return [float(x) for x in np.random.default_rng(seed).standard_normal(width)]


class StandIn:
    def __init__(self) -> None:
        self.chat: deque[dict[str, Any]] = deque()
        self.requests: list[dict[str, Any]] = []
        self.embedded: list[str] = []  # every text embedded successfully, in order
        self.embedding_failures = 0  # answer this many embedding requests with a 503
        self.app = FastAPI()
        self.app.post("/v1/chat/completions")(self._chat)
        self.app.post("/v1/embeddings")(self._embeddings)
        self._server = LocalServer(self.app)
        self.port = self._server.port
        self.base_url = f"{self._server.origin}/v1"

    def __enter__(self) -> StandIn:
        self._server.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._server.stop()

    def then(self, **behaviour: Any) -> StandIn:
        """Queue the next answer; with `model=...` only a request for that model takes it."""
        self.chat.append(behaviour)
        return self

    def _next_step(self, model: str) -> dict[str, Any]:
        # Background extraction and a reply may call at the same time: steps bound to a model
        # keep them from taking each other's answers.
        for step in self.chat:
            if step.get("model", model) == model:
                self.chat.remove(step)
                return step
        return {"content": '{"memories": []}'}

    async def _chat(self, request: Request) -> Response:
        body = await request.json()
        self.requests.append(body)
        step = self._next_step(body["model"])
        if "sleep" in step:
            time.sleep(step["sleep"])
        if "status" in step:
            return JSONResponse(
                {"error": {"message": "slow down"}},
                status_code=step["status"],
                headers={"retry-after": "0"},
            )
        usage = {
            "prompt_tokens": step.get("prompt_tokens", 420),
            "completion_tokens": step.get("completion_tokens", 60),
        }
        if body.get("stream"):
            return StreamingResponse(
                self._chunks(body["model"], step["stream"], usage), media_type="text/event-stream"
            )
        return JSONResponse(
            {
                "id": "chatcmpl-standin",
                "object": "chat.completion",
                "model": body["model"],
                "choices": [
                    {
                        "index": 0,
                        "finish_reason": "stop",
                        "message": {"role": "assistant", "content": step["content"]},
                    }
                ],
                "usage": {**usage, "total_tokens": sum(usage.values())},
            }
        )

    @staticmethod
    def _chunks(model: str, parts: list[str], usage: dict[str, int]) -> Iterator[str]:
        for part in parts:
            chunk = {
                "object": "chat.completion.chunk",
                "model": model,
                "choices": [{"index": 0, "delta": {"content": part}}],
            }
            yield f"data: {json.dumps(chunk)}\n\n"
        yield f"data: {json.dumps({'choices': [], 'usage': usage})}\n\n"
        yield "data: [DONE]\n\n"

    async def _embeddings(self, request: Request) -> Response:
        body = await request.json()
        if self.embedding_failures:
            self.embedding_failures -= 1
            return JSONResponse({"error": {"message": "upstream down"}}, status_code=503)
        self.embedded.extend(body["input"])
        vectors = [pseudo_embedding(text) for text in body["input"]]
        return JSONResponse(
            {
                "data": [{"index": i, "embedding": v} for i, v in enumerate(vectors)],
                "usage": {"prompt_tokens": 8 * len(vectors)},
            }
        )
