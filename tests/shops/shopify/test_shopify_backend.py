"""The Shopify backend against the fake Shopify over 127.0.0.1: reads mapped to the port's model,
each change made with its mutation, Shopify's refusals as ShopRefused, and an answer that never
came read back from the order so nothing is sent twice."""
from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from adapters.shops.shopify.backend import ShopifyShop
from adapters.shops.shopify.client import ShopifyClient
from core.shop.port import ShopRefused, ShopUncertain
from core.shop.requests import (
    CancelOrder,
    ItemSwap,
    RefundPayment,
    RequestExchange,
    RequestReturn,
    UpdateShippingAddress,
)
from tests.fakes.shopify import ACCESS_TOKEN, FakeShopify
from tests.fakes.shopify_shop import gid
from tests.shops.shopify.conftest import Seeded

# Opens no store: the same on every engine (skipped under --db-engine postgresql, tests/conftest.py).
pytestmark = pytest.mark.no_store


@pytest.fixture
async def shop(fake_shopify: FakeShopify, seeded: Seeded) -> AsyncIterator[ShopifyShop]:
    backend = ShopifyShop(ShopifyClient(fake_shopify.endpoint, ACCESS_TOKEN, timeout_s=0.5), job_poll_s=0.01)
    await backend.start()
    yield backend
    await backend.close()


def _line(seeded: Seeded) -> str:
    return gid("LineItem", seeded.delivered.lines[0].id)


async def test_customers_are_found_by_their_exact_email_only(shop: ShopifyShop, fake_shopify: FakeShopify,
                                                             seeded: Seeded) -> None:
    found = await shop.find_customer(" Mei@Example.com ")
    assert found is not None and found.external_id == gid("Customer", seeded.mei.id)
    assert found.name == "Mei Li" and found.zip == "200120" and found.address and found.address["line1"]
    assert await shop.find_customer("nobody@example.com") is None
    calls = len(fake_shopify.calls)
    assert await shop.find_customer('mei@example.com" OR email:*') is None
    assert len(fake_shopify.calls) == calls  # a search term smuggled in an email is never sent


async def test_orders_map_to_kefu_statuses_items_payments_and_parcels(shop: ShopifyShop, seeded: Seeded) -> None:
    delivered = await shop.order(gid("Order", seeded.delivered.id))
    assert delivered is not None and delivered.status == "delivered" and delivered.number == seeded.delivered.name
    assert delivered.currency == "CNY" and delivered.total_cents == 39800
    [item] = delivered.items
    assert item.external_id == _line(seeded) and item.price_cents == 19900 and item.quantity == 2
    assert item.options == {"color": "red", "size": "M"} and item.product_id == gid("Product", seeded.dress.id)
    assert [(p.kind, p.amount_cents, p.method) for p in delivered.payments] == [("payment", 39800, "shopify_payments")]
    [parcel] = delivered.fulfilments
    assert parcel.carrier == "SF Express" and parcel.tracking_number and parcel.delivered_at
    assert delivered.customer.email == "mei@example.com" and delivered.address["country"] == "CN"
    assert (await shop.order(gid("Order", seeded.open_order.id))).status == "pending"
    assert await shop.order(gid("Order", 999999)) is None and await shop.order("#1001") is None


async def test_the_sync_pages_through_orders_and_products(shop: ShopifyShop, fake_shopify: FakeShopify,
                                                          seeded: Seeded) -> None:
    extra = fake_shopify.shop.add_order(seeded.mei, [(seeded.dress.variants[1], 1)])
    numbers = [o.number async for o in shop.orders()]
    assert sorted(numbers) == sorted([seeded.open_order.name, seeded.delivered.name, extra.name])
    assert len(fake_shopify.sent("orders")) == 2  # two orders a page
    later = [o.number async for o in shop.orders(updated_since="2999-01-01T00:00:00+00:00")]
    assert later == []
    [dress] = [p async for p in shop.products()]
    assert dress.title == {"en": "French red floral dress"}
    assert [(v.price_cents, v.currency, v.stock, v.options["size"]) for v in dress.variants] == [
        (19900, "CNY", 5, "M"), (19900, "CNY", 2, "L")]
    assert (await shop.product(gid("Product", seeded.dress.id))) == dress


async def test_cancel_refunds_and_a_second_cancel_is_refused(shop: ShopifyShop, seeded: Seeded) -> None:
    request = CancelOrder(gid("Order", seeded.open_order.id), "ordered twice", 19900)
    outcome = await shop.apply(request, "key-1")
    assert outcome.order is not None and outcome.order.status == "cancelled"
    assert outcome.reference and outcome.reference.startswith("gid://shopify/Job/")
    assert [p.kind for p in outcome.order.payments] == ["payment", "refund"]
    with pytest.raises(ShopRefused, match="already been cancelled"):
        await shop.apply(request, "key-2")
    with pytest.raises(ShopRefused, match="fulfillments"):
        await shop.apply(CancelOrder(gid("Order", seeded.delivered.id), None, 39800), "key-3")


async def test_a_new_shipping_address(shop: ShopifyShop, seeded: Seeded) -> None:
    order_id = gid("Order", seeded.open_order.id)
    outcome = await shop.apply(UpdateShippingAddress(order_id, {"line1": "1 Nanjing Road", "zip": "200001"}), "k")
    assert outcome.order and outcome.order.address["line1"] == "1 Nanjing Road"
    assert outcome.order.address["city"] == "Shanghai" and outcome.order.address["country"] == "CN"
    with pytest.raises(ShopRefused, match="Country is invalid|two-letter"):
        await shop.apply(UpdateShippingAddress(order_id, {"line1": "x", "country": "Atlantis"}), "k2")


async def test_return_and_exchange_open_returns_in_shopify(shop: ShopifyShop, seeded: Seeded) -> None:
    order_id = gid("Order", seeded.delivered.id)
    returned = await shop.apply(RequestReturn(order_id, ((_line(seeded), 1),), "too small", 19900, "original"), "r")
    assert returned.order and returned.order.status == "return_requested"
    assert returned.reference and returned.reference.startswith("gid://shopify/Return/")
    swap = ItemSwap(_line(seeded), 1, gid("ProductVariant", seeded.dress.variants[1].id))
    exchanged = await shop.apply(RequestExchange(order_id, (swap,), "size", 0), "x")
    assert exchanged.order and exchanged.order.status == "exchange_requested"
    with pytest.raises(ShopRefused, match="not available for return"):
        await shop.apply(RequestReturn(order_id, ((_line(seeded), 1),), None, 19900, "original"), "r2")
    with pytest.raises(ShopRefused, match="not shipped"):
        await shop.apply(RequestReturn(gid("Order", seeded.open_order.id),
                                       ((gid("LineItem", seeded.open_order.lines[0].id), 1),), None, 0, "x"), "r3")


async def test_a_refund_is_idempotent_by_the_key(shop: ShopifyShop, fake_shopify: FakeShopify,
                                                 seeded: Seeded) -> None:
    request = RefundPayment(gid("Order", seeded.delivered.id), 5000, "late delivery")
    first = await shop.apply(request, "refund-key")
    again = await shop.apply(request, "refund-key")
    assert first.reference == again.reference and len(seeded.delivered.refunds) == 1
    assert [(p.kind, p.amount_cents) for p in again.order.payments] == [("payment", 39800), ("refund", 5000)]
    assert [c.variables["key"] for c in fake_shopify.sent("refundCreate")] == ["refund-key", "refund-key"]
    with pytest.raises(ShopRefused, match="less paid"):
        await shop.apply(RefundPayment(gid("Order", seeded.delivered.id), 40000, None), "refund-2")


@pytest.mark.parametrize("fault", ["drop", "slow"])
async def test_an_answer_lost_after_the_change_is_read_back(shop: ShopifyShop, fake_shopify: FakeShopify,
                                                            seeded: Seeded, fault: str) -> None:
    def lose() -> None:
        (fake_shopify.drop_next(mutations=True) if fault == "drop" else fake_shopify.slow_next(1, mutations=True))

    requests = [CancelOrder(gid("Order", seeded.open_order.id), None, 19900),
                RequestReturn(gid("Order", seeded.delivered.id), ((_line(seeded), 1),), None, 19900, "original"),
                RefundPayment(gid("Order", seeded.delivered.id), 1000, "sorry")]
    for request in requests:
        lose()
        with pytest.raises(ShopUncertain):
            await shop.apply(request, f"key-{type(request).__name__}")
        outcome = await shop.has_happened(request)
        assert outcome is not None and outcome.order is not None
    assert len(fake_shopify.sent("orderCancel")) == 1 and len(seeded.open_order.refunds) == 1
    assert len(seeded.delivered.returns) == 1 and len(seeded.delivered.refunds) == 1


async def test_a_change_that_did_not_happen_reads_back_as_not_done(shop: ShopifyShop, fake_shopify: FakeShopify,
                                                                   seeded: Seeded) -> None:
    request = CancelOrder(gid("Order", seeded.open_order.id), None, 19900)
    fake_shopify.fail_next(503)
    with pytest.raises(ShopUncertain):
        await shop.apply(request, "key")
    assert await shop.has_happened(request) is None
    refund = RefundPayment(gid("Order", seeded.delivered.id), 1000, None)
    assert await shop.has_happened(refund) is None
    ret = RequestReturn(gid("Order", seeded.delivered.id), ((_line(seeded), 1),), None, 0, "original")
    assert await shop.has_happened(ret) is None


async def test_reads_wait_out_a_small_bucket() -> None:
    fake = await FakeShopify(maximum_available=680, restore_rate=100).start()  # a page requests ~670
    try:
        customer = fake.shop.add_customer("li@example.com")
        case = fake.shop.add_product("Case", [({}, 3900, 9)])
        for _ in range(5):
            fake.shop.add_order(customer, [(case.variants[0], 1)])
        backend = ShopifyShop(ShopifyClient(fake.endpoint, ACCESS_TOKEN))
        await backend.start()
        try:
            assert len([o async for o in backend.orders()]) == 5
        finally:
            await backend.close()
        assert fake.throttled >= 1 and len(fake.sent("orders")) == 3 + fake.throttled
    finally:
        await fake.stop()


async def test_a_return_of_a_line_shipped_in_two_parcels_is_found_again(shop: ShopifyShop, fake_shopify: FakeShopify,
                                                                        seeded: Seeded) -> None:
    order = fake_shopify.shop.add_order(seeded.mei, [(seeded.dress.variants[1], 2)])
    line = order.lines[0]
    fake_shopify.shop.fulfil(order, number="SF1", quantities={line.id: 1})
    fake_shopify.shop.fulfil(order, number="SF2", quantities={line.id: 1})
    request = RequestReturn(gid("Order", order.id), ((gid("LineItem", line.id), 2),), None, 39800, "original")
    fake_shopify.drop_next(mutations=True)
    with pytest.raises(ShopUncertain):
        await shop.apply(request, "two-parcels")
    assert [len(r.lines) for r in order.returns] == [2]  # one return, a line from each parcel
    outcome = await shop.has_happened(request)
    assert outcome is not None and outcome.order is not None and outcome.order.status == "return_requested"
