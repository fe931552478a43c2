"""The webhook endpoint on Kefu's own aiohttp server.

Telegram posts each update as JSON with the secret given to setWebhook in the
``X-Telegram-Bot-Api-Secret-Token`` header. A wrong or missing secret gets 403, a body that is not
a JSON update 400, a post while the channel is stopped 503 (Telegram retries later); an accepted
update is queued for the application and answered 200 at once."""
from __future__ import annotations

import json
import logging

from aiohttp import web
from telegram.ext import Application

from adapters.credentials import same_secret
from adapters.telegram.updates import parse_update, update_fields

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class WebhookEndpoint:
    """Receives updates for one bot application."""

    def __init__(self, application: Application, secret: str) -> None:
        self._application = application
        self._secret = secret.encode()

    def route(self, path: str) -> web.RouteDef:
        """The POST route to add to the web server."""
        return web.post(path, self.receive)

    async def receive(self, request: web.Request) -> web.Response:
        """Check the secret, parse the update and queue it."""
        if not same_secret(request.headers.get(SECRET_HEADER), self._secret):
            return web.json_response({"ok": False, "error": "wrong secret token"}, status=403)
        if not self._application.running:
            return web.json_response({"ok": False, "error": "not running"}, status=503)
        try:
            data = json.loads(await request.read())
        except (ValueError, UnicodeDecodeError):
            return web.json_response({"ok": False, "error": "body is not JSON"}, status=400)
        update = parse_update(data, self._application.bot)
        if update is None:
            log.warning("malformed webhook update rejected (fields: %s)", update_fields(data))
            return web.json_response({"ok": False, "error": "not a Telegram update"}, status=400)
        await self._application.update_queue.put(update)
        return web.json_response({"ok": True})
