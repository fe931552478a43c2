"""Start-up of the human handoff: the staff inbox and Slack on the web server, the shopper channels the
hub delivers staff replies through, and the waiting-time watch (docs/HANDOFF.md)."""
from __future__ import annotations

from adapters.base import Channel
from adapters.inbox import StaffInbox
from adapters.slack import SlackChannel, SlackConfig
from adapters.web import WebChannel
from bot.settings import Settings
from core.staff import HandoffHub, WaitingWatch, WorkingHours


def staff_channels(hub: HandoffHub, settings: Settings, web: WebChannel) -> list[Channel]:
    """Mount the staff inbox (always; it explains itself when no password is set) and, with a bot token,
    Slack's endpoint; returns the Slack channel to start, if any."""
    password = settings.kefu_staff_password.get_secret_value() if settings.kefu_staff_password else None
    web.add_routes(StaffInbox(hub, password).routes())
    if not settings.slack_bot_token:
        return []
    slack = SlackChannel(SlackConfig.from_settings(settings), hub)
    web.add_routes(slack.routes())
    return [slack]


def start_handoff(hub: HandoffHub, settings: Settings, started: list[Channel]) -> WaitingWatch:
    """Let staff replies reach shoppers on every started shopper channel; start the waiting watch."""
    hub.senders.update({channel.name: channel for channel in started if not isinstance(channel, SlackChannel)})
    hours = WorkingHours.parse(settings.kefu_staff_hours, settings.kefu_staff_days, settings.kefu_staff_timezone)
    watch = WaitingWatch(hub, settings.kefu_handoff_wait_minutes, hours)
    watch.start(settings.kefu_handoff_check_seconds)
    return watch
