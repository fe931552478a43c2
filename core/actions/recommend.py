"""Personal recommendations, or "more like this" for a product."""
from __future__ import annotations

from core.actions.base import Action
from core.actions.product_search import query_from_entities
from core.recommend.base import Recommender
from core.store import ProductQuery, Store
from core.turn import ActionResult, Turn

ONBOARDING_SLOT = "recommend_onboarded"
ONBOARDING_CATEGORIES = 4


class RecommendAction(Action):
    """Asks the recommender for picks within what the shopper said (category, colour, size, budget);
    "/more P1001" asks for products like P1001. A shopper with no history and no wish yet gets the
    popular picks and, once per conversation, one onboarding question about what they shop for."""

    name = "recommend"

    def __init__(self, store: Store, recommender: Recommender) -> None:
        self._store = store
        self._recommender = recommender

    async def run(self, turn: Turn) -> ActionResult:
        """Recommend up to five products with a reason each."""
        entities = turn.nlu.entities
        customer_id = turn.customer["id"] if turn.customer else None
        anchor = self._store.catalog.product(entities["product_id"]) if "product_id" in entities else None
        if anchor:
            picks = self._recommender.similar(anchor["id"], customer_id, k=5)
            turn.state.last_shown = [p.hit.product["id"] for p in picks]
            title = {"zh": anchor["title_zh"] or anchor["title_en"], "en": anchor["title_en"] or anchor["title_zh"]}
            return ActionResult("recommend_similar" if picks else "recommend_none", {"title": title},
                                recommendations=picks)
        query = query_from_entities(entities)
        picks = self._recommender.recommend(customer_id, query, k=5)
        turn.state.last_shown = [p.hit.product["id"] for p in picks]
        if picks and self._should_onboard(turn, query, customer_id):
            turn.state.slots[ONBOARDING_SLOT] = True
            return ActionResult("recommend_onboarding", {"categories": self._category_examples()},
                                recommendations=picks)
        return ActionResult("recommend" if picks else "recommend_none", recommendations=picks)

    def _should_onboard(self, turn: Turn, query: ProductQuery, customer_id: int | None) -> bool:
        """A new shopper who named nothing they want, not asked before in this conversation."""
        if turn.state.slots.get(ONBOARDING_SLOT) or query != ProductQuery():
            return False
        return not self._recommender.has_history(customer_id)

    def _category_examples(self) -> dict[str, str]:
        """The most popular categories' names, listed in both languages."""
        names = {c["id"]: c for c in self._store.catalog.categories()}
        chosen = [names[c] for c in self._recommender.top_categories(ONBOARDING_CATEGORIES) if c in names]
        return {"zh": "、".join(c["name_zh"] for c in chosen), "en": ", ".join(c["name_en"] for c in chosen)}
