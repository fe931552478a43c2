"""Two leaders in sequence on one PostgreSQL store (docs/SCALING.md): each a promotion service on
its own connection, its jobs in the database's ``apscheduler_jobs``. The second finds the first's
jobs and sends nothing again: the deliveries ledger keeps every promotion to once per customer."""
from __future__ import annotations

import asyncio
from functools import partial

import pytest
from promo_helpers import NO_QUIET, definition

from core.promotions.campaigns import Campaigns
from core.promotions.journeys import journey_targets
from core.promotions.respect import Respect
from core.recommend.popular import PopularityRecommender
from core.store import Store
from scheduler.dispatch import DispatchConfig
from scheduler.pacing import PaceSchedule
from scheduler.service import PromotionService, SchedulerConfig, jobstore_url
from tests.conftest import seed_small_shop
from tests.helpers import wait_until
from tests.promotions.test_promotions_service import Inbox


@pytest.fixture
def store(postgres_databases):
    """The small shop on PostgreSQL (the ``shop`` fixture adds its consenting customers)."""
    store = Store(postgres_databases.new())
    seed_small_shop(store)
    yield store
    store.close()


def leader(url: str, inbox: Inbox) -> tuple[PromotionService, Store]:
    """A worker's promotion service on its own connection to ``url``, its jobs in the same database."""
    store = Store(url)
    service = PromotionService(Campaigns(store.db), Respect(store.db, NO_QUIET), partial(journey_targets, store.db),
                               PopularityRecommender(store), {"telegram": inbox}, PaceSchedule(100, 0),
                               DispatchConfig(), SchedulerConfig(url), {"zh": "店", "en": "Shop"}, "en")
    return service, store


def test_the_job_store_url_speaks_psycopg_3():
    assert jobstore_url("postgresql://kefu:pw@db:5432/kefu") == "postgresql+psycopg://kefu:pw@db:5432/kefu"
    assert jobstore_url("postgres://db/kefu") == "postgresql+psycopg://db/kefu"


async def test_a_second_leader_finds_the_jobs_and_sends_nothing_twice(shop: Store) -> None:
    url = shop.db.url
    campaigns = Campaigns(shop.db)
    campaign_id = campaigns.create(definition())
    campaigns.set_status(campaign_id, "running")
    inbox = Inbox()
    first, first_store = leader(url, inbox)
    await first.start()
    try:
        await wait_until(lambda: len(inbox.received) == 2)
    finally:
        await first.stop()
        first_store.close()
    assert sorted(user for user, _ in inbox.received) == ["111", "222"]
    jobs = {row[0] for row in shop.db.execute("select id from apscheduler_jobs")}
    assert {"sync-campaigns", "run-journeys"} <= jobs
    second, second_store = leader(url, inbox)  # the next leader, another worker
    await second.start()
    try:
        await asyncio.sleep(0.5)
        assert second.scheduler.get_job("sync-campaigns") is not None
    finally:
        await second.stop()
        second_store.close()
    assert len(inbox.received) == 2 and shop.db["deliveries"].count == 3
    assert [row[0] for row in shop.db.execute("select status from deliveries order by id")].count("sent") == 2
