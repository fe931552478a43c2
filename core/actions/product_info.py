"""Answers about one product, from the product's own data."""
from __future__ import annotations

from core.actions.base import Action
from core.money import format_price
from core.recommend.base import Recommender
from core.store import ProductHit, ProductQuery, Store
from core.turn import ActionResult, Turn
from core.vocabulary import colour_name, option_name


class ProductInfoAction(Action):
    """Details of the product the shopper pointed at (button) or was last shown."""

    name = "product_info"

    def __init__(self, store: Store, recommender: Recommender | None = None, also_like: int = 3) -> None:
        self._store = store
        self._recommender = recommender
        self._also_like = also_like

    async def run(self, turn: Turn) -> ActionResult:
        """Describe the product: price, options and stock, in both languages."""
        product_id = turn.nlu.entities.get("product_id") or (turn.state.last_shown or [None])[0]
        product = self._store.catalog.product(product_id) if product_id else None
        if product is None:
            return ActionResult("product_unknown", understood=False)
        variants = self._store.catalog.variants(product["id"])
        in_stock = [v for v in variants if v["available"] and v["stock"] > 0]
        low = min(v["price_cents"] for v in variants)
        high = max(v["price_cents"] for v in variants)
        currency = variants[0]["currency"]
        price = format_price(low, currency) if low == high else \
            f"{format_price(low, currency)}–{format_price(high, currency)}"
        turn.state.last_shown = [product["id"]]
        facts = {
            "title": {"zh": product["title_zh"], "en": product["title_en"]},
            "description": {"zh": product["description_zh"] or "", "en": product["description_en"] or ""},
            "price": price,
            "options": {lang: _options_text(in_stock or variants, lang) for lang in ("zh", "en")},
            "stock": {"zh": "有货。" if in_stock else "目前缺货。", "en": "In stock." if in_stock else "Currently out of stock."},
        }
        also = []
        if self._recommender is not None:  # after a product question: what goes with it or is like it
            customer_id = turn.customer["id"] if turn.customer else None
            also = self._recommender.similar(product["id"], customer_id, k=self._also_like, query=ProductQuery())
        return ActionResult("product_info", facts, products=[ProductHit(product, variants)], recommendations=also,
                            buttons=[("btn_more_like", f"/more {product['id']}")])


def _options_text(variants: list[dict], lang: str) -> str:
    """"color: red, blue; size: M, L" with colours named in the shopper's language."""
    values: dict[str, list[str]] = {}
    for variant in variants:
        for key, value in (variant["options"] or {}).items():
            shown = colour_name(str(value), lang) if key == "color" else str(value)
            if shown not in values.setdefault(key, []):
                values[key].append(shown)
    separator = "；" if lang == "zh" else "; "
    colon = "：" if lang == "zh" else ": "
    return separator.join(f"{option_name(key, lang)}{colon}{', '.join(vals)}" for key, vals in values.items()) or "-"
