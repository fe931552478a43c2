"""The scheduler's jobs. APScheduler stores jobs by reference (``scheduler.jobs:plan_campaign``)
in its SQLite job store, so each is a module-level function taking only plain arguments; they act
on the :class:`~scheduler.service.PromotionService` the running bot registered with :func:`bind`."""
from __future__ import annotations

import logging
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scheduler.service import PromotionService

log = logging.getLogger(__name__)

_service: PromotionService | None = None


def bind(service: PromotionService | None) -> None:
    """Make ``service`` the one jobs act on (None when it stops)."""
    global _service
    _service = service


def _current() -> PromotionService:
    if _service is None:
        raise RuntimeError("no promotion service is running")
    return _service


async def plan_campaign(campaign_id: int) -> None:
    """A campaign's scheduled run: plan its deliveries, then wake the dispatcher."""
    _current().plan_scheduled(campaign_id)


async def run_journeys() -> None:
    """Check every running triggered journey for customers it now applies to."""
    _current().run_journeys()


async def sync_campaigns() -> None:
    """Give campaigns started from the CLI their jobs; wake the dispatcher."""
    _current().sync()
