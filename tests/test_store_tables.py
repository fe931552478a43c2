"""Adapter-owned tables (core/store/tables.py) and the one handled-once ledger (core/store/handled.py):
registered migrations, a handle scoped to its tables, data-rights hooks, and the upgrade of a
database whose adapter tables the core's old migrations made."""
from __future__ import annotations

import sqlite3

import pytest
import sqlite_utils

from adapters.telegram.outbox import Outbox
from adapters.telegram.rendering import Outgoing
from adapters.telegram.storage import register as register_telegram
from core.privacy import erase_customer_data, export_customer_data
from core.store import Store
from core.store.migrations import MIGRATIONS
from core.store.tables import OutOfScope, TableSet


def _notes(db: sqlite_utils.Database) -> None:
    db["notes"].create({"id": int, "text": str}, pk="id", if_not_exists=True)


def _note_tags(db: sqlite_utils.Database) -> None:
    db["notes"].add_column("tag", str)


def test_an_adapters_migrations_run_once_each_and_later_ones_apply_on_the_next_start():
    store = Store(":memory:")
    own = store.register(TableSet("notes", ("notes",), (_notes,)))
    own.table("notes").insert({"id": 1, "text": "kept"})
    store.register(TableSet("notes", ("notes",), (_notes,)))  # again: nothing re-run
    store.register(TableSet("notes", ("notes",), (_notes, _note_tags)))
    assert "tag" in store.db["notes"].columns_dict and store.db["notes"].get(1)["text"] == "kept"
    versions = store.db.execute("select version from owned_migrations where owner = 'notes'").fetchall()
    assert versions == [(1,), (2,)]


def test_the_handle_reaches_only_the_tables_its_adapter_registered():
    store = Store(":memory:")
    own = store.register(TableSet("notes", ("notes",), (_notes,)))
    own.execute("insert into notes (id, text) values (?, ?)", [1, "hi"])
    assert own.execute("select text from notes where id = 1").fetchone() == ("hi",)
    for sql in ("select * from customers", "delete from handoffs", "update conversations set status = 'bot'",
                "select n.text from notes n join messages m on m.id = n.id", "insert into audit_log (actor) values (1)"):
        with pytest.raises(OutOfScope):
            own.execute(sql)
    with pytest.raises(OutOfScope):
        own.table("customers")


def test_a_channels_rows_are_exported_and_erased_through_its_registered_hook():
    store = Store(":memory:")
    outbox = Outbox(register_telegram(store))
    customer_id = store.customers.upsert({"external_id": "C1", "name": "Alice"})
    store.customers.link_identity("telegram", "111", customer_id)
    outbox.enqueue(111, [Outgoing("text", "Hi Alice")], source="update:1")
    outbox.enqueue(222, [Outgoing("text", "Hi Bob")], source="update:2")
    [row] = export_customer_data(store, customer_id, actor="test")["channels"]["telegram"]["telegram_outbox"]
    assert Outgoing.from_json(row["body"]) == Outgoing("text", "Hi Alice") and row["source"] == "update:1"
    erase_customer_data(store, customer_id, actor="test")
    assert outbox.data_of(111) == {} and outbox.data_of(222)["telegram_outbox"][0]["source"] == "update:2"
    assert "channels" not in export_customer_data(store, customer_id, actor="test")


def test_an_upgraded_database_keeps_its_adapter_tables_and_carries_the_old_ledgers_over(tmp_path):
    path = tmp_path / "old.db"
    db = sqlite_utils.Database(sqlite3.connect(path))
    _shipped_before_22(db)
    db["telegram_updates"].insert_all([{"update_id": 7, "status": "done", "received_at": "2026-01-01T00:00:00+00:00",
                                        "done_at": "2026-01-01T00:00:01+00:00"},
                                       {"update_id": 8, "status": "processing", "received_at": "2026-01-01T00:00:00"}])
    db["wechat_deliveries"].insert({"key": "msg:1", "open_id": "o1", "status": "done", "received_at": "x",
                                    "updated_at": "x"})
    db["staff_events"].insert({"key": "slack:event:Ev1", "at": "x"})
    db["shopify_webhooks"].insert({"webhook_id": "w1", "topic": "orders/create", "status": "received",
                                   "received_at": "x"})
    db["telegram_outbox"].insert({"chat_id": 111, "source": "update:7", "seq": 0, "body": "{}", "status": "sent"})
    db.conn.commit()
    db.close()

    store = Store(path)
    outbox = Outbox(register_telegram(store))
    assert outbox.holds("update:7") and outbox.status_counts() == {"sent": 1}
    updates = store.handled_once("telegram")
    assert not updates.claim("7") and updates.claim("8")  # done stays done; interrupted is handled again
    assert store.handled_once("wechat").status("msg:1") == "done"
    assert not store.handled_once("staff").first_time("slack:event:Ev1")
    assert store.handled_once("shopify").status("w1") == "processing"
    gone = {"telegram_updates", "wechat_deliveries", "staff_events", "shopify_webhooks"}
    assert not gone & set(store.db.table_names())
    store.close()


def _shipped_before_22(db: sqlite_utils.Database) -> None:
    """A database as the code before #22 left it: the core's sixteen migrations, adapter tables included."""
    db["schema_migrations"].create({"version": int, "applied_at": str}, pk="version")
    for number, step in enumerate(MIGRATIONS[:16], start=1):
        step(db)
        db["schema_migrations"].insert({"version": number, "applied_at": "x"})
    # the shipped migrations 2, 3, 8, 13 and 15 made these (they are no-ops now):
    db["telegram_updates"].create({"update_id": int, "status": str, "received_at": str, "done_at": str},
                                  pk="update_id")
    db["telegram_outbox"].create({"id": int, "chat_id": int, "source": str, "seq": int, "body": str, "status": str,
                                  "attempts": int, "error": str, "created_at": str, "sent_at": str}, pk="id")
    db["telegram_outbox"].create_index(["source", "seq"], unique=True)
    db["telegram_callbacks"].create({"key": str, "payload": str, "created_at": str}, pk="key")
    db["wechat_deliveries"].create({"key": str, "open_id": str, "status": str, "received_at": str,
                                    "updated_at": str}, pk="key")
    db["wechat_menu_items"].create({"id": int, "open_id": str, "payload": str, "created_at": str}, pk="id")
    db["staff_events"].create({"key": str, "at": str}, pk="key")
    db["shopify_webhooks"].create({"webhook_id": str, "topic": str, "status": str, "received_at": str,
                                   "done_at": str}, pk="webhook_id")
