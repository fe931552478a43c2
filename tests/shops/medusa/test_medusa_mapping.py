"""Medusa's JSON as Kefu's shop model, on answers recorded from a real Medusa 2.21.2
(tests/fixtures/medusa/, made by ``python -m tests.shops.medusa.record``): statuses, money in cents,
the shopper's number, tracking, payments and refunds, the customer; hostile values are absent, not trusted."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from adapters.shops.medusa import mapping

# Opens no store: the same on every engine (skipped under --db-engine postgresql, tests/conftest.py).
pytestmark = pytest.mark.no_store

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "medusa"


def recorded(name: str) -> dict[str, Any]:
    answer = json.loads((FIXTURES / f"{name}.json").read_text())
    return answer.get("order") or answer["product"]


@pytest.mark.parametrize("name, status", [
    ("order_pending", "pending"), ("order_authorized", "pending"), ("order_processed", "processed"),
    ("order_shipped", "shipped"), ("order_delivered", "delivered"), ("order_canceled", "cancelled"),
    ("order_return_requested", "return_requested"), ("order_refunded", "refunded"),
    ("order_partially_refunded", "pending")])
def test_statuses(name, status):
    assert mapping.order(recorded(name)).status == status


def test_money_is_cents_and_the_number_is_the_display_id():
    medusa = recorded("order_pending")
    order = mapping.order(medusa)
    assert order.number == f"#{medusa['display_id']}" and order.currency == "USD"
    # a shirt at 39 and two phone cases at 12, 5 shipping
    assert sorted((i.price_cents, i.quantity) for i in order.items) == [(1200, 2), (3900, 1)]
    assert order.total_cents == 3900 + 2 * 1200 + 500
    assert [(p.kind, p.amount_cents) for p in order.payments] == [("payment", order.total_cents)]


def test_a_cancelled_order_shows_medusas_refund():
    order = mapping.order(recorded("order_canceled"))
    assert [(p.kind, p.amount_cents) for p in order.payments] == [("payment", 6800), ("refund", 6800)]


def test_a_partial_refund_is_one_refund_line():
    order = mapping.order(recorded("order_partially_refunded"))
    assert [(p.kind, p.amount_cents) for p in order.payments] == [("payment", 6800), ("refund", 1700)]


def test_tracking_comes_from_the_label_and_the_carrier_from_the_metadata():
    [parcel] = mapping.order(recorded("order_shipped")).fulfilments
    assert (parcel.carrier, parcel.tracking_number) == ("UPS", "1Z-SHIPPED")
    assert parcel.shipped_at and parcel.delivered_at is None
    [parcel] = mapping.order(recorded("order_delivered")).fulfilments
    assert parcel.delivered_at


def test_the_customer_and_address():
    order = mapping.order(recorded("order_pending"))
    assert order.customer.email == "recorded@example.com" and order.customer.name == "Rita Recorder"
    assert order.customer.zip == "62701"
    assert order.address == {"line1": "1 Test Street", "city": "Springfield", "province": "il", "zip": "62701",
                             "country": "US"}


def test_a_product_with_variants_prices_stock_and_options():
    product = mapping.product(recorded("product"), "usd")
    assert product.title == {"en": "Floral dress"}
    by_sku = {v.sku: v for v in product.variants}
    assert set(by_sku) == {"DRESS-S-RED", "DRESS-M-RED", "DRESS-S-BLU", "DRESS-M-BLU"}
    red = by_sku["DRESS-M-RED"]
    assert (red.price_cents, red.currency, red.options) == (8950, "USD", {"size": "M", "color": "Red"})
    assert red.stock == 5 and red.available  # the seeded level, read from the inventory item


@pytest.mark.parametrize("value, cents", [(89.5, 8950), ("12.345", 1235), (0, 0), (True, 0), ("x", 0),
                                          (None, 0), ({"value": "1"}, 0), (-5, 0), ("1e400", 0)])
def test_amounts_from_the_network_are_cents_or_zero(value, cents):
    assert mapping.cents(value) == cents


def test_hostile_fields_are_absent_not_trusted():
    order = mapping.order({"id": "order_1", "display_id": 7, "status": ["canceled"], "items": [
        {"id": "li", "quantity": "many", "unit_price": "free", "variant": {"options": "x"}}, "not an item"],
        "returns": "all", "fulfillments": [{"labels": [{"tracking_number": 5}]}], "customer": "eve",
        "shipping_address": ["1 Street"], "payment_collections": [{"payments": [{"amount": {"$gt": 0}}]}]})
    assert order.status == "pending" and order.number == "#7" and order.address is None
    assert [(i.quantity, i.price_cents, i.options) for i in order.items] == [(0, 0, {})]
    assert [f.tracking_number for f in order.fulfilments] == [None]
    assert [p.amount_cents for p in order.payments] == [0]


def test_item_options_come_from_the_ordered_variant():
    items = {i.name: i.options for i in mapping.order(recorded("order_pending")).items}
    assert items["Linen shirt (M / White)"] == {"size": "M", "color": "White"}


def test_a_variant_without_a_price_in_the_stores_currency_keeps_the_one_it_has():
    """Medusa's default store currency is EUR while the seeded shop prices in USD only."""
    [variant] = mapping.product(recorded("product"), "eur").variants[:1]
    assert variant.currency == "USD" and variant.price_cents == 8950 and variant.available
