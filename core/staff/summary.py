"""The short summary staff read on a handoff card: an LLM summary when a backend is configured,
else (or when it fails) an extractive one: the shopper's last messages, the order concerned, the mood."""
from __future__ import annotations

import logging
import re
from abc import ABC, abstractmethod
from dataclasses import dataclass

from core.llm.base import BackendError, ChatBackend
from core.reply.redact import redact
from core.sentiment.mood import mood_label
from core.store import Store

log = logging.getLogger(__name__)

ORDER_ID = re.compile(r"(?<![A-Za-z0-9])#?([A-Z]{1,2}\d{6,10})(?![A-Za-z0-9])", re.IGNORECASE)
_LAST_MESSAGES = 3
_CLIP = 160


@dataclass(frozen=True)
class Summary:
    """What staff see first: a few lines of text, the order concerned (if any) and the mood word."""

    text: str
    order_id: str | None
    mood: str


class Summarizer(ABC):
    """Summarises a conversation for staff."""

    @abstractmethod
    async def summarize(self, conversation_id: str) -> Summary:
        """A summary of the conversation so far."""


class ExtractiveSummarizer(Summarizer):
    """No model: the shopper's last messages, the last order id they mentioned, the mood."""

    def __init__(self, store: Store) -> None:
        self._store = store

    async def summarize(self, conversation_id: str) -> Summary:
        """The last shopper messages, quoted and clipped, one per line."""
        said = shopper_lines(self._store, conversation_id)
        text = "\n".join(f"> {_clip(line)}" for line in said[-_LAST_MESSAGES:]) or "(no messages yet)"
        return Summary(text, order_mentioned(self._store, conversation_id),
                       mood_label(self._store.conversations.mood(conversation_id)))


class LLMSummarizer(Summarizer):
    """Asks the chat backend for a two-sentence summary; the extractive one when it fails or is slow."""

    def __init__(self, store: Store, backend: ChatBackend, timeout_s: float = 8.0) -> None:
        self._backend = backend
        self._timeout_s = timeout_s
        self._fallback = ExtractiveSummarizer(store)
        self._store = store

    async def summarize(self, conversation_id: str) -> Summary:
        """The model's summary of the transcript (personal data redacted for a remote backend)."""
        base = await self._fallback.summarize(conversation_id)
        transcript = "\n".join(
            f"{'Shopper' if m['direction'] == 'in' else 'Assistant'}: {m['text']}"
            for m in self._store.conversations.transcript(conversation_id)[-12:] if m["text"])
        if self._backend.remote:
            transcript = redact(transcript)
        prompt = [{"role": "system", "content": "Summarise this customer-service chat for a colleague taking "
                   "over, in at most two short sentences: what the shopper wants and what is still open."},
                  {"role": "user", "content": transcript}]
        try:
            completion = await self._backend.complete(prompt, max_tokens=80, timeout_s=self._timeout_s)
        except BackendError as exc:
            log.info("LLM summary failed (%s); using the extractive one", exc)
            return base
        text = completion.text.strip()
        return Summary(text, base.order_id, base.mood) if text else base


def shopper_lines(store: Store, conversation_id: str) -> list[str]:
    """Everything the shopper typed in the conversation, oldest first."""
    return [m["text"] for m in store.conversations.transcript(conversation_id)
            if m["direction"] == "in" and m["text"]]


def order_mentioned(store: Store, conversation_id: str) -> str | None:
    """The last order id the shopper wrote that the store knows (as stored, e.g. ``#W1000001``), else the
    order the dialogue was working on."""
    for line in reversed(shopper_lines(store, conversation_id)):
        for candidate in reversed(ORDER_ID.findall(line)):
            for order_id in (candidate.upper(), f"#{candidate.upper()}"):
                if store.orders.get(order_id) is not None:
                    return order_id
    slots = store.conversations.state(conversation_id).get("slots") or {}
    return slots.get("order_id")


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _CLIP else text[: _CLIP - 1] + "…"
