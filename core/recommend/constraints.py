"""The conversation's constraints (category, colour, size, other options, price range, stock,
words) applied to the index (vectorised) and to live variants (for the final picks)."""
from __future__ import annotations

from typing import Any

import numpy as np

from core.recommend.snapshot import CatalogArrays
from core.recommend.stock import sellable
from core.store import ProductQuery


def allowed_products(catalog: CatalogArrays, query: ProductQuery, product_in_stock: np.ndarray) -> np.ndarray:
    """Boolean mask of products with at least one variant satisfying ``query`` (terms aside)."""
    if query.category is not None:
        code = catalog.categories.index(query.category) if query.category in catalog.categories else -1
        by_category = catalog.category == code
    else:
        by_category = np.ones(catalog.size, dtype=bool)
    if not (query.options or query.min_price_cents is not None or query.max_price_cents is not None):
        return by_category & product_in_stock if query.in_stock_only else by_category
    variants = catalog.var_in_stock.copy() if query.in_stock_only else np.ones(len(catalog.var_product), dtype=bool)
    if query.min_price_cents is not None:
        variants &= catalog.var_price >= query.min_price_cents
    if query.max_price_cents is not None:
        variants &= catalog.var_price <= query.max_price_cents
    for option, value in query.options.items():
        code = catalog.option_values.get(option, {}).get(str(value).lower())
        if code is None:
            return np.zeros(catalog.size, dtype=bool)
        variants &= catalog.var_options[option] == code
    products = np.zeros(catalog.size, dtype=bool)
    products[catalog.var_product[variants]] = True
    return products & by_category


def matches_terms(search_text: str, terms: list[str]) -> bool:
    """True when any of the words occurs in the product's text (no words: always)."""
    return not terms or any(term.lower() in search_text for term in terms)


def variant_matches(variant: dict[str, Any], query: ProductQuery) -> bool:
    """Whether one live variant satisfies the query's stock, price and option constraints."""
    if query.in_stock_only and not sellable(variant):
        return False
    if query.min_price_cents is not None and variant["price_cents"] < query.min_price_cents:
        return False
    if query.max_price_cents is not None and variant["price_cents"] > query.max_price_cents:
        return False
    options = variant.get("options") or {}
    return all(str(options.get(k, "")).lower() == str(v).lower() for k, v in query.options.items())
