"""The extension point every channel implements."""
from __future__ import annotations

from abc import ABC, abstractmethod

from core.messages import Identity, Outbound


class Channel(ABC):
    """A chat channel (web chat, Telegram, WeChat, …) as the bot's start-up sees it."""

    name: str

    @abstractmethod
    async def start(self) -> None:
        """Begin receiving messages (bind a server, start polling, …)."""

    @abstractmethod
    async def stop(self) -> None:
        """Stop receiving and release resources; pending sends finish first."""

    @abstractmethod
    async def send(self, identity: Identity, outbound: Outbound) -> None:
        """Deliver one reply or typing indicator to a shopper on this channel."""
