"""The fake Shopify itself: documented shapes, cost-based throttling, userErrors and faults, so the
backend's tests stand on something that behaves like Shopify."""
from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from tests.fakes.shopify import ACCESS_TOKEN, API_VERSION, FakeShopify
from tests.fakes.shopify_shop import gid
from tests.fakes.shopify_webhooks import API_SECRET, order_payload, privacy_payload, send_webhook
from tests.shops.shopify.conftest import Seeded

# Opens no store: the same on every engine (skipped under --db-engine postgresql, tests/conftest.py).
pytestmark = pytest.mark.no_store

ORDER = """query Order($id: ID!) { order(id: $id) { id name displayFinancialStatus displayFulfillmentStatus
  cancelledAt currencyCode totalPriceSet { shopMoney { amount currencyCode } }
  lineItems(first: 10) { nodes { id quantity variant { id } } }
  fulfillments(first: 5) { fulfillmentLineItems(first: 10) { nodes { id quantity } } }
  transactions(first: 10) { kind status amountSet { shopMoney { amount } } } } }"""
CANCEL = """mutation Cancel($id: ID!) { orderCancel(orderId: $id, reason: CUSTOMER, restock: true,
  refundMethod: {originalPaymentMethodsRefund: true}, notifyCustomer: false) {
  job { id done } orderCancelUserErrors { field message code } } }"""
REFUND = """mutation Refund($input: RefundInput!, $key: String!) { refundCreate(input: $input) @idempotent(key: $key) {
  refund { id totalRefundedSet { shopMoney { amount } } } userErrors { field message } } }"""


async def post(fake: FakeShopify, query: str, variables: dict[str, Any] | None = None,
               token: str = ACCESS_TOKEN, url: str | None = None) -> tuple[int, Any]:
    async with aiohttp.ClientSession() as http, http.post(
            url or fake.endpoint, json={"query": query, "variables": variables or {}},
            headers={"X-Shopify-Access-Token": token}) as response:
        text = await response.text()
        return response.status, json.loads(text) if text.startswith(("{", "[")) else text


async def order(fake: FakeShopify, number: int) -> dict[str, Any]:
    status, body = await post(fake, ORDER, {"id": gid("Order", number)})
    assert status == 200, body
    return body["data"]["order"]


async def test_a_wrong_token_is_401_and_another_version_404(fake_shopify: FakeShopify, seeded: Seeded) -> None:
    status, body = await post(fake_shopify, ORDER, {"id": gid("Order", seeded.open_order.id)}, token="shpat_wrong")
    assert status == 401 and "Invalid API key or access token" in body["errors"]
    other = fake_shopify.endpoint.replace(API_VERSION, "2023-01")
    assert (await post(fake_shopify, ORDER, {"id": "x"}, url=other))[0] == 404


async def test_reads_answer_exactly_the_selected_fields_with_cost(fake_shopify: FakeShopify, seeded: Seeded) -> None:
    status, body = await post(fake_shopify, ORDER, {"id": gid("Order", seeded.delivered.id)})
    got = body["data"]["order"]
    assert got["name"] == seeded.delivered.name and got["displayFinancialStatus"] == "PAID"
    assert got["displayFulfillmentStatus"] == "FULFILLED" and got["cancelledAt"] is None
    assert got["totalPriceSet"] == {"shopMoney": {"amount": "398.0", "currencyCode": "CNY"}}
    assert set(got["lineItems"]["nodes"][0]) == {"id", "quantity", "variant"}
    cost = body["extensions"]["cost"]
    assert cost["requestedQueryCost"] > cost["actualQueryCost"] > 0
    assert set(cost["throttleStatus"]) == {"maximumAvailable", "currentlyAvailable", "restoreRate"}


@pytest.mark.parametrize("query, code", [
    ("{ order(id: \"ORDER\") { id colour } }", "undefinedField"),
    ("{ order(id: \"ORDER\") { lineItems(first: 300) { nodes { id } } } }", "argumentLiteralsIncompatible"),
    ("{ products(first: 250) { nodes { variants(first: 250) { nodes { id } } } } }", "MAX_COST_EXCEEDED"),
    ("{ order(id: \"gid://shopify/Order/1\") { ...F } }", "parseError"),
    ("{ orders { nodes { id } } }", "argumentLiteralsIncompatible"),
    ("{ order(id: \"42\") { id } }", "argumentLiteralsIncompatible"),
    ("{ customers(first: 1, query: \"favourite_colour:red\") { nodes { id } } }", "unsupportedSearch"),
    ("{ order(id: \"gid://shopify/Order/1\") { id ", "parseError"),
])
async def test_documents_shopify_would_refuse_are_errors(fake_shopify: FakeShopify, seeded: Seeded, query: str,
                                                         code: str) -> None:
    status, body = await post(fake_shopify, query.replace("ORDER", gid("Order", seeded.open_order.id)))
    assert status == 200 and body["errors"][0]["extensions"]["code"] == code and "data" not in body


async def test_search_and_pagination(fake_shopify: FakeShopify, seeded: Seeded) -> None:
    query = """query Find($q: String!) { customers(first: 5, query: $q) { nodes { id email firstName
      defaultAddress { city zip countryCodeV2 } orders(first: 1) { pageInfo { hasNextPage endCursor } nodes { name } } } } }"""
    _, body = await post(fake_shopify, query, {"q": "email:mei@example.com"})
    [mei] = body["data"]["customers"]["nodes"]
    assert mei["id"] == gid("Customer", seeded.mei.id) and mei["defaultAddress"]["countryCodeV2"] == "CN"
    assert mei["orders"]["pageInfo"]["hasNextPage"] is True
    page = """query Page($after: String) { orders(first: 1, after: $after) { pageInfo { hasNextPage endCursor }
      edges { cursor node { name } } } }"""
    _, first = await post(fake_shopify, page)
    _, second = await post(fake_shopify, page, {"after": first["data"]["orders"]["pageInfo"]["endCursor"]})
    names = [e["node"]["name"] for b in (first, second) for e in b["data"]["orders"]["edges"]]
    assert names == [seeded.open_order.name, seeded.delivered.name]
    assert second["data"]["orders"]["pageInfo"]["hasNextPage"] is False


async def test_over_the_bucket_is_throttled_and_not_run() -> None:
    fake = await FakeShopify(maximum_available=20, restore_rate=5).start()
    try:
        order_ = fake.shop.add_order(None, [(fake.shop.add_product("Case", [({}, 3900, 9)]).variants[0], 1)])
        status, body = await post(fake, CANCEL, {"id": gid("Order", order_.id)})
        assert status == 200 and body["data"]["orderCancel"]["job"]  # 10 points of 20
        fake.bucket.drain()
        status, body = await post(fake, ORDER, {"id": gid("Order", order_.id)})
        assert status == 200 and body["errors"] == [{"message": "Throttled", "extensions": {
            "code": "THROTTLED", "documentation": "https://shopify.dev/api/usage/rate-limits"}}]
        assert "data" not in body and body["extensions"]["cost"]["actualQueryCost"] is None
        assert body["extensions"]["cost"]["throttleStatus"]["currentlyAvailable"] < 1
        fake.throttle_with_429 = True
        async with aiohttp.ClientSession() as http, http.post(
                fake.endpoint, json={"query": ORDER, "variables": {"id": gid("Order", order_.id)}},
                headers={"X-Shopify-Access-Token": ACCESS_TOKEN}) as response:
            assert response.status == 429 and float(response.headers["Retry-After"]) >= 1
        await asyncio.sleep(0.3)  # 1.5 points back
        fake.throttle_with_429 = False
        status, body = await post(fake, "{ job(id: \"gid://shopify/Job/1\") { id done } }")
        assert status == 200 and "errors" not in body
    finally:
        await fake.stop()


async def test_order_cancel_refunds_and_refuses_a_second_time(fake_shopify: FakeShopify, seeded: Seeded) -> None:
    number = seeded.open_order.id
    _, body = await post(fake_shopify, CANCEL, {"id": gid("Order", number)})
    assert body["data"]["orderCancel"]["orderCancelUserErrors"] == []
    assert body["data"]["orderCancel"]["job"]["id"].startswith("gid://shopify/Job/")
    got = await order(fake_shopify, number)
    assert got["cancelledAt"] and got["displayFinancialStatus"] == "REFUNDED"
    assert [t["kind"] for t in got["transactions"]] == ["SALE", "REFUND"]
    _, again = await post(fake_shopify, CANCEL, {"id": gid("Order", number)})
    assert again["data"]["orderCancel"]["orderCancelUserErrors"][0]["code"] == "INVALID"
    assert len((await order(fake_shopify, number))["transactions"]) == 2
    _, shipped = await post(fake_shopify, CANCEL, {"id": gid("Order", seeded.delivered.id)})
    assert shipped["data"]["orderCancel"]["orderCancelUserErrors"][0]["code"] == "INVALID"
    missing = "mutation { orderCancel(orderId: \"gid://shopify/Order/1\", reason: CUSTOMER) { job { id } } }"
    assert (await post(fake_shopify, missing))[1]["errors"][0]["extensions"]["code"] == "missingRequiredArguments"


async def test_order_update_changes_the_address_or_says_why_not(fake_shopify: FakeShopify, seeded: Seeded) -> None:
    query = """mutation U($input: OrderInput!) { orderUpdate(input: $input) {
      order { shippingAddress { address1 city zip countryCodeV2 } } userErrors { field message } } }"""
    address = {"address1": "1 Nanjing Road", "city": "Shanghai", "zip": "200001", "countryCode": "CN"}
    _, body = await post(fake_shopify, query, {"input": {"id": gid("Order", seeded.open_order.id),
                                                          "shippingAddress": address}})
    assert body["data"]["orderUpdate"]["order"]["shippingAddress"]["address1"] == "1 Nanjing Road"
    _, bad = await post(fake_shopify, query, {"input": {"id": gid("Order", seeded.open_order.id),
                                                         "shippingAddress": {**address, "countryCode": "China"}}})
    assert bad["data"]["orderUpdate"] == {"order": None, "userErrors": [
        {"field": ["shippingAddress", "countryCode"], "message": "Country is invalid"}]}


async def test_return_with_exchange_and_its_user_errors(fake_shopify: FakeShopify, seeded: Seeded) -> None:
    got = await order(fake_shopify, seeded.delivered.id)
    fli = got["fulfillments"][0]["fulfillmentLineItems"]["nodes"][0]["id"]
    query = """mutation R($input: ReturnInput!) { returnCreate(returnInput: $input) {
      return { id name status exchangeLineItems(first: 5) { nodes { quantity variantId } } }
      userErrors { field message code } } }"""
    exchange = [{"variantId": gid("ProductVariant", seeded.dress.variants[1].id), "quantity": 1}]
    line = {"fulfillmentLineItemId": fli, "quantity": 1, "returnReason": "SIZE_TOO_SMALL"}
    _, body = await post(fake_shopify, query, {"input": {"orderId": got["id"], "returnLineItems": [line],
                                                          "exchangeLineItems": exchange}})
    created = body["data"]["returnCreate"]
    assert created["userErrors"] == [] and created["return"]["status"] == "OPEN"
    assert created["return"]["exchangeLineItems"]["nodes"][0]["quantity"] == 1
    _, too_many = await post(fake_shopify, query, {"input": {"orderId": got["id"],
                                                              "returnLineItems": [{**line, "quantity": 2}]}})
    assert too_many["data"]["returnCreate"]["userErrors"][0]["field"][-1] == "quantity"
    _, unshipped = await post(fake_shopify, query, {"input": {"orderId": gid("Order", seeded.open_order.id),
                                                               "returnLineItems": [line]}})
    assert unshipped["data"]["returnCreate"]["userErrors"][0]["code"] == "NOT_FOUND"
    _, bad_reason = await post(fake_shopify, query, {"input": {"orderId": got["id"],
                                                                "returnLineItems": [{**line, "returnReason": "MEH"}]}})
    assert bad_reason["errors"][0]["extensions"]["code"] == "INVALID_VARIABLE"


async def test_refund_create_needs_and_honours_an_idempotency_key(fake_shopify: FakeShopify, seeded: Seeded) -> None:
    number = seeded.delivered.id
    sale = seeded.delivered.transactions[0].id
    refund = {"orderId": gid("Order", number), "transactions": [{
        "orderId": gid("Order", number), "parentId": gid("OrderTransaction", sale), "gateway": "shopify_payments",
        "kind": "REFUND", "amount": "100.00"}]}
    without = REFUND.replace(" @idempotent(key: $key)", "").replace(", $key: String!", "")
    assert (await post(fake_shopify, without, {"input": refund}))[1]["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
    first = (await post(fake_shopify, REFUND, {"input": refund, "key": "k-1"}))[1]["data"]["refundCreate"]
    again = (await post(fake_shopify, REFUND, {"input": refund, "key": "k-1"}))[1]["data"]["refundCreate"]
    assert first == again and first["refund"]["totalRefundedSet"]["shopMoney"]["amount"] == "100.0"
    got = await order(fake_shopify, number)
    assert [t["kind"] for t in got["transactions"]] == ["SALE", "REFUND"]
    assert got["displayFinancialStatus"] == "PARTIALLY_REFUNDED"
    too_much = {**refund, "transactions": [{**refund["transactions"][0], "amount": "500.00"}]}
    body = (await post(fake_shopify, REFUND, {"input": too_much, "key": "k-2"}))[1]["data"]["refundCreate"]
    assert body["refund"] is None and body["userErrors"][0]["field"] == ["transactions"]


async def test_faults_drop_or_delay_the_answer_after_the_change(fake_shopify: FakeShopify, seeded: Seeded) -> None:
    fake_shopify.drop_next()
    with pytest.raises(aiohttp.ClientError):
        await post(fake_shopify, CANCEL, {"id": gid("Order", seeded.open_order.id)})
    assert (await order(fake_shopify, seeded.open_order.id))["cancelledAt"]
    fake_shopify.fail_next(502)
    assert (await post(fake_shopify, ORDER, {"id": gid("Order", seeded.open_order.id)}))[0] == 502
    fake_shopify.slow_next(1.0)
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(post(fake_shopify, ORDER, {"id": gid("Order", seeded.open_order.id)}), 0.2)


async def test_webhooks_are_signed_like_shopify_signs_them(fake_shopify: FakeShopify, seeded: Seeded) -> None:
    received: list[tuple[dict[str, str], bytes]] = []

    async def hook(request: web.Request) -> web.Response:
        received.append((dict(request.headers), await request.read()))
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_post("/hook", hook)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    url = f"http://127.0.0.1:{runner.addresses[0][1]}/hook"
    try:
        delivery = await send_webhook(url, "orders/updated", order_payload(fake_shopify.shop, seeded.delivered))
        await send_webhook(url, "customers/redact", privacy_payload("customers/redact", seeded.mei,
                                                                     [seeded.delivered]))
    finally:
        await runner.cleanup()
    assert delivery.status == 200
    (headers, body), (_, redact) = received
    digest = base64.b64encode(hmac.new(API_SECRET.encode(), body, hashlib.sha256).digest()).decode()
    assert headers["X-Shopify-Hmac-Sha256"] == digest and headers["X-Shopify-Topic"] == "orders/updated"
    assert headers["X-Shopify-Webhook-Id"] == delivery.webhook_id and headers["X-Shopify-API-Version"] == API_VERSION
    assert b'"admin_graphql_api_id": "gid://shopify/Order/' in body and b'"fulfillment_status": "fulfilled"' in body
    assert b'"orders_to_redact": [' in redact
