"""The Shopify client against the fake over 127.0.0.1: it waits out cost-based throttling and 429s,
retries reads a little, and never sends a mutation again once it may have reached the shop."""
from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from adapters.shops.shopify.client import (
    ShopifyClient,
    ShopifyRefused,
    ShopifyUnavailable,
    ShopifyUncertain,
    endpoint_for,
)
from tests.fakes.shopify import ACCESS_TOKEN, Bucket, FakeShopify
from tests.fakes.shopify_shop import gid
from tests.shops.shopify.conftest import Seeded

# Opens no store: the same on every engine (skipped under --db-engine postgresql, tests/conftest.py).
pytestmark = pytest.mark.no_store

NAME = "query Name($id: ID!) { order(id: $id) { name cancelledAt } }"
CANCEL = """mutation Cancel($id: ID!) { orderCancel(orderId: $id, reason: CUSTOMER, restock: true,
  refundMethod: {originalPaymentMethodsRefund: true}) { job { id } orderCancelUserErrors { field message code } } }"""


class Waits(list[float]):
    """A sleep that records how long it was asked to wait, then really waits."""

    async def __call__(self, seconds: float) -> None:
        self.append(seconds)
        await asyncio.sleep(seconds)


class StillTime(list[float]):
    """A clock for the fake's bucket that moves only while the client sleeps (the waits are recorded)."""

    def __init__(self) -> None:
        super().__init__()
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.append(seconds)
        self.now += seconds


@pytest.fixture
async def client(fake_shopify: FakeShopify) -> AsyncIterator[ShopifyClient]:
    async with ShopifyClient(fake_shopify.endpoint, ACCESS_TOKEN, timeout_s=0.5) as client:
        yield client


async def test_a_read_and_a_mutation(client: ShopifyClient, fake_shopify: FakeShopify, seeded: Seeded) -> None:
    order_id = gid("Order", seeded.open_order.id)
    assert (await client.query(NAME, {"id": order_id}))["order"] == {"name": seeded.open_order.name,
                                                                     "cancelledAt": None}
    done = await client.mutate(CANCEL, {"id": order_id})
    assert done["orderCancel"]["orderCancelUserErrors"] == []
    assert client.throttle is not None and client.throttle.maximum == 1000


async def test_a_wrong_token_or_a_bad_document_is_refused(fake_shopify: FakeShopify, client: ShopifyClient) -> None:
    async with ShopifyClient(fake_shopify.endpoint, "shpat_wrong") as wrong:
        with pytest.raises(ShopifyRefused, match="access token"):
            await wrong.query(NAME, {"id": gid("Order", 1)})
    with pytest.raises(ShopifyRefused, match="doesn't exist"):
        await client.query("{ shop { nonsense } }")
    assert len(fake_shopify.calls) == 2


async def test_throttled_waits_what_the_bucket_needs() -> None:
    fake = await FakeShopify().start()
    time = StillTime()
    fake.bucket = Bucket(100, 200, clock=time)
    try:
        order = fake.shop.add_order(None, [(fake.shop.add_product("Case", [({}, 3900, 9)]).variants[0], 1)])
        fake.bucket.drain()
        async with ShopifyClient(fake.endpoint, ACCESS_TOKEN, sleep=time.sleep) as client:
            got = await client.query(NAME, {"id": gid("Order", order.id)})
        assert got["order"]["name"] == order.name
        assert time == [pytest.approx(1 / 200)]  # (1 requested - 0 available) / 200 a second
        assert [c.status for c in fake.sent("order")] == [200, 200]
    finally:
        await fake.stop()


async def test_a_throttled_mutation_is_sent_again_and_done_once() -> None:
    fake = await FakeShopify().start()
    time = StillTime()
    fake.bucket = Bucket(20, 100, clock=time)
    try:
        order = fake.shop.add_order(None, [(fake.shop.add_product("Case", [({}, 3900, 9)]).variants[0], 1)])
        fake.bucket.drain()
        async with ShopifyClient(fake.endpoint, ACCESS_TOKEN, sleep=time.sleep) as client:
            await client.mutate(CANCEL, {"id": gid("Order", order.id)})
        assert time == [pytest.approx(10 / 100)]  # a mutation costs 10
        assert order.cancelled_at and [t.kind for t in order.transactions] == ["SALE", "REFUND"]
    finally:
        await fake.stop()


async def test_429_waits_retry_after(fake_shopify: FakeShopify, seeded: Seeded) -> None:
    waits = Waits()
    fake_shopify.answer_429_next(retry_after=0.2)
    async with ShopifyClient(fake_shopify.endpoint, ACCESS_TOKEN, sleep=waits) as client:
        await client.mutate(CANCEL, {"id": gid("Order", seeded.open_order.id)})
    assert waits == [0.2] and len(seeded.open_order.refunds) == 1


async def test_throttling_without_end_gives_up_and_a_too_costly_query_is_refused() -> None:
    fake = await FakeShopify(maximum_available=50, restore_rate=0.001).start()
    try:
        fake.bucket.drain()
        async with ShopifyClient(fake.endpoint, ACCESS_TOKEN, throttle_attempts=3, max_wait_s=0.01) as client:
            with pytest.raises(ShopifyUnavailable, match="kept throttling"):
                await client.query(NAME, {"id": gid("Order", 1)})
            assert len(fake.calls) == 3
            with pytest.raises(ShopifyRefused, match="more than the bucket holds"):
                await client.query("{ products(first: 60) { nodes { id } } }")
            assert len(fake.calls) == 4
    finally:
        await fake.stop()


async def test_reads_are_retried_on_5xx_and_dropped_connections(client: ShopifyClient, fake_shopify: FakeShopify,
                                                                seeded: Seeded) -> None:
    fake_shopify.fail_next(503)
    fake_shopify.drop_next()
    assert (await client.query(NAME, {"id": gid("Order", seeded.open_order.id)}))["order"]["name"]
    assert len(fake_shopify.calls) == 3
    fake_shopify.fail_next(502, times=3)
    with pytest.raises(ShopifyUnavailable, match="502"):
        await client.query(NAME, {"id": gid("Order", seeded.open_order.id)})


@pytest.mark.parametrize("fault", ["drop", "slow", "5xx", "not json"])
async def test_a_mutation_without_an_answer_is_uncertain_and_never_resent(
        client: ShopifyClient, fake_shopify: FakeShopify, seeded: Seeded, fault: str) -> None:
    {"drop": fake_shopify.drop_next, "slow": lambda: fake_shopify.slow_next(1),
     "5xx": lambda: fake_shopify.fail_next(500), "not json": lambda: fake_shopify.fail_next(200)}[fault]()
    with pytest.raises(ShopifyUncertain):
        await client.mutate(CANCEL, {"id": gid("Order", seeded.open_order.id)})
    assert len(fake_shopify.calls) == 1
    assert bool(seeded.open_order.cancelled_at) is (fault in ("drop", "slow"))  # carried out, answer lost


async def test_a_shop_that_is_down_is_unavailable_and_nothing_is_sent(client: ShopifyClient,
                                                                      fake_shopify: FakeShopify) -> None:
    await fake_shopify.go_down()
    with pytest.raises(ShopifyUnavailable, match="cannot connect"):
        await client.mutate(CANCEL, {"id": gid("Order", 1)})
    await fake_shopify.come_back()
    assert fake_shopify.calls == []


def test_the_endpoint_is_a_myshopify_store_over_https() -> None:
    assert endpoint_for("Kefu-Test.myshopify.com") == "https://kefu-test.myshopify.com/admin/api/2026-04/graphql.json"
    for bad in ("evil.example.com", "kefu.myshopify.com.evil.io", "127.0.0.1:8080", "a b.myshopify.com"):
        with pytest.raises(ValueError):
            endpoint_for(bad)
    with pytest.raises(ValueError):
        endpoint_for("kefu.myshopify.com", "latest")
