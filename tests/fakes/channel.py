"""A shopper channel that only records: what staff replies and promotion fakes are sent through."""
from __future__ import annotations

from core.channel import Channel
from core.messages import Identity, Outbound


class RecordingChannel(Channel):
    """Keeps every message it was asked to deliver (``sent``); starting and stopping do nothing."""

    name = "recording"

    def __init__(self) -> None:
        self.sent: list[tuple[Identity, Outbound]] = []

    async def start(self) -> None:
        """Nothing to start."""

    async def stop(self) -> None:
        """Nothing to stop."""

    async def send(self, identity: Identity, outbound: Outbound) -> None:
        """Record the message."""
        self.sent.append((identity, outbound))

    def texts(self) -> list[str]:
        """The text of everything sent (empty for a typing indicator)."""
        return [getattr(outbound, "text", "") for _, outbound in self.sent]
