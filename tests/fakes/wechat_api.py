"""A fake WeChat API on 127.0.0.1: ``/cgi-bin/token`` and the customer-service send call.

Tokens are ``T1``, ``T2``, … ; only the newest is valid. :meth:`FakeWeChatAPI.invalidate` makes the
current token fail with an error code (40001 invalid credential, 42001 expired) as WeChat does."""
from __future__ import annotations

import asyncio
import json

from aiohttp import web

from tests.fakes.server import LoopbackServer


class FakeWeChatAPI(LoopbackServer):
    """Records every message sent; checks the AppID/secret and the access token like WeChat."""

    def __init__(self, app_id: str = "wx-test-app", app_secret: str = "test-secret", expires_in: int = 7200) -> None:
        super().__init__()
        self.app_id, self.app_secret, self.expires_in = app_id, app_secret, expires_in
        self.tokens_issued = 0
        self.sent: list[dict] = []
        self.rejected: list[int] = []
        self._invalid_code: int | None = None
        self._arrived = asyncio.Condition()

    @property
    def base_url(self) -> str:
        """The API root a client is given."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def current_token(self) -> str:
        return f"T{self.tokens_issued}"

    def invalidate(self, errcode: int) -> None:
        """The current token is now rejected with ``errcode`` until a new one is fetched."""
        self._invalid_code = errcode

    def add_routes(self, app: web.Application) -> None:
        """The token and customer-service send calls."""
        app.router.add_get("/cgi-bin/token", self._token)
        app.router.add_post("/cgi-bin/message/custom/send", self._send)

    async def wait_for(self, count: int, timeout: float = 10.0) -> list[dict]:
        """Wait until at least ``count`` messages were accepted; returns them all."""
        async with self._arrived:
            await asyncio.wait_for(self._arrived.wait_for(lambda: len(self.sent) >= count), timeout)
        return self.sent

    async def _token(self, request: web.Request) -> web.Response:
        query = request.query
        if query.get("grant_type") != "client_credential" or query.get("appid") != self.app_id \
                or query.get("secret") != self.app_secret:
            return web.json_response({"errcode": 40125, "errmsg": "invalid appsecret"})
        self.tokens_issued += 1
        self._invalid_code = None
        return web.json_response({"access_token": self.current_token, "expires_in": self.expires_in})

    async def _send(self, request: web.Request) -> web.Response:
        token = request.query.get("access_token")
        if token != self.current_token or self._invalid_code is not None:
            code = self._invalid_code or 40001
            self.rejected.append(code)
            return web.json_response({"errcode": code, "errmsg": "invalid or expired access_token"})
        body = json.loads(await request.text())  # raw UTF-8 expected, as WeChat wants
        if not body.get("touser") or body.get("msgtype") not in ("text", "news", "msgmenu"):
            return web.json_response({"errcode": 40008, "errmsg": "invalid message type"})
        body["_raw_utf8"] = "\\u" not in await request.text()
        async with self._arrived:
            self.sent.append(body)
            self._arrived.notify_all()
        return web.json_response({"errcode": 0, "errmsg": "ok"})
