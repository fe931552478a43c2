"""A question about one product's facts ("How much are the Running Shoes?", "Backpack 有哪些颜色？",
"蓝牙音箱有货吗"): whether a message asks for a price, the cheapest option, the options or the
availability, and which single product it is about."""
from __future__ import annotations

import re
from typing import Any

from core.retrieval.product_types import ProductType
from core.store import Store
from core.store.jsoncols import loads

_FACT = re.compile(
    r"how much|\bprice|\bcosts?\b|cheapest|least expensive|lowest|\bavailable\b|availability|in stock|out of stock|"
    r"sold out|\bstock\b|come in|\bdo you (?:have|sell|carry)\b.{0,60}\b(?:with|in)\b|\bcomes in\b|\boptions?\b|\bwhich (?:colou?rs?|sizes?|ones?|models?|versions?)|"
    r"\bwhat (?:colou?rs?|sizes?|options|models?|versions?)|\bcolou?rs\b|\bsizes\b|\bdo you have (?:it|them|one) in\b|"
    r"多少钱|价格|价钱|几块|多少元|什么价|贵不贵|最便宜|最低价|最实惠|哪款|哪个便宜|有货|没货|缺货|库存|现货|售罄|能买|"
    r"有哪些|有什么(?:颜色|尺码|款式|规格|型号|选择)|几种|哪几种|可选|什么颜色|什么尺码|哪些颜色|哪些尺码|"
    r"有\s*\d+(?:\.5)?\s*码|有.{0,12}的吗",
    re.IGNORECASE)
# the intents a product question may be read as; out_of_scope: the NLU did not know the product word
PRODUCT_INTENTS = frozenset({"product_search", "product_info", "recommend", "price_promotion", "out_of_scope"})


def asks_fact(text: str) -> bool:
    """Whether the message asks for a product fact: price, cheapest, options or availability."""
    return _FACT.search(text) is not None


def asked_product(text: str, entities: dict[str, Any], store: Store, kind: ProductType | None,
                  shown: list[str] | None = None) -> str | None:
    """The one product a fact question is about: the product the NLU named, else the only product of
    the type the message names (``kind``: "蓝牙音箱" in a shop with one Bluetooth speaker), else the
    only product just ``shown`` ("which sizes?" after one card); None otherwise."""
    if not asks_fact(text):
        return None
    if entities.get("product_id") and store.catalog.product(entities["product_id"]):
        return str(entities["product_id"])
    if kind is None:
        return shown[0] if shown and len(shown) == 1 and "category" not in entities else None
    sql = "select id, title_zh, title_en, tags from products" + (" where category = ?" if kind.category else "")
    rows = store.db.execute(sql, [kind.category] if kind.category else []).fetchall()
    fitting = [r[0] for r in rows if kind.fits({"title_zh": r[1], "title_en": r[2], "tags": loads(r[3]) or []})]
    return fitting[0] if len(fitting) == 1 else None

