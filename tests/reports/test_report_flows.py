"""Flows started vs completed in the report: counted from what the task engine did in real conversations
(a completed tracking, a cancellation abandoned halfway), and erased with the shopper."""
from __future__ import annotations

from datetime import UTC, datetime

from core.messages import Identity, InboundMessage
from core.privacy import erase_customer_data
from core.reports import ReportFilter, build_report

ALICE, BOB = Identity("telegram", "111"), Identity("telegram", "222")


async def test_started_and_completed_flows_are_counted_per_flow(assistant, store):
    for who, text in ((ALICE, "where is my order W1000001"), (BOB, "取消订单 W2000002"), (BOB, "算了")):
        await assistant.handle(InboundMessage(who, text))
    today = datetime.now(UTC).date()
    rows = dict(build_report(store, ReportFilter(today, today)).rows())
    assert (rows["flow_started.track_order"], rows["flow_completed.track_order"]) == ("1", "1")
    assert (rows["flow_started.cancel_order"], rows["flow_completed.cancel_order"]) == ("1", "0")
    telegram_zh = dict(build_report(store, ReportFilter(today, today, language="zh")).rows())
    assert "flow_started.track_order" not in telegram_zh and telegram_zh["flow_started.cancel_order"] == "1"
    erase_customer_data(store, 1, "test")  # Alice
    assert store.db["flow_events"].count_where("conversation_id = ?", [ALICE.conversation_id]) == 0
    assert "flow_started.track_order" not in dict(build_report(store, ReportFilter(today, today)).rows())
