"""Kefu with the Shopify backend, against the fake Shopify over 127.0.0.1: the catalogue and orders
synced in, a shopper's confirmed cancellation made in Shopify first and recorded only on its success,
an answer lost after sending read back (never a second cancellation), Shopify's refusals told in the
shopper's language with a handoff; and Shopify's webhooks on Kefu's web server (HMAC checked,
deliveries de-duplicated, the cache refreshed, the privacy topics exporting and erasing)."""
from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from adapters.shops.shopify.backend import ShopifyShop
from adapters.shops.shopify.client import ShopifyClient
from adapters.shops.shopify.webhooks import WEBHOOK_PATH, ShopifyWebhooks
from adapters.web import WebChannel
from bot.app import build_assistant
from bot.settings import Settings
from core.assistant import Assistant
from core.messages import Identity, InboundMessage
from core.shop.sync import ShopSync
from core.store import Store
from tests.fakes.shopify import ACCESS_TOKEN, FakeShopify
from tests.fakes.shopify_shop import gid
from tests.fakes.shopify_webhooks import (
    fulfillment_payload,
    inventory_payload,
    order_payload,
    privacy_payload,
    product_payload,
    send_webhook,
)
from tests.hosting import serving
from tests.shops.shopify.conftest import Seeded

# Under --db-engine postgresql the stores on file paths here are PostgreSQL databases too (tests/conftest.py).
pytestmark = pytest.mark.file_stores

VERIFY = "mei@example.com 200120"


@dataclass
class Kefu:
    store: Store
    assistant: Assistant
    shop: ShopifyShop


@pytest.fixture
async def kefu(fake_shopify: FakeShopify, seeded: Seeded, settings: Settings, tmp_path: Path) -> AsyncIterator[Kefu]:
    """Kefu's store synced from the fake Shopify, and the assistant over the Shopify backend."""
    store = Store(tmp_path / "kefu.db")
    shop = ShopifyShop(ShopifyClient(fake_shopify.endpoint, ACCESS_TOKEN, timeout_s=0.5), job_poll_s=0.01)
    await shop.start()
    report = await ShopSync(store, shop).full()
    assert (report.products, report.orders, report.failed) == (1, 2, [])
    yield Kefu(store, build_assistant(store, settings, shop=shop), shop)
    await shop.close()
    store.close()


async def say(kefu: Kefu, text: str, user: str = "s1") -> str:
    replies = (await kefu.assistant.handle(InboundMessage(Identity("web", user), text=text))).replies
    return "\n".join(r.text for r in replies)


async def ask_to_cancel(kefu: Kefu, user: str = "s1", zh: bool = False) -> None:
    for text in (["我要取消订单 #1001", VERIFY, "买重复了"] if zh else
                 ["I want to cancel order #1001", VERIFY, "I ordered it twice"]):
        await say(kefu, text, user)


def shop_changes(kefu: Kefu) -> list[tuple[str, str | None]]:
    return kefu.store.db.execute("select status, reference from shop_changes").fetchall()


async def test_the_sync_fills_the_cache_from_shopify(kefu: Kefu, seeded: Seeded) -> None:
    cached = kefu.store.orders.get("#1002")
    assert cached["status"] == "delivered" and cached["external_id"] == gid("Order", seeded.delivered.id)
    assert cached["carrier"] == "SF Express" and cached["total_cents"] == 39800 and cached["currency"] == "CNY"
    assert cached["items"][0]["external_id"] == gid("LineItem", seeded.delivered.lines[0].id)
    assert kefu.store.catalog.product(gid("Product", seeded.dress.id))["title_en"] == "French red floral dress"


async def test_a_confirmed_cancellation_is_made_in_shopify_then_recorded(kefu: Kefu, fake_shopify: FakeShopify,
                                                                        seeded: Seeded) -> None:
    await ask_to_cancel(kefu)
    assert fake_shopify.sent("orderCancel") == []
    told = await say(kefu, "yes")
    assert "cancelled" in told
    assert seeded.open_order.cancelled_at and [t.kind for t in seeded.open_order.transactions] == ["SALE", "REFUND"]
    cached = kefu.store.orders.get("#1001")
    assert cached["status"] == "cancelled" and [p["kind"] for p in cached["payments"]] == ["payment", "refund"]
    [(status, reference)] = shop_changes(kefu)
    assert status == "done" and reference.startswith("gid://shopify/Job/")


async def test_an_answer_lost_after_cancelling_is_read_back_not_sent_again(kefu: Kefu, fake_shopify: FakeShopify,
                                                                          seeded: Seeded) -> None:
    await ask_to_cancel(kefu)
    fake_shopify.drop_next(mutations=True)
    told = await say(kefu, "yes")
    assert "cancelled" in told and len(fake_shopify.sent("orderCancel")) == 1
    assert len(seeded.open_order.refunds) == 1 and kefu.store.orders.get("#1001")["status"] == "cancelled"


@pytest.mark.parametrize("status", [422, 503])
async def test_a_change_shopify_does_not_make_is_not_recorded(kefu: Kefu, fake_shopify: FakeShopify, seeded: Seeded,
                                                             status: int) -> None:
    await ask_to_cancel(kefu)
    fake_shopify.fail_next(status, mutations=True)
    told = await say(kefu, "yes")
    assert "didn't go through" in told and "is cancelled" not in told
    assert seeded.open_order.cancelled_at is None and kefu.store.orders.get("#1001")["status"] == "pending"
    assert kefu.store.db.execute("select count(*) from handoffs").fetchone()[0] == 1
    assert shop_changes(kefu)[0][0] == "failed"


async def test_a_chinese_shopper_hears_of_a_refusal_in_chinese(kefu: Kefu, fake_shopify: FakeShopify) -> None:
    await ask_to_cancel(kefu, user="zh", zh=True)
    fake_shopify.fail_next(422, mutations=True)
    told = await say(kefu, "是的", user="zh")
    assert "没有成功" in told and "没有任何变动" in told


# -- webhooks on Kefu's web server ---------------------------------------------------------------
@pytest.fixture
async def hook_url(kefu: Kefu, tmp_path: Path) -> AsyncIterator[str]:
    webhooks = ShopifyWebhooks(kefu.store, kefu.shop, "kefu-test-shopify-client-secret",
                               "kefu-test.myshopify.com", tmp_path / "privacy-requests")
    async with serving(WebChannel(kefu.assistant), store=kefu.store, routes=webhooks.routes()) as host:
        yield f"http://127.0.0.1:{host.port}{WEBHOOK_PATH}"


async def test_order_and_product_webhooks_refresh_the_cache_once(kefu: Kefu, fake_shopify: FakeShopify,
                                                               seeded: Seeded, hook_url: str) -> None:
    fake_shopify.shop.fulfil(seeded.open_order, number="SF0000000001")
    delivery = await send_webhook(hook_url, "orders/updated", order_payload(fake_shopify.shop, seeded.open_order))
    assert delivery.status == 200 and kefu.store.orders.get("#1001")["status"] == "shipped"
    reads = len(fake_shopify.sent("order"))
    again = await send_webhook(hook_url, "orders/updated", order_payload(fake_shopify.shop, seeded.open_order),
                               webhook_id=delivery.webhook_id)
    assert again.status == 200 and len(fake_shopify.sent("order")) == reads  # a redelivery is not handled twice
    fake_shopify.shop.deliver(seeded.open_order)
    parcel = fulfillment_payload(seeded.open_order, seeded.open_order.fulfillments[0])
    assert (await send_webhook(hook_url, "fulfillments/create", parcel)).status == 200
    assert kefu.store.orders.get("#1001")["status"] == "delivered"
    seeded.dress.variants[0].inventory = 0
    assert (await send_webhook(hook_url, "inventory_levels/update", inventory_payload(seeded.dress.variants[0]))).status == 200
    stock = {v["id"]: v["stock"] for v in kefu.store.catalog.variants(gid("Product", seeded.dress.id))}
    assert stock[gid("ProductVariant", seeded.dress.variants[0].id)] == 0
    seeded.dress.title = "Floral dress"
    assert (await send_webhook(hook_url, "products/update", product_payload(seeded.dress))).status == 200
    assert kefu.store.catalog.product(gid("Product", seeded.dress.id))["title_en"] == "Floral dress"
    del fake_shopify.shop.products[seeded.dress.id]
    assert (await send_webhook(hook_url, "products/delete", {"id": seeded.dress.id})).status == 200
    offered = {v["available"] for v in kefu.store.catalog.variants(gid("Product", seeded.dress.id))}
    assert offered == {0}  # a deleted product is no longer offered; orders naming it keep their history


async def test_webhooks_that_are_not_shopifys_are_refused(kefu: Kefu, fake_shopify: FakeShopify, seeded: Seeded,
                                                          hook_url: str) -> None:
    body = order_payload(fake_shopify.shop, seeded.open_order)
    assert (await send_webhook(hook_url, "orders/updated", body, secret="not-the-secret")).status == 401
    assert (await send_webhook(hook_url, "orders/updated", body,
                               headers={"X-Shopify-Hmac-Sha256": "é" * 44})).status == 401
    assert (await send_webhook(hook_url, "orders/updated", body=b"[not json")).status == 400
    assert (await send_webhook(hook_url, "orders/updated", {**body, "admin_graphql_api_id": "x"})).status == 400
    assert (await send_webhook(hook_url, "orders/updated", body,
                               headers={"X-Shopify-Shop-Domain": "other.myshopify.com"})).status == 400
    assert (await send_webhook(hook_url, "orders/updated", body=b"{" + b" " * (1024 * 1024) + b"}")).status == 413
    assert (await send_webhook(hook_url, "carts/update", {"id": 1})).status == 200  # not a topic Kefu uses
    await fake_shopify.go_down()
    assert (await send_webhook(hook_url, "orders/updated", body)).status == 503  # Shopify will deliver again
    await fake_shopify.come_back()


async def test_privacy_webhooks_export_and_erase(kefu: Kefu, fake_shopify: FakeShopify, seeded: Seeded,
                                                 hook_url: str, tmp_path: Path) -> None:
    asked = privacy_payload("customers/data_request", seeded.mei, [seeded.delivered])
    assert (await send_webhook(hook_url, "customers/data_request", asked)).status == 200
    exported = json.loads((tmp_path / "privacy-requests" / "shopify-data-request-9999.json").read_text())
    [document] = exported["customers"]
    assert document["customer"]["email"] == "mei@example.com" and len(document["orders"]) == 2
    redact = privacy_payload("customers/redact", seeded.mei, [seeded.delivered])
    assert (await send_webhook(hook_url, "customers/redact", redact)).status == 200
    customer = kefu.store.customers.by_external_id(f"erased:{kefu.store.orders.get('#1002')['customer_id']}")
    assert customer is not None and customer["email"] is None
    assert kefu.store.orders.get("#1002")["address"] is None
    actions = [e["action"] for e in kefu.store.audit.entries() if e["actor"] == "shopify"]
    assert actions == ["privacy.export", "privacy.shopify_data_request", "privacy.erase"]
    assert (await send_webhook(hook_url, "shop/redact", privacy_payload("shop/redact"))).status == 200


def test_the_settings_build_the_shopify_backend(store: Store) -> None:
    from bot.settings import load_settings
    from bot.shops import build_shop
    settings = load_settings(env_file=None, kefu_shop_backend="shopify", shopify_shop_domain="Kefu.myshopify.com",
                             shopify_admin_token="shpat_x", kefu_db_path=":memory:")
    assert isinstance(build_shop(settings, store), ShopifyShop)
