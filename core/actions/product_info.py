"""Answers about one product, from the product's own data."""
from __future__ import annotations

from core.actions import product_facts as pf
from core.actions.base import Action
from core.i18n import t
from core.money import format_price
from core.recommend.base import Recommender
from core.store import ProductHit, ProductQuery, Store
from core.turn import ActionResult, Turn


class ProductInfoAction(Action):
    """Details of the product the shopper pointed at (button), named, or was last shown: its price
    and cheapest option, the options on offer, and whether the options asked for are available."""

    name = "product_info"

    def __init__(self, store: Store, recommender: Recommender | None = None, also_like: int = 3) -> None:
        self._store = store
        self._recommender = recommender
        self._also_like = also_like

    async def run(self, turn: Turn) -> ActionResult:
        """Describe the product: price, cheapest option, options and stock, in both languages."""
        product_id = turn.nlu.entities.get("product_id") or (turn.state.last_shown or [None])[0]
        product = self._store.catalog.product(product_id) if product_id else None
        variants = self._store.catalog.variants(product["id"]) if product else []
        if product is None or not variants:
            return ActionResult("product_unknown", understood=False)
        turn.state.last_shown = [product["id"]]
        title = {"zh": product["title_zh"] or product["title_en"], "en": product["title_en"] or product["title_zh"]}
        wanted = pf.wanted_options(variants, turn.nlu.entities, turn.message.text) if turn.message.payload is None else {}
        asked = pf.availability(variants, wanted) if wanted else None
        facts = {
            "title": title,
            "description": {lang: _lead(product[f"description_{lang}"], lang) for lang in ("zh", "en")},
            "price": pf.price_text(variants),
            "cheapest": {lang: _cheapest_line(variants, asked, lang) for lang in ("zh", "en")},
            "options": {lang: pf.offered_options(variants, lang) for lang in ("zh", "en")},
            "stock": {lang: _stock_line(variants, asked, title[lang], lang) for lang in ("zh", "en")},
        }
        also = []
        if self._recommender is not None:  # after a product question: what goes with it or is like it
            customer_id = turn.customer["id"] if turn.customer else None
            also = self._recommender.similar(product["id"], customer_id, k=self._also_like, query=ProductQuery())
        shown = asked.matching if asked and asked.matching else variants
        return ActionResult("product_info", facts, products=[ProductHit(product, shown)], recommendations=also,
                            buttons=[("btn_more_like", f"/more {product['id']}")])


def _lead(description: str | None, lang: str) -> str:
    """The description after the title and a colon, or nothing when the product has none."""
    return (f"：{description}" if lang == "zh" else f": {description}") if description else ""


def _cheapest_line(variants: list[dict], asked: pf.Availability | None, lang: str) -> str:
    """"Cheapest: $45.09 (capacity: 500ml, …). " when prices differ (among the asked options, if any)."""
    if len({v["price_cents"] for v in variants}) < 2:
        return ""
    pool = asked.matching if asked and asked.matching else variants
    best = pf.cheapest(pool)
    return t("product_cheapest", lang, price=format_price(best["price_cents"], best["currency"]),
             options=pf.options_text(best["options"] or {}, lang))


def _stock_line(variants: list[dict], asked: pf.Availability | None, title: str, lang: str) -> str:
    """Whether the asked options (else the product) can be had, with what is on offer instead."""
    if asked is None:
        return t(f"product_{pf.stock_state(variants)}", lang)
    choice = pf.choice_text(asked.wanted, lang)
    others = ("、" if lang == "zh" else ", ").join(pf.choice_text(c, lang) for c in asked.alternatives)
    key = f"option_{asked.state}" + ("_instead" if others else "")
    return t(key, lang, title=title, choice=choice, others=others)
