"""The store read into arrays: the catalogue (products, variants, options) and the behaviour events.

Everything the recommender index is built from, read with a few SQL queries so that a shop of
100k products and 1M events loads in seconds."""
from __future__ import annotations

import json
from dataclasses import dataclass, field

import numpy as np

from core.recommend.stock import SELLABLE_SQL
from core.store import Store

KINDS = ("view", "cart", "purchase")
KIND_CODE = {kind: code for code, kind in enumerate(KINDS)}
SECONDS_PER_DAY = 86400.0
_EPOCH_SECONDS = "(julianday(created_at) - 2440587.5) * 86400.0"


@dataclass
class CatalogArrays:
    """Products by row number, and their variants as flat arrays (``var_product`` is the row)."""

    ids: list[str]
    row: dict[str, int]
    category: np.ndarray  # int32 code per product
    categories: list[str]  # code -> category id
    consumable: np.ndarray  # bool per product
    search_text: list[str]  # lower-cased titles, brand and tags, for query terms
    tokens: list[list[str]]  # content tokens per product (used while building, then dropped)
    var_product: np.ndarray  # int32 product row per variant
    var_price: np.ndarray  # int64 cents per variant
    var_in_stock: np.ndarray  # bool: available and not known to be out of stock (stock.py)
    var_options: dict[str, np.ndarray] = field(default_factory=dict)  # option -> int32 value code (-1 none)
    option_values: dict[str, dict[str, int]] = field(default_factory=dict)  # option -> lower value -> code

    @property
    def size(self) -> int:
        """How many products."""
        return len(self.ids)


@dataclass
class EventLog:
    """Behaviour events as arrays, oldest first; products outside the catalogue are dropped."""

    event_id: np.ndarray  # int64
    customer: np.ndarray  # int64 customer id
    product: np.ndarray  # int32 product row
    kind: np.ndarray  # int8 code into KINDS
    time: np.ndarray  # float64 seconds since the epoch

    def __len__(self) -> int:
        return len(self.event_id)


def load_catalog(store: Store) -> CatalogArrays:
    """Every product and variant of the store as :class:`CatalogArrays`."""
    products = store.db.execute(
        "select id, category, title_zh, title_en, tags, brand, consumable from products order by id").fetchall()
    ids = [p[0] for p in products]
    row = {pid: i for i, pid in enumerate(ids)}
    categories = sorted({p[1] or "" for p in products})
    category_code = {c: i for i, c in enumerate(categories)}
    search_text, tokens = [], []
    for _, category, title_zh, title_en, tags_json, brand, _ in products:
        tags = json.loads(tags_json) if tags_json else []
        search_text.append(" ".join([title_zh or "", title_en or "", brand or "", *tags]).lower())
        tokens.append(_text_tokens(category or "", title_zh or "", title_en or "", brand or "", tags))
    variants = store.db.execute(
        f"select product_id, price_cents, options, {SELLABLE_SQL} from variants").fetchall()
    var_product = np.fromiter((row.get(v[0], -1) for v in variants), dtype=np.int32, count=len(variants))
    keep = var_product >= 0
    option_values: dict[str, dict[str, int]] = {}
    option_codes: dict[str, list[int]] = {}
    for index, (product_id, _, options_json, _) in enumerate(variants):
        if product_id not in row:
            continue
        for key, value in (json.loads(options_json) if options_json else {}).items():
            values = option_values.setdefault(key, {})
            code = values.setdefault(str(value).lower(), len(values))
            if key not in option_codes:
                option_codes[key] = [-1] * len(variants)
            option_codes[key][index] = code
            tokens[row[product_id]].append(f"o:{key}={str(value).lower()}")
    return CatalogArrays(
        ids=ids, row=row,
        category=np.array([category_code[p[1] or ""] for p in products], dtype=np.int32),
        categories=categories,
        consumable=np.array([bool(p[6]) for p in products], dtype=bool),
        search_text=search_text, tokens=tokens,
        var_product=var_product[keep],
        var_price=np.array([v[1] for v in variants], dtype=np.int64)[keep],
        var_in_stock=np.array([bool(v[3]) for v in variants], dtype=bool)[keep],
        var_options={k: np.array(codes, dtype=np.int32)[keep] for k, codes in option_codes.items()},
        option_values=option_values,
    )


def load_events(store: Store, catalog: CatalogArrays) -> EventLog:
    """Every event of the store whose product is in ``catalog``, oldest first."""
    rows = store.db.execute(
        f"select id, customer_id, kind, product_id, {_EPOCH_SECONDS} from events order by created_at, id").fetchall()
    return events_from_rows(rows, catalog)


def events_from_rows(rows: list[tuple], catalog: CatalogArrays) -> EventLog:
    """An :class:`EventLog` from (id, customer_id, kind, product_id, epoch seconds) rows."""
    product = np.fromiter((catalog.row.get(r[3], -1) for r in rows), dtype=np.int32, count=len(rows))
    keep = product >= 0
    return EventLog(
        event_id=np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))[keep],
        customer=np.fromiter((r[1] for r in rows), dtype=np.int64, count=len(rows))[keep],
        product=product[keep],
        kind=np.fromiter((KIND_CODE.get(r[2], 0) for r in rows), dtype=np.int8, count=len(rows))[keep],
        time=np.fromiter((r[4] or 0.0 for r in rows), dtype=np.float64, count=len(rows))[keep],
    )


def customer_events(store: Store, customer_id: int, limit: int) -> list[tuple]:
    """One customer's newest events as (id, customer_id, kind, product_id, epoch seconds), newest first."""
    return store.db.execute(
        f"select id, customer_id, kind, product_id, {_EPOCH_SECONDS} from events where customer_id = ? "
        "order by created_at desc, id desc limit ?", [customer_id, limit]).fetchall()


def _text_tokens(category: str, title_zh: str, title_en: str, brand: str, tags: list[str]) -> list[str]:
    """Content tokens: category, brand, tags, English title words and Chinese title character pairs."""
    words = "".join(ch if ch.isalnum() and ch.isascii() else " " for ch in title_en.lower()).split()
    han = [ch for ch in title_zh if "\u4e00" <= ch <= "\u9fff"]
    return ([f"c:{category}", f"b:{brand.lower()}"] + [f"t:{t.lower()}" for t in tags]
            + [f"w:{w}" for w in words if len(w) > 1] + [f"z:{a}{b}" for a, b in zip(han, han[1:])])
