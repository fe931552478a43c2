"""Product search over the store, paged, shown as cards."""
from __future__ import annotations

from typing import Any

from core.actions.base import Action
from core.actions.describe import describe_query
from core.recommend.base import Recommender
from core.store import ProductQuery, Store
from core.turn import ActionResult, Turn

PAGE_SIZE = 5


def query_from_entities(entities: dict[str, Any]) -> ProductQuery:
    """The store query a message's entities describe."""
    options = {k: entities[k] for k in ("color", "size") if k in entities}
    return ProductQuery(category=entities.get("category"), options=options,
                        terms=list(entities.get("terms", [])),
                        min_price_cents=entities.get("min_price_cents"),
                        max_price_cents=entities.get("max_price_cents"))


class ProductSearchAction(Action):
    """Finds products matching the message (or the next page of the last search)."""

    name = "product_search"

    def __init__(self, store: Store, recommender: Recommender, currency: str = "CNY") -> None:
        self._store = store
        self._recommender = recommender
        self._currency = currency

    async def run(self, turn: Turn) -> ActionResult:
        """Search, remember the query for paging, and return one page of cards."""
        entities = turn.nlu.entities
        if "page" in entities and turn.state.last_query:
            query, page = ProductQuery(**turn.state.last_query), int(entities["page"])
        else:
            query, page = query_from_entities(entities), 1
        hits = self._store.catalog.search(query)
        names = {c["id"]: {"zh": c["name_zh"], "en": c["name_en"]} for c in self._store.catalog.categories()}
        description = describe_query(query, names, self._currency)
        turn.state.last_query = vars(query)
        turn.state.last_page = page
        if not hits:
            turn.state.last_shown = []
            relaxed = ProductQuery(category=query.category)
            customer_id = turn.customer["id"] if turn.customer else None
            alternatives = self._recommender.recommend(customer_id, relaxed, k=3)
            template = "search_none" if alternatives else "search_none_at_all"
            return ActionResult(template, {"description": description}, recommendations=alternatives)
        first = (page - 1) * PAGE_SIZE
        shown = hits[first:first + PAGE_SIZE]
        if not shown:
            return ActionResult("search_no_more")
        turn.state.last_shown = [h.product["id"] for h in shown]
        buttons = [("btn_next_page", f"/page {page + 1}")] if first + PAGE_SIZE < len(hits) else []
        facts = {"total": len(hits), "first": first + 1, "last": first + len(shown), "description": description}
        return ActionResult("search_results", facts, products=shown, buttons=buttons)
