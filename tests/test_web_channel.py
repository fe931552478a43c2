"""The web chat channel over a real server and a real websocket (the shop from conftest)."""
from __future__ import annotations

import asyncio
import ipaddress
import json

import aiohttp
import pytest

from adapters.forwarded import Forwarding
from adapters.http import HttpHost
from adapters.web import WebChannel
from adapters.web.limits import NewConversationLimit
from adapters.web.protocol import MAX_FRAME_BYTES, MAX_TEXT_CHARS, is_valid_session
from adapters.web.session_ids import SessionIds
from bot.channels import build_channels
from core.cluster.readiness import default_worker
from core.messages import Identity, Reply, Typing
from tests.hosting import serving

RED_DRESS = "我想买一件红色的连衣裙"


@pytest.fixture
async def http():
    """An HTTP client session."""
    async with aiohttp.ClientSession() as session:
        yield session


async def connect(http: aiohttp.ClientSession, host: HttpHost, session: str = "",
                  lang: str | None = None, headers: dict[str, str] | None = None,
                  ) -> tuple[aiohttp.ClientWebSocketResponse, str]:
    """Open the websocket and say hello; returns the socket and the session the server chose."""
    ws = await http.ws_connect(f"{host.url}ws", headers=headers)
    await ws.send_json({"type": "hello", "session": session, "lang": lang})
    welcome = await ws.receive_json(timeout=5)
    assert welcome["type"] == "welcome"
    return ws, welcome["session"]


async def exchange(ws: aiohttp.ClientWebSocketResponse, frame: dict) -> dict:
    """Send a message or button frame; check typing comes first and return the reply."""
    await ws.send_json(frame)
    assert await ws.receive_json(timeout=5) == {"type": "typing"}
    reply = await ws.receive_json(timeout=10)
    assert reply["type"] == "reply", reply
    return reply


async def assert_silent(ws: aiohttp.ClientWebSocketResponse, seconds: float = 0.3) -> None:
    """Nothing more arrives for a moment."""
    with pytest.raises(asyncio.TimeoutError):
        await ws.receive(timeout=seconds)


def say(text: str, client_id: str) -> dict:
    """A message frame."""
    return {"type": "message", "text": text, "id": client_id}


# -- hello ---------------------------------------------------------------------------------
@pytest.mark.parametrize("offered", ["", None, "short", "x" * 65, "has spaces in it!!", 42])
async def test_hello_without_a_valid_session_gets_a_new_unguessable_one(http, offered, host):
    ws = await http.ws_connect(f"{host.url}ws")
    await ws.send_json({"type": "hello", "session": offered, "lang": "zh"})
    welcome = await ws.receive_json(timeout=5)
    assert welcome["type"] == "welcome" and is_valid_session(welcome["session"])
    assert welcome["session"] != offered and len(welcome["session"]) >= 32
    await ws.close()


async def test_hello_with_a_session_the_server_issued_resumes_it_even_after_a_restart(http, assistant, host):
    ws, session = await connect(http, host)
    await ws.close()
    ws, resumed = await connect(http, host, session=session)
    assert resumed == session
    await ws.close()
    async with serving(WebChannel(assistant)) as restarted:  # a new process on the same store: same key
        ws, resumed = await connect(http, restarted, session=session)
        assert resumed == session
        await ws.close()


async def test_hello_with_a_session_the_client_made_up_gets_a_fresh_one(http, store, host):
    """A well-formed id the server never gave out is not adopted: not an invented one, not an issued
    one with its signature changed, not one signed by another install."""
    ws, issued = await connect(http, host)
    await ws.close()
    other_install = SessionIds(b"another install's key, not ours").issue()
    for offered in ("Abc_123-def_456-ghi", issued[:-1] + ("A" if issued[-1] != "A" else "B"), other_install):
        ws, session = await connect(http, host, session=offered)
        assert session != offered and is_valid_session(session)
        await ws.close()
    assert store.db["conversations"].count == 0


async def test_a_session_from_before_ids_were_signed_resumes_while_its_conversation_exists(http, store, host):
    legacy = "Qm9vdGhlcl9zZXNzaW9uXzAwMDAwMDAx"  # an id of the old kind, 32 characters, unsigned
    store.conversations.ensure(Identity("web", legacy), None)
    ws, session = await connect(http, host, session=legacy)
    assert session == legacy
    await ws.close()


async def test_a_hello_alone_writes_nothing(http, store, host):
    tables = ("customers", "identities", "conversations", "messages", "dialogue_states")
    before = {name: store.db[name].count for name in tables}
    for _ in range(5):
        ws, _session = await connect(http, host)
        await ws.close()
    assert {name: store.db[name].count for name in tables} == before


@pytest.fixture
async def limited(assistant):
    """A web channel letting 2 new conversations a minute start from one address."""
    async with serving(WebChannel(assistant, new_conversations=NewConversationLimit(per_address=2, overall=0))) as host:
        yield host


async def test_new_conversations_over_the_address_limit_get_a_polite_reply_and_write_nothing(http, limited, store):
    first, session = await connect(http, limited)
    await exchange(first, say("hi", "1"))
    second, _ = await connect(http, limited)
    await exchange(second, say("hi", "1"))
    third, refused = await connect(http, limited)
    busy = await exchange(third, say("你好", "1"))
    assert busy["in_reply_to"] == "1" and busy["language"] == "zh" and "一分钟后" in busy["text"]
    assert store.conversations.get(f"web:{refused}") is None and store.db["conversations"].count == 2
    assert "minute" in (await exchange(third, say("hello?", "2")))["text"]  # still refused, in English
    answered = await exchange(first, say("hi", "2"))  # a conversation that exists goes on
    assert "minute" not in answered["text"]
    resumed, _ = await connect(http, limited, session=session)  # and resumes on a new connection
    assert "minute" not in (await exchange(resumed, say("hi", "3")))["text"]
    for ws in (first, second, third, resumed):
        await ws.close()


async def test_kefu_run_limits_new_conversations_as_its_settings_say(http, assistant, settings):
    limits = {"kefu_port": 0, "kefu_web_new_conversations_per_address": 0, "kefu_web_new_conversations_per_minute": 1}
    kefu = build_channels(assistant, settings.model_copy(update=limits))
    [web] = kefu.channels
    await kefu.host.start()
    await web.start()
    try:
        first, _ = await connect(http, kefu.host)
        assert "minute" not in (await exchange(first, say("hi", "1")))["text"]
        second, _ = await connect(http, kefu.host)
        assert "minute" in (await exchange(second, say("hi", "1")))["text"]
        await first.close()
        await second.close()
    finally:
        await web.stop()
        await kefu.host.stop()


async def test_a_message_before_hello_is_refused_and_the_socket_stays_open(http, host):
    ws = await http.ws_connect(f"{host.url}ws")
    await ws.send_json(say("你好", "1"))
    error = await ws.receive_json(timeout=5)
    assert error["type"] == "error" and "hello" in error["error"]
    await ws.send_json({"type": "hello", "session": "", "lang": None})
    assert (await ws.receive_json(timeout=5))["type"] == "welcome"
    await ws.close()


# -- conversation --------------------------------------------------------------------------
async def test_greetings_are_answered_in_the_shoppers_language(http, host):
    ws, _ = await connect(http, host, lang="en")
    zh = await exchange(ws, say("你好", "1"))
    en = await exchange(ws, say("hi", "2"))
    assert zh["language"] == "zh" and zh["text"]
    assert en["language"] == "en" and en["text"]
    await ws.close()


async def test_a_red_dress_search_returns_product_cards(http, host):
    ws, _ = await connect(http, host, lang="zh")
    reply = await exchange(ws, say(RED_DRESS, "1"))
    ids = [card["product_id"] for card in reply["cards"]]
    assert "D1" in ids and "D2" not in ids and "C1" not in ids
    card = reply["cards"][ids.index("D1")]
    assert card["title"] == "法式红色碎花连衣裙" and card["price"].startswith("¥")
    assert card["image_url"] == "https://example.invalid/D1.jpg"
    assert card["buttons"] and all(b["label"] and b["payload"] for b in card["buttons"])
    await ws.close()


async def test_a_button_frame_sends_its_payload_and_records_its_label(http, store, host):
    ws, session = await connect(http, host, lang="zh")
    await exchange(ws, say(RED_DRESS, "1"))
    reply = await exchange(ws, {"type": "button", "payload": "/product D1", "label": "详情", "id": "2"})
    assert "法式红色碎花连衣裙" in reply["text"]
    inbound = [m for m in store.conversations.transcript(f"web:{session}") if m["direction"] == "in"]
    assert inbound[-1]["text"] == "详情" and inbound[-1]["payload"] == {"button": "/product D1"}
    await ws.close()


async def test_a_resent_client_id_is_handled_once_and_gets_its_stored_reply_again(http, store, host):
    """A client that lost its connection before the reply arrived resends with the same id: the turn
    is not run twice, the reply saved for it is sent again (marked with the id it answers)."""
    ws, session = await connect(http, host)
    first = await exchange(ws, say("hi", "same"))
    assert first["in_reply_to"] == "same"
    ws2, _ = await connect(http, host, session=session)
    await ws2.send_json(say("hi", "same"))
    assert await ws2.receive_json(timeout=5) == {"type": "typing"}
    assert await ws2.receive_json(timeout=5) == first
    await assert_silent(ws2)
    assert (await exchange(ws2, say("hi", "next")))["in_reply_to"] == "next"
    transcript = store.conversations.transcript(f"web:{session}")
    assert [m["channel_message_id"] for m in transcript if m["direction"] == "in"] == ["same", "next"]
    assert len([m for m in transcript if m["direction"] == "out"]) == 2  # one reply each, none stored twice
    await ws.close()
    await ws2.close()


async def _failed_check(http, host, n: int, forwarded_for: str) -> str:
    """A new session fails one identity check; the reply's text."""
    ws, _ = await connect(http, host, headers={"X-Forwarded-For": forwarded_for})
    await exchange(ws, say("where is my order", "1"))
    reply = await exchange(ws, say(f"nobody{n}@example.com 123456", "2"))
    await ws.close()
    return reply["text"]


async def test_identity_checks_from_one_client_address_are_paused_across_sessions(http, store, host):
    """The socket's client address is the source of its messages: new sessions do not reset the limit,
    nor does an X-Forwarded-For header from a client that is not a trusted proxy."""
    replies = [await _failed_check(http, host, n, f"203.0.113.{n}") for n in range(11)]
    assert "Too many attempts" not in replies[9] and "Too many attempts" in replies[10], replies[9:]
    assert "127.0.0.1" not in str(list(store.db.execute("select key from auth_failures")))


async def test_behind_a_trusted_proxy_the_forwarded_client_address_is_the_source(http, assistant):
    async with serving(WebChannel(assistant), forwarding=Forwarding((ipaddress.ip_network("127.0.0.0/8"),))) as proxied:
        for n in range(10):  # the client wrote a first address itself; the proxy appended the one it saw
            await _failed_check(http, proxied, n, f"198.51.100.{n}, 203.0.113.9")
        assert "Too many attempts" in await _failed_check(http, proxied, 10, "203.0.113.9, 127.0.0.2")
        assert "Too many attempts" not in await _failed_check(http, proxied, 11, "203.0.113.10")


async def test_reconnecting_with_the_same_session_continues_the_conversation(http, store, host):
    ws, session = await connect(http, host, lang="zh")
    shown = (await exchange(ws, say(RED_DRESS, "1")))["cards"][0]
    await ws.close()
    ws, resumed = await connect(http, host, session=session, lang="zh")
    assert resumed == session
    # "/product" without an id means "the product you just showed me": it needs the saved state
    details = await exchange(ws, {"type": "button", "payload": "/product", "label": "详情", "id": "2"})
    assert shown["title"] in details["text"]
    transcript = store.conversations.transcript(f"web:{session}")
    assert [m["text"] for m in transcript if m["direction"] == "in"] == [RED_DRESS, "详情"]
    assert store.conversations.state(f"web:{session}")["turn"] == 2
    await ws.close()


# -- bad frames ----------------------------------------------------------------------------
BAD_FRAMES = {
    "not json": ("hello there", "not valid JSON"),
    "not an object": ("[1, 2]", "JSON object"),
    "unknown type": (json.dumps({"type": "shout", "text": "hi"}), "unknown frame type"),
    "no type": (json.dumps({"text": "hi"}), "unknown frame type"),
    "text not a string": (json.dumps({"type": "message", "text": 5}), "text must be a string"),
    "empty text": (json.dumps({"type": "message", "text": "   "}), "text is empty"),
    "text too long": (json.dumps({"type": "message", "text": "a" * (MAX_TEXT_CHARS + 1)}), "too long"),
    "frame too large": (json.dumps({"type": "message", "text": "a", "pad": "x" * MAX_FRAME_BYTES}), "too large"),
    "button without payload": (json.dumps({"type": "button", "label": "Details"}), "payload must be a string"),
    "bad id": (json.dumps({"type": "message", "text": "hi", "id": 7}), "id must be a string"),
}


@pytest.mark.parametrize("raw, reason", BAD_FRAMES.values(), ids=BAD_FRAMES.keys())
async def test_a_bad_frame_gets_a_clear_error_and_the_socket_survives(http, raw, reason, host):
    ws, _ = await connect(http, host)
    await ws.send_str(raw)
    error = await ws.receive_json(timeout=5)
    assert error["type"] == "error" and reason in error["error"]
    assert (await exchange(ws, say("hi", "after")))["language"] == "en"
    await ws.close()


async def test_binary_frames_and_a_second_hello_are_refused(http, host):
    ws, _ = await connect(http, host)
    await ws.send_bytes(b"\x00\x01")
    assert "binary" in (await ws.receive_json(timeout=5))["error"]
    await ws.send_json({"type": "hello", "session": "", "lang": "en"})
    assert "already" in (await ws.receive_json(timeout=5))["error"]
    await ws.close()


# -- send(), HTTP routes, stop() -----------------------------------------------------------
async def test_send_pushes_to_every_open_socket_of_the_session_only(http, channel, host):
    first, session = await connect(http, host)
    second, _ = await connect(http, host, session=session)
    other, _ = await connect(http, host)
    await channel.send(Identity("web", session), Typing())
    await channel.send(Identity("web", session), Reply("A colleague will answer you now.", language="en"))
    for ws in (first, second):
        assert await ws.receive_json(timeout=5) == {"type": "typing"}
        reply = await ws.receive_json(timeout=5)
        assert reply["type"] == "reply" and reply["text"] == "A colleague will answer you now."
    await assert_silent(other)
    await first.close()
    await channel.send(Identity("web", session), Reply("still here", language="en"))
    assert (await second.receive_json(timeout=5))["text"] == "still here"
    await channel.send(Identity("web", "no-such-session-at-all"), Reply("nobody"))  # no socket: no error
    with pytest.raises(ValueError):
        await channel.send(Identity("telegram", "111"), Reply("wrong channel"))
    await second.close()
    await other.close()


async def test_healthz_reports_products_and_conversations(http, host):
    async with http.get(f"{host.url}healthz") as response:
        assert response.status == 200 and await response.json() == {
            "status": "ok", "worker": default_worker(), "leader": True, "products": 4, "conversations": 0}
    ws, _ = await connect(http, host)
    await exchange(ws, say("hi", "1"))
    await ws.close()
    async with http.get(f"{host.url}healthz") as response:
        assert (await response.json())["conversations"] == 1


async def test_the_demo_page_and_widget_files_are_served(http, channel, host):
    async with http.get(host.url) as page:
        html = await page.text()
        assert page.status == 200 and "Kefu Demo Shop" in html and "/static/widget.js" in html
        assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    for name, kind in (("widget.js", "javascript"), ("widget.css", "text/css")):
        async with http.get(f"{host.url}static/{name}") as response:
            assert response.status == 200 and kind in response.headers["Content-Type"]
    async with http.get(f"{host.url}static/../channel.py") as response:
        assert response.status in (403, 404)


async def test_start_binds_a_free_port_and_stop_closes_sockets_gracefully(http, assistant):
    channel, host = WebChannel(assistant), HttpHost("127.0.0.1", 0)
    host.register([channel])
    assert host.port == 0
    await host.start()
    await channel.start()
    port = host.port
    assert port > 0
    ws, _ = await connect(http, host)
    await channel.stop()
    closing = await ws.receive(timeout=5)
    assert closing.type == aiohttp.WSMsgType.CLOSE and closing.data == aiohttp.WSCloseCode.GOING_AWAY
    await host.stop()
    with pytest.raises(aiohttp.ClientConnectionError):
        await http.get(f"http://127.0.0.1:{port}/healthz")


async def test_other_channels_add_their_routes_before_start(http):
    async def webhook(request: aiohttp.web.Request) -> aiohttp.web.Response:
        return aiohttp.web.Response(text="hooked " + await request.text())

    host = HttpHost("127.0.0.1", 0)
    host.mount([aiohttp.web.post("/hook", webhook)])
    await host.start()
    try:
        async with http.post(f"{host.url}hook", data="ping") as response:
            assert response.status == 200 and await response.text() == "hooked ping"
        with pytest.raises(RuntimeError):
            host.mount([aiohttp.web.get("/late", webhook)])
    finally:
        await host.stop()
