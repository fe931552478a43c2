"""The short summary staff read on a handoff card and the extractive one every summary falls back to:
the shopper's last messages, the order concerned, the mood (the model's is :mod:`core.staff.llm_summary`)."""
from __future__ import annotations

import re
from abc import ABC, abstractmethod
from dataclasses import dataclass

from core.sentiment.mood import mood_label
from core.store import Store

ORDER_ID = re.compile(r"(?<![A-Za-z0-9])#?([A-Z]{1,2}\d{6,10})(?![A-Za-z0-9])", re.IGNORECASE)
_LAST_MESSAGES = 3
_CLIP = 160


@dataclass(frozen=True)
class Summary:
    """What staff see first: a few lines of text, the order concerned (if any) and the mood word;
    ``machine`` when a language model wrote the text (staff are told to check the transcript)."""

    text: str
    order_id: str | None
    mood: str
    machine: bool = False


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


def shopper_lines(store: Store, conversation_id: str) -> list[str]:
    """Everything the shopper typed in the conversation, oldest first."""
    return [m["text"] for m in store.conversations.transcript(conversation_id)
            if m["direction"] == "in" and m["text"]]


def order_mentioned(store: Store, conversation_id: str) -> str | None:
    """The last order id the shopper wrote that the store knows (as stored, e.g. ``#W1000001``), else the
    order the dialogue was working on."""
    named = orders_named(store, conversation_id)
    if named:
        return named[-1]
    slots = store.conversations.state(conversation_id).get("slots") or {}
    return slots.get("order_id")


def orders_named(store: Store, conversation_id: str) -> list[str]:
    """The order ids the shopper wrote that the store knows (any owner), as stored, each once, ordered by
    where it was last written."""
    found = [order_id for line in shopper_lines(store, conversation_id) for candidate in ORDER_ID.findall(line)
             if (order_id := _known_order(store, candidate.upper()))]
    return list(dict.fromkeys(reversed(found)))[::-1]


def _known_order(store: Store, candidate: str) -> str | None:
    """The stored id of an order the shopper wrote with or without its ``#``, or None."""
    return next((order_id for order_id in (candidate, f"#{candidate}") if store.orders.get(order_id)), None)


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _CLIP else text[: _CLIP - 1] + "…"
