"""The promotions runtime inside the bot process: APScheduler's ``AsyncIOScheduler`` with a
persistent job store (jobs survive restarts; missed runs are coalesced within the grace time) — an
SQLite file, or the table ``apscheduler_jobs`` of the PostgreSQL store, which only the leading
worker's scheduler touches — the planner, and the dispatcher sending through the running channels. It knows channels only
by the port (:class:`core.channel.Channel`) and the store only through the promotions' own classes."""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, time
from pathlib import Path

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger

from core.channel import Channel
from core.clock import utc_now
from core.messages import Language
from core.promotions.campaigns import Campaign, Campaigns
from core.promotions.definition import Trigger
from core.promotions.planner import Planner, PlanResult, Target
from core.promotions.respect import Respect, RespectRules
from core.recommend.base import Recommender
from core.store.engine import shown_url
from core.store.engine.reach import CONNECT_OPTIONS
from scheduler import jobs
from scheduler.dispatch import DispatchConfig, Dispatcher
from scheduler.pacing import Pacer, PaceSchedule

log = logging.getLogger(__name__)

JourneyTargets = Callable[[Trigger, datetime, RespectRules], list[Target]]
"""Everyone a journey's trigger applies to at a time (:func:`core.promotions.journeys.journey_targets`
over the store)."""


@dataclass(frozen=True)
class SchedulerConfig:
    """Where jobs are kept (an SQLite file, or a SQLAlchemy URL: :func:`jobstore_url`) and how often the
    recurring ones run."""

    jobs_path: Path | str
    misfire_grace_s: int = 3600
    sync_seconds: float = 30.0
    journey_minutes: float = 15.0
    timezone: str = "Asia/Shanghai"


def jobstore_url(jobs: Path | str) -> str:
    """SQLAlchemy's URL of the job store: ``sqlite:///`` of a file (its folder made), or a PostgreSQL
    URL (``postgresql://…``) spoken through psycopg 3 (``postgresql+psycopg://…``)."""
    if isinstance(jobs, Path):
        jobs.parent.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{jobs}"
    scheme, _, rest = jobs.partition("://")
    return f"postgresql+psycopg://{rest}" if scheme in ("postgres", "postgresql") else jobs


def build_scheduler(jobs: Path | str, misfire_grace_s: int, timezone: str) -> AsyncIOScheduler:
    """An ``AsyncIOScheduler`` whose jobs live at ``jobs`` (:func:`jobstore_url`); missed runs of a job
    are coalesced into one if they are at most ``misfire_grace_s`` late."""
    url = jobstore_url(jobs)
    engine: dict = {"pool_pre_ping": True}
    if url.startswith("postgresql+psycopg://"):
        engine["connect_args"] = CONNECT_OPTIONS
    return AsyncIOScheduler(
        jobstores={"default": SQLAlchemyJobStore(url=url, engine_options=engine)},
        job_defaults={"coalesce": True, "misfire_grace_time": misfire_grace_s, "max_instances": 1},
        timezone=timezone)


def shopper_channels(channels: Iterable[Channel]) -> dict[str, Channel]:
    """The channels promotions can go out on, by name: every one that reaches shoppers."""
    return {channel.name: channel for channel in channels if channel.reaches_shoppers}


def _shown(jobs: Path | str) -> str:
    """Where the jobs are, as logged: a file, or the database without its password."""
    return str(jobs) if isinstance(jobs, Path) else f"apscheduler_jobs of {shown_url(jobs)}"


def parse_quiet_hours(text: str) -> tuple[time, time]:
    """``"21:00-09:00"`` → (21:00, 09:00)."""
    start, _, end = text.partition("-")
    return time.fromisoformat(start.strip()), time.fromisoformat(end.strip())


class PromotionService:
    """Plans campaigns on their schedules, runs journeys, and keeps the dispatcher sending."""

    def __init__(self, campaigns: Campaigns, respect: Respect, journeys: JourneyTargets, recommender: Recommender,
                 channels: Mapping[str, Channel], pace: PaceSchedule, dispatch: DispatchConfig,
                 config: SchedulerConfig, shop_name: Mapping[str, str], default_language: Language) -> None:
        """``channels``: the running channels promotions go out on, by name (:func:`shopper_channels`)."""
        self.campaigns = campaigns
        self.respect = respect
        self._journeys = journeys
        self.planner = Planner(self.campaigns, recommender, self.respect, shop_name, default_language, set(channels))
        self.dispatcher = Dispatcher(self.campaigns, dict(channels), self.respect, Pacer(pace), dispatch)
        self.config = config
        self.scheduler: AsyncIOScheduler | None = None
        self._dispatching: asyncio.Task | None = None

    async def start(self) -> None:
        """Settle interrupted sends, start dispatching, start a scheduler with its recurring jobs (a new
        one each time: a worker that leads again reads the jobs its predecessor left)."""
        jobs.bind(self)
        self.dispatcher.recover()
        self._dispatching = asyncio.create_task(self.dispatcher.run_forever(), name="promotions-dispatch")
        self.scheduler = build_scheduler(self.config.jobs_path, self.config.misfire_grace_s, self.config.timezone)
        self.scheduler.start()
        self.scheduler.add_job("scheduler.jobs:sync_campaigns", "interval", seconds=self.config.sync_seconds,
                               id="sync-campaigns", replace_existing=True, next_run_time=utc_now())
        self.scheduler.add_job("scheduler.jobs:run_journeys", "interval", minutes=self.config.journey_minutes,
                               id="run-journeys", replace_existing=True)
        log.info("promotions scheduler started (jobs in %s)", _shown(self.config.jobs_path))

    async def stop(self) -> None:
        """Stop the scheduler (jobs stay stored) and the dispatcher (unsent deliveries stay pending)."""
        if self.scheduler is not None and self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        self.scheduler = None
        if self._dispatching is not None:
            self._dispatching.cancel()
            await asyncio.gather(self._dispatching, return_exceptions=True)
        jobs.bind(None)

    # -- what the jobs do ----------------------------------------------------------------
    def sync(self) -> None:
        """Every running scheduled campaign gets its job: its cron schedule, or one run at its time (now
        when that has passed) unless it was planned already; then look for due deliveries."""
        assert self.scheduler is not None, "sync runs as a job of the running scheduler"
        for campaign in self.campaigns.all("running"):
            schedule = campaign.definition.schedule
            job_id = f"campaign:{campaign.id}"
            if campaign.definition.is_journey or self.scheduler.get_job(job_id) is not None:
                continue
            if schedule.cron:
                trigger = CronTrigger.from_crontab(schedule.cron, timezone=self.config.timezone)
            elif campaign.planned_at is None:
                trigger = DateTrigger(max(schedule.at or utc_now(), utc_now()))
            else:
                continue
            self.scheduler.add_job("scheduler.jobs:plan_campaign", trigger, args=[campaign.id], id=job_id)
            log.info("campaign %s scheduled: %s", campaign.id, trigger)
        self.dispatcher.wake()

    def plan_scheduled(self, campaign_id: int, now: datetime | None = None) -> PlanResult | None:
        """Plan one run of a scheduled campaign (cron runs each get their own occasion, the date)."""
        campaign = self.campaigns.get(campaign_id)
        if campaign is None or campaign.status != "running":
            log.info("campaign %s is not running; its scheduled run is skipped", campaign_id)
            return None
        now = now or utc_now()
        result = self.plan(campaign, now)
        self.campaigns.mark_planned(campaign.id, now)
        return result

    def plan(self, campaign: Campaign, now: datetime) -> PlanResult:
        """Plan now and wake the dispatcher."""
        occasion = f"run:{now:%Y-%m-%d}" if campaign.definition.schedule.cron else ""
        result = self.planner.plan(campaign, now, occasion=occasion)
        log.info("campaign %s planned: %s", campaign.id, result)
        self.dispatcher.wake()
        return result

    def run_journeys(self, now: datetime | None = None) -> dict[int, PlanResult]:
        """Plan every running journey for the customers its trigger applies to now."""
        now = now or utc_now()
        results = {}
        for campaign in self.campaigns.all("running"):
            trigger = campaign.definition.trigger
            if trigger is not None:
                targets = self._journeys(trigger, now, self.respect.rules)
                results[campaign.id] = self.planner.plan(campaign, now, targets)
        self.dispatcher.wake()
        return results
