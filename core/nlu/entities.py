"""Entity extraction with rules over the live catalogue's vocabulary.

Regular expressions find what has a fixed shape (order ids, sizes, prices, contact details,
dates); rapidfuzz matches category words and product titles, typos included."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from rapidfuzz import fuzz, process

from core.clock import utc_now
from core.nlu import details
from core.nlu.synonyms import expand_synonyms
from core.vocabulary import CLOTHING_SIZES, colour_words

# An order id, in one of three shapes (one capture group each, see :func:`order_ids`):
ORDER_ID = re.compile(
    # 1. letters and digits, "W1234567", "#w1234567" (tau, the demo shop): one or two letters, 6-10 digits
    r"(?<![A-Za-z0-9])([A-Za-z]{1,2}\d{6,10})(?![A-Za-z0-9])"
    # 2. a long number, "8831092", "1234567890123" (7-20 digits; phones and emails are taken out before)
    r"|(?<![\d.])(\d{7,20})(?![\d.])"
    # 3. a shop's short number after a marker: "#1001" (Shopify, Medusa), "order no. 1001", "order number is 12",
    #    "订单号1001", "订单号是 1001"; never a count, an amount or a time ("订单10天了", "订单2件")
    r"|(?:#|\border\s+(?:no\.?|number|#|id)\s*(?:is\s+)?[:：]?\s*#?|订单(?:号|编号)?\s*(?:是|为)?\s*[:：]?\s*#?)"
    r"(\d{1,6})(?![\d.,]\d|\d|\s*(?:元|块|件|个|天|码|号|双|条|年|月|日|小时|周|%|days?\b|items?\b|pcs\b|hours?\b|weeks?\b))",
    re.IGNORECASE)
_SIZE_EN = re.compile(r"(?<![A-Za-z])(?:size\s*)?(" + "|".join(sorted(CLOTHING_SIZES, key=len, reverse=True)) + r")(?![A-Za-z])",
                      re.IGNORECASE)
_SIZE_ZH = re.compile(r"(\d{2}(?:\.5)?)\s*码|码数?(?:是)?\s*(\d{2}(?:\.5)?)|(" + "|".join(sorted(CLOTHING_SIZES, key=len, reverse=True)) + r")\s*码"
                      r"|穿\s*(\d{2})\s*的", re.IGNORECASE)
_SIZE_SHOE = re.compile(r"\b(?:size|eu|us|uk)\s*(\d{1,2}(?:\.5)?)\b", re.IGNORECASE)
_SIZE_WORDS = [(re.compile(p, re.IGNORECASE), size) for p, size in (
    (r"\b(?:extra[ -]large|x-large)\b|加大号", "XL"), (r"\b(?:size\s+)?medium(?:\s+size)?\b|中号", "M"),
    (r"\bsize\s+small\b|\bsmall\s+size\b|小号", "S"), (r"\bsize\s+large\b|\blarge\s+size\b|大号", "L"))]
_PRODUCT_ID = re.compile(r"(?<![A-Za-z0-9])(P\d{4,6})(?![A-Za-z0-9])")
_NUMBER = r"(\d+(?:\.\d+)?)"
_PRICE_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"between\s*[$¥￥]?" + _NUMBER + r"\s*(?:and|to|-)\s*[$¥￥]?" + _NUMBER, re.I), "range"),
    (re.compile(r"[$¥￥]?" + _NUMBER + r"\s*(?:元|块|rmb|yuan|dollars|bucks)?\s*(?:-|~|到|至|to)\s*[$¥￥]?" + _NUMBER
                + r"(?!\s*(?:件|个|天|码|号|双|条|days|pcs|\d))\s*(?:元|块)?", re.I), "range"),
    (re.compile(r"(?:under|below|less than|cheaper than|up to|max(?:imum)?|within)\s*[$¥￥]?\s*" + _NUMBER, re.I), "max"),
    (re.compile(r"(?:不超过|低于|少于|便宜于)\s*" + _NUMBER), "max"),
    (re.compile(r"[$¥￥]?" + _NUMBER + r"\s*(?:元|块|rmb|刀)?\s*(?:以内|以下|之内|内)"), "max"),
    (re.compile(r"[$¥￥]" + _NUMBER + r"\s*(?:or less|max|tops)", re.I), "max"),
    (re.compile(r"(?:over|above|more than|at least|from)\s*[$¥￥]?\s*" + _NUMBER, re.I), "min"),
    (re.compile(_NUMBER + r"\s*(?:元|块)?\s*(?:以上|起)"), "min"),
]
_STOPWORDS = set(
    "a an the i im i'm me my we you your do does did is are was were be have has had any some want "
    "would like to for of in on at with and or but please show find looking look buy get need "
    "something anything there here it this that these those can could what which how much many "
    "size color colour under below over above between cheap cheaper price yuan rmb".split()
)


def order_ids(text: str) -> list[str]:
    """Every order id in ``text``, in order, upper-cased ("w1234567" is W1234567)."""
    return [next(group for group in match.groups() if group).upper() for match in ORDER_ID.finditer(text)]


@dataclass(frozen=True)
class CategoryTerm:
    """A word for a category, as the catalogue knows it."""

    word: str
    category_id: str


class EntityExtractor:
    """Finds order ids, categories, colours, sizes and price limits in a message."""

    def __init__(self, categories: list[dict[str, Any]], products: list[dict[str, Any]] | None = None) -> None:
        terms = []
        for category in categories:
            words = expand_synonyms({category["id"], category.get("name_zh") or "", category.get("name_en") or "",
                                     *(category.get("aliases") or [])})
            terms.extend(CategoryTerm(w.lower(), category["id"]) for w in words if w)
        self._category_terms = sorted(terms, key=lambda t: -len(t.word))
        self._english_category_words = [t.word for t in self._category_terms if t.word.isascii()]
        self._colours = colour_words()
        self._titles = {title.lower(): p["id"] for p in products or [] for title in (p.get("title_zh"), p.get("title_en"))
                        if title and len(title) >= 4}
        self._title_list = list(self._titles)

    def extract(self, text: str, today: date | None = None) -> dict[str, Any]:
        """Every entity found in ``text``; absent ones are left out. Dates count from ``today``."""
        entities: dict[str, Any] = self._details(text, today or utc_now().date())
        for key in ("email", "phone"):
            if key in entities:
                text = text.replace(entities[key], " ")
        lowered = text.lower()
        product_id = self._product(text, lowered)
        if product_id:
            entities["product_id"] = product_id
        ids = order_ids(text)
        if ids:
            entities["order_id"] = ids[0]
        category = self._category(lowered)
        if category:
            entities["category"] = category
        colour = next((c for w, c in self._colours if self._contains_word(lowered, w)), None)
        if colour:
            entities["color"] = colour
        size = self._size(text)
        if size:
            entities["size"] = size
        entities.update(self._price(ORDER_ID.sub(" ", text) if ids else text))
        terms = self._english_terms(lowered, entities)
        if terms:
            entities["terms"] = terms
        return entities

    @staticmethod
    def _details(text: str, today: date) -> dict[str, Any]:
        """Quantity, email, phone, address and dates."""
        found: dict[str, Any] = {}
        email = details.EMAIL.search(text)
        phone = details.PHONE.search(text)
        values = {"email": email.group(0) if email else None, "phone": phone.group(0) if phone else None,
                  "quantity": details.quantity(text), "address": details.address(text),
                  "dates": details.dates(text, today) or None}
        found.update({k: v for k, v in values.items() if v is not None})
        return found

    def _product(self, text: str, lowered: str) -> str | None:
        """A product named by id ("P1001") or by (nearly) its full title."""
        explicit = _PRODUCT_ID.search(text)
        if explicit:
            return explicit.group(1)
        if len(lowered) < 4 or not self._titles:
            return None
        match = process.extractOne(lowered, self._title_list, scorer=fuzz.partial_ratio, score_cutoff=90)
        if match and len(lowered) >= 0.8 * len(match[0]):
            return self._titles[match[0]]
        return None

    @staticmethod
    def _contains_word(lowered: str, word: str) -> bool:
        if word not in lowered:  # cheap test first: most words are nowhere in the message
            return False
        return not word.isascii() or re.search(rf"\b{re.escape(word)}s?\b", lowered) is not None

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
        shoe = _SIZE_SHOE.search(text)
        if shoe:
            return shoe.group(1)
        en = _SIZE_EN.search(text)
        if en and (en.group(0).lower().startswith("size") or len(en.group(1)) > 1 or en.group(1).isupper()):
            return en.group(1).upper()
        return next((size for pattern, size in _SIZE_WORDS if pattern.search(text)), None)

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
