"""Slack in Socket Mode: apps.connections.open on the fake API, then envelopes over its websocket."""
from __future__ import annotations

import json

from adapters.slack import SlackChannel
from adapters.slack.blocks import CLAIM
from core.messages import Identity, InboundMessage
from tests.fakes.channel import RecordingChannel
from tests.fakes.slack_api import APP_TOKEN, STAFF_CHANNEL
from tests.slack.conftest import slack_config

SHOPPER = Identity("web", "sock-1")



async def test_socket_mode_buttons_thread_replies_and_commands(assistant, fake_slack):
    hub = assistant.components.staff
    hub.channels["web"] = inbox = RecordingChannel()
    slack = SlackChannel(slack_config(fake_slack, app_token=APP_TOKEN, signing_secret=""), hub)
    assert slack.routes() == []  # no public URL in Socket Mode
    await slack.start()
    try:
        assert fake_slack.sent("apps.connections.open")
        await assistant.handle(InboundMessage(SHOPPER, "I want to talk to a human", language_hint="en"))
        await hub.drain()
        handoff = hub.open_handoff(SHOPPER.conversation_id)
        click = {"type": "block_actions", "user": {"id": "ULI", "username": "li"}, "channel": {"id": STAFF_CHANNEL},
                 "team": {"id": "T0KEFU"}, "api_app_id": "AKEFU", "trigger_id": "tr1", "message": {"ts": "1"},
                 "actions": [{"action_id": CLAIM, "value": str(handoff["id"]), "action_ts": "5.5", "type": "button"}]}
        ack = await fake_slack.envelope("interactive", click)
        assert "envelope_id" in ack
        await fake_slack.wait_for(lambda: hub.store.conversations.get(SHOPPER.conversation_id)["status"] == "human")
        assert "Li" in inbox.texts()[-1]

        event = {"type": "event_callback", "team_id": "T0KEFU", "api_app_id": "AKEFU", "event_id": "EvS1",
                 "event": {"type": "message", "channel": STAFF_CHANNEL, "user": "ULI", "text": "Here to help!",
                           "ts": "1800000200.000001", "thread_ts": handoff["thread_ts"]}}
        await fake_slack.envelope("events_api", event)
        await fake_slack.envelope("events_api", event, retry_attempt=1)  # Slack's retry: delivered once
        await fake_slack.wait_for(lambda: "Here to help!" in inbox.texts())

        command = {"command": "/kefu", "text": "resolve web:sock-1", "user_id": "ULI", "channel_id": STAFF_CHANNEL,
                   "team_id": "T0KEFU", "trigger_id": "tr2", "api_app_id": "AKEFU"}
        ack = await fake_slack.envelope("slash_commands", command)
        assert "Resolved" in json.dumps(ack.get("payload"))
        assert hub.store.conversations.get(SHOPPER.conversation_id)["status"] == "bot"
        assert inbox.texts().count("Here to help!") == 1
    finally:
        await slack.stop()
        await hub.stop()
