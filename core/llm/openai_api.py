"""Any OpenAI-compatible chat-completions API (OpenAI, vLLM, llama.cpp server, Ollama) over aiohttp."""
from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from typing import Any

import aiohttp

from core.llm.base import BackendError, ChatBackend, ChatMessage, Completion

_RETRY_STATUSES = {408, 409, 429, 500, 502, 503, 504}


class OpenAIChatBackend(ChatBackend):
    """POSTs to ``{base_url}/chat/completions``; retries timeouts, connection errors, 429 and 5xx."""

    name = "openai"

    def __init__(self, base_url: str, model: str, api_key: str = "", timeout_s: float = 20.0, retries: int = 2,
                 temperature: float = 0.2) -> None:
        self._url = base_url.rstrip("/") + "/chat/completions"
        self._model = model
        self._headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._timeout_s = timeout_s
        self._retries = retries
        self._temperature = temperature
        self._session: aiohttp.ClientSession | None = None

    @property
    def remote(self) -> bool:
        """Prompts leave this process for another server."""
        return True

    async def complete(self, messages: list[ChatMessage], max_tokens: int, timeout_s: float,
                       output_tokens: float | None = None) -> Completion:
        """One chat completion within ``timeout_s`` (each attempt also within the backend's own timeout)."""
        body = {"model": self._model, "messages": messages, "max_tokens": max_tokens,
                "temperature": self._temperature, "stream": False}
        started = time.monotonic()
        deadline = started + timeout_s
        problem = "no attempt made"
        for attempt in range(self._retries + 1):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            try:
                data = await self._post(body, min(self._timeout_s, remaining))
                return _completion(data, time.monotonic() - started)
            except _Retryable as exc:
                problem = str(exc)
            if attempt < self._retries:  # after the last attempt the template goes out at once
                await asyncio.sleep(min(0.25 * 2 ** attempt, max(0.0, deadline - time.monotonic())))
        raise BackendError(f"chat API gave no reply: {problem}")

    async def stream(self, messages: list[ChatMessage], max_tokens: int, timeout_s: float,
                     output_tokens: float | None = None) -> AsyncIterator[str]:
        """The completion as the server sends it (``"stream": true``, server-sent events), within
        ``timeout_s``. Nothing is retried once text has arrived: what was shown cannot be sent again."""
        body = {"model": self._model, "messages": messages, "max_tokens": max_tokens,
                "temperature": self._temperature, "stream": True}
        if self._session is None:
            self._session = aiohttp.ClientSession()
        try:
            async with self._session.post(self._url, json=body, headers=self._headers,
                                          timeout=aiohttp.ClientTimeout(total=min(self._timeout_s, timeout_s))
                                          ) as response:
                if response.status >= 400:
                    raise BackendError(f"chat API refused the request: HTTP {response.status}")
                async for line in response.content:
                    event = line.decode("utf-8", "replace").strip()
                    if not event.startswith("data:"):
                        continue
                    data = event[5:].strip()
                    if data == "[DONE]":
                        return
                    if piece := _delta(data):
                        yield piece
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise BackendError(f"chat API stream broke off: {type(exc).__name__}: {exc}", "late"
                               if isinstance(exc, TimeoutError) else "error") from exc

    async def _post(self, body: dict[str, Any], timeout_s: float) -> dict[str, Any]:
        if self._session is None:
            self._session = aiohttp.ClientSession()
        try:
            async with self._session.post(self._url, json=body, headers=self._headers,
                                          timeout=aiohttp.ClientTimeout(total=timeout_s)) as response:
                if response.status in _RETRY_STATUSES:
                    raise _Retryable(f"HTTP {response.status}")
                if response.status >= 400:
                    raise BackendError(f"chat API refused the request: HTTP {response.status} "
                                       f"{(await response.text())[:200]}")
                return await response.json(content_type=None)
        except (aiohttp.ClientConnectionError, aiohttp.ClientPayloadError, TimeoutError) as exc:
            raise _Retryable(f"{type(exc).__name__}: {exc}") from exc
        except ValueError as exc:
            raise BackendError(f"chat API sent malformed JSON: {exc}") from exc

    async def close(self) -> None:
        """Close the HTTP connection pool."""
        if self._session is not None:
            await self._session.close()
            self._session = None


class _Retryable(Exception):
    """A failure worth another attempt."""


def _delta(data: str) -> str:
    """The text of one streamed chunk (``choices[0].delta.content``); "" for a chunk without text."""
    try:
        piece = json.loads(data)["choices"][0]["delta"].get("content")
    except (ValueError, KeyError, IndexError, TypeError, AttributeError) as exc:
        raise BackendError(f"chat API sent a malformed stream chunk: {data[:200]}") from exc
    return piece if isinstance(piece, str) else ""


def _completion(data: Any, seconds: float) -> Completion:
    """The completion in a decoded response body; BackendError when it holds no text."""
    try:
        text = data["choices"][0]["message"]["content"] or ""
    except (KeyError, IndexError, TypeError) as exc:
        raise BackendError(f"chat API reply has no choices[0].message.content: {str(data)[:200]}") from exc
    if not isinstance(text, str):
        raise BackendError(f"chat API reply's content is not text: {str(text)[:200]}")
    usage = data.get("usage")
    tokens = usage.get("completion_tokens") if isinstance(usage, dict) else None
    return Completion(text.strip(), tokens if isinstance(tokens, int) else 0, seconds, None)
