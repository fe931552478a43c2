"""Products, their variants and categories."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sqlite_utils

from core.clock import utc_now_iso
from core.store.jsoncols import decode, loads
from core.store.rows import all_rows, first_row


@dataclass
class ProductQuery:
    """What a shopper asked for. Empty fields do not filter."""

    category: str | None = None
    options: dict[str, str] = field(default_factory=dict)  # e.g. {"color": "red", "size": "M"}
    terms: list[str] = field(default_factory=list)
    min_price_cents: int | None = None
    max_price_cents: int | None = None
    in_stock_only: bool = True


@dataclass
class ProductHit:
    """A product with the variants that satisfy the query."""

    product: dict[str, Any]
    variants: list[dict[str, Any]]

    @property
    def min_price_cents(self) -> int:
        return min(v["price_cents"] for v in self.variants)

    @property
    def currency(self) -> str:
        return self.variants[0]["currency"]


class Catalog:
    """Read and write the product catalogue."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self._db = db

    # -- writing -------------------------------------------------------------------------
    def upsert_category(self, category_id: str, name_zh: str, name_en: str, aliases: list[str]) -> None:
        """Create or update a category and the words shoppers use for it."""
        self._db["categories"].upsert(
            {"id": category_id, "name_zh": name_zh, "name_en": name_en, "aliases": aliases}, pk="id"
        )

    def upsert_product(self, product: dict[str, Any], variants: list[dict[str, Any]]) -> None:
        """Create or update a product and its variants in one transaction."""
        row = dict(product)
        row.setdefault("created_at", utc_now_iso())
        with self._db.atomic():
            self._db["products"].upsert(row, pk="id")
            for variant in variants:
                self._db["variants"].upsert({**variant, "product_id": product["id"]}, pk="id")

    def withdraw_product(self, product_id: str) -> bool:
        """Stop offering a product the shop deleted: its variants become unavailable (orders that name
        it keep their history). False when the product is not in the catalogue."""
        with self._db.atomic():
            if self.product(product_id) is None:
                return False
            self._db.execute("update variants set available = 0 where product_id = ?", [product_id])
        return True

    # -- reading -------------------------------------------------------------------------
    def categories(self) -> list[dict[str, Any]]:
        """Every category with its decoded aliases."""
        return [decode(r, "aliases") for r in all_rows(self._db, "select * from categories order by id")]

    def category(self, category_id: str) -> dict[str, Any] | None:
        """One category by id, or None."""
        return decode(first_row(self._db, "select * from categories where id = ?", [category_id]), "aliases")

    def product(self, product_id: str) -> dict[str, Any] | None:
        """One product by id, or None."""
        return decode(first_row(self._db, "select * from products where id = ?", [product_id]), "tags")

    def variants(self, product_id: str) -> list[dict[str, Any]]:
        """The product's variants, cheapest first."""
        rows = all_rows(self._db, "select * from variants where product_id = ? order by price_cents, id", [product_id])
        return [decode(r, "options") for r in rows]

    def variant(self, variant_id: str) -> dict[str, Any] | None:
        """One variant by id, or None."""
        return decode(first_row(self._db, "select * from variants where id = ?", [variant_id]), "options")

    def option_values(self, option: str) -> set[str]:
        """Every value one option (e.g. "color") takes in the catalogue, lower-cased."""
        sql = "select distinct lower(json_extract(options, ?)) from variants where json_extract(options, ?) is not null"
        path = f'$."{option}"'
        return {r[0] for r in self._db.execute(sql, [path, path]).fetchall()}

    def count(self) -> int:
        """How many products the shop has."""
        return self._db["products"].count

    def search(self, query: ProductQuery, limit: int = 50) -> list[ProductHit]:
        """Products matching the query, best text match first, then cheapest."""
        where, args = ["1 = 1"], []
        if query.category:
            where.append("p.category = ?")
            args.append(query.category)
        if query.in_stock_only:
            where.append("v.available = 1 and v.stock > 0")
        if query.min_price_cents is not None:
            where.append("v.price_cents >= ?")
            args.append(query.min_price_cents)
        if query.max_price_cents is not None:
            where.append("v.price_cents <= ?")
            args.append(query.max_price_cents)
        for option, value in query.options.items():
            where.append("lower(json_extract(v.options, ?)) = ?")
            args.extend([f'$."{option}"', value.lower()])
        sql = (
            "select p.*, v.id as v_id, v.sku as v_sku, v.options as v_options, v.price_cents as v_price, "
            "v.currency as v_currency, v.stock as v_stock, v.available as v_available "
            "from products p join variants v on v.product_id = p.id where "
            + " and ".join(where) + " order by v.price_cents, v.id"
        )
        hits: dict[str, ProductHit] = {}
        for row in all_rows(self._db, sql, args):
            product_id = row["id"]
            if product_id not in hits:
                product = {k: v for k, v in row.items() if not k.startswith("v_")}
                hits[product_id] = ProductHit(decode(product, "tags"), [])
            hits[product_id].variants.append(
                {"id": row["v_id"], "sku": row["v_sku"], "options": loads(row["v_options"]),
                 "price_cents": row["v_price"], "currency": row["v_currency"], "stock": row["v_stock"],
                 "available": row["v_available"], "product_id": product_id}
            )
        ranked = sorted(hits.values(), key=lambda h: (-_term_score(h.product, query.terms), h.min_price_cents))
        if query.terms:
            ranked = [h for h in ranked if _term_score(h.product, query.terms) > 0] or (ranked if query.category else [])
        return ranked[:limit]


def _term_score(product: dict[str, Any], terms: list[str]) -> int:
    """How many of the terms appear in the product's titles, tags or descriptions."""
    if not terms:
        return 0
    haystack = " ".join(
        str(product.get(k) or "") for k in ("title_zh", "title_en", "description_zh", "description_en", "brand")
    ).lower() + " " + " ".join(product.get("tags") or []).lower()
    return sum(1 for term in terms if term.lower() in haystack)
