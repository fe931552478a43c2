"""Draining the web chat on stop (SIGTERM in a rolling restart; docs/SCALING.md): new sockets and
requests get 503 at once, a running turn finishes and is answered, then the socket is closed with
1012 (service restart); the widget's resend of an unanswered message, on the next server, is answered
once. A real server and real websockets on 127.0.0.1 (SQLite: one worker)."""
from __future__ import annotations

import asyncio

import aiohttp
import pytest

from adapters.web import WebChannel
from tests.hosting import serving
from tests.test_web_channel import connect, say


@pytest.fixture
async def http():
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.fixture
def held_turns(assistant, monkeypatch):
    """Turns wait for this event before they run (a slow turn the test lets go of)."""
    release = asyncio.Event()
    handle = assistant.handle

    async def slow(message):
        await release.wait()
        return await handle(message)

    monkeypatch.setattr(assistant, "handle", slow)
    return release


async def test_draining_refuses_new_sockets_and_requests_but_not_metrics(http, assistant):
    async with serving(WebChannel(assistant), store=assistant.store) as host:
        ws, _ = await connect(http, host)
        host.drain()
        assert host.draining
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await http.ws_connect(f"{host.url}ws")
        assert refused.value.status == 503
        async with http.get(f"{host.url}healthz") as response:
            assert response.status == 503 and await response.json() == {"status": "draining"}
        async with http.get(f"{host.url}metrics") as response:
            assert response.status == 200
        assert not ws.closed  # an open socket is not cut by the drain itself
        await ws.close()


async def test_a_running_turn_is_answered_before_the_socket_closes_with_1012(http, assistant, held_turns):
    store = assistant.store
    channel = WebChannel(assistant)
    async with serving(channel, store=store) as host:
        ws, session = await connect(http, host)
        await ws.send_json(say("hi", "m1"))
        assert await ws.receive_json(timeout=5) == {"type": "typing"}  # the turn is running
        host.drain()
        stopping = asyncio.create_task(channel.stop())
        await asyncio.sleep(0.2)
        assert not stopping.done() and not ws.closed  # waits for the turn
        held_turns.set()
        reply = await ws.receive_json(timeout=10)
        assert reply["type"] == "reply" and reply["in_reply_to"] == "m1"
        closing = await ws.receive(timeout=5)
        assert closing.type == aiohttp.WSMsgType.CLOSE and closing.data == aiohttp.WSCloseCode.SERVICE_RESTART
        await asyncio.wait_for(stopping, 5)

    async with serving(WebChannel(assistant), store=store) as restarted:  # the next server on the same store
        ws, resumed = await connect(http, restarted, session=session)
        assert resumed == session
        await ws.send_json(say("hi", "m1"))  # the widget resends what it sent before the close
        assert await ws.receive_json(timeout=5) == {"type": "typing"}
        assert await ws.receive_json(timeout=5) == reply
        await ws.close()
    transcript = store.conversations.transcript(f"web:{session}")
    assert [(m["direction"], m["channel_message_id"]) for m in transcript if m["direction"] == "in"] == [("in", "m1")]
    assert len([m for m in transcript if m["direction"] == "out"]) == 1
