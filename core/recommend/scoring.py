"""The hybrid score: a weighted sum of components, each a vector over the catalogue."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.recommend.history import ShopperHistory
from core.recommend.index import RecommendationIndex
from core.recommend.sparse import gather_rows

# Collaborative and content components spread the shopper's (recency-weighted) history over each
# product's neighbours; "seen" is the history itself (viewed or carted, not bought); "affinity" the
# share of the history in the product's category; "rules" the shop's boosts and buries.
DEFAULT_WEIGHTS = {
    "co_purchase": 1.0, "co_view": 1.0, "content": 0.5, "seen": 2.0, "affinity": 1.0,
    "popularity": 0.3, "trending": 0.1, "rules": 1.0,
}
ITEM_TO_ITEM = ("co_purchase", "co_view", "content")


GENERAL = ("popularity", "trending", "rules")


@dataclass
class Scores:
    """The total per product, and the parts it is made of (read per product by :meth:`at`)."""

    total: np.ndarray
    personal: dict[str, np.ndarray]
    general: dict[str, np.ndarray]

    def at(self, row: int) -> dict[str, float]:
        """Every weighted component of one product's score."""
        parts = {name: float(values[row]) for name, values in self.general.items()}
        parts.update({name: float(values[row]) for name, values in self.personal.items()})
        return parts


def general_scores(index: RecommendationIndex, weights: dict[str, float]) -> dict[str, np.ndarray]:
    """The weighted components that do not depend on the shopper (computed once per index)."""
    return {"popularity": weights["popularity"] * index.popularity, "trending": weights["trending"] * index.trending,
            "rules": weights["rules"] * index.rules.adjustment}


def score(index: RecommendationIndex, history: ShopperHistory, weights: dict[str, float],
          general: dict[str, np.ndarray], base: np.ndarray, personal: bool = True) -> Scores:
    """Every component for every product; ``general`` and their sum ``base`` come precomputed.
    ``personal=False`` (for "more like this") skips the components that reward the history items
    themselves and their categories."""
    scores = Scores(base, {}, general)
    if not history:
        return scores
    total = base.copy()
    for name in ITEM_TO_ITEM:
        owner, columns, values = gather_rows(getattr(index, name), history.rows)
        spread = np.bincount(columns, weights=values * history.weights[owner], minlength=index.catalog.size)
        scores.personal[name] = (weights[name] * spread).astype(np.float32)
        total += scores.personal[name]
    if personal:
        seen = np.zeros(index.catalog.size, dtype=np.float32)
        seen[history.rows] = weights["seen"] * history.weights
        share = np.bincount(index.catalog.category[history.rows], weights=history.weights,
                            minlength=len(index.catalog.categories))
        scores.personal["seen"] = seen
        scores.personal["affinity"] = (weights["affinity"] * share[index.catalog.category]).astype(np.float32)
        total += seen + scores.personal["affinity"]
    scores.total = total
    return scores


def contributions(index: RecommendationIndex, history: ShopperHistory, weights: dict[str, float],
                  rows: list[int]) -> np.ndarray:
    """|history| × |rows| matrix: how much each history item adds to each row's item-to-item score."""
    total = np.zeros((len(history.rows), len(rows)), dtype=np.float32)
    if not history or not rows:
        return total
    picked = np.asarray(rows)
    order = np.argsort(picked)
    for name in ITEM_TO_ITEM:
        owner, columns, values = gather_rows(getattr(index, name), history.rows)
        hit = np.isin(columns, picked)
        column_of = order[np.searchsorted(picked[order], columns[hit])]
        np.add.at(total, (owner[hit], column_of), weights[name] * values[hit])
    return total * history.weights[:, None]
