"""Slack for staff: handoff cards with Claim / Resolve / Back to bot, the two-way thread relay and the
``/kefu`` slash command, over slack-bolt (HTTP mode on Kefu's server, or Socket Mode)."""
from adapters.slack.channel import SlackChannel
from adapters.slack.config import SlackConfig

__all__ = ["SlackChannel", "SlackConfig"]
