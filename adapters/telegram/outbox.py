"""The outbox: every Telegram message is stored before it is sent and marked sent after, so a
crash neither loses it (pending rows are sent on restart) nor doubles it.

Messages produced while handling an update carry that update as their ``source`` and a sequence
number; handling the same update again queues nothing new."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from adapters.telegram.rendering import Outgoing
from core.clock import utc_now_iso
from core.store.tables import OwnTables


@dataclass(frozen=True)
class Queued:
    """One stored message waiting to be sent."""

    id: int
    chat_id: int
    message: Outgoing
    attempts: int


class Outbox:
    """Outbound Telegram messages in SQLite: pending → sent, or failed / blocked with the reason."""

    def __init__(self, own: OwnTables) -> None:
        self._tables = own

    def enqueue(self, chat_id: int, messages: list[Outgoing], source: str | None = None) -> None:
        """Store messages for a chat in one transaction, in order; a repeat of ``source`` is ignored."""
        now = utc_now_iso()
        with self._tables.atomic():
            self._tables.table("telegram_outbox").insert_all(
                ({"chat_id": chat_id, "source": source, "seq": seq if source else None, "body": m.to_json(),
                  "status": "pending", "attempts": 0, "created_at": now} for seq, m in enumerate(messages)),
                ignore=True)

    def pending(self, chat_id: int) -> list[Queued]:
        """The chat's messages not yet sent, oldest first."""
        rows = self._tables.table("telegram_outbox").rows_where("status = 'pending' and chat_id = ?", [chat_id],
                                                                order_by="id")
        return [Queued(r["id"], r["chat_id"], Outgoing.from_json(r["body"]), r["attempts"]) for r in rows]

    def chats_with_pending(self) -> list[int]:
        """Every chat with something left to send."""
        return [row[0] for row in self._tables.execute(
            "select distinct chat_id from telegram_outbox where status = 'pending' order by chat_id")]

    def mark_sent(self, row_id: int) -> None:
        """Telegram accepted the message."""
        self._tables.table("telegram_outbox").update(row_id, {"status": "sent", "sent_at": utc_now_iso(), "error": None})

    def mark_retry(self, row_id: int, error: str) -> int:
        """Sending failed for now; the message stays pending. Returns the attempts so far."""
        self._tables.execute("update telegram_outbox set attempts = attempts + 1, error = ? where id = ?",
                         [error, row_id])
        return self._tables.execute("select attempts from telegram_outbox where id = ?", [row_id]).fetchone()[0]

    def mark_failed(self, row_id: int, error: str) -> None:
        """Telegram refused the message for good; it is not retried."""
        self._tables.table("telegram_outbox").update(row_id, {"status": "failed", "error": error})

    def block_chat(self, chat_id: int, error: str) -> None:
        """The shopper blocked the bot: nothing pending for the chat is sent."""
        self._tables.execute("update telegram_outbox set status = 'blocked', error = ? "
                         "where chat_id = ? and status = 'pending'", [error, chat_id])

    def forget(self, chat_id: int | str) -> None:
        """Delete every stored message of a chat (the shopper erased their data)."""
        self._tables.execute("delete from telegram_outbox where chat_id = ?", [chat_id])

    def data_of(self, chat_id: int | str) -> dict[str, list[dict[str, Any]]]:
        """Every stored message of a chat, oldest first, by table (the shopper's data export)."""
        rows = list(self._tables.table("telegram_outbox").rows_where(
            "chat_id = ?", [chat_id], order_by="id", select="source, seq, body, status, created_at, sent_at"))
        return {"telegram_outbox": rows} if rows else {}

    def failure(self, source: str) -> tuple[str, str] | None:
        """How a message stored under ``source`` ended when it will never be sent: ``(status, error)``
        for one failed or blocked, else None."""
        row = self._tables.execute("select status, error from telegram_outbox where source = ? "
                               "and status in ('failed', 'blocked') limit 1", [source]).fetchone()
        return (row[0], row[1]) if row else None

    def holds(self, source: str) -> bool:
        """Whether anything was stored under ``source`` (it is sent, or will be, by the outbox)."""
        row = self._tables.execute("select 1 from telegram_outbox where source = ? limit 1", [source]).fetchone()
        return row is not None

    def status_counts(self) -> dict[str, int]:
        """How many messages are in each status."""
        return dict(self._tables.execute("select status, count(*) from telegram_outbox group by status").fetchall())
