"""The final check against the live store: a pick is shown only with variants that satisfy the
query right now (stock may have changed since the index was built)."""
from __future__ import annotations

from core.recommend.constraints import variant_matches
from core.store import ProductHit, ProductQuery, Store
from core.store.jsoncols import loads

_PRODUCT_SQL = "select * from products where id = ?"
_VARIANTS_SQL = ("select id, sku, options, price_cents, currency, stock, available, product_id from variants "
                 "where product_id = ? order by price_cents, id")
_VARIANT_COLUMNS = ("id", "sku", "options", "price_cents", "currency", "stock", "available", "product_id")


def live_hit(store: Store, product_id: str, query: ProductQuery) -> ProductHit | None:
    """The product with its variants matching ``query`` now, or None when none does."""
    cursor = store.db.execute(_PRODUCT_SQL, [product_id])
    row = cursor.fetchone()
    if row is None:
        return None
    product = dict(zip([c[0] for c in cursor.description], row))
    product["tags"] = loads(product.get("tags"), [])
    variants = []
    for values in store.db.execute(_VARIANTS_SQL, [product_id]).fetchall():
        variant = dict(zip(_VARIANT_COLUMNS, values))
        variant["options"] = loads(variant["options"], {})
        if variant_matches(variant, query):
            variants.append(variant)
    return ProductHit(product, variants) if variants else None


def titles(store: Store, product_id: str) -> dict[str, str]:
    """{"zh": …, "en": …} title of a product (its id when it is gone)."""
    row = store.db.execute("select title_zh, title_en from products where id = ?", [product_id]).fetchone()
    if row is None:
        return {"zh": product_id, "en": product_id}
    return {"zh": row[0] or row[1] or product_id, "en": row[1] or row[0] or product_id}
