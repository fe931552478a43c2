"""The hybrid recommender: collaborative (co-purchase, co-view), content, popularity and trending,
and the shopper's own recent events, over a precomputed index; constrained, diverse, explained."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

from core.recommend.base import Recommendation, Recommender
from core.recommend.constraints import allowed_products, matches_terms
from core.recommend.diversity import DiversityGuard
from core.recommend.explain import Context, explain
from core.recommend.history import RECENT_EVENTS, ShopperHistory, history_from_events, single_item_history
from core.recommend.index import RecommendationIndex, build_index
from core.recommend.live import live_hit
from core.recommend.refresh import IndexHolder
from core.recommend.rules import ShopRules
from core.recommend.scoring import DEFAULT_WEIGHTS, contributions, general_scores, score
from core.recommend.snapshot import customer_events
from core.store import ProductHit, ProductQuery, Store

_SHORTLIST = 40  # candidates ranked per pick wanted before falling back to ranking them all


class HybridRecommender(Recommender):
    """Recommendations from a :class:`RecommendationIndex` kept fresh by an :class:`IndexHolder`."""

    def __init__(self, store: Store, rules: ShopRules | None = None, refresh_seconds: float = 300.0,
                 weights: dict[str, float] | None = None, show_progress: bool = False) -> None:
        self._store = store
        self._rules = rules or ShopRules()
        self._weights = {**DEFAULT_WEIGHTS, **(weights or {})}
        self._holder = IndexHolder(store, lambda s: build_index(s, self._rules, show_progress), refresh_seconds)
        self._general: tuple[RecommendationIndex, dict[str, np.ndarray], np.ndarray] | None = None

    @property
    def index(self) -> RecommendationIndex:
        """The current index (a due refresh check starts in the background)."""
        return self._holder.index

    def refresh(self) -> bool:
        """Rebuild the index now if the store changed; True when it did."""
        return self._holder.refresh()

    def history(self, customer_id: int | None) -> ShopperHistory:
        """The shopper's recent events, weighted (empty for anonymous and new shoppers)."""
        if customer_id is None:
            return ShopperHistory()
        return history_from_events(customer_events(self._store, customer_id, RECENT_EVENTS), self.index.catalog)

    def recommend(self, customer_id: int | None, query: ProductQuery, k: int = 5,
                  exclude: set[str] | None = None) -> list[Recommendation]:
        """Up to ``k`` products for the shopper within ``query``, best first, each with its reason and trace."""
        history = self.history(customer_id)
        return self._pick(self.index, history, history.bought, query, k, exclude or set(), anchor=None)

    def similar(self, product_id: str, customer_id: int | None = None, k: int = 5,
                query: ProductQuery | None = None) -> list[Recommendation]:
        """"More like this": products close to ``product_id`` (bought or viewed by the same shoppers,
        or alike in content), within its category unless ``query`` says otherwise."""
        index = self.index
        row = index.catalog.row.get(product_id)
        if row is None:
            return []
        bought = self.history(customer_id).bought
        if query is None:  # its own category first; a product alone in its category: the whole shop
            own = ProductQuery(category=index.catalog.categories[int(index.catalog.category[row])])
            picks = self._pick(index, single_item_history(row), bought, own, k, {product_id}, anchor=product_id)
            if picks:
                return picks
            query = ProductQuery()
        return self._pick(index, single_item_history(row), bought, query, k, {product_id}, anchor=product_id)

    def picks_for_customer(self, customer_id: int, k: int = 5, category: str | None = None) -> list[Recommendation]:
        """Per-customer picks for campaigns: in stock, personal, diverse, each with reason and trace."""
        return self.recommend(customer_id, ProductQuery(category=category), k=k)

    def has_history(self, customer_id: int | None) -> bool:
        """Whether the shopper has any event the recommender can learn from."""
        return bool(self.history(customer_id))

    def top_categories(self, n: int = 4) -> list[str]:
        """The ``n`` most popular categories (for the onboarding question of new shoppers)."""
        index = self.index
        totals = np.bincount(index.catalog.category, weights=index.popularity, minlength=len(index.catalog.categories))
        return [index.catalog.categories[int(i)] for i in np.argsort(-totals, kind="stable")[:n]]

    # -- picking ----------------------------------------------------------------------------
    def _pick(self, index: RecommendationIndex, history: ShopperHistory, bought: set[int], query: ProductQuery,
              k: int, exclude: set[str], anchor: str | None) -> list[Recommendation]:
        catalog = index.catalog
        general, base = self._general_for(index)
        scores = score(index, history, self._weights, general, base, personal=anchor is None)
        total = scores.total
        allowed = allowed_products(catalog, query, index.product_in_stock) & ~index.rules.hidden
        banned = [catalog.row[p] for p in exclude if p in catalog.row]
        banned += [r for r in bought if not catalog.consumable[r]]
        allowed[banned] = False
        chosen = self._select(index, total, allowed, query, k, query.terms)
        if not chosen and query.terms and query.category:  # like the catalogue search: words are a wish
            chosen = self._select(index, total, allowed, query, k, [])
        chosen = self._with_promoted(index, chosen, allowed, query, k)
        ctx = Context(self._store, index, history, scores, query, anchor)
        columns = contributions(index, history, self._weights, [row for row, _, _ in chosen])
        picks = []
        for position, (row, hit, promoted) in enumerate(chosen):
            reason, facts, trace = explain(ctx, row, columns[:, position], promoted)
            picks.append(Recommendation(hit, reason, facts, round(float(total[row]), 4), trace))
        return picks

    def _general_for(self, index: RecommendationIndex) -> tuple[dict[str, np.ndarray], np.ndarray]:
        """The shopper-independent components and their sum, cached per index."""
        if self._general is None or self._general[0] is not index:
            general = general_scores(index, self._weights)
            self._general = (index, general, sum(general.values()))
        return self._general[1], self._general[2]

    def _select(self, index: RecommendationIndex, total: np.ndarray, allowed: np.ndarray, query: ProductQuery,
                k: int, terms: list[str]) -> list[tuple[int, ProductHit, bool]]:
        """The best allowed rows that keep the list diverse, match ``terms`` and are live in the store."""
        catalog = index.catalog
        guard = DiversityGuard(catalog.category, index.content, k, one_category=query.category is not None)
        chosen: list[tuple[int, ProductHit, bool]] = []
        for row in self._ranked(total, allowed, k):
            if len(chosen) == k:
                break
            if guard.admits(row) and matches_terms(catalog.search_text[row], terms):
                hit = live_hit(self._store, catalog.ids[row], query)
                if hit is not None:
                    guard.take(row)
                    chosen.append((row, hit, False))
        return chosen

    @staticmethod
    def _ranked(total: np.ndarray, allowed: np.ndarray, k: int) -> Iterator[int]:
        """Allowed rows by score (ties by row): a shortlist first, the rest ranked only if needed."""
        candidates = np.flatnonzero(allowed)
        size = min(len(candidates), _SHORTLIST * max(k, 1))
        top = np.argpartition(-total[candidates], size - 1)[:size] if 0 < size < len(candidates) else None
        first = candidates if top is None else candidates[top]
        yield from (int(r) for r in first[np.lexsort((first, -total[first]))])
        if top is not None:
            rest = np.setdiff1d(candidates, first, assume_unique=True)
            yield from (int(r) for r in rest[np.lexsort((rest, -total[rest]))])

    def _with_promoted(self, index: RecommendationIndex, chosen: list[tuple[int, ProductHit, bool]],
                       allowed: np.ndarray, query: ProductQuery, k: int) -> list[tuple[int, ProductHit, bool]]:
        """Put the first promoted product that fits the query in the second slot (one per list)."""
        taken = {row for row, _, _ in chosen}
        for row in index.rules.promoted:
            if allowed[row] and row not in taken:
                hit = live_hit(self._store, index.catalog.ids[row], query)
                if hit is not None:
                    return (chosen[:1] + [(row, hit, True)] + chosen[1:])[:k]
        return chosen

    def trace(self, customer_id: int | None, query: ProductQuery, k: int = 5, like: str | None = None) -> dict[str, Any]:
        """For staff: the shopper's history, the constraints, and each pick with its full trace
        (``like``: the picks of "more like this" for that product)."""
        index = self.index
        history = self.history(customer_id)
        picks = self.similar(like, customer_id, k) if like else self.recommend(customer_id, query, k)
        return {
            "customer_id": customer_id,
            "query": vars(query),
            "like": like,
            "history": [{"product_id": index.catalog.ids[int(r)], "event": kind, "weight": round(float(w), 4)}
                        for r, kind, w in zip(history.rows, history.strongest_kind, history.weights)],
            "index": {"products": index.catalog.size, "events": index.events, "built_at": index.built_at},
            "weights": self._weights,
            "picks": [p.trace for p in picks],
        }
