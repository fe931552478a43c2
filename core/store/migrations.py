"""Forward-only schema migrations. Each migration is a function of the database; the list index
plus one is its version. Applied on start by :func:`migrate`, each in its own transaction."""
from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import sqlite_utils


def _v1_initial(db: sqlite_utils.Database) -> None:
    db["customers"].create(
        {
            "id": int, "external_id": str, "name": str, "email": str, "phone": str, "zip": str,
            "address": str, "language": str, "timezone": str, "birthday": str,
            "marketing_consent": int, "consent_at": str, "consent_source": str,
            "unreachable": int, "created_at": str,
        },
        pk="id", not_null={"created_at"}, defaults={"marketing_consent": 0, "unreachable": 0},
    )
    db["customers"].create_index(["external_id"], unique=True)
    db["customers"].create_index(["email"])
    db["identities"].create(
        {"channel": str, "user_id": str, "customer_id": int, "created_at": str},
        pk=("channel", "user_id"), foreign_keys=[("customer_id", "customers", "id")],
    )
    db["categories"].create(
        {"id": str, "name_zh": str, "name_en": str, "aliases": str}, pk="id",
    )
    db["products"].create(
        {
            "id": str, "category": str, "title_zh": str, "title_en": str,
            "description_zh": str, "description_en": str, "tags": str, "brand": str,
            "image_url": str, "consumable": int, "source": str, "created_at": str,
        },
        pk="id", defaults={"consumable": 0},
    )
    db["products"].create_index(["category"])
    db["variants"].create(
        {
            "id": str, "product_id": str, "sku": str, "options": str, "price_cents": int,
            "currency": str, "stock": int, "available": int,
        },
        pk="id", foreign_keys=[("product_id", "products", "id")], defaults={"available": 1},
    )
    db["variants"].create_index(["product_id"])
    db["orders"].create(
        {
            "id": str, "customer_id": int, "status": str, "created_at": str, "updated_at": str,
            "address": str, "carrier": str, "tracking_number": str, "expected_delivery": str,
            "total_cents": int, "currency": str, "source": str,
        },
        pk="id", foreign_keys=[("customer_id", "customers", "id")],
    )
    db["orders"].create_index(["customer_id"])
    db["order_items"].create(
        {
            "id": int, "order_id": str, "product_id": str, "variant_id": str, "name": str,
            "options": str, "quantity": int, "price_cents": int,
        },
        pk="id", foreign_keys=[("order_id", "orders", "id")],
    )
    db["order_items"].create_index(["order_id"])
    db["order_items"].create_index(["order_id", "variant_id"], unique=True)
    db["payments"].create(
        {
            "id": int, "order_id": str, "kind": str, "amount_cents": int, "method": str,
            "created_at": str,
        },
        pk="id", foreign_keys=[("order_id", "orders", "id")],
    )
    db["payments"].create_index(["order_id"])
    db["conversations"].create(
        {
            "id": str, "channel": str, "user_id": str, "customer_id": int, "language": str,
            "status": str, "started_at": str, "updated_at": str,
        },
        pk="id", defaults={"status": "bot"},
    )
    db["messages"].create(
        {
            "id": int, "conversation_id": str, "direction": str, "channel_message_id": str,
            "text": str, "payload": str, "intent": str, "processed": int, "created_at": str,
        },
        pk="id", foreign_keys=[("conversation_id", "conversations", "id")],
        defaults={"processed": 0},
    )
    db["messages"].create_index(["conversation_id", "id"])
    db["messages"].create_index(
        ["conversation_id", "direction", "channel_message_id"], unique=True
    )
    db["dialogue_states"].create(
        {"conversation_id": str, "turn": int, "state": str, "updated_at": str},
        pk="conversation_id",
    )
    db["coupons"].create(
        {
            "code": str, "kind": str, "value": int, "min_spend_cents": int, "expires_at": str,
            "customer_id": int, "campaign_id": int, "single_use": int, "created_at": str,
        },
        pk="code", defaults={"single_use": 1, "min_spend_cents": 0},
    )
    db["redemptions"].create(
        {"id": int, "code": str, "customer_id": int, "order_id": str, "redeemed_at": str},
        pk="id", foreign_keys=[("code", "coupons", "code")],
    )
    db["campaigns"].create(
        {"id": int, "name": str, "definition": str, "status": str, "created_at": str}, pk="id",
    )
    db["deliveries"].create(
        {
            "id": int, "campaign_id": int, "customer_id": int, "status": str, "reason": str,
            "updated_at": str,
        },
        pk="id", foreign_keys=[("campaign_id", "campaigns", "id")],
    )
    db["deliveries"].create_index(["campaign_id", "customer_id"], unique=True)
    db["handoffs"].create(
        {
            "id": int, "conversation_id": str, "status": str, "reason": str, "priority": int,
            "created_at": str, "claimed_by": str, "claimed_at": str, "resolved_at": str,
        },
        pk="id", foreign_keys=[("conversation_id", "conversations", "id")],
    )
    db["events"].create(
        {
            "id": int, "customer_id": int, "kind": str, "product_id": str, "variant_id": str,
            "created_at": str,
        },
        pk="id", foreign_keys=[("customer_id", "customers", "id")],
    )
    db["events"].create_index(["customer_id", "created_at"])
    db["events"].create_index(["customer_id", "kind", "product_id", "created_at"], unique=True)
    db["kb_articles"].create(
        {"id": str, "lang": str, "topic": str, "title": str, "body": str, "tags": str},
        pk=("id", "lang"),
    )
    db["audit_log"].create(
        {"id": int, "at": str, "actor": str, "action": str, "target": str, "details": str},
        pk="id",
    )


def _wechat_deliveries_and_menus(db: sqlite_utils.Database) -> None:
    """Once WeChat's deliveries and menu option ids: the adapter migrates its own tables now
    (``adapters/wechat/ledger.py``), deliveries are in ``handled_once`` (#22). Kept for the numbering."""


def _telegram_delivery(db: sqlite_utils.Database) -> None:
    """Once Telegram's update ids, outbox and long button payloads: the adapter migrates its own tables
    now (``adapters/telegram/storage.py``), update ids are in ``handled_once`` (#22). Kept for the numbering."""


def _conversation_mood(db: sqlite_utils.Database) -> None:
    """Sentiment: the conversation's smoothed mood in [-1, 1] and when it last changed, for staff."""
    db["conversations"].add_column("mood", float)
    db["conversations"].add_column("mood_updated_at", str)
    db["conversations"].create_index(["mood"])


def _promotions(db: sqlite_utils.Database) -> None:
    """Promotions: planned deliveries (one per campaign, customer and occasion) with their rendered
    message and coupon, redemption amounts, and the product snapshot that triggers journeys compare."""
    deliveries = db["deliveries"]
    deliveries.add_column("occasion", str, not_null_default="")
    for column, kind in (("channel", str), ("user_id", str), ("language", str), ("coupon_code", str),
                         ("body", str), ("due_at", str), ("sent_at", str), ("created_at", str)):
        deliveries.add_column(column, kind)
    deliveries.add_column("attempts", int, not_null_default=0)
    db.execute("drop index if exists idx_deliveries_campaign_id_customer_id")
    deliveries.create_index(["campaign_id", "customer_id", "occasion"], unique=True)
    deliveries.create_index(["status", "due_at"])
    deliveries.create_index(["customer_id", "sent_at"])
    db["campaigns"].add_column("updated_at", str)
    db["campaigns"].add_column("planned_at", str)
    db["coupons"].create_index(["campaign_id"])
    db["redemptions"].add_column("order_total_cents", int)
    db["redemptions"].add_column("discount_cents", int)
    db["redemptions"].create_index(["code", "order_id"], unique=True)
    db["promo_products"].create(
        {"product_id": str, "min_price_cents": int, "in_stock": int, "changed": str, "changed_at": str,
         "updated_at": str}, pk="product_id")


def _kb_embeddings(db: sqlite_utils.Database) -> None:
    """Knowledge retrieval: article embeddings cached by encoder and content hash (docs/LLM.md)."""
    db["kb_embeddings"].create({"model": str, "hash": str, "vector": bytes}, pk=("model", "hash"),
                               if_not_exists=True)


def _dialogue_requests(db: sqlite_utils.Database) -> None:
    """Dialogue flows: after-sales requests made in chat (returns, exchanges, invoices, changes
    awaiting approval) and failed in-chat identity checks, for rate limiting."""
    db["order_requests"].create(
        {"id": int, "order_id": str, "kind": str, "status": str, "reason": str, "refund_method": str,
         "amount_cents": int, "details": str, "conversation_id": str, "created_at": str},
        pk="id", if_not_exists=True)
    db["order_requests"].create_index(["order_id"], if_not_exists=True)
    db["auth_failures"].create({"id": int, "key": str, "at": str}, pk="id", if_not_exists=True)
    db["auth_failures"].create_index(["key", "at"], if_not_exists=True)


def _staff_handoff(db: sqlite_utils.Database) -> None:
    """Human handoff (docs/HANDOFF.md): the staff thread of each request, when the shopper was told about
    the wait and staff were reminded (the staff events once in ``staff_events``, now ``handled_once``)."""
    for column in ("thread_ts", "notice_at", "reminded_at"):
        if column not in db["handoffs"].columns_dict:
            db["handoffs"].add_column(column, str)
    db["handoffs"].create_index(["conversation_id", "status"], if_not_exists=True)


def _privacy_links(db: sqlite_utils.Database) -> None:
    """Data rights (docs/PRIVACY.md): one-time links to a customer's data export, by the SHA-256 of
    their token (the token itself is never stored), with their expiry and when they were used."""
    db["privacy_links"].create(
        {"token_hash": str, "customer_id": int, "conversation_id": str, "language": str, "created_at": str,
         "expires_at": str, "used_at": str}, pk="token_hash", if_not_exists=True)
    db["privacy_links"].create_index(["customer_id"], if_not_exists=True)


# Append new migrations at the end; never reorder or edit one that has shipped.
def _reply_links(db: sqlite_utils.Database) -> None:
    """Each reply names the inbound message it answers, so a resent message can get its replies again."""
    db["messages"].add_column("in_reply_to", int)
    db["messages"].create_index(["in_reply_to"])


def _install_secrets(db: sqlite_utils.Database) -> None:
    """Random keys made once per install (core/store/secrets.py), e.g. the web chat's session-id key."""
    db["install_secrets"].create({"name": str, "value": str, "created_at": str}, pk="name", if_not_exists=True)


def _confirmed_changes(db: sqlite_utils.Database) -> None:
    """What each change a shopper confirmed in chat told them, by the conversation turn that confirmed it
    (written with the change), so a turn cut off before its commit is answered, not run again."""
    db["confirmed_changes"].create({"conversation_id": str, "turn": int, "flow": str, "outcome": str,
                                    "created_at": str}, pk=("conversation_id", "turn"), not_null={"flow", "outcome"})


def _wechat_request_nonces(db: sqlite_utils.Database) -> None:
    """Once WeChat's signed (timestamp, nonce) pairs: the adapter migrates its own tables now
    (``adapters/wechat/ledger.py``, #22). Kept for the numbering."""


def _shop_port(db: sqlite_utils.Database) -> None:
    """The shop's own system as the source of truth (docs/SHOPS.md): orders and their items keep the
    shop's ids and when the cache last heard from the shop; every change sent to the shop is in
    ``shop_changes`` under its idempotency key before it is sent (``sent``, then ``done`` or
    ``failed``), so a crash mid-request is resolved by reading the order back, never by sending
    twice; ``shop_sync`` keeps where each sync got to."""
    db["orders"].add_column("external_id", str)
    db["orders"].add_column("synced_at", str)
    db["orders"].create_index(["external_id"])
    db["order_items"].add_column("external_id", str)
    db["shop_changes"].create({"key": str, "conversation_id": str, "flow": str, "order_id": str,
                               "request": str, "status": str, "reference": str, "error": str,
                               "created_at": str, "updated_at": str}, pk="key", not_null={"status"})
    db["shop_sync"].create({"name": str, "updated_since": str, "started_at": str, "finished_at": str,
                            "report": str}, pk="name")


def _shopify_webhooks(db: sqlite_utils.Database) -> None:
    """Once Shopify's webhook ids: they are in the core's ``handled_once`` ledger now (#22). Kept for
    the numbering."""


def _erased_customers(db: sqlite_utils.Database) -> None:
    """Customers whose personal data was erased, by a hash of the id their shop knows them by, so a
    later sync from the shop's system does not bring their personal data back (core/privacy.py)."""
    db["erased_customers"].create({"external_hash": str, "customer_id": int, "erased_at": str},
                                  pk="external_hash", if_not_exists=True)


def _adapter_tables_and_handled_once(db: sqlite_utils.Database) -> None:
    """Adapters own their tables (#22): ``owned_migrations`` keeps each adapter's own schema version
    (core/store/tables.py); ``handled_once`` is the one ledger of deliveries handled once, for every
    channel (core/store/handled.py). What the four old ledgers held is carried over, then they go."""
    db["owned_migrations"].create({"owner": str, "version": int, "applied_at": str}, pk=("owner", "version"))
    db["handled_once"].create({"channel": str, "key": str, "status": str, "received_at": str, "updated_at": str},
                              pk=("channel", "key"), not_null={"status"})
    db["handled_once"].create_index(["channel", "received_at"])
    old = {"telegram_updates": "select 'telegram', cast(update_id as text), status, received_at, "
                               "coalesce(done_at, received_at) from telegram_updates",
           "wechat_deliveries": "select 'wechat', key, status, received_at, updated_at from wechat_deliveries",
           "staff_events": "select 'staff', key, 'done', at, at from staff_events",
           "shopify_webhooks": "select 'shopify', webhook_id, case status when 'done' then 'done' "
                               "else 'processing' end, received_at, coalesce(done_at, received_at) "
                               "from shopify_webhooks"}
    for table, rows in old.items():
        if table in db.table_names():
            db.execute(f"insert or ignore into handled_once (channel, key, status, received_at, updated_at) {rows}")
            db.execute(f"drop table {table}")


def _message_understood(db: sqlite_utils.Database) -> None:
    """Reports (docs/CONSOLE.md): whether the bot understood each inbound message (NULL before this)."""
    if "understood" not in db["messages"].columns_dict:
        db["messages"].add_column("understood", int)


def _message_retrieval(db: sqlite_utils.Database) -> None:
    """Reports (docs/CONSOLE.md): the knowledge-base search behind each inbound message's reply — its
    best score and the article quoted (NULL: none reached the threshold; both NULL: no search ran)."""
    columns = db["messages"].columns_dict
    if "kb_score" not in columns:
        db["messages"].add_column("kb_score", float)
    if "kb_article" not in columns:
        db["messages"].add_column("kb_article", str)


def _csat(db: sqlite_utils.Database) -> None:
    """CSAT (docs/CONSOLE.md "CSAT"): each time a shopper was asked "How did we do?", their 1–5 score and
    comment once answered; and the shoppers who asked never to be asked again."""
    db["csat_ratings"].create(
        {"id": int, "conversation_id": str, "customer_id": int, "channel": str, "user_id": str, "language": str,
         "trigger": str, "score": int, "comment": str, "asked_at": str, "answered_at": str},
        pk="id", not_null={"conversation_id", "channel", "user_id", "asked_at"})
    db["csat_ratings"].create_index(["conversation_id"])
    db["csat_ratings"].create_index(["channel", "user_id", "asked_at"])
    db["csat_ratings"].create_index(["customer_id", "asked_at"])
    db["csat_optouts"].create({"channel": str, "user_id": str, "customer_id": int, "created_at": str},
                              pk=("channel", "user_id"), not_null={"created_at"})
    db["csat_optouts"].create_index(["customer_id"])


def _flow_events(db: sqlite_utils.Database) -> None:
    """Reports' flows started vs completed: each flow the task engine began or finished, by the turn it happened in."""
    db["flow_events"].create({"id": int, "conversation_id": str, "message_id": int, "event": str, "flow": str,
                              "created_at": str}, pk="id", not_null={"conversation_id", "event", "flow", "created_at"})
    db["flow_events"].create_index(["conversation_id"])


def _shared_by_workers(db: sqlite_utils.Database) -> None:
    """Several workers on one database (docs/SCALING.md): rate-limit hits every worker counts; each
    worker's heartbeat and the web chat sessions it holds a socket of (presence); keys and sessions
    hashed (no client address or session id in them); outbounds too big
    for a NOTIFY payload, fetched by id by the other workers."""
    db["rate_hits"].create({"id": int, "scope": str, "key": str, "expires_at": float}, pk="id",
                           not_null={"scope", "key", "expires_at"})
    db["rate_hits"].create_index(["scope", "key", "expires_at"])
    db["rate_hits"].create_index(["expires_at"])
    db["fanout_workers"].create({"worker": str, "started_at": str, "heartbeat_at": str}, pk="worker",
                                not_null={"started_at", "heartbeat_at"})
    db["socket_presence"].create({"channel": str, "user_key": str, "worker": str, "connected_at": str},
                                 pk=("channel", "user_key", "worker"), not_null={"connected_at"})
    db["socket_presence"].create_index(["worker"])
    db["fanout_outbound"].create({"id": int, "payload": str, "created_at": str}, pk="id",
                                 not_null={"payload", "created_at"})
    db["fanout_outbound"].create_index(["created_at"])


MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [
    _v1_initial,
    _wechat_deliveries_and_menus,
    _telegram_delivery,
    _conversation_mood,
    _promotions,
    _kb_embeddings,
    _dialogue_requests,
    _staff_handoff,
    _privacy_links,
    _reply_links,
    _install_secrets,
    _confirmed_changes,
    _wechat_request_nonces,
    _shop_port,
    _shopify_webhooks,
    _erased_customers,
    _adapter_tables_and_handled_once,
    _message_understood,
    _message_retrieval,
    _csat,
    _flow_events,
    _shared_by_workers,
]


def current_version(db: sqlite_utils.Database) -> int:
    """The schema version the database is at (0 for a new database)."""
    if "schema_migrations" not in db.table_names():
        return 0
    row = db.execute("select max(version) from schema_migrations").fetchone()
    return row[0] or 0


def migrate(db: sqlite_utils.Database) -> int:
    """Apply every migration newer than the database; returns the resulting version."""
    db["schema_migrations"].create({"version": int, "applied_at": str}, pk="version",
                                   if_not_exists=True)
    version = current_version(db)
    for number, step in enumerate(MIGRATIONS[version:], start=version + 1):
        with db.atomic():
            step(db)
            db["schema_migrations"].insert(
                {"version": number, "applied_at": datetime.now(UTC).isoformat()}
            )
    return current_version(db)
