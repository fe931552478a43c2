"""The local staff inbox's HTTP API: login, sessions, CSRF, the queue, claim / reply / resolve."""
from __future__ import annotations

import json

import aiohttp

from adapters.inbox import StaffInbox
from adapters.slack.blocks import card_blocks, card_text
from adapters.web import WebChannel
from core.messages import Identity, InboundMessage
from core.observe.handles import visitor_label
from tests.staff.conftest import PASSWORD

SHOPPER = Identity("web", "inbox-shopper")
CID = SHOPPER.conversation_id


async def login(session: aiohttp.ClientSession, base: str, password: str = PASSWORD) -> tuple[int, dict]:
    async with session.post(base + "staff/api/login", json={"name": "Mei", "password": password}) as response:
        return response.status, await response.json()


async def test_login_session_and_csrf_protect_every_staff_action(assistant, hub, inbox_web):
    await assistant.handle(InboundMessage(SHOPPER, "I want to talk to a human", language_hint="en"))
    base = inbox_web.url
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
        async with session.get(base + "staff/api/conversations") as response:
            assert response.status == 401
        assert (await login(session, base, "wrong password"))[0] == 401
        status, body = await login(session, base)
        assert status == 200 and body["staff"] == "Mei" and body["csrf"]
        cookie = next(c for c in session.cookie_jar if c.key == "kefu_staff")
        assert cookie["httponly"] and cookie["samesite"] == "Strict"
        async with session.get(base + "staff/api/conversations") as response:
            [item] = (await response.json())["conversations"]
        assert item["conversation_id"] == CID and item["status"] == "open" and item["waiting_s"] >= 0
        assert item["mood"] in {"-", "neutral", "unhappy", "upset", "happy"}
        claim = f"{base}staff/api/conversations/{CID}/claim"
        async with session.post(claim, json={}) as response:
            assert response.status == 403  # no CSRF token
        async with session.post(claim, data="{}", headers={"X-CSRF-Token": body["csrf"]}) as response:
            assert response.status == 403  # not JSON (what a cross-site form would send)
        async with session.post(claim, json={}, headers={"X-CSRF-Token": body["csrf"]}) as response:
            assert response.status == 200
        assert hub.store.conversations.get(CID)["status"] == "human"


async def test_reply_and_resolve_from_the_inbox(assistant, hub, inbox_web):
    await assistant.handle(InboundMessage(SHOPPER, "my parcel W1000001 is late", language_hint="en"))
    await assistant.handle(InboundMessage(SHOPPER, "I want to talk to a human", language_hint="en"))
    base = inbox_web.url
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
        _, body = await login(session, base)
        headers = {"X-CSRF-Token": body["csrf"]}
        url = f"{base}staff/api/conversations/{CID}"
        async with session.post(url + "/reply", json={"text": "Checking it now."}, headers=headers) as response:
            assert response.status == 200
        async with session.get(url) as response:
            view = await response.json()
        assert view["card"]["claimed_by"] == "Mei" and view["card"]["order_id"] == "#W1000001"
        assert ["shopper", "Mei"] == [view["transcript"][0]["author"], view["transcript"][-1]["author"]]
        async with session.post(url + "/reply", json={"text": "   "}, headers=headers) as response:
            assert response.status == 409 and "empty" in (await response.json())["error"]
        async with session.post(url + "/resolve", json={"back_to_bot": True}, headers=headers) as response:
            assert response.status == 200
        async with session.get(url) as response:
            assert response.status == 404
        assert hub.store.conversations.get(CID)["status"] == "bot"
        assert [e["action"] for e in hub.store.audit.entries(CID)][-1] == "handoff.back_to_bot"


async def test_without_a_password_the_inbox_is_off_and_says_how_to_turn_it_on(assistant, hub):
    web = WebChannel(assistant, "127.0.0.1", 0)
    web.add_routes(StaffInbox(hub, None).routes())
    await web.start()
    try:
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
            async with session.get(web.url + "staff") as response:
                assert response.status == 503 and "KEFU_STAFF_PASSWORD" in await response.text()
            async with session.post(web.url + "staff/api/login", json={"name": "x", "password": ""}) as response:
                assert response.status == 503
    finally:
        await web.stop()


async def test_the_inbox_names_an_unknown_web_shopper_by_handle_never_by_session_id(assistant, hub, inbox_web):
    session_id = "Zq8-secret-session-id-0123456789abcdef"
    shopper = Identity("web", session_id)
    await assistant.handle(InboundMessage(shopper, "I want to talk to a human", language_hint="en"))
    base = inbox_web.url
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
        await login(session, base)
        async with session.get(base + "staff/api/conversations") as response:
            [item] = (await response.json())["conversations"]
        async with session.get(f"{base}staff/api/conversations/{shopper.conversation_id}") as response:
            view = await response.json()  # staff still open the conversation by its id
    label = visitor_label(shopper.conversation_id)
    assert label.startswith("web visitor #") and item["customer"] == view["card"]["customer"] == label
    assert session_id not in label and item["conversation_id"] == shopper.conversation_id
    card = await hub.card(hub.open_handoff(shopper.conversation_id)["id"])
    slack = card_text(card) + json.dumps(card_blocks(card))
    assert label in slack and session_id not in slack  # the Slack card shows the same name
