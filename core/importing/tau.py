"""Adapter for the tau-bench retail shop (``products.json``, ``users.json``, ``orders.json``):
each file is one JSON object keyed by id; each member becomes one Kefu record whose
"line number" is reported together with its key.

tau-retail has no Chinese text, no categories, no order dates and no stock counts, so:
the product name is both titles and (slugified) the category; prices are USD; stock is 1 when
the item is available, else 0; every order is dated :data:`TAU_ORDER_TIME`."""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from core.importing.errors import FileError, RecordError
from core.importing.fields import slug
from core.importing.readers import SourceRow

TAU_KINDS = ("products", "customers", "orders")
TAU_CURRENCY = "USD"
TAU_ORDER_TIME = "2024-01-01T00:00:00+00:00"  # tau orders carry no date; a fixed placeholder
SOURCE = "tau-retail"


def tau_kind(sample: Any) -> str | None:
    """Which tau file a member record comes from ("products", "customers", "orders"), or None."""
    if not isinstance(sample, Mapping):
        return None
    if isinstance(sample.get("variants"), Mapping) and "name" in sample:
        return "products"
    if isinstance(sample.get("name"), Mapping) and "first_name" in sample["name"]:
        return "customers"
    if "order_id" in sample and "items" in sample:
        return "orders"
    return None


def looks_like_tau(document: Any) -> str | None:
    """The tau kind of a whole parsed file (an object of records keyed by id), or None."""
    if isinstance(document, Mapping) and document:
        return tau_kind(next(iter(document.values())))
    return None


def tau_records(kind: str, rows: Iterator[SourceRow]) -> Iterator[SourceRow]:
    """Kefu records of ``kind`` from the members of a tau file."""
    if kind not in TAU_KINDS:
        raise FileError(f"tau-retail has no {kind} file (it has {', '.join(TAU_KINDS)}; "
                        "categories come from product names)")
    convert = {"products": product, "customers": customer, "orders": order}[kind]
    for row in rows:
        try:
            found = tau_kind(row.record)
            if found != kind:
                raise RecordError(f"not a tau {kind} record"
                                  + (f" (it looks like tau {found})" if found else ""))
            yield SourceRow(row.line, convert(row.key, row.record), row.key)
        except (RecordError, KeyError, TypeError, AttributeError) as exc:
            reason = exc if isinstance(exc, RecordError) else f"unexpected tau shape: {exc!r}"
            yield SourceRow(row.line, RecordError(str(reason)), row.key)


def product(key: str, raw: Mapping[str, Any]) -> dict[str, Any]:
    """A tau product: name -> titles and category; item_id -> variant id and SKU."""
    name = raw["name"]
    return {
        "id": raw.get("product_id") or key, "title_en": name, "title_zh": name,
        "category": slug(name), "category_en": name, "category_zh": name,
        "source": SOURCE,
        "variants": [{"id": item_id, "sku": item_id, "options": v.get("options") or {},
                      "price": str(v["price"]), "currency": TAU_CURRENCY,
                      "stock": 1 if v.get("available") else 0,
                      "available": bool(v.get("available"))}
                     for item_id, v in raw["variants"].items()],
    }


def customer(key: str, raw: Mapping[str, Any]) -> dict[str, Any]:
    """A tau user: user id -> external id; payment methods and order lists are not kept."""
    name = raw["name"]
    address = raw.get("address") or {}
    return {
        "id": key, "name": " ".join(p for p in (name.get("first_name"), name.get("last_name")) if p),
        "email": raw.get("email"), "zip": address.get("zip"), "address": address,
        "language": "en",
    }


def order(key: str, raw: Mapping[str, Any]) -> dict[str, Any]:
    """A tau order: one item per unit (merged into quantities on import), tracking numbers from
    the fulfillments, payment history as payments and refunds."""
    tracking = [t for f in raw.get("fulfillments") or [] for t in f.get("tracking_id") or []]
    return {
        "id": raw.get("order_id") or key, "customer_id": raw["user_id"], "status": raw["status"],
        "created_at": TAU_ORDER_TIME, "address": raw.get("address"), "currency": TAU_CURRENCY,
        "tracking_number": ",".join(dict.fromkeys(tracking)) or None, "source": SOURCE,
        "items": [{"product_id": i["product_id"], "variant_id": i["item_id"], "name": i["name"],
                   "options": i.get("options") or {}, "quantity": 1, "price": str(i["price"])}
                  for i in raw["items"]],
        "payments": [{"kind": p["transaction_type"], "amount": str(p["amount"]),
                      "method": p.get("payment_method_id")} for p in raw.get("payment_history") or []],
    }
