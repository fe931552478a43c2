"""Sentiment changes how the real assistant behaves: apology, no upselling, reassurance with the
order's date, brief answers, handoff priority, review invitations, mood stored for staff."""
from __future__ import annotations

import pytest

from core.messages import Identity, InboundMessage, Reply
from core.observe import handles
from core.recommend.base import Recommendation
from core.reply.tone_shaping import apply_tone, shape_result
from core.sentiment.tone import Tone
from core.store import ProductQuery
from core.turn import ActionResult
from tests.helpers import run_kefu

# Under --db-engine postgresql the stores on file paths here are PostgreSQL databases too (tests/conftest.py).
pytestmark = pytest.mark.file_stores

WEB = Identity("web", "upset-shopper")
ALICE = Identity("telegram", "111")


async def say(assistant, identity, text, **kw):
    return (await assistant.handle(InboundMessage(identity, text, **kw))).replies


def open_handoffs(store, identity):
    return list(store.db["handoffs"].rows_where("conversation_id = ? and status = 'open'",
                                                [identity.conversation_id]))


async def test_a_calm_search_without_matches_suggests_alternatives(assistant):
    [reply] = await say(assistant, WEB, "do you have green dresses?")
    assert reply.cards and "Maybe one of these" in reply.text


async def test_an_angry_shopper_gets_an_apology_and_no_recommendation_cards(assistant):
    [reply, *rest] = await say(assistant, WEB, "your green dresses are garbage, worst shop ever!!! 😡")
    assert "sorry" in reply.text.lower() and "on us" in reply.text
    assert not reply.cards and "Maybe one of these" not in reply.text
    assert all(not r.cards for r in rest)


async def test_an_angry_chinese_shopper_gets_a_chinese_apology(assistant):
    [reply, *_] = await say(assistant, Identity("web", "zh-angry"), "什么破质量，气死我了，我要投诉！！")
    assert reply.language == "zh" and "抱歉" in reply.text and "我们的问题" in reply.text


async def test_strong_negativity_hands_off_with_high_priority(assistant, store):
    replies = await say(assistant, WEB, "This is a scam!!! Worst service ever, I'm furious 😡")
    assert any("colleague" in r.text for r in replies)
    [handoff] = open_handoffs(store, WEB)
    assert handoff["priority"] == 3 and handoff["reason"] == "upset"
    await say(assistant, WEB, "still furious, garbage!!!")
    [same] = open_handoffs(store, WEB)  # one request per conversation, not one per message
    assert same["id"] == handoff["id"] and same["priority"] == 3


async def test_a_worsening_mood_raises_the_handoff_priority(assistant, store):
    shopper = Identity("web", "slowly-annoyed")
    for text in ("hi, where is my parcel?", "it's late, not happy", "still nothing, this is bad",
                 "really disappointed now, terrible"):
        replies = await say(assistant, shopper, text)
    mood = store.conversations.mood(shopper.conversation_id)
    assert mood is not None and mood <= -0.5
    [handoff] = open_handoffs(store, shopper)
    assert handoff["priority"] >= 2
    assert any("colleague" in r.text for r in replies)


async def test_a_plain_question_changes_nothing(assistant, store):
    [reply] = await say(assistant, Identity("web", "calm"), "这个有蓝色的吗")
    assert "抱歉" not in reply.text
    assert not open_handoffs(store, Identity("web", "calm"))


async def test_an_anxious_shopper_is_reassured_with_the_orders_expected_date(assistant):
    [reply] = await say(assistant, ALICE, "I'm worried, is my order #W1000001 lost?")
    assert reply.text.startswith("Don't worry: your order #W1000001 is expected by 2026-10-25.")
    assert "SF123456789" in reply.text


async def test_urgency_gets_a_brief_answer(assistant):
    [calm] = await say(assistant, ALICE, "where is my order #W1000001?")
    [urgent] = await say(assistant, Identity("telegram", "111"), "where is my order #W1000001? urgent, I need it asap!")
    assert urgent.text.startswith("Order #W1000001: shipped.") or "Order #W1000001: shipped." in urgent.text
    assert "placed" in calm.text and "placed" not in urgent.text


async def test_a_happy_moment_after_a_delivered_order_invites_a_review(assistant, store):
    store.orders.upsert(
        {"id": "#W1000009", "customer_id": store.customers.for_identity("telegram", "111")["id"],
         "status": "delivered", "created_at": "2026-11-01T08:00:00+00:00", "total_cents": 3900, "currency": "CNY"},
        [{"product_id": "C1", "variant_id": "C1-0", "name": "Clear phone case", "options": {}, "quantity": 1,
          "price_cents": 3900}], [])
    [reply] = await say(assistant, ALICE, "thank you so much, I love it!")
    assert "review of order #W1000009" in reply.text
    [again] = await say(assistant, ALICE, "thanks again, it's perfect!")
    assert "review" not in again.text  # invited once


async def test_mood_is_stored_with_the_conversation(assistant, store):
    shopper = Identity("web", "mood")
    await say(assistant, shopper, "thanks, great service!")
    happy = store.conversations.mood(shopper.conversation_id)
    await say(assistant, shopper, "actually the parcel arrived broken, terrible")
    later = store.conversations.mood(shopper.conversation_id)
    assert happy > 0 and -1 < later < happy
    assert store.conversations.state(shopper.conversation_id)["mood"] == later
    [row] = [r for r in store.conversations.recent() if r["id"] == shopper.conversation_id]
    assert row["mood"] == later


def test_tone_drops_unasked_recommendations_but_keeps_asked_ones(store):
    hit = store.catalog.search(ProductQuery(category="dresses"))[0]
    recs = [Recommendation(hit, "reason_popular", {}, 1.0)]
    upset = Tone(upsell=False)
    unasked = shape_result(ActionResult("search_none", {"description": "x"}, recommendations=recs), upset)
    assert unasked.recommendations == [] and unasked.template == "search_none_at_all"
    asked = shape_result(ActionResult("recommend", recommendations=recs), upset)
    assert asked.recommendations == recs
    assert shape_result(ActionResult("search_none", recommendations=recs), Tone()).recommendations == recs


def test_tone_wording_in_both_languages():
    reply = Reply("订单已发货。", language="zh")
    assert apply_tone(reply, Tone(), "zh") is reply
    text = apply_tone(reply, Tone(apologise=True, reassure=True, order_id="#W1", expected_delivery="2026-10-25"),
                      "zh").text
    assert text.startswith("非常抱歉") and "#W1 预计 2026-10-25 送达" in text and text.endswith("订单已发货。")
    brief = apply_tone(Reply("Done.", language="en"), Tone(apologise=True, brief=True), "en").text
    assert brief == "Sorry about that. On it.\nDone."


def test_staff_see_the_mood_in_kefu_conversations(tmp_path, monkeypatch):
    chat = run_kefu(tmp_path, "chat", "--script", "-",
                    stdin='{"user": "u1", "text": "garbage, worst shop ever, I want a refund now!!!"}\n')
    assert chat.returncode == 0, chat.stderr
    listing = run_kefu(tmp_path, "conversations", "--upset")
    assert listing.returncode == 0, listing.stderr
    monkeypatch.setattr(handles, "_key", handles.load_key(tmp_path / "var" / "handle.key"))  # listed by handle
    handle = handles.conversation_handle("script:u1")
    [row] = [line for line in listing.stdout.splitlines() if handle in line]
    assert "upset" in row and "P3" in row


async def test_a_plain_problem_report_gets_an_apology_but_no_colleague(assistant, store):
    shopper = Identity("web", "plain-report")
    [reply, *_] = await say(assistant, shopper, "I was billed twice for my order")  # scored neutral, no angry word
    assert "sorry" in reply.text.lower() and "on us" in reply.text
    assert not open_handoffs(store, shopper)


async def test_a_happy_message_about_an_earlier_problem_gets_no_apology(assistant):
    [reply, *_] = await say(assistant, Identity("web", "zh-happy"), "换的新的到了很好，谢谢，之前那个是坏的")
    assert "抱歉" not in reply.text
