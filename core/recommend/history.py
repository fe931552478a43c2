"""A shopper's own recent events, weighted by kind and recency."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from core.recommend.snapshot import SECONDS_PER_DAY, CatalogArrays

KIND_WEIGHTS = {"view": 1.0, "cart": 2.0, "purchase": 3.0}
HALF_LIFE_DAYS = 30.0
RECENT_EVENTS = 50


@dataclass
class ShopperHistory:
    """Products the shopper interacted with (catalogue rows) and how much each counts now.

    ``weights`` sum to 1 over ``rows``; ``strongest_kind`` is the most telling event per row
    (purchase > cart > view); ``bought`` holds every purchased row."""

    rows: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int32))
    weights: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.float32))
    strongest_kind: list[str] = field(default_factory=list)
    bought: set[int] = field(default_factory=set)

    def __bool__(self) -> bool:
        return len(self.rows) > 0


def history_from_events(events: list[tuple], catalog: CatalogArrays) -> ShopperHistory:
    """Weigh (id, customer, kind, product_id, epoch seconds) rows, newest first: each event counts
    its kind's weight halved every :data:`HALF_LIFE_DAYS` before the shopper's newest event."""
    known = [e for e in events if e[3] in catalog.row]
    if not known:
        return ShopperHistory()
    newest = max(e[4] or 0.0 for e in known)
    weight: dict[int, float] = {}
    kind_of: dict[int, str] = {}
    bought: set[int] = set()
    rank = {"view": 0, "cart": 1, "purchase": 2}
    for _, _, kind, product_id, at in known:
        row = catalog.row[product_id]
        age_days = (newest - (at or 0.0)) / SECONDS_PER_DAY
        weight[row] = weight.get(row, 0.0) + KIND_WEIGHTS.get(kind, 1.0) * 0.5 ** (age_days / HALF_LIFE_DAYS)
        if rank.get(kind, 0) >= rank.get(kind_of.get(row, "view"), 0):
            kind_of[row] = kind
        if kind == "purchase":
            bought.add(row)
    rows = np.fromiter(weight, dtype=np.int32, count=len(weight))
    values = np.fromiter(weight.values(), dtype=np.float32, count=len(weight))
    return ShopperHistory(rows, values / values.sum(), [kind_of[int(r)] for r in rows], bought)


def single_item_history(row: int) -> ShopperHistory:
    """A history of one product, for "more like this"."""
    return ShopperHistory(np.array([row], dtype=np.int32), np.ones(1, dtype=np.float32), ["view"], set())
