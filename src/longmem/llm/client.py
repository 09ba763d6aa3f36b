"""A small OpenAI-compatible HTTP client: timeouts, retries with backoff and jitter on 429 /
5xx / network errors, a circuit breaker, and token accounting.

httpx rather than the OpenAI SDK: the SDK retries on its own terms, and vLLM, Ollama and
llama.cpp servers differ in small ways this keeps in one place.
"""

from __future__ import annotations

import json
import logging
import random
import re
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx

from longmem.errors import LongmemError

log = logging.getLogger("longmem.llm")

RETRY_STATUSES = frozenset({408, 409, 429, 500, 502, 503, 504})
_FENCE = re.compile(r"^```(?:json)?\s*|\s*```$", re.MULTILINE)


def load_json(raw: str) -> Any:
    """The JSON value in a model's reply, repairing common damage (code fences, text around
    it); None if there is none."""
    for attempt in (raw, _FENCE.sub("", raw.strip())):
        try:
            return json.loads(attempt)
        except json.JSONDecodeError:
            start, end = attempt.find("{"), attempt.rfind("}")
            if start < 0 or end <= start:
                continue
            try:
                return json.loads(attempt[start : end + 1])
            except json.JSONDecodeError:
                continue
    return None


class LLMUnavailable(LongmemError):
    """The endpoint failed after retries, or the circuit breaker is open."""

    code = "llm_unavailable"


@dataclass(frozen=True)
class Usage:
    model: str
    purpose: str
    prompt_tokens: int
    completion_tokens: int
    seconds: float


Recorder = Callable[[Usage], None]


class CircuitBreaker:
    """Opens after `threshold` consecutive failures; lets one call through after `cooldown`."""

    def __init__(self, threshold: int = 5, cooldown: float = 30.0) -> None:
        self.threshold, self.cooldown = threshold, cooldown
        self._failures = 0
        self._opened_at: float | None = None
        self._lock = threading.Lock()

    @property
    def open(self) -> bool:
        with self._lock:
            if self._opened_at is None:
                return False
            if time.monotonic() - self._opened_at >= self.cooldown:
                self._opened_at = None  # half-open: the next call decides
                self._failures = self.threshold - 1
                return False
            return True

    def record(self, ok: bool) -> None:
        with self._lock:
            if ok:
                self._failures, self._opened_at = 0, None
                return
            self._failures += 1
            if self._failures >= self.threshold:
                self._opened_at = time.monotonic()


class OpenAIClient:
    def __init__(
        self,
        base_url: str,
        api_key: str | None,
        *,
        timeout: float = 30.0,
        max_retries: int = 3,
        backoff: float = 0.5,
        breaker: CircuitBreaker | None = None,
        recorder: Recorder | None = None,
    ) -> None:
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._http = httpx.Client(base_url=base_url.rstrip("/"), headers=headers, timeout=timeout)
        self.max_retries, self.backoff = max_retries, backoff
        self.breaker = breaker or CircuitBreaker()
        self._recorder = recorder or (lambda usage: None)

    def close(self) -> None:
        self._http.close()

    def _delay(self, attempt: int, response: httpx.Response | None) -> float:
        after: str | None = response.headers.get("retry-after") if response else None
        if after and after.replace(".", "", 1).isdigit():
            return min(float(after), 30.0)
        return float(self.backoff * 2.0**attempt * (0.5 + random.random()))  # full jitter

    def _post(self, path: str, body: dict[str, Any]) -> httpx.Response:
        if self.breaker.open:
            raise LLMUnavailable("LLM circuit breaker is open after repeated failures")
        last: Exception | None = None
        for attempt in range(self.max_retries + 1):
            response = None
            try:
                response = self._http.post(path, json=body)
                if response.status_code < 400:
                    self.breaker.record(True)
                    return response
                if response.status_code not in RETRY_STATUSES:
                    self.breaker.record(False)
                    raise LLMUnavailable(
                        f"{path} answered {response.status_code}: {response.text[:200]}"
                    )
                last = LLMUnavailable(f"{path} answered {response.status_code}")
            except httpx.TransportError as exc:  # timeouts and connection errors
                last = exc
            if attempt < self.max_retries:
                time.sleep(self._delay(attempt, response))
        self.breaker.record(False)
        raise LLMUnavailable(f"{path} failed after {self.max_retries + 1} attempts: {last}")

    def chat(
        self,
        *,
        model: str,
        messages: list[dict[str, str]],
        purpose: str,
        response_format: dict[str, Any] | None = None,
        temperature: float = 0.0,
    ) -> str:
        body: dict[str, Any] = {"model": model, "messages": messages, "temperature": temperature}
        if response_format is not None:
            body["response_format"] = response_format
        started = time.perf_counter()
        data = self._post("/chat/completions", body).json()
        usage = data.get("usage") or {}
        self._recorder(
            Usage(
                model,
                purpose,
                int(usage.get("prompt_tokens", 0)),
                int(usage.get("completion_tokens", 0)),
                time.perf_counter() - started,
            )
        )
        return str(data["choices"][0]["message"].get("content") or "")

    def chat_json(
        self, *, model: str, purpose: str, prompt: str, response_format: dict[str, Any]
    ) -> Any:
        """One prompt, structured output: the reply's JSON (repaired), None if it has none."""
        raw = self.chat(
            model=model,
            purpose=purpose,
            messages=[{"role": "user", "content": prompt}],
            response_format=response_format,
        )
        return load_json(raw)

    def chat_stream(
        self, *, model: str, messages: list[dict[str, str]], purpose: str
    ) -> Iterator[str]:
        """Text deltas as the server sends them (server-sent events)."""
        if self.breaker.open:
            raise LLMUnavailable("LLM circuit breaker is open after repeated failures")
        body = {
            "model": model,
            "messages": messages,
            "stream": True,
            "stream_options": {"include_usage": True},
        }
        started = time.perf_counter()
        prompt = completion = 0
        try:
            with self._http.stream("POST", "/chat/completions", json=body) as response:
                if response.status_code >= 400:
                    self.breaker.record(False)
                    raise LLMUnavailable(f"stream answered {response.status_code}")
                for line in response.iter_lines():
                    if not line.startswith("data:"):
                        continue
                    payload = line[5:].strip()
                    if payload == "[DONE]":
                        break
                    chunk = json.loads(payload)
                    if chunk.get("usage"):
                        prompt = int(chunk["usage"].get("prompt_tokens", 0))
                        completion = int(chunk["usage"].get("completion_tokens", 0))
                    for choice in chunk.get("choices") or []:
                        delta = (choice.get("delta") or {}).get("content")
                        if delta:
                            yield str(delta)
        except httpx.TransportError as exc:
            self.breaker.record(False)
            raise LLMUnavailable(f"stream failed: {exc}") from exc
        self.breaker.record(True)
        self._recorder(Usage(model, purpose, prompt, completion, time.perf_counter() - started))

    def embeddings(self, *, model: str, texts: list[str]) -> list[list[float]]:
        started = time.perf_counter()
        data = self._post("/embeddings", {"model": model, "input": texts}).json()
        usage = data.get("usage") or {}
        self._recorder(
            Usage(
                model,
                "embedding",
                int(usage.get("prompt_tokens", 0)),
                0,
                time.perf_counter() - started,
            )
        )
        rows = sorted(data["data"], key=lambda d: d.get("index", 0))
        return [list(map(float, r["embedding"])) for r in rows]
