"""Waiting for a colleague: the wait notice and staff reminder, working hours, expected wait."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.messages import Identity, InboundMessage
from core.staff import WaitingWatch, WorkingHours

ALICE = Identity("telegram", "111")
HOURS = WorkingHours.parse("09:00-18:00", "1-5", "Asia/Shanghai")


async def open_handoff(assistant, hub):
    await assistant.handle(InboundMessage(ALICE, "I want to talk to a human", language_hint="en"))
    handoff = hub.open_handoff(ALICE.conversation_id)
    return handoff, datetime.fromisoformat(handoff["created_at"])


def test_working_hours_know_when_staff_are_at_work():
    monday_10 = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
    assert HOURS.is_open(monday_10)
    saturday = datetime(2026, 11, 28, 4, 0, tzinfo=UTC)
    assert not HOURS.is_open(saturday)
    assert HOURS.next_open(saturday).isoformat() == "2026-11-30T09:00:00+08:00"
    friday_late = datetime(2026, 11, 27, 11, 0, tzinfo=UTC)  # 19:00 Friday
    assert HOURS.next_open(friday_late).isoformat() == "2026-11-30T09:00:00+08:00"
    assert WorkingHours.parse("09:00-18:00", "1,3,5", "UTC").days == frozenset({1, 3, 5})


async def test_unclaimed_handoff_tells_the_shopper_the_wait_and_reminds_staff_once(assistant, hub, sender, sink):
    handoff, created = await open_handoff(assistant, hub)
    watch = WaitingWatch(hub, wait_minutes=5)
    assert await watch.check(created + timedelta(minutes=4)) == 0
    assert await watch.check(created + timedelta(minutes=6)) == 1
    assert "10 minutes" in sender.texts()[-1]  # no history yet: twice the notice delay
    assert ("remind", 6) in sink.events
    assert await watch.check(created + timedelta(minutes=30)) == 0  # once per handoff


async def test_outside_working_hours_the_shopper_is_told_when_someone_answers(assistant, hub, sender):
    await open_handoff(assistant, hub)
    watch = WaitingWatch(hub, wait_minutes=5, hours=HOURS)
    assert await watch.check(datetime(2026, 11, 28, 4, 0, tzinfo=UTC)) == 1
    assert "2026-11-30 09:00" in sender.texts()[-1]


async def test_expected_wait_is_the_median_time_to_claim(assistant, hub, sender):
    handoff, created = await open_handoff(assistant, hub)
    hub.store.db["handoffs"].update(handoff["id"], {
        "claimed_at": (created + timedelta(minutes=3)).isoformat(timespec="seconds")})
    assert WaitingWatch(hub, wait_minutes=5).expected_wait_minutes() == 3
