"""Journeys, pacing, dispatch with retries and failure reasons, and unsubscribing in one message."""
from __future__ import annotations

import json
from datetime import time, timedelta

import pytest
from promo_helpers import NO_QUIET, NOW, definition, start

from core.dialogue_state import DialogueState
from core.channel import PushError
from core.messages import Identity, InboundMessage, Reply
from core.nlu.base import NLUResult, Reading
from core.policy.dialogue import DialoguePolicy
from core.policy.rules import RulePolicy
from core.promotions.campaigns import Campaigns
from core.promotions.journeys import journey_targets, refresh_product_snapshot
from core.promotions.respect import Respect, RespectRules
from core.sentiment.base import Sentiment
from core.store import Store
from core.turn import Turn
from scheduler.dispatch import DispatchConfig, Dispatcher
from scheduler.pacing import Pacer, PaceSchedule
from tests.fakes.channel import RecordingChannel

JOURNEY_MESSAGE = {"zh": "{name}，{item}", "en": "{name}: {item}"}


def _trigger(**trigger: object):
    return definition(message=JOURNEY_MESSAGE, coupon=None, trigger=trigger).trigger


def test_journeys_find_their_occasions(shop: Store) -> None:
    alice = shop.customers.by_external_id("C1")["id"]
    bob = shop.customers.by_external_id("C2")["id"]
    at = lambda **d: (NOW - timedelta(**d)).isoformat()  # noqa: E731
    # abandoned cart: Bob carted 5 hours ago and bought nothing since; Alice carted 1 hour ago
    shop.events.record(bob, "cart", "D3", at=at(hours=5))
    shop.events.record(alice, "cart", "D2", at=at(hours=1))
    carts = journey_targets(shop.db, _trigger(kind="abandoned_cart", after_hours=4), NOW, NO_QUIET)
    assert [(t.customer_id, t.item["en"]) for t in carts] == [(bob, "Burgundy velvet maxi dress")]
    assert carts[0].occasion.startswith("cart:")
    # back in stock and price drop, against the snapshot
    shop.events.record(alice, "view", "D1", at=at(days=2))
    shop.events.record(bob, "view", "C1", at=at(days=2))
    shop.db.execute("update variants set stock = 0 where product_id = 'D1'")
    refresh_product_snapshot(shop.db, NOW - timedelta(hours=1))
    shop.db.execute("update variants set stock = 4 where product_id = 'D1'")
    shop.db.execute("update variants set price_cents = 2900 where product_id = 'C1'")
    restocked = journey_targets(shop.db, _trigger(kind="back_in_stock"), NOW, NO_QUIET)
    assert [(t.customer_id, t.item["zh"]) for t in restocked] == [(alice, "法式红色碎花连衣裙")]
    cheaper = journey_targets(shop.db, _trigger(kind="price_drop"), NOW, NO_QUIET)
    assert [t.customer_id for t in cheaper] == [bob]
    # review request: Alice's order delivered 4 days ago
    order = shop.orders.get("#W1000001")
    shop.db["orders"].update("#W1000001", {"status": "delivered", "updated_at": at(days=4)})
    reviews = journey_targets(shop.db, _trigger(kind="review_request", after_days=3), NOW, NO_QUIET)
    assert [(t.customer_id, t.occasion) for t in reviews] == [(alice, "order:#W1000001")] and order
    # win-back: orders from 2026-10-20/21 are 12-13 days old
    assert {t.customer_id for t in journey_targets(shop.db, _trigger(kind="win_back", inactive_days=10), NOW,
                                                   NO_QUIET)} == {alice, bob}
    assert journey_targets(shop.db, _trigger(kind="win_back", inactive_days=30), NOW, NO_QUIET) == []
    # birthday on the customer's own clock (NOW is 14:00 on 2 Nov in Shanghai)
    shop.db["customers"].update(bob, {"birthday": "1990-11-02"})
    shop.db["customers"].update(alice, {"birthday": "11-03"})
    assert [(t.customer_id, t.occasion) for t in journey_targets(shop.db, _trigger(kind="birthday"), NOW,
                                                                 NO_QUIET)] == [(bob, "birthday:2026")]


def test_journey_plans_once_per_occasion(shop: Store, planner) -> None:
    bob = shop.customers.by_external_id("C2")["id"]
    shop.events.record(bob, "cart", "D3", at=(NOW - timedelta(hours=5)).isoformat())
    campaign = start(shop, message=JOURNEY_MESSAGE, coupon=None, trigger={"kind": "abandoned_cart"})
    targets = journey_targets(shop.db, campaign.definition.trigger, NOW, NO_QUIET)
    assert planner.plan(campaign, NOW, targets).planned == 1
    assert planner.plan(campaign, NOW, targets).planned == 0
    row = next(shop.db["deliveries"].rows)
    assert json.loads(row["body"])["text"].startswith("王波，酒红丝绒长裙") and row["occasion"].startswith("cart:")


def test_pace_schedule_keeps_overall_rate_and_per_chat_interval() -> None:
    now = [100.0]
    schedule = PaceSchedule(rate_per_s=10, chat_interval_s=1.0, clock=lambda: now[0])
    starts = [schedule.reserve(f"chat{i}") for i in range(5)]
    assert starts == pytest.approx([100.0, 100.1, 100.2, 100.3, 100.4])  # 10/s overall, reserved ahead
    assert schedule.reserve("chat0") == pytest.approx(101.0)  # one per second for the same chat
    assert schedule.reserve("chat9") == pytest.approx(101.1)
    now[0] = 200.0  # idle: no burst credit builds up beyond "now"
    assert schedule.reserve("chat1") == pytest.approx(200.0)
    assert schedule.reserve("chat2") == pytest.approx(200.1)


class FlakyPusher(RecordingChannel):
    """Fails each key according to a script: "ok", "retry" (then ok), "retry-forever", "refuse"."""

    name = "telegram"

    def __init__(self, script: dict[str, str]) -> None:
        super().__init__()
        self.script = script
        self.calls: list[str] = []

    async def push(self, key: str, identity: Identity, reply: Reply) -> None:
        self.calls.append(identity.user_id)
        plan = self.script.get(identity.user_id, "ok")
        if plan == "refuse":
            raise PushError("telegram failed: chat not found", retryable=False)
        if plan.startswith("retry"):
            if plan == "retry":
                self.script[identity.user_id] = "ok"
            raise PushError("network down", retryable=True)


async def test_dispatch_retries_with_backoff_and_records_failures(shop: Store, planner) -> None:
    campaign = start(shop)
    planner.plan(campaign, NOW)
    clock = [NOW]
    pusher = FlakyPusher({"111": "retry", "222": "refuse"})
    dispatcher = Dispatcher(Campaigns(shop.db), {"telegram": pusher}, Respect(shop.db, NO_QUIET),
                            Pacer(PaceSchedule(1000, 0)), DispatchConfig(max_attempts=3, retry_base_s=60),
                            clock=lambda: clock[0])
    first = await dispatcher.run_due()
    assert (first.sent, first.retried, first.failed) == (0, 1, 1)
    rows = {r["user_id"]: r for r in shop.db["deliveries"].rows_where("user_id is not null")}
    assert rows["222"]["status"] == "failed" and "chat not found" in rows["222"]["reason"]
    assert rows["111"]["status"] == "pending" and rows["111"]["reason"] == "network down"
    assert rows["111"]["due_at"] == (NOW + timedelta(seconds=60)).isoformat()
    assert (await dispatcher.run_due()).sent == 0  # not due yet
    clock[0] = NOW + timedelta(seconds=61)
    assert (await dispatcher.run_due()).sent == 1
    assert pusher.calls == ["111", "222", "111"]
    assert Campaigns(shop.db).status_counts(campaign.id) == {"sent": 1, "failed": 1, "skipped": 1}


async def test_dispatch_gives_up_after_max_attempts_and_checks_again_before_sending(shop: Store, planner) -> None:
    campaign = start(shop)
    planner.plan(campaign, NOW)
    clock = [NOW]
    pusher = FlakyPusher({"111": "retry-forever"})
    dispatcher = Dispatcher(Campaigns(shop.db), {"telegram": pusher}, Respect(shop.db, NO_QUIET),
                            Pacer(PaceSchedule(1000, 0)), DispatchConfig(max_attempts=2, retry_base_s=1),
                            clock=lambda: clock[0])
    shop.customers.set_marketing_consent(shop.customers.by_external_id("C2")["id"], False, "test")  # after planning
    await dispatcher.run_due()
    clock[0] = NOW + timedelta(seconds=5)
    await dispatcher.run_due()
    rows = {r["user_id"]: r for r in shop.db["deliveries"].rows_where("user_id is not null")}
    assert (rows["111"]["status"], rows["111"]["attempts"], rows["111"]["reason"]) == ("failed", 2, "network down")
    assert (rows["222"]["status"], rows["222"]["reason"]) == ("skipped", "no_consent")
    assert pusher.calls == ["111", "111"]


async def test_quiet_hours_postpone_and_paused_campaigns_wait(shop: Store, planner) -> None:
    campaign = start(shop)
    planner.plan(campaign, NOW)
    pusher = FlakyPusher({})
    quiet = RespectRules(time(13), time(15), default_timezone="Asia/Shanghai")  # NOW is 14:00 there
    dispatcher = Dispatcher(Campaigns(shop.db), {"telegram": pusher}, Respect(shop.db, quiet),
                            Pacer(PaceSchedule(1000, 0)), clock=lambda: NOW)
    stats = await dispatcher.run_due()
    assert stats.postponed == 2 and pusher.calls == []
    assert {r["due_at"] for r in shop.db["deliveries"].rows_where("status = 'pending'")} == {
        "2026-11-02T07:00:00+00:00"}  # 15:00 Shanghai
    Campaigns(shop.db).set_status(campaign.id, "paused")
    later = Dispatcher(Campaigns(shop.db), {"telegram": pusher}, Respect(shop.db, NO_QUIET),
                       Pacer(PaceSchedule(1000, 0)), clock=lambda: NOW + timedelta(hours=2))
    assert (await later.run_due()).sent == 0
    Campaigns(shop.db).set_status(campaign.id, "running")
    assert (await later.run_due()).sent == 2


@pytest.mark.parametrize("text", ["退订", "STOP", " unsubscribe ", "/unsubscribe", "退订。"])
async def test_one_message_unsubscribes_and_is_confirmed(shop: Store, assistant, text: str) -> None:
    alice = shop.customers.by_external_id("C1")
    assert shop.customers.get(alice["id"])["marketing_consent"] == 1
    replies = (await assistant.handle(InboundMessage(Identity("telegram", "111"), text, message_id="m1"))).replies
    assert shop.customers.get(alice["id"])["marketing_consent"] == 0
    assert "marketing messages" in replies[0].text or "营销消息" in replies[0].text
    assert shop.audit.entries(f"customer:{alice['id']}")[-1]["action"] == "consent.withdraw"


@pytest.mark.parametrize("active_task, actions", [(None, ["unsubscribe"]),
                                                 ("cancel_order", ["unsubscribe", "task_abandon"])])
def test_stop_unsubscribes_even_when_the_nlu_reads_an_order_to_cancel(active_task, actions) -> None:
    nlu = NLUResult("STOP", "en", False, "cancel_order", 0.9, readings=[Reading("cancel_order", 0.9)])
    turn = Turn(InboundMessage(Identity("telegram", "111"), "STOP"), "telegram:111", None, nlu,
                Sentiment("neutral", 0.0), DialogueState(language="en", active_task=active_task))
    assert DialoguePolicy(RulePolicy()).decide(turn) == actions


async def test_words_inside_a_sentence_do_not_unsubscribe(shop: Store, assistant) -> None:
    alice = shop.customers.by_external_id("C1")
    await assistant.handle(InboundMessage(Identity("telegram", "111"), "don't stop the music", message_id="m2"))
    assert shop.customers.get(alice["id"])["marketing_consent"] == 1
