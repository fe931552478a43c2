"""Data rights from the web chat and WeChat (core/actions/privacy.py, adapters/web/export_links.py):
"/privacy" or asking in words offers Export / Delete; the export is a one-time, expiring link served
by Kefu's web server; deletion needs an explicit confirmation and really erases. Real servers on
127.0.0.1: the web chat over a websocket, WeChat with signed XML pushes and a fake API."""
from __future__ import annotations

import json
import re
from datetime import timedelta

import aiohttp
import pytest

from bot.channel_tables import register_channel_tables
from core import clock
from core.messages import Identity, InboundMessage
from core.privacy import erase_customer_data, export_customer_data
from tests import test_wechat_channel as wechat
from tests.test_web_channel import connect, exchange, say
from tests.test_wechat_channel import Shop, passive

LINK = re.compile(r"/privacy/export/([A-Za-z0-9_-]{43})")


@pytest.fixture
async def http():
    async with aiohttp.ClientSession() as session:
        yield session


def token_in(text: str) -> str:
    match = LINK.search(text)
    assert match, text
    return match.group(1)


async def fetch(http: aiohttp.ClientSession, base_url: str, token: str, method: str = "POST",
                session: str | None = None, html: bool = False) -> tuple[int, str, dict]:
    """One request to an export link: POST downloads, GET shows the page."""
    headers = {"X-Kefu-Session": session} if session else {}
    if html:
        headers["Accept"] = "text/html,application/xhtml+xml"
    async with http.request(method, f"{base_url}privacy/export/{token}", headers=headers) as response:
        return response.status, await response.text(), dict(response.headers)


def press(payload: str, label: str, client_id: str) -> dict:
    return {"type": "button", "payload": payload, "label": label, "id": client_id}


def later(monkeypatch: pytest.MonkeyPatch, minutes: int) -> None:
    """Move the clock the links read forward."""
    now = clock.utc_now()
    monkeypatch.setattr(clock, "utc_now", lambda: now + timedelta(minutes=minutes))


# -- which messages are data-rights requests ---------------------------------------------------
@pytest.mark.parametrize(("text", "step"), [
    ("/privacy", "menu"), ("隐私政策", "menu"), ("how do you use my data?", "menu"),
    ("导出我的数据", "export"), ("我想下载我的全部个人数据", "export"), ("can I get a copy of my data", "export"),
    ("download my data", "export"),
    ("删除我的数据", "delete"), ("清除我的聊天记录", "delete"), ("please erase all my personal data", "delete"),
    ("/privacy erase", "delete"),  # nothing was asked: the button only asks
    ("remove the red dress from my cart", None), ("get my order status", None), ("我想买连衣裙", None),
])
async def test_data_rights_requests_are_recognised_in_both_languages(assistant, text, step):
    openings = {"menu": ("You can export", "您可以导出"), "export": ("Your data is ready", "您的数据已准备好"),
                "delete": ("Delete your personal data for good?", "确定永久删除")}
    replies = (await assistant.handle(InboundMessage(Identity("web", "s" * 20), text=text, message_id="1"))).replies
    texts = [r.text for r in replies]
    if step is None:
        assert not any(said.startswith(o) for said in texts for pair in openings.values() for o in pair), texts
    else:
        assert texts[-1].startswith(openings[step]), texts


async def test_only_the_export_link_reply_is_private(assistant):
    """A private reply goes to the shopper's identity only (WeChat: never in the passive reply)."""
    shopper = Identity("web", "s" * 20)
    said = [(await assistant.handle(InboundMessage(shopper, text=text, message_id=str(n)))).replies
            for n, text in enumerate(["hi", "/privacy", "导出我的数据", "delete my data"])]
    assert [[reply.private for reply in replies] for replies in said] == [[False], [False], [True], [False]]
    assert LINK.search(said[2][0].text)


@pytest.mark.parametrize("text", ["确认删除", "confirm delete"])
async def test_a_confirmation_nobody_asked_for_erases_nothing(assistant, store, text):
    shopper = Identity("web", "s" * 20)
    await assistant.handle(InboundMessage(shopper, text="hi", message_id="1"))
    replies = (await assistant.handle(InboundMessage(shopper, text=text, message_id="2"))).replies
    assert not any("deleted" in r.text or "已删除" in r.text for r in replies), [r.text for r in replies]
    assert store.conversations.get(shopper.conversation_id) is not None
    assert "privacy.erase" not in [e["action"] for e in store.audit.entries()]


# -- what an erasure reaches beyond the customer row ------------------------------------------
def test_erasure_clears_promotion_texts_request_details_and_channel_delivery_rows(store):
    register_channel_tables(store)  # as `kefu run` does when it opens the store
    alice = store.customers.for_identity("telegram", "111")
    store.customers.link_identity("wechat", "o_alice", alice["id"])
    db = store.db
    db["campaigns"].insert({"id": 1, "name": "spring", "definition": "{}", "status": "running"})
    for status, occasion in (("sent", "a"), ("pending", "b")):
        db["deliveries"].insert({"campaign_id": 1, "customer_id": alice["id"], "status": status, "occasion": occasion,
                                 "channel": "telegram", "user_id": "111", "body": '{"text": "Dear Alice"}'})
    db["order_requests"].insert({"order_id": "#W1000001", "kind": "return", "status": "requested",
                                 "reason": "too small for Alice", "details": '{"address": "1 Alice Road"}',
                                 "conversation_id": "telegram:111"})
    db["telegram_outbox"].insert({"chat_id": 111, "source": "update:1", "seq": 0, "body": "Hi Alice", "status": "sent"})
    db["telegram_outbox"].insert({"chat_id": 222, "source": "update:2", "seq": 0, "body": "你好", "status": "sent"})
    db["wechat_menu_items"].insert({"open_id": "o_alice", "payload": "/product D1"})
    exported = export_customer_data(store, alice["id"], actor="test")
    assert [p["body"] for p in exported["promotions"]] == ['{"text": "Dear Alice"}'] * 2
    assert exported["order_requests"][0]["reason"] == "too small for Alice"

    erase_customer_data(store, alice["id"], actor="test")
    assert "Alice" not in json.dumps([list(db[table].rows) for table in (
        "deliveries", "order_requests", "telegram_outbox", "wechat_menu_items")])
    assert [(d["status"], d["reason"]) for d in db["deliveries"].rows] == [("sent", None), ("skipped", "erased")]
    assert [row["chat_id"] for row in db["telegram_outbox"].rows] == [222]  # Bob's chat is untouched
    assert db["order_requests"].get(1)["kind"] == "return"  # the request itself stays, as an aggregate


# -- web chat ---------------------------------------------------------------------------------
async def test_web_export_is_a_one_time_link_that_only_the_asking_chat_can_use(http, channel, store):
    ws, mine = await connect(http, channel, lang="en")
    await exchange(ws, say("hi", "1"))
    menu = await exchange(ws, say("/privacy", "2"))
    assert [(b["label"], b["payload"]) for b in menu["buttons"]] == [
        ("Export my data", "/privacy export"), ("Delete my data", "/privacy delete")]
    reply = await exchange(ws, press("/privacy export", "Export my data", "3"))
    assert "works once, within 15 minutes" in reply["text"]
    token = token_in(reply["text"])
    other, theirs = await connect(http, channel, lang="zh")
    await exchange(other, say("你好，我的电话是 13800138000", "b1"))

    status, page, _ = await fetch(http, channel.url, token, "GET", html=True)
    assert status == 403 and "Download button" in page  # a web link opens only from its chat
    for session in (None, theirs):
        status, text, _ = await fetch(http, channel.url, token, session=session)
        assert status == 403 and "Download button" in text
    status, body, headers = await fetch(http, channel.url, token, session=mine)
    assert status == 200 and headers["Content-Type"].startswith("application/json")
    assert re.fullmatch(r'attachment; filename="kefu-my-data-\d{8}\.json"', headers["Content-Disposition"])
    assert headers["Cache-Control"] == "no-store"
    data = json.loads(body)
    assert [(i["channel"], i["user_id"]) for i in data["identities"]] == [("web", mine)]
    [conversation] = data["conversations"]
    assert conversation["id"] == f"web:{mine}"
    assert [m["text"] for m in conversation["messages"] if m["direction"] == "in"] == ["hi", "/privacy",
                                                                                      "Export my data"]
    assert data["orders"] == [] and theirs not in body and "13800138000" not in body and "alice" not in body

    status, text, _ = await fetch(http, channel.url, token, session=mine)
    assert status == 410 and "already been used" in text
    customer = store.customers.for_identity("web", mine)
    actions = [e["action"] for e in store.audit.entries(f"customer:{customer['id']}")]
    assert actions == ["privacy.export_link", "privacy.export"]
    await ws.close()
    await other.close()


async def test_web_expired_unknown_and_malformed_links_are_refused(http, channel, monkeypatch):
    ws, mine = await connect(http, channel, lang="zh")
    reply = await exchange(ws, say("导出我的数据", "1"))
    assert "15 分钟内有效，只能使用一次" in reply["text"]
    token = token_in(reply["text"])
    later(monkeypatch, 16)
    status, text, _ = await fetch(http, channel.url, token, session=mine)
    assert status == 410 and "已过期" in text
    status, page, headers = await fetch(http, channel.url, token, "GET", html=True)
    assert status == 410 and "已过期" in page and headers["Content-Type"].startswith("text/html")
    for bad in ("A" * 43, "nope", "%2e%2e%2fetc"):
        status, text, _ = await fetch(http, channel.url, bad, session=mine)
        assert status == 404 and "无效" in text and "not valid" in text  # unknown link: both languages
    async with http.options(f"{channel.url}privacy/export/{token}") as preflight:
        assert preflight.status == 204 and preflight.headers["Access-Control-Allow-Headers"] == "X-Kefu-Session"
    await ws.close()


async def test_web_shopper_verified_in_chat_exports_then_erases_their_own_account(http, channel, store):
    alice = store.customers.for_identity("telegram", "111")
    store.db["customers"].update(alice["id"], {"zip": "200001"})
    ws, mine = await connect(http, channel, lang="en")
    await exchange(ws, say("where is my order", "1"))
    await exchange(ws, say("alice@example.com 200001", "2"))
    token = token_in((await exchange(ws, say("download my data", "3")))["text"])
    status, body, _ = await fetch(http, channel.url, token, session=mine)
    data = json.loads(body)
    assert status == 200 and data["customer"]["email"] == "alice@example.com"
    assert [o["id"] for o in data["orders"]] == ["#W1000001"]
    assert {c["id"] for c in data["conversations"]} == {f"web:{mine}"}  # this chat, proved to be hers
    assert "bob@example.com" not in body and "#W2000002" not in body

    question = await exchange(ws, say("delete my data", "4"))
    assert question["text"].startswith("Delete your personal data for good?")
    await ws.send_json(say("confirm delete", "5"))
    assert (await ws.receive_json(timeout=5))["type"] == "typing"
    assert "has been deleted" in (await ws.receive_json(timeout=10))["text"]
    erased = await ws.receive_json(timeout=5)
    assert erased["type"] == "erased" and erased["session"] != mine
    row = store.customers.get(alice["id"])
    assert row["email"] is None and row["name"] is None and row["external_id"] == f"erased:{alice['id']}"
    assert store.customers.for_identity("telegram", "111") is None
    assert store.conversations.get(f"web:{mine}") is None
    assert store.orders.get("#W1000001")["total_cents"] == 19900  # anonymous aggregates stay
    assert store.customers.for_identity("telegram", "222")["email"] == "bob@example.com"
    await ws.close()


async def test_web_delete_asks_first_cancel_keeps_and_only_an_explicit_confirmation_erases(http, channel, store):
    ws, mine = await connect(http, channel, lang="en")
    await exchange(ws, say("hi", "1"))
    question = await exchange(ws, say("please delete all my personal data", "2"))
    assert "Delete your personal data for good?" in question["text"]
    assert [b["payload"] for b in question["buttons"]] == ["/privacy erase", "/privacy keep"]
    assert (await exchange(ws, press("/privacy keep", "No", "3")))["text"] == "Cancelled. Nothing was deleted."
    again = await exchange(ws, press("/privacy erase", "Yes, delete", "4"))  # a stale button only asks again
    assert "Delete your personal data for good?" in again["text"]
    assert "Delete your personal data" in (await exchange(ws, say("yes", "5")))["text"]  # "yes" is not explicit
    assert store.conversations.get(f"web:{mine}") is not None

    await ws.send_json(press("/privacy erase", "Yes, delete", "6"))
    assert (await ws.receive_json(timeout=5))["type"] == "typing"
    assert "has been deleted" in (await ws.receive_json(timeout=10))["text"]
    erased = await ws.receive_json(timeout=5)
    assert erased["type"] == "erased"
    customer_id = store.audit.entries()[-1]["target"]
    assert store.audit.entries()[-1]["action"] == "privacy.erase" and store.audit.entries()[-1]["actor"] == f"web:{mine}"
    assert store.conversations.get(f"web:{mine}") is None and store.customers.for_identity("web", mine) is None
    assert store.db.execute("select count(*) from messages where conversation_id = ?", [f"web:{mine}"]).fetchone()[0] == 0
    assert store.customers.get(int(customer_id.split(":")[1]))["consent_source"] == "erasure"
    reply = await exchange(ws, say("hi", "7"))  # the chat goes on as the new session
    assert reply["text"].startswith("Hi!") and store.conversations.get(f"web:{erased['session']}") is not None
    await ws.close()


async def test_web_delete_in_chinese(http, channel, store):
    ws, mine = await connect(http, channel, lang="zh")
    await exchange(ws, say("你好", "1"))
    question = await exchange(ws, say("删除我的数据", "2"))
    assert question["text"].startswith("确定永久删除您的个人数据吗") and "确认删除" in question["text"]
    assert [b["label"] for b in question["buttons"]] == ["是，删除", "否"]
    assert (await exchange(ws, say("算了", "3")))["text"] == "已取消，您的数据没有变化。"
    assert store.conversations.get(f"web:{mine}") is not None
    await exchange(ws, say("删除我的数据", "4"))
    await ws.send_json(say("确认删除", "5"))
    assert (await ws.receive_json(timeout=5))["type"] == "typing"
    assert (await ws.receive_json(timeout=10))["text"].startswith("您的个人数据已删除")
    assert (await ws.receive_json(timeout=5))["type"] == "erased"
    assert store.conversations.get(f"web:{mine}") is None
    await ws.close()


# -- WeChat (the Shop harness, fake API and store fixtures of tests/test_wechat_channel.py) -------
fake, shop_store = wechat.fake, wechat.shop_store


async def say_wechat(shop: Shop, user: str, text: str, menu_id: str | None = None) -> str:
    """A text (or a menu tap) from ``user``; the passive reply's text."""
    fields = {"Content": text} | ({"bizmsgmenuid": menu_id} if menu_id else {})
    status, body = await shop.push(shop.message("text", user=user, **fields))
    assert status == 200, body
    return passive(body)["Content"]


async def export_link_sent(shop: Shop, user: str, text: str, menu_id: str | None = None) -> str:
    """Ask for the export: the HTTP response carries no link (``success``); the link comes as a
    customer-service message to ``user`` (WeChat delivers those to the follower themself)."""
    already = len(shop.fake.sent)
    fields = {"Content": text} | ({"bizmsgmenuid": menu_id} if menu_id else {})
    assert await shop.push(shop.message("text", user=user, **fields)) == (200, "success")
    *_, sent = await shop.fake.wait_for(already + 1)
    assert sent["touser"] == user and sent["msgtype"] == "text"
    return sent["text"]["content"]


async def test_wechat_export_link_in_text_downloads_once(http, fake, shop_store):
    async with Shop(shop_store, fake) as shop:
        await say_wechat(shop, "o_carol", "你好")
        assert await say_wechat(shop, "o_carol", "/privacy") == "您可以导出我们保存的关于您的全部数据，或永久删除您的个人数据。"
        *_, menu = await fake.wait_for(2)  # the greeting's menu, then this one
        options = {item["content"]: item["id"] for item in menu["msgmenu"]["list"]}
        assert list(options) == ["导出我的数据", "删除我的数据"]
        text = await export_link_sent(shop, "o_carol", "导出我的数据", options["导出我的数据"])
        assert "只能使用一次" in text and "http://127.0.0.1:8080/privacy/export/" in text
        token = token_in(text)
        for _ in range(2):  # opening the page (or a link preview) does not use the link up
            status, page, _ = await fetch(http, shop.web.url, token, "GET", html=True)
            assert status == 200 and '<form method="post">' in page and "下载我的数据" in page
        status, body, _ = await fetch(http, shop.web.url, token)  # a bearer link: no session needed
        data = json.loads(body)
        assert status == 200 and [(i["channel"], i["user_id"]) for i in data["identities"]] == [("wechat", "o_carol")]
        assert "你好" in [m["text"] for m in data["conversations"][0]["messages"]]
        status, text, _ = await fetch(http, shop.web.url, token)
        assert status == 410 and "已经用过" in text
        status, page, _ = await fetch(http, shop.web.url, token, "GET", html=True)
        assert status == 410 and "已经用过" in page


async def test_wechat_forged_or_replayed_privacy_requests_never_get_a_link_in_the_response(fake, shop_store):
    """The attack of issue #18: a signed URL seen once (a proxy's log) replayed with a push of the
    victim asking for their export; and, were a push forged outright, the link still only goes to the
    victim through the customer-service API."""
    victim = shop_store.customers.for_identity("telegram", "222")  # 王波, with an email and an order
    shop_store.customers.link_identity("wechat", "o_victim", victim["id"])
    async with Shop(shop_store, fake) as shop:
        logged = shop.signed_query()  # the URL of the victim's own push, as an access log keeps it
        status, body = await shop.push(shop.message("text", user="o_victim", Content="你好"), logged)
        assert status == 200 and "您好" in passive(body)["Content"]
        stale = shop.signed_query(timestamp="1500000000")  # the 2017 timestamp, rightly signed
        for query in (logged, stale):
            for text in ("/privacy export", "导出我的数据"):
                status, body = await shop.push(shop.message("text", user="o_victim", Content=text), query)
                assert status == 403 and "/privacy/export/" not in body
        assert shop_store.db["privacy_links"].count == 0
        assert wechat.count_inbound(shop_store, "o_victim") == 1
        # even a push that passes every check gets no link back: WeChat delivers it to the follower
        text = await export_link_sent(shop, "o_victim", "/privacy export")
        assert "/privacy/export/" in text and shop_store.db["privacy_links"].count == 1


async def test_wechat_expired_link_is_refused(http, fake, shop_store, monkeypatch):
    async with Shop(shop_store, fake) as shop:
        token = token_in(await export_link_sent(shop, "o_erin", "download my data"))
        later(monkeypatch, 15)
        status, text, _ = await fetch(http, shop.web.url, token)
        assert status == 410 and "expired" in text


async def test_wechat_delete_needs_a_confirmation_then_erases(fake, shop_store):
    async with Shop(shop_store, fake) as shop:
        await shop.push(shop.message("event", user="o_dan", Event="subscribe"))
        customer = shop_store.customers.for_identity("wechat", "o_dan")
        await say_wechat(shop, "o_dan", "我想买连衣裙")
        assert (await say_wechat(shop, "o_dan", "删除我的数据")).startswith("确定永久删除您的个人数据吗")
        assert await say_wechat(shop, "o_dan", "取消") == "已取消，您的数据没有变化。"
        assert shop_store.customers.for_identity("wechat", "o_dan")["id"] == customer["id"]
        await say_wechat(shop, "o_dan", "删除我的数据")
        assert (await say_wechat(shop, "o_dan", "确认删除")).startswith("您的个人数据已删除")
        assert shop_store.customers.for_identity("wechat", "o_dan") is None
        assert shop_store.conversations.get("wechat:o_dan") is None
        row = shop_store.customers.get(customer["id"])
        assert row["external_id"] == f"erased:{customer['id']}" and row["marketing_consent"] == 0
        entry = shop_store.audit.entries(f"customer:{customer['id']}")[-1]
        assert (entry["actor"], entry["action"]) == ("wechat:o_dan", "privacy.erase")


async def test_wechat_delete_in_english_with_the_menu(fake, shop_store):
    async with Shop(shop_store, fake) as shop:
        question = await say_wechat(shop, "o_fay", "delete my data")
        assert question.startswith("Delete your personal data for good?")
        [menu] = await fake.wait_for(1)
        options = {item["content"]: item["id"] for item in menu["msgmenu"]["list"]}
        assert list(options) == ["Yes, delete", "No"]
        assert "has been deleted" in await say_wechat(shop, "o_fay", "Yes, delete", options["Yes, delete"])
        assert shop_store.conversations.get("wechat:o_fay") is None
        assert shop_store.audit.entries()[-1]["action"] == "privacy.erase"
