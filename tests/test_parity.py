"""The same request comes to the same kind of outcome in zh and en (#20): an explicit complaint goes
to a colleague whatever else the message says, asking when one's refund arrives is about one's own
order in either language (Chinese drops the "my"), a coupon code that fails is the shopper's own, and
ordering a product named shows that product, checking one's order is tracking it, a physical shop is a
question for the contact articles, and an unsure reading of a problem report is the request the problem
calls for (core/policy/readings.py). Each pair runs through the assistant on the demo shop."""
from __future__ import annotations

import pytest

from bot.evals.outcomes import ask, demo_assistant, read_pairs
from core.nlu.base import NLUResult, Reading
from core.policy.complaints import asks_to_complain
from core.policy.readings import acted_reading


@pytest.fixture(scope="module")
def demo():
    return demo_assistant()


@pytest.mark.no_store
@pytest.mark.parametrize(("text", "asks"), [
    ("我要投诉，快递三天都没动", True), ("I want to complain, my parcel hasn't moved in three days", True),
    ("我想投诉一下客服", True), ("I'd like to file a complaint", True), ("投诉你们", True),
    ("我不是要投诉，就是问问", False), ("I don't want to complain, but where is it", False),
    ("no complaints, thanks", False), ("投诉电话是多少", False), ("我要退货", False)])
def test_an_explicit_complaint(text, asks):
    assert asks_to_complain(text) is asks


@pytest.mark.parametrize(("zh", "en", "outcome"), [
    ("我要投诉，快递三天都没动", "I want to complain, my parcel hasn't moved in three days", "handed_off"),
    ("退款什么时候到账", "when will my refund arrive", "verify"),
    ("退款什么时候到账", "when will the refund arrive", "verify"),
    ("退款一般多久到账", "how long do refunds usually take", "faq_answer"),
    ("我的优惠码用不了", "my coupon code doesn't work", "verify"),
    ("我想买红色连衣裙M码", "I'd like to buy the red dress in M", "product_cards"),
    ("我想查一下我的订单", "I'd like to check my order", "verify"),
    ("你们有实体店吗", "do you have a physical store", "faq_answer"),
    ("有线下实体店可以去看吗", "is there a brick and mortar shop I could visit", "faq_answer"),
    ("发错货了", "you sent the wrong item", "verify"),
    ("少发了一件", "one item is missing from my parcel", "verify"),
])
async def test_the_same_request_comes_to_the_same_outcome(demo, zh, en, outcome):
    for lang, text in (("zh", zh), ("en", en)):
        assert (await ask(demo, f"parity-test-{lang}-{text}", text)).outcome == outcome, (lang, text)


def _nlu(text, lang, intent, confidence):
    return NLUResult(text, lang, False, intent, confidence, readings=[Reading(intent, confidence)])


@pytest.mark.parametrize(("text", "lang", "read", "confidence", "acted"), [
    ("can you check my order please", "en", "place_order", 0.8, "track_order"),
    ("查一下我的订单", "zh", "place_order", 0.8, "track_order"),
    ("I'd like to place my order now", "en", "place_order", 0.8, "place_order"),
    ("do you have a walk-in store", "en", "product_search", 0.9, "contact_customer_service"),
    ("你们有门店吗", "zh", "greet", 0.3, "contact_customer_service"),
    ("can I collect it from your physical store", "en", "delivery_options", 0.9, "delivery_options"),
    ("寄错颜色了", "zh", "complaint", 0.4, "return_item"),
    ("the lamp came dented", "en", "out_of_scope", 0.4, "return_item"),
    ("包裹等了十天还没到", "zh", "chitchat", 0.3, "track_order"),
    ("I was billed twice", "en", "get_invoice", 0.35, "payment_issue"),
    ("你们发错货了", "zh", "complaint", 0.96, "complaint"),
    ("万一发错货了怎么办", "zh", "complaint", 0.4, "complaint"),
    ("hmm let me think", "en", "chitchat", 0.3, "chitchat"),
])
def test_the_reading_acted_on(text, lang, read, confidence, acted):
    assert acted_reading(_nlu(text, lang, read, confidence)).intent == acted


def test_pair_files_are_read_in_the_order_their_header_names(tmp_path):
    external = tmp_path / "external.tsv"
    external.write_text("en\tzh\nwhere is my order\t我的订单在哪\n", encoding="utf-8")
    assert read_pairs(external) == [("我的订单在哪", "where is my order")]
    plain = tmp_path / "plain.tsv"
    plain.write_text("我的订单在哪\twhere is my order\n", encoding="utf-8")
    assert read_pairs(plain) == [("我的订单在哪", "where is my order")]
    bad = tmp_path / "bad.tsv"
    bad.write_text("en\tzh\nonly one column\n", encoding="utf-8")
    with pytest.raises(ValueError, match="bad.tsv:2"):
        read_pairs(bad)
    assert len(read_pairs()) == 42
