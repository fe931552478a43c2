"""A shopper only ever reads or changes their own orders, however the request is phrased; in-chat
identity checks never say whether an email exists and pause after repeated failures; nothing changes
an order without an explicit yes; the flow's state survives a restart."""
from __future__ import annotations

import itertools
import re

import pytest

from bot.app import build_assistant
from bot.evals.dialogues import demo_template, story_settings
from bot.evals.stories import copy_store, frozen_clock
from core.dialogue.answers import answer
from core.dialogue_state import DialogueState
from core.messages import Identity, InboundMessage
from core.nlu.base import NLUResult
from core.sentiment.base import Sentiment
from core.turn import Turn

NOW = "2026-11-10T10:00:00+00:00"
SHOPPER = Identity("telegram", "10008")  # customer C008 (linked by channel identity)
PHRASINGS = {
    "en": ["where is order {o}", "track {o}", "cancel order {o}", "I want to return {o}", "exchange {o} for size M",
           "change the address of {o} to 88 Nanjing Road, Shanghai", "invoice for {o} please",
           "where is the refund for {o}", "which coupons work on {o}", "I'm the owner of {o}, it's mine, show it",
           "my friend asked me to cancel {o} for her", "no, I meant {o}"],
    "zh": ["我的订单{o}到哪了", "取消订单{o}", "订单{o}我要退货", "订单{o}换成M码", "把{o}的地址改成上海市徐汇区漕溪北路100号",
           "订单{o}开发票", "{o}的退款到哪了", "{o}能用什么优惠券", "我是{o}的主人，帮我查一下", "帮朋友取消一下{o}"],
}


@pytest.fixture(scope="module")
def template():
    store = demo_template()
    yield store
    store.close()


@pytest.fixture
def shop(template):
    store = copy_store(template)
    yield store, build_assistant(store, story_settings())
    store.close()


def _snapshot(store):
    return (store.db.execute("select id, status, address, total_cents from orders order by id").fetchall(),
            store.db.execute("select * from order_items order by id").fetchall(),
            store.db.execute("select * from payments order by id").fetchall())


async def say(assistant, identity, text, source=None):
    message = InboundMessage(identity, text, payload=text if text.startswith("/") else None, source=source)
    return "\n".join(r.text for r in (await assistant.handle(message)).replies)


async def test_other_customers_orders_are_never_read_or_changed(shop):
    store, assistant = shop
    me = store.customers.for_identity(SHOPPER.channel, SHOPPER.user_id)["id"]
    others = [store.orders.get(r["id"]) for r in store.db["orders"].rows_where("customer_id != ?", [me], limit=12)]
    guessed = ["W0000001", "#W9999999", "12345678"]
    mine = {i["name"] for o in store.orders.for_customer(me, limit=100) for i in store.orders.get(o["id"])["items"]}
    before = _snapshot(store)
    n = 0
    for order, phrasing in itertools.product(others + [None] * len(guessed),
                                             [p for ps in PHRASINGS.values() for p in ps]):
        order_id = order["id"] if order else guessed[n % len(guessed)]
        n += 1
        for text in (phrasing.format(o=order_id), phrasing.format(o=order_id.lstrip("#"))):
            with frozen_clock(NOW):
                reply = await say(assistant, Identity("telegram", "10008"), text)
                if "yes or no" in reply or "是”或“否" in reply:  # a confirmation may only be about own orders
                    reply += await say(assistant, SHOPPER, "yes")
            if order:
                secrets = [order["tracking_number"], *(i["name"] for i in order["items"] if i["name"] not in mine),
                           f"{order['id']} (placed", f"订单 {order['id']}（"]
                leaked = [s for s in secrets if s and s in reply]
                assert not leaked, (text, reply)
                assert "couldn't find order" in reply or "没有找到订单" in reply or "who you are" in reply, (text, reply)
    assert n == 15 * 22
    assert _snapshot(store) == before
    assert [e for e in store.audit.entries() if e["actor"].startswith("customer:")] == []


async def test_nothing_about_orders_before_the_shopper_is_verified(shop):
    store, assistant = shop
    visitor = Identity("web", "visitor")
    order = store.orders.get("#W5263298")
    for text in ("where is my order W5263298", "cancel W5263298", "return W5263298", "/orders", "我的订单W5263298",
                 "W5263298", "yes", "liam.evans57@example.com", "210018"):  # the email, then a wrong zip: one failed check
        with frozen_clock(NOW):
            reply = await say(assistant, visitor, text)
        assert order["tracking_number"] not in reply and "Rock tea" not in reply and "¥536" not in reply, (text, reply)


async def test_a_failed_check_never_says_whether_the_email_exists_and_repeats_are_paused(shop):
    store, assistant = shop
    with frozen_clock(NOW):
        await say(assistant, Identity("web", "a"), "track my order")
        wrong_zip = await say(assistant, Identity("web", "a"), "liam.evans57@example.com 123456")
        await say(assistant, Identity("web", "b"), "track my order")
        no_such = await say(assistant, Identity("web", "b"), "nobody.here@example.com 123456")
        # the same answer (an apology line from the sentiment strategy may precede it: the words, not the email)
        assert wrong_zip.splitlines()[-1] == no_such.splitlines()[-1] and "couldn't verify" in wrong_zip
        for zip_code in ("100000", "100001"):
            await say(assistant, Identity("web", "a"), f"liam.evans57@example.com {zip_code}")
        paused = await say(assistant, Identity("web", "a"), "liam.evans57@example.com 210081")
        assert "Too many attempts" in paused and "#W" not in paused
    with frozen_clock("2026-11-10T10:30:00+00:00"):  # after the pause the right details work
        ok = await say(assistant, Identity("web", "a"), "liam.evans57@example.com 210081")
        assert "verified" in ok and "#W5263298" in ok


async def _guess(assistant, identity, text, source=None):
    await say(assistant, identity, "where is my order", source)
    return await say(assistant, identity, text, source)


async def test_guesses_at_a_customers_email_from_new_sessions_never_lock_the_customer_out(shop):
    """The attack of issue #18: three new sessions send the victim's email with a wrong code."""
    store, assistant = shop
    victim = store.customers.for_identity(SHOPPER.channel, SHOPPER.user_id)
    laptop = Identity("web", "victims-laptop")
    with frozen_clock(NOW):
        assert "verified" in await _guess(assistant, laptop, f"{victim['email']} {victim['zip']}", "198.51.100.7")
        for n in range(3):
            await _guess(assistant, Identity("web", f"attacker-{n}"), f"{victim['email']} 000000", "203.0.113.9")
            await _guess(assistant, Identity("web", f"attacker-{n}-b"), victim["email"], "203.0.113.9")
        own = await say(assistant, SHOPPER, "where is my order")  # their linked Telegram chat
        assert "#W" in own and "Too many" not in own, own
        assert "#W" in await say(assistant, laptop, "where is my order", "198.51.100.7")  # a session verified before
        fresh = await _guess(assistant, Identity("web", "victims-phone"), f"{victim['email']} {victim['zip']}",
                             "198.51.100.8")
        assert "verified" in fresh and "#W" in fresh, fresh


async def test_one_source_is_paused_after_its_failures_without_pausing_the_email(shop):
    store, assistant = shop
    victim = store.customers.for_identity(SHOPPER.channel, SHOPPER.user_id)
    right = f"{victim['email']} {victim['zip']}"
    with frozen_clock(NOW):
        for n in range(10):  # a new session for each guess: only the source ties them together
            await _guess(assistant, Identity("web", f"attacker-{n}"), f"{victim['email']} {100000 + n}", "203.0.113.9")
        paused = await _guess(assistant, Identity("web", "attacker-10"), right, "203.0.113.9")
        assert "Too many attempts" in paused and "#W" not in paused
        assert "verified" in await _guess(assistant, Identity("web", "victim"), right, "198.51.100.7")
    with frozen_clock("2026-11-10T10:16:00+00:00"):
        assert "verified" in await _guess(assistant, Identity("web", "attacker-11"), right, "203.0.113.9")
    keys = [row[0] for row in store.db.execute("select key from auth_failures")]
    assert keys and all(re.fullmatch(r"(conversation|source|email):[0-9a-f]{24}", key) for key in keys), keys


async def test_guesses_at_one_email_from_many_sources_are_still_bounded(shop):
    store, assistant = shop
    victim = store.customers.for_identity(SHOPPER.channel, SHOPPER.user_id)
    right = f"{victim['email']} {victim['zip']}"
    with frozen_clock(NOW):
        for n in range(20):
            await _guess(assistant, Identity("telegram", f"9{n:04d}"), f"{victim['email']} {100000 + n}")
        paused = await _guess(assistant, Identity("web", "guesser"), right, "203.0.113.99")
        assert "Too many attempts" in paused and "#W" not in paused
        own = await say(assistant, SHOPPER, "where is my order")  # never their own linked channel
        assert "#W" in own and "Too many" not in own, own
    with frozen_clock("2026-11-10T10:16:00+00:00"):
        assert "verified" in await _guess(assistant, Identity("web", "victim"), right, "198.51.100.7")


async def test_an_email_alone_asks_for_the_second_factor_and_is_not_a_failure(shop):
    store, assistant = shop
    visitor = Identity("web", "visitor")
    with frozen_clock(NOW):
        await say(assistant, visitor, "where is my order")
        replies = [await say(assistant, visitor, email) for email in ["liam.evans57@example.com"] * 4
                   + ["nobody.here@example.com"] * 2]
        assert all("zip code or phone number" in r and "Too many" not in r for r in replies), replies
        assert len({r.splitlines()[-1] for r in replies}) == 1  # the same whether or not the email exists
        ok = await say(assistant, visitor, "liam.evans57@example.com 210081")
        await say(assistant, Identity("web", "visitor-zh"), "我的订单到哪了")
        zh = await say(assistant, Identity("web", "visitor-zh"), "邮箱是 zixuan.huang6@example.com")
    assert "verified" in ok and "#W5263298" in ok
    assert "邮编或手机号" in zh and "次数过多" not in zh, zh
    assert store.db["auth_failures"].count == 0


@pytest.mark.parametrize("text, reading, expected", [
    ("ok maybe", "affirm", None), ("yes probably", "affirm", None), ("I guess so", "affirm", None),
    ("好吧，可能吧", "affirm", None), ("也许行", "affirm", None), ("我再想想", "affirm", None),
    ("maybe not", "deny", None), ("yes", "affirm", "yes"), ("好的", "affirm", "yes"), ("no", "deny", "no"),
    ("/yes", "greet", "yes"),
])
def test_a_hedged_reply_is_neither_yes_nor_no_whatever_the_model_reads(text, reading, expected):
    turn = Turn(InboundMessage(SHOPPER, text), "telegram:10008", None, NLUResult(text, "en", False, reading, 0.99),
                Sentiment("neutral", 0.0), DialogueState())
    assert answer(turn) == expected


async def test_no_change_without_a_yes_whatever_else_is_said(shop):
    store, assistant = shop
    before = _snapshot(store)
    with frozen_clock(NOW):
        await say(assistant, SHOPPER, "cancel order W6697500 because I ordered twice")
        for text in ("hmm", "what is your return policy?", "ok maybe", "please", "/no", "cancel it", "I said cancel"):
            await say(assistant, SHOPPER, text)
            assert _snapshot(store) == before, text
        await say(assistant, SHOPPER, "cancel order W6697500 because I ordered twice")
        await say(assistant, SHOPPER, "yes")
    assert store.orders.get("#W6697500")["status"] == "cancelled"
    [entry] = [e for e in store.audit.entries() if e["action"] == "cancel_order"]
    assert entry["details"]["confirmed_by"] == "yes" and entry["actor"].startswith("customer:")


async def test_a_pending_confirmation_survives_a_restart(shop):
    """The state is committed with each turn, so a new assistant process continues the flow."""
    store, assistant = shop
    with frozen_clock(NOW):
        reply = await say(assistant, SHOPPER, "change the address of W6697500 to 88 Nanjing Road, Shanghai")
        assert "yes or no" in reply
        state = store.conversations.state("telegram:10008")
        assert state["pending"] == "change_address" and \
            state["slots"]["address"] == {"line1": "88 Nanjing Road", "city": "Shanghai"}  # the parsed parts
        restarted = build_assistant(store, story_settings())
        done = await say(restarted, SHOPPER, "yes")
    assert "88 Nanjing Road" in done
    address = store.orders.get("#W6697500")["address"]  # the typed line, stored as its parts
    assert (address["line1"], address["city"]) == ("88 Nanjing Road", "Shanghai")
