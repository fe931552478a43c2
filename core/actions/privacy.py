"""A shopper's data rights in any channel: export all their data, or delete it.

"/privacy" (typed or a button) offers Export / Delete; asking in words ("导出我的数据", "delete my
data") goes straight to that choice. Export answers with a one-time, expiring link to the whole
export (:mod:`core.store.privacy_links`; served by the web server, adapters/web/export_links.py). Delete
asks first; only the very next message can confirm it — the "Yes, delete" button or typing
"确认删除" / "confirm delete" — and the erasure (:func:`core.privacy.erase_customer_data`) runs once
the turn is committed, so it removes this conversation too. Both are audited."""
from __future__ import annotations

import re
from datetime import timedelta
from functools import partial
from typing import Any, Literal

from core.actions.base import Action, ActionResult
from core.privacy import erase_customer_data
from core.profile import Profiles
from core.store import Store
from core.turn import Turn

Step = Literal["menu", "export", "delete", "erase", "keep"]

EXPORT_PATH = "/privacy/export/"
"""Where the web server serves export links: ``EXPORT_PATH + token``."""
MENU, EXPORT, DELETE, ERASE, KEEP = "/privacy", "/privacy export", "/privacy delete", "/privacy erase", "/privacy keep"

_COMMAND = re.compile(r"/privacy(?:\s+(export|delete|erase|keep))?", re.IGNORECASE)
_COMMAND_STEPS: dict[str, Step] = {"": "menu", "export": "export", "delete": "delete", "erase": "erase", "keep": "keep"}
_MY_DATA_ZH = r"(?:我的|我)?(?:全部|所有)?(?:个人)?(?:数据|信息|资料|聊天记录)"
_MY_DATA_EN = r"\b(?:my|all my|all of my)\s+(?:personal\s+)?(?:data|information|info|chat history)\b"
_EXPORT_REQUEST = re.compile(rf"(?:导出|下载){_MY_DATA_ZH}|\b(?:export|download|get|send me|give me|copy of)\b"
                             rf".{{0,12}}{_MY_DATA_EN}", re.IGNORECASE)
_DELETE_REQUEST = re.compile(rf"(?:删除|删掉|清除){_MY_DATA_ZH}|\b(?:delete|erase|remove|wipe)\b.{{0,12}}"
                             rf"{_MY_DATA_EN}|right to be forgotten", re.IGNORECASE)
_CONFIRM_WORDS = frozenset({"确认删除", "确定删除", "是删除", "confirmdelete", "confirmdeletion", "yesdelete"})
_CANCEL_WORDS = frozenset({"否", "不", "不用", "不要", "取消", "不删", "不删除", "不要删除", "算了", "保留", "no", "nope",
                           "cancel", "keep", "keepmydata", "dontdelete", "donotdelete"})


def privacy_step(turn: Turn) -> Step | None:
    """What the shopper asks of their data in this message, or None when it is not about that.

    ``erase`` only when the previous turn asked for the confirmation; otherwise the question is
    asked (again)."""
    payload = turn.message.payload
    text = (payload if payload is not None else turn.nlu.text).strip()
    pending = turn.state.erase_asked_at is not None and turn.state.erase_asked_at == turn.state.turn - 1
    command = _COMMAND.fullmatch(text)
    if command:
        step = _COMMAND_STEPS[(command.group(1) or "").lower()]
        return "delete" if step == "erase" and not pending else step
    if pending and payload is None:
        words = re.sub(r"[\s\W_]+", "", text).lower()
        if words in _CONFIRM_WORDS:
            return "erase"
        if words in _CANCEL_WORDS or turn.nlu.intent == "deny":
            return "keep"
        if turn.nlu.intent == "affirm":
            return "delete"  # a plain "yes" is not explicit enough: ask again, saying how to confirm
    if payload is None and _EXPORT_REQUEST.search(text):
        return "export"
    if payload is None and _DELETE_REQUEST.search(text):
        return "delete"
    return None


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
