"""The customer-service message API (``message/custom/send``) with a cached access token."""
from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Callable

import aiohttp

log = logging.getLogger(__name__)

INVALID_TOKEN_CODES = frozenset({40001, 40014, 42001})
"""Invalid credential, invalid access_token, access_token expired: fetch a new token and retry once."""
REFRESH_MARGIN_S = 300.0
"""A cached token is replaced this long before WeChat says it expires."""
_TIMEOUT = aiohttp.ClientTimeout(total=10)


class WeChatAPIError(Exception):
    """WeChat answered with a non-zero ``errcode`` (or not with JSON)."""

    def __init__(self, errcode: int, errmsg: str) -> None:
        super().__init__(f"WeChat API error {errcode}: {errmsg}")
        self.errcode = errcode


class WeChatAPI:
    """Sends customer-service messages; fetches the access token on first use and again before
    it expires or when WeChat reports it invalid."""

    def __init__(self, base_url: str, app_id: str, app_secret: str,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._base = base_url.rstrip("/")
        self._app_id = app_id
        self._secret = app_secret
        self._clock = clock
        self._session: aiohttp.ClientSession | None = None
        self._token: str | None = None
        self._expires_at = 0.0
        self._token_lock = asyncio.Lock()

    async def open(self) -> None:
        """Create the HTTP session (idempotent)."""
        if self._session is None:
            self._session = aiohttp.ClientSession(timeout=_TIMEOUT)

    async def close(self) -> None:
        """Close the HTTP session."""
        session, self._session = self._session, None
        if session is not None:
            await session.close()

    async def send(self, body: dict) -> None:
        """POST one message; a token WeChat calls invalid or expired is refreshed and the send retried once."""
        token = await self.access_token()
        try:
            await self._post_message(token, body)
        except WeChatAPIError as exc:
            if exc.errcode not in INVALID_TOKEN_CODES:
                raise
            log.info("WeChat rejected the access token (%s); fetching a new one", exc.errcode)
            await self._post_message(await self.access_token(stale=token), body)

    async def access_token(self, stale: str | None = None) -> str:
        """The cached token, fetched anew when missing, near expiry, or equal to ``stale``."""
        async with self._token_lock:
            if self._token is None or self._token == stale or self._clock() >= self._expires_at - REFRESH_MARGIN_S:
                data = await self._call("GET", "/cgi-bin/token", params={
                    "grant_type": "client_credential", "appid": self._app_id, "secret": self._secret})
                if not isinstance(data.get("access_token"), str):
                    raise WeChatAPIError(-1, "no access_token in the token response")
                self._token = data["access_token"]
                self._expires_at = self._clock() + float(data.get("expires_in", 7200))
            return self._token

    async def _post_message(self, token: str, body: dict) -> None:
        payload = json.dumps(body, ensure_ascii=False).encode("utf-8")  # WeChat would show \u escapes literally
        await self._call("POST", "/cgi-bin/message/custom/send", params={"access_token": token}, data=payload,
                         headers={"Content-Type": "application/json; charset=utf-8"})

    async def _call(self, method: str, path: str, **kwargs) -> dict:
        if self._session is None:
            raise RuntimeError("the WeChat API client is not open")
        async with self._session.request(method, self._base + path, **kwargs) as response:
            try:
                data = await response.json(content_type=None)
            except (ValueError, aiohttp.ContentTypeError):
                raise WeChatAPIError(-1, f"HTTP {response.status}, not JSON") from None
        if not isinstance(data, dict):
            raise WeChatAPIError(-1, "unexpected response")
        if data.get("errcode", 0) != 0:
            raise WeChatAPIError(int(data["errcode"]), str(data.get("errmsg", "")))
        return data
