"""Triggered journeys: who qualifies right now, each as a :class:`Target` with its occasion.

* ``abandoned_cart``: the customer's last cart event is ``after_hours`` old (and within
  ``window_days``) and nothing was bought or ordered since; occasion ``cart:<event id>``.
* ``back_in_stock`` / ``price_drop``: a product the customer viewed or carted in the last
  ``window_days`` came back in stock or got cheaper (against the snapshot in ``promo_products``,
  refreshed on every run) and they have not bought it since; occasion ``<kind>:<product>:<when>``.
* ``review_request``: an order delivered ``after_days`` ago (within ``window_days``);
  occasion ``order:<id>``.
* ``win_back``: the last order is ``inactive_days`` old; occasion ``winback:<last order date>``.
* ``birthday``: today is the customer's birthday on their own clock; occasion ``birthday:<year>``."""
from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta

import sqlite_utils

from core.promotions.campaigns import iso
from core.promotions.definition import Trigger
from core.promotions.planner import Target
from core.promotions.respect import RespectRules

_TITLES = "(select json_object('zh', title_zh, 'en', title_en) from products where id = {col})"


def journey_targets(db: sqlite_utils.Database, trigger: Trigger, now: datetime, rules: RespectRules) -> list[Target]:
    """Everyone the journey's trigger applies to at ``now``."""
    finders: dict[str, Callable[[], list[Target]]] = {
        "abandoned_cart": lambda: _abandoned_carts(db, trigger, now),
        "back_in_stock": lambda: _product_changes(db, trigger, now, "back_in_stock"),
        "price_drop": lambda: _product_changes(db, trigger, now, "price_drop"),
        "review_request": lambda: _review_requests(db, trigger, now),
        "win_back": lambda: _win_backs(db, trigger, now),
        "birthday": lambda: _birthdays(db, now, rules),
    }
    return finders[trigger.kind]()


def refresh_product_snapshot(db: sqlite_utils.Database, now: datetime) -> int:
    """Compare each product's lowest available price and stock with the snapshot; record a restock or
    a lower price as the product's latest change. Returns how many products changed."""
    current = db.execute(
        "select product_id, min(price_cents), max(case when stock > 0 and available = 1 then 1 else 0 end) "
        "from variants where available = 1 group by product_id").fetchall()
    known = {r[0]: (r[1], r[2]) for r in db.execute("select product_id, min_price_cents, in_stock from promo_products")}
    stamp, changed, rows = iso(now), 0, []
    for product_id, price, in_stock in current:
        row = {"product_id": product_id, "min_price_cents": price, "in_stock": in_stock, "updated_at": stamp}
        before = known.get(product_id)
        if before is not None:
            kind = "back_in_stock" if before[1] == 0 and in_stock else \
                "price_drop" if price is not None and before[0] is not None and price < before[0] else None
            if kind:
                row.update(changed=kind, changed_at=stamp)
                changed += 1
        rows.append(row)
    db["promo_products"].upsert_all(rows, pk="product_id")
    return changed


def _abandoned_carts(db: sqlite_utils.Database, trigger: Trigger, now: datetime) -> list[Target]:
    latest, earliest = iso(now - timedelta(hours=trigger.after_hours)), iso(now - timedelta(days=trigger.window_days))
    rows = db.execute(
        f"select e.customer_id, e.id, {_TITLES.format(col='e.product_id')} from events e "
        "where e.kind = 'cart' and e.created_at <= ? and e.created_at >= ? "
        "and e.id = (select id from events x where x.customer_id = e.customer_id and x.kind = 'cart' "
        "            order by x.created_at desc, x.id desc limit 1) "
        "and not exists (select 1 from events p where p.customer_id = e.customer_id and p.kind = 'purchase' "
        "                and p.created_at >= e.created_at) "
        "and not exists (select 1 from orders o where o.customer_id = e.customer_id and o.created_at >= e.created_at)",
        [latest, earliest])
    return [Target(cid, f"cart:{event_id}", _titles(titles)) for cid, event_id, titles in rows]


def _product_changes(db: sqlite_utils.Database, trigger: Trigger, now: datetime, kind: str) -> list[Target]:
    refresh_product_snapshot(db, now)
    since = iso(now - timedelta(days=trigger.window_days))
    rows = db.execute(
        f"select distinct e.customer_id, p.product_id, p.changed_at, {_TITLES.format(col='p.product_id')} "
        "from promo_products p join events e on e.product_id = p.product_id and e.kind in ('view', 'cart') "
        "where p.changed = ? and p.changed_at >= ? and e.created_at >= ? "
        "and not exists (select 1 from events b where b.customer_id = e.customer_id and b.kind = 'purchase' "
        "                and b.product_id = p.product_id and b.created_at >= e.created_at)",
        [kind, since, since])
    return [Target(cid, f"{kind}:{pid}:{at}", _titles(titles)) for cid, pid, at, titles in rows]


def _review_requests(db: sqlite_utils.Database, trigger: Trigger, now: datetime) -> list[Target]:
    rows = db.execute(
        "select o.customer_id, o.id, (select json_object('zh', coalesce(p.title_zh, i.name), "
        "'en', coalesce(p.title_en, i.name)) from order_items i left join products p on p.id = i.product_id "
        "where i.order_id = o.id order by i.id limit 1) "
        "from orders o where o.status = 'delivered' and o.updated_at <= ? and o.updated_at >= ?",
        [iso(now - timedelta(days=trigger.after_days)), iso(now - timedelta(days=trigger.window_days))])
    return [Target(cid, f"order:{order_id}", _titles(titles)) for cid, order_id, titles in rows]


def _win_backs(db: sqlite_utils.Database, trigger: Trigger, now: datetime) -> list[Target]:
    rows = db.execute(
        "select customer_id, max(created_at) from orders where status not in ('cancelled', 'refunded') "
        "group by customer_id having max(created_at) <= ?", [iso(now - timedelta(days=trigger.inactive_days))])
    return [Target(cid, f"winback:{last[:10]}") for cid, last in rows]


def _birthdays(db: sqlite_utils.Database, now: datetime, rules: RespectRules) -> list[Target]:
    targets = []
    for cid, birthday, timezone in db.execute(
            "select id, birthday, timezone from customers where birthday is not null and birthday != ''"):
        today = now.astimezone(rules.zone(timezone)).date()
        if birthday[-5:] == today.strftime("%m-%d"):
            targets.append(Target(cid, f"birthday:{today.year}"))
    return targets


def _titles(value: str | None) -> dict[str, str]:
    return {k: v for k, v in json.loads(value).items() if v} if value else {}
