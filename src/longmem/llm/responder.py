"""Replies for /conversation: the memory context as system prompt, whole or streamed."""

from __future__ import annotations

from collections.abc import Iterator

from longmem.llm.client import OpenAIClient
from longmem.llm.prompts import load

PROMPT = "respond_v1"


class LLMResponder:
    def __init__(self, client: OpenAIClient, model: str) -> None:
        self._client, self._model = client, model
        self._template = load(PROMPT)

    def _messages(self, context: str, message: str) -> list[dict[str, str]]:
        system = self._template.replace("{context}", context or "(nothing known yet)")
        return [{"role": "system", "content": system}, {"role": "user", "content": message}]

    def reply(self, context: str, message: str) -> str:
        return self._client.chat(
            model=self._model,
            purpose="response",
            messages=self._messages(context, message),
            temperature=0.7,
        )

    def stream(self, context: str, message: str) -> Iterator[str]:
        return self._client.chat_stream(
            model=self._model, purpose="response", messages=self._messages(context, message)
        )
