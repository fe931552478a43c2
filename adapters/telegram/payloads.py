"""Callback data: what an inline button sends back when pressed.

Buttons from the core carry their payload ("/product P1001") as callback data. Telegram allows
64 bytes; a longer payload is stored and the button carries a short key instead. The adapter's
own buttons (/start's language and consent, cart) use a "tg:" prefix."""
from __future__ import annotations

import hashlib

from core.clock import utc_now_iso
from core.store.tables import OwnTables

MAX_CALLBACK_BYTES = 64
PREFIX = "tg:"
_STORED = "tg:p:"


def cart_data(product_id: str) -> str:
    """Callback data of a card's "add to cart" button."""
    return f"{PREFIX}cart:{product_id}"[:MAX_CALLBACK_BYTES]


class CallbackPayloads:
    """Maps button payloads to callback data of at most 64 bytes and back."""

    def __init__(self, own: OwnTables) -> None:
        self._tables = own

    def data_for(self, payload: str) -> str:
        """The callback data for a payload: itself when short enough, else a stored short key."""
        if len(payload.encode()) <= MAX_CALLBACK_BYTES and not payload.startswith(_STORED):
            return payload
        key = _STORED + hashlib.sha256(payload.encode()).hexdigest()[:32]
        self._tables.table("telegram_callbacks").insert({"key": key, "payload": payload, "created_at": utc_now_iso()},
                                              ignore=True)
        return key

    def payload_of(self, data: str) -> str | None:
        """The payload a button's callback data stands for; None for an unknown stored key."""
        if not data.startswith(_STORED):
            return data
        row = self._tables.execute("select payload from telegram_callbacks where key = ?", [data]).fetchone()
        return row[0] if row else None
