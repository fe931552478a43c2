"""The shop's coupon endpoint on Kefu's web server: check a code at checkout, redeem it with the
order. Every request carries the shop API key in ``X-Kefu-Key``.

``POST /api/coupons/check``  ``{"code": "KF-…", "total": "199.00", "customer": "C001"}``
``POST /api/coupons/redeem`` ``{"code": "KF-…", "total": "199.00", "order_id": "#W1", "customer": "C001"}``

200 ``{"ok": true, "code", "discount_cents"}``; 401 without the right key; 400 for a
body that is not such JSON, and (``reason`` customer_required) for a coupon bound to a customer when
``customer`` is missing; 404 for an unknown code; 409 with ``reason`` (expired, used, min_spend,
wrong_customer) when it cannot be used. Redeeming again for the same order answers 200 again."""
from __future__ import annotations

import json
from typing import Any

from aiohttp import web

from adapters.credentials import same_secret
from core.money import to_cents
from core.promotions.coupons import CouponCheck, Coupons
from core.store import Store

MAX_BODY_BYTES = 4096


class CouponAPI:
    """The routes, bound to the store and the key."""

    def __init__(self, store: Store, coupons: Coupons, api_key: str) -> None:
        if not api_key:
            raise ValueError("the coupon endpoint needs an API key")
        self._store = store
        self._coupons = coupons
        self._key = api_key.encode()

    def routes(self) -> list[web.RouteDef]:
        """Routes for :meth:`adapters.http.HttpHost.mount`."""
        return [web.post("/api/coupons/check", self._check), web.post("/api/coupons/redeem", self._redeem)]

    async def _check(self, request: web.Request) -> web.Response:
        body = await self._body(request, ("code", "total"))
        check = self._coupons.check(body["code"], body["total_cents"], body["customer_id"])
        return _answer(check)

    async def _redeem(self, request: web.Request) -> web.Response:
        body = await self._body(request, ("code", "total", "order_id"))
        order_id = body["order_id"]
        if not isinstance(order_id, str) or not order_id.strip() or len(order_id) > 64:
            raise _bad("order_id: a non-empty string of at most 64 characters")
        check = self._coupons.redeem(body["code"], order_id, body["total_cents"], body["customer_id"])
        if check.ok:
            self._store.audit.record("shop", "coupon.redeem", f"coupon:{check.code}",
                                     {"order_id": order_id, "discount_cents": check.discount_cents})
        return _answer(check)

    async def _body(self, request: web.Request, required: tuple[str, ...]) -> dict[str, Any]:
        """The authenticated, parsed body with ``total_cents`` and ``customer_id`` resolved."""
        if not same_secret(request.headers.get("X-Kefu-Key"), self._key):
            raise web.HTTPUnauthorized(text=json.dumps({"error": "missing or wrong X-Kefu-Key"}),
                                       content_type="application/json")
        raw = await request.content.read(MAX_BODY_BYTES + 1)
        if len(raw) > MAX_BODY_BYTES:
            raise _bad("body too large")
        try:
            body = json.loads(raw)
        except (ValueError, UnicodeDecodeError):
            raise _bad("body is not JSON") from None
        if not isinstance(body, dict):
            raise _bad("body must be a JSON object")
        missing = [name for name in required if body.get(name) in (None, "")]
        if missing:
            raise _bad(f"missing: {', '.join(missing)}")
        if not isinstance(body["code"], str):
            raise _bad("code: a string")
        try:
            body["total_cents"] = to_cents(body["total"]) if not isinstance(body["total"], bool) else None
        except ValueError:
            body["total_cents"] = None
        if body["total_cents"] is None:
            raise _bad("total: an amount such as \"199.00\"")
        body["customer_id"] = self._customer_id(body.get("customer"))
        return body

    def _customer_id(self, external_id: object) -> int | None:
        if external_id in (None, ""):
            return None
        customer = self._store.customers.by_external_id(str(external_id))
        if customer is None:
            raise _bad("customer: unknown")
        return customer["id"]


def _answer(check: CouponCheck) -> web.Response:
    if check.ok:
        return web.json_response({"ok": True, "code": check.code, "discount_cents": check.discount_cents})
    body: dict[str, Any] = {"ok": False, "code": check.code, "reason": check.reason}
    if check.reason == "customer_required":  # the request lacks a field: the shop's mistake, not the coupon's
        return web.json_response({**body, "error": "missing: customer (this coupon is bound to a customer)"},
                                 status=400)
    return web.json_response(body, status=404 if check.reason == "unknown" else 409)


def _bad(message: str) -> web.HTTPBadRequest:
    return web.HTTPBadRequest(text=json.dumps({"error": message}), content_type="application/json")
