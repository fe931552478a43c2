"""Offline evaluation: leave-last-purchase-out HR@k, NDCG@k and catalogue coverage.

For every shopper with at least two purchases, the newest purchase (by time, then event id) is
held out. A training copy of the store drops it, every later event of that shopper and the order
lines behind them, so neither the index nor the shopper's history can see the answer; each
recommender is then asked for ``k`` in-stock products for that shopper."""
from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from core.recommend.base import Recommender
from core.store import ProductQuery, Store
from core.store.copy import clone_into


@dataclass
class HeldOut:
    """One shopper's newest purchase, hidden from training."""

    customer_id: int
    event_id: int
    product_id: str
    at: str


@dataclass
class Metrics:
    """Hit rate, NDCG and coverage of one recommender over the held-out purchases."""

    hit_rate: float
    ndcg: float
    coverage: float


@dataclass
class EvalReport:
    """Per-recommender metrics plus what the numbers rest on."""

    k: int
    products: int
    shoppers: int
    repeat_non_consumable: int  # held-out items no recommender may show (already bought before)
    distinct_purchase_times: int
    metrics: dict[str, Metrics] = field(default_factory=dict)


def held_out_purchases(store: Store) -> list[HeldOut]:
    """The newest purchase of every shopper with at least two purchase events."""
    rows = store.db.execute("select customer_id, id, product_id, created_at from events where kind = 'purchase' "
                            "order by customer_id, created_at, id").fetchall()
    by_customer: dict[int, list[tuple]] = {}
    for row in rows:
        by_customer.setdefault(row[0], []).append(row)
    return [HeldOut(c, ev[-1][1], ev[-1][2], ev[-1][3]) for c, ev in by_customer.items() if len(ev) >= 2]


def training_copy(source: Store, held_out: list[HeldOut]) -> Store:
    """An in-memory copy of ``source`` without the held-out purchases and anything after them."""
    train = Store(":memory:")
    clone_into(source.db, train.db)
    with train.db.atomic():
        for h in held_out:
            later = ("customer_id = ? and (created_at > ? or (created_at = ? and id >= ?))",
                     [h.customer_id, h.at, h.at, h.event_id])
            gone_now = {r[0] for r in train.db.execute(
                f"select product_id from events where kind = 'purchase' and {later[0]} and created_at = ?",
                [*later[1], h.at])}
            train.db.execute(f"delete from events where {later[0]}", later[1])
            orders = train.db.execute("select id, created_at from orders where customer_id = ? and created_at >= ?",
                                      [h.customer_id, h.at]).fetchall()
            for order_id, created in orders:
                if created > h.at:
                    train.db.execute("delete from order_items where order_id = ?", [order_id])
                else:
                    train.db.execute(f"delete from order_items where order_id = ? and product_id in "
                                     f"({','.join('?' * len(gone_now))})", [order_id, *gone_now])
    return train


def evaluate(source: Store, recommenders: dict[str, Callable[[Store], Recommender]], k: int = 10) -> EvalReport:
    """Hold out, train each recommender on the training copy, and score its top ``k``."""
    held_out = held_out_purchases(source)
    train = training_copy(source, held_out)
    try:
        products = train.catalog.count()
        consumable = {r[0] for r in train.db.execute("select id from products where consumable = 1")}
        repeats = sum(1 for h in held_out if h.product_id not in consumable and train.db.execute(
            "select 1 from events where customer_id = ? and kind = 'purchase' and product_id = ?",
            [h.customer_id, h.product_id]).fetchone())
        times = train.db.execute("select count(distinct created_at) from events where kind = 'purchase'").fetchone()[0]
        report = EvalReport(k, products, len(held_out), repeats, times)
        for name, make in recommenders.items():
            recommender = make(train)
            hits, gain, shown = 0, 0.0, set()
            for h in held_out:
                ids = [p.hit.product["id"] for p in recommender.recommend(h.customer_id, ProductQuery(), k=k)]
                shown.update(ids)
                if h.product_id in ids:
                    hits += 1
                    gain += 1.0 / math.log2(ids.index(h.product_id) + 2)
            n = max(len(held_out), 1)
            report.metrics[name] = Metrics(hits / n, gain / n, len(shown) / max(products, 1))
        return report
    finally:
        train.close()
