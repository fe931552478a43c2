"""The in-process service end to end (a campaign started from the CLI is picked up, planned by its
stored job and sent) and the ``kefu campaign`` / ``kefu coupon`` commands."""
from __future__ import annotations

import asyncio
from functools import partial
from pathlib import Path

import pytest
from promo_helpers import MESSAGE, NO_QUIET, definition

from core.messages import Identity, Reply
from core.promotions.campaigns import Campaigns
from core.promotions.journeys import journey_targets
from core.promotions.respect import Respect
from core.recommend.popular import PopularityRecommender
from core.store import Store
from scheduler.dispatch import DispatchConfig
from scheduler.pacing import PaceSchedule
from scheduler.service import PromotionService, SchedulerConfig
from tests.fakes.channel import RecordingChannel
from tests.helpers import run_kefu, wait_until

# Under --db-engine postgresql the stores on file paths here are PostgreSQL databases too (tests/conftest.py).
pytestmark = pytest.mark.file_stores


class Inbox(RecordingChannel):
    name = "telegram"

    def __init__(self) -> None:
        super().__init__()
        self.received: list[tuple[str, str]] = []

    async def push(self, key: str, identity: Identity, reply: Reply) -> None:
        self.received.append((identity.user_id, reply.text))


async def test_service_plans_started_campaigns_and_sends_them(shop: Store, tmp_path: Path) -> None:
    campaigns = Campaigns(shop.db)
    campaign_id = campaigns.create(definition())
    campaigns.set_status(campaign_id, "running")  # as `kefu campaign start` does
    inbox = Inbox()

    def service() -> PromotionService:
        return PromotionService(Campaigns(shop.db), Respect(shop.db, NO_QUIET), partial(journey_targets, shop.db),
                                PopularityRecommender(shop), {"telegram": inbox}, PaceSchedule(100, 0), DispatchConfig(), SchedulerConfig(tmp_path / "jobs.db"),
                                {"zh": "店", "en": "Shop"}, "en")

    first = service()
    await first.start()
    try:
        await wait_until(lambda: len(inbox.received) == 2)
    finally:
        await first.stop()
    assert sorted(user for user, _ in inbox.received) == ["111", "222"]
    assert campaigns.get(campaign_id).planned_at is not None
    second = service()  # a restart: the campaign is not planned or sent again
    await second.start()
    await asyncio.sleep(0.5)
    await second.stop()
    assert len(inbox.received) == 2 and shop.db["deliveries"].count == 3


@pytest.mark.slow
def test_campaign_and_coupon_commands(tmp_path: Path) -> None:
    yaml_file = tmp_path / "spring.yaml"
    yaml_file.write_text(
        "name: Spring\nmessage:\n"
        + "".join(f"  {lang}: {text!r}\n".replace("\\n", "\\\\n") for lang, text in MESSAGE.items())
        + "segment: {languages: [zh]}\ncoupon: {amount: 20, min_spend: 100}\n", encoding="utf-8")
    created = run_kefu(tmp_path, "campaign", "create", str(yaml_file))
    assert created.returncode == 0, created.stderr
    assert "campaign 1 created" in created.stdout
    preview = run_kefu(tmp_path, "campaign", "preview", "1", "-n", "2")
    assert preview.stdout.count("── customer") == 2 and "优惠券 KF-" in preview.stdout
    started = run_kefu(tmp_path, "campaign", "start", "1", "--now")
    assert "planned" in started.stdout, started.stderr
    listed = run_kefu(tmp_path, "campaign", "list")
    assert "running" in listed.stdout and "Spring" in listed.stdout
    store = Store(tmp_path / "kefu.db")
    code, customer = store.db.execute("select c.code, u.external_id from coupons c join customers u "
                                      "on u.id = c.customer_id limit 1").fetchone()
    store.close()
    assert run_kefu(tmp_path, "coupon", "check", code, "--total", "50").returncode == 1
    redeemed = run_kefu(tmp_path, "coupon", "redeem", code, "--total", "150", "--order", "#X1", "--customer",
                        customer, "--yes")
    assert redeemed.returncode == 0 and "20.00 off" in redeemed.stdout
    again = run_kefu(tmp_path, "coupon", "redeem", code, "--total", "150", "--order", "#X2", "--customer", customer,
                     "--yes")
    assert again.returncode == 1 and "already used" in again.stderr
    report = run_kefu(tmp_path, "campaign", "report", "1", "--chart", str(tmp_path / "r.png"))
    assert "coupons redeemed" in report.stdout and "¥150.00" in report.stdout
    assert (tmp_path / "r.png").read_bytes()[:4] == b"\x89PNG"
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nmessage: {en: hi}\n", encoding="utf-8")
    refused = run_kefu(tmp_path, "campaign", "create", str(bad))
    assert refused.returncode == 1 and "zh and en" in refused.stderr
