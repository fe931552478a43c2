"""Campaign deliveries are counted in Prometheus by channel and outcome (sent, retried, failed)."""
from __future__ import annotations

from datetime import timedelta

from promo_helpers import NO_QUIET, NOW, start

from core.channel import PushError
from core.messages import Identity, Reply
from core.observe.metrics import sample
from core.promotions.campaigns import Campaigns
from core.promotions.respect import Respect
from core.store import Store
from scheduler.dispatch import DispatchConfig, Dispatcher
from scheduler.pacing import Pacer, PaceSchedule
from tests.fakes.channel import RecordingChannel


class _Pusher(RecordingChannel):
    """Telegram pusher that is down (retryable) while ``down`` is set, and refused for user 222."""

    name = "telegram"
    down = True

    async def push(self, key: str, identity: Identity, reply: Reply) -> None:
        if identity.user_id == "222":
            raise PushError("chat not found", retryable=False)
        if self.down:
            raise PushError("network down", retryable=True)


async def test_campaign_deliveries_are_counted_by_outcome(shop: Store, planner) -> None:
    planner.plan(start(shop), NOW)
    clock, pusher = [NOW], _Pusher()
    dispatcher = Dispatcher(Campaigns(shop.db), {"telegram": pusher}, Respect(shop.db, NO_QUIET),
                            Pacer(PaceSchedule(1000, 0)), DispatchConfig(max_attempts=3, retry_base_s=1),
                            clock=lambda: clock[0])
    before = {o: sample("kefu_campaign_deliveries_total", channel="telegram", outcome=o)
              for o in ("sent", "retried", "failed")}
    await dispatcher.run_due()
    pusher.down = False
    clock[0] = NOW + timedelta(seconds=5)  # the retry is due
    await dispatcher.run_due()
    after = {o: sample("kefu_campaign_deliveries_total", channel="telegram", outcome=o) - before[o] for o in before}
    assert after == {"sent": 1, "retried": 1, "failed": 1}
