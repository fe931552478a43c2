"""Smoke tests of the Medusa harness against the real server: plain aiohttp calls to the Admin and Store
APIs, and each after-sales call the Medusa backend will make (docs/SHOPS.md lists the bodies).

The harness helpers are synchronous (urllib), so async tests call them through ``asyncio.to_thread``:
the subscriber test's receiver runs on this test's event loop and must not be blocked."""
from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import time
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from tests.shops.medusa.harness import CATALOGUE, CURRENCY, OUT_OF_STOCK_SKU, Medusa

pytestmark = [pytest.mark.slow, pytest.mark.medusa]

ORDER_LIST_FIELDS = "*items,*fulfillments,*fulfillments.labels,*payment_collections,*payment_collections.payments"


async def admin_get(medusa: Medusa, path: str) -> Any:
    token = await asyncio.to_thread(medusa.admin_token)
    async with aiohttp.ClientSession() as session:
        async with session.get(f"{medusa.base_url}{path}", headers={"Authorization": f"Bearer {token}"}) as response:
            assert response.status == 200, await response.text()
            return await response.json()


async def admin_post(medusa: Medusa, path: str, body: Any) -> Any:
    token = await asyncio.to_thread(medusa.admin_token)
    async with aiohttp.ClientSession() as session:
        async with session.post(f"{medusa.base_url}{path}", json=body,
                                headers={"Authorization": f"Bearer {token}"}) as response:
            assert response.status == 200, f"POST {path} {body}: {response.status} {await response.text()}"
            return await response.json()


async def new_customer(medusa: Medusa, first_name: str = "Alice") -> dict[str, Any]:
    return await asyncio.to_thread(medusa.create_customer, medusa.unique_email(first_name.lower()), first_name,
                                   "Tester", "+15555550123")


async def new_order(medusa: Medusa, customer: dict[str, Any], *items: tuple[str, int], **kwargs: Any) -> str:
    variants = [(medusa.seeded.variants[sku], qty) for sku, qty in items]
    return await asyncio.to_thread(medusa.place_order, customer["email"], variants, **kwargs)


async def test_admin_token_works(medusa: Medusa) -> None:
    async with aiohttp.ClientSession() as session:
        async with session.post(f"{medusa.base_url}/auth/user/emailpass",
                                json={"email": "admin@kefu.test", "password": "wrong"}) as response:
            assert response.status == 401
    me = await admin_get(medusa, "/admin/users/me")
    assert me["user"]["email"] == "admin@kefu.test"
    async with aiohttp.ClientSession() as session:
        async with session.get(f"{medusa.base_url}/admin/orders") as response:
            assert response.status == 401


async def test_seeded_catalogue_has_variants_prices_and_stock(medusa: Medusa) -> None:
    fields = "*variants.calculated_price,+variants.inventory_quantity,*variants.options,*options"
    async with aiohttp.ClientSession() as session:
        async with session.get(f"{medusa.base_url}/store/products",
                               params={"region_id": medusa.seeded.region_id, "fields": fields, "limit": "50"},
                               headers={"x-publishable-api-key": medusa.seeded.publishable_key}) as response:
            assert response.status == 200, await response.text()
            products = (await response.json())["products"]
    assert {p["handle"] for p in products} == {handle for handle, *_ in CATALOGUE}
    variants = {v["sku"]: v for p in products for v in p["variants"]}
    expected = {sku: (opts, price) for *_, vs in CATALOGUE for sku, opts, price, _stock in vs}
    assert set(variants) == set(expected)
    for sku, (options, price) in expected.items():
        variant = variants[sku]
        assert variant["calculated_price"]["calculated_amount"] == price
        assert variant["calculated_price"]["currency_code"] == CURRENCY
        assert sorted(o["value"] for o in variant["options"]) == sorted(options.values())
    assert variants[OUT_OF_STOCK_SKU]["inventory_quantity"] == 0
    # other tests sell from the shared stock, so only "some" for the others
    assert all(v["inventory_quantity"] > 0 for sku, v in variants.items() if sku != OUT_OF_STOCK_SKU)
    shirt = next(p for p in products if p["handle"] == "linen-shirt")
    assert sorted(o["title"] for o in shirt["options"]) == ["Colour", "Size"]  # Medusa keeps no order
    # the out-of-stock variant cannot be put in a cart
    async with aiohttp.ClientSession() as session:
        async with session.post(f"{medusa.base_url}/store/carts", headers={
                "x-publishable-api-key": medusa.seeded.publishable_key}, json={
                "region_id": medusa.seeded.region_id,
                "items": [{"variant_id": medusa.seeded.variants[OUT_OF_STOCK_SKU], "quantity": 1}]}) as response:
            assert response.status == 400
            assert (await response.json())["code"] == "insufficient_inventory"


async def test_placed_order_is_listed_under_its_customer_paid(medusa: Medusa) -> None:
    customer = await new_customer(medusa)
    order_id = await new_order(medusa, customer, ("SHIRT-S-WHT", 2))
    fields = f"{ORDER_LIST_FIELDS},+payment_status,+fulfillment_status,+status"
    orders = (await admin_get(medusa, f"/admin/orders?customer_id={customer['id']}&fields={fields}"))["orders"]
    assert [o["id"] for o in orders] == [order_id]
    order = orders[0]
    assert order["status"] == "pending"
    assert order["payment_status"] == "captured"
    assert order["fulfillment_status"] == "not_fulfilled"
    assert [(i["variant_sku"], i["quantity"], i["unit_price"]) for i in order["items"]] == [("SHIRT-S-WHT", 2, 39)]
    payments = [p for c in order["payment_collections"] for p in c["payments"]]
    assert len(payments) == 1 and payments[0]["provider_id"] == "pp_system_default"
    assert payments[0]["captured_at"] and payments[0]["amount"] == 2 * 39 + 5  # shipping 5 USD
    # without capture the system provider leaves it authorised
    pending = await new_order(medusa, customer, ("CASE-STD", 1), capture=False)
    assert (await asyncio.to_thread(medusa.order, pending))["payment_status"] == "authorized"


async def test_fulfil_puts_the_tracking_number_on_a_label_and_delivery(medusa: Medusa) -> None:
    customer = await new_customer(medusa, "Dan")
    order_id = await new_order(medusa, customer, ("DRESS-S-BLU", 1), ("CASE-STD", 1))
    fulfilment_id = await asyncio.to_thread(medusa.fulfil, order_id, "1Z999AA10123456784", "UPS")
    orders = (await admin_get(medusa, f"/admin/orders?customer_id={customer['id']}"
                                      "&fields=*fulfillments,*fulfillments.labels,+fulfillment_status"))["orders"]
    (order,) = orders
    assert order["fulfillment_status"] == "shipped"
    (fulfilment,) = order["fulfillments"]
    assert fulfilment["id"] == fulfilment_id and fulfilment["shipped_at"]
    assert [label["tracking_number"] for label in fulfilment["labels"]] == ["1Z999AA10123456784"]
    assert fulfilment["metadata"] == {"carrier": "UPS"}
    await asyncio.to_thread(medusa.mark_delivered, order_id)
    order = await asyncio.to_thread(medusa.order, order_id)
    assert order["fulfillment_status"] == "delivered" and order["fulfillments"][0]["delivered_at"]


async def test_cancel_a_pending_order(medusa: Medusa) -> None:
    customer = await new_customer(medusa, "Erin")
    order_id = await new_order(medusa, customer, ("DRESS-M-RED", 1))
    await admin_post(medusa, f"/admin/orders/{order_id}/cancel", {})
    order = await asyncio.to_thread(medusa.order, order_id)
    assert order["status"] == "canceled" and order["canceled_at"]
    # a captured payment is refunded in full by the cancel itself
    assert order["payment_status"] == "refunded"
    assert [r["amount"] for p in await asyncio.to_thread(medusa.payments, order_id) for r in p["refunds"]] == [94.5]


async def test_a_shipped_order_cannot_be_canceled(medusa: Medusa) -> None:
    customer = await new_customer(medusa, "Finn")
    order_id = await new_order(medusa, customer, ("CASE-STD", 1))
    await asyncio.to_thread(medusa.fulfil, order_id, "SF100", "SF Express")
    token = await asyncio.to_thread(medusa.admin_token)
    async with aiohttp.ClientSession() as session:
        async with session.post(f"{medusa.base_url}/admin/orders/{order_id}/cancel", json={},
                                headers={"Authorization": f"Bearer {token}"}) as response:
            assert response.status == 400, await response.text()
            assert "fulfillments" in (await response.json())["message"].lower()
    assert (await asyncio.to_thread(medusa.order, order_id))["status"] == "pending"


async def test_change_the_shipping_address(medusa: Medusa) -> None:
    customer = await new_customer(medusa, "Gail")
    order_id = await new_order(medusa, customer, ("CASE-STD", 1))
    await admin_post(medusa, f"/admin/orders/{order_id}", {
        "shipping_address": {"address_1": "22 New Road", "city": "Chicago", "postal_code": "60601"}})
    address = (await asyncio.to_thread(medusa.order, order_id))["shipping_address"]
    assert (address["address_1"], address["city"], address["postal_code"]) == ("22 New Road", "Chicago", "60601")
    assert (address["first_name"], address["country_code"]) == ("Alice", "us")  # the other fields are kept


async def test_refund_part_of_a_payment(medusa: Medusa) -> None:
    customer = await new_customer(medusa, "Hana")
    order_id = await new_order(medusa, customer, ("CASE-STD", 2))
    (payment,) = await asyncio.to_thread(medusa.payments, order_id)
    body = await admin_post(medusa, f"/admin/payments/{payment['id']}/refund", {"amount": 5, "note": "goodwill"})
    assert [r["amount"] for r in body["payment"]["refunds"]] == [5]
    order = await asyncio.to_thread(medusa.order, order_id)
    assert order["payment_status"] == "partially_refunded"
    assert order["summary"]["refunded_total"] == 5


async def test_return_requested_received_and_refunded(medusa: Medusa) -> None:
    seeded = medusa.seeded
    customer = await new_customer(medusa, "Ivan")
    order_id = await new_order(medusa, customer, ("DRESS-M-BLU", 2))
    await asyncio.to_thread(medusa.fulfil, order_id, "TRK-R1", "DHL")
    await asyncio.to_thread(medusa.mark_delivered, order_id)
    item = (await asyncio.to_thread(medusa.order, order_id))["items"][0]
    created = await admin_post(medusa, "/admin/returns", {
        "order_id": order_id, "location_id": seeded.stock_location_id, "description": "too big"})
    return_id = created["return"]["id"]
    await admin_post(medusa, f"/admin/returns/{return_id}/request-items",
                     {"items": [{"id": item["id"], "quantity": 1}]})
    await admin_post(medusa, f"/admin/returns/{return_id}/shipping-method",
                     {"shipping_option_id": seeded.return_shipping_option_id})
    requested = await admin_post(medusa, f"/admin/returns/{return_id}/request", {})
    assert requested["return"]["status"] == "requested"
    order = await asyncio.to_thread(medusa.order, order_id)
    assert [(r["id"], r["status"]) for r in order["returns"]] == [(return_id, "requested")]
    assert order["summary"]["pending_difference"] == -89.5  # owed to the shopper once received
    await admin_post(medusa, f"/admin/returns/{return_id}/receive", {})
    await admin_post(medusa, f"/admin/returns/{return_id}/receive-items",
                     {"items": [{"id": item["id"], "quantity": 1}]})
    received = await admin_post(medusa, f"/admin/returns/{return_id}/receive/confirm", {})
    assert received["return"]["status"] == "received"
    (payment,) = await asyncio.to_thread(medusa.payments, order_id)
    await admin_post(medusa, f"/admin/payments/{payment['id']}/refund", {"amount": 89.5})
    order = await asyncio.to_thread(medusa.order, order_id)
    assert order["payment_status"] == "partially_refunded"
    assert order["summary"]["pending_difference"] == 0 and order["summary"]["refunded_total"] == 89.5


async def test_exchange_one_size_for_another(medusa: Medusa) -> None:
    seeded = medusa.seeded
    customer = await new_customer(medusa, "Jo")
    order_id = await new_order(medusa, customer, ("DRESS-S-RED", 1))
    await asyncio.to_thread(medusa.fulfil, order_id, "TRK-X1", "UPS")
    item = (await asyncio.to_thread(medusa.order, order_id))["items"][0]
    exchange_id = (await admin_post(medusa, "/admin/exchanges", {"order_id": order_id,
                                                                 "description": "size swap"}))["exchange"]["id"]
    await admin_post(medusa, f"/admin/exchanges/{exchange_id}/inbound/items",
                     {"items": [{"id": item["id"], "quantity": 1}], "location_id": seeded.stock_location_id})
    await admin_post(medusa, f"/admin/exchanges/{exchange_id}/inbound/shipping-method",
                     {"shipping_option_id": seeded.return_shipping_option_id})
    await admin_post(medusa, f"/admin/exchanges/{exchange_id}/outbound/items",
                     {"items": [{"variant_id": seeded.variants["DRESS-M-RED"], "quantity": 1}]})
    await admin_post(medusa, f"/admin/exchanges/{exchange_id}/outbound/shipping-method",
                     {"shipping_option_id": seeded.shipping_option_id, "custom_amount": 0})
    done = await admin_post(medusa, f"/admin/exchanges/{exchange_id}/request", {})
    assert done["exchange"]["return_id"] and done["return"]["status"] == "requested"
    order = await asyncio.to_thread(medusa.order, order_id)
    skus = sorted((i["variant_sku"], i["quantity"]) for i in order["items"])
    assert skus == [("DRESS-M-RED", 1), ("DRESS-S-RED", 1)]
    assert order["summary"]["pending_difference"] == 0  # same price, free outbound shipping
    assert order["fulfillment_status"] == "partially_shipped"  # the new size is not shipped yet


async def test_subscriber_posts_a_signed_event_for_a_new_order(medusa: Medusa, medusa_events: dict[str, str]) -> None:
    received: asyncio.Queue[tuple[dict[str, str], bytes]] = asyncio.Queue()

    async def receive(request: web.Request) -> web.Response:
        await received.put((dict(request.headers), await request.read()))
        return web.json_response({"ok": True})

    app = web.Application()
    path = medusa_events["url"].split("127.0.0.1:", 1)[1]
    port, route = int(path.split("/", 1)[0]), "/" + path.split("/", 1)[1]
    app.router.add_post(route, receive)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", port)
    await site.start()
    try:
        customer = await new_customer(medusa, "Kim")
        order_id = await new_order(medusa, customer, ("CASE-STD", 1))
        deadline = time.monotonic() + 10
        placed = None
        while placed is None:
            headers, body = await asyncio.wait_for(received.get(), timeout=max(0.1, deadline - time.monotonic()))
            event = json.loads(body)
            if event["event"] == "order.placed" and event["id"] == order_id:
                placed = headers, body, event
        headers, body, event = placed
        assert set(event) == {"event", "id", "sent_at"}
        timestamp = headers["X-Kefu-Timestamp"]
        assert abs(int(timestamp) - time.time()) < 60
        expected = hmac.new(medusa_events["secret"].encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
        assert hmac.compare_digest(headers["X-Kefu-Signature"], "sha256=" + expected.hexdigest())
        assert headers["Content-Type"].startswith("application/json")
    finally:
        await runner.cleanup()


async def test_fresh_medusa_is_a_pristine_copy_of_the_seeded_shop(fresh_medusa: Medusa) -> None:
    orders = await admin_get(fresh_medusa, "/admin/orders?fields=id")
    assert orders["count"] == 0
    products = await admin_get(fresh_medusa, "/admin/products?fields=handle")
    assert {p["handle"] for p in products["products"]} == {handle for handle, *_ in CATALOGUE}
