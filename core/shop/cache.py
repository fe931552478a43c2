"""Kefu's store as the cache of the shop's own system: what a backend reads is written here, keyed by
the shop's ids, so search, recommendations and order listings keep running on local data.

A cached order's id is the number the shopper sees (``ShopOrder.number``); its items keep their local
ids across refreshes (matched by the shop's line id), because a flow in progress names items by them."""
from __future__ import annotations

from typing import Any

from core.clock import utc_now_iso
from core.privacy import erased_customer
from core.shop.model import ShopCustomer, ShopOrder, ShopProduct
from core.store import Store

UNCATEGORISED = ("other", "其他", "Other")
"""Where products the shop puts in no category go: id, Chinese and English name."""


class ShopCache:
    """Writes what the shop says into the store."""

    def __init__(self, store: Store, source: str) -> None:
        self._store = store
        self._source = source

    def customer(self, customer: ShopCustomer) -> int:
        """Create or update the customer; returns the local id. A customer whose data was erased stays
        erased: their orders are linked to the anonymous record and nothing personal is written."""
        erased = erased_customer(self._store, customer.external_id)
        if erased is not None:
            return erased
        row: dict[str, Any] = {"external_id": customer.external_id}
        for key in ("email", "phone", "name", "zip"):
            value = getattr(customer, key)
            if value:
                row[key] = value.lower() if key == "email" else value
        if customer.address:
            row["address"] = customer.address
        return self._store.customers.upsert(row)

    def order(self, order: ShopOrder) -> str:
        """Create or replace the order with its items and payments; returns the local id."""
        customer_id = self.customer(order.customer)
        erased = erased_customer(self._store, order.customer.external_id) is not None
        local_id = order.number
        known = {item["external_id"]: item["id"] for item in self._stored_items(local_id) if item["external_id"]}
        latest = next((f for f in reversed(order.fulfilments) if f.tracking_number), None)
        delivered = next((f.delivered_at for f in reversed(order.fulfilments) if f.delivered_at), None)
        now = utc_now_iso()
        row = {"id": local_id, "customer_id": customer_id, "status": order.status,
               "created_at": order.created_at or now, "updated_at": order.updated_at or now,
               "address": None if erased else order.address, "carrier": latest.carrier if latest else None,
               "tracking_number": latest.tracking_number if latest and not erased else None,
               "expected_delivery": order.expected_delivery or delivered,
               "total_cents": order.total_cents, "currency": order.currency, "source": self._source,
               "external_id": order.external_id, "synced_at": now}
        items = [{**({"id": known[item.external_id]} if item.external_id in known else {}),
                  "external_id": item.external_id, "product_id": item.product_id, "variant_id": item.variant_id,
                  "name": item.name, "options": item.options, "quantity": item.quantity,
                  "price_cents": item.price_cents} for item in order.items]
        payments = [{"kind": p.kind, "amount_cents": p.amount_cents, "method": p.method,
                     "created_at": p.created_at or now} for p in order.payments]
        self._store.orders.upsert(row, items, payments)
        return local_id

    def product(self, product: ShopProduct) -> None:
        """Create or update the product and its variants (its category is created when new)."""
        category, name_zh, name_en = (product.category, product.category, product.category) if product.category \
            else UNCATEGORISED
        if self._store.catalog.category(category) is None:
            self._store.catalog.upsert_category(category, name_zh, name_en, sorted({category, name_zh, name_en}))
        title_zh = product.title.get("zh") or product.title.get("en") or product.external_id
        title_en = product.title.get("en") or title_zh
        row = {"id": product.external_id, "category": category, "title_zh": title_zh, "title_en": title_en,
               "description_zh": product.description.get("zh") or product.description.get("en"),
               "description_en": product.description.get("en") or product.description.get("zh"),
               "tags": list(product.tags), "image_url": product.image_url, "source": self._source}
        variants = [{"id": v.external_id, "sku": v.sku, "options": v.options, "price_cents": v.price_cents,
                     "currency": v.currency, "stock": v.stock, "available": int(v.available)}
                    for v in product.variants]
        self._store.catalog.upsert_product(row, variants)

    def withdraw_product(self, external_id: str) -> bool:
        """The shop no longer has this product: stop offering it. False when it was never cached."""
        return self._store.catalog.withdraw_product(external_id)

    def _stored_items(self, order_id: str) -> list[dict[str, Any]]:
        order = self._store.orders.get(order_id)
        return order["items"] if order else []
