"""Small parts of the dialogue manager: references to what was shown, splitting two requests,
credentials in a message, and the eval command."""
from __future__ import annotations

import argparse
from types import SimpleNamespace

import pytest

from core.dialogue.answers import answer
from core.dialogue.identity import credentials
from core.dialogue.references import ordinal, resolve
from core.dialogue.splitting import candidate_parts, split_requests
from core.dialogue_state import DialogueState
from core.nlu.base import NLUResult, Reading


def _nlu(text, intent="product_info", confidence=0.9, **entities):
    return NLUResult(text, "en", False, intent, confidence, entities, [Reading(intent, confidence)])


@pytest.mark.parametrize(("text", "position"), [("the second one", 1), ("第二个", 1), ("第3件", 2), ("the last one", -1),
                                                ("最后一个", -1), ("number 2", 1), ("show me dresses", None)])
def test_ordinals(text, position):
    assert ordinal(text) == position


def test_the_second_one_and_a_colour_follow_up_resolve_against_the_state(store):
    state = DialogueState(last_shown=["D1", "D3"], last_query={"category": "dresses", "options": {"color": "red"},
                                                               "terms": [], "min_price_cents": None,
                                                               "max_price_cents": None})
    second = resolve(_nlu("the second one", quantity=2), state, store)
    assert second.intent == "product_info" and second.entities == {"product_id": "D3"}
    blue = resolve(_nlu("那蓝色的呢", "product_search", 0.46, color="blue"), state, store)
    assert blue.intent == "product_search" and blue.entities["color"] == "blue" and blue.entities["category"] == "dresses"
    cheaper = resolve(_nlu("any cheaper?", "price_promotion", 0.64), state, store)
    assert cheaper.intent == "product_search" and cheaper.entities["max_price_cents"] == 19899
    inside_a_flow = resolve(_nlu("the second one"), state, store, in_task=True)
    assert "product_id" not in inside_a_flow.entities


def test_candidate_parts():
    assert candidate_parts("Where is W1? Also, what is your return policy?") == ["Where is W1?", "what is your return policy?"]
    assert candidate_parts("我要取消订单W6697500，另外退货政策是什么") == ["我要取消订单W6697500", "退货政策是什么"]
    assert candidate_parts("change my address to 88 Nanjing Road, Shanghai") == ["change my address to 88 Nanjing Road, Shanghai"]


async def test_split_only_when_every_part_is_a_confident_different_request():
    intents = {"where is W1234567?": ("track_order", 0.9), "what is your return policy?": ("check_refund_policy", 0.95),
               "a red dress": ("product_search", 0.9), "headphones": ("product_search", 0.9)}

    async def parse(text, language):
        intent, confidence = intents.get(text, ("out_of_scope", 0.2))
        return _nlu(text, intent, confidence, **({"order_id": "W1234567"} if "W1" in text else {}))

    whole = _nlu("x", "track_order", 0.5, order_id="W1234567")
    two = await split_requests("where is W1234567? Also what is your return policy?", whole, parse, "en")
    assert [r.intent for r in two] == ["track_order", "check_refund_policy"]
    assert two[1].entities["order_id"] == "W1234567"  # the order named in the message carries over
    same = await split_requests("a red dress and also headphones", whole, parse, "en")
    assert same == [whole]


def test_credentials_in_a_message():
    given = credentials("my email is Alice@Example.com and zip 200001", {"email": "Alice@Example.com"})
    assert given.email == "alice@example.com" and given.zip == "200001" and given.complete
    phone = credentials("a@b.com +86 139 9610 3853", {"email": "a@b.com", "phone": "+86 139 9610 3853"})
    assert phone.phone and phone.zip is None and phone.complete
    assert not credentials("200001", {}).complete


def test_kefu_eval_dialogues_reports_both_languages(capsys, settings):
    from bot.evals import EVALS, dialogues

    assert dialogues in EVALS
    status = dialogues.run(argparse.Namespace(stories=None, shop="demo", llm="templates", verbose=True), settings)
    out = capsys.readouterr().out
    assert status == 0
    assert "zh" in out and "en" in out and "turns/task" in out and "100.0%" in out


@pytest.mark.parametrize("first, verified", [
    ("Let me verify first: my email is alice@example.com and my zip is 200001", "you're verified"),
    ("先验证一下身份：alice@example.com 200001", "身份已确认"),
])
async def test_identity_sent_before_any_request_is_checked_and_kept(assistant, store, first, verified):
    from core.messages import Identity, InboundMessage
    store.customers.upsert({"external_id": "C1", "zip": "200001"})
    shopper = Identity("web", "verify-first")

    async def say(text: str) -> str:
        return "\n".join(r.text for r in (await assistant.handle(InboundMessage(shopper, text))).replies)

    told = await say(first)
    assert verified in told and "bye" not in told.lower() and "再见" not in told
    told = await say("where is my order W1000001?")
    assert "#W1000001" in told and "SF123456789" in told and "email" not in told


async def test_wrong_identity_sent_before_any_request_is_refused_like_in_a_flow(assistant, store):
    from core.messages import Identity, InboundMessage
    store.customers.upsert({"external_id": "C1", "zip": "200001"})
    replies = (await assistant.handle(InboundMessage(Identity("web", "guesser"), "alice@example.com 999999"))).replies
    assert "couldn't verify" in replies[0].text and "Alice" not in replies[0].text


@pytest.mark.parametrize(("text", "expected"), [
    ("it does not fit", None), ("the colour is not what I ordered", None),
    ("no", "no"), ("nope", "no"), ("not really", "no"), ("no, keep it", "no"), ("不要", "no"), ("不用了谢谢", "no")])
def test_a_no_read_by_the_model_is_a_refusal_not_a_sentence_with_a_negation(text, expected):
    """A retrained intent model read "it does not fit" (the reason of a return) as "no" at 0.84 and the
    return was stopped; only a short message or one opening with a refusal is a no."""
    turn = SimpleNamespace(message=SimpleNamespace(text=text), nlu=SimpleNamespace(intent="deny", confidence=0.84))
    assert answer(turn) == expected
