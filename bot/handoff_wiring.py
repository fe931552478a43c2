"""Start-up of the human handoff: the shopper channels the hub delivers staff replies through, and the
waiting-time watch (docs/HANDOFF.md). The staff inbox and Slack are built with the other channels
(:mod:`bot.channels`)."""
from __future__ import annotations

from bot.settings import Settings
from core.channel import Channel
from core.staff import HandoffHub, WaitingWatch, WorkingHours


def start_handoff(hub: HandoffHub, settings: Settings, started: list[Channel]) -> WaitingWatch:
    """Let staff replies reach shoppers on every started shopper channel; start the waiting watch (which also
    sends the CSAT question to conversations gone quiet after a finished flow)."""
    hub.channels.update({channel.name: channel for channel in started if channel.reaches_shoppers})
    hours = WorkingHours.parse(settings.kefu_staff_hours, settings.kefu_staff_days, settings.kefu_staff_timezone)
    watch = WaitingWatch(hub, settings.kefu_handoff_wait_minutes, hours, settings.kefu_csat_idle_minutes)
    watch.start(settings.kefu_handoff_check_seconds)
    return watch
