"""The Slack adapter's lifecycle: HTTP mode (a route on Kefu's HTTP host) or Socket Mode."""
from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.request.payload_utils import is_action, is_event, is_options, is_shortcut, is_slash_command, is_view
from slack_sdk.signature import SignatureVerifier

from adapters.slack.config import EVENTS_PATH, SlackConfig
from adapters.slack.listeners import build_app
from adapters.slack.sink import SlackSink, Suggest
from core.channel import Channel
from core.messages import Identity, Outbound
from core.staff import HandoffHub

log = logging.getLogger(__name__)


class SlackChannel(Channel):
    """Staff's side of the handoff in Slack; joins the hub as a staff sink. Shoppers are not on Slack,
    so :meth:`send` refuses."""

    name = "slack"
    reaches_shoppers = False

    def __init__(self, config: SlackConfig, hub: HandoffHub, suggest: Suggest | None = None) -> None:
        """``suggest``: the copilot's suggested reply, posted in the thread after each shopper line."""
        self.config = config
        self.app: AsyncApp = build_app(config, hub)
        self.sink = SlackSink(self.app.client, config.staff_channel, hub, suggest)
        self._verifier = SignatureVerifier(config.signing_secret) if config.signing_secret else None
        hub.sinks.append(self.sink)
        self._socket: AsyncSocketModeHandler | None = None

    def routes(self) -> list[web.RouteDef]:
        """The HTTP-mode endpoint for Kefu's HTTP host (none in Socket Mode)."""
        return [] if self.config.app_token else [web.post(EVENTS_PATH, self._http)]

    async def _http(self, request: web.Request) -> web.Response:
        """One Slack request: signature and timestamp checked (401 when bad), then bolt dispatches it.

        The check comes first because bolt parses the body before it verifies it, and raises on bodies
        that are not JSON objects; a signed body that bolt still cannot parse, or that is not a Slack
        payload (bolt would answer 404), gets 400. Slack only sends UTF-8 (anything else: 400)."""
        try:
            body = (await request.read()).decode("utf-8")
        except UnicodeDecodeError:
            return web.json_response({"error": "the body is not UTF-8 text"}, status=400)
        if self._verifier is not None and not _signed(self._verifier, body, request.headers):
            return web.json_response({"error": "invalid request"}, status=401)
        try:
            bolt_request: AsyncBoltRequest | None = AsyncBoltRequest(body=body, query=request.query_string,
                                                                     headers=dict(request.headers))
        except (ValueError, TypeError, AttributeError, LookupError):  # not JSON, or not shaped like Slack's
            bolt_request = None
        if bolt_request is None or not _slack_payload(bolt_request.body):
            return web.json_response({"error": "not a Slack request body"}, status=400)
        return await to_aiohttp_response(await self.app.async_dispatch(bolt_request))

    async def start(self) -> None:
        """Check the token; in Socket Mode, open the websocket."""
        identity = await self.app.client.auth_test()
        log.info("slack: signed in as %s", identity.get("user"))
        if self.config.app_token:
            self._socket = AsyncSocketModeHandler(self.app, self.config.app_token)
            await self._socket.connect_async()

    async def stop(self) -> None:
        """Close the Socket Mode connection."""
        if self._socket is not None:
            await self._socket.close_async()
            self._socket = None

    async def send(self, identity: Identity, outbound: Outbound) -> None:
        """Shoppers are never on Slack."""
        raise ValueError("the slack channel is for staff; it cannot send to shoppers")


def _slack_payload(body: Any) -> bool:
    """Something Slack posts, by bolt's own reading: an event, an interaction, a slash command, the URL
    verification or the SSL check."""
    if not isinstance(body, dict):
        return False
    if body.get("type") == "url_verification" or body.get("ssl_check") == "1":
        return True
    try:
        return any(kind(body) for kind in (is_event, is_action, is_options, is_shortcut, is_view, is_slash_command))
    except TypeError:  # a field of the wrong type ("event": 5)
        return False


def _signed(verifier: SignatureVerifier, body: str, headers: Mapping[str, str]) -> bool:
    """Slack's signature over the body with a timestamp at most five minutes off (slack-sdk's check;
    headers it would raise on, a timestamp that is not a number or a non-ASCII signature, are refused)."""
    timestamp = headers.get("X-Slack-Request-Timestamp", "")
    signature = headers.get("X-Slack-Signature", "")
    if not (timestamp.isascii() and timestamp.isdigit() and signature.isascii()):
        return False
    return verifier.is_valid(body, timestamp, signature)
