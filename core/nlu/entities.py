"""Entity extraction with rules over the live catalogue's vocabulary."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz, process

from core.vocabulary import CLOTHING_SIZES, colour_words

_ORDER_ID = re.compile(r"#?(?<![A-Za-z0-9])([A-Z]{1,2}\d{6,10})(?![A-Za-z0-9])|(?<![\d.])(\d{7,12})(?![\d.])",
                       re.IGNORECASE)
_SIZE_EN = re.compile(r"\b(?:size\s*)?(" + "|".join(sorted(CLOTHING_SIZES, key=len, reverse=True)) + r")\b", re.IGNORECASE)
_SIZE_ZH = re.compile(r"(\d{2})\s*码|码数?\s*(\d{2})|(" + "|".join(sorted(CLOTHING_SIZES, key=len, reverse=True)) + r")\s*码")
_NUMBER = r"(\d+(?:\.\d+)?)"
_PRICE_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"between\s*[$¥￥]?" + _NUMBER + r"\s*(?:and|to|-)\s*[$¥￥]?" + _NUMBER, re.I), "range"),
    (re.compile(_NUMBER + r"\s*(?:元|块|rmb|yuan)?\s*(?:-|~|到|至)\s*" + _NUMBER + r"\s*(?:元|块)?", re.I), "range"),
    (re.compile(r"(?:under|below|less than|cheaper than|up to|max(?:imum)?|within)\s*[$¥￥]?\s*" + _NUMBER, re.I), "max"),
    (re.compile(r"(?:不超过|低于|少于|便宜于)\s*" + _NUMBER), "max"),
    (re.compile(_NUMBER + r"\s*(?:元|块|rmb)?\s*(?:以内|以下|之内|内)"), "max"),
    (re.compile(r"(?:over|above|more than|at least|from)\s*[$¥￥]?\s*" + _NUMBER, re.I), "min"),
    (re.compile(_NUMBER + r"\s*(?:元|块)?\s*(?:以上|起)"), "min"),
]
_STOPWORDS = set(
    "a an the i im i'm me my we you your do does did is are was were be have has had any some want "
    "would like to for of in on at with and or but please show find looking look buy get need "
    "something anything there here it this that these those can could what which how much many "
    "size color colour under below over above between cheap cheaper price yuan rmb".split()
)


@dataclass(frozen=True)
class CategoryTerm:
    """A word for a category, as the catalogue knows it."""

    word: str
    category_id: str


class EntityExtractor:
    """Finds order ids, categories, colours, sizes and price limits in a message."""

    def __init__(self, categories: list[dict[str, Any]]) -> None:
        terms = []
        for category in categories:
            words = {category["id"], category.get("name_zh") or "", category.get("name_en") or "",
                     *(category.get("aliases") or [])}
            terms.extend(CategoryTerm(w.lower(), category["id"]) for w in words if w)
        self._category_terms = sorted(terms, key=lambda t: -len(t.word))
        self._english_category_words = [t.word for t in self._category_terms if t.word.isascii()]
        self._colours = colour_words()

    def extract(self, text: str) -> dict[str, Any]:
        """Every entity found in ``text``; absent ones are left out."""
        entities: dict[str, Any] = {}
        lowered = text.lower()
        order_ids = [(a or b).upper() for a, b in _ORDER_ID.findall(text)]
        if order_ids:
            entities["order_id"] = order_ids[0]
        category = self._category(lowered)
        if category:
            entities["category"] = category
        colour = next((c for w, c in self._colours if self._contains_word(lowered, w)), None)
        if colour:
            entities["color"] = colour
        size = self._size(text)
        if size:
            entities["size"] = size
        entities.update(self._price(text if not order_ids else _ORDER_ID.sub(" ", text)))
        terms = self._english_terms(lowered, entities)
        if terms:
            entities["terms"] = terms
        return entities

    @staticmethod
    def _contains_word(lowered: str, word: str) -> bool:
        if word.isascii():
            return re.search(rf"\b{re.escape(word)}s?\b", lowered) is not None
        return word in lowered

    def _category(self, lowered: str) -> str | None:
        for term in self._category_terms:
            if self._contains_word(lowered, term.word):
                return term.category_id
        for token in re.findall(r"[a-z]{4,}", lowered):  # typos: "dresss", "headphnes"
            match = process.extractOne(token, self._english_category_words, scorer=fuzz.ratio, score_cutoff=85)
            if match:
                return next(t.category_id for t in self._category_terms if t.word == match[0])
        return None

    @staticmethod
    def _size(text: str) -> str | None:
        zh = _SIZE_ZH.search(text)
        if zh:
            return next(g for g in zh.groups() if g).upper()
        en = _SIZE_EN.search(text)
        if en and (en.group(0).lower().startswith("size") or len(en.group(1)) > 1 or en.group(1).isupper()):
            return en.group(1).upper()
        return None

    @staticmethod
    def _price(text: str) -> dict[str, int]:
        for pattern, kind in _PRICE_PATTERNS:
            match = pattern.search(text)
            if not match:
                continue
            values = [round(float(v) * 100) for v in match.groups()]
            if kind == "range":
                low, high = sorted(values)
                return {"min_price_cents": low, "max_price_cents": high}
            return {f"{kind}_price_cents": values[0]}
        return {}

    def _english_terms(self, lowered: str, entities: dict[str, Any]) -> list[str]:
        known = {t.word for t in self._category_terms} | {w for w, _ in self._colours}
        words = re.findall(r"[a-z][a-z'-]{2,}", lowered)
        return [w for w in words if w not in _STOPWORDS and w not in known and w.rstrip("s") not in known][:5] \
            if "category" in entities or "color" in entities else []
