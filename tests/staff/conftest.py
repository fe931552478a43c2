"""Fixtures for the handoff tests: a recording shopper channel and staff sink."""
from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack
from typing import Any

import pytest

from adapters.forwarded import Forwarding
from adapters.http import HttpHost
from adapters.inbox import StaffInbox
from adapters.inbox.canned import CannedSection
from adapters.inbox.copilot import CopilotSection
from adapters.web import WebChannel
from core.assistant import Assistant
from core.staff import HandoffCard, HandoffHub, StaffSink
from tests.fakes.channel import RecordingChannel
from tests.hosting import serving


class RecordingSink(StaffSink):
    """A staff sink that keeps every notification."""

    name = "recording"

    def __init__(self) -> None:
        self.events: list[tuple[str, Any]] = []

    async def opened(self, card: HandoffCard) -> None:
        self.events.append(("opened", card))

    async def relayed(self, card: HandoffCard, author: str, text: str) -> None:
        self.events.append(("relayed", (author, text)))

    async def changed(self, card: HandoffCard, note: str) -> None:
        self.events.append(("changed", note))

    async def remind(self, card: HandoffCard, waited_minutes: int) -> None:
        self.events.append(("remind", waited_minutes))

    def kinds(self) -> list[str]:
        return [kind for kind, _ in self.events]


@pytest.fixture
def hub(assistant: Assistant) -> HandoffHub:
    staff = assistant.components.staff
    assert isinstance(staff, HandoffHub)
    return staff


@pytest.fixture
def sender(hub: HandoffHub) -> RecordingChannel:
    hub.channels["telegram"] = hub.channels["web"] = sender = RecordingChannel()
    return sender


@pytest.fixture
def sink(hub: HandoffHub) -> RecordingSink:
    hub.sinks.append(sink := RecordingSink())
    return sink


PASSWORD = "correct horse battery"


@pytest.fixture
async def start_inbox(assistant: Assistant,
                      hub: HandoffHub) -> AsyncIterator[Callable[[Forwarding | None], Awaitable[HttpHost]]]:
    """Starts the HTTP host with the web chat and the staff inbox (password :data:`PASSWORD`) under the given
    forwarding rules; the web channel delivers to shoppers. Stopped after the test."""
    async with AsyncExitStack() as started:
        async def start(forwarding: Forwarding | None = None) -> HttpHost:
            web = WebChannel(assistant)
            hub.channels["web"] = web
            return await started.enter_async_context(
                serving(web, store=assistant.store, forwarding=forwarding, routes=StaffInbox(hub, PASSWORD).routes()))

        yield start
        await hub.stop()


@pytest.fixture
async def inbox_web(start_inbox: Callable[[Forwarding | None], Awaitable[HttpHost]]) -> HttpHost:
    """The HTTP host with the web chat and the staff inbox, the socket peer as the client."""
    return await start_inbox(None)


@pytest.fixture
async def console(assistant: Assistant, hub: HandoffHub) -> AsyncIterator[HttpHost]:
    """The HTTP host with the web chat (delivering to shoppers) and the console with the copilot and
    canned-reply sections."""
    hub.channels["web"] = web = WebChannel(assistant)
    sections = [CopilotSection(assistant), CannedSection(hub.store)]
    async with serving(web, store=assistant.store, routes=StaffInbox(hub, PASSWORD, sections=sections).routes()) as host:
        yield host
    await hub.stop()
