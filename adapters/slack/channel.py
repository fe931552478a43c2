"""The Slack adapter's lifecycle: HTTP mode (a route on Kefu's aiohttp server) or Socket Mode."""
from __future__ import annotations

import logging

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp

from adapters.base import Channel
from adapters.slack.config import EVENTS_PATH, SlackConfig
from adapters.slack.listeners import build_app
from adapters.slack.sink import SlackSink
from core.messages import Identity, Outbound
from core.staff import HandoffHub

log = logging.getLogger(__name__)


class SlackChannel(Channel):
    """Staff's side of the handoff in Slack; joins the hub as a staff sink. Shoppers are not on Slack,
    so :meth:`send` refuses."""

    name = "slack"

    def __init__(self, config: SlackConfig, hub: HandoffHub) -> None:
        self.config = config
        self.app: AsyncApp = build_app(config, hub)
        self.sink = SlackSink(self.app.client, config.staff_channel, hub.store)
        hub.sinks.append(self.sink)
        self._socket: AsyncSocketModeHandler | None = None

    def routes(self) -> list[web.RouteDef]:
        """The HTTP-mode endpoint for Kefu's web server (none in Socket Mode)."""
        return [] if self.config.app_token else [web.post(EVENTS_PATH, self._http)]

    async def _http(self, request: web.Request) -> web.Response:
        """One Slack request: bolt verifies signature and timestamp (401 when bad) and dispatches it."""
        return await to_aiohttp_response(await self.app.async_dispatch(await to_bolt_request(request)))

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
