"""A fake OpenAI-compatible chat-completions server on 127.0.0.1 (``POST /v1/chat/completions``).

It answers with scripted replies (:meth:`FakeOpenAIAPI.reply_with`, default: the last user
message's text after "Reply:" / "回复：", i.e. the draft unchanged), records every request
(:attr:`FakeOpenAIAPI.requests`), checks the Bearer key when one is set, and can fail on purpose:
HTTP errors (:meth:`fail_next`), a slow answer (:attr:`FakeOpenAIAPI.delay_s`), a body that is not
a chat completion (:meth:`send_raw_next`) or a connection closed without an answer (:meth:`disconnect_next`).
A request with ``"stream": true`` is answered with server-sent events, a few characters per chunk
(:attr:`FakeOpenAIAPI.chunk_chars`, :attr:`FakeOpenAIAPI.chunk_pause_s` apart), as OpenAI streams."""
from __future__ import annotations

import asyncio
import json
from typing import Any

from aiohttp import web

from tests.fakes.server import LoopbackServer


class FakeOpenAIAPI(LoopbackServer):
    """Start with :meth:`start`, stop with :meth:`stop`; ``base_url`` ends with ``/v1``."""

    def __init__(self, api_key: str = "") -> None:
        super().__init__()
        self.api_key = api_key
        self.requests: list[dict[str, Any]] = []
        self.delay_s = 0.0
        self.chunk_chars, self.chunk_pause_s = 4, 0.005
        self._replies: list[str] = []
        self._failures: list[int] = []
        self._raw: list[str] = []
        self._disconnects = 0

    @property
    def base_url(self) -> str:
        """The API root a client is given."""
        return f"http://127.0.0.1:{self.port}/v1"

    def reply_with(self, *texts: str) -> None:
        """The next replies, in order (afterwards: the draft unchanged)."""
        self._replies.extend(texts)

    def fail_next(self, *statuses: int) -> None:
        """Answer the next requests with these HTTP statuses."""
        self._failures.extend(statuses)

    def send_raw_next(self, *bodies: str) -> None:
        """Answer the next requests with these bodies as they are (HTTP 200, JSON content type)."""
        self._raw.extend(bodies)

    def disconnect_next(self, times: int = 1) -> None:
        """Close the connection without any answer on the next ``times`` requests."""
        self._disconnects += times

    def add_routes(self, app: web.Application) -> None:
        """``POST /v1/chat/completions``."""
        app.router.add_post("/v1/chat/completions", self._chat)

    async def _chat(self, request: web.Request) -> web.Response:
        if self.api_key and request.headers.get("Authorization") != f"Bearer {self.api_key}":
            return web.json_response({"error": {"message": "bad key"}}, status=401)
        try:
            body = await request.json()
            messages = body["messages"]
        except (ValueError, KeyError):
            return web.json_response({"error": {"message": "malformed"}}, status=400)
        self.requests.append(body)
        if self._failures:
            return web.json_response({"error": {"message": "injected"}}, status=self._failures.pop(0))
        if self._disconnects:
            self._disconnects -= 1
            assert request.transport is not None
            request.transport.close()
            return web.Response()
        if self._raw:
            return web.Response(text=self._raw.pop(0), content_type="application/json")
        if self.delay_s:
            await asyncio.sleep(self.delay_s)
        text = self._replies.pop(0) if self._replies else _draft(messages[-1]["content"])
        if body.get("stream"):
            return await self._stream(request, text)
        return web.json_response({
            "id": f"chatcmpl-{len(self.requests)}", "object": "chat.completion", "model": body.get("model"),
            "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 10, "completion_tokens": len(text.split()), "total_tokens": 10},
        })


    async def _stream(self, request: web.Request, text: str) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
        await response.prepare(request)
        for start in range(0, len(text), self.chunk_chars):
            chunk = {"object": "chat.completion.chunk", "choices": [
                {"index": 0, "delta": {"content": text[start:start + self.chunk_chars]}, "finish_reason": None}]}
            await response.write(f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n".encode())
            await asyncio.sleep(self.chunk_pause_s)
        await response.write(b"data: [DONE]\n\n")
        await response.write_eof()
        return response


def _draft(prompt: str) -> str:
    """The reply to rephrase, as the prompt carries it."""
    for label in ("Reply: ", "回复："):
        if label in prompt:
            return prompt.split(label, 1)[1]
    return prompt
