"""What the Telegram channel keeps in the store: its own tables (the outbox and long button payloads),
migrated when the channel registers them, and its part of a shopper's data rights. Update ids
handled are in the core's one ledger (``store.handled_once("telegram")``)."""
from __future__ import annotations

from datetime import timedelta

import sqlite_utils

from adapters.telegram.outbox import Outbox
from core.store import Store
from core.store.tables import ChannelData, OwnTables, TableSet

UPDATES_KEPT = timedelta(days=7)
"""Telegram keeps undelivered updates for 24 hours; ids older than a week can be forgotten."""


def _outbox_and_callbacks(db: sqlite_utils.Database) -> None:
    """The outbox (messages stored before they are sent) and button payloads too long for Telegram."""
    db["telegram_outbox"].create(
        {"id": int, "chat_id": int, "source": str, "seq": int, "body": str, "status": str, "attempts": int,
         "error": str, "created_at": str, "sent_at": str},
        pk="id", defaults={"status": "pending", "attempts": 0}, if_not_exists=True)
    db["telegram_outbox"].create_index(["status", "chat_id", "id"], if_not_exists=True)
    db["telegram_outbox"].create_index(["source", "seq"], unique=True, if_not_exists=True)
    db["telegram_callbacks"].create({"key": str, "payload": str, "created_at": str}, pk="key", if_not_exists=True)


TABLES = TableSet("telegram", ("telegram_outbox", "telegram_callbacks"), (_outbox_and_callbacks,))


def register(store: Store) -> OwnTables:
    """Migrate the channel's tables and register its data-rights hook; the handle on its tables."""
    return store.register(TABLES, _data_rights)


def _data_rights(own: OwnTables) -> ChannelData:
    """A chat's stored messages are its shopper's data (long button payloads name nobody)."""
    outbox = Outbox(own)
    return ChannelData(TABLES.owner, outbox.data_of, outbox.forget)
