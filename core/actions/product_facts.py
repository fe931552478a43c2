"""Facts about one product's variants, as a shopper asks them: the price range, the cheapest
option, the options on offer, and whether the options asked for are available (in stock, out of
stock, not offered, or not known), with the nearest alternatives."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from core.money import format_price
from core.recommend.stock import in_stock, sellable
from core.vocabulary import option_name, value_name

_NOT_VALUES = {"yes", "no", "true", "false", "none", "n/a", "standard"}  # option values too common to be named
_MAX_ALTERNATIVES = 6
_ASKS_WHICH = re.compile(r"\b(?:which|what)\b|come in|\boptions\b|哪些|哪几|什么|几种|可选", re.IGNORECASE)


@dataclass
class Availability:
    """Whether the asked options can be had: ``state`` is available, out_of_stock, not_offered or
    unknown (the shop keeps no stock count); ``alternatives`` are the options on offer instead."""

    wanted: dict[str, str]
    state: str
    matching: list[dict[str, Any]] = field(default_factory=list)
    alternatives: list[dict[str, str]] = field(default_factory=list)


def price_text(variants: list[dict[str, Any]]) -> str:
    """"$45.09" or "$45.09–$54.85": the price range of what is on offer (else of every variant)."""
    variants = [v for v in variants if sellable(v)] or variants
    low = min(v["price_cents"] for v in variants)
    high = max(v["price_cents"] for v in variants)
    currency = variants[0]["currency"]
    return format_price(low, currency) if low == high else f"{format_price(low, currency)}–{format_price(high, currency)}"


def cheapest(variants: list[dict[str, Any]]) -> dict[str, Any]:
    """The cheapest variant that can be had (else the cheapest of all)."""
    offered = [v for v in variants if sellable(v)] or variants
    return min(offered, key=lambda v: (v["price_cents"], str(v["id"])))


def options_text(options: dict[str, Any], lang: str) -> str:
    """"color: red, size: M" (颜色：red（红色），尺码：M) for one variant's options."""
    colon, comma = ("：", "，") if lang == "zh" else (": ", ", ")
    return comma.join(f"{option_name(k, lang)}{colon}{value_name(k, v, lang)}" for k, v in options.items())


def offered_options(variants: list[dict[str, Any]], lang: str) -> str:
    """"color: red, blue; size: M, L": every value of each option among the variants on offer."""
    values: dict[str, list[str]] = {}
    for variant in [v for v in variants if sellable(v)] or variants:
        for key, value in (variant["options"] or {}).items():
            shown = value_name(key, value, lang)
            if shown not in values.setdefault(key, []):
                values[key].append(shown)
    separator, colon = ("；", "：") if lang == "zh" else ("; ", ": ")
    return separator.join(f"{option_name(key, lang)}{colon}{', '.join(vals)}" for key, vals in values.items()) or "-"


def stock_state(variants: list[dict[str, Any]]) -> str:
    """The product as a whole: in_stock, out_of_stock, or unknown_stock (no count kept for what is on offer)."""
    states = {in_stock(v) for v in variants}
    return "in_stock" if True in states else "unknown_stock" if None in states else "out_of_stock"


def wanted_options(variants: list[dict[str, Any]], entities: dict[str, Any], text: str) -> dict[str, str]:
    """The options the message asks for, as this product's option names and values: values of its own
    named in the text ("rose gold", "500ml"), else the colour and size the NLU found (unless the message
    asks which options there are: "which sizes…?")."""
    lowered = text.lower()
    named: dict[str, str] = {}
    values = sorted({(k, str(v)) for var in variants for k, v in (var["options"] or {}).items()},
                    key=lambda kv: (-len(kv[1]), kv))
    for key, value in values:
        word = value.lower()
        if key in named or word in _NOT_VALUES or not _names_value(word, lowered):
            continue
        if any(word in longer.lower() for longer in named.values()):
            continue  # "gold" inside "rose gold", already taken
        named[key] = value
    if _ASKS_WHICH.search(text):
        return named  # "which sizes…?" asks for the list; a size the NLU read in it is not a wish
    keys = {k for var in variants for k in (var["options"] or {})}
    colour_keys = sorted(k for k in keys if "colo" in k.lower())
    if entities.get("color") and colour_keys and not any(k in named for k in colour_keys):
        named[colour_keys[0]] = str(entities["color"])
    if entities.get("size") and "size" in keys and "size" not in named:
        named["size"] = str(entities["size"])
    return named


def availability(variants: list[dict[str, Any]], wanted: dict[str, str]) -> Availability:
    """Whether the variants offer ``wanted``, and what else they offer of those options."""
    matching = [v for v in variants if all(_same((v["options"] or {}).get(k), w) for k, w in wanted.items())]
    states = {in_stock(v) for v in matching}
    if True in states:
        state = "available"
    elif None in states:
        state = "unknown"
    else:
        state = "out_of_stock" if matching else "not_offered"
    alternatives: list[dict[str, str]] = []
    if state in ("out_of_stock", "not_offered"):
        for variant in (v for v in variants if sellable(v)):
            choice = {k: str((variant["options"] or {}).get(k)) for k in wanted if k in (variant["options"] or {})}
            if choice and choice not in alternatives:
                alternatives.append(choice)
    return Availability(wanted, state, [v for v in matching if sellable(v)], alternatives[:_MAX_ALTERNATIVES])


def choice_text(options: dict[str, str], lang: str) -> str:
    """One choice of options as a shopper reads it: "rose gold", "size 11" (尺码 11), "gold（金色）"."""
    parts = []
    for key, value in options.items():
        if "colo" in key.lower():
            parts.append(value_name(key, value, lang))
        else:
            parts.append(f"{option_name(key, lang)} {value_name(key, value, lang)}")
    return (" / " if lang == "en" else "、").join(parts)


def _names_value(word: str, lowered: str) -> bool:
    """The option value in the message: as a whole word, or (Chinese text) anywhere."""
    if len(word) < 2 and not word.isdigit():
        return False
    if word.isdigit():  # a bare number only with its unit word: "11码", "size 11"
        return re.search(rf"(?:size|尺码|码数?)\s*{word}(?![\d.])|(?<![\d.]){word}\s*(?:码|号)", lowered) is not None
    return re.search(rf"(?<![a-z0-9]){re.escape(word)}(?![a-z0-9])", lowered) is not None


def _same(value: Any, wanted: str) -> bool:
    """Whether an option value is the one wanted (case aside)."""
    return value is not None and str(value).lower() == wanted.lower()
