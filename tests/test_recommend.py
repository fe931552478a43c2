"""The hybrid recommender: each scoring part, constraints, exclusions, diversity, shop rules, cold
start, explanations in both languages, "more like this", refresh, the evaluation and the bench."""
from __future__ import annotations

import json

import numpy as np
import pytest

from bot.benches.recommend import parse_sizes
from core.actions.recommend import RecommendAction
from core.demo.loader import load_demo_shop
from core.dialogue_state import DialogueState
from core.i18n import t
from core.messages import Identity, InboundMessage
from core.nlu.base import NLUResult
from core.recommend.benchmark import bench
from core.recommend.evaluation import evaluate, held_out_purchases, training_copy
from core.recommend.history import history_from_events
from core.recommend.hybrid import HybridRecommender
from core.recommend.index import build_index
from core.recommend.popular import PopularityRecommender
from core.recommend.rules import RulesError, ShopRules
from core.recommend.snapshot import customer_events
from core.reply.templates import localise
from core.sentiment.base import Sentiment
from core.store import ProductQuery, Store
from core.turn import Turn

# Under --db-engine postgresql the stores on file paths here are PostgreSQL databases too (tests/conftest.py).
pytestmark = pytest.mark.file_stores

DAY = "2026-10-{:02d}T10:00:00+00:00"


def _product(store, pid, category, zh, en, variants, consumable=0, tags=()):
    store.catalog.upsert_product(
        {"id": pid, "category": category, "title_zh": zh, "title_en": en, "tags": list(tags), "brand": "Kefu",
         "consumable": consumable},
        [{"id": f"{pid}-{i}", "sku": f"{pid}-{i}", "options": opts, "price_cents": price, "currency": "CNY",
          "stock": stock, "available": 1} for i, (opts, price, stock) in enumerate(variants)])


@pytest.fixture
def shop() -> Store:
    """Dresses, bags and tea; shoppers who buy a dress also buy bag B1; C1 bought D1 and viewed D3."""
    store = Store(":memory:")
    for cid, zh, en in (("dresses", "连衣裙", "Dresses"), ("bags", "箱包", "Bags"), ("tea", "茶叶", "Tea")):
        store.catalog.upsert_category(cid, zh, en, [])
    red_m, blue_s = {"color": "red", "size": "M"}, {"color": "blue", "size": "S"}
    _product(store, "D1", "dresses", "红色碎花连衣裙", "Red floral dress", [(red_m, 19900, 5)])
    _product(store, "D2", "dresses", "红色碎花连衣裙 长款", "Red floral dress long", [(red_m, 21900, 5)])
    _product(store, "D3", "dresses", "蓝色衬衫裙", "Blue shirt dress", [(blue_s, 25900, 3), (red_m, 25900, 0)])
    _product(store, "D4", "dresses", "丝绒长裙", "Velvet maxi dress", [(red_m, 49900, 2)])
    _product(store, "B1", "bags", "帆布托特包", "Canvas tote bag", [({"color": "beige"}, 9900, 9)])
    _product(store, "B2", "bags", "皮革斜挎包", "Leather crossbody bag", [({"color": "black"}, 29900, 9)])
    _product(store, "T1", "tea", "龙井绿茶", "Longjing green tea", [({}, 5900, 50)], consumable=1)
    _product(store, "T2", "tea", "普洱茶饼", "Pu-erh tea cake", [({}, 8900, 50)], consumable=1)
    ids = {name: store.customers.upsert({"external_id": name, "name": name, "language": "en"})
           for name in ("C1", "C2", "C3", "C4", "NEW")}
    for name in ("C2", "C3", "C4"):
        for day, product in ((1, "D1"), (2, "B1")):
            store.events.record(ids[name], "purchase", product, at=DAY.format(day))
    store.events.record(ids["C4"], "purchase", "T1", at=DAY.format(3))
    store.events.record(ids["C1"], "purchase", "D1", at=DAY.format(5))
    store.events.record(ids["C1"], "view", "D3", at=DAY.format(6))
    store.events.record(ids["C1"], "purchase", "T1", at=DAY.format(7))
    store.ids = ids
    yield store
    store.close()


def _ids(picks):
    return [p.hit.product["id"] for p in picks]


# -- the scoring parts ---------------------------------------------------------------------
def test_popularity_and_co_purchase_and_content_parts(shop):
    index = build_index(shop)
    row = index.catalog.row
    assert index.popularity[row["D1"]] == index.popularity.max() > index.popularity[row["D4"]]
    neighbours = index.co_purchase[row["D1"]].toarray().ravel()
    assert neighbours[row["B1"]] > 0 and neighbours[row["B2"]] == 0
    content = index.content[row["D1"]].toarray().ravel()
    assert content.argmax() == row["D2"]  # same title words, same category
    assert content[row["B1"]] == 0  # content compares within a category


def test_trending_prefers_recent_activity(shop):
    shop.events.record(shop.ids["NEW"], "purchase", "B2", at="2026-10-30T10:00:00+00:00")
    index = build_index(shop)
    assert index.trending[index.catalog.row["B2"]] > index.trending[index.catalog.row["D4"]]


def test_history_weighs_recency_and_kind(shop):
    index = build_index(shop)
    history = history_from_events(customer_events(shop, shop.ids["C1"], 50), index.catalog)
    weight = dict(zip((index.catalog.ids[r] for r in history.rows), history.weights))
    assert pytest.approx(sum(weight.values())) == 1.0
    assert weight["T1"] > weight["D1"]  # both purchases, T1 is newer
    assert {index.catalog.ids[r] for r in history.bought} == {"D1", "T1"}


# -- constraints and exclusions ------------------------------------------------------------
@pytest.fixture
def recommender(shop) -> HybridRecommender:
    return HybridRecommender(shop, refresh_seconds=0)


@pytest.mark.parametrize("query, allowed", [
    (ProductQuery(category="bags"), {"B1", "B2"}),
    (ProductQuery(options={"color": "red"}), {"D1", "D2", "D4"}),  # D3's red variant is out of stock
    (ProductQuery(options={"color": "blue", "size": "S"}), {"D3"}),
    (ProductQuery(min_price_cents=20000, max_price_cents=30000), {"D2", "D3", "B2"}),
])
def test_constraints_are_obeyed(recommender, shop, query, allowed):
    picks = recommender.recommend(shop.ids["NEW"], query, k=8)
    assert picks and set(_ids(picks)) <= allowed
    for pick in picks:  # the card shows only variants that satisfy the query
        assert all(v["stock"] > 0 for v in pick.hit.variants)


def test_bought_non_consumables_are_excluded_but_consumables_may_return(recommender, shop):
    picks = _ids(recommender.recommend(shop.ids["C1"], ProductQuery(), k=8))
    assert "D1" not in picks and "T1" in picks


def test_explicit_exclusions_and_stock_changes_after_the_build(recommender, shop):
    shop.db.execute("update variants set stock = 0 where product_id = 'B1'")
    picks = _ids(recommender.recommend(shop.ids["NEW"], ProductQuery(), k=8, exclude={"D2"}))
    assert "B1" not in picks and "D2" not in picks


def test_lists_stay_diverse(recommender, shop):
    picks = recommender.recommend(shop.ids["NEW"], ProductQuery(), k=4)
    categories = [p.hit.product["category"] for p in picks]
    assert max(categories.count(c) for c in categories) <= 2
    assert not {"D1", "D2"} <= set(_ids(picks))  # near-identical titles: only one of them


# -- shop rules ----------------------------------------------------------------------------
def test_boost_bury_promote_and_hide(shop):
    plain = _ids(HybridRecommender(shop, refresh_seconds=0).recommend(None, ProductQuery(category="bags"), k=2))
    assert plain == ["B1", "B2"]
    rules = ShopRules.from_dict({"boost": [{"product": "B2", "by": 1.0}]})
    assert _ids(HybridRecommender(shop, rules, 0).recommend(None, ProductQuery(category="bags"), k=2)) == ["B2", "B1"]
    rules = ShopRules.from_dict({"bury": [{"category": "dresses", "by": 5}]})
    assert not any(p.startswith("D") for p in _ids(HybridRecommender(shop, rules, 0).recommend(
        None, ProductQuery(), k=3)))
    rules = ShopRules.from_dict({"promote": ["D4"], "hide": ["B1"]})
    picks = HybridRecommender(shop, rules, 0).recommend(None, ProductQuery(), k=4)
    assert _ids(picks)[1] == "D4" and picks[1].reason == "reason_promoted" and "B1" not in _ids(picks)


def test_rules_file_errors_are_clear(tmp_path):
    bad = tmp_path / "rules.json"
    bad.write_text(json.dumps({"boost": [{"by": 1}]}))
    with pytest.raises(RulesError, match="boost #1"):
        ShopRules.load(bad)
    bad.write_text(json.dumps({"feature": []}))
    with pytest.raises(RulesError, match="unknown rule kinds: feature"):
        ShopRules.load(bad)
    with pytest.raises(RulesError, match="cannot read"):
        ShopRules.load(tmp_path / "missing.json")


# -- cold start, explanations, more like this ----------------------------------------------
def test_cold_start_is_popular_in_the_asked_category(recommender, shop):
    assert not recommender.has_history(shop.ids["NEW"])
    picks = recommender.recommend(shop.ids["NEW"], ProductQuery(category="dresses"), k=2)
    assert _ids(picks)[0] == "D1" and picks[0].reason == "reason_popular_in"
    assert t(picks[0].reason, "en", **localise(picks[0].reason_facts, "en")) == "Popular in Dresses"
    assert t(picks[0].reason, "zh", **localise(picks[0].reason_facts, "zh")) == "连衣裙热销"
    assert recommender.top_categories(1) == ["dresses"]


def test_explanations_in_both_languages_and_the_trace(recommender, shop):
    picks = recommender.recommend(shop.ids["C1"], ProductQuery(category="bags"), k=1)
    assert _ids(picks) == ["B1"] and picks[0].reason == "reason_bought"
    assert t("reason_bought", "zh", **localise(picks[0].reason_facts, "zh")) == "因为您买过红色碎花连衣裙"
    assert t("reason_bought", "en", **localise(picks[0].reason_facts, "en")) == "Because you bought Red floral dress"
    trace = picks[0].trace
    assert trace["components"]["co_purchase"] > 0 and trace["because_of"][0]["product_id"] == "D1"
    assert trace["score"] == pytest.approx(picks[0].score, abs=1e-3)
    viewed = recommender.recommend(shop.ids["C1"], ProductQuery(options={"color": "blue"}), k=1)
    assert _ids(viewed) == ["D3"] and viewed[0].trace["components"]["seen"] > 0
    assert viewed[0].reason == "reason_history"  # most of C1's history is dresses
    assert t("reason_history", "zh", **localise(viewed[0].reason_facts, "zh")) == "因为您浏览过连衣裙"
    full = recommender.trace(shop.ids["C1"], ProductQuery(), k=2)
    assert {h["product_id"] for h in full["history"]} == {"D1", "D3", "T1"} and len(full["picks"]) == 2


def test_more_like_this(recommender, shop):
    picks = recommender.similar("D1", k=3)
    assert picks and "D1" not in _ids(picks) and all(p.hit.product["category"] == "dresses" for p in picks)
    assert picks[0].hit.product["id"] == "D2" and picks[0].reason == "reason_similar_to"
    assert t(picks[0].reason, "en", **localise(picks[0].reason_facts, "en")) == "Similar to Red floral dress"
    together = recommender.similar("D1", k=1, query=ProductQuery(category="bags"))
    assert _ids(together) == ["B1"] and together[0].reason == "reason_also_bought"
    assert recommender.similar("NOPE") == []


def test_per_customer_picks_for_campaigns(recommender, shop):
    picks = recommender.picks_for_customer(shop.ids["C1"], k=3)
    assert picks and all(p.reason and p.trace for p in picks) and "D1" not in _ids(picks)


def test_the_index_refreshes_when_the_store_changes(recommender, shop):
    assert not recommender.refresh()
    before = recommender.index.events
    shop.events.record(shop.ids["NEW"], "view", "B2", at=DAY.format(9))
    assert recommender.refresh() and recommender.index.events == before + 1


# -- the actions ---------------------------------------------------------------------------
def _turn(shop, customer, entities, state=None):
    nlu = NLUResult("x", "en", False, "recommend", 1.0, entities)
    return Turn(InboundMessage(Identity("web", "s"), "x"), "web:s", customer, nlu, Sentiment("neutral", 0.0),
                state or DialogueState())


async def test_recommend_action_onboards_a_new_shopper_once(recommender, shop):
    action = RecommendAction(shop, recommender)
    state = DialogueState()
    first = await action.run(_turn(shop, shop.customers.get(shop.ids["NEW"]), {}, state))
    assert first.template == "recommend_onboarding" and first.recommendations
    assert "Dresses" in first.facts["categories"]["en"] and "连衣裙" in first.facts["categories"]["zh"]
    second = await action.run(_turn(shop, shop.customers.get(shop.ids["NEW"]), {}, state))
    assert second.template == "recommend"
    known = await action.run(_turn(shop, shop.customers.get(shop.ids["C1"]), {}))
    assert known.template == "recommend"


async def test_more_button_recommends_similar_products(recommender, shop):
    result = await RecommendAction(shop, recommender).run(_turn(shop, None, {"product_id": "D1"}))
    assert result.template == "recommend_similar" and "D1" not in _ids(result.recommendations)
    assert result.facts["title"]["zh"] == "红色碎花连衣裙"


# -- evaluation and bench ------------------------------------------------------------------
def test_training_copy_hides_the_held_out_purchase(shop):
    held = {h.customer_id: h for h in held_out_purchases(shop)}
    assert held[shop.ids["C1"]].product_id == "T1"
    train = training_copy(shop, list(held.values()))
    left = {r[0] for r in train.db.execute("select product_id from events where customer_id = ?", [shop.ids["C1"]])}
    assert left == {"D1", "D3"}
    train.close()


@pytest.fixture(scope="module")
def demo_report():
    store = Store(":memory:")
    load_demo_shop(store)
    report = evaluate(store, {"popularity": PopularityRecommender,
                              "hybrid": lambda s: HybridRecommender(s, refresh_seconds=0)})
    store.close()
    return report


def test_hybrid_beats_popularity_on_the_demo_shop(demo_report):
    base, hybrid = demo_report.metrics["popularity"], demo_report.metrics["hybrid"]
    assert demo_report.shoppers >= 40
    assert hybrid.hit_rate >= 1.3 * base.hit_rate > 0
    assert hybrid.ndcg > base.ndcg and hybrid.coverage >= base.coverage


def test_bench_smoke():
    result = bench(60, 600, requests=12)
    assert result.shop.products == 60 and result.shop.events > 500
    assert result.index_mb > 0 and result.rebuild_seconds > 0
    assert 0 < result.latency_ms["p50"] <= result.latency_ms["p99"] <= result.latency_ms["max"]
    assert parse_sizes("1k, 10k,100k") == [1000, 10000, 100000]
    assert np.isfinite(result.generate_seconds)


# -- the commands --------------------------------------------------------------------------
def test_kefu_recommend_prints_reasons_and_the_trace(tmp_path):
    from tests.helpers import run_kefu
    plain = run_kefu(tmp_path, "recommend", "--customer", "C001", "--lang", "zh", "-k", "3")
    assert plain.returncode == 0, plain.stderr
    lines = plain.stdout.strip().splitlines()
    assert len(lines) == 3 and all("因为" in line or "热销" in line or "看过" in line for line in lines)
    traced = run_kefu(tmp_path, "recommend", "--customer", "C001", "--trace", "-k", "2")
    trace = json.loads(traced.stdout)
    assert len(trace["picks"]) == 2 and trace["picks"][0]["components"] and trace["history"]
    missing = run_kefu(tmp_path, "recommend", "--customer", "NOBODY")
    assert missing.returncode == 2 and "no customer" in missing.stderr


def test_kefu_eval_recommend_prints_the_table(tmp_path):
    from tests.helpers import run_kefu
    result = run_kefu(tmp_path, "eval", "recommend")
    assert result.returncode == 0, result.stderr
    assert "HR@10 hybrid / popularity" in result.stdout and "popularity" in result.stdout
