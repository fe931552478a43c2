"""The foundation's NLU: language, intents and entities from the catalogue's vocabulary."""
from __future__ import annotations

import pytest

from core.language import detect_language
from core.nlu.keyword import KeywordNLU


@pytest.fixture
def nlu(store):
    return KeywordNLU(store.catalog.categories())


@pytest.mark.parametrize("text, language, mixed", [
    ("你好", "zh", False), ("hi there", "en", False), ("我的order到了吗", "zh", True),
    ("#W1234567", "en", False), ("👍", "en", False),
])
def test_language(text, language, mixed):
    guess = detect_language(text)
    assert (guess.language, guess.mixed) == (language, mixed)


def test_language_of_a_bare_order_number_follows_the_conversation():
    assert detect_language("W1234567", fallback="zh").language == "zh"


@pytest.mark.parametrize("text", ["email li.wei@example.com zip 10025", "E-mail: li.wei@example.com, Phone 13800138000",
                                  "OK", "li.wei@example.com ZIP code 10025"])
def test_identity_details_with_only_their_labels_keep_the_conversations_language(text):
    assert detect_language(text, fallback="zh").language == "zh"
    assert detect_language(text, fallback="en").language == "en"
    assert detect_language("it's li.wei@example.com and 10025", fallback="zh").language == "en"  # real English words


@pytest.mark.parametrize("text, intent", [
    ("你好", "greet"), ("hello!", "greet"), ("谢谢", "thank_you"), ("thx", "thank_you"), ("bye", "goodbye"),
    ("我想买一件红色的连衣裙", "product_search"), ("do you have phone cases?", "product_search"),
    ("我的快递到哪了", "track_order"), ("where is my order", "track_order"), ("W1000001", "track_order"),
    ("退货政策是什么", "check_refund_policy"), ("can I return a dress?", "check_refund_policy"),
    ("转人工", "contact_human_agent"), ("I want to talk to a human", "contact_human_agent"),
    ("有什么推荐", "recommend"), ("可以开发票吗", "get_invoice"), ("支持哪些支付方式", "check_payment_methods"),
    ("怎么用优惠券", "coupon"), ("xyzzy", "out_of_scope"),
])
async def test_intents(nlu, text, intent):
    assert (await nlu.parse(text)).intent == intent


async def test_entities_of_a_chinese_search(nlu):
    result = await nlu.parse("我想买一件红色的连衣裙，200元以内，M码")
    assert result.entities["category"] == "dresses"
    assert result.entities["color"] == "red"
    assert result.entities["max_price_cents"] == 20000
    assert result.entities["size"] == "M"


@pytest.mark.parametrize("text, low, high", [
    ("dresses under $50", None, 5000), ("dress between 100 and 300", 10000, 30000),
    ("连衣裙 100-300元", 10000, 30000), ("连衣裙300以上", 30000, None), ("不超过150的裙子", None, 15000),
])
async def test_price_ranges(nlu, text, low, high):
    entities = (await nlu.parse(text)).entities
    assert entities.get("min_price_cents") == low and entities.get("max_price_cents") == high


@pytest.mark.parametrize("text, order_id", [
    ("where is #W1000001?", "W1000001"), ("订单号是W2000002", "W2000002"), ("order 1234567 please", "1234567"),
    # a shop's short numbers: Medusa's display ids start at #1
    ("where is my order #12?", "12"), ("cancel order #7", "7"), ("订单号12", "12"), ("order no. 3", "3"),
])
async def test_order_ids(nlu, text, order_id):
    assert (await nlu.parse(text)).entities["order_id"] == order_id


@pytest.mark.parametrize("text", ["I want 2 shirts", "size 12 please", "a 3 pack"])
async def test_a_bare_small_number_is_not_an_order(nlu, text):
    assert "order_id" not in (await nlu.parse(text)).entities


async def test_category_synonyms_and_typos(nlu):
    assert (await nlu.parse("any phone covers?")).entities["category"] == "phone-cases"
    assert (await nlu.parse("show me dresss")).entities["category"] == "dresses"
    assert (await nlu.parse("手机壳有吗")).entities["category"] == "phone-cases"


async def test_a_button_payload_is_understood_exactly(nlu):
    result = await nlu.parse("/product D1", "zh")
    assert (result.intent, result.confidence, result.entities, result.language) == ("product_info", 1.0, {"product_id": "D1"}, "zh")


async def test_the_keyword_rules_can_be_chosen_instead_of_the_trained_model(store, settings):
    from bot.app import build_assistant
    from core.messages import Identity, InboundMessage

    assistant = build_assistant(store, settings.model_copy(update={"kefu_nlu": "keyword"}))
    assert isinstance(assistant.components.nlu, KeywordNLU)
    [reply] = (await assistant.handle(InboundMessage(Identity("web", "kw"), "我想买一件红色的连衣裙"))).replies
    assert [c.product_id for c in reply.cards] == ["D1", "D3"]
