"""Read-only questions the validators ask the store (does this product exist? …)."""
from __future__ import annotations

from collections.abc import Iterable

from core.store import Store

EventKey = tuple[str, str, str]  # (kind, product_id, created_at): what the store keeps once


def category_exists(store: Store, category_id: str) -> bool:
    """True when the category is in the catalogue."""
    return store.db.execute("select 1 from categories where id = ?", [category_id]).fetchone() is not None


def product_exists(store: Store, product_id: str) -> bool:
    """True when the product is in the catalogue."""
    return store.db.execute("select 1 from products where id = ?", [product_id]).fetchone() is not None


def variant_owners(store: Store, variant_ids: Iterable[str]) -> dict[str, str]:
    """variant id -> the product it belongs to, for those of ``variant_ids`` that exist."""
    ids = list(variant_ids)
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    rows = store.db.execute(f"select id, product_id from variants where id in ({marks})", ids)
    return dict(rows.fetchall())


def stored_events(store: Store, customer_id: int) -> set[EventKey]:
    """Every (kind, product, time) recorded for the customer."""
    rows = store.db.execute(
        "select kind, product_id, created_at from events where customer_id = ?", [customer_id])
    return {tuple(r) for r in rows.fetchall()}
