"""Whatever Shopify (or something posing as it) answers, reading it is a record or a ValueError —
never another exception that would escape the sync or a turn."""
from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from adapters.shops.shopify import mapping

# Opens no store: the same on every engine (skipped under --db-engine postgresql, tests/conftest.py).
pytestmark = pytest.mark.no_store

_KEYS = ["id", "name", "currencyCode", "totalPriceSet", "shopMoney", "amount", "customer", "email", "lineItems",
         "nodes", "variant", "product", "selectedOptions", "value", "quantity", "currentQuantity",
         "originalUnitPriceSet", "fulfillments", "status", "trackingInfo", "deliveredAt", "createdAt",
         "transactions", "kind", "amountSet", "returns", "exchangeLineItems", "cancelledAt",
         "displayFinancialStatus", "displayFulfillmentStatus", "shippingAddress", "defaultAddress", "variants",
         "price", "inventoryQuantity", "tags", "estimatedDeliveryAt", "title", "description", "productType"]
_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-10, 10**20), st.floats(allow_nan=True),
                     st.text(max_size=12), st.sampled_from(["gid://shopify/Order/1", "gid://shopify/LineItem/2",
                                                             "gid://shopify/ProductVariant/3", "gid://shopify/Product/4",
                                                             "gid://shopify/Customer/5", "19.90", "SUCCESS", "SALE",
                                                             "REFUND", "#1001", "CNY", "2026-11-20T08:00:00Z"]))
_JSON = st.recursive(_SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                       st.dictionaries(st.sampled_from(_KEYS), inner, max_size=6)),
                     max_leaves=25)


@given(st.dictionaries(st.sampled_from(_KEYS), _JSON, max_size=12))
def test_an_order_is_read_or_refused_with_value_error(raw: dict[str, Any]) -> None:
    try:
        mapping.order(raw)
    except ValueError:
        pass


@given(st.dictionaries(st.sampled_from(_KEYS), _JSON, max_size=12))
def test_a_product_is_read_or_refused_with_value_error(raw: dict[str, Any]) -> None:
    try:
        mapping.product(raw, "CNY")
    except ValueError:
        pass
