"""Shop rules as data: boost or bury products (by id, category, tag or brand), promote a few
products into a visible slot, hide others. Read from a JSON file (``KEFU_RECOMMEND_RULES_PATH``)::

    {"boost":   [{"category": "dresses", "by": 0.2}, {"product": "P1001", "by": 0.5}],
     "bury":    [{"tag": "clearance", "by": 0.3}],
     "promote": ["P1042"],
     "hide":    ["P1099"]}
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from core.recommend.snapshot import CatalogArrays

_MATCH_KEYS = ("product", "category", "tag", "brand")


class RulesError(ValueError):
    """The rules file is malformed; the message says where."""


@dataclass
class Adjustment:
    """One boost (positive ``by``) or bury (negative ``by``) of the products a match selects."""

    match: str  # one of _MATCH_KEYS
    value: str
    by: float


@dataclass
class ShopRules:
    """Boosts and buries, promoted and hidden products."""

    adjustments: list[Adjustment] = field(default_factory=list)
    promote: list[str] = field(default_factory=list)
    hide: list[str] = field(default_factory=list)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ShopRules:
        """Validate the JSON structure; raise :class:`RulesError` naming the bad entry."""
        if not isinstance(data, dict):
            raise RulesError("the rules must be a JSON object")
        unknown = set(data) - {"boost", "bury", "promote", "hide"}
        if unknown:
            raise RulesError(f"unknown rule kinds: {', '.join(sorted(unknown))} (boost, bury, promote, hide)")
        adjustments = []
        for kind, sign in (("boost", 1.0), ("bury", -1.0)):
            for number, entry in enumerate(data.get(kind, []), start=1):
                keys = [k for k in _MATCH_KEYS if k in entry] if isinstance(entry, dict) else []
                by = entry.get("by", 0.2) if isinstance(entry, dict) else None
                if len(keys) != 1 or not isinstance(by, int | float) or by < 0:
                    raise RulesError(f"{kind} #{number}: needs exactly one of {', '.join(_MATCH_KEYS)} "
                                     f"and a non-negative number 'by' (got {entry!r})")
                adjustments.append(Adjustment(keys[0], str(entry[keys[0]]), sign * float(by)))
        lists = {}
        for kind in ("promote", "hide"):
            values = data.get(kind, [])
            if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
                raise RulesError(f"{kind}: must be a list of product ids")
            lists[kind] = values
        return cls(adjustments, lists["promote"], lists["hide"])

    @classmethod
    def load(cls, path: str | Path | None) -> ShopRules:
        """Rules from a JSON file; no path means no rules."""
        if path is None:
            return cls()
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise RulesError(f"cannot read recommendation rules {path}: {exc}") from None
        return cls.from_dict(data)


@dataclass
class CompiledRules:
    """Rules resolved against one catalogue: an additive score per product, masks and rows."""

    adjustment: np.ndarray  # float32 per product
    hidden: np.ndarray  # bool per product
    promoted: list[int]  # product rows, in the order given


def compile_rules(rules: ShopRules, catalog: CatalogArrays) -> CompiledRules:
    """Resolve each rule to the products it selects (unknown ids select nothing)."""
    adjustment = np.zeros(catalog.size, dtype=np.float32)
    for rule in rules.adjustments:
        adjustment[_selected(rule, catalog)] += rule.by
    hidden = np.zeros(catalog.size, dtype=bool)
    hidden[[catalog.row[p] for p in rules.hide if p in catalog.row]] = True
    promoted = [catalog.row[p] for p in rules.promote if p in catalog.row and p not in rules.hide]
    return CompiledRules(adjustment, hidden, promoted)


def _selected(rule: Adjustment, catalog: CatalogArrays) -> np.ndarray:
    if rule.match == "product":
        mask = np.zeros(catalog.size, dtype=bool)
        if rule.value in catalog.row:
            mask[catalog.row[rule.value]] = True
        return mask
    if rule.match == "category":
        return catalog.category == (catalog.categories.index(rule.value) if rule.value in catalog.categories else -1)
    token = f"t:{rule.value.lower()}" if rule.match == "tag" else f"b:{rule.value.lower()}"
    return np.fromiter((token in tokens for tokens in catalog.tokens), dtype=bool, count=catalog.size)
