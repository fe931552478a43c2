"""Medusa's Admin API over aiohttp, with its failures as the shop port's errors.

Reads (:meth:`MedusaClient.get`) are safe to retry: any failure is :class:`ShopUnavailable`, a 404 is
None. A change (:meth:`MedusaClient.post`) that fails before it reached Medusa (connection refused, a
5xx) is :class:`ShopUnavailable`; one that was sent and got no answer (a timeout, a dropped
connection) is :class:`ShopUncertain`; a 4xx is :class:`ShopRefused` with Medusa's own message.

Authentication: a secret API key (``sk_…``, HTTP Basic) or an admin user's email and password
(``POST /auth/user/emailpass`` gives a JWT, renewed once when Medusa answers 401)."""
from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass
from typing import Any

import aiohttp

from core.shop.port import ShopError, ShopRefused, ShopUnavailable, ShopUncertain

MAX_REASON_CHARS = 300
MEDUSA_ID = re.compile(r"[A-Za-z0-9_]{1,64}")
"""A Medusa id (``order_01J…``): ids from events and the cache are checked before they go in a path."""
MAX_BODY_BYTES = 32 * 1024 * 1024
"""The largest answer read (a page of 100 orders with their relations is well under this)."""


@dataclass(frozen=True)
class MedusaAuth:
    """Either a secret API key or an admin user's email and password."""

    api_key: str = ""
    email: str = ""
    password: str = ""


class MedusaClient:
    """One aiohttp session to one Medusa server."""

    def __init__(self, base_url: str, auth: MedusaAuth, timeout_s: float) -> None:
        self.base_url = base_url.rstrip("/")
        self._auth = auth
        self._timeout = aiohttp.ClientTimeout(total=timeout_s)
        self._session: aiohttp.ClientSession | None = None
        self._jwt: str | None = None

    async def open(self) -> None:
        """Open the session (idempotent)."""
        if self._session is None:
            self._session = aiohttp.ClientSession(timeout=self._timeout)

    async def close(self) -> None:
        """Close the session."""
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def healthy(self) -> None:
        """``GET /health``; raises :class:`ShopUnavailable` when Medusa does not answer 200."""
        try:
            async with self._http().get(f"{self.base_url}/health") as response:
                if response.status != 200:
                    raise ShopUnavailable(f"{self.base_url}/health answered {response.status}")
        except (aiohttp.ClientError, TimeoutError, OSError) as exc:
            raise ShopUnavailable(f"cannot reach Medusa at {self.base_url} ({_kind(exc)})") from None

    async def login(self) -> None:
        """Get a JWT for the admin user (nothing to do with an API key)."""
        if self._auth.api_key:
            return
        url = f"{self.base_url}/auth/user/emailpass"
        try:
            async with self._http().post(url, json={"email": self._auth.email, "password": self._auth.password}) as response:
                body = await _json(response)
        except (aiohttp.ClientError, TimeoutError, OSError) as exc:
            raise ShopUnavailable(f"cannot reach Medusa at {self.base_url} ({_kind(exc)})") from None
        token = body.get("token") if isinstance(body, dict) else None
        if response.status == 401 or (response.status < 300 and not isinstance(token, str)):
            raise ShopRefused("Medusa refused the admin email and password (MEDUSA_ADMIN_EMAIL / MEDUSA_ADMIN_PASSWORD)")
        if response.status >= 300:
            raise _error(response.status, body, sent=False)
        self._jwt = token

    async def get(self, path: str, params: dict[str, str] | None = None) -> dict[str, Any] | None:
        """A read; None on 404."""
        return await self._request("GET", path, params=params)

    async def post(self, path: str, body: dict[str, Any], params: dict[str, str] | None = None) -> dict[str, Any]:
        """A change; never retried here."""
        answer = await self._request("POST", path, params=params, body=body)
        if answer is None:
            raise ShopRefused(f"Medusa has no {path.split('?')[0]}")
        return answer

    async def delete(self, path: str) -> dict[str, Any] | None:
        """Undo a draft (a return or exchange not requested); None on 404."""
        return await self._request("DELETE", path)

    async def _request(self, method: str, path: str, params: dict[str, str] | None = None,
                       body: dict[str, Any] | None = None) -> dict[str, Any] | None:
        for attempt in (1, 2):
            status, answer = await self._send(method, path, params, body)
            if status == 401 and attempt == 1 and not self._auth.api_key:
                await self.login()  # the JWT expired: a 401 means nothing was done
                continue
            break
        if status == 404:
            return None
        if status >= 300:
            raise _error(status, answer, sent=method != "GET")
        if not isinstance(answer, dict):
            raise ShopUnavailable(f"{method} {_route(path)}: the answer is not a JSON object")
        return answer

    async def _send(self, method: str, path: str, params: dict[str, str] | None,
                    body: dict[str, Any] | None) -> tuple[int, Any]:
        if self._jwt is None and not self._auth.api_key:
            await self.login()
        try:
            async with self._http().request(method, f"{self.base_url}{path}", params=params, json=body,
                                            headers=self._headers()) as response:
                return response.status, await _json(response)
        except aiohttp.ClientConnectorError as exc:  # never connected: nothing was sent
            raise ShopUnavailable(f"cannot reach Medusa ({_kind(exc)})") from None
        except (aiohttp.ClientError, TimeoutError, OSError) as exc:
            if method == "GET":
                raise ShopUnavailable(f"{method} {_route(path)}: {_kind(exc)}") from None
            raise ShopUncertain(f"{method} {_route(path)} sent, no answer ({_kind(exc)})") from None

    def _headers(self) -> dict[str, str]:
        if self._auth.api_key:
            token = base64.b64encode(f"{self._auth.api_key}:".encode()).decode()
            return {"Authorization": f"Basic {token}"}
        return {"Authorization": f"Bearer {self._jwt}"}

    def _http(self) -> aiohttp.ClientSession:
        if self._session is None:
            raise ShopUnavailable("the Medusa backend is not started")
        return self._session


async def read_capped(stream: aiohttp.StreamReader, limit: int) -> bytes | None:
    """The whole body, or None when it is longer than ``limit`` bytes (read no further than that)."""
    raw = bytearray()
    async for chunk in stream.iter_chunked(64 * 1024):
        raw += chunk
        if len(raw) > limit:
            return None
    return bytes(raw)


async def _json(response: aiohttp.ClientResponse) -> Any:
    raw = await read_capped(response.content, MAX_BODY_BYTES)
    if raw is None:
        raise ShopUnavailable("Medusa's answer is too large")
    try:
        return json.loads(raw) if raw else None
    except (ValueError, UnicodeDecodeError):
        return None


def is_medusa_id(value: object) -> bool:
    """Whether ``value`` looks like a Medusa id (and so is safe in a URL path)."""
    return isinstance(value, str) and MEDUSA_ID.fullmatch(value) is not None


def _error(status: int, body: Any, sent: bool) -> ShopError:
    """A non-2xx answer: 4xx refused (Medusa's message), 5xx unavailable (its workflows roll back)."""
    message = body.get("message") if isinstance(body, dict) else None
    reason = f"Medusa answered {status}" + (f": {str(message)[:MAX_REASON_CHARS]}" if message else "")
    if status in (401, 403):
        return ShopRefused(reason + " (check the API key or admin user and its permissions)")
    return ShopRefused(reason) if status < 500 else ShopUnavailable(reason)


def _kind(exc: BaseException) -> str:
    return "timed out" if isinstance(exc, TimeoutError) else type(exc).__name__


def _route(path: str) -> str:
    """The path without ids, for messages that go to logs (``/admin/orders/…/cancel``)."""
    return "/".join("…" if "_" in part and part[:1].islower() and any(c.isdigit() for c in part) else part
                    for part in path.split("?")[0].split("/"))
