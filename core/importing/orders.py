"""Importing orders with their items and payments.

The customer (by external id), every item's product and any given variant must already be in
the store. Items of the same product and variant are merged (quantities add up). Each order
also records one "purchase" event per product for its customer at the order's time."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from core.importing import fields as f
from core.importing import lookups
from core.importing.errors import RecordError
from core.importing.runner import ImportContext, KindSpec, State
from core.store import ORDER_STATUSES

ORDER_FIELDS = ("id", "customer_id", "status", "created_at", "updated_at", "address", "carrier",
                "tracking_number", "expected_delivery", "total_cents", "currency", "source")
ITEM_FIELDS = ("product_id", "variant_id", "name", "options", "quantity", "price_cents")
PAYMENT_FIELDS = ("kind", "amount_cents", "method", "created_at")
_STATUS_ALIASES = {"canceled": "cancelled"}


def normalise(ctx: ImportContext, record: Mapping[str, Any]) -> State:
    """Desired state: the order row, its items and payments, and the purchase events."""
    order_id = f.text(record, "id", required=True)
    external_id = f.text(record, "customer_id", required=True)
    customer = ctx.store.customers.by_external_id(external_id)
    if customer is None:
        raise RecordError(f"customer_id {external_id!r} is not a known customer "
                          "(import customers first)")
    created_at = f.timestamp(record, "created_at", required=True)
    items = _merged(f.children(record, "items", "item", lambda _, raw: _item(ctx, raw),
                               required=True))
    order = {
        "id": order_id, "customer_id": customer["id"], "status": status(record),
        "created_at": created_at, "updated_at": f.timestamp(record, "updated_at") or created_at,
        "address": f.mapping(record, "address"), "carrier": f.text(record, "carrier"),
        "tracking_number": f.text(record, "tracking_number"),
        "expected_delivery": f.text(record, "expected_delivery"),
        "total_cents": sum(i["price_cents"] * i["quantity"] for i in items),
        "currency": f.currency(record, "currency", ctx.default_currency),
        "source": f.text(record, "source") or "import",
    }
    events = sorted({i["product_id"]: i["variant_id"] for i in reversed(items)}.items())
    return {"order": order, "items": items,
            "payments": f.children(record, "payments", "payment", _payment), "events": events}


def status(record: Mapping[str, Any]) -> str:
    """The order status in the store's vocabulary ("Return requested" -> "return_requested")."""
    raw = f.text(record, "status", required=True)
    value = raw.lower().replace("-", "_").replace(" ", "_")
    value = _STATUS_ALIASES.get(value, value)
    if value not in ORDER_STATUSES:
        raise RecordError(f"status: {raw!r} is not one of {', '.join(ORDER_STATUSES)}")
    return value


def _merged(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Items of the same product and variant as one item (quantities added), first-seen order."""
    merged: dict[tuple[str, str | None], dict[str, Any]] = {}
    for item in items:
        key = (item["product_id"], item["variant_id"])
        if key not in merged:
            merged[key] = item
        elif merged[key]["price_cents"] != item["price_cents"]:
            raise RecordError(f"product {key[0]!r} variant {key[1]!r} appears twice "
                              "with different prices")
        else:
            merged[key]["quantity"] += item["quantity"]
    return list(merged.values())


def _item(ctx: ImportContext, raw: Mapping[str, Any]) -> dict[str, Any]:
    """One item; the name, options and price default to the catalogue's."""
    product_id = f.text(raw, "product_id", required=True)
    product = ctx.store.catalog.product(product_id)
    if product is None:
        raise RecordError(f"product {product_id!r} is not in the catalogue (import products first)")
    variant_id = f.text(raw, "variant_id")
    variant = ctx.store.catalog.variant(variant_id) if variant_id else None
    if variant_id and (variant is None or variant["product_id"] != product_id):
        raise RecordError(f"variant {variant_id!r} is not a variant of product {product_id!r}")
    price = f.cents(raw, "price", required=variant is None)
    return {
        "product_id": product_id, "variant_id": variant_id,
        "name": f.text(raw, "name") or product["title_en"] or product["title_zh"],
        "options": f.str_mapping(raw, "options") or (variant["options"] if variant else {}),
        "quantity": f.integer(raw, "quantity", default=1, minimum=1),
        "price_cents": variant["price_cents"] if price is None else price,
    }


def _payment(number: int, raw: Mapping[str, Any]) -> dict[str, Any]:
    """One payment or refund."""
    return {"kind": f.text(raw, "kind") or "payment", "amount_cents": f.cents(raw, "amount"),
            "method": f.text(raw, "method"), "created_at": f.timestamp(raw, "at")}


def current(ctx: ImportContext, desired: State) -> State | None:
    """The stored order in the desired state's shape, or None when it is new."""
    stored = ctx.store.orders.get(desired["order"]["id"])
    if stored is None:
        return None
    order = desired["order"]
    recorded = lookups.stored_events(ctx.store, order["customer_id"])
    return {
        "order": {k: stored.get(k) for k in ORDER_FIELDS},
        "items": [{k: i.get(k) for k in ITEM_FIELDS} for i in stored["items"]],
        "payments": [{k: p.get(k) for k in PAYMENT_FIELDS} for p in stored["payments"]],
        "events": [e for e in desired["events"]
                   if ("purchase", e[0], order["created_at"]) in recorded],
    }


def write(ctx: ImportContext, desired: State) -> None:
    """Replace the order, items and payments; record the purchase events."""
    order = desired["order"]
    ctx.store.orders.upsert(order, desired["items"], desired["payments"])
    for product_id, variant_id in desired["events"]:
        ctx.store.events.record(order["customer_id"], "purchase", product_id, variant_id,
                                order["created_at"])


SPEC = KindSpec("orders", normalise, current, write, key=lambda state: state["order"]["id"])
