"""Dispatch: sends due deliveries through each customer's channel (:meth:`core.channel.Channel.push`),
paced, retried with back-off, exactly once per (campaign, customer, occasion).

Each delivery is claimed (``sending``, committed) before its push and marked ``sent`` after it.
A process killed in between leaves it ``sending``; :meth:`Dispatcher.recover` asks the channel
whether the keyed message arrived and marks it sent, sends it again, or — on a channel that cannot
tell — records it failed as "interrupted", so nothing is ever sent twice."""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from core.channel import Channel, PushError
from core.clock import utc_now
from core.messages import Identity, Reply
from core.observe import metrics
from core.promotions.campaigns import Campaigns, Due
from core.promotions.respect import Respect
from scheduler.pacing import Pacer

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DispatchConfig:
    """Retry and concurrency limits."""

    max_attempts: int = 5
    retry_base_s: float = 30.0
    retry_max_s: float = 3600.0
    concurrency: int = 64
    batch: int = 500


@dataclass
class DispatchStats:
    """What one :meth:`Dispatcher.run_due` did."""

    sent: int = 0
    failed: int = 0
    retried: int = 0
    skipped: int = 0
    postponed: int = 0
    reasons: dict[str, int] = field(default_factory=dict)


class Dispatcher:
    """Sends what is due, on the running channels it was given (by name)."""

    def __init__(self, campaigns: Campaigns, channels: dict[str, Channel], respect: Respect, pacer: Pacer,
                 config: DispatchConfig | None = None, clock: Callable[[], datetime] = utc_now) -> None:
        self._campaigns = campaigns
        self._channels = channels
        self._respect = respect
        self._pacer = pacer
        self._config = config or DispatchConfig()
        self._clock = clock
        self._wake = asyncio.Event()

    def recover(self) -> dict[str, int]:
        """Settle deliveries a stopped process left ``sending``; returns how many went which way."""
        outcome = {"sent": 0, "resend": 0, "failed": 0}
        for due in self._campaigns.interrupted():
            channel = self._channels.get(due.channel)
            arrived = channel.delivered(due.key) if channel else None
            if arrived:
                self._campaigns.mark_sent(due.id)
                outcome["sent"] += 1
            elif arrived is False:
                self._campaigns.postpone(due.id, self._clock(), "interrupted before the send")
                outcome["resend"] += 1
            else:
                self._campaigns.mark_failed(due.id, "interrupted: delivery unknown, not repeated")
                outcome["failed"] += 1
        if any(outcome.values()):
            log.info("recovered interrupted promotion deliveries: %s", outcome)
        return outcome

    def wake(self) -> None:
        """Look for due deliveries now (after planning)."""
        self._wake.set()

    async def run_forever(self, poll_s: float = 10.0) -> None:
        """Send whatever is due, then wait for :meth:`wake` or ``poll_s``; until cancelled."""
        while True:
            try:
                await self.run_due()
            except Exception:
                log.exception("promotion dispatch failed; trying again in %.0f s", poll_s)
            try:
                await asyncio.wait_for(self._wake.wait(), poll_s)
            except TimeoutError:
                pass
            self._wake.clear()

    async def run_due(self) -> DispatchStats:
        """Send every delivery due now (retries that come due while this runs included)."""
        stats = DispatchStats()
        slots = asyncio.Semaphore(self._config.concurrency)
        tasks: set[asyncio.Task] = set()
        while batch := self._campaigns.due(self._clock(), self._config.batch):
            for due in batch:
                if not self._ready(due, stats):
                    continue
                await slots.acquire()
                task = asyncio.create_task(self._send(due, stats))
                tasks.add(task)
                task.add_done_callback(lambda t: (tasks.discard(t), slots.release()))
            if tasks:
                await asyncio.wait(set(tasks), return_when=asyncio.FIRST_COMPLETED)
        if tasks:
            await asyncio.gather(*tasks)
        return stats

    def _ready(self, due: Due, stats: DispatchStats) -> bool:
        """Check the shopper's limits again right before sending; claim the delivery when it may go."""
        now = self._clock()
        facts = self._campaigns.customer_facts(due.customer_id)
        reason = self._respect.exclusions([facts], now).get(due.customer_id)
        if reason:
            self._campaigns.mark_skipped(due.id, reason)
            _count(stats, "skipped", reason)
            return False
        quiet_end = self._respect.rules.quiet_until(now, facts.timezone)
        if quiet_end is not None:
            self._campaigns.postpone(due.id, quiet_end)
            stats.postponed += 1
            return False
        if due.channel not in self._channels:
            self._campaigns.mark_failed(due.id, f"the {due.channel} channel is not running")
            _count(stats, "failed", "channel not running")
            return False
        return self._campaigns.claim(due.id)

    async def _send(self, due: Due, stats: DispatchStats) -> None:
        """Pace, push, record the outcome."""
        await self._pacer.wait(f"{due.channel}:{due.user_id}")
        try:
            await self._channels[due.channel].push(due.key, Identity(due.channel, due.user_id), Reply.from_dict(due.body))
        except PushError as exc:
            self._failed(due, exc.reason, exc.retryable, stats)
        except Exception as exc:  # an adapter bug must not stop the campaign; it is recorded and retried
            log.exception("push of %s failed unexpectedly", due.key)
            self._failed(due, f"unexpected: {exc!r}", True, stats)
        else:
            self._campaigns.mark_sent(due.id)
            stats.sent += 1
            metrics.CAMPAIGN_DELIVERIES.labels(due.channel, "sent").inc()

    def _failed(self, due: Due, reason: str, retryable: bool, stats: DispatchStats) -> None:
        attempts = due.attempts + 1
        if retryable and attempts < self._config.max_attempts:
            delay = min(self._config.retry_base_s * 2 ** (attempts - 1), self._config.retry_max_s)
            self._campaigns.postpone(due.id, self._clock() + timedelta(seconds=delay), reason)
            stats.retried += 1
            metrics.CAMPAIGN_DELIVERIES.labels(due.channel, "retried").inc()
        else:
            self._campaigns.mark_failed(due.id, reason)
            _count(stats, "failed", reason)
            metrics.CAMPAIGN_DELIVERIES.labels(due.channel, "failed").inc()


def _count(stats: DispatchStats, outcome: str, reason: str) -> None:
    setattr(stats, outcome, getattr(stats, outcome) + 1)
    stats.reasons[reason] = stats.reasons.get(reason, 0) + 1
