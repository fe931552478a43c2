"""The whole pipeline over the small shop: languages, search, orders, privacy, ordering, recovery."""
from __future__ import annotations

import asyncio

from core.messages import Identity, InboundMessage

WEB = Identity("web", "session-a")
ALICE = Identity("telegram", "111")
BOB = Identity("telegram", "222")


async def say(assistant, identity, text, **kw):
    return (await assistant.handle(InboundMessage(identity, text, **kw))).replies


async def test_greetings_are_answered_in_the_shoppers_language(assistant):
    [zh] = await say(assistant, WEB, "你好")
    [en] = await say(assistant, Identity("web", "session-b"), "hi")
    assert zh.language == "zh" and "您好" in zh.text and zh.buttons
    assert en.language == "en" and en.text.startswith("Hi")


async def test_red_dress_search_lists_only_matching_in_stock_products(assistant):
    [reply] = await say(assistant, WEB, "我想买一件红色的连衣裙")
    assert reply.language == "zh"
    assert [c.product_id for c in reply.cards] == ["D1", "D3"]
    assert "2" in reply.text and "红色连衣裙" in reply.text
    assert reply.cards[0].price == "¥199.00" and reply.cards[1].price.startswith("¥399.00")
    assert reply.cards[0].buttons[0].payload == "/product D1"


async def test_details_button_keeps_the_language_and_states_store_facts(assistant):
    await say(assistant, WEB, "红色连衣裙")
    [reply] = await say(assistant, WEB, "/product D1", payload="/product D1")
    assert reply.language == "zh"
    assert "法式红色碎花连衣裙" in reply.text and "¥199.00" in reply.text


async def test_search_with_no_match_offers_alternatives(assistant):
    [reply] = await say(assistant, WEB, "green dresses")
    assert reply.text.startswith("Sorry") and reply.cards
    assert all(c.product_id.startswith("D") for c in reply.cards)


async def test_paging_through_results(assistant, store):
    for i in range(7):
        store.catalog.upsert_product(
            {"id": f"X{i}", "category": "dresses", "title_zh": f"裙{i}", "title_en": f"Dress {i}", "tags": []},
            [{"id": f"X{i}-v", "options": {"color": "black"}, "price_cents": 1000 + i, "currency": "CNY",
              "stock": 1, "available": 1}])
    [first] = await say(assistant, WEB, "black dresses")
    assert len(first.cards) == 5 and first.buttons[0].payload == "/page 2"
    [second] = await say(assistant, WEB, "/page 2", payload="/page 2")
    assert [c.product_id for c in second.cards] == ["X5", "X6"] and not second.buttons


async def test_a_shopper_tracks_their_own_order(assistant):
    [reply] = await say(assistant, ALICE, "where is my order #W1000001?")
    assert "SF123456789" in reply.text and "SF Express" in reply.text and "2026-10-25" in reply.text


async def test_a_shopper_cannot_see_another_customers_order(assistant):
    [reply] = await say(assistant, ALICE, "where is order W2000002")
    assert "couldn't find order" in reply.text and "pending" not in reply.text
    [own] = await say(assistant, BOB, "我的订单W2000002到哪了")
    assert "待处理" in own.text


async def test_an_unknown_shopper_must_identify_before_order_questions(assistant):
    [reply] = await say(assistant, WEB, "where is my order #W1000001")
    assert "who you are" in reply.text and "SF123456789" not in reply.text


async def test_policy_questions_quote_the_knowledge_base(assistant):
    [zh] = await say(assistant, WEB, "退货政策是什么？")
    assert "30 天内退货" in zh.text


async def test_duplicate_delivery_is_handled_once(assistant, store):
    first = await say(assistant, WEB, "hi", message_id="42")
    again = await say(assistant, WEB, "hi", message_id="42")
    assert first and again == []
    assert len([m for m in store.conversations.transcript("web:session-a") if m["direction"] == "in"]) == 1


async def test_a_crash_mid_turn_is_resumed_on_redelivery(assistant, store, monkeypatch):
    action = assistant.components.actions["greet"]
    original = action.run

    async def crash(turn):
        raise RuntimeError("power cut")

    monkeypatch.setattr(action, "run", crash)
    [apology] = await say(assistant, WEB, "hello", message_id="7")
    assert "went wrong" in apology.text
    assert store.conversations.state("web:session-a") == {}
    monkeypatch.setattr(action, "run", original)
    [reply] = await say(assistant, WEB, "hello", message_id="7")
    assert reply.text.startswith("Hi")
    assert store.conversations.state("web:session-a")["turn"] == 1


async def test_state_and_transcript_are_committed_before_replies_are_returned(assistant, store):
    [reply] = await say(assistant, WEB, "red dress")
    transcript = store.conversations.transcript("web:session-a")
    assert transcript[-1]["direction"] == "out" and transcript[-1]["text"] == reply.text
    assert store.conversations.state("web:session-a")["last_shown"] == ["D1", "D3"]


async def test_messages_of_one_conversation_run_in_order_and_conversations_in_parallel(assistant, monkeypatch):
    nlu = assistant.components.nlu
    original = nlu.parse
    log: list[tuple[str, str]] = []

    async def slow_parse(text, language_so_far=None):
        log.append(("start", text))
        await asyncio.sleep(0.05 if text.endswith("1") else 0.01)
        log.append(("end", text))
        return await original(text, language_so_far)

    monkeypatch.setattr(nlu, "parse", slow_parse)
    await asyncio.gather(*(say(assistant, WEB, f"a{i}") for i in (1, 2, 3)),
                         say(assistant, Identity("web", "other"), "b1"))
    a_events = [e for e in log if e[1].startswith("a")]
    assert a_events == [("start", "a1"), ("end", "a1"), ("start", "a2"), ("end", "a2"), ("start", "a3"), ("end", "a3")]
    # the other conversation did not wait for a1 to finish
    assert log.index(("start", "b1")) < log.index(("end", "a1"))
    texts = [m["text"] for m in assistant.store.conversations.transcript("web:session-a") if m["direction"] == "in"]
    assert texts == ["a1", "a2", "a3"]


async def test_very_long_messages_are_cut_not_rejected(assistant, store):
    await say(assistant, WEB, "a" * 10_000)
    stored = store.conversations.transcript("web:session-a")[0]["text"]
    assert len(stored) == 4000


async def test_two_failures_hand_over_to_a_human_and_the_handoff_is_recorded_once(assistant, store):
    [first] = await say(assistant, WEB, "qwerty")
    assert "/human" not in [b.payload for b in first.buttons] and "colleague" not in first.text
    assert store.db["handoffs"].count == 0
    [second] = await say(assistant, WEB, "asdfgh")
    assert "colleague" in second.text  # the second failure in a row hands over (issue 4)
    assert list(store.db["handoffs"].rows_where(select="reason, status")) == [
        {"reason": "not_understood", "status": "open"}]
    [handoff] = await say(assistant, WEB, "/human", payload="/human")
    assert "colleague" in handoff.text
    assert store.db["handoffs"].count_where("conversation_id = 'web:session-a' and status = 'open'") == 1
