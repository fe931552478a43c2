"""Fixtures for the Slack tests: the fake Slack Web API, Kefu's web server with the Slack route, and
correctly signed requests (signed with slack-sdk's own SignatureVerifier)."""
from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import aiohttp
import pytest
from slack_sdk.signature import SignatureVerifier

from adapters.http import HttpHost
from adapters.slack import SlackChannel, SlackConfig
from adapters.slack.config import EVENTS_PATH
from adapters.web import WebChannel
from core.assistant import Assistant
from core.staff import HandoffHub
from tests.fakes.slack_api import BOT_TOKEN, SIGNING_SECRET, STAFF_CHANNEL, FakeSlackAPI
from tests.hosting import serving


@pytest.fixture
async def fake_slack() -> AsyncIterator[FakeSlackAPI]:
    fake = await FakeSlackAPI().start()
    yield fake
    await fake.stop()


def slack_config(fake: FakeSlackAPI, **overrides: Any) -> SlackConfig:
    return SlackConfig(**{"bot_token": BOT_TOKEN, "signing_secret": SIGNING_SECRET, "staff_channel": STAFF_CHANNEL,
                          "api_url": fake.base_url, "staff_users": frozenset({"UMEI", "ULI"}), **overrides})


@dataclass
class SlackPoster:
    """Posts to Kefu's Slack endpoint as Slack would."""

    url: str
    session: aiohttp.ClientSession

    async def post(self, body: str, content_type: str, secret: str = SIGNING_SECRET, timestamp: int | None = None,
                   retry: int | None = None) -> tuple[int, str]:
        ts = str(timestamp if timestamp is not None else int(time.time()))
        headers = {"Content-Type": content_type, "X-Slack-Request-Timestamp": ts,
                   "X-Slack-Signature": SignatureVerifier(secret).generate_signature(timestamp=ts, body=body)}
        if retry is not None:
            headers |= {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
        async with self.session.post(self.url, data=body.encode(), headers=headers) as response:
            return response.status, await response.text()

    async def button(self, action_id: str, handoff_id: int | str, user: str = "UMEI", action_ts: str = "1.1",
                     channel: str = STAFF_CHANNEL, card: str = "1", **kw: Any) -> tuple[int, str]:
        """A press of a button on the card message ``card`` (its ts)."""
        payload = {"type": "block_actions", "team": {"id": "T0KEFU"}, "api_app_id": "AKEFU", "token": "legacy",
                   "trigger_id": f"trigger-{action_ts}", "user": {"id": user, "username": user.lower(), "team_id": "T0KEFU"},
                   "channel": {"id": channel}, "message": {"ts": card},
                   "container": {"type": "message", "message_ts": card, "channel_id": channel, "is_ephemeral": False},
                   "actions": [{"type": "button", "action_id": action_id, "block_id": "b", "value": str(handoff_id),
                                "action_ts": action_ts}]}
        return await self.post(urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded", **kw)

    async def thread_reply(self, thread_ts: str, text: str, user: str = "UMEI", event_id: str = "Ev1",
                           fields: dict[str, Any] | None = None, **kw: Any) -> tuple[int, str]:
        """A ``message`` event in a thread; ``fields`` adds to the event (a ``subtype``, a ``bot_id``)."""
        body = {"type": "event_callback", "team_id": "T0KEFU", "api_app_id": "AKEFU", "event_id": event_id,
                "event_time": int(time.time()), "token": "legacy",
                "event": {"type": "message", "channel": STAFF_CHANNEL, "user": user, "text": text,
                          "ts": f"1800000099.{event_id[-3:]:0>6}", "thread_ts": thread_ts, "channel_type": "channel",
                          **(fields or {})}}
        return await self.post(json.dumps(body), "application/json", **kw)

    async def command(self, text: str, user: str = "UMEI", channel: str = STAFF_CHANNEL,
                      trigger: str = "t1") -> tuple[int, str]:
        body = urlencode({"command": "/kefu", "text": text, "user_id": user, "user_name": user.lower(),
                          "channel_id": channel, "team_id": "T0KEFU", "trigger_id": trigger,
                          "response_url": "http://127.0.0.1:9/none", "api_app_id": "AKEFU", "token": "legacy"})
        return await self.post(body, "application/x-www-form-urlencoded")


@pytest.fixture
async def slack_web(assistant: Assistant, fake_slack: FakeSlackAPI) -> AsyncIterator[tuple[HttpHost, SlackChannel]]:
    """Kefu's HTTP host with the web chat and the Slack endpoint (HTTP mode), all started."""
    hub = assistant.components.staff
    assert isinstance(hub, HandoffHub)
    slack = SlackChannel(slack_config(fake_slack), hub)
    web = WebChannel(assistant)
    hub.channels["web"] = web
    async with serving(web, slack, store=assistant.store) as host:
        yield host, slack
        await slack.stop()
        await hub.stop()


@pytest.fixture
async def poster(slack_web: tuple[HttpHost, SlackChannel]) -> AsyncIterator[SlackPoster]:
    host, _ = slack_web
    async with aiohttp.ClientSession() as session:
        yield SlackPoster(host.url.rstrip("/") + EVENTS_PATH, session)
