"""Promotions through the real Telegram adapter (python-telegram-bot against the fake Bot API):
queued in the outbox under the delivery's key, sent, and a blocked chat recorded as failed."""
from __future__ import annotations

from datetime import UTC, datetime, time

import pytest

from core.promotions.campaigns import Campaigns
from core.promotions.definition import parse_definition
from core.promotions.planner import Planner
from core.promotions.respect import Respect, RespectRules
from core.recommend.popular import PopularityRecommender
from scheduler.dispatch import Dispatcher
from scheduler.pacing import Pacer, PaceSchedule
from tests.fakes.telegram_api import FakeTelegramAPI

# Under --db-engine postgresql the stores on file paths here are PostgreSQL databases too (tests/conftest.py).
pytestmark = pytest.mark.file_stores


async def test_promotions_go_through_the_outbox(fake_api: FakeTelegramAPI, start_channel) -> None:
    channel = await start_channel()
    store = channel.store
    for external_id in ("C1", "C2"):
        store.customers.set_marketing_consent(store.customers.by_external_id(external_id)["id"], True, "test")
    campaigns = Campaigns(store.db)
    campaign_id = campaigns.create(parse_definition({"name": "t", "message": {
        "zh": "{name}，新品 <上架> 了", "en": "{name}, new <arrivals> & more"}, "products": 0}))
    campaigns.set_status(campaign_id, "running")
    rules = RespectRules(time(0), time(0))
    planner = Planner(campaigns, PopularityRecommender(store), Respect(store.db, rules), {}, "en", {"telegram"})
    assert planner.plan(campaigns.get(campaign_id), datetime.now(UTC)).planned == 2
    fake_api.block(222)
    dispatcher = Dispatcher(campaigns, {"telegram": channel}, Respect(store.db, rules), Pacer(PaceSchedule(30, 1)))
    stats = await dispatcher.run_due()
    assert (stats.sent, stats.failed) == (1, 1)
    [message] = fake_api.messages(111)
    assert message.params["text"].startswith("Alice, new &lt;arrivals&gt; &amp; more")
    alice = store.customers.by_external_id("C1")["id"]
    key = f"campaign:{campaign_id}:{alice}"
    assert channel.delivered(key) and store.db.execute(
        "select status from telegram_outbox where source = ?", [key]).fetchone()[0] == "sent"
    failed = next(store.db["deliveries"].rows_where("user_id = '222'"))
    assert failed["status"] == "failed" and failed["reason"].startswith("telegram blocked")
