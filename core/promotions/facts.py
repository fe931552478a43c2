"""What segments and the respect rules look at, for every customer, in a few set-based queries."""
from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime

import sqlite_utils

_FACTS_SQL = """
select c.id, c.name, c.language, c.timezone, c.birthday, c.marketing_consent, c.consent_at, c.unreachable,
       coalesce(o.orders, 0), coalesce(o.spend, 0), o.last_order, e.last_event
from customers c
left join (select customer_id, count(*) as orders, sum(total_cents) as spend, max(created_at) as last_order
           from orders where status not in ('cancelled', 'refunded') group by customer_id) o
       on o.customer_id = c.id
left join (select customer_id, max(created_at) as last_event from events group by customer_id) e
       on e.customer_id = c.id
{where}
order by c.id
"""


@dataclass
class CustomerFacts:
    """One customer as promotions see them (times as aware datetimes, money in cents)."""

    id: int
    name: str | None
    language: str | None
    timezone: str | None
    birthday: str | None
    consented: bool
    unreachable: bool
    orders: int
    spend_cents: int
    last_order: datetime | None
    last_event: datetime | None
    identities: list[tuple[str, str]] = field(default_factory=list)  # (channel, user_id), newest first

    @property
    def last_active(self) -> datetime | None:
        """The later of the last order and the last browsing event."""
        times = [t for t in (self.last_order, self.last_event) if t is not None]
        return max(times) if times else None

    @classmethod
    def from_row(cls, row: dict | None) -> CustomerFacts:
        """Facts from the customer record alone (no order or event history), for checks just before a
        send; a missing customer (erased) has no consent."""
        row = row or {"id": 0}
        return cls(row["id"], row.get("name"), row.get("language"), row.get("timezone"), row.get("birthday"),
                   bool(row.get("marketing_consent") and row.get("consent_at")), bool(row.get("unreachable")),
                   0, 0, None, None)

    def identity_on(self, channels: set[str]) -> tuple[str, str] | None:
        """The most recently linked identity on one of ``channels``, or None."""
        return next(((c, u) for c, u in self.identities if c in channels), None)


def load_facts(db: sqlite_utils.Database, customer_ids: list[int] | None = None) -> list[CustomerFacts]:
    """Facts for every customer (or the given ones), ordered by id."""
    where, args = "", []
    if customer_ids is not None:
        if not customer_ids:
            return []
        where = "where c.id in (select value from json_each(?))"
        args = [_json_list(customer_ids)]
    identities: defaultdict[int, list[tuple[str, str]]] = defaultdict(list)
    id_sql = "select customer_id, channel, user_id from identities"
    id_sql += " where customer_id in (select value from json_each(?))" if customer_ids is not None else ""
    for customer_id, channel, user_id in db.execute(id_sql + " order by created_at desc, rowid desc", args):
        identities[customer_id].append((channel, user_id))
    facts = []
    for row in db.execute(_FACTS_SQL.format(where=where), args):
        (cid, name, language, tz, birthday, consent, consent_at, unreachable, orders, spend, last_order,
         last_event) = row
        facts.append(CustomerFacts(cid, name, language, tz, birthday, bool(consent and consent_at),
                                   bool(unreachable), orders, spend, _when(last_order), _when(last_event),
                                   identities.get(cid, [])))
    return facts


def customers_with_affinity(db: sqlite_utils.Database, categories: list[str]) -> set[int]:
    """Customers who viewed, carted or bought a product in one of ``categories``."""
    cats = _json_list(categories)
    rows = db.execute(
        "select distinct e.customer_id from events e join products p on p.id = e.product_id "
        "where p.category in (select value from json_each(?)) "
        "union select distinct o.customer_id from orders o join order_items i on i.order_id = o.id "
        "join products p on p.id = i.product_id where p.category in (select value from json_each(?))",
        [cats, cats])
    return {r[0] for r in rows}


def _when(value: str | None) -> datetime | None:
    """A stored timestamp as an aware datetime (dates alone are taken as midnight UTC)."""
    if not value:
        return None
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _json_list(values: list) -> str:
    return json.dumps(list(values))
