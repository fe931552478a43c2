"""A chat backend that writes a scripted text a few characters at a time, as a local model streams."""
from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from core.llm.base import ChatBackend, ChatMessage, Completion
from core.reply.grounding import GroundingChecker
from core.reply.llm import GenerationLimits, LLMReplyGenerator
from core.reply.policy import PhrasePolicy


class StreamingBackend(ChatBackend):
    """Writes ``text`` a few characters at a time, ``pause_s`` apart; records how far it got."""

    name = "streaming"

    def __init__(self, text: str, pause_s: float = 0.005, first_pause_s: float = 0.0, step: int = 3) -> None:
        self.text, self.pause_s, self.first_pause_s, self.step = text, pause_s, first_pause_s, step
        self.written = ""
        self.closed_early = False

    async def complete(self, messages: list[ChatMessage], max_tokens: int, timeout_s: float,
                       output_tokens: float | None = None) -> Completion:
        raise AssertionError("a streamed reply must not wait for the whole completion")

    async def stream(self, messages: list[ChatMessage], max_tokens: int, timeout_s: float,
                     output_tokens: float | None = None) -> AsyncIterator[str]:
        await asyncio.sleep(self.first_pause_s)
        try:
            for start in range(0, len(self.text), self.step):
                piece = self.text[start:start + self.step]
                self.written += piece
                yield piece
                await asyncio.sleep(self.pause_s)
        except GeneratorExit:
            self.closed_early = True
            raise


def streaming_generator(backend: ChatBackend, **limits: float) -> LLMReplyGenerator:
    """A model reply generator over ``backend`` phrasing every reply kind (budget 5 s, first text 1 s)."""
    return LLMReplyGenerator(backend, GroundingChecker(), GenerationLimits(**{"budget_s": 5, "first_text_s": 1,
                                                                            **limits}), policy=PhrasePolicy(None))
