"""The ``local`` backend: Kefu's own store is the shop (the demo shop, or a shop imported with
``kefu import``). Every change the shop port supports is made by writing the store, which the engine
does in the same transaction as the change's audit entry (``keeps_orders_in_store``), so nothing is
sent anywhere and nothing can be half done."""
from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from core.shop.model import (ShopCustomer, ShopFulfilment, ShopItem, ShopOrder, ShopPayment, ShopProduct,
                             ShopVariant)
from core.shop.port import ChangeOutcome, ShopBackend
from core.shop.requests import Capability, ShopRequest
from core.store import Store


class LocalShop(ShopBackend):
    """The store as the shop's system."""

    name = "local"
    capabilities = frozenset(Capability)
    keeps_orders_in_store = True

    def __init__(self, store: Store) -> None:
        self._store = store

    async def find_customer(self, email: str) -> ShopCustomer | None:
        """The stored customer with this email."""
        row = self._store.db.execute("select id from customers where lower(email) = lower(?) limit 1",
                                     [email.strip()]).fetchone()
        customer = self._store.customers.get(row[0]) if row else None
        return _customer(customer) if customer else None

    async def order(self, external_id: str) -> ShopOrder | None:
        """The stored order (its id is the external id here)."""
        order = self._store.orders.get(external_id)
        customer = self._store.customers.get(order["customer_id"]) if order else None
        return _order(order, customer) if order and customer else None

    async def product(self, external_id: str) -> ShopProduct | None:
        """The stored product (the store is the shop: nothing to refresh from)."""
        product = self._store.catalog.product(external_id)
        if product is None:
            return None
        variants = tuple(ShopVariant(v["id"], v["price_cents"], v["currency"], v["options"] or {}, v["sku"],
                                     v["stock"], bool(v["available"])) for v in self._store.catalog.variants(external_id))
        return ShopProduct(product["id"], {"zh": product["title_zh"], "en": product["title_en"]}, variants,
                           {"zh": product["description_zh"] or "", "en": product["description_en"] or ""},
                           product["category"], tuple(product["tags"] or ()), product["image_url"])

    async def orders(self, updated_since: str | None = None) -> AsyncIterator[ShopOrder]:
        """Nothing to sync: the store already is the shop."""
        for order in ():
            yield order

    async def products(self) -> AsyncIterator[ShopProduct]:
        """Nothing to sync: the store already is the shop."""
        for product in ():
            yield product

    async def apply(self, request: ShopRequest, idempotency_key: str) -> ChangeOutcome:
        """Nothing to send: the change is the store write the engine makes with its audit entry."""
        return ChangeOutcome()

    async def has_happened(self, request: ShopRequest) -> ChangeOutcome | None:
        """Never uncertain: a store write either committed or did not."""
        return None


def _customer(row: dict[str, Any]) -> ShopCustomer:
    return ShopCustomer(str(row["id"]), row.get("email"), row.get("phone"), row.get("name"), row.get("zip"),
                        row.get("address") if isinstance(row.get("address"), dict) else None)


def _order(order: dict[str, Any], customer: dict[str, Any]) -> ShopOrder:
    items = tuple(ShopItem(str(i["id"]), i["variant_id"], i["product_id"], i["name"], i["quantity"],
                           i["price_cents"], i["options"] or {}) for i in order["items"])
    payments = tuple(ShopPayment(p["kind"], p["amount_cents"] or 0, p["method"] or "", str(p["id"]), p["created_at"])
                     for p in order["payments"])
    fulfilments = (ShopFulfilment(order["carrier"], order["tracking_number"]),) if order["tracking_number"] else ()
    return ShopOrder(order["id"], order["id"], _customer(customer), order["status"], order["currency"] or "",
                     order["total_cents"] or 0, order["created_at"], order["updated_at"],
                     order["address"] if isinstance(order["address"], dict) else None, items, payments, fulfilments,
                     order["expected_delivery"])
