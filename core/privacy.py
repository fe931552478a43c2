"""A shopper's data rights, for every channel: export all their data, or erase it.

Erasure removes personal data (name, contacts, addresses, identities, conversations, the texts of
promotions and after-sales requests, what channels kept to deliver messages) and keeps what shop
statistics need without naming anyone: orders with their items and totals, and behaviour events,
all under the now anonymous customer id. Both operations are audited. What a channel keeps in its
own tables is exported and erased by the hook it registered with the store (``store.channel_data``)."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from core.clock import utc_now_iso
from core.store import Store

_PERSONAL_FIELDS = ("name", "email", "phone", "zip", "address", "birthday", "timezone", "language")


@dataclass(frozen=True)
class Erasure:
    """What an erasure removed and kept, by count (no personal data)."""

    customer_id: int
    identities: int
    conversations: int
    messages: int
    orders_anonymised: int


def export_customer_data(store: Store, customer_id: int, actor: str) -> dict[str, Any]:
    """Everything Kefu holds about a customer, as one JSON-ready document; the export is audited."""
    customer = store.customers.get(customer_id)
    if customer is None:
        raise LookupError(f"no customer {customer_id}")
    db = store.db
    conversations = [
        {**row, "messages": store.conversations.transcript(row["id"]),
         "dialogue_state": store.conversations.state(row["id"]),
         "confirmed_changes": list(db["confirmed_changes"].rows_where("conversation_id = ?", [row["id"]],
                                                                      order_by="turn"))}
        for row in filter(None, map(store.conversations.get, _conversation_ids(store, customer_id)))
    ]
    document = {
        "exported_at": utc_now_iso(),
        "customer": customer,
        "identities": store.customers.identities(customer_id),
        "marketing_consent": {"granted": bool(customer.get("marketing_consent")),
                              "at": customer.get("consent_at"), "source": customer.get("consent_source")},
        "orders": [store.orders.get(order["id"]) for order in store.orders.for_customer(customer_id, limit=-1)],
        "events": store.events.for_customer(customer_id, limit=-1),
        "coupons": list(db["coupons"].rows_where("customer_id = ?", [customer_id], order_by="code")),
        "redemptions": list(db["redemptions"].rows_where("customer_id = ?", [customer_id], order_by="id")),
        "order_requests": list(db["order_requests"].rows_where(
            "order_id in (select id from orders where customer_id = ?)", [customer_id], order_by="id")),
        "promotions": list(db["deliveries"].rows_where(
            "customer_id = ?", [customer_id], order_by="id",
            select="campaign_id, occasion, channel, language, coupon_code, body, status, sent_at")),
        "conversations": conversations,
        "csat": store.csat.of_conversations(_conversation_ids(store, customer_id)),
    }
    channels = _channel_exports(store, customer_id)
    if channels:
        document["channels"] = channels
    store.audit.record(actor, "privacy.export", f"customer:{customer_id}")
    return document


def erased_customer(store: Store, external_id: str) -> int | None:
    """The local id of the customer known by ``external_id`` (a shop's id) whose data was erased, else None:
    a sync from the shop then links their orders to that customer without writing personal data again."""
    row = store.db.execute("select customer_id from erased_customers where external_hash = ?",
                           [_external_hash(external_id)]).fetchone()
    return row[0] if row else None


def _external_hash(external_id: str) -> str:
    return hashlib.sha256(external_id.encode("utf-8")).hexdigest()


def erase_customer_data(store: Store, customer_id: int, actor: str) -> Erasure:
    """Remove the customer's personal data in one transaction, keep anonymous aggregates; audited.
    The shop's id for the customer is remembered only as a hash, so a sync cannot restore the data."""
    customer = store.customers.get(customer_id)
    if customer is None:
        raise LookupError(f"no customer {customer_id}")
    db = store.db
    conversation_ids = _conversation_ids(store, customer_id)
    marks = ",".join("?" * len(conversation_ids)) or "null"
    with db.atomic():
        messages = db.execute(f"select count(*) from messages where conversation_id in ({marks})",
                              conversation_ids).fetchone()[0]
        for table in ("handoffs", "messages", "dialogue_states", "confirmed_changes", "flow_events"):
            db.execute(f"delete from {table} where conversation_id in ({marks})", conversation_ids)
        db.execute(f"delete from conversations where id in ({marks})", conversation_ids)
        store.csat.erase(conversation_ids, [(i["channel"], i["user_id"]) for i in store.customers.identities(customer_id)],
                         customer_id)
        for identity in store.customers.identities(customer_id):
            hook = store.channel_data.get(identity["channel"])
            if hook is not None and not hook.by_conversation:
                hook.erase(identity["user_id"])
        for hook in store.channel_data.values():
            for conversation_id in conversation_ids if hook.by_conversation else ():
                hook.erase(conversation_id)
        identities = db.execute("delete from identities where customer_id = ?", [customer_id]).rowcount
        db.execute("update order_requests set reason = null, details = '{}', conversation_id = null "
                   "where order_id in (select id from orders where customer_id = ?)", [customer_id])
        db.execute("update deliveries set body = null, user_id = null, "  # unsent ones will never go out
                   "status = case when status in ('pending', 'sending') then 'skipped' else status end, "
                   "reason = case when status in ('pending', 'sending') then 'erased' else reason end "
                   "where customer_id = ?", [customer_id])
        db.execute("delete from privacy_links where customer_id = ?", [customer_id])  # no export after erasure
        orders = db.execute("update orders set address = null, tracking_number = null where customer_id = ?",
                            [customer_id]).rowcount
        if customer["external_id"] and not customer["external_id"].startswith("erased:"):
            db["erased_customers"].upsert({"external_hash": _external_hash(customer["external_id"]),
                                           "customer_id": customer_id, "erased_at": utc_now_iso()}, pk="external_hash")
        db["customers"].update(customer_id, {
            **dict.fromkeys(_PERSONAL_FIELDS), "external_id": f"erased:{customer_id}",
            "marketing_consent": 0, "consent_at": utc_now_iso(), "consent_source": "erasure", "unreachable": 1})
    erasure = Erasure(customer_id, identities, len(conversation_ids), messages, orders)
    store.audit.record(actor, "privacy.erase", f"customer:{customer_id}",
                       {"identities": identities, "conversations": len(conversation_ids),
                        "messages": messages, "orders_anonymised": orders})
    return erasure


def _channel_exports(store: Store, customer_id: int) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """What the registered channels keep about the customer's identities, and the hooks keyed by conversation
    about their conversations, by channel (or owner) and table."""
    found: dict[str, dict[str, list[dict[str, Any]]]] = {}
    hooks = [(store.channel_data.get(identity["channel"]), identity["user_id"])
             for identity in store.customers.identities(customer_id)]
    hooks = [(hook, key) for hook, key in hooks if hook is not None and not hook.by_conversation]
    hooks += [(hook, cid) for hook in store.channel_data.values() if hook.by_conversation
              for cid in _conversation_ids(store, customer_id)]
    for hook, key in hooks:
        for table, table_rows in hook.export(key).items():
            found.setdefault(hook.channel, {}).setdefault(table, []).extend(table_rows)
    return found


def _conversation_ids(store: Store, customer_id: int) -> list[str]:
    """The customer's conversations: linked by id, or held by one of their channel identities."""
    ids = {row["id"] for row in store.db["conversations"].rows_where("customer_id = ?", [customer_id])}
    ids |= {f"{i['channel']}:{i['user_id']}" for i in store.customers.identities(customer_id)}
    return sorted(ids)

