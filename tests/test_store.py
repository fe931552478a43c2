"""The store: migrations, transcripts, de-duplication and the turn commit."""
from __future__ import annotations

import pytest

from core.messages import Identity, InboundMessage, Reply
from core.store import Store
from core.store.engine import IntegrityError
from core.store.migrations import MIGRATIONS, current_version, migrate


def test_new_database_is_at_newest_schema_and_reopens_without_migrating_again(tmp_path):
    path = tmp_path / "kefu.db"
    store = Store(path)
    assert current_version(store.db) == len(MIGRATIONS)
    store.customers.upsert({"external_id": "X1", "name": "Ann"})
    store.close()
    again = Store(path)
    assert current_version(again.db) == len(MIGRATIONS)
    assert again.customers.by_external_id("X1")["name"] == "Ann"
    versions = [r["version"] for r in again.db["schema_migrations"].rows]
    assert versions == list(range(1, len(MIGRATIONS) + 1))


def test_a_failing_migration_leaves_nothing_half_applied(monkeypatch):
    store = Store(":memory:")

    def broken(db):
        db["half_done"].create({"id": int}, pk="id")
        raise RuntimeError("boom")

    monkeypatch.setattr("core.store.migrations.MIGRATIONS", [*MIGRATIONS, broken])
    with pytest.raises(RuntimeError):
        migrate(store.db)
    assert "half_done" not in store.db.table_names()
    assert current_version(store.db) == len(MIGRATIONS)


def test_an_install_secret_is_made_once_and_kept(tmp_path):
    path = tmp_path / "kefu.db"
    store = Store(path)
    key = store.secrets.get("web_session")
    assert len(key) == 32 and store.secrets.get("web_session") == key and store.secrets.get("other") != key
    store.close()
    again = Store(path)
    assert again.secrets.get("web_session") == key
    again.close()


def test_unknown_order_status_is_refused(store):
    with pytest.raises(ValueError, match="unknown order status"):
        store.orders.upsert({"id": "#W9", "customer_id": 1, "status": "lost"}, [], [])


def test_orders_are_only_returned_to_their_owner(store):
    alice = store.customers.by_external_id("C1")
    bob = store.customers.by_external_id("C2")
    assert store.orders.get_for_customer("#W1000001", alice["id"])["status"] == "shipped"
    assert store.orders.get_for_customer("#W1000001", bob["id"]) is None


def test_a_redelivered_message_is_recognised(store):
    message = InboundMessage(Identity("web", "s1"), "hi", message_id="m-1")
    store.conversations.ensure(message.identity, None)
    first = store.conversations.record_inbound(message)
    assert not first.already_processed
    store.conversations.complete_turn("web:s1", first.message_id, "greet", "en", {"turn": 1},
                                      [Reply("Hello!")])
    again = store.conversations.record_inbound(message)
    assert again.message_id == first.message_id and again.already_processed
    texts = [(m["direction"], m["text"]) for m in store.conversations.transcript("web:s1")]
    assert texts == [("in", "hi"), ("out", "Hello!")]


def test_the_same_channel_message_id_cannot_be_stored_twice(store):
    store.conversations.ensure(Identity("web", "s2"), None)
    row = {"conversation_id": "web:s2", "direction": "in", "channel_message_id": "dup", "text": "x",
           "created_at": "2026-01-01T00:00:00+00:00"}
    store.db["messages"].insert(row)
    with pytest.raises(IntegrityError):
        store.db["messages"].insert(row)


def test_turn_commit_is_all_or_nothing(store, monkeypatch):
    message = InboundMessage(Identity("web", "s3"), "hi", message_id="m-3")
    store.conversations.ensure(message.identity, None)
    record = store.conversations.record_inbound(message)
    with pytest.raises(AttributeError):
        # a reply that cannot be serialised fails inside the transaction, after the state was written
        store.conversations.complete_turn("web:s3", record.message_id, "greet", "en", {"turn": 1},
                                          [object()])  # type: ignore[list-item]
    assert store.conversations.state("web:s3") == {}
    assert [m["direction"] for m in store.conversations.transcript("web:s3")] == ["in"]
    assert not store.conversations.record_inbound(message).already_processed


def test_catalog_search_filters_by_colour_price_and_stock(store):
    from core.store import ProductQuery
    red = store.catalog.search(ProductQuery(category="dresses", options={"color": "red"}))
    assert [h.product["id"] for h in red] == ["D1", "D3"]
    assert all(v["stock"] > 0 for h in red for v in h.variants)
    cheap = store.catalog.search(ProductQuery(category="dresses", max_price_cents=30000))
    assert {h.product["id"] for h in cheap} == {"D1", "D2"}
    assert store.catalog.search(ProductQuery(category="dresses", options={"color": "green"})) == []
