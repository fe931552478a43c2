"""Shopify's webhooks on Kefu's web server: ``POST /shopify/webhooks`` for every subscribed topic.

Each delivery is checked before anything is read from it: ``X-Shopify-Hmac-Sha256`` must be the
base64 HMAC-SHA256 of the raw body keyed with the app's client secret (compared byte-safe in
constant time; 401 otherwise), from the configured shop, with a topic and a webhook id (400
otherwise), a JSON object of at most :data:`MAX_BODY_BYTES` (413 / 400). A webhook id already handled
is answered 200 and not handled again (Shopify redelivers until it gets a 2xx).

What each topic does: orders/create, orders/updated, orders/cancelled and fulfillments/create,
fulfillments/update re-read that order into the cache; products/create, products/update and
inventory_levels/update re-read that product; products/delete re-reads it too, and a product Shopify
no longer has is no longer offered. The mandatory privacy topics call Kefu's own
privacy code: customers/data_request exports what Kefu holds about the customer into a file for the
shop owner (``<database folder>/privacy-requests/``), customers/redact erases the customer,
shop/redact erases every customer that came from Shopify. When Shopify cannot be read the answer
is 503, so Shopify delivers again later; a refusal is never a 500."""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import os
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from aiohttp import web

from adapters.credentials import same_secret
from adapters.shops.shopify.backend import ShopifyShop
from core.privacy import erase_customer_data, export_customer_data
from core.shop.port import ShopError
from core.shop.sync import ShopSync
from core.store import Store

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/shopify/webhooks"
MAX_BODY_BYTES = 1024 * 1024
ACTOR = "shopify"


def signature(body: bytes, secret: str) -> str:
    """What Shopify sends in ``X-Shopify-Hmac-Sha256`` for ``body``."""
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


class ShopifyWebhooks:
    """The webhook route, bound to the store, the sync and the app's client secret."""

    def __init__(self, store: Store, shop: ShopifyShop, secret: str, shop_domain: str, exports: Path) -> None:
        if not secret:
            raise ValueError("Shopify webhooks need the app's client secret (SHOPIFY_API_SECRET)")
        self._store = store
        self._shop = shop
        self._sync = ShopSync(store, shop)
        self._secret = secret
        self._domain = shop_domain.strip().lower()
        self._exports = exports
        self._log = store.handled_once(ACTOR)
        self._topics: dict[str, Callable[[dict[str, Any]], Awaitable[None]]] = {
            "orders/create": self._order, "orders/updated": self._order, "orders/cancelled": self._order,
            "fulfillments/create": self._fulfilment, "fulfillments/update": self._fulfilment,
            "products/create": self._product, "products/update": self._product,
            "products/delete": self._product_deleted,
            "inventory_levels/update": self._inventory,
            "customers/data_request": self._data_request, "customers/redact": self._redact,
            "shop/redact": self._shop_redact,
        }

    def routes(self) -> list[web.RouteDef]:
        """Routes for :meth:`adapters.web.WebChannel.add_routes`."""
        return [web.post(WEBHOOK_PATH, self._receive)]

    async def _receive(self, request: web.Request) -> web.Response:
        if request.content_length is not None and request.content_length > MAX_BODY_BYTES:
            return _answer(413, "too large")
        raw = await request.content.read(MAX_BODY_BYTES + 1)
        if len(raw) > MAX_BODY_BYTES:
            return _answer(413, "too large")
        if not same_secret(request.headers.get("X-Shopify-Hmac-Sha256"), signature(raw, self._secret)):
            log.warning("shopify webhook: wrong or missing signature, refused")
            return _answer(401, "bad signature")
        topic = request.headers.get("X-Shopify-Topic", "")
        webhook_id = request.headers.get("X-Shopify-Webhook-Id", "")
        if not topic or not webhook_id or len(webhook_id) > 100 or len(topic) > 100:
            return _answer(400, "topic and webhook id required")
        if request.headers.get("X-Shopify-Shop-Domain", "").lower() != self._domain:
            return _answer(400, "another shop")
        try:
            payload = json.loads(raw)
        except ValueError:
            payload = None
        if not isinstance(payload, dict):
            return _answer(400, "not a JSON object")
        handler = self._topics.get(topic)
        if handler is None:
            return _answer(200, "topic not used")
        if not self._log.claim(webhook_id):
            return _answer(200, "already handled")
        try:
            await handler(payload)
        except ShopError as exc:
            log.warning("shopify webhook %s: Shopify could not be read (%s); it will deliver again", topic, exc.reason)
            return _answer(503, "try again later")
        except (ValueError, LookupError) as exc:
            log.warning("shopify webhook %s: payload not usable (%s)", topic, exc)
            self._log.finish(webhook_id)
            return _answer(400, "payload not usable")
        self._log.finish(webhook_id)
        return _answer(200, "ok")

    # -- sync topics ---------------------------------------------------------------------------
    async def _order(self, payload: dict[str, Any]) -> None:
        await self._sync.refresh_order(_gid(payload.get("admin_graphql_api_id"), "Order"))

    async def _fulfilment(self, payload: dict[str, Any]) -> None:
        await self._sync.refresh_order(_gid_of_number(payload.get("order_id"), "Order"))

    async def _product(self, payload: dict[str, Any]) -> None:
        await self._sync.refresh_product(_gid(payload.get("admin_graphql_api_id"), "Product"))

    async def _product_deleted(self, payload: dict[str, Any]) -> None:
        await self._sync.refresh_product(_gid_of_number(payload.get("id"), "Product"))

    async def _inventory(self, payload: dict[str, Any]) -> None:
        product = await self._shop.product_of(_gid_of_number(payload.get("inventory_item_id"), "InventoryItem"))
        if product is not None:
            await self._sync.refresh_product(product)

    # -- privacy topics ------------------------------------------------------------------------
    async def _data_request(self, payload: dict[str, Any]) -> None:
        request = payload.get("data_request")
        request_id = request.get("id") if isinstance(request, dict) else None
        if not isinstance(request_id, int) or isinstance(request_id, bool):
            raise ValueError("data_request.id missing")
        documents = [export_customer_data(self._store, cid, ACTOR) for cid in self._customers(payload)]
        self._exports.mkdir(parents=True, exist_ok=True)
        path = self._exports / f"shopify-data-request-{request_id}.json"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump({"shopify_data_request": request_id, "customers": documents}, out, ensure_ascii=False,
                      default=str, indent=1)
        self._store.audit.record(ACTOR, "privacy.shopify_data_request", f"data_request:{request_id}",
                                 {"customers": len(documents), "file": path.name})
        log.info("shopify data request %s: %d customer record(s) written to %s", request_id, len(documents), path)

    async def _redact(self, payload: dict[str, Any]) -> None:
        for customer_id in self._customers(payload):
            erase_customer_data(self._store, customer_id, ACTOR)

    async def _shop_redact(self, _payload: dict[str, Any]) -> None:
        customer_ids = self._store.customers.ids_with_external_prefix("gid://shopify/Customer/", "guest:")
        for customer_id in customer_ids:
            erase_customer_data(self._store, customer_id, ACTOR)
        log.info("shopify shop/redact: %d customer(s) erased", len(customer_ids))

    def _customers(self, payload: dict[str, Any]) -> list[int]:
        """Kefu's customers the privacy request is about: by Shopify customer id, and as a guest by email."""
        customer = payload.get("customer")
        if not isinstance(customer, dict):
            raise ValueError("customer missing")
        keys = [_gid_of_number(customer.get("id"), "Customer")]
        email = customer.get("email")
        if isinstance(email, str) and email.strip():
            keys.append(f"guest:{email.strip().lower()}")
        found = [self._store.customers.by_external_id(key) for key in keys]
        return sorted({row["id"] for row in found if row})


def _gid(value: Any, kind: str) -> str:
    if not isinstance(value, str) or not value.startswith(f"gid://shopify/{kind}/") or len(value) > 100:
        raise ValueError(f"no {kind} id")
    return value


def _gid_of_number(value: Any, kind: str) -> str:
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        raise ValueError(f"no {kind} id")
    return f"gid://shopify/{kind}/{value}"


def _answer(status: int, text: str) -> web.Response:
    return web.Response(status=status, text=text)
