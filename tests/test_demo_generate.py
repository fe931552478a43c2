"""The demo-shop generator: deterministic output, the committed files, and the shape and
realism of the data (counts, consistent order statuses, customers with learnable taste)."""
from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from core.demo.generate import DEFAULT_OUT_DIR, REFERENCE, build_demo_data, write_demo_data
from core.demo.shop_tables import PALETTE
from core.store.orders import ORDER_STATUSES

# Opens no store: the same on every engine (skipped under --db-engine postgresql, tests/conftest.py).
pytestmark = pytest.mark.no_store

FILES = ("categories", "products", "customers", "orders", "faq")
CJK = re.compile(r"[\u4e00-\u9fff]")
REQUIRED_TOPICS = {"returns", "exchanges", "refunds", "shipping", "payment", "invoices", "coupons",
                   "privacy", "orders", "sizing", "warranty", "contact"}


@pytest.fixture(scope="module")
def data() -> dict[str, list[dict[str, Any]]]:
    return build_demo_data()


@pytest.fixture(scope="module")
def category_of(data) -> dict[str, str]:
    return {p["id"]: p["category"] for p in data["products"]}


@pytest.fixture(scope="module")
def orders_by_customer(data) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for order in sorted(data["orders"], key=lambda o: (o["created_at"], o["id"])):
        grouped[order["customer_id"]].append(order)
    return grouped


def _when(stamp: str) -> datetime:
    moment = datetime.fromisoformat(stamp)
    assert moment.tzinfo is not None, stamp
    return moment


def _cents(amount: str) -> int:
    assert re.fullmatch(r"\d+\.\d{2}", amount), amount
    return int(amount.replace(".", ""))


def _top_share(categories: list[str], top: int = 2) -> float:
    """Share of ``categories`` taken by its ``top`` most common values."""
    return sum(n for _, n in Counter(categories).most_common(top)) / len(categories)


# -- determinism ---------------------------------------------------------------------------------
def test_two_generations_are_byte_identical(tmp_path: Path) -> None:
    first = write_demo_data(tmp_path / "a")
    second = write_demo_data(tmp_path / "b")
    assert [p.name for p in first] == [f"{name}.json" for name in FILES]
    for a, b in zip(first, second):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_committed_files_equal_a_fresh_generation(tmp_path: Path) -> None:
    for fresh in write_demo_data(tmp_path):
        committed = DEFAULT_OUT_DIR / fresh.name
        assert committed.exists(), f"run python -m core.demo.generate to create {committed}"
        assert committed.read_bytes() == fresh.read_bytes(), f"{fresh.name} is stale: rerun the generator"


def test_files_are_readable_utf8_json_with_trailing_newline(tmp_path: Path) -> None:
    for path in write_demo_data(tmp_path):
        text = path.read_text(encoding="utf-8")
        assert text.endswith("]\n")
        assert json.loads(text)
    assert "连衣裙" in (tmp_path / "categories.json").read_text(encoding="utf-8")  # not \u-escaped


# -- catalogue -----------------------------------------------------------------------------------
def test_categories_have_bilingual_names_and_aliases(data) -> None:
    categories = data["categories"]
    assert len(categories) >= 10
    assert len({c["id"] for c in categories}) == len(categories)
    for category in categories:
        assert CJK.search(category["name_zh"]) and not CJK.search(category["name_en"])
        assert any(CJK.search(a) for a in category["aliases"]), category["id"]
        assert any(a.isascii() for a in category["aliases"]), category["id"]
    phone = next(c for c in categories if "手机壳" in c["aliases"])
    assert {"手机套", "phone case", "phone cover"} <= set(phone["aliases"])


def test_products_cover_every_category_with_valid_variants(data) -> None:
    products, category_ids = data["products"], {c["id"] for c in data["categories"]}
    assert len(products) >= 85
    per_category = Counter(p["category"] for p in products)
    assert set(per_category) == category_ids
    assert min(per_category.values()) >= 6
    variant_ids = [v["id"] for p in products for v in p["variants"]]
    assert len(set(variant_ids)) == len(variant_ids)
    for product in products:
        assert 2 <= len(product["variants"]) <= 12, product["id"]
        assert CJK.search(product["title_zh"]) and CJK.search(product["description_zh"])
        assert product["title_en"].isascii() and not CJK.search(product["description_en"])
        assert product["image_url"] == f"https://picsum.photos/seed/{product['id']}/400/400"
        assert product["tags"] and product["brand"]
        combos = set()
        for variant in product["variants"]:
            assert variant["id"] == variant["sku"] and variant["id"].startswith(product["id"] + "-")
            assert variant["currency"] == "CNY" and _cents(variant["price"]) > 0
            assert isinstance(variant["stock"], int) and variant["stock"] >= 0
            assert all(re.fullmatch(r"[a-z]+", key) for key in variant["options"])
            assert variant["options"].get("color", "red") in PALETTE
            combos.add(tuple(sorted(variant["options"].items())))
        assert len(combos) == len(product["variants"]), f"{product['id']} repeats an option combination"
    assert len({p["title_en"] for p in products}) == len(products)
    assert len({p["title_zh"] for p in products}) == len(products)


def test_catalogue_realism(data) -> None:
    products = data["products"]
    sizes = {p["category"]: set() for p in products}
    for product in products:
        for variant in product["variants"]:
            if "size" in variant["options"]:
                sizes[product["category"]].add(variant["options"]["size"])
    for clothing in ("dresses", "t-shirts", "trousers", "sportswear"):
        assert sizes[clothing] <= {"S", "M", "L", "XL", "XXL"}, clothing
    assert sizes["shoes"] <= {str(n) for n in range(35, 45)}
    red_dresses = [p for p in products if p["category"] == "dresses"
                   and any(v["options"].get("color") == "red" for v in p["variants"])]
    assert len(red_dresses) >= 3
    stocks = [v["stock"] for p in products for v in p["variants"]]
    assert 0 < stocks.count(0) < len(stocks) // 4
    for product in products:
        assert product["consumable"] == (product["category"] in {"skincare", "snacks-tea"}), product["id"]
    cheapest = {cat: min(_cents(v["price"]) for p in products if p["category"] == cat for v in p["variants"])
                for cat in sizes}
    assert cheapest["electronics"] > cheapest["phone-accessories"]  # prices follow the category


# -- customers -----------------------------------------------------------------------------------
def test_customers_are_complete_and_mixed(data) -> None:
    customers, product_ids = data["customers"], {p["id"] for p in data["products"]}
    assert len(customers) >= 45
    assert len({c["id"] for c in customers}) == len(customers)
    languages = Counter(c["language"] for c in customers)
    assert set(languages) == {"zh", "en"} and min(languages.values()) >= 10
    identities = [(i["channel"], i["user_id"]) for c in customers for i in c["identities"]]
    assert len(set(identities)) == len(identities)
    assert {channel for channel, _ in identities} == {"telegram", "web"}
    assert any(not c["identities"] for c in customers)
    for customer in customers:
        assert customer["email"].endswith("@example.com")
        assert customer["zip"] == customer["address"]["zip"]
        assert set(customer["address"]) == {"line1", "city", "country", "zip"}
        assert customer["phone"].startswith("+")
        assert (customer["consent_at"] is None) == (customer["consent_source"] is None) == \
            (not customer["marketing_consent"])
        assert datetime.fromisoformat(customer["birthday"]).year < REFERENCE.year - 18
        if customer["language"] == "zh":
            assert CJK.search(customer["name"])
        events = customer["events"]
        assert 10 <= len(events) <= 40, customer["id"]
        assert [e["at"] for e in events] == sorted(e["at"] for e in events)
        assert len({(e["kind"], e["product_id"], e["at"]) for e in events}) == len(events)
        for event in events:
            assert event["kind"] in {"view", "cart"} and event["product_id"] in product_ids
            assert _when(event["at"]) < REFERENCE


def test_some_carts_are_abandoned(data, orders_by_customer) -> None:
    abandoned = 0
    for customer in data["customers"]:
        bought_later = {(i["product_id"], o["created_at"]) for o in orders_by_customer[customer["id"]]
                        for i in o["items"]}
        for event in customer["events"]:
            if event["kind"] == "cart" and not any(
                    p == event["product_id"] and at >= event["at"] for p, at in bought_later):
                abandoned += 1
                break
    assert abandoned >= 5


# -- orders --------------------------------------------------------------------------------------
def test_order_counts_and_statuses(data, orders_by_customer) -> None:
    orders = data["orders"]
    assert len(orders) >= 170
    assert len({o["id"] for o in orders}) == len(orders)
    assert all(re.fullmatch(r"#W\d{7}", o["id"]) for o in orders)
    statuses = Counter(o["status"] for o in orders)
    assert set(statuses) == set(ORDER_STATUSES)
    assert min(statuses.values()) >= 8
    assert set(orders_by_customer) == {c["id"] for c in data["customers"]}
    assert all(2 <= len(own) <= 8 for own in orders_by_customer.values())


def test_order_lines_match_the_catalogue(data) -> None:
    variants = {v["id"]: (p, v) for p in data["products"] for v in p["variants"]}
    customers = {c["id"]: c for c in data["customers"]}
    for order in data["orders"]:
        assert order["currency"] == "CNY"
        assert order["address"] == customers[order["customer_id"]]["address"]
        assert order["items"] and len({i["variant_id"] for i in order["items"]}) == len(order["items"])
        for item in order["items"]:
            product, variant = variants[item["variant_id"]]
            assert item["product_id"] == product["id"] and item["name"] == product["title_en"]
            assert item["options"] == variant["options"] and item["price"] == variant["price"]
            assert item["quantity"] >= 1


def test_order_fields_agree_with_status(data) -> None:
    shipped_like = {"shipped", "delivered", "return_requested", "exchange_requested", "refunded"}
    methods = {"alipay", "wechat_pay", "credit_card", "paypal", "gift_card"}
    for order in data["orders"]:
        status, created = order["status"], _when(order["created_at"])
        assert created < REFERENCE
        if status in shipped_like:
            assert order["carrier"] in {"SF Express", "JD Logistics", "UPS"} and order["tracking_number"], order["id"]
        else:
            assert order["carrier"] is None and order["tracking_number"] is None, order["id"]
        if status in {"pending", "cancelled"}:
            assert order["expected_delivery"] is None
        else:
            assert order["expected_delivery"] > order["created_at"][:10]
        if order["address"]["country"] != "CN" and order["carrier"]:
            assert order["carrier"] == "UPS"
        total = sum(_cents(i["price"]) * i["quantity"] for i in order["items"])
        payments = order["payments"]
        assert payments[0]["kind"] == "payment" and _cents(payments[0]["amount"]) == total
        refunds = [p for p in payments if p["kind"] == "refund"]
        if status in {"refunded", "cancelled"}:
            assert [_cents(r["amount"]) for r in refunds] == [total], order["id"]
        else:
            assert not refunds, order["id"]
        for payment in payments:
            assert payment["method"] in methods
            assert created <= _when(payment["at"]) < REFERENCE


def test_order_dates_follow_the_lifecycle(data) -> None:
    created = defaultdict(list)
    for order in data["orders"]:
        created[order["status"]].append(order["created_at"])
    assert max(created["delivered"]) < min(created["shipped"])
    assert max(created["shipped"]) <= max(created["pending"])
    ref_day = REFERENCE.date().isoformat()
    for order in data["orders"]:
        if order["status"] in {"delivered", "return_requested", "exchange_requested", "refunded"}:
            assert order["expected_delivery"] < ref_day, order["id"]
        if order["status"] in {"return_requested", "exchange_requested"}:  # still inside the 30-day window
            assert (REFERENCE - _when(order["created_at"])).days <= 30


# -- preferences the recommender can learn -------------------------------------------------------
def test_each_customer_buys_mostly_from_one_or_two_categories(data, orders_by_customer, category_of) -> None:
    all_items, top_items = 0, 0
    for customer_id, own in orders_by_customer.items():
        bought = [category_of[i["product_id"]] for o in own for i in o["items"]]
        assert _top_share(bought) >= 0.6, customer_id
        all_items += len(bought)
        top_items += round(_top_share(bought) * len(bought))
    assert top_items / all_items >= 0.8
    # Across the shop, purchases are spread out rather than all in one category.
    overall = Counter(category_of[i["product_id"]] for o in data["orders"] for i in o["items"])
    assert len(overall) == len(data["categories"])
    assert overall.most_common(1)[0][1] / sum(overall.values()) < 0.3


def test_browsing_matches_purchases(data, orders_by_customer, category_of) -> None:
    agree = 0
    for customer in data["customers"]:
        viewed = [category_of[e["product_id"]] for e in customer["events"]]
        assert _top_share(viewed) >= 0.6, customer["id"]
        bought = Counter(category_of[i["product_id"]] for o in orders_by_customer[customer["id"]] for i in o["items"])
        top_bought = {cat for cat, _ in bought.most_common(2)}
        agree += Counter(viewed).most_common(1)[0][0] in top_bought
    assert agree / len(data["customers"]) >= 0.8


def test_history_predicts_the_held_out_last_purchase_better_than_popularity(
        data, orders_by_customer, category_of) -> None:
    personal_hits = popular_hits = 0
    for customer in data["customers"]:
        *history, last = orders_by_customer[customer["id"]]
        target = {category_of[i["product_id"]] for i in last["items"]}
        seen = Counter(category_of[i["product_id"]] for o in history for i in o["items"])
        seen.update(category_of[e["product_id"]] for e in customer["events"] if e["at"] < last["created_at"])
        personal_hits += seen.most_common(1)[0][0] in target
        others = Counter(category_of[i["product_id"]] for o in data["orders"]
                         if o["customer_id"] != customer["id"] for i in o["items"])
        popular_hits += others.most_common(1)[0][0] in target
    n = len(data["customers"])
    assert personal_hits / n >= 0.5
    assert personal_hits >= 2 * popular_hits


# -- FAQ -----------------------------------------------------------------------------------------
def test_faq_articles_exist_in_both_languages(data) -> None:
    faq = data["faq"]
    by_id: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    for article in faq:
        assert article["lang"] not in by_id[article["id"]], f"duplicate {article['id']}/{article['lang']}"
        by_id[article["id"]][article["lang"]] = article
    assert len(by_id) >= 12
    assert REQUIRED_TOPICS <= {a["topic"] for a in faq}
    for article_id, langs in by_id.items():
        assert set(langs) == {"zh", "en"}, article_id
        zh, en = langs["zh"], langs["en"]
        assert zh["topic"] == en["topic"] and zh["tags"] == en["tags"]
        assert CJK.search(zh["title"]) and CJK.search(zh["body"])
        assert not CJK.search(en["title"] + en["body"])
        assert 2 <= zh["body"].count("。") <= 5, article_id
        assert 2 <= len(re.split(r"(?<=[.!?])\s+", en["body"].strip())) <= 5, article_id
        # Numbers (days, prices, hours) are the same in both languages.
        assert set(re.findall(r"\d+", zh["body"])) == set(re.findall(r"\d+", en["body"])), article_id


def test_faq_states_the_return_window(data) -> None:
    returns = [a for a in data["faq"] if a["id"] == "returns-window"]
    assert len(returns) == 2 and all("30" in a["body"] for a in returns)
