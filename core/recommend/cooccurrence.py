"""Collaborative item-to-item similarity: products the same shoppers bought (co-purchase) or
looked at (co-view), as cosine similarity over shoppers, top neighbours per product."""
from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from core.recommend.snapshot import EventLog
from core.recommend.sparse import top_k_per_row

MAX_ITEMS_PER_SHOPPER = 200  # only a shopper's newest distinct products count, bounding the work


def shopper_item_matrix(events: EventLog, kinds: tuple[int, ...], n_products: int) -> sp.csr_matrix:
    """Binary shoppers × products matrix of the given event kinds (each shopper's newest
    :data:`MAX_ITEMS_PER_SHOPPER` distinct products)."""
    chosen = np.isin(events.kind, kinds)
    customers, products, times = events.customer[chosen], events.product[chosen], events.time[chosen]
    if len(customers) == 0:
        return sp.csr_matrix((0, n_products), dtype=np.float32)
    shopper = np.unique(customers, return_inverse=True)[1].astype(np.int64)
    order = np.lexsort((-times, shopper))  # per shopper, newest first
    pair = shopper[order] * n_products + products[order]
    _, first = np.unique(pair, return_index=True)
    first.sort()  # keeps (shopper, newest-first) order
    kept_shopper, kept_product = shopper[order][first], products[order][first]
    starts = np.searchsorted(kept_shopper, kept_shopper, side="left")
    recent = (np.arange(len(kept_shopper)) - starts) < MAX_ITEMS_PER_SHOPPER
    return sp.csr_matrix((np.ones(int(recent.sum()), dtype=np.float32),
                          (kept_shopper[recent], kept_product[recent])),
                         shape=(int(shopper.max()) + 1, n_products))


def item_cosine(shopper_items: sp.csr_matrix, k: int = 50) -> sp.csr_matrix:
    """Products × products cosine similarity over shoppers, top ``k`` per row, no diagonal."""
    n = shopper_items.shape[1]
    if shopper_items.nnz == 0:
        return sp.csr_matrix((n, n), dtype=np.float32)
    counts = (shopper_items.T @ shopper_items).tocsr()
    counts.setdiag(0)
    counts.eliminate_zeros()
    degree = np.asarray(shopper_items.sum(axis=0)).ravel()
    coo = counts.tocoo()
    scale = 1.0 / np.sqrt(degree[coo.row] * degree[coo.col])
    cosine = sp.csr_matrix((coo.data * scale, (coo.row, coo.col)), shape=(n, n))
    return top_k_per_row(cosine, k)
