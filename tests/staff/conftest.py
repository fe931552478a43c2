"""Fixtures for the handoff tests: a recording shopper channel and staff sink."""
from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest

from adapters.forwarded import Forwarding
from adapters.inbox import StaffInbox
from adapters.web import WebChannel
from core.assistant import Assistant
from core.messages import Identity, Outbound
from core.staff import HandoffCard, HandoffHub, StaffSink


class RecordingSender:
    """A shopper channel that keeps what it was asked to deliver."""

    def __init__(self) -> None:
        self.sent: list[tuple[Identity, Outbound]] = []

    async def send(self, identity: Identity, outbound: Outbound) -> None:
        self.sent.append((identity, outbound))

    def texts(self) -> list[str]:
        return [getattr(o, "text", "") for _, o in self.sent]


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
def sender(hub: HandoffHub) -> RecordingSender:
    hub.senders["telegram"] = hub.senders["web"] = sender = RecordingSender()
    return sender


@pytest.fixture
def sink(hub: HandoffHub) -> RecordingSink:
    hub.sinks.append(sink := RecordingSink())
    return sink


PASSWORD = "correct horse battery"


@pytest.fixture
async def start_inbox(assistant: Assistant,
                      hub: HandoffHub) -> AsyncIterator[Callable[[Forwarding | None], Awaitable[WebChannel]]]:
    """Starts the web server with the staff inbox (password :data:`PASSWORD`) under the given forwarding
    rules; the web channel delivers to shoppers. Stopped after the test."""
    started: list[WebChannel] = []

    async def start(forwarding: Forwarding | None = None) -> WebChannel:
        web = WebChannel(assistant, "127.0.0.1", 0, forwarding)
        web.add_routes(StaffInbox(hub, PASSWORD).routes())
        hub.senders["web"] = web
        await web.start()
        started.append(web)
        return web

    yield start
    await hub.stop()
    for web in started:
        await web.stop()


@pytest.fixture
async def inbox_web(start_inbox: Callable[[Forwarding | None], Awaitable[WebChannel]]) -> WebChannel:
    """The web server with the staff inbox, the socket peer as the client."""
    return await start_inbox(None)
