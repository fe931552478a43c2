"""Start-up of the human handoff: the shopper channels the hub delivers staff replies through (on every
worker), and the waiting-time watch (leader-only work: one worker tells a waiting shopper, once)
(docs/HANDOFF.md, docs/SCALING.md). The staff inbox and Slack are built with the other channels
(:mod:`bot.channels`)."""
from __future__ import annotations

from bot.settings import Settings
from core.channel import Channel
from core.staff import HandoffHub, WaitingWatch, WorkingHours


def connect_handoff(hub: HandoffHub, started: list[Channel]) -> None:
    """Let staff replies reach shoppers on every started shopper channel."""
    hub.channels.update({channel.name: channel for channel in started if channel.reaches_shoppers})


class WaitingWork:
    """The waiting watch (which also sends the CSAT question to conversations gone quiet after a
    finished flow) as leader-only work: checking every ``KEFU_HANDOFF_CHECK_SECONDS`` while started."""

    def __init__(self, hub: HandoffHub, settings: Settings) -> None:
        hours = WorkingHours.parse(settings.kefu_staff_hours, settings.kefu_staff_days, settings.kefu_staff_timezone)
        self.watch = WaitingWatch(hub, settings.kefu_handoff_wait_minutes, hours, settings.kefu_csat_idle_minutes)
        self._every_s = settings.kefu_handoff_check_seconds

    async def start(self) -> None:
        """Start the periodic check."""
        self.watch.start(self._every_s)

    async def stop(self) -> None:
        """Stop it."""
        await self.watch.stop()
