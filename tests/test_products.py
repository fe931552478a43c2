"""Product questions and search over any catalogue (#20): a product's facts from its data (price,
cheapest option, options on offer, whether an asked option is available), stock the shop does not
count, the product type asked for ranked above its category in either language, and a plain
"nothing fits" with the nearest products."""
from __future__ import annotations

from pathlib import Path

import pytest

from bot.evals.dialogues import run_all
from core.actions import product_facts as pf
from core.dialogue.flows.slots import variant_choices
from core.dialogue.references import resolve
from core.dialogue_state import DialogueState
from core.messages import Identity, InboundMessage
from core.nlu.base import NLUResult, Reading
from core.recommend.constraints import variant_matches
from core.recommend.hybrid import HybridRecommender
from core.recommend.stock import in_stock, sellable
from core.retrieval.product_questions import asked_product, asks_fact
from core.retrieval.product_types import ProductTypes, product_types, without_type_words
from core.store import ProductQuery
from core.vocabulary import options_label, value_name

WEB = Identity("web", "products-test")
REPO = Path(__file__).resolve().parent.parent


def _variant(vid, price, stock=5, available=1, currency="USD", **options):
    return {"id": vid, "sku": vid, "options": options, "price_cents": price, "currency": currency,
            "stock": stock, "available": available}


PHONE = [_variant("p1", 112899, color="black", storage="128GB"),
         _variant("p2", 116104, stock=0, available=0, color="rose gold", storage="64GB"),
         _variant("p3", 126114, stock=0, color="gold", storage="128GB")]


def _add(store, pid, category, zh, en, variants, tags=()):
    store.catalog.upsert_product({"id": pid, "category": category, "title_zh": zh, "title_en": en,
                                  "tags": list(tags), "consumable": 0}, variants)


@pytest.fixture
def english_shop(store):
    """The small shop plus English-only products the way an imported shop has them (title in both
    title fields, the product its own category) and one whose stock the shop does not count."""
    for pid, name, variants in (
            ("S1", "Smartphone", PHONE),
            ("B1", "Bluetooth Speaker", [_variant("b1", 27189, color="blue"), _variant("b2", 28581, color="red")]),
            ("L1", "Desk Lamp", [_variant("l1", 13524, color="black"), _variant("l2", 13794, stock=None, color="white")]),
            ("U1", "Garden Hose", [_variant("u1", 4000, stock=None, length="50ft")])):
        category = name.lower().replace(" ", "-")
        store.catalog.upsert_category(category, name, name, [])
        _add(store, pid, category, name, name, variants)
    return store


def _nlu(text, intent, confidence=0.9, **entities):
    return NLUResult(text, "en", False, intent, confidence, entities, [Reading(intent, confidence)])


async def _say(assistant, text):
    result = await assistant.handle(InboundMessage(WEB, text))
    replies = getattr(result, "replies", result)
    return "\n".join(r.text for r in replies), [c.product_id for r in replies for c in r.cards]


# -- stock ------------------------------------------------------------------------------------
def test_stock_is_in_out_or_unknown_and_unknown_is_still_offered():
    assert [in_stock(v) for v in (_variant("a", 1), _variant("b", 1, stock=0), _variant("c", 1, stock=None),
                                  _variant("d", 1, stock=None, available=0))] == [True, False, None, False]
    assert [sellable(v) for v in (_variant("c", 1, stock=None), _variant("b", 1, stock=0))] == [True, False]
    assert variant_matches(_variant("c", 1, stock=None), ProductQuery())
    assert not variant_matches(_variant("b", 1, stock=0), ProductQuery())


def test_unknown_stock_is_searchable_and_recommendable(english_shop):
    assert [h.product["id"] for h in english_shop.catalog.search(ProductQuery(category="garden-hose"))] == ["U1"]
    recommender = HybridRecommender(english_shop, refresh_seconds=0)
    assert "U1" in [p.hit.product["id"] for p in recommender.recommend(None, ProductQuery(), k=20)]


def test_exchange_choices_list_variants_of_unknown_stock_without_crashing(english_shop):
    class Ctx:
        store = english_shop
    item = {"product_id": "L1", "variant_id": "l1"}
    assert variant_choices(Ctx(), item) == {"zh": "white（白色）", "en": "white"}


# -- one product's facts ------------------------------------------------------------------------
def test_price_range_cheapest_and_options_count_only_what_is_on_offer():
    assert pf.price_text(PHONE) == "$1,128.99"  # the unavailable and sold-out variants are not on sale
    assert pf.cheapest(PHONE)["id"] == "p1"
    assert pf.offered_options(PHONE, "en") == "color: black; storage: 128GB"
    assert pf.offered_options(PHONE, "zh") == "颜色：black（黑色）；storage：128GB"
    assert pf.stock_state(PHONE) == "in_stock"
    assert pf.stock_state([_variant("x", 1, stock=None)]) == "unknown_stock"
    assert pf.stock_state(PHONE[1:]) == "out_of_stock"


@pytest.mark.parametrize(("text", "entities", "wanted", "state", "alternatives"), [
    ("is it available in rose gold?", {"color": "gold"}, {"color": "rose gold"}, "out_of_stock", [{"color": "black"}]),
    ("do you have it in gold", {"color": "gold"}, {"color": "gold"}, "out_of_stock", [{"color": "black"}]),
    ("in pink?", {"color": "pink"}, {"color": "pink"}, "not_offered", [{"color": "black"}]),
    ("the 128GB one in black", {"color": "black"}, {"color": "black", "storage": "128GB"}, "available", []),
    ("which colours does it come in?", {"color": "black"}, {}, None, []),
])
def test_the_asked_option_is_read_from_the_product_and_checked(text, entities, wanted, state, alternatives):
    asked = pf.wanted_options(PHONE, entities, text)
    assert asked == wanted
    if state:
        result = pf.availability(PHONE, asked)
        assert (result.state, result.alternatives) == (state, alternatives)


def test_an_option_of_unknown_stock_is_unknown_not_in_stock():
    lamp = [_variant("l1", 13524, color="black"), _variant("l2", 13794, stock=None, color="white")]
    assert pf.availability(lamp, {"color": "white"}).state == "unknown"
    assert pf.availability(lamp, {"color": "black"}).state == "available"


def test_a_bare_number_is_a_size_only_with_its_unit():
    shoes = [_variant("s1", 100, size="10"), _variant("s2", 100, stock=0, size="11")]
    assert pf.wanted_options(shoes, {}, "有11码的吗") == {"size": "11"}
    assert pf.wanted_options(shoes, {}, "I have 11 questions") == {}


@pytest.mark.parametrize(("option", "value", "zh"), [
    ("color", "black", "black（黑色）"), ("Colour", "Rose Gold", "Rose Gold"), ("size", "medium", "medium（中号）"),
    ("size", "M", "M"), ("material", "cotton", "cotton（棉）"), ("material", "棉", "棉"), ("storage", "128GB", "128GB"),
])
def test_a_chinese_reply_shows_the_shops_own_value_with_its_chinese_word(option, value, zh):
    assert value_name(option, value, "zh") == zh and value_name(option, value, "en") == value
    assert options_label({option: value, "fit": "XL"}, "zh") == f"{zh}/XL"


# -- product types --------------------------------------------------------------------------
def test_a_chinese_type_finds_an_english_product_and_its_category(english_shop):
    types = product_types(english_shop)
    speaker = types.find("有没有蓝牙音箱")
    assert speaker.category == "bluetooth-speaker" and speaker.names["en"] == "bluetooth speaker"
    assert types.find("台灯多少钱").fits({"title_en": "Desk Lamp"})
    assert types.find("do you sell headphones").category is None  # narrower than any category of this shop


def test_the_longest_type_word_wins_and_english_words_are_whole_words():
    types = ProductTypes([], [])
    assert types.find("running shoes under 400").said == "running shoes"
    assert types.find("笔记本电脑").names["en"] == "laptop"
    assert types.find("a guarantee") is None  # "tee" only as a word


def test_a_colour_inside_a_type_word_is_dropped(english_shop):
    kind = product_types(english_shop).find("蓝牙音箱")
    assert without_type_words("蓝牙音箱", {"color": "blue"}, kind) == {}
    assert without_type_words("蓝色的蓝牙音箱", {"color": "blue"}, kind) == {"color": "blue"}


def test_the_type_index_follows_the_catalogue(english_shop):
    assert product_types(english_shop).find("滑板").category is None
    english_shop.catalog.upsert_category("skateboard", "Skateboard", "Skateboard", [])
    _add(english_shop, "K1", "skateboard", "Skateboard", "Skateboard", [_variant("k1", 9000)])
    assert product_types(english_shop).find("滑板").category == "skateboard"


# -- which product a question is about ----------------------------------------------------------
@pytest.mark.parametrize(("text", "asks"), [
    ("How much are the Running Shoes?", True), ("what's the cheapest water bottle you sell?", True),
    ("Backpack 有哪些颜色可以选？", True), ("Sneakers 有11码的吗？", True), ("is it in stock", True),
    ("do you have the Tablet with an 8-inch screen and 64GB?", True), ("do you have dresses", False),
    ("show me dresses", False), ("我想买个背包", False)])
def test_fact_questions(text, asks):
    assert asks_fact(text) is asks


def test_a_fact_question_is_about_the_named_or_the_only_product_of_its_type(english_shop):
    def about(text, entities, shown=None):
        return asked_product(text, entities, english_shop, product_types(english_shop).find(text), shown)

    assert about("how much is the smartphone?", {"product_id": "S1"}) == "S1"
    assert about("蓝牙音箱多少钱", {}) == "B1"
    assert about("裙子多少钱", {}) is None  # three dresses: a search, not one product
    assert about("show me the smartphone", {"product_id": "S1"}) is None
    assert about("which sizes?", {}, shown=["D1"]) == "D1" and about("which sizes?", {}, shown=["D1", "D2"]) is None


def test_references_turn_a_product_fact_question_into_product_info(english_shop):
    price = resolve(_nlu("How much is the Smartphone?", "price_promotion", 0.6, product_id="S1"), DialogueState(),
                    english_shop)
    assert (price.intent, price.entities["product_id"]) == ("product_info", "S1")
    speaker = resolve(_nlu("蓝牙音箱多少钱", "out_of_scope", 0.4, color="blue"), DialogueState(), english_shop)
    assert (speaker.intent, speaker.entities) == ("product_info", {"product_id": "B1"})
    order = resolve(_nlu("how much was order W1234567?", "track_order", 0.9, order_id="W1234567"), DialogueState(),
                    english_shop)
    assert order.intent == "track_order"


# -- the actions, through the assistant -------------------------------------------------------
async def test_an_option_not_available_is_said_plainly_with_what_is_instead(english_shop, assistant):
    said, cards = await _say(assistant, "is the Smartphone available in rose gold?")
    assert "rose gold is not available right now" in said and "Available instead: black" in said
    assert "In stock." not in said and cards[0] == "S1"


async def test_a_price_question_carries_the_cheapest_option(english_shop, assistant):
    said, _ = await _say(assistant, "how much is the Desk Lamp?")
    assert "Price: $135.24–$137.94" in said and "Cheapest: $135.24 (color: black)" in said


async def test_unknown_stock_is_said_to_be_unknown(english_shop, assistant):
    said, _ = await _say(assistant, "Garden Hose 有货吗")
    assert said.endswith("50ft。商店没有记录库存，无法确认是否有货。")
    said, _ = await _say(assistant, "is the Desk Lamp in white in stock?")
    assert said.endswith("Desk Lamp in white: the shop keeps no stock count for it, so I can't say whether it's in stock.")


async def test_the_type_asked_for_comes_before_the_rest_of_its_category(store, assistant):
    _add(store, "D9", "dresses", "碎花吊带裙", "Floral slip dress", [_variant("d9", 9900, currency="CNY", color="red")])
    store.catalog.upsert_category("dresses", "连衣裙", "Dresses", ["连衣裙", "裙子", "dress", "dresses", "吊带裙"])
    said, cards = await _say(assistant, "有没有吊带裙")
    assert cards[0] == "D9" and len(cards) == 4 and "1 件吊带裙" in said and "其他 3 件" in said


async def test_nothing_of_the_type_within_the_budget_is_said_with_the_nearest(store, assistant):
    _add(store, "D9", "dresses", "碎花吊带裙", "Floral slip dress", [_variant("d9", 49900, currency="CNY", color="red")])
    store.catalog.upsert_category("dresses", "连衣裙", "Dresses", ["连衣裙", "裙子", "dress", "dresses", "slip dress"])
    said, cards = await _say(assistant, "any slip dress under 300?")
    assert said.startswith("Nothing fits that: there are no") and "under ¥300.00" in said
    assert cards[0] == "D9" and set(cards[1:]) == {"D1", "D2"}  # the type first, then what fits the budget


async def test_a_product_alone_in_its_category_still_has_similar_products(english_shop):
    recommender = HybridRecommender(english_shop, refresh_seconds=0)
    assert recommender.similar("B1", k=3)


# -- stories on the tau-bench shop ------------------------------------------------------------
PRODUCT_STORIES = sorted((REPO / "bot" / "evals" / "data" / "stories").glob("tau_products_*.yml"))
# of 12; the zh search "有没有$300以内的耳机？" is read as upset by the sentiment model, which then
# withholds the alternatives (an apology to a neutral request, issue #20's sentiment part)
MIN_PRODUCT_STORIES_PASSING = 11


async def test_the_product_stories_on_the_tau_shop_pass_with_template_replies():
    results = await run_all(PRODUCT_STORIES, shop="tau")
    assert {r.language for r in results} == {"zh", "en"} and len(results) == 12
    failing = {r.name: r.problems for r in results if not r.success}
    assert len(results) - len(failing) >= MIN_PRODUCT_STORIES_PASSING, failing
