"""Slack and staff-inbox settings: validation, and what ``kefu run`` mounts from them."""
from __future__ import annotations

import pytest

from adapters.slack import SlackChannel, SlackConfig
from bot.channels import build_channels, slack_config
from bot.settings import SettingsError, load_settings


def test_slack_needs_a_channel_and_a_way_to_verify_requests():
    with pytest.raises(SettingsError, match="SLACK_STAFF_CHANNEL"):
        load_settings(None, slack_bot_token="xoxb-1")
    with pytest.raises(SettingsError, match="SLACK_SIGNING_SECRET"):
        load_settings(None, slack_bot_token="xoxb-1", slack_staff_channel="C1")
    with pytest.raises(SettingsError, match="KEFU_STAFF_PASSWORD"):
        load_settings(None, kefu_staff_password="short")
    with pytest.raises(SettingsError, match="KEFU_STAFF_TIMEZONE"):
        load_settings(None, kefu_staff_timezone="Mars/Olympus")
    settings = load_settings(None, slack_bot_token="xoxb-1", slack_staff_channel="C1", slack_app_token="xapp-1",
                             slack_staff_users=" U1, U2 ,")
    config = slack_config(settings)
    assert config.staff_users == frozenset({"U1", "U2"}) and config.app_token == "xapp-1"
    assert config.may_act("U1", "C1") and not config.may_act("U3", "C1") and not config.may_act("U1", "C2")
    assert SlackConfig("x", "s", "C1").may_act("Uanyone", "C1")  # no list: everyone in the channel


def test_kefu_run_mounts_the_inbox_always_and_slack_when_configured(assistant, settings):
    def paths(kefu):
        return {route.resource.canonical for route in kefu.host.build_app().router.routes()}
    plain = build_channels(assistant, settings)
    assert "/staff" in paths(plain) and "/slack/events" not in paths(plain)
    assert not any(isinstance(c, SlackChannel) for c in plain.channels)
    with_slack = build_channels(assistant, load_settings(
        None, kefu_db_path=":memory:", slack_bot_token="xoxb-1", slack_staff_channel="C1", slack_signing_secret="s"))
    assert "/slack/events" in paths(with_slack) and isinstance(with_slack.channels[-1], SlackChannel)
