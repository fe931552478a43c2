"""The Telegram channel in long-polling mode: the real python-telegram-bot Application against the
fake Bot API (tests/fakes/telegram_api.py). Users 111 (Alice) and 222 (王波) are linked customers."""
from __future__ import annotations

import asyncio
import json
import logging
import re
import time

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from adapters.web.export_links import ExportDownloads
from core.messages import Identity, Reply
from tests.fakes.telegram_api import Call
from tests.telegram.conftest import exchange, until_done

# Under --db-engine postgresql the stores on file paths here are PostgreSQL databases too (tests/conftest.py).
pytestmark = pytest.mark.file_stores

ALICE, BOB, NEWCOMER = 111, 222, 999


def texts(calls: list[Call]) -> list[str]:
    """The text or caption of each message."""
    return [c.params.get("text") or c.params.get("caption") or "" for c in calls]


async def test_start_registers_menus_in_both_languages_then_polls(fake_api, start_channel):
    await start_channel()
    assert [c["command"] for c in fake_api.commands[""]] == \
        ["start", "help", "orders", "recommend", "human", "lang", "unsubscribe", "privacy"]
    assert fake_api.commands["zh"][2] == {"command": "orders", "description": "我的订单"}
    await fake_api.wait_for(lambda calls: any(c.method == "getUpdates" for c in calls))
    methods = [c.method for c in fake_api.calls]
    assert methods.index("deleteWebhook") < methods.index("getUpdates")
    assert fake_api.sent("getUpdates")[0].params["timeout"] == "1"


async def test_a_full_shopping_conversation_in_chinese(fake_api, start_channel):
    channel = await start_channel()
    store = channel.store
    [choose] = await exchange(fake_api, channel, fake_api.message_update(BOB, "/start"))
    assert choose.callback_data == ["tg:start:zh", "tg:start:en"]
    language_set, consent = await exchange(fake_api, channel, fake_api.callback_update(BOB, "tg:start:zh"))
    assert "中文" in language_set.params["text"] and consent.callback_data == ["tg:consent:yes", "tg:consent:no"]
    thanks = await exchange(fake_api, channel, fake_api.callback_update(BOB, "tg:consent:yes"))
    assert "已为您订阅" in texts(thanks)[0]
    bob = store.customers.for_identity("telegram", str(BOB))
    assert bob["marketing_consent"] == 1 and bob["consent_source"] == "telegram" and bob["consent_at"]

    before = len(fake_api.calls)
    found = await exchange(fake_api, channel, fake_api.message_update(BOB, "我想买一件红色的连衣裙"))
    methods = [c.method for c in fake_api.calls[before:] if c.method != "getUpdates"]
    assert methods[0] == "sendChatAction" and fake_api.calls[before:][methods.index("sendChatAction")]
    assert "连衣裙" in texts(found)[0]
    cards = [c for c in found if c.method == "sendPhoto"]
    assert cards and all(c.params["parse_mode"] == "HTML" for c in cards)
    first = cards[0]
    assert first.params["caption"].startswith("<b>") and "¥" in first.params["caption"]
    product_id = first.callback_data[0].split()[1]
    assert first.callback_data == [f"/product {product_id}", f"/more {product_id}", f"tg:cart:{product_id}"]
    title = store.catalog.product(product_id)["title_zh"]

    details = await exchange(fake_api, channel, fake_api.callback_update(BOB, f"/product {product_id}"))
    assert title in texts(details)[0] and "价格" in texts(details)[0]
    added = await exchange(fake_api, channel, fake_api.callback_update(BOB, f"tg:cart:{product_id}"))
    assert f"「{title}」" in texts(added)[0]
    assert [e["product_id"] for e in store.events.for_customer(bob["id"]) if e["kind"] == "cart"] == [product_id]

    [orders] = await exchange(fake_api, channel, fake_api.message_update(BOB, "/orders"))  # the core's "/orders"
    assert "#W2000002" in orders.params["text"] and "#W1000001" not in orders.params["text"]
    assert "待处理" in orders.params["text"]
    [status] = await exchange(fake_api, channel, fake_api.callback_update(BOB, "/orders"))  # the menu's button
    assert status.params["text"] == orders.params["text"]  # the command and the button: one behaviour

    recommended = await exchange(fake_api, channel, fake_api.message_update(BOB, "/recommend"))
    assert texts(recommended)[0].startswith(("根据您的喜好", "暂时没有"))
    handoff = await exchange(fake_api, channel, fake_api.message_update(BOB, "/human"))
    assert "人工客服" in texts(handoff)[0]
    assert store.db["handoffs"].count_where("conversation_id = ?", [f"telegram:{BOB}"]) == 1
    answered = {c.params["callback_query_id"] for c in fake_api.sent("answerCallbackQuery")}
    assert len(answered) == 5


async def test_a_newcomer_gets_a_customer_record_and_can_switch_language(fake_api, start_channel):
    channel = await start_channel()
    store = channel.store
    assert store.customers.for_identity("telegram", str(NEWCOMER)) is None
    await exchange(fake_api, channel, fake_api.message_update(NEWCOMER, "/start", language_code="en"))
    customer = store.customers.for_identity("telegram", str(NEWCOMER))
    assert customer["name"] == f"User{NEWCOMER}"
    _, consent = await exchange(fake_api, channel, fake_api.callback_update(NEWCOMER, "tg:start:en"))
    assert "offers" in consent.params["text"]
    declined = await exchange(fake_api, channel, fake_api.callback_update(NEWCOMER, "tg:consent:no"))
    assert "won't send" in texts(declined)[0]
    assert store.customers.get(customer["id"])["marketing_consent"] == 0

    [choose] = await exchange(fake_api, channel, fake_api.message_update(NEWCOMER, "/lang"))
    assert choose.callback_data == ["/lang zh", "/lang en"]  # the core's language choice, as in every channel
    switched = await exchange(fake_api, channel, fake_api.callback_update(NEWCOMER, "/lang zh"))
    assert "中文" in texts(switched)[0]
    assert not any(data.startswith("tg:consent") for c in switched for data in c.callback_data)  # only in /start
    assert store.customers.get(customer["id"])["language"] == "zh"
    assert store.conversations.state(f"telegram:{NEWCOMER}")["language"] == "zh"
    [help_text] = await exchange(fake_api, channel, fake_api.message_update(NEWCOMER, "/help"))
    assert "/privacy 导出或删除我的数据" in help_text.params["text"]
    [unknown] = await exchange(fake_api, channel, fake_api.message_update(NEWCOMER, "/frobnicate"))
    assert unknown.params["text"] == help_text.params["text"]
    [no_orders] = await exchange(fake_api, channel, fake_api.message_update(NEWCOMER, "/orders"))
    assert no_orders.params["text"] == "您的账户里没有可以查询订单的订单。"  # the core's answer, as in every channel


async def test_unsubscribe_withdraws_consent_at_once_as_stop_does(fake_api, start_channel):
    """/unsubscribe is the core's unsubscribe words: withdrawn at once, as "stop" and "退订" are everywhere
    (a shopper who says unsubscribe expects it done, not a question)."""
    channel = await start_channel()
    store = channel.store
    await exchange(fake_api, channel, fake_api.callback_update(ALICE, "tg:consent:yes", language_code="en"))
    alice = store.customers.for_identity("telegram", str(ALICE))
    assert alice["marketing_consent"] == 1
    [done] = await exchange(fake_api, channel, fake_api.message_update(ALICE, "/unsubscribe", "en"))
    assert "won't send" in done.params["text"]
    assert store.customers.get(alice["id"])["marketing_consent"] == 0
    await exchange(fake_api, channel, fake_api.callback_update(ALICE, "tg:consent:yes", language_code="en"))
    [again] = await exchange(fake_api, channel, fake_api.message_update(ALICE, "STOP", "en"))
    assert again.params["text"] == done.params["text"] and store.customers.get(alice["id"])["marketing_consent"] == 0
    assert [e["action"] for e in store.audit.entries(f"customer:{alice['id']}")] == \
        ["consent.grant", "consent.withdraw", "consent.grant", "consent.withdraw"]


async def test_privacy_export_link_then_delete_with_confirmation(fake_api, start_channel):
    """/privacy is the core's data rights: the export is the one-time link every channel sends, served by
    the web server (adapters/web/export_links.py); deletion needs the confirmation."""
    channel = await start_channel()
    store = channel.store
    await exchange(fake_api, channel, fake_api.message_update(ALICE, "where is my order", "en"))
    [menu] = await exchange(fake_api, channel, fake_api.message_update(ALICE, "/privacy", "en"))
    assert menu.callback_data == ["/privacy export", "/privacy delete"]
    [export] = await exchange(fake_api, channel, fake_api.callback_update(ALICE, "/privacy export", "en"))
    token = re.search(r"/privacy/export/([A-Za-z0-9_-]{43})", export.params["text"]).group(1)
    async with TestClient(TestServer(_export_app(store))) as http:
        response = await http.post(f"/privacy/export/{token}")
        assert response.status == 200
        data = json.loads(await response.text())
        assert (await http.post(f"/privacy/export/{token}")).status == 410  # once only
    assert data["customer"]["email"] == "alice@example.com"
    assert [o["id"] for o in data["orders"]] == ["#W1000001"]
    assert any(m["text"] == "where is my order" for m in data["conversations"][0]["messages"])

    [confirm] = await exchange(fake_api, channel, fake_api.callback_update(ALICE, "/privacy delete", "en"))
    assert confirm.callback_data == ["/privacy erase", "/privacy keep"]
    await exchange(fake_api, channel, fake_api.callback_update(ALICE, "/privacy keep", "en"))
    alice = store.customers.for_identity("telegram", str(ALICE))
    assert alice["email"] == "alice@example.com"
    await exchange(fake_api, channel, fake_api.callback_update(ALICE, "/privacy delete", "en"))
    [deleted] = await exchange(fake_api, channel, fake_api.callback_update(ALICE, "/privacy erase", "en"))
    assert "deleted" in deleted.params["text"]
    erased = store.customers.get(alice["id"])
    assert erased["name"] is None and erased["email"] is None and erased["external_id"] == f"erased:{alice['id']}"
    assert store.customers.for_identity("telegram", str(ALICE)) is None
    assert store.conversations.get(f"telegram:{ALICE}") is None
    assert store.orders.get("#W1000001")["total_cents"] == 19900  # anonymous aggregates stay
    assert store.audit.entries(f"customer:{alice['id']}")[-1]["action"] == "privacy.erase"
    outbox = store.db.execute("select count(*) from telegram_outbox where chat_id = ?", [ALICE]).fetchone()[0]
    assert outbox == 1  # only the confirmation that the data is gone


def _export_app(store) -> web.Application:
    """The web server's export-link routes alone."""
    app = web.Application()
    app.add_routes(ExportDownloads(store).routes())
    return app


async def test_every_callback_is_answered_even_when_it_means_nothing(fake_api, start_channel):
    channel = await start_channel()
    for data in ("tg:bogus", "tg:lang:fr", "tg:orders:x", "tg:p:0123456789abcdef"):
        update = fake_api.callback_update(BOB, data)
        [reply] = await exchange(fake_api, channel, update)
        assert reply.params["text"].startswith("抱歉")
        query_id = update["callback_query"]["id"]
        assert [c.params["callback_query_id"] for c in fake_api.sent("answerCallbackQuery")][-1] == query_id


async def test_a_redelivered_update_is_handled_once_also_across_a_restart(fake_api, start_channel):
    channel = await start_channel()
    update = fake_api.message_update(BOB, "你好")
    first = await exchange(fake_api, channel, update)
    assert len(first) == 1
    sentinel = fake_api.message_update(ALICE, "/help", "en")
    await fake_api.push(update, sentinel)
    await until_done(channel, sentinel["update_id"])
    assert len(fake_api.messages(BOB)) == 1
    await channel.stop()

    restarted = await start_channel()
    sentinel = fake_api.message_update(ALICE, "/help", "en")
    await fake_api.push(update, sentinel)
    await until_done(restarted, sentinel["update_id"])
    assert len(fake_api.messages(BOB)) == 1
    assert len(fake_api.messages(ALICE)) == 2


async def test_a_429_is_honoured_and_the_message_sent_once(fake_api, start_channel):
    channel = await start_channel()
    fake_api.fail_next("sendMessage", status=429, retry_after=1)
    started = time.monotonic()
    [reply] = await exchange(fake_api, channel, fake_api.message_update(BOB, "/help"))
    assert time.monotonic() - started >= 1.0
    assert [c.status for c in fake_api.calls if c.method == "sendMessage"] == [429, 200]
    assert channel.outbox.status_counts() == {"sent": 1}


async def test_a_429_beyond_the_limiters_retries_stays_queued_and_is_sent_later(fake_api, start_channel):
    channel = await start_channel(rate_limit_retries=0)
    fake_api.fail_next("sendMessage", status=429, retry_after=1)
    update = fake_api.message_update(BOB, "/help")
    await fake_api.push(update)
    await until_done(channel, update["update_id"])
    assert channel.outbox.status_counts() == {"pending": 1}
    await fake_api.wait_messages(1, BOB, timeout=5)
    await asyncio.sleep(0.05)
    assert channel.outbox.status_counts() == {"sent": 1}


async def test_a_shopper_who_blocked_the_bot_is_marked_unreachable(fake_api, start_channel, caplog):
    caplog.set_level(logging.INFO, logger="adapters.telegram.delivery")
    channel = await start_channel()
    store = channel.store
    fake_api.block(ALICE)
    assert await exchange(fake_api, channel, fake_api.message_update(ALICE, "/help", "en")) == []
    alice = store.customers.for_identity("telegram", str(ALICE))
    assert alice["unreachable"] == 1 and channel.outbox.status_counts() == {"blocked": 1}
    assert any(c.status == 403 for c in fake_api.calls)
    assert f"chat {Identity('telegram', str(ALICE)).handle} blocked the bot" in caplog.text  # chat ids: personal data
    assert f"chat {ALICE} " not in caplog.text
    fake_api.blocked.clear()
    assert len(await exchange(fake_api, channel, fake_api.message_update(ALICE, "/help", "en"))) == 1
    assert store.customers.get(alice["id"])["unreachable"] == 0


async def test_malformed_and_foreign_updates_do_not_stop_the_bot(fake_api, start_channel):
    channel = await start_channel()
    broken = {"update_id": fake_api.next_update_id(), "message": {"message_id": 1}}  # no chat, no date
    group = fake_api.message_update(BOB, "大家好")
    group["message"]["chat"] = {"id": -100, "type": "group", "title": "friends"}
    unknown_kind = {"update_id": fake_api.next_update_id(), "something_new": {"x": 1}}
    await fake_api.push({"no": "id"}, broken, group, unknown_kind)
    after = fake_api.message_update(BOB, "/help")
    [reply] = await exchange(fake_api, channel, after)
    assert "/orders" in reply.params["text"]
    for update in (broken, group, unknown_kind):
        await until_done(channel, update["update_id"])
    assert not fake_api.messages(-100)


async def test_media_stickers_locations_and_edits_get_helpful_answers(fake_api, start_channel):
    channel = await start_channel()
    photo = [{"file_id": "p1", "file_unique_id": "u1", "width": 90, "height": 90}]
    cases = [
        (dict(photo=photo), "只能看懂文字"),
        (dict(voice={"file_id": "v1", "file_unique_id": "v", "duration": 3}), "只能看懂文字"),
        (dict(document={"file_id": "d1", "file_unique_id": "d"}), "只能看懂文字"),
        (dict(sticker={"file_id": "s1", "file_unique_id": "s", "type": "regular", "width": 1, "height": 1,
                       "is_animated": False, "is_video": False}), "表情"),
        (dict(location={"latitude": 31.2, "longitude": 121.5}), "位置"),
    ]
    for content, expected in cases:
        [reply] = await exchange(fake_api, channel, fake_api.message_update(BOB, **content))
        assert expected in reply.params["text"] and reply.callback_data == ["/orders", "/more", "/human"]
    captioned = await exchange(fake_api, channel, fake_api.message_update(BOB, photo=photo, caption="红色连衣裙"))
    assert any(c.method == "sendPhoto" for c in captioned)
    edited = await exchange(fake_api, channel, fake_api.message_update(BOB, "退货政策", edited=True))
    assert "30 天" in texts(edited)[0]


async def test_long_replies_are_split_and_html_escaped(fake_api, start_channel):
    channel = await start_channel()
    text = ("Tom & Jerry <b>not bold</b> " * 400).strip()
    await channel.send(Identity("telegram", str(BOB)), Reply(text))
    parts = fake_api.messages(BOB)
    escaped_length = 400 * len("Tom &amp; Jerry &lt;b&gt;not bold&lt;/b&gt; ")  # 18,000
    assert len(parts) == -(-escaped_length // 4096) and all(len(p.params["text"]) <= 4096 for p in parts)
    assert all(p.status == 200 for p in parts)  # the fake, like Telegram, refuses unparseable HTML
    joined = "".join(p.params["text"] for p in parts)  # each part ends at a space it keeps
    assert joined.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">") == text


async def test_messages_left_pending_by_a_crash_are_sent_on_restart_once(fake_api, start_channel):
    channel = await start_channel(started=False)
    from adapters.telegram.rendering import Outgoing
    channel.outbox.enqueue(BOB, [Outgoing("text", "one"), Outgoing("text", "two")], source="update:77")
    channel.outbox.enqueue(BOB, [Outgoing("text", "one"), Outgoing("text", "two")], source="update:77")
    await channel.start()
    assert texts(fake_api.messages(BOB)) == ["one", "two"]
    assert channel.outbox.status_counts() == {"sent": 2}


async def test_a_card_whose_photo_telegram_cannot_fetch_is_sent_as_text(fake_api, start_channel):
    channel = await start_channel()
    fake_api.bad_photos.update(f"https://example.invalid/{p}.jpg" for p in ("D1", "D2", "D3"))
    found = await exchange(fake_api, channel, fake_api.message_update(BOB, "我想买一件红色的连衣裙"))
    assert found and all(c.method == "sendMessage" for c in found)
    assert any(c.params["text"].startswith("<b>") and c.callback_data for c in found)
    assert channel.outbox.status_counts() == {"sent": len(found)}
