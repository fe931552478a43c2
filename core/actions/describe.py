"""Bilingual descriptions of what a shopper asked for ("red dresses", "红色连衣裙")."""
from __future__ import annotations

from core.i18n import t
from core.money import format_price
from core.store import ProductQuery
from core.vocabulary import colour_name


def describe_query(query: ProductQuery, category_names: dict[str, dict[str, str]],
                   currency: str) -> dict[str, str]:
    """{"zh": ..., "en": ...} naming the colour, size, category and price limits of a query."""
    out = {}
    for lang in ("zh", "en"):
        parts = []
        colour = query.options.get("color")
        if colour:
            parts.append(colour_name(colour, lang))
        if query.category:
            parts.append(category_names.get(query.category, {}).get(lang, query.category))
        else:
            parts.append(t("any_products", lang))
        text = ("" if lang == "zh" else " ").join(parts)
        size = query.options.get("size")
        if size:
            text += f"（{size}码）" if lang == "zh" else f" in size {size}"
        text += _price_limits(query, lang, currency)
        out[lang] = text
    return out


def _price_limits(query: ProductQuery, lang: str, currency: str) -> str:
    low, high = query.min_price_cents, query.max_price_cents
    if low is not None and high is not None:
        return f"，{format_price(low, currency)}–{format_price(high, currency)}" if lang == "zh" \
            else f" between {format_price(low, currency)} and {format_price(high, currency)}"
    if high is not None:
        return f"，{format_price(high, currency)}以内" if lang == "zh" else f" under {format_price(high, currency)}"
    if low is not None:
        return f"，{format_price(low, currency)}以上" if lang == "zh" else f" over {format_price(low, currency)}"
    return ""
