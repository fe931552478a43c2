"""Shopify webhooks for Kefu, as Shopify sends them: a POST of REST-shaped JSON with
``X-Shopify-Topic``, ``X-Shopify-Hmac-Sha256`` (base64 HMAC-SHA256 of the raw body keyed with the
app's client secret), ``X-Shopify-Shop-Domain``, ``X-Shopify-Webhook-Id``, ``X-Shopify-Event-Id``,
``X-Shopify-Triggered-At`` and ``X-Shopify-API-Version``.

Payload builders for the topics Kefu subscribes to: orders/create, orders/updated, orders/cancelled
(:func:`order_payload`), fulfillments/create (:func:`fulfillment_payload`), products/update
(:func:`product_payload`), inventory_levels/update (:func:`inventory_payload`), and the mandatory
privacy topics customers/data_request, customers/redact, shop/redact (:func:`privacy_payload`)."""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import uuid
from dataclasses import dataclass
from typing import Any

import aiohttp

from tests.fakes.shopify import API_VERSION
from tests.fakes.shopify_shop import (
    SHOP_DOMAIN,
    Customer,
    Fulfillment,
    Order,
    Product,
    Shop,
    Variant,
    decimal,
    gid,
    inventory_item_id,
    now,
)

API_SECRET = "kefu-test-shopify-client-secret"
SHOP_ID = 548380009
LOCATION_ID = 655441491


@dataclass
class Delivery:
    """What Kefu answered to one webhook."""

    status: int
    text: str
    webhook_id: str


def sign(body: bytes, secret: str = API_SECRET) -> str:
    """``X-Shopify-Hmac-Sha256`` for ``body``."""
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


async def send_webhook(url: str, topic: str, payload: dict[str, Any] | None = None, *, body: bytes | None = None,
                       secret: str = API_SECRET, webhook_id: str | None = None,
                       headers: dict[str, str] | None = None) -> Delivery:
    """POST one webhook to ``url``; ``body`` sends those bytes instead of ``payload``, ``headers`` override."""
    raw = body if body is not None else json.dumps(payload, ensure_ascii=False).encode()
    webhook_id = webhook_id or str(uuid.uuid4())
    sent = {"Content-Type": "application/json", "X-Shopify-Topic": topic, "X-Shopify-Hmac-Sha256": sign(raw, secret),
            "X-Shopify-Shop-Domain": SHOP_DOMAIN, "X-Shopify-Webhook-Id": webhook_id,
            "X-Shopify-Event-Id": str(uuid.uuid4()), "X-Shopify-Triggered-At": now(),
            "X-Shopify-API-Version": API_VERSION, **(headers or {})}
    async with aiohttp.ClientSession() as session, session.post(url, data=raw, headers=sent) as response:
        return Delivery(response.status, await response.text(), webhook_id)


def _address(address: dict[str, Any] | None) -> dict[str, Any] | None:
    if address is None:
        return None
    return {"first_name": address.get("firstName"), "last_name": address.get("lastName"),
            "address1": address.get("address1"), "address2": address.get("address2"), "city": address.get("city"),
            "province": address.get("province"), "province_code": address.get("provinceCode"),
            "zip": address.get("zip"), "country": address.get("country"),
            "country_code": address.get("countryCodeV2"), "phone": address.get("phone"),
            "company": address.get("company")}


def _customer(shop: Shop, customer_id: int | None) -> dict[str, Any] | None:
    customer: Customer | None = shop.customers.get(customer_id) if customer_id else None
    if customer is None:
        return None
    return {"id": customer.id, "admin_graphql_api_id": gid("Customer", customer.id), "email": customer.email,
            "phone": customer.phone, "first_name": customer.first_name, "last_name": customer.last_name}


def order_payload(shop: Shop, order: Order) -> dict[str, Any]:
    """The body of orders/create, orders/updated and orders/cancelled."""
    status = order.fulfillment_status()
    return {
        "id": order.id, "admin_graphql_api_id": gid("Order", order.id), "name": order.name,
        "order_number": int(order.name.lstrip("#")), "email": order.email, "contact_email": order.email,
        "created_at": order.created_at, "updated_at": order.updated_at, "cancelled_at": order.cancelled_at,
        "cancel_reason": (order.cancel_reason or "").lower() or None, "closed_at": order.closed_at,
        "currency": order.currency, "total_price": decimal(order.total),
        "financial_status": order.financial_status().lower(),
        "fulfillment_status": {"UNFULFILLED": None, "FULFILLED": "fulfilled"}.get(status, "partial"),
        "customer": _customer(shop, order.customer_id), "shipping_address": _address(order.address),
        "line_items": [{"id": line.id, "admin_graphql_api_id": gid("LineItem", line.id),
                        "variant_id": line.variant_id, "title": line.title, "variant_title": line.variant_title,
                        "quantity": line.quantity, "price": decimal(line.price)} for line in order.lines],
        "fulfillments": [fulfillment_payload(order, f) for f in order.fulfillments],
    }


def fulfillment_payload(order: Order, done: Fulfillment) -> dict[str, Any]:
    """The body of fulfillments/create."""
    return {"id": done.id, "admin_graphql_api_id": gid("Fulfillment", done.id), "order_id": order.id,
            "status": done.status.lower(), "created_at": done.created_at, "updated_at": done.created_at,
            "tracking_company": done.company, "tracking_number": done.number,
            "tracking_numbers": [done.number] if done.number else [], "tracking_url": done.url,
            "tracking_urls": [done.url] if done.url else [], "shipment_status": None,
            "line_items": [{"id": lid, "quantity": q} for _, lid, q in done.lines]}


def product_payload(product: Product) -> dict[str, Any]:
    """The body of products/update."""
    return {"id": product.id, "admin_graphql_api_id": gid("Product", product.id), "title": product.title,
            "handle": product.handle, "body_html": product.description, "status": "active",
            "updated_at": product.updated_at,
            "options": [{"name": n, "values": v} for n, v in product.options],
            "variants": [{"id": v.id, "admin_graphql_api_id": gid("ProductVariant", v.id), "product_id": product.id,
                          "title": v.title, "price": decimal(v.price), "sku": v.sku,
                          "inventory_quantity": v.inventory, "inventory_item_id": inventory_item_id(v)}
                         for v in product.variants]}


def inventory_payload(variant: Variant) -> dict[str, Any]:
    """The body of inventory_levels/update."""
    item = inventory_item_id(variant)
    return {"inventory_item_id": item, "location_id": LOCATION_ID, "available": variant.inventory,
            "updated_at": now(),
            "admin_graphql_api_id": f"gid://shopify/InventoryLevel/{LOCATION_ID}?inventory_item_id={item}"}


def privacy_payload(topic: str, customer: Customer | None = None, orders: list[Order] | None = None) -> dict[str, Any]:
    """The body of customers/data_request, customers/redact or shop/redact."""
    body: dict[str, Any] = {"shop_id": SHOP_ID, "shop_domain": SHOP_DOMAIN}
    if topic == "shop/redact":
        return body
    if customer is None:
        raise ValueError(f"{topic} is about a customer")
    body["customer"] = {"id": customer.id, "email": customer.email, "phone": customer.phone}
    order_ids = [o.id for o in orders or []]
    if topic == "customers/data_request":
        body.update(orders_requested=order_ids, data_request={"id": 9999})
    else:
        body["orders_to_redact"] = order_ids
    return body
