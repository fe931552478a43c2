"""The core's data rights: export everything about a customer; erase personal data, keep aggregates."""
from __future__ import annotations

import pytest

from core.messages import Identity, InboundMessage
from core.privacy import erase_customer_data, export_customer_data


async def test_export_holds_the_customers_data_and_nobody_elses(store, assistant):
    alice = store.customers.for_identity("telegram", "111")
    await assistant.handle(InboundMessage(Identity("telegram", "111"), text="where is my order", message_id="1"))
    store.events.record(alice["id"], "view", "D1")
    data = export_customer_data(store, alice["id"], actor="test")
    assert data["customer"]["email"] == "alice@example.com"
    assert [i["user_id"] for i in data["identities"]] == ["111"]
    assert [o["id"] for o in data["orders"]] == ["#W1000001"] and data["orders"][0]["items"]
    assert [e["product_id"] for e in data["events"]] == ["D1"]
    assert [m["direction"] for m in data["conversations"][0]["messages"]] == ["in", "out"]
    assert store.audit.entries(f"customer:{alice['id']}")[-1]["action"] == "privacy.export"


async def test_erase_removes_personal_data_and_keeps_anonymous_aggregates(store, assistant):
    alice = store.customers.for_identity("telegram", "111")
    await assistant.handle(InboundMessage(Identity("telegram", "111"), text="I want a human", message_id="1"))
    store.events.record(alice["id"], "purchase", "D1")
    erasure = erase_customer_data(store, alice["id"], actor="telegram:111")
    assert (erasure.identities, erasure.conversations, erasure.orders_anonymised) == (1, 1, 1)
    assert erasure.messages == 2
    row = store.customers.get(alice["id"])
    assert all(row[f] is None for f in ("name", "email", "phone", "address", "zip", "birthday"))
    assert row["marketing_consent"] == 0 and row["external_id"] == f"erased:{alice['id']}"
    assert store.customers.for_identity("telegram", "111") is None
    assert store.conversations.get("telegram:111") is None
    assert store.db["handoffs"].count == 0 and store.db["messages"].count == 0
    order = store.orders.get("#W1000001")
    assert order["total_cents"] == 19900 and order["tracking_number"] is None and order["items"]
    assert len(store.events.for_customer(alice["id"])) == 1
    entry = store.audit.entries(f"customer:{alice['id']}")[-1]
    assert entry["action"] == "privacy.erase" and "alice" not in str(entry).lower()
    assert store.customers.for_identity("telegram", "222") is not None  # nobody else touched


def test_unknown_customers_are_refused(store):
    with pytest.raises(LookupError):
        export_customer_data(store, 999, actor="test")
    with pytest.raises(LookupError):
        erase_customer_data(store, 999, actor="test")
