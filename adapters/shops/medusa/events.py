"""``POST /shops/medusa/events``: the events Kefu's Medusa subscriber (``subscriber/kefu.ts``) posts.

Each request is ``{"event": "order.placed", "id": "order_01…", "sent_at": "…"}`` (``order_id`` too when
the payload has both), signed: ``X-Kefu-Timestamp`` (unix seconds, within five minutes of now) and
``X-Kefu-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>">`` under the shared secret.
A bad or missing signature is 401, a malformed body 400, never 500. A good one is answered 202 at once;
the order or product it names is then re-read from Medusa in the background (:class:`ShopSync`).
A deleted product is no longer offered; an event naming a variant Kefu has cached re-reads its product.
Events naming only a fulfilment, payment, inventory record or a variant not yet cached are accepted and
left to the live read of an order in a turn and to the periodic reconciliation. Nothing secret is logged."""
from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import time
from typing import Any

from aiohttp import web

from adapters.credentials import same_secret
from adapters.shops.medusa.client import is_medusa_id, read_capped
from core.shop.port import ShopError
from core.shop.sync import ShopSync

log = logging.getLogger(__name__)

PATH = "/shops/medusa/events"
MAX_BODY_BYTES = 8192
MAX_SKEW_S = 300
PRODUCT_EVENTS = ("product.created", "product.updated", "product.deleted")
VARIANT_EVENTS = ("product-variant.created", "product-variant.updated", "product-variant.deleted")


class MedusaEvents:
    """The route, bound to the sync and the secret."""

    def __init__(self, sync: ShopSync, secret: str) -> None:
        if not secret:
            raise ValueError("the Medusa events route needs a secret")
        self._sync = sync
        self._secret = secret.encode()
        self._tasks: set[asyncio.Task[None]] = set()

    def routes(self) -> list[web.RouteDef]:
        """Routes for :meth:`adapters.web.WebChannel.add_routes`."""
        return [web.post(PATH, self._receive)]

    async def drain(self) -> None:
        """Wait for the refreshes in flight (on shutdown, and in tests)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def _receive(self, request: web.Request) -> web.Response:
        raw = await read_capped(request.content, MAX_BODY_BYTES)
        if raw is None:
            return _answer(400, "body too large")
        if not self._signed(request.headers.get("X-Kefu-Timestamp"), request.headers.get("X-Kefu-Signature"), raw):
            log.warning("medusa event refused: missing, stale or wrong signature")
            return _answer(401, "missing, stale or wrong signature")
        event = _event(raw)
        if event is None:
            return _answer(400, "body must be {\"event\": string, \"id\": a Medusa id}")
        name, subject = event
        task = asyncio.create_task(self._refresh(name, subject))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return _answer(202, "accepted")

    def _signed(self, timestamp: str | None, signature: str | None, raw: bytes) -> bool:
        if not timestamp or not timestamp.isascii() or not timestamp.isdigit() or len(timestamp) > 12:
            return False
        if abs(time.time() - int(timestamp)) > MAX_SKEW_S:
            return False
        expected = hmac.new(self._secret, timestamp.encode() + b"." + raw, hashlib.sha256).hexdigest()
        return same_secret(signature, f"sha256={expected}")

    async def _refresh(self, name: str, subject: str) -> None:
        """Re-read what the event names (an order, a product, a cached variant's product); others wait
        for the reconciliation."""
        try:
            if subject.startswith("order_"):
                found = await self._sync.refresh_order(subject)
            elif subject.startswith("prod_") and name in PRODUCT_EVENTS:
                found = await self._sync.refresh_product(subject)
            elif subject.startswith("variant_") and name in VARIANT_EVENTS:
                found = await self._sync.refresh_variant(subject)
            else:
                log.debug("medusa event %s: nothing to refresh for a %s id", name, subject.split("_")[0])
                return
            log.info("medusa event %s: %s", name, "refreshed" if found else "not found in Medusa")
        except ShopError as exc:
            log.warning("medusa event %s: refresh failed (%s); reconciliation will catch it", name, exc.reason)
        except Exception:  # a background task: never lose the server to one bad record
            log.exception("medusa event %s: refresh failed", name)


def _event(raw: bytes) -> tuple[str, str] | None:
    """(event name, the order's id when given, else the event's id), or None when malformed."""
    try:
        body: Any = json.loads(raw)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return None
    if not isinstance(body, dict) or not isinstance(body.get("event"), str) or len(body["event"]) > 64:
        return None
    subject = body.get("order_id") if is_medusa_id(body.get("order_id")) else body.get("id")
    return (body["event"], subject) if is_medusa_id(subject) else None


def _answer(status: int, message: str) -> web.Response:
    return web.json_response({"ok": status == 202, "message": message}, status=status)
