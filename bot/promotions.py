"""Promotions from settings: the shopper-respect rules, the planner and the in-process service."""
from __future__ import annotations

from functools import partial

from bot.settings import Settings
from core.channel import Channel
from core.promotions.campaigns import Campaigns
from core.promotions.journeys import journey_targets
from core.promotions.planner import Planner
from core.promotions.respect import Respect, RespectRules
from core.recommend.base import Recommender
from core.store import Store
from scheduler.dispatch import DispatchConfig
from scheduler.pacing import PaceSchedule
from scheduler.service import PromotionService, SchedulerConfig, parse_quiet_hours, shopper_channels

ALL_CHANNELS = {"telegram", "wechat", "web"}
"""Channels promotions can go out on (the CLI plans as if all of them were running)."""


def respect_rules(settings: Settings) -> RespectRules:
    """Quiet hours, weekly cap, complaint pause and default timezone from settings."""
    start, end = parse_quiet_hours(settings.kefu_promo_quiet_hours)
    return RespectRules(start, end, settings.kefu_promo_weekly_cap, settings.kefu_promo_complaint_days,
                        settings.kefu_promo_timezone)


def shop_name(settings: Settings) -> dict[str, str]:
    """The shop's name per language."""
    return {"zh": settings.kefu_shop_name_zh, "en": settings.kefu_shop_name_en}


def build_planner(store: Store, recommender: Recommender, settings: Settings,
                  channels: set[str] = ALL_CHANNELS) -> Planner:
    """A planner for the CLI and the bench."""
    return Planner(Campaigns(store.db), recommender, Respect(store.db, respect_rules(settings)), shop_name(settings),
                   settings.kefu_default_language, channels)


def pace_schedule(settings: Settings) -> PaceSchedule:
    """The configured overall rate and per-chat interval."""
    return PaceSchedule(settings.kefu_promo_rate_per_s, settings.kefu_promo_chat_interval_s)


def dispatch_config(settings: Settings) -> DispatchConfig:
    """Retry limits from settings."""
    return DispatchConfig(max_attempts=settings.kefu_promo_max_attempts, retry_base_s=settings.kefu_promo_retry_base_s)


def build_promotions(store: Store, recommender: Recommender, channels: list[Channel],
                     settings: Settings) -> PromotionService:
    """The scheduler, planner and dispatcher for ``kefu run``, sending through ``channels``."""
    config = SchedulerConfig(settings.kefu_database_url or settings.kefu_scheduler_db_path,
                             settings.kefu_scheduler_misfire_grace_s,
                             settings.kefu_promo_sync_seconds, settings.kefu_promo_journey_minutes,
                             settings.kefu_promo_timezone)
    return PromotionService(Campaigns(store.db), Respect(store.db, respect_rules(settings)),
                            partial(journey_targets, store.db), recommender, shopper_channels(channels),
                            pace_schedule(settings), dispatch_config(settings), config, shop_name(settings),
                            settings.kefu_default_language)
