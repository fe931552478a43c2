"""Follow-ups that point back at what the assistant just showed: "the second one" / "第二个",
"那蓝色的呢" / "what about blue?", "any cheaper?" / "有便宜点的吗". Resolved against the dialogue state
into ordinary intents and entities before the policy decides."""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from core.dialogue_state import DialogueState
from core.nlu.base import NLUResult
from core.retrieval.product_questions import PRODUCT_INTENTS, asked_product
from core.retrieval.product_types import product_types, without_type_words
from core.store import Store

_ORDINALS_EN = {"first": 0, "1st": 0, "second": 1, "2nd": 1, "third": 2, "3rd": 2, "fourth": 3, "4th": 3,
                "fifth": 4, "5th": 4, "last": -1}
_ORDINAL_EN = re.compile(r"\b(?:the\s+)?(" + "|".join(_ORDINALS_EN) + r")\s*(?:one|item|product|dress|option)?\b"
                         r"|\bnumber\s*([1-5])\b|\bno\.\s*([1-5])\b", re.IGNORECASE)
_ORDINAL_ZH = re.compile(r"第\s*([一二三四五1-5])\s*(?:个|件|款|条|双|项)?|(最后)一(?:个|件|款)")
_ZH_NUMBER = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5}
_CHEAPER = re.compile(r"cheaper|less expensive|lower price|more affordable|便宜(?:一)?点|更便宜|便宜些|便宜的|实惠",
                      re.IGNORECASE)
_FOLLOW_UP_MAX_CHARS = 30
_PRODUCT_INTENTS = {"product_search", "product_info", "recommend", "price_promotion", "place_order"}
_FLOW_INTENTS = {"exchange_item", "change_order", "return_item"}
WEAK_READING = 0.6  # below it, a message naming one product and asking its price or stock is a product question


def ordinal(text: str) -> int | None:
    """The position a message points at (0-based; -1 for "the last one"), or None."""
    zh = _ORDINAL_ZH.search(text)
    if zh:
        if zh.group(2):
            return -1
        value = zh.group(1)
        return (int(value) if value.isdigit() else _ZH_NUMBER[value]) - 1
    en = _ORDINAL_EN.search(text)
    if en:
        word, digit, short = en.groups()
        return _ORDINALS_EN[word.lower()] if word else int(digit or short) - 1
    return None


def resolve(nlu: NLUResult, state: DialogueState, store: Store, in_task: bool = False) -> NLUResult:
    """The NLU result with references to the products last shown (or the last search) filled in.

    Inside a flow (``in_task``) only ordinals are left for the flow itself to read."""
    if in_task or nlu.intent in _FLOW_INTENTS:
        return nlu
    text = nlu.text
    entities = dict(nlu.entities)
    product_reading = nlu.intent in PRODUCT_INTENTS or (nlu.confidence < WEAK_READING and "order_id" not in entities)
    about = None
    if product_reading:
        kind = product_types(store).find(text)
        entities = without_type_words(text, entities, kind)
        nlu = replace(nlu, entities=entities)
        about = asked_product(text, entities, store, kind, state.last_shown)
    if about:  # "How much are the Running Shoes?", "蓝牙音箱有货吗": a fact of one product, from its data
        return replace(nlu, intent="product_info", confidence=max(nlu.confidence, 0.9),
                       entities={**entities, "product_id": about})
    position = ordinal(text) if state.last_shown and "product_id" not in entities else None
    if position is not None and -len(state.last_shown) <= position < len(state.last_shown):
        entities.pop("quantity", None)
        entities["product_id"] = state.last_shown[position]
        intent = nlu.intent if nlu.intent in ("product_info", "recommend") else "product_info"
        return replace(nlu, intent=intent, confidence=max(nlu.confidence, 0.9), entities=entities)
    if state.last_shown and _CHEAPER.search(text):
        cheapest = min((_lowest_price(store, pid) for pid in state.last_shown), default=None)
        if cheapest:
            shown = store.catalog.product(state.last_shown[0]) or {}
            base = _last_search(state) or ({"category": shown["category"]} if shown.get("category") else {})
            search = {**base, "max_price_cents": cheapest - 1}
            search.pop("min_price_cents", None)
            return replace(nlu, intent="product_search", confidence=max(nlu.confidence, 0.9),
                           entities={**search, **{k: v for k, v in entities.items() if k in ("color", "size")}})
    if state.last_query and len(text) <= _FOLLOW_UP_MAX_CHARS and "category" not in entities \
            and ("color" in entities or "size" in entities) and (nlu.intent in _PRODUCT_INTENTS or nlu.confidence < 0.8):
        merged = {**_last_search(state), **{k: v for k, v in entities.items() if k in ("color", "size")}}
        return replace(nlu, intent="product_search", confidence=max(nlu.confidence, 0.9), entities=merged)
    return nlu


def _last_search(state: DialogueState) -> dict[str, Any]:
    """The last search as NLU entities."""
    query = state.last_query
    entities: dict[str, Any] = {k: v for k, v in (query.get("options") or {}).items()}
    for key in ("category", "min_price_cents", "max_price_cents"):
        if query.get(key) is not None:
            entities[key] = query[key]
    if query.get("terms"):
        entities["terms"] = list(query["terms"])
    return entities


def _lowest_price(store: Store, product_id: str) -> int | None:
    prices = [v["price_cents"] for v in store.catalog.variants(product_id)]
    return min(prices) if prices else None
