"""Importing products with their variants (Kefu product JSON; Shopify and tau-retail adapters
produce the same records).

A product whose category is not in the catalogue creates it (named after ``category_zh`` /
``category_en`` when the record has them, else after the id). Variants no longer in the record
are removed, so the stored product always matches the file."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from core.importing import fields as f
from core.importing import lookups
from core.importing.categories import category_row
from core.importing.errors import RecordError
from core.importing.runner import ImportContext, KindSpec, State

PRODUCT_FIELDS = ("id", "category", "title_zh", "title_en", "description_zh", "description_en",
                  "tags", "brand", "image_url", "consumable", "source")
VARIANT_FIELDS = ("id", "sku", "options", "price_cents", "currency", "stock", "available")


def normalise(ctx: ImportContext, record: Mapping[str, Any]) -> State:
    """Desired state: the product row, its variants (sorted by id) and a category to create."""
    product_id = f.text(record, "id", required=True)
    title_zh, title_en = f.text(record, "title_zh"), f.text(record, "title_en")
    if not (title_zh or title_en):
        raise RecordError("title_zh or title_en is required")
    category = f.text(record, "category", required=True)
    product = {
        "id": product_id, "category": category,
        "title_zh": title_zh or title_en, "title_en": title_en or title_zh,
        "description_zh": f.text(record, "description_zh"),
        "description_en": f.text(record, "description_en"),
        "tags": f.string_list(record, "tags"), "brand": f.text(record, "brand"),
        "image_url": f.text(record, "image_url"),
        "consumable": int(f.boolean(record, "consumable")),
        "source": f.text(record, "source") or "import",
    }
    variants = _variants(ctx, product_id, record)
    new_category = None
    if not lookups.category_exists(ctx.store, category):
        new_category = category_row(category, f.text(record, "category_zh"),
                                    f.text(record, "category_en"))
    return {"product": product, "variants": variants, "new_category": new_category}


def _variants(ctx: ImportContext, product_id: str, record: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Validated variants sorted by id; each must have a price and an id unique to this product."""
    variants = f.children(record, "variants", "variant",
                          lambda number, raw: _variant(ctx, product_id, number, raw), required=True)
    ids = [v["id"] for v in variants]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise RecordError(f"variant id {duplicates[0]!r} appears more than once")
    for variant_id, owner in lookups.variant_owners(ctx.store, ids).items():
        if owner != product_id:
            raise RecordError(f"variant id {variant_id!r} already belongs to product {owner!r}")
    return sorted(variants, key=lambda v: v["id"])


def _variant(ctx: ImportContext, product_id: str, number: int,
             raw: Mapping[str, Any]) -> dict[str, Any]:
    """One validated variant row; ``available`` is the explicit flag, else ``stock > 0``."""
    sku = f.text(raw, "sku")
    stock = f.integer(raw, "stock", default=0)
    available = f.boolean(raw, "available", default=None)
    return {
        "id": f.text(raw, "id") or sku or f"{product_id}-{number}",
        "sku": sku,
        "options": f.str_mapping(raw, "options"),
        "price_cents": f.cents(raw, "price"),
        "currency": f.currency(raw, "currency", ctx.default_currency),
        "stock": stock,
        "available": int(stock > 0 if available is None else available),
    }


def current(ctx: ImportContext, desired: State) -> State | None:
    """The stored product in the desired state's shape, or None when it is new."""
    product_id = desired["product"]["id"]
    stored = ctx.store.catalog.product(product_id)
    if stored is None:
        return None
    variants = [{k: v.get(k) for k in VARIANT_FIELDS} for v in ctx.store.catalog.variants(product_id)]
    return {"product": {k: stored.get(k) for k in PRODUCT_FIELDS},
            "variants": sorted(variants, key=lambda v: v["id"]), "new_category": None}


def write(ctx: ImportContext, desired: State) -> None:
    """Create the category if needed, upsert the product and variants, drop stale variants."""
    category = desired["new_category"]
    if category:
        ctx.store.catalog.upsert_category(category["id"], category["name_zh"],
                                          category["name_en"], category["aliases"])
    product = dict(desired["product"])
    stored = ctx.store.catalog.product(product["id"])
    if stored and stored.get("created_at"):
        product["created_at"] = stored["created_at"]
    ctx.store.catalog.upsert_product(product, desired["variants"])
    keep = [v["id"] for v in desired["variants"]]
    ctx.store.db.execute(
        f"delete from variants where product_id = ? and id not in ({','.join('?' * len(keep))})",
        [product["id"], *keep])


SPEC = KindSpec("products", normalise, current, write, key=lambda state: state["product"]["id"])
