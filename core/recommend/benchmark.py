"""Speed and memory of the hybrid recommender on a synthetic shop: rebuild time, index memory and
request latency percentiles over a mix of requests (personal, constrained, cold start, more like this)."""
from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from core.recommend.hybrid import HybridRecommender
from core.recommend.synthetic import SyntheticShop, generate
from core.store import ProductQuery, Store


@dataclass
class BenchResult:
    """One size's numbers."""

    shop: SyntheticShop
    generate_seconds: float
    rebuild_seconds: float
    index_mb: float
    latency_ms: dict[str, float]  # p50, p90, p99, max
    requests: int


def bench(products: int, events: int, requests: int = 1000, seed: int = 7,
          show_progress: bool = False) -> BenchResult:
    """Generate a shop in a temporary database, build the index, time ``requests`` requests."""
    with tempfile.TemporaryDirectory(prefix="kefu-bench-") as folder:
        store = Store(Path(folder) / "bench.db")
        try:
            started = time.perf_counter()
            shop = generate(store, products, events, seed)
            generated = time.perf_counter() - started
            recommender = HybridRecommender(store, refresh_seconds=0, show_progress=show_progress)
            index = recommender.index
            timings = _time_requests(recommender, shop, requests, np.random.default_rng(seed))
        finally:
            store.close()
    percentiles = np.percentile(timings, [50, 90, 99]) * 1000
    return BenchResult(shop, generated, index.build_seconds, index.nbytes() / 2**20,
                       {"p50": percentiles[0], "p90": percentiles[1], "p99": percentiles[2],
                        "max": float(np.max(timings) * 1000)}, requests)


def _time_requests(recommender: HybridRecommender, shop: SyntheticShop, requests: int,
                   rng: np.random.Generator) -> np.ndarray:
    """Seconds per request for a fixed mix of request kinds."""
    timings = np.zeros(requests)
    for i in range(requests):
        customer = int(rng.integers(1, shop.customers + 1))
        category = f"cat-{int(rng.integers(shop.categories))}"
        kind = i % 6
        started = time.perf_counter()
        if kind == 0 or kind == 1:
            recommender.recommend(customer, ProductQuery(), k=5)
        elif kind == 2:
            recommender.recommend(customer, ProductQuery(category=category, options={"color": "red", "size": "M"}), k=5)
        elif kind == 3:
            recommender.recommend(customer, ProductQuery(min_price_cents=10000, max_price_cents=50000), k=5)
        elif kind == 4:
            recommender.recommend(None, ProductQuery(category=category), k=5)
        else:
            recommender.similar(f"S{int(rng.integers(shop.products)):06d}", customer, k=5)
        timings[i] = time.perf_counter() - started
    return timings
