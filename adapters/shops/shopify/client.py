"""The Shopify Admin GraphQL API client: one POST per document to
``https://<shop>.myshopify.com/admin/api/<API_VERSION>/graphql.json`` with the custom app's access token.

Shopify limits by calculated query cost (a leaky bucket per app and store). A throttled request is
not run: on ``THROTTLED`` the client waits ``(requestedQueryCost - currentlyAvailable) / restoreRate``
and sends it again, on HTTP 429 it waits ``Retry-After``, both a bounded number of times. Reads are
also retried a little on 5xx, timeouts and dropped connections. A mutation is **never** sent again
after it may have reached the shop (a timeout, a dropped connection, a 5xx, errors beside data):
that is :class:`ShopifyUncertain`, and the caller reads the order back to learn what happened.

Everything in an answer is checked before use; the access token is never logged."""
from __future__ import annotations

import asyncio
import json
import logging
import math
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import aiohttp

from adapters.shops.shopify.fields import get
from core.shop.port import ShopRefused, ShopUnavailable, ShopUncertain

log = logging.getLogger(__name__)

API_VERSION = "2026-04"
"""The Admin API version Kefu speaks (refundCreate takes ``@idempotent`` from 2026-01, requires it from 2026-04)."""
MAX_ANSWER_BYTES = 8 * 1024 * 1024
_SHOP_DOMAIN = re.compile(r"[a-z0-9][a-z0-9-]{0,62}\.myshopify\.com")
_VERSION = re.compile(r"\d{4}-(01|04|07|10)")

Sleep = Callable[[float], Awaitable[None]]


class ShopifyUnavailable(ShopUnavailable):
    """Shopify could not be reached or kept refusing for load; nothing was done."""


class ShopifyRefused(ShopRefused):
    """Shopify refused the request itself (4xx, or GraphQL errors before running); nothing was done."""


class ShopifyUncertain(ShopUncertain):
    """A mutation was sent and no usable answer came: it may have been carried out."""


@dataclass(frozen=True)
class ThrottleStatus:
    """The bucket as Shopify last reported it."""

    maximum: float
    available: float
    restore_rate: float


@dataclass(frozen=True)
class _Answer:
    status: int
    body: Any
    retry_after: float | None


def endpoint_for(shop_domain: str, version: str = API_VERSION) -> str:
    """The GraphQL URL of a ``<shop>.myshopify.com`` store; ValueError for anything else."""
    domain = shop_domain.strip().lower().removeprefix("https://").rstrip("/")
    if not _SHOP_DOMAIN.fullmatch(domain):
        raise ValueError("SHOPIFY_SHOP_DOMAIN must be the store's <name>.myshopify.com domain")
    if not _VERSION.fullmatch(version):
        raise ValueError("SHOPIFY_API_VERSION must be a Shopify API version such as 2026-04")
    return f"https://{domain}/admin/api/{version}/graphql.json"


class ShopifyClient:
    """Queries and mutations against one store. Open with :meth:`start` (or ``async with``)."""

    def __init__(self, endpoint: str, token: str, *, timeout_s: float = 10.0, read_attempts: int = 3,
                 throttle_attempts: int = 5, max_wait_s: float = 10.0, sleep: Sleep = asyncio.sleep) -> None:
        if not token:
            raise ValueError("the Shopify client needs the custom app's Admin API access token")
        self._endpoint = endpoint
        self._headers = {"X-Shopify-Access-Token": token, "Content-Type": "application/json",
                         "Accept": "application/json"}
        self._timeout = aiohttp.ClientTimeout(total=timeout_s)
        self._read_attempts = max(1, read_attempts)
        self._throttle_attempts = max(1, throttle_attempts)
        self._max_wait_s = max_wait_s
        self._sleep = sleep
        self._session: aiohttp.ClientSession | None = None
        self.throttle: ThrottleStatus | None = None

    async def start(self) -> None:
        """Open the HTTP session."""
        if self._session is None:
            self._session = aiohttp.ClientSession(timeout=self._timeout)

    async def close(self) -> None:
        """Close the HTTP session."""
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def __aenter__(self) -> ShopifyClient:
        await self.start()
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.close()

    async def query(self, document: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """The ``data`` of a read; retried on throttling, 5xx, timeouts and dropped connections."""
        return await self._run(document, variables, mutation=False)

    async def mutate(self, document: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """The ``data`` of a mutation (its payloads' ``userErrors`` are the caller's to read). Sent again
        only after a throttle, which Shopify answers without running it."""
        return await self._run(document, variables, mutation=True)

    async def _run(self, document: str, variables: dict[str, Any] | None, mutation: bool) -> dict[str, Any]:
        payload = json.dumps({"query": document, "variables": variables or {}}).encode()
        throttled = failed = 0
        while True:
            try:
                answer = await self._post(payload)
                wait = self._throttle_wait(answer)
                if wait is None and answer.status >= 500:
                    raise (ShopifyUncertain if mutation else ShopifyUnavailable)(
                        f"Shopify answered HTTP {answer.status}")
            except (ShopifyUnavailable, ShopifyUncertain) as exc:
                failed += 1
                if mutation or failed >= self._read_attempts:
                    raise
                log.info("shopify: read failed (%s), trying again", exc.reason)
                await self._sleep(0.25 * failed)
                continue
            if wait is None:
                return self._data(answer, mutation)
            throttled += 1
            if throttled >= self._throttle_attempts:
                raise ShopifyUnavailable(f"Shopify kept throttling ({throttled} times)")
            log.info("shopify: throttled, waiting %.2f s", wait)
            await self._sleep(wait)

    async def _post(self, payload: bytes) -> _Answer:
        """One POST. Not connecting is :class:`ShopifyUnavailable`; no answer after sending is
        :class:`ShopifyUncertain` (whether a read may be retried is the caller's call)."""
        if self._session is None:
            await self.start()
        assert self._session is not None
        try:
            async with self._session.post(self._endpoint, data=payload, headers=self._headers,
                                          allow_redirects=False) as response:
                raw = await response.content.read(MAX_ANSWER_BYTES + 1)
                retry_after = _seconds(response.headers.get("Retry-After"))
                status = response.status
        except (aiohttp.ClientConnectorError, aiohttp.ConnectionTimeoutError) as exc:
            raise ShopifyUnavailable(f"cannot connect to Shopify ({type(exc).__name__})") from None
        except (TimeoutError, aiohttp.ClientError) as exc:
            raise ShopifyUncertain(f"no answer from Shopify ({type(exc).__name__})") from None
        if len(raw) > MAX_ANSWER_BYTES:
            raise ShopifyUncertain("Shopify's answer was too large")
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = None
        return _Answer(status, body, retry_after)

    def _throttle_wait(self, answer: _Answer) -> float | None:
        """How long to wait before sending again when Shopify throttled the request; None when it did not."""
        cost = get(answer.body, "extensions", "cost")
        self._note(cost)
        if answer.status == 429:
            return min(answer.retry_after if answer.retry_after is not None else 1.0, self._max_wait_s)
        errors = get(answer.body, "errors")
        if answer.status != 200 or not isinstance(errors, list):
            return None
        if not any(get(e, "extensions", "code") == "THROTTLED" for e in errors):
            return None
        requested = _number(get(cost, "requestedQueryCost"))
        if requested is not None and self.throttle is not None and requested > self.throttle.maximum:
            raise ShopifyRefused(f"the query costs {requested:g}, more than the bucket holds")
        if requested is None or self.throttle is None or self.throttle.restore_rate <= 0:
            return min(1.0, self._max_wait_s)
        return min(max(0.0, (requested - self.throttle.available) / self.throttle.restore_rate), self._max_wait_s)

    def _note(self, cost: Any) -> None:
        status = get(cost, "throttleStatus")
        values = [_number(get(status, k)) for k in ("maximumAvailable", "currentlyAvailable", "restoreRate")]
        if all(v is not None for v in values):
            maximum, available, rate = values
            self.throttle = ThrottleStatus(maximum or 0.0, available or 0.0, rate or 0.0)

    def _data(self, answer: _Answer, mutation: bool) -> dict[str, Any]:
        body = answer.body if isinstance(answer.body, dict) else {}
        errors = body.get("errors")
        data = body.get("data")
        if answer.status in (401, 403):
            raise ShopifyRefused(f"Shopify refused the access token (HTTP {answer.status})")
        if answer.status != 200:
            raise ShopifyRefused(f"Shopify answered HTTP {answer.status}")
        if errors:
            if mutation and isinstance(data, dict) and any(v is not None for v in data.values()):
                raise ShopifyUncertain(f"Shopify answered errors beside data: {_messages(errors)}")
            raise ShopifyRefused(f"Shopify refused the request: {_messages(errors)}")
        if not isinstance(data, dict):
            if mutation:
                raise ShopifyUncertain("Shopify's answer to a change had no data")
            raise ShopifyUnavailable("Shopify's answer had no data")
        return data


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or value < 0:
        return None
    return float(value)


def _seconds(header: str | None) -> float | None:
    try:
        return _number(float(header)) if header is not None else None
    except ValueError:
        return None


def _messages(errors: Any) -> str:
    """The errors' messages, short, for logs and staff."""
    items = errors if isinstance(errors, list) else [errors]
    texts = [str(get(e, "message") or e)[:200] for e in items[:3]]
    return "; ".join(texts)
