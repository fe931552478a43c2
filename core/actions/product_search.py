"""Product search over the store, paged, shown as cards: the product type asked for first, a product
asked for in an option it has out of stock said to be so, and a plain "nothing fits" with the nearest
products when nothing satisfies the shopper's limits."""
from __future__ import annotations

from dataclasses import replace
from typing import Any

from core.actions import product_facts as pf
from core.actions.base import Action
from core.actions.describe import describe_query
from core.recommend.base import Recommender
from core.retrieval.product_types import ProductType, product_types
from core.store import ProductHit, ProductQuery, Store
from core.turn import ActionResult, Turn

PAGE_SIZE = 5
_TYPE = "type"  # the product type's word, kept with the last query for paging
_DESCRIBED_TYPE = "\x00type"  # stands for the type in a described query


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
        types = product_types(self._store)
        if "page" in entities and turn.state.last_query:
            saved = dict(turn.state.last_query)
            said = saved.pop(_TYPE, None)
            query, page, kind = ProductQuery(**saved), int(entities["page"]), types.find(said) if said else None
        else:
            query, page, kind = query_from_entities(entities), 1, types.find(turn.message.text)
            query = _with_type(query, kind)
        hits = self._store.catalog.search(query)
        typed = [h for h in hits if kind.fits(h.product)] if _narrows(kind) else hits
        ranked = typed + [h for h in hits if h not in typed] if query.category else typed
        description = self._describe(query, kind)
        turn.state.last_query = {**vars(query), **({_TYPE: kind.said} if kind else {})}
        turn.state.last_page = page
        if not typed:
            return self._nothing_fits(turn, query, kind, ranked, description)
        first = (page - 1) * PAGE_SIZE
        shown = ranked[first:first + PAGE_SIZE]
        if not shown:
            return ActionResult("search_no_more")
        turn.state.last_shown = [h.product["id"] for h in shown]
        buttons = [("btn_next_page", f"/page {page + 1}")] if first + PAGE_SIZE < len(ranked) else []
        facts = {"total": len(ranked), "first": first + 1, "last": first + len(shown), "description": description}
        others = len(ranked) - len(typed)
        if others:
            facts = {**facts, "matched": len(typed), "others": others, "category": self._category_name(query.category)}
        return ActionResult("search_results_type" if others else "search_results", facts, products=shown,
                            buttons=buttons)

    def _nothing_fits(self, turn: Turn, query: ProductQuery, kind: ProductType | None, others: list[ProductHit],
                      description: dict[str, str]) -> ActionResult:
        """Nothing satisfies the limits: say so; for a type within a category, offer the type without the
        limits (nearest first) and what the category has within them; else the recommender's picks."""
        sold_out = self._sold_out(turn, query, kind)
        if sold_out is not None:
            return sold_out
        nearest = _nearest(self._store, query, kind) + others if kind is not None and _narrows(kind) else []
        if nearest:
            turn.state.last_shown = [h.product["id"] for h in nearest[:PAGE_SIZE]]
            return ActionResult("search_none_nearest", {"description": description}, products=nearest[:PAGE_SIZE])
        turn.state.last_shown = []
        customer_id = turn.customer["id"] if turn.customer else None
        alternatives = self._recommender.recommend(customer_id, ProductQuery(category=query.category), k=3)
        template = "search_none" if alternatives else "search_none_at_all"
        return ActionResult(template, {"description": description}, recommendations=alternatives)

    def _sold_out(self, turn: Turn, query: ProductQuery, kind: ProductType | None) -> ActionResult | None:
        """A product asked for in an option it has but cannot sell now ("有金色的Smartphone吗", "Fleece Jacket
        有M码吗"): that option is out of stock, said so with what is on offer instead, never "not found"."""
        if not query.options:
            return None
        for hit in self._store.catalog.search(replace(query, options={})):
            if _narrows(kind) and not kind.fits(hit.product):  # type: ignore[union-attr]
                continue
            variants = self._store.catalog.variants(hit.product["id"])
            wanted = pf.wanted_options(variants, turn.nlu.entities, turn.message.text)
            asked = pf.availability(variants, wanted) if wanted else None
            if asked is not None and asked.state == "out_of_stock":
                product = hit.product
                title = {"zh": product["title_zh"] or product["title_en"], "en": product["title_en"] or product["title_zh"]}
                others = {lang: ("、" if lang == "zh" else ", ").join(pf.choice_text(c, lang) for c in asked.alternatives)
                          for lang in ("zh", "en")}
                turn.state.last_shown = [product["id"]]
                return ActionResult("option_out_of_stock_instead" if asked.alternatives else "option_out_of_stock",
                                    {"title": title, "choice": {lang: pf.choice_text(wanted, lang) for lang in ("zh", "en")},
                                     "others": others}, products=[hit])
        return None

    def _describe(self, query: ProductQuery, kind: ProductType | None) -> dict[str, str]:
        """The query in words, naming the product type when one was asked for."""
        names = {c["id"]: {"zh": c["name_zh"], "en": c["name_en"]} for c in self._store.catalog.categories()}
        if _narrows(kind) or (kind and not query.category):
            return describe_query(replace(query, category=_DESCRIBED_TYPE), {**names, _DESCRIBED_TYPE: kind.names},
                                  self._currency)
        return describe_query(query, names, self._currency)

    def _category_name(self, category: str | None) -> dict[str, str]:
        row = self._store.catalog.category(category) if category else None
        return {"zh": row["name_zh"], "en": row["name_en"]} if row else {"zh": "", "en": ""}


def _narrows(kind: ProductType | None) -> bool:
    """A type narrower than any category ("headphones" among electronics): ranked, not filtered by."""
    return kind is not None and kind.category is None


def _with_type(query: ProductQuery, kind: ProductType | None) -> ProductQuery:
    """The query with the category the type is (or is a word of), without the type's words as terms."""
    if kind is None:
        return query
    terms = [t for t in query.terms if t.lower() not in kind.said]
    return replace(query, category=query.category or kind.category or kind.within, terms=terms)


def _nearest(store: Store, query: ProductQuery, kind: ProductType) -> list[ProductHit]:
    """Products of the asked type that miss only the limits, closest in price first."""
    relaxed = store.catalog.search(ProductQuery(category=query.category))
    fitting = [h for h in relaxed if kind.fits(h.product)]

    def distance(hit: ProductHit) -> int:
        price = hit.min_price_cents
        low, high = query.min_price_cents, query.max_price_cents
        return (price - high if high is not None and price > high else 0) + \
            (low - price if low is not None and price < low else 0)

    return sorted(fitting, key=lambda h: (distance(h), h.min_price_cents))
