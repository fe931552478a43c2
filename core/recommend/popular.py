"""The foundation's recommender: popularity, boosted by the shopper's own recent interests."""
from __future__ import annotations

import math
from collections import Counter

from core.recommend.base import Recommendation, Recommender
from core.store import ProductQuery, Store

_EVENT_WEIGHT = {"view": 1.0, "cart": 2.0, "purchase": 3.0}


class PopularityRecommender(Recommender):
    """Scores products by how often they sell, plus the shopper's category affinity from recent
    events; skips what they already bought unless it is a consumable; at most two per category."""

    def __init__(self, store: Store, recent_events: int = 50) -> None:
        self._store = store
        self._recent_events = recent_events

    def recommend(self, customer_id: int | None, query: ProductQuery, k: int = 5,
                  exclude: set[str] | None = None) -> list[Recommendation]:
        """Up to ``k`` products satisfying ``query``, best first, each with its reason."""
        hits = self._store.catalog.search(query, limit=1000)
        popularity = self._popularity()
        affinity, bought = self._affinity(customer_id) if customer_id else (Counter(), set())
        names = {c["id"]: {"zh": c["name_zh"], "en": c["name_en"]} for c in self._store.catalog.categories()}
        scored = []
        for hit in hits:
            product = hit.product
            if product["id"] in (exclude or set()) or (product["id"] in bought and not product["consumable"]):
                continue
            share = affinity[product["category"]]
            score = math.log1p(popularity[product["id"]]) + 3.0 * share
            scored.append((score, product["id"], hit, share))
        scored.sort(key=lambda s: (-s[0], s[1]))
        picks: list[Recommendation] = []
        per_category: Counter[str] = Counter()
        for score, _, hit, share in scored:
            category = hit.product["category"]
            if not query.category and per_category[category] >= 2:
                continue
            per_category[category] += 1
            if share > 0:
                reason, facts = "reason_history", {"category": names.get(category, {"zh": category, "en": category})}
            else:
                reason, facts = "reason_popular", {}
            picks.append(Recommendation(hit, reason, facts, round(score, 4)))
            if len(picks) == k:
                break
        return picks

    def similar(self, product_id: str, customer_id: int | None = None, k: int = 5,
                query: ProductQuery | None = None) -> list[Recommendation]:
        """Popular products of the same category (the baseline knows no item similarity)."""
        product = self._store.catalog.product(product_id)
        if product is None:
            return []
        picks = self.recommend(customer_id, query or ProductQuery(category=product["category"]), k=k,
                               exclude={product_id})
        for pick in picks:
            pick.reason, pick.reason_facts = "reason_similar", {}
        return picks

    def has_history(self, customer_id: int | None) -> bool:
        """Whether the shopper has any recorded event."""
        return bool(customer_id and self._store.events.for_customer(customer_id, limit=1))

    def top_categories(self, n: int = 4) -> list[str]:
        """Categories by units sold."""
        rows = self._store.db.execute(
            "select p.category, sum(i.quantity) as sold from order_items i join products p on p.id = i.product_id "
            "group by p.category order by sold desc, p.category limit ?", [n]).fetchall()
        return [r[0] for r in rows]

    def _popularity(self) -> Counter[str]:
        rows = self._store.db.execute(
            "select product_id, sum(quantity) from order_items group by product_id").fetchall()
        return Counter({product_id: count for product_id, count in rows})

    def _affinity(self, customer_id: int) -> tuple[Counter[str], set[str]]:
        """Share of the shopper's recent (weighted) events per category, and what they bought."""
        events = self._store.events.for_customer(customer_id, limit=self._recent_events)
        categories: Counter[str] = Counter()
        bought = set()
        for rank, event in enumerate(events):
            product = self._store.catalog.product(event["product_id"])
            if product is None:
                continue
            categories[product["category"]] += _EVENT_WEIGHT[event["kind"]] * 0.97 ** rank
            if event["kind"] == "purchase":
                bought.add(event["product_id"])
        total = sum(categories.values()) or 1.0
        return Counter({c: w / total for c, w in categories.items()}), bought
