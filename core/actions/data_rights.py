"""A shopper's data rights in any channel: export all their data, or delete it.

"/privacy" (typed or a button) offers Export / Delete; asking in words ("导出我的数据", "delete my
data") goes straight to that choice. Export answers with a one-time, expiring link to the whole
export (:mod:`core.store.privacy_links`; served by the web server, adapters/web/export_links.py). Delete
asks first; only the very next message can confirm it — the "Yes, delete" button or typing
"确认删除" / "confirm delete" — and the erasure (:func:`core.privacy.erase_customer_data`) runs once
the turn is committed, so it removes this conversation too. Both are audited."""
from __future__ import annotations

from datetime import timedelta
from functools import partial
from typing import Any

from core.actions.base import Action
from core.dialogue.recognisers import DELETE, ERASE, EXPORT, KEEP, privacy_step
from core.privacy import erase_customer_data
from core.profile import Profiles
from core.store import Store
from core.turn import ActionResult, Turn

EXPORT_PATH = "/privacy/export/"
"""Where the web server serves export links: ``EXPORT_PATH + token``."""


class PrivacyAction(Action):
    """Offers, exports (a one-time link) and erases (after an explicit confirmation) the shopper's data."""

    name = "privacy"

    def __init__(self, store: Store, public_url: str, link_valid_for: timedelta) -> None:
        self._store = store
        self._profiles = Profiles(store)
        self._public_url = public_url.rstrip("/")
        self._valid_for = link_valid_for

    async def run(self, turn: Turn) -> ActionResult:
        """The step the shopper asked for; the Export / Delete choice when they only asked about privacy."""
        step = privacy_step(turn) or "menu"
        turn.state.erase_asked_at = None
        if step == "menu":
            return ActionResult("privacy_menu", buttons=[("btn_export", EXPORT), ("btn_delete", DELETE)], verbatim=True)
        if step == "keep":
            return ActionResult("privacy_delete_cancelled", verbatim=True)
        if step == "delete":
            turn.state.erase_asked_at = turn.state.turn
            return ActionResult("privacy_erase_confirm", buttons=[("btn_yes_delete", ERASE), ("btn_no", KEEP)],
                                verbatim=True)
        customer = self._data_subject(turn)
        if step == "export":
            return self._export_link(turn, customer)
        turn.after_commit.append(partial(erase_customer_data, self._store, customer["id"], actor=turn.conversation_id))
        return ActionResult("privacy_erased", verbatim=True)

    def _data_subject(self, turn: Turn) -> dict[str, Any]:
        """The customer whose data this is: linked to the channel identity, or proved in this chat; a
        shopper unknown so far gets a customer record (their chat is personal data too). The chat is
        attached to that customer so that export and erasure include it."""
        customer = turn.customer or self._profiles.ensure_customer(turn.message.identity, None, turn.language)
        self._store.conversations.ensure(turn.message.identity, customer["id"])
        return customer

    def _export_link(self, turn: Turn, customer: dict[str, Any]) -> ActionResult:
        token = self._store.privacy_links.issue(customer["id"], turn.conversation_id, turn.language, self._valid_for)
        minutes = int(self._valid_for.total_seconds() // 60)
        self._store.audit.record(turn.conversation_id, "privacy.export_link", f"customer:{customer['id']}",
                                 {"valid_minutes": minutes})
        return ActionResult("privacy_export_link", {"url": f"{self._public_url}{EXPORT_PATH}{token}",
                                                    "minutes": minutes}, verbatim=True, private=True)
