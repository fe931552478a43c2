"""The flows with shoppers of a shop nobody here wrote (#20), on the imported tau-bench retail shop: a
request given before verifying, a question while a yes/no waits, a yes with the action's word, the
sibling flow for the order's status, a general question after abandoning, the answer to "refund to?",
and a new address confirmed part by part. Customers and orders are real ones of data/tau-retail that
the tau stories do not use."""
from __future__ import annotations

import pytest

from bot.app import build_assistant
from bot.evals.dialogues import SHOPS, shop_template, story_settings
from core.dialogue_state import DialogueState
from bot.evals.stories import copy_store, frozen_clock
from core.messages import Identity, InboundMessage
from core.nlu.base import NLUResult, Reading
from core.policy.dialogue import DialoguePolicy
from core.policy.rules import RulePolicy
from core.sentiment.base import Sentiment
from core.turn import Turn

TAU = SHOPS["tau"]
YUSUF_R = "yusuf.rossi7301@example.com 19122"  # pending #W6247578: one T-Shirt, $53.27
YUSUF_H = "yusuf.hernandez8836@example.com 80265"  # pending #W6832752: Hiking Boots size 7
HARPER = "harper.kim5741@example.com 95119"  # pending #W5386730 (its address: address1, state, …)


@pytest.fixture(scope="module")
def tau_template():
    template = shop_template("tau")
    yield template
    template.close()


@pytest.fixture
def tau(tau_template):
    """A fresh copy of the tau shop, an assistant on it, and ``say(text) -> reply``, the clock at the stories'."""
    store = copy_store(tau_template)
    assistant = build_assistant(store, story_settings("tau"))
    shopper = Identity("web", "understanding")

    async def say(text: str) -> str:
        return "\n".join(r.text for r in (await assistant.handle(InboundMessage(shopper, text))).replies)

    with frozen_clock(TAU.now):
        yield store, say
    store.close()


def _state(store) -> dict:
    return store.conversations.state("web:understanding")


async def test_the_reason_given_with_the_request_is_not_asked_again_after_verifying(tau):
    store, say = tau
    await say("please cancel W6247578, I ordered it twice by mistake")
    confirm = await say(YUSUF_R)
    assert "#W6247578" in confirm and "$53.27" in confirm and "why" not in confirm.lower()
    await say("yes")
    request = next(store.db["order_requests"].rows_where("order_id = ?", ["#W6247578"]))
    assert request["reason"] == "I ordered it twice by mistake" and store.orders.get("#W6247578")["status"] == "cancelled"


async def test_a_request_without_a_reason_still_asks_for_one(tau):
    _, say = tau
    await say("取消订单 W6247578")
    assert "原因" in await say(YUSUF_R)


@pytest.mark.parametrize(("request_text", "answer", "told", "status"), [
    ("订单W6247578帮我取消，不想要了", "对，取消吧", "#W6247578", "cancelled"),  # yes with the action's word
    ("cancel W6247578 please, bought the wrong one", "no, keep it", "Nothing was changed", "pending"),  # a natural no
])
async def test_a_yes_or_no_in_more_words_answers_the_confirmation(tau, request_text, answer, told, status):
    store, say = tau
    await say(request_text)
    await say(YUSUF_R)
    assert told in await say(answer)
    assert store.orders.get("#W6247578")["status"] == status and _state(store)["active_task"] is None


async def test_a_question_while_a_yes_no_waits_is_answered_then_the_yes_no_is_asked_again(tau):
    store, say = tau
    await say("cancel W6247578, I don't need it")
    await say(YUSUF_R)
    answered = await say("wait, what's the status of this order right now?")
    assert "pending" in answered.lower() and "yes or no" in answered
    assert _state(store)["pending"] == "cancel_order"
    assert "cancelled" in (await say("yes")).lower()


async def test_changing_a_pending_orders_size_asked_as_an_exchange_changes_its_item(tau):
    store, say = tau
    await say("I want to exchange the hiking boots in order W6832752 for a size 9")
    confirm = await say(YUSUF_H)
    assert "$4.78" in confirm and "only" not in confirm
    assert _state(store)["active_task"] == "change_items"
    await say("yes")
    order = store.orders.get("#W6832752")
    assert order["status"] == "pending" and [i["variant_id"] for i in order["items"]] == ["8106223139"]


async def test_a_general_question_after_abandoning_gets_the_policy_not_a_refund_lookup(tau):
    _, say = tau
    await say("cancel W6247578")
    await say(YUSUF_R)
    await say("never mind")
    answer = await say("how long do refunds usually take?")
    assert "5-7" in answer and "no orders" not in answer.lower()


async def test_a_strangers_question_about_their_own_refund_verifies_and_looks(tau):
    store, say = tau
    asked = await say("我有个订单取消了，钱退回来了吗")
    assert "邮箱" in asked
    assert _state(store)["active_task"] == "refund_status"


async def test_a_new_address_is_confirmed_part_by_part_and_kept_under_the_orders_field_names(tau):
    store, say = tau
    await say("我的邮箱是harper.kim5741@example.com，邮编95119，想改一下订单的收货地址")
    confirm = await say("新地址：500 Castro Street, Apt 3, Mountain View, CA 94041")
    for part in ("街道：500 Castro Street", "门牌/单元：Apt 3", "城市：Mountain View", "省/州：CA", "邮编：94041"):
        assert part in confirm
    await say("对，改吧")
    assert store.orders.get("#W5386730")["address"] == {
        "address1": "500 Castro Street", "address2": "Apt 3", "city": "Mountain View", "state": "CA", "zip": "94041",
        "country": "USA"}


def _turn(text: str, intent: str, confidence: float, state: DialogueState, **entities) -> Turn:
    return Turn(InboundMessage(Identity("web", "policy"), text), "web:policy", {"id": 1},
                NLUResult(text, "zh", False, intent, confidence, entities, [Reading(intent, confidence)]),
                Sentiment("neutral", 0.0), state)


@pytest.mark.parametrize("text", ["原路退回就行", "退到店铺余额吧", "back to my card please"])
def test_the_answer_to_refund_to_is_the_answer_whatever_intent_is_read_in_it(text):
    from core.dialogue.recognisers import switches_task

    state = DialogueState(active_task="return_items", awaiting="refund_method", slots={"order_id": "#W1"})
    turn = _turn(text, "track_refund", 0.95, state)
    assert DialoguePolicy(RulePolicy()).decide(turn) == ["task"] and not switches_task(turn)


def test_identity_details_never_switch_the_task():
    from core.dialogue.recognisers import switches_task

    state = DialogueState(active_task="cancel_order", awaiting="identity", slots={"order_id": "#W1"})
    turn = _turn("邮箱a@b.com，邮编是19122", "change_shipping_address", 0.96, state, email="a@b.com")
    assert not switches_task(turn)


@pytest.mark.parametrize(("text", "reason"), [
    ("I'd like to cancel order W7538230, I ordered it by mistake", "I ordered it by mistake"),
    ("订单W5185761帮我取消一下，不想要了", "不想要了"),
    ("hi, please cancel #W1234567. Found it cheaper elsewhere", "Found it cheaper elsewhere"),
    ("取消订单 W9583042", None), ("cancel W1234567, thanks", None), ("你好，帮我取消订单W1234567", None),
    ("cancel W1234567, can you do that?", None), ("I ordered it by mistake", None),
])
def test_the_reason_beside_the_request(text, reason):
    from core.dialogue.flows.cancel import CancelOrderFlow
    from core.dialogue.flows.slots import reason_beside_request

    assert reason_beside_request(text, CancelOrderFlow.asked_by) == reason


def test_a_returns_reason_in_the_same_clause_as_its_order_id():
    from core.dialogue.flows.returns import ReturnFlow
    from core.dialogue.flows.slots import reason_beside_request

    assert reason_beside_request("订单W8341134的笔记本收到的时候好几页都撕破了，我要退货", ReturnFlow.asked_by) == \
        "订单的笔记本收到的时候好几页都撕破了"


def _two_readings(text: str, first: tuple[str, float], second: tuple[str, float], **entities) -> Turn:
    return Turn(InboundMessage(Identity("web", "policy"), text), "web:policy", {"id": 1},
                NLUResult(text, "en", False, first[0], first[1], entities, [Reading(*first), Reading(*second)]),
                Sentiment("neutral", 0.0), DialogueState())


@pytest.mark.parametrize(("text", "second", "entities", "action"), [
    ("recommend running shoes", ("recommend", 0.38), {"category": "shoes"}, "recommend"),
    ("headphnes under 100", ("product_search", 0.35), {"category": "electronics"}, "product_search"),
    ("tell me a joke about shoes", ("chitchat", 0.22), {"category": "shoes"}, "fallback"),  # not a product reading
    ("recommend a good novel to read", ("recommend", 0.38), {}, "fallback"),  # names nothing the shop sells
    ("shoes of the fisherman, the film", ("recommend", 0.1), {"category": "shoes"}, "fallback"),  # too weak
])
def test_a_message_naming_the_shops_products_takes_the_product_reading_over_out_of_scope(text, second, entities, action):
    turn = _two_readings(text, ("out_of_scope", 0.54), second, **entities)
    assert RulePolicy().decide(turn) == [action]
