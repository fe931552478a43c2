"""The precomputed recommendation index: everything a request needs, built from the store in one
pass so that a request only does a few vector operations."""
from __future__ import annotations

import sys
import time
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from tqdm import tqdm

from core.recommend.content import content_neighbours
from core.recommend.cooccurrence import item_cosine, shopper_item_matrix
from core.recommend.popularity import popularity, trending
from core.recommend.rules import CompiledRules, ShopRules, compile_rules
from core.recommend.snapshot import KIND_CODE, CatalogArrays, EventLog, load_catalog, load_events
from core.recommend.sparse import nbytes
from core.store import Store

CONTENT_NEIGHBOURS = 20
COLLABORATIVE_NEIGHBOURS = 50


@dataclass
class RecommendationIndex:
    """Item-to-item matrices (N×N, top neighbours per row), per-product vectors and the catalogue."""

    catalog: CatalogArrays
    co_purchase: sp.csr_matrix
    co_view: sp.csr_matrix
    content: sp.csr_matrix
    popularity: np.ndarray
    trending: np.ndarray
    product_in_stock: np.ndarray
    rules: CompiledRules
    built_at: float
    build_seconds: float
    events: int

    def nbytes(self) -> int:
        """Approximate memory held by the index (arrays, matrices and the catalogue's lists)."""
        c = self.catalog
        arrays = [c.category, c.consumable, c.var_product, c.var_price, c.var_in_stock, *c.var_options.values(),
                  self.popularity, self.trending, self.product_in_stock, self.rules.adjustment, self.rules.hidden]
        lists = sum(sys.getsizeof(s) for s in c.search_text) + sum(sys.getsizeof(s) + 100 for s in c.ids)
        return (sum(a.nbytes for a in arrays) + nbytes(self.co_purchase) + nbytes(self.co_view)
                + nbytes(self.content) + lists)


def build_index(store: Store, rules: ShopRules | None = None, show_progress: bool = False) -> RecommendationIndex:
    """Read the store and build the index (with a tqdm progress bar when ``show_progress``)."""
    started = time.perf_counter()
    with tqdm(total=4, desc="recommendation index", unit="step", disable=not show_progress) as bar:
        bar.set_postfix_str("reading the catalogue")
        catalog = load_catalog(store)
        bar.update()
        bar.set_postfix_str("reading events")
        events = load_events(store, catalog)
        bar.update()
        return index_from_arrays(catalog, events, rules or ShopRules(), started, bar)


def index_from_arrays(catalog: CatalogArrays, events: EventLog, rules: ShopRules, started: float,
                      bar: tqdm) -> RecommendationIndex:
    """Build the index from arrays already read (the evaluation and the bench call this too)."""
    n = catalog.size
    bar.set_postfix_str("content similarity")
    with tqdm(total=n, desc="content", unit="product", leave=False, disable=bar.disable) as inner:
        content = content_neighbours(catalog, CONTENT_NEIGHBOURS, inner.update)
    bar.update()
    bar.set_postfix_str("co-purchase and co-view")
    purchases = shopper_item_matrix(events, (KIND_CODE["purchase"],), n)
    views = shopper_item_matrix(events, (KIND_CODE["view"], KIND_CODE["cart"]), n)
    co_purchase = item_cosine(purchases, COLLABORATIVE_NEIGHBOURS)
    co_view = item_cosine(views, COLLABORATIVE_NEIGHBOURS)
    product_in_stock = np.zeros(n, dtype=bool)
    product_in_stock[catalog.var_product[catalog.var_in_stock]] = True
    compiled = compile_rules(rules, catalog)
    catalog.tokens = []  # only needed while building
    bar.update()
    return RecommendationIndex(
        catalog=catalog, co_purchase=co_purchase, co_view=co_view, content=content,
        popularity=popularity(events, n), trending=trending(events, n), product_in_stock=product_in_stock,
        rules=compiled, built_at=time.time(), build_seconds=time.perf_counter() - started, events=len(events),
    )
