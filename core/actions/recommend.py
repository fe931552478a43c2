"""Personal recommendations, or "more like this" for a product."""
from __future__ import annotations

from core.actions.base import Action, ActionResult
from core.actions.product_search import query_from_entities
from core.recommend.base import Recommender
from core.store import ProductQuery, Store
from core.turn import Turn


class RecommendAction(Action):
    """Asks the recommender for picks within what the shopper said (category, colour, budget)."""

    name = "recommend"

    def __init__(self, store: Store, recommender: Recommender) -> None:
        self._store = store
        self._recommender = recommender

    async def run(self, turn: Turn) -> ActionResult:
        """Recommend up to five products with a reason each."""
        entities = turn.nlu.entities
        exclude: set[str] = set()
        query = query_from_entities(entities)
        anchor = self._store.catalog.product(entities["product_id"]) if "product_id" in entities else None
        if anchor:
            query, exclude = ProductQuery(category=anchor["category"]), {anchor["id"]}
        customer_id = turn.customer["id"] if turn.customer else None
        picks = self._recommender.recommend(customer_id, query, k=5, exclude=exclude)
        if anchor:
            for pick in picks:
                pick.reason, pick.reason_facts = "reason_similar", {}
        turn.state.last_shown = [p.hit.product["id"] for p in picks]
        return ActionResult("recommend" if picks else "recommend_none", recommendations=picks)
