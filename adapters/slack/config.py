"""Slack settings as the adapter needs them."""
from __future__ import annotations

from dataclasses import dataclass

EVENTS_PATH = "/slack/events"
"""Where Slack posts events, interactions and slash commands in HTTP mode (on Kefu's web server)."""


@dataclass(frozen=True)
class SlackConfig:
    """Tokens, the staff channel and who may act there.

    ``app_token`` set: Socket Mode (no public URL); else HTTP mode at :data:`EVENTS_PATH`, verified with
    ``signing_secret``. ``staff_users`` empty: everyone in the staff channel may act."""

    bot_token: str
    signing_secret: str
    staff_channel: str
    app_token: str = ""
    api_url: str = "https://slack.com/api/"
    staff_users: frozenset[str] = frozenset()

    def may_act(self, user_id: str | None, channel_id: str | None) -> bool:
        """Only configured staff, and only in the staff channel."""
        return channel_id == self.staff_channel and bool(user_id) and \
            (not self.staff_users or user_id in self.staff_users)
