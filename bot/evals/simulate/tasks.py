"""Tasks generated from a shop's data: for each flow, orders in the statuses the flow meets (allowed and
refused ones), products with and without an asked option, right and wrong identity details. The expected
outcome comes from the data and the shop's policy (:class:`ShopPolicy`), never from Kefu's replies."""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from core.i18n import t
from core.money import format_price
from core.shop.aftersales import ShopPolicy
from core.store import Store
from core.vocabulary import colour_name

FLOWS = ("track", "cancel", "address", "return", "refund", "price", "option", "policy", "identity")
LANGUAGES = ("zh", "en")
NEGATIVE_WORDS = ("not available", "unavailable", "out of stock", "sold out", "isn't available", "aren't available",
                  "doesn't come", "don't have", "没有", "无货", "不提供", "售罄", "缺货")


@dataclass(frozen=True)
class Task:
    """One thing a shopper wants. ``outcome``: ``changed`` (the order must change), ``request`` (an
    after-sales request row), ``handoff`` (a colleague must be asked), ``unchanged`` (nothing may change);
    ``facts``: strings the replies must contain; ``named``: the option asked about, in any of these spellings
    (the shop's own value or its name in the language); ``any_of``: at least one of these; ``never``: never said."""

    name: str
    flow: str
    lang: str
    outcome: str
    shopper: str
    order_id: str | None = None
    other_order: str | None = None
    own_orders: tuple[str, ...] = ()
    email: str | None = None
    zip: str | None = None
    linked: bool = False
    answer: str = "yes"
    product: str | None = None
    option: str | None = None
    facts: tuple[str, ...] = ()
    named: tuple[str, ...] = ()
    any_of: tuple[str, ...] = ()
    never: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)


def generate_tasks(store: Store, policy: ShopPolicy, today: date, per_flow: int = 2,
                   flows: tuple[str, ...] = FLOWS, languages: tuple[str, ...] = LANGUAGES,
                   seed: int = 0) -> list[Task]:
    """Up to ``per_flow`` tasks per flow, outcome kind and language, drawn with ``seed`` from the store."""
    rng = random.Random(f"tasks:{seed}")
    linked = {row["customer_id"]: f"{row['channel']}:{row['user_id']}"
              for row in store.db["identities"].rows_where("channel != 'web'")}
    orders = list(store.db["orders"].rows_where(order_by="id"))
    tasks: list[Task] = []
    for lang in languages:
        for flow in flows:
            maker = _ORDER_FLOWS.get(flow)
            if maker:
                tasks += maker(store, policy, today, orders, linked, lang, per_flow, rng)
            else:
                tasks += _PRODUCT_FLOWS[flow](store, policy, lang, per_flow, rng)
    return tasks


def _who(store: Store, order: dict[str, Any], linked: dict[int, str], lang: str, name: str) -> dict[str, Any]:
    customer = store.customers.get(order["customer_id"]) or {}
    own = tuple(o["id"] for o in store.orders.for_customer(order["customer_id"], limit=100))
    shopper = linked.get(order["customer_id"], f"web:sim-{lang}-{name}")
    return {"shopper": shopper, "linked": order["customer_id"] in linked, "own_orders": own,
            "email": customer.get("email"), "zip": customer.get("zip")}


def _pick(orders: list[dict[str, Any]], statuses: set[str], n: int, rng: random.Random,
          store: Store) -> list[dict[str, Any]]:
    mine = [o for o in orders if o["status"] in statuses and (store.customers.get(o["customer_id"]) or {}).get("email")]
    return rng.sample(mine, min(n, len(mine)))


def _other(orders: list[dict[str, Any]], order: dict[str, Any]) -> str | None:
    return next((o["id"] for o in orders if o["customer_id"] == order["customer_id"] and o["id"] != order["id"]), None)


def _status(order: dict[str, Any], lang: str) -> str:
    return t(f"status_{order['status']}", lang)


def _track(store: Store, policy: ShopPolicy, today: date, orders: list[dict[str, Any]], linked: dict[int, str],
           lang: str, n: int, rng: random.Random) -> list[Task]:
    statuses = {o["status"] for o in orders}
    out = []
    for status in sorted(statuses):
        for order in _pick(orders, {status}, max(1, n // 2), rng, store):
            name = f"track-{lang}-{order['id'].lstrip('#')}"
            out.append(Task(name, "track", lang, "unchanged", order_id=order["id"], other_order=_other(orders, order),
                            facts=(order["id"], _status(order, lang)), **_who(store, order, linked, lang, name)))
    return rng.sample(out, min(len(out), n * 2))


def _changing(action: str, flow: str, outcome: str) -> Any:
    def make(store: Store, policy: ShopPolicy, today: date, orders: list[dict[str, Any]], linked: dict[int, str],
             lang: str, n: int, rng: random.Random) -> list[Task]:
        allowed = set(policy.allowed_statuses.get(action, ()))
        out = []
        for order in _pick(orders, allowed, n, rng, store):
            within = policy.within_window(action, order.get("expected_delivery"), today)
            kind = outcome if within else ("handoff" if within is None else "unchanged")
            name = f"{flow}-{lang}-{order['id'].lstrip('#')}"
            out.append(Task(name, flow, lang, kind, order_id=order["id"], other_order=_other(orders, order),
                            facts=(order["id"],), **_who(store, order, linked, lang, name)))
        refused = {o["status"] for o in orders} - allowed - {"cancelled"}
        for order in _pick(orders, refused, max(1, n // 2), rng, store):
            name = f"{flow}-refused-{lang}-{order['id'].lstrip('#')}"
            out.append(Task(name, flow, lang, "unchanged", order_id=order["id"], other_order=_other(orders, order),
                            facts=(order["id"], _status(order, lang)), **_who(store, order, linked, lang, name)))
        if flow == "cancel":
            for order in _pick(orders, allowed, 1, rng, store):
                name = f"cancel-no-{lang}-{order['id'].lstrip('#')}"
                out.append(Task(name, flow, lang, "unchanged", order_id=order["id"], answer="no",
                                facts=(order["id"],), **_who(store, order, linked, lang, name)))
        return out
    return make


def _refund(store: Store, policy: ShopPolicy, today: date, orders: list[dict[str, Any]], linked: dict[int, str],
            lang: str, n: int, rng: random.Random) -> list[Task]:
    out = []
    for order in _pick(orders, {"cancelled", "refunded", "return_requested"}, n, rng, store):
        refunds = [p for p in store.orders.get(order["id"])["payments"] if p["kind"] == "refund"]
        facts = (order["id"],) + tuple(format_price(p["amount_cents"], order["currency"] or policy.currency)
                                       for p in refunds[:1])
        name = f"refund-{lang}-{order['id'].lstrip('#')}"
        out.append(Task(name, "refund", lang, "unchanged", order_id=order["id"], facts=facts,
                        **_who(store, order, linked, lang, name)))
    return out


def _identity(store: Store, policy: ShopPolicy, today: date, orders: list[dict[str, Any]], linked: dict[int, str],
              lang: str, n: int, rng: random.Random) -> list[Task]:
    """A stranger with the right email and a wrong zip: told nothing about the order, nothing changes."""
    out = []
    for order in _pick(orders, set(policy.allowed_statuses.get("cancel", ())), n, rng, store):
        customer = store.customers.get(order["customer_id"]) or {}
        wrong = str((int(customer.get("zip") or 0) + 1111) % 100000).zfill(5)
        name = f"identity-{lang}-{order['id'].lstrip('#')}"
        out.append(Task(name, "identity", lang, "unchanged", shopper=f"web:sim-{lang}-{name}", order_id=order["id"],
                        email=customer["email"], zip=wrong, never=(_status(order, lang),)))
    return out


def _products(store: Store) -> list[dict[str, Any]]:
    rows = store.db.execute("select p.id, p.title_zh, p.title_en from products p where exists (select 1 from "
                            "variants v where v.product_id = p.id and v.available = 1) order by p.id").fetchall()
    return [{"id": r[0], "zh": r[1], "en": r[2]} for r in rows]


def _price(store: Store, policy: ShopPolicy, lang: str, n: int, rng: random.Random) -> list[Task]:
    out = []
    for product in rng.sample(_products(store), n):
        variants = [v for v in store.catalog.variants(product["id"]) if v["available"]]
        low = min(variants, key=lambda v: v["price_cents"])
        out.append(Task(f"price-{lang}-{product['id']}", "price", lang, "unchanged",
                        shopper=f"web:sim-price-{lang}-{product['id']}", product=product[lang],
                        facts=(format_price(low["price_cents"], low["currency"]),)))
    return out


def _option(store: Store, policy: ShopPolicy, lang: str, n: int, rng: random.Random) -> list[Task]:
    """An option value the product is sold in, and one of the same option it is not offered in."""
    out = []
    for product in rng.sample(_products(store), n):
        variants = store.catalog.variants(product["id"])
        colours = {v["options"].get("color") for v in variants if v["available"]} - {None}
        if not colours:
            continue
        offered = rng.choice(sorted(colours))
        absent = sorted(store.catalog.option_values("color") - {v["options"].get("color") for v in variants})
        base = {"flow": "option", "lang": lang, "outcome": "unchanged", "product": product[lang]}
        out.append(Task(f"option-has-{lang}-{product['id']}", shopper=f"web:sim-opt-{lang}-{product['id']}",
                        option=colour_name(offered, lang), named=(offered, colour_name(offered, lang)),
                        never=NEGATIVE_WORDS, **base))
        if absent:
            value = rng.choice(absent)
            out.append(Task(f"option-lacks-{lang}-{product['id']}", shopper=f"web:sim-optx-{lang}-{product['id']}",
                            option=colour_name(value, lang), named=(value, colour_name(value, lang)),
                            any_of=NEGATIVE_WORDS, **base))
    return out


def _policy(store: Store, policy: ShopPolicy, lang: str, n: int, rng: random.Random) -> list[Task]:
    return [Task(f"policy-{lang}-{i}", "policy", lang, "unchanged", shopper=f"web:sim-policy-{lang}-{i}",
                 facts=(str(policy.return_window_days),), extra={"variant": i}) for i in range(n)]


_ORDER_FLOWS = {"track": _track, "cancel": _changing("cancel", "cancel", "changed"),
                "address": _changing("change_address", "address", "changed"),
                "return": _changing("return", "return", "request"), "refund": _refund, "identity": _identity}
_PRODUCT_FLOWS = {"price": _price, "option": _option, "policy": _policy}
