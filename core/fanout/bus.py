"""The outbound bus: a message a worker sends to a shopper's session is published to the other
workers, each of which delivers it to its own open sockets of that session (the sender delivers to
its own sockets itself, so every socket gets it once)."""
from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable
from typing import Any

Deliver = Callable[[str, dict[str, Any]], Awaitable[None]]
"""Delivers one frame to this worker's sockets of a user (a web chat session): ``(user_id, frame)``."""


class OutboundBus(ABC):
    """Publishes whole outbound frames to the other workers and hands theirs to the subscribed channel."""

    @abstractmethod
    def subscribe(self, channel: str, deliver: Deliver) -> None:
        """Hand frames the other workers publish for ``channel`` to ``deliver``; call before :meth:`start`."""

    @abstractmethod
    async def start(self) -> None:
        """Begin receiving the other workers' frames."""

    @abstractmethod
    async def publish(self, channel: str, user_id: str, frame: dict[str, Any]) -> None:
        """Send ``frame`` for ``user_id`` of ``channel`` to every other worker (not back to this one)."""

    @abstractmethod
    async def stop(self) -> None:
        """Stop receiving."""


class LocalBus(OutboundBus):
    """One worker: there is nobody else to publish to."""

    def subscribe(self, channel: str, deliver: Deliver) -> None:
        """Nothing will arrive."""

    async def start(self) -> None:
        """Nothing to receive."""

    async def publish(self, channel: str, user_id: str, frame: dict[str, Any]) -> None:
        """Nobody else holds a socket."""

    async def stop(self) -> None:
        """Nothing to stop."""
