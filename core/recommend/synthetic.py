"""A synthetic shop for benchmarks: a catalogue of any size (categories, bilingual titles, tags,
colour and size variants) and an event history in which shoppers favour one or two categories and
some products sell far more than others. Deterministic for a seed; written straight into a store."""
from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np

from core.store import Store

REFERENCE = np.datetime64("2026-11-01T00:00:00")
HISTORY_DAYS = 120
EVENTS_PER_SHOPPER = 20
_NOUNS = [("连衣裙", "dress"), ("T恤", "t-shirt"), ("运动鞋", "sneaker"), ("背包", "backpack"), ("耳机", "headphones"),
          ("保温杯", "flask"), ("面霜", "face cream"), ("茶叶", "tea"), ("手机壳", "phone case"), ("夹克", "jacket")]
_ADJECTIVES = [("轻薄", "light"), ("复古", "vintage"), ("经典", "classic"), ("简约", "minimal"), ("户外", "outdoor"),
               ("加厚", "thick"), ("便携", "portable"), ("真丝", "silk"), ("无线", "wireless"), ("有机", "organic")]
_TAGS = ["summer", "winter", "gift", "new", "sale", "eco", "premium", "kids", "office", "sport"]
_COLOURS = ["red", "blue", "black", "white", "pink", "green", "grey", "beige"]
_SIZES = ["S", "M", "L", "XL"]


@dataclass
class SyntheticShop:
    """What was generated."""

    products: int
    variants: int
    customers: int
    events: int
    categories: int


def generate(store: Store, products: int, events: int, seed: int = 7) -> SyntheticShop:
    """Fill an empty ``store`` with ``products`` products and about ``events`` events."""
    rng = np.random.default_rng(seed)
    n_categories = max(5, products // 100)
    category = np.sort(rng.integers(0, n_categories, products))
    starts = np.searchsorted(category, np.arange(n_categories))
    sizes = np.diff(np.append(starts, products))
    db = store.db
    with db.atomic():
        db.conn.executemany("insert into categories (id, name_zh, name_en, aliases) values (?, ?, ?, '[]')",
                            [(f"cat-{c}", f"品类{c}", f"Category {c}") for c in range(n_categories)])
        variant_count = _insert_products(db, rng, category)
        n_customers = max(10, events // EVENTS_PER_SHOPPER)
        db.conn.executemany("insert into customers (id, external_id, name, language, created_at) values (?, ?, ?, ?, ?)",
                            [(i, f"U{i}", f"Shopper {i}", "en" if i % 3 else "zh", "2026-01-01T00:00:00+00:00")
                             for i in range(1, n_customers + 1)])
        stored = _insert_events(db, rng, events, n_customers, starts, sizes, products)
    return SyntheticShop(products, variant_count, n_customers, stored, n_categories)


def _insert_products(db, rng: np.random.Generator, category: np.ndarray) -> int:
    rows, variants = [], []
    for i, c in enumerate(category.tolist()):
        noun = _NOUNS[c % len(_NOUNS)]
        adjective = _ADJECTIVES[int(rng.integers(len(_ADJECTIVES)))]
        tags = json.dumps(list(rng.choice(_TAGS, 2, replace=False)))
        pid = f"S{i:06d}"
        rows.append((pid, f"cat-{c}", f"{adjective[0]}{noun[0]} {i}", f"{adjective[1]} {noun[1]} {i}",
                     tags, f"Brand {int(rng.integers(50))}", int(rng.random() < 0.1), "2026-01-01T00:00:00+00:00"))
        price = int(rng.integers(10, 1000)) * 100
        for colour in rng.choice(_COLOURS, int(rng.integers(1, 3)), replace=False).tolist():
            for size in rng.choice(_SIZES, int(rng.integers(1, 3)), replace=False).tolist():
                stock = 0 if rng.random() < 0.1 else int(rng.integers(1, 50))
                variants.append((f"{pid}-{colour}-{size}", pid, json.dumps({"color": colour, "size": size}),
                                 price, "CNY", stock))
    db.conn.executemany("insert into products (id, category, title_zh, title_en, tags, brand, consumable, "
                        "created_at) values (?, ?, ?, ?, ?, ?, ?, ?)", rows)
    db.conn.executemany("insert into variants (id, product_id, options, price_cents, currency, stock, available) "
                        "values (?, ?, ?, ?, ?, ?, 1)", variants)
    return len(variants)


def _insert_events(db, rng: np.random.Generator, events: int, n_customers: int, starts: np.ndarray,
                   sizes: np.ndarray, products: int) -> int:
    favourites = rng.integers(0, len(starts), (n_customers + 1, 2))
    customer = rng.integers(1, n_customers + 1, events)
    in_favourite = rng.random(events) < 0.8
    chosen_category = favourites[customer, rng.integers(0, 2, events)]
    within = (sizes[chosen_category] * rng.random(events) ** 2).astype(np.int64)
    row = np.where(in_favourite, starts[chosen_category] + within, (products * rng.random(events) ** 3).astype(np.int64))
    row = np.minimum(row, products - 1)
    kind = rng.choice(np.array(["view", "cart", "purchase"]), events, p=[0.75, 0.15, 0.10])
    seconds = rng.integers(0, HISTORY_DAYS * 86400, events)
    stamps = np.datetime_as_string(REFERENCE - seconds.astype("timedelta64[s]"), unit="s")
    before = db.execute("select count(*) from events").fetchone()[0]
    db.conn.executemany(
        "insert or ignore into events (customer_id, kind, product_id, created_at) values (?, ?, ?, ?)",
        zip(customer.tolist(), kind.tolist(), (f"S{r:06d}" for r in row.tolist()),
            (f"{s}+00:00" for s in stamps.tolist())))
    return db.execute("select count(*) from events").fetchone()[0] - before
