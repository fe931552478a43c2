"""Fixtures for the Shopify tests: the fake Admin GraphQL API with a small store seeded in it."""
from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest

from tests.fakes.shopify import FakeShopify
from tests.fakes.shopify_shop import Customer, Order, Product


@dataclass
class Seeded:
    """What the store holds: Mei, a dress in two sizes, an unshipped order and a delivered one."""

    mei: Customer
    dress: Product
    open_order: Order
    delivered: Order


@pytest.fixture
async def fake_shopify() -> AsyncIterator[FakeShopify]:
    """The fake on 127.0.0.1 with a bucket large enough that ordinary tests are never throttled."""
    fake = await FakeShopify().start()
    yield fake
    await fake.stop()


@pytest.fixture
def seeded(fake_shopify: FakeShopify) -> Seeded:
    """The small store of :class:`Seeded`."""
    shop = fake_shopify.shop
    mei = shop.add_customer("mei@example.com", "Mei", "Li", phone="+8613800000000")
    dress = shop.add_product("French red floral dress", [({"Color": "red", "Size": "M"}, 19900, 5),
                                                         ({"Color": "red", "Size": "L"}, 19900, 2)])
    open_order = shop.add_order(mei, [(dress.variants[0], 1)], created_at="2026-11-20T08:00:00Z")
    delivered = shop.add_order(mei, [(dress.variants[0], 2)], created_at="2026-11-01T08:00:00Z")
    shop.fulfil(delivered)
    shop.deliver(delivered)
    return Seeded(mei, dress, open_order, delivered)
