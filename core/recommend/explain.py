"""Why a product was picked: the shopper's short reason (an i18n key and its facts) and the
staff trace (every score component and the history items behind it)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from core.recommend.history import ShopperHistory
from core.recommend.index import RecommendationIndex
from core.recommend.live import titles
from core.recommend.scoring import ITEM_TO_ITEM, Scores
from core.store import ProductQuery, Store

TRACE_SOURCES = 3  # history items listed per pick in the trace


@dataclass
class Context:
    """What one request knew, shared by the explanations of its picks."""

    store: Store
    index: RecommendationIndex
    history: ShopperHistory
    scores: Scores
    query: ProductQuery
    anchor: str | None  # the product of "more like this"


def explain(ctx: Context, row: int, column: np.ndarray, promoted: bool) -> tuple[str, dict[str, Any], dict[str, Any]]:
    """(reason key, reason facts, trace) for the pick at catalogue ``row``; ``column`` holds each
    history item's item-to-item contribution to it."""
    components = ctx.scores.at(row)
    sources = _sources(ctx, column)
    reason, facts = _reason(ctx, row, components, sources, promoted)
    trace = {
        "product_id": ctx.index.catalog.ids[row],
        "score": round(sum(components.values()), 4),
        "components": {name: round(value, 4) for name, value in components.items() if value},
        "because_of": sources,
        "promoted": promoted,
        "reason": reason,
    }
    return reason, facts, trace


def _sources(ctx: Context, column: np.ndarray) -> list[dict[str, Any]]:
    """The history items that add most to this pick, strongest first."""
    ids = ctx.index.catalog.ids
    best = np.argsort(-column)[:TRACE_SOURCES]
    return [{"product_id": ids[int(ctx.history.rows[i])], "event": ctx.history.strongest_kind[i],
             "history_weight": round(float(ctx.history.weights[i]), 4), "contribution": round(float(column[i]), 4)}
            for i in best if column[i] > 0]


def _reason(ctx: Context, row: int, components: dict[str, float], sources: list[dict[str, Any]],
            promoted: bool) -> tuple[str, dict[str, Any]]:
    if promoted:
        return "reason_promoted", {}
    catalog = ctx.index.catalog
    item_to_item = sum(components.get(name, 0.0) for name in ITEM_TO_ITEM)
    personal = {"item_to_item": item_to_item, "seen": components.get("seen", 0.0),
                "affinity": components.get("affinity", 0.0)}
    general = components.get("popularity", 0.0) + components.get("trending", 0.0)
    strongest = max(personal, key=personal.get)
    if personal[strongest] <= max(general, 0.0) * 0.5 and ctx.anchor is None:
        strongest = "general"
    category = catalog.categories[int(catalog.category[row])]
    if strongest == "item_to_item" and sources:
        title = titles(ctx.store, sources[0]["product_id"])
        if ctx.anchor is not None:
            bought_together = components.get("co_purchase", 0.0) >= max(
                components.get("co_view", 0.0), components.get("content", 0.0))
            return ("reason_also_bought" if bought_together else "reason_similar_to"), {"title": title}
        return ("reason_bought" if sources[0]["event"] == "purchase" else "reason_viewed"), {"title": title}
    if strongest == "seen":
        position = int(np.flatnonzero(ctx.history.rows == row)[0])
        kind = ctx.history.strongest_kind[position]
        return {"purchase": "reason_buy_again", "cart": "reason_in_cart"}.get(kind, "reason_viewed_item"), {}
    if strongest == "affinity":
        return "reason_history", {"category": _category_name(ctx.store, category)}
    if ctx.anchor is not None:
        return "reason_similar", {}
    if components.get("trending", 0.0) > components.get("popularity", 0.0):
        return "reason_trending", {}
    if ctx.query.category:
        return "reason_popular_in", {"category": _category_name(ctx.store, category)}
    return "reason_popular", {}


def _category_name(store: Store, category: str) -> dict[str, str]:
    row = store.db.execute("select name_zh, name_en from categories where id = ?", [category]).fetchone()
    return {"zh": row[0], "en": row[1]} if row else {"zh": category, "en": category}
