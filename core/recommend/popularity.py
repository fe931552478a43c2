"""Popularity (all-time, mostly purchases) and trending (recent activity, decaying) per product."""
from __future__ import annotations

import numpy as np

from core.recommend.snapshot import KIND_CODE, SECONDS_PER_DAY, EventLog

POPULARITY_KIND_WEIGHTS = {"view": 0.05, "cart": 0.25, "purchase": 1.0}
TRENDING_KIND_WEIGHTS = {"view": 0.2, "cart": 0.5, "purchase": 1.0}
TRENDING_HALF_LIFE_DAYS = 7.0


def _kind_weights(events: EventLog, weights: dict[str, float]) -> np.ndarray:
    table = np.zeros(len(KIND_CODE), dtype=np.float64)
    for kind, weight in weights.items():
        table[KIND_CODE[kind]] = weight
    return table[events.kind]


def _scaled(values: np.ndarray) -> np.ndarray:
    top = values.max() if len(values) else 0.0
    return (values / top if top > 0 else values).astype(np.float32)


def popularity(events: EventLog, n_products: int) -> np.ndarray:
    """log(1 + weighted event count) per product, scaled to [0, 1]."""
    counts = np.bincount(events.product, weights=_kind_weights(events, POPULARITY_KIND_WEIGHTS),
                         minlength=n_products)
    return _scaled(np.log1p(counts))


def trending(events: EventLog, n_products: int, now: float | None = None) -> np.ndarray:
    """Activity with a :data:`TRENDING_HALF_LIFE_DAYS` half-life up to ``now`` (default: the newest
    event, so that old data sets and evaluations stay meaningful), scaled to [0, 1]."""
    if len(events) == 0:
        return np.zeros(n_products, dtype=np.float32)
    now = events.time.max() if now is None else now
    age_days = np.maximum(now - events.time, 0.0) / SECONDS_PER_DAY
    weights = _kind_weights(events, TRENDING_KIND_WEIGHTS) * 0.5 ** (age_days / TRENDING_HALF_LIFE_DAYS)
    return _scaled(np.log1p(np.bincount(events.product, weights=weights, minlength=n_products)))
