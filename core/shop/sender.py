"""Sending a confirmed change to the shop, at most once.

Before a request goes out it is written to ``shop_changes`` under its idempotency key (status
``sent``), committed; the shop's answer makes it ``done`` (in the transaction that records the change
in the store) or ``failed``. A key found still ``sent`` — the process died, or the answer never came —
is resolved by reading the order back (:meth:`ShopBackend.has_happened`) before anything is sent
again, so a shopper who resends their "yes" after a crash gets the real outcome and the shop never
gets a second cancellation or refund."""
from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
from dataclasses import dataclass
from typing import Any

from core.clock import utc_now_iso
from core.shop.port import ChangeOutcome, ShopBackend, ShopError, ShopRefused, ShopUncertain
from core.shop.requests import ShopRequest
from core.store import Store

log = logging.getLogger(__name__)

REFUSED, UNAVAILABLE, UNCERTAIN = "refused", "unavailable", "uncertain"


def change_key(conversation_id: str, asked_at: int, flow: str) -> str:
    """The idempotency key of one confirmed change: the same for every attempt at the confirmation asked
    in turn ``asked_at`` of the conversation (a resent "yes" included); it names no shopper."""
    return hashlib.sha256(f"{conversation_id}\x00{asked_at}\x00{flow}".encode()).hexdigest()[:40]


@dataclass(frozen=True)
class Sent:
    """The shop's answer: ``outcome`` when the change is done there, else ``failure`` (``refused``,
    ``unavailable``: nothing changed; ``uncertain``: it may have, a colleague must check) and the
    shop's ``reason``."""

    outcome: ChangeOutcome | None = None
    failure: str | None = None
    reason: str = ""


class ChangeSender:
    """Sends changes through one backend, keeping the ledger."""

    def __init__(self, store: Store, shop: ShopBackend) -> None:
        self._db = store.db
        self._shop = shop

    async def send(self, key: str, conversation_id: str, flow: str, request: ShopRequest) -> Sent:
        """Make ``request`` in the shop once, whatever happened to earlier attempts under ``key``."""
        if self._status(key) in ("sent", "done"):  # an earlier attempt's answer never arrived here
            earlier = await self._read_back(request)
            if earlier is not None:
                return earlier
        self._write(key, conversation_id, flow, request)
        try:
            return Sent(await self._shop.apply(request, key))
        except ShopUncertain as exc:
            log.warning("%s: no answer from the shop after sending (%s); reading the order back", flow, exc.reason)
            found = await self._read_back(request)
            if found is not None:
                return found
            self._fail(key, UNAVAILABLE, exc.reason)
            return Sent(failure=UNAVAILABLE, reason=exc.reason)
        except ShopError as exc:
            failure = REFUSED if isinstance(exc, ShopRefused) else UNAVAILABLE
            log.warning("%s: the shop did not make the change (%s: %s)", flow, failure, exc.reason)
            self._fail(key, failure, exc.reason)
            return Sent(failure=failure, reason=exc.reason)

    def unresolved(self, key: str) -> bool:
        """Whether a change was sent under ``key`` and its outcome is not known here yet."""
        return self._status(key) == "sent"

    def done(self, key: str, outcome: ChangeOutcome) -> None:
        """Mark the change done (call it in the transaction that records it in the store)."""
        self._db.execute("update shop_changes set status = 'done', reference = ?, error = null, updated_at = ? "
                         "where key = ?", [outcome.reference, utc_now_iso(), key])

    async def _read_back(self, request: ShopRequest) -> Sent | None:
        """Done when the shop shows the change made, None when it shows it not made, ``uncertain`` when
        the shop cannot tell now (the key stays ``sent``: the next attempt reads back again)."""
        try:
            outcome = await self._shop.has_happened(request)
        except ShopError as exc:
            return Sent(failure=UNCERTAIN, reason=exc.reason)
        return Sent(outcome) if outcome is not None else None

    def _status(self, key: str) -> str | None:
        row = self._db.execute("select status from shop_changes where key = ?", [key]).fetchone()
        return row[0] if row else None

    def _write(self, key: str, conversation_id: str, flow: str, request: ShopRequest) -> None:
        """Record the attempt as ``sent``, committed before the request goes out."""
        now = utc_now_iso()
        with self._db.atomic():
            self._db.execute(
                "insert into shop_changes (key, conversation_id, flow, order_id, request, status, created_at, "
                "updated_at) values (?, ?, ?, ?, ?, 'sent', ?, ?) on conflict(key) do update set status = 'sent', "
                "error = null, updated_at = excluded.updated_at",
                [key, conversation_id, flow, request.order_id, _request_json(request), now, now])

    def _fail(self, key: str, failure: str, reason: str) -> None:
        with self._db.atomic():
            self._db.execute("update shop_changes set status = 'failed', error = ?, updated_at = ? where key = ?",
                             [f"{failure}: {reason}"[:500], utc_now_iso(), key])


def _request_json(request: ShopRequest) -> str:
    body: dict[str, Any] = {"kind": type(request).__name__, **dataclasses.asdict(request)}
    return json.dumps(body, ensure_ascii=False, default=str)
