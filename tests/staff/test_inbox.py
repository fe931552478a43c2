"""The local staff inbox's HTTP API: login, sessions, CSRF, the queue, claim / reply / resolve."""
from __future__ import annotations

import json
from datetime import timedelta
from ipaddress import ip_network

import aiohttp
import pytest

from adapters.forwarded import Forwarding
from adapters.inbox import StaffInbox
from adapters.inbox.auth import LOCK, MAX_FAILURES, StaffAuth
from adapters.slack.blocks import card_blocks, card_text
from adapters.web import WebChannel
from bot.app import build_assistant
from bot.channels import build_channels
from bot.settings import load_settings
from core import clock
from core.messages import Identity, InboundMessage
from core.observe.handles import visitor_label
from tests.hosting import serving
from tests.staff.conftest import PASSWORD

SHOPPER = Identity("web", "inbox-shopper")
CID = SHOPPER.conversation_id


LOOPBACK_PROXY = Forwarding((ip_network("127.0.0.1"),))
"""The test client's own address is the trusted reverse proxy."""


async def login(session: aiohttp.ClientSession, base: str, password: str = PASSWORD,
                headers: dict[str, str] | None = None) -> tuple[int, dict]:
    async with session.post(base + "staff/api/login", json={"name": "Mei", "password": password},
                            headers=headers) as response:
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


async def test_an_action_names_the_handoff_on_screen_and_never_touches_a_newer_one(assistant, hub, inbox_web):
    await assistant.handle(InboundMessage(SHOPPER, "I want to talk to a human", language_hint="en"))
    first = hub.open_handoff_id(CID)
    base = inbox_web.url
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
        _, body = await login(session, base)
        headers = {"X-CSRF-Token": body["csrf"]}
        url = f"{base}staff/api/conversations/{CID}"
        async with session.post(url + "/resolve", json={"handoff_id": first}, headers=headers) as response:
            assert response.status == 200
        await assistant.handle(InboundMessage(SHOPPER, "talk to a person again please", language_hint="en"))
        newer = hub.open_handoff_id(CID)
        assert newer != first
        for verb, extra in (("claim", {}), ("reply", {"text": "hi"}), ("resolve", {"back_to_bot": True})):
            async with session.post(f"{url}/{verb}", json={"handoff_id": first, **extra}, headers=headers) as response:
                assert response.status == 409 and f"#{first}" in (await response.json())["error"]
        other = f"{base}staff/api/conversations/web:someone-else"
        async with session.post(other + "/claim", json={"handoff_id": newer}, headers=headers) as response:
            assert response.status == 409  # a handoff of another conversation
        async with session.post(url + "/claim", json={"handoff_id": "1"}, headers=headers) as response:
            assert response.status == 400
        assert hub.open_handoff(CID)["status"] == "open" and hub.open_handoff(CID)["id"] == newer


async def test_without_a_password_the_inbox_is_off_and_says_how_to_turn_it_on(assistant, hub):
    async with serving(WebChannel(assistant), routes=StaffInbox(hub, None).routes()) as host:
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
            async with session.get(host.url + "staff") as response:
                assert response.status == 503 and "KEFU_STAFF_PASSWORD" in await response.text()
            async with session.post(host.url + "staff/api/login", json={"name": "x", "password": ""}) as response:
                assert response.status == 503


# -- the login lockout ----------------------------------------------------------------------------
def test_a_lock_ends_at_its_time_whatever_is_tried_meanwhile(monkeypatch):
    start, now = clock.utc_now(), [clock.utc_now()]
    monkeypatch.setattr(clock, "utc_now", lambda: now[0])
    auth = StaffAuth(PASSWORD)

    def logged_in(second: int, password: str, client: str = "198.51.100.1") -> bool:
        now[0] = start + timedelta(seconds=second)
        return auth.login("Mei", password, client) is not None

    # one wrong try every 10 s: the fifth (at 40 s) locks the address until 40 s + LOCK
    assert LOCK == timedelta(seconds=60) and MAX_FAILURES == 5
    assert not any(logged_in(second, "wrong password") for second in range(0, 50, 10))
    for second in range(50, 100, 10):  # refused, right or wrong, and nothing extends the lock
        assert not logged_in(second, "wrong password") and not logged_in(second, PASSWORD)
    assert logged_in(60, PASSWORD, client="198.51.100.2")  # another address is not locked
    assert logged_in(100, PASSWORD)  # the lock ended on time


async def test_behind_a_trusted_proxy_the_lock_is_per_client_not_per_proxy(start_inbox):
    base = (await start_inbox(LOOPBACK_PROXY)).url
    guesser = {"X-Forwarded-For": "198.51.100.1"}
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
        for _ in range(MAX_FAILURES):
            assert (await login(session, base, "wrong password", guesser))[0] == 401
        assert (await login(session, base, headers=guesser))[0] == 401  # locked
        spoofed = {"X-Forwarded-For": "203.0.113.9, 198.51.100.1"}  # a left-most hop is the client's own writing
        assert (await login(session, base, headers=spoofed))[0] == 401
        owner = {"X-Forwarded-For": "198.51.100.2"}
        assert (await login(session, base, headers=owner))[0] == 200


async def test_without_a_trusted_proxy_forwarded_headers_cannot_dodge_the_lock(inbox_web):
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
        for n in range(MAX_FAILURES):
            forged = {"X-Forwarded-For": f"198.51.100.{n}"}
            assert (await login(session, inbox_web.url, "wrong password", forged))[0] == 401
        assert (await login(session, inbox_web.url, headers={"X-Forwarded-For": "198.51.100.99"}))[0] == 401


@pytest.mark.parametrize(("forwarding", "headers", "secure"), [
    (None, {}, False),
    (None, {"X-Forwarded-Proto": "https"}, False),  # anyone can write that header
    (LOOPBACK_PROXY, {"X-Forwarded-Proto": "https"}, True),
    (LOOPBACK_PROXY, {"X-Forwarded-Proto": "http"}, False),
    (Forwarding(public_https=True), {}, True),  # KEFU_PUBLIC_URL=https://…
])
async def test_the_staff_cookie_is_secure_when_the_browser_uses_https(start_inbox, forwarding, headers, secure):
    base = (await start_inbox(forwarding)).url
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
        async with session.post(base + "staff/api/login", json={"name": "Mei", "password": PASSWORD},
                                headers=headers) as response:
            assert response.status == 200
            assert bool(response.cookies["kefu_staff"]["secure"]) is secure


@pytest.mark.parametrize(("name", "password", "status"), [
    ("Mei\udcff", PASSWORD, 400), ("Mei\x00", PASSWORD, 400), ("\u202e", PASSWORD, 400),
    ("Mei", "\ud800", 401), ("美 Mei", PASSWORD, 200),
])
async def test_hostile_login_bodies_get_4xx(inbox_web, name, password, status):
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
        body = json.dumps({"name": name, "password": password})  # JSON carries lone surrogates as escapes
        async with session.post(inbox_web.url + "staff/api/login", data=body,
                                headers={"Content-Type": "application/json"}) as response:
            assert response.status == status


TRUSTED, HTTPS_URL = {"kefu_trusted_proxies": "127.0.0.1"}, {"kefu_public_url": "https://shop.example.com"}


@pytest.mark.parametrize(("overrides", "proto", "owner_status", "secure"), [
    (TRUSTED, "https", 200, True), (TRUSTED, "http", 200, False), ({**TRUSTED, **HTTPS_URL}, "http", 200, True),
    (HTTPS_URL, "https", 401, None),  # no trusted proxy: one address for everyone, locked by the guesser
])
async def test_kefu_run_serves_the_inbox_with_the_proxy_settings(store, overrides, proto, owner_status, secure):
    """``kefu run``'s web server takes the client and https from KEFU_TRUSTED_PROXIES and KEFU_PUBLIC_URL."""
    settings = load_settings(env_file=None, kefu_load_demo_shop=False, kefu_llm_backend="templates", kefu_port=0,
                             kefu_staff_password=PASSWORD, **overrides)
    assistant = build_assistant(store, settings)
    host = build_channels(assistant, settings).host
    await host.start()
    try:
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
            forwarded = {"X-Forwarded-For": "198.51.100.1", "X-Forwarded-Proto": proto}
            for _ in range(MAX_FAILURES):
                assert (await login(session, host.url, "wrong password", forwarded))[0] == 401
            async with session.post(host.url + "staff/api/login", json={"name": "Mei", "password": PASSWORD},
                                    headers={**forwarded, "X-Forwarded-For": "198.51.100.2"}) as response:
                assert response.status == owner_status
                if secure is not None:
                    assert bool(response.cookies["kefu_staff"]["secure"]) is secure
    finally:
        await assistant.components.staff.stop()
        await host.stop()


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
