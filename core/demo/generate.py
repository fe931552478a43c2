"""Deterministic generator for the bilingual (zh/en) demo shop.

``python -m core.demo.generate [OUT_DIR]`` writes ``categories.json``, ``products.json``,
``customers.json``, ``orders.json`` and ``faq.json`` (default ``core/demo/data``). Everything is
drawn from one ``random.Random(SEED)`` against the fixed :data:`REFERENCE` time, never the clock,
so every run produces byte-identical files. What it draws from (the catalogue, names, cities and
carriers, the FAQ articles) is data in ``core/demo/tables/`` (:mod:`core.demo.shop_tables`).

Each customer has one or two hidden favourite categories (and a few liked products in them);
their browsing events and purchases are drawn mostly from those, so a recommender can learn
them from the data. The favourites themselves are not written out.
"""
from __future__ import annotations

import json
import random
import re
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from core.demo.shop_tables import (
    ABROAD_CITIES,
    CATEGORIES,
    CN_CARRIERS,
    CN_CITIES,
    EN_FIRST,
    EN_LAST,
    FAQ,
    INTL_CARRIER,
    ZH_GIVEN,
    ZH_SURNAMES,
    Category,
    Item,
)
from core.store.orders import ORDER_STATUSES

SEED = 20261101
REFERENCE = datetime(2026, 11, 1, tzinfo=UTC)
DEFAULT_OUT_DIR = Path(__file__).resolve().parent / "data"
CURRENCY = "CNY"

MAX_VARIANTS = 12
# Options whose values do not change the price; any other pinned option is priced by position.
PRICE_NEUTRAL_OPTIONS = frozenset({"color", "size", "model", "scent", "flavor", "switch", "material"})
# How much each step along a priced option adds, as a share of the base price (default 0.5).
PRICE_STEPS = {"weight": 0.9, "pack": 0.8, "capacity": 0.5, "size": 0.25, "length": 0.3}
OUT_OF_STOCK_RATE = 0.12
MAX_STRAY_SHARE = 0.3  # purchases outside a customer's favourite categories, at most


# Days before REFERENCE an order in each status was placed (low, high).
STATUS_AGE_DAYS = {
    "pending": (0.05, 1.5), "processed": (0.5, 3.0), "shipped": (3.0, 8.0), "delivered": (10.0, 180.0),
    "cancelled": (2.0, 170.0), "return_requested": (10.0, 26.0), "exchange_requested": (10.0, 26.0),
    "refunded": (25.0, 170.0),
}
# Statuses beyond the guaranteed minimum are drawn with these weights.
STATUS_WEIGHTS = {
    "pending": 2, "processed": 2, "shipped": 3, "delivered": 14, "cancelled": 2,
    "return_requested": 1, "exchange_requested": 1, "refunded": 2,
}
MIN_PER_STATUS = 9
SHIPPED_STATUSES = frozenset({"shipped", "delivered", "return_requested", "exchange_requested", "refunded"})


# --------------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------------
def iso(moment: datetime) -> str:
    """A UTC timestamp as the store writes it, e.g. ``2026-10-03T10:00:00+00:00``."""
    return moment.astimezone(UTC).replace(microsecond=0).isoformat(timespec="seconds")


def money(yuan: float) -> str:
    """A price string with two decimals, e.g. ``money(199) == "199.00"``."""
    return f"{yuan:.2f}"


def shop_price(yuan: float) -> int:
    """Round a raw price to a shop-style price ending in 9 (e.g. 236 -> 239)."""
    return max(9, int(yuan) // 10 * 10 + 9)


def fill_pattern(rng: random.Random, pattern: str) -> str:
    """Replace every ``#`` in ``pattern`` with a random digit."""
    return "".join(str(rng.randrange(10)) if ch == "#" else ch for ch in pattern)


def slug(value: str) -> str:
    """The SKU fragment for an option value: ``"iPhone 15"`` -> ``"IPHONE15"``."""
    return re.sub(r"[^A-Z0-9]", "", value.upper())


def days_before(days: float) -> datetime:
    """The moment ``days`` days before REFERENCE, truncated to the minute."""
    return (REFERENCE - timedelta(days=days)).replace(second=0, microsecond=0)


# --------------------------------------------------------------------------------------------
# Catalogue
# --------------------------------------------------------------------------------------------
def build_categories() -> list[dict[str, Any]]:
    """categories.json: id, bilingual names and the aliases shoppers use."""
    return [{"id": c.id, "name_zh": c.name_zh, "name_en": c.name_en, "aliases": list(c.aliases)}
            for c in CATEGORIES]


def option_values(rng: random.Random, category: Category, item: Item) -> dict[str, tuple[str, ...]]:
    """The option values one product offers, drawing unpinned colours/sizes from the category pools.

    Pinned options are taken as given; colours are a random sample of the category palette and
    sizes a contiguous run of the category's sizes, sized so the product has 2-12 variants.
    """
    keys = item.keys or category.option_keys
    fixed = item.fixed or {}
    values: dict[str, tuple[str, ...]] = {k: fixed[k] for k in keys if k in fixed}
    combos = 1
    for vals in values.values():
        combos *= len(vals)
    if "color" in keys and "color" not in values:
        most = min(len(category.palette), max(1, MAX_VARIANTS // combos), 4)
        least = 1 if "size" in keys and "size" not in values else min(2, most)
        values["color"] = tuple(rng.sample(category.palette, rng.randint(least, most)))
        combos *= len(values["color"])
    if "size" in keys and "size" not in values:
        length = rng.randint(min(3, len(category.sizes)), min(len(category.sizes), max(2, MAX_VARIANTS // combos)))
        start = rng.randint(0, len(category.sizes) - length)
        values["size"] = category.sizes[start:start + length]
    return {k: values[k] for k in keys}


def variant_rows(rng: random.Random, product_id: str, base_price: int,
                 values: dict[str, tuple[str, ...]], priced: frozenset[str]) -> list[dict[str, Any]]:
    """Every combination of the option values as a variant with price and stock.

    Options named in ``priced`` raise the price by PRICE_STEPS of the base per step along their
    values (a 100ml bottle costs more than a 50ml one).
    """
    combos: list[dict[str, str]] = [{}]
    for key, vals in values.items():
        combos = [{**combo, key: v} for combo in combos for v in vals]
    rows = []
    for options in combos:
        factor = 1 + sum(PRICE_STEPS.get(k, 0.5) * values[k].index(options[k]) for k in priced)
        price = shop_price(base_price * factor) if factor != 1 else base_price
        variant_id = "-".join([product_id, *(slug(options[k]) for k in values)])
        stock = 0 if rng.random() < OUT_OF_STOCK_RATE else rng.randint(1, 80)
        rows.append({"id": variant_id, "sku": variant_id, "options": options, "price": money(price),
                     "currency": CURRENCY, "stock": stock})
    return rows


def build_product(rng: random.Random, product_id: str, category: Category, item: Item) -> dict[str, Any]:
    """One products.json entry from its template."""
    closing_zh, closing_en = rng.choice(category.closings)
    values = option_values(rng, category, item)
    # Clothing sizes cost the same; a 32cm wok or a 45mm watch costs more than the smaller one.
    neutral = PRICE_NEUTRAL_OPTIONS if "size" in category.option_keys else PRICE_NEUTRAL_OPTIONS - {"size"}
    priced = frozenset(k for k in (item.fixed or {}) if k in values and k not in neutral)
    return {
        "id": product_id,
        "category": category.id,
        "title_zh": item.zh,
        "title_en": item.en,
        "description_zh": item.note_zh + closing_zh,
        "description_en": f"{item.note_en} {closing_en}",
        "tags": list(item.tags),
        "brand": rng.choice(category.brands),
        "image_url": f"https://picsum.photos/seed/{product_id}/400/400",
        "consumable": category.consumable,
        "variants": variant_rows(rng, product_id, item.price, values, priced),
    }


def build_products(rng: random.Random) -> list[dict[str, Any]]:
    """products.json: every template of every category, numbered from P1001."""
    products = []
    for category in CATEGORIES:
        for item in category.items:
            products.append(build_product(rng, f"P{1001 + len(products)}", category, item))
    return products


# --------------------------------------------------------------------------------------------
# Customers and their hidden preferences
# --------------------------------------------------------------------------------------------
@dataclass
class Profile:
    """A customer's hidden taste: favourite categories and a few liked products in them."""

    favourites: list[str]
    liked: list[str]
    by_category: dict[str, list[str]] = field(repr=False)
    noise: float = 0.15
    purchases: int = 0
    strays: int = 0

    def pick_product(self, rng: random.Random, exclude: set[str] | frozenset[str] = frozenset(),
                     stray_ok: bool = True) -> str:
        """A product this customer would plausibly look at or buy, outside ``exclude``.

        With probability ``noise`` (when ``stray_ok``) any category; otherwise a favourite,
        preferring the liked products.
        """
        everything = [p for ids in self.by_category.values() for p in ids]
        favoured = [p for cat in self.favourites for p in self.by_category[cat]]
        if stray_ok and rng.random() < self.noise:
            pools = (everything,)
        else:
            pools = (self.liked if rng.random() < 0.5 else favoured, favoured, everything)
        for pool in pools:
            candidates = [p for p in pool if p not in exclude]
            if candidates:
                return rng.choice(candidates)
        raise ValueError("every product is excluded")

    def pick_purchase(self, rng: random.Random, exclude: set[str]) -> str:
        """A product to buy; at most MAX_STRAY_SHARE of all purchases fall outside the favourites."""
        stray_ok = self.strays + 1 <= MAX_STRAY_SHARE * (self.purchases + 1)
        product_id = self.pick_product(rng, exclude, stray_ok)
        self.purchases += 1
        self.strays += not any(product_id in self.by_category[cat] for cat in self.favourites)
        return product_id


def build_profile(rng: random.Random, by_category: dict[str, list[str]]) -> Profile:
    """Draw one or two favourite categories and three liked products in each."""
    favourites = rng.sample(sorted(by_category), rng.choice((1, 2, 2)))
    liked = [p for cat in favourites for p in rng.sample(by_category[cat], 3)]
    return Profile(favourites, liked, by_category)


def person_name(rng: random.Random, language: str, taken: set[str]) -> tuple[str, str]:
    """A fresh (display name, e-mail local part) for a zh or en customer."""
    while True:
        if language == "zh":
            (sur, sur_py), (given, given_py) = rng.choice(ZH_SURNAMES), rng.choice(ZH_GIVEN)
            name, local = sur + given, f"{given_py}.{sur_py}"
        else:
            first, last = rng.choice(EN_FIRST), rng.choice(EN_LAST)
            name, local = f"{first} {last}", f"{first}.{last}".lower()
        if name not in taken:
            taken.add(name)
            return name, local


def cn_address(rng: random.Random, language: str) -> tuple[dict[str, str], str]:
    """A mainland address written in the customer's language, and a mobile number."""
    city = rng.choice(CN_CITIES)
    (district_zh, district_en), (street_zh, street_en) = rng.choice(city.districts), rng.choice(city.streets)
    number, building, room = rng.randint(1, 999), rng.randint(1, 12), rng.randint(1, 32) * 100 + rng.randint(1, 6)
    if language == "zh":
        line1, city_name = f"{district_zh}{street_zh}{number}号{building}栋{room}室", city.zh
    else:
        line1, city_name = f"Room {room}, Building {building}, {number} {street_en}, {district_en}", city.en
    zip_code = city.zip_prefix + fill_pattern(rng, "0#1")
    phone = fill_pattern(rng, rng.choice(("+86 138 #### ####", "+86 139 #### ####", "+86 186 #### ####")))
    return {"line1": line1, "city": city_name, "country": "CN", "zip": zip_code}, phone


def abroad_address(rng: random.Random) -> tuple[dict[str, str], str, str]:
    """An address outside the mainland, a phone number and the timezone."""
    city = rng.choice(ABROAD_CITIES)
    line1 = f"{rng.randint(1, 400)} {rng.choice(city.streets)}"
    address = {"line1": line1, "city": city.city, "country": city.country, "zip": fill_pattern(rng, city.zip_pattern)}
    return address, fill_pattern(rng, city.phone_pattern), city.timezone


def birthday(rng: random.Random) -> str:
    """A birthday between 1965 and 2006."""
    return f"{rng.randint(1965, 2006)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def consent(rng: random.Random) -> tuple[bool, str | None, str | None]:
    """(marketing_consent, consent_at, consent_source); about 60% opted in, at signup or checkout."""
    if rng.random() >= 0.6:
        return False, None, None
    return True, iso(days_before(rng.uniform(30, 700))), rng.choice(("signup", "checkout"))


def identities(rng: random.Random, index: int) -> list[dict[str, str]]:
    """Channel identities: some customers use Telegram, some the web chat, some both or none."""
    found = []
    roll = rng.random()
    if roll < 0.45:
        found.append({"channel": "telegram", "user_id": str(10001 + index)})
    if 0.35 < roll < 0.65:
        found.append({"channel": "web", "user_id": f"web-{rng.getrandbits(32):08x}"})
    return found


def build_customer(rng: random.Random, index: int, language: str, taken: set[str]) -> dict[str, Any]:
    """One customers.json entry without events (those follow the orders)."""
    name, local = person_name(rng, language, taken)
    if language == "zh" or rng.random() < 0.4:
        address, phone = cn_address(rng, language)
        tz = "Asia/Shanghai"
    else:
        address, phone, tz = abroad_address(rng)
    consented, consent_at, source = consent(rng)
    return {
        "id": f"C{index + 1:03d}",
        "name": name,
        "email": f"{local}{rng.randint(1, 99)}@example.com",
        "phone": phone,
        "zip": address["zip"],
        "address": address,
        "language": language,
        "timezone": tz,
        "birthday": birthday(rng),
        "marketing_consent": consented,
        "consent_at": consent_at,
        "consent_source": source,
        "identities": identities(rng, index),
        "events": [],
    }


# --------------------------------------------------------------------------------------------
# Orders
# --------------------------------------------------------------------------------------------
def status_plan(rng: random.Random, total: int) -> list[str]:
    """``total`` statuses in random order: MIN_PER_STATUS of each, the rest by STATUS_WEIGHTS."""
    plan = [s for s in ORDER_STATUSES for _ in range(MIN_PER_STATUS)]
    names, weights = list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values())
    plan += rng.choices(names, weights, k=total - len(plan))
    rng.shuffle(plan)
    return plan


def payment_methods(address: dict[str, str]) -> tuple[str, ...]:
    """The payment methods a customer at ``address`` would use."""
    if address["country"] == "CN":
        return ("alipay", "wechat_pay", "alipay", "wechat_pay", "credit_card")
    return ("credit_card", "paypal")


def tracking(rng: random.Random, address: dict[str, str]) -> tuple[str, str]:
    """(carrier, tracking number) for a parcel to ``address``."""
    carrier, prefix, digits = rng.choice(CN_CARRIERS) if address["country"] == "CN" else INTL_CARRIER
    alphabet = "0123456789" if prefix != "1Z" else "0123456789ABCDEFGHJKLMNPRSTUVWXYZ"
    return carrier, prefix + "".join(rng.choice(alphabet) for _ in range(digits))


def order_items(rng: random.Random, profile: Profile, products: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """One to three distinct products the customer would buy, each as an order line."""
    count = rng.choices((1, 2, 3), (6, 3, 1))[0]
    chosen: set[str] = set()
    lines = []
    for _ in range(count):
        product = products[profile.pick_purchase(rng, chosen)]
        chosen.add(product["id"])
        variant = rng.choice(product["variants"])
        quantity = rng.choice((1, 1, 2, 3)) if product["consumable"] else rng.choice((1, 1, 1, 1, 2))
        lines.append({"product_id": product["id"], "variant_id": variant["id"], "name": product["title_en"],
                      "options": dict(variant["options"]), "quantity": quantity, "price": variant["price"]})
    return lines


def order_total(items: list[dict[str, Any]]) -> str:
    """The sum of the order lines, computed in cents."""
    cents = sum(round(float(i["price"]) * 100) * i["quantity"] for i in items)
    return money(cents / 100)


def delivery_fields(rng: random.Random, status: str, created: datetime,
                    address: dict[str, str]) -> dict[str, Any]:
    """carrier, tracking_number and expected_delivery as they stand for an order in ``status``."""
    carrier = number = expected = None
    if status not in ("pending", "cancelled"):
        transit = rng.randint(2, 4) if address["country"] == "CN" else rng.randint(6, 10)
        expected = (created + timedelta(days=transit)).date().isoformat()
    if status in SHIPPED_STATUSES:
        carrier, number = tracking(rng, address)
    return {"carrier": carrier, "tracking_number": number, "expected_delivery": expected}


def payments(rng: random.Random, status: str, created: datetime, total: str, method: str) -> list[dict[str, Any]]:
    """The payment, plus a full refund for cancelled and refunded orders."""
    paid_at = created + timedelta(minutes=rng.randint(1, 20))
    rows = [{"kind": "payment", "amount": total, "method": method, "at": iso(paid_at)}]
    if status == "cancelled":
        rows.append({"kind": "refund", "amount": total, "method": method,
                     "at": iso(paid_at + timedelta(hours=rng.randint(1, 30)))})
    elif status == "refunded":
        rows.append({"kind": "refund", "amount": total, "method": method,
                     "at": iso(paid_at + timedelta(days=rng.randint(8, 20)))})
    return rows


def build_order(rng: random.Random, order_id: str, customer: dict[str, Any], status: str,
                profile: Profile, products: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """One orders.json entry in ``status``, dated by how long orders in that status have existed."""
    created = days_before(rng.uniform(*STATUS_AGE_DAYS[status]))
    items = order_items(rng, profile, products)
    total = order_total(items)
    method = "gift_card" if rng.random() < 0.05 else rng.choice(payment_methods(customer["address"]))
    return {
        "id": order_id,
        "customer_id": customer["id"],
        "status": status,
        "created_at": iso(created),
        "address": dict(customer["address"]),
        **delivery_fields(rng, status, created, customer["address"]),
        "currency": CURRENCY,
        "items": items,
        "payments": payments(rng, status, created, total, method),
    }


def order_id(rng: random.Random, taken: set[str]) -> str:
    """A fresh ``#W`` plus seven digits order number."""
    while True:
        candidate = f"#W{rng.randint(1000000, 9999999)}"
        if candidate not in taken:
            taken.add(candidate)
            return candidate


# --------------------------------------------------------------------------------------------
# Browsing events
# --------------------------------------------------------------------------------------------
def browsing_events(rng: random.Random, profile: Profile, orders: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """10-40 view/cart events: views before most purchases, free browsing around the favourites,
    and for some customers an abandoned cart (carted lately, never bought)."""
    events: dict[tuple[str, str, str], dict[str, Any]] = {}

    def add(kind: str, product_id: str, at: datetime) -> None:
        if at < REFERENCE:
            events.setdefault((kind, product_id, iso(at)), {"kind": kind, "product_id": product_id, "at": iso(at)})

    bought = set()
    for order in orders:
        created = datetime.fromisoformat(order["created_at"])
        for item in order["items"]:
            bought.add(item["product_id"])
            if rng.random() < 0.7:
                add("view", item["product_id"], created - timedelta(minutes=rng.randint(5, 3 * 24 * 60)))
            if rng.random() < 0.3:
                add("cart", item["product_id"], created - timedelta(minutes=rng.randint(1, 30)))
    if rng.random() < 0.4:
        for _ in range(rng.randint(1, 2)):
            product_id = profile.pick_product(rng, bought)
            seen = days_before(rng.uniform(0.5, 10))
            add("view", product_id, seen)
            add("cart", product_id, seen + timedelta(minutes=rng.randint(1, 15)))
    target = rng.randint(max(10, len(events)), 40)
    while len(events) < target:
        add(rng.choices(("view", "cart"), (5, 1))[0], profile.pick_product(rng), days_before(rng.uniform(0.1, 120)))
    return sorted(events.values(), key=lambda e: (e["at"], e["kind"], e["product_id"]))[-40:]


# --------------------------------------------------------------------------------------------
# The whole shop
# --------------------------------------------------------------------------------------------
def build_people(rng: random.Random, products: list[dict[str, Any]], count: int = 48
                 ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """customers.json and orders.json: customers, their orders (2-8 each) and browsing events."""
    by_category: dict[str, list[str]] = {}
    for product in products:
        by_category.setdefault(product["category"], []).append(product["id"])
    by_id = {p["id"]: p for p in products}
    languages = ["zh"] * (count * 5 // 8) + ["en"] * (count - count * 5 // 8)
    rng.shuffle(languages)
    taken_names: set[str] = set()
    customers = [build_customer(rng, i, lang, taken_names) for i, lang in enumerate(languages)]
    profiles = [build_profile(rng, by_category) for _ in customers]
    order_counts = [rng.randint(2, 8) for _ in customers]
    plan = status_plan(rng, sum(order_counts))
    taken_ids: set[str] = set()
    orders: list[dict[str, Any]] = []
    for customer, profile, n in zip(customers, profiles, order_counts):
        own = [build_order(rng, order_id(rng, taken_ids), customer, plan.pop(), profile, by_id) for _ in range(n)]
        own.sort(key=lambda o: o["created_at"])
        customer["events"] = browsing_events(rng, profile, own)
        orders.extend(own)
    return customers, orders


def build_faq() -> list[dict[str, Any]]:
    """faq.json: every article in zh and en."""
    rows = []
    for article_id, topic, tags, zh, en in FAQ:
        rows.append({"id": article_id, "lang": "zh", "topic": topic, "title": zh[0], "body": zh[1], "tags": list(tags)})
        rows.append({"id": article_id, "lang": "en", "topic": topic, "title": en[0], "body": en[1], "tags": list(tags)})
    return rows


def build_demo_data(seed: int = SEED) -> dict[str, list[dict[str, Any]]]:
    """Every demo file's content keyed by file stem, drawn from one seeded generator."""
    rng = random.Random(seed)
    products = build_products(rng)
    customers, orders = build_people(rng, products)
    return {"categories": build_categories(), "products": products, "customers": customers,
            "orders": orders, "faq": build_faq()}


def render(data: list[dict[str, Any]]) -> str:
    """The JSON text written for one file: UTF-8 characters, sorted keys, one-space indent."""
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def write_demo_data(out_dir: str | Path = DEFAULT_OUT_DIR, seed: int = SEED) -> list[Path]:
    """Generate the demo shop into ``out_dir``; returns the files written."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for stem, data in build_demo_data(seed).items():
        path = out / f"{stem}.json"
        path.write_text(render(data), encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m core.demo.generate [OUT_DIR]``."""
    args = sys.argv[1:] if argv is None else argv
    for path in write_demo_data(args[0] if args else DEFAULT_OUT_DIR):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
