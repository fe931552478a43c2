"""The chat-backend extension point: messages in, one completion out (or its text as it is generated)."""
from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import TypedDict


class ChatMessage(TypedDict):
    """One chat message in the OpenAI shape: ``{"role": "system" | "user" | "assistant", "content": …}``."""

    role: str
    content: str


@dataclass(frozen=True)
class Completion:
    """What a backend generated, with how long it took.

    ``first_token_s`` is the time to the first generated token where the backend can tell
    (local models), else None; ``tokens`` is the number of generated tokens (0 when unknown)."""

    text: str
    tokens: int = 0
    seconds: float = 0.0
    first_token_s: float | None = None


class BackendError(Exception):
    """The backend could not produce a completion (unreachable, refused, out of time, not loaded).

    ``reason`` names the kind for metrics: ``late`` (out of time), ``loading``, or ``error``."""

    def __init__(self, message: str, reason: str = "error") -> None:
        super().__init__(message)
        self.reason = reason


TextSink = Callable[[str], bool]
"""Where a local model puts its text as it decodes: each new piece (an empty one only asks whether to
go on); a False answer asks it to stop decoding."""


class ChatBackend(ABC):
    """A language model that answers a list of chat messages. Implementations never block the event loop."""

    name: str

    @property
    def remote(self) -> bool:
        """True when prompts leave this machine (personal data is then redacted from them)."""
        return False

    @abstractmethod
    async def complete(self, messages: list[ChatMessage], max_tokens: int, timeout_s: float,
                       output_tokens: float | None = None) -> Completion:
        """Generate one reply within ``timeout_s`` seconds or raise :class:`BackendError`;
        ``output_tokens``: how long the reply is expected to be (for :meth:`forecast` of later ones)."""

    async def stream(self, messages: list[ChatMessage], max_tokens: int, timeout_s: float,
                     output_tokens: float | None = None) -> AsyncIterator[str]:
        """The reply's text as it is generated, piece by piece, within ``timeout_s`` seconds (else
        :class:`BackendError`); closing the iterator early stops the generation. This default, for
        backends that cannot stream, yields the whole completion at once."""
        yield (await self.complete(messages, max_tokens, timeout_s, output_tokens)).text

    def forecast(self, messages: list[ChatMessage], output_tokens: float) -> float | None:
        """Seconds until a generation of ``messages``, about ``output_tokens`` long, asked for now would be
        finished, the generations ahead of it included; None when the backend cannot tell (it is tried)."""
        return None

    async def close(self) -> None:
        """Release connections, threads and memory."""
        return None
