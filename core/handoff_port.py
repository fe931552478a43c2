"""The handoff interface: how the assistant asks a colleague to take over or to approve something.

Today's implementation records a row in ``handoffs`` for the staff tools to pick up; a Slack or
staff-inbox integration implements :class:`Handoff` to notify people as well."""
from __future__ import annotations

from abc import ABC, abstractmethod

from core.clock import utc_now_iso
from core.store import Store


class Handoff(ABC):
    """Opens (or escalates) a request for a human in one conversation."""

    @abstractmethod
    def request(self, conversation_id: str, reason: str, priority: int = 1) -> int:
        """Open a request, or raise the priority of the one already open; returns its id.

        ``reason``: "asked", "upset", "not_understood", or "approval:<what>" when a colleague must
        approve a change the policy does not let the assistant make alone."""


class RecordedHandoff(Handoff):
    """Records requests in the store's ``handoffs`` table, one open request per conversation."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def request(self, conversation_id: str, reason: str, priority: int = 1) -> int:
        """Insert an open request, or raise the priority (and record a newer approval reason) of the open one."""
        table = self._store.db["handoffs"]
        open_request = next(table.rows_where("conversation_id = ? and status = 'open'", [conversation_id],
                                             order_by="id", limit=1), None)
        if open_request is None:
            return table.insert({"conversation_id": conversation_id, "status": "open", "reason": reason,
                                 "priority": priority, "created_at": utc_now_iso()}).last_pk
        changes = {}
        if priority > (open_request["priority"] or 0):
            changes["priority"] = priority
        if reason.startswith("approval:"):
            changes["reason"] = reason
        if changes:
            table.update(open_request["id"], changes)
        return open_request["id"]
