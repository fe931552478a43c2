"""The console's own table of human reviews of the bot's replies (``console-reviews``): who judged
which reply good or bad, why, and the intent it should have read. A review names the shopper's
conversation, so it is part of the shopper's data: exported and erased through its hook."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlite_utils

from core.clock import utc_now_iso
from core.store import Store
from core.store.tables import ChannelData, OwnTables, TableSet

VERDICTS = ("good", "bad")
REASONS = ("wrong_fact", "wrong_intent", "tone", "should_hand_off")
OWNER = "console-reviews"


def _reviews(db: sqlite_utils.Database) -> None:
    """One row per reviewer and reply (reviewing again replaces the verdict)."""
    db["console_reviews"].create(
        {"id": int, "message_id": int, "conversation_id": str, "reviewer": str,
         "verdict": str, "reason": str, "note": str, "right_intent": str, "read_intent": str, "trained": int,
         "created_at": str}, pk="id", defaults={"trained": 0}, if_not_exists=True)
    db["console_reviews"].create_index(["message_id", "reviewer"], unique=True, if_not_exists=True)
    db["console_reviews"].create_index(["conversation_id"], if_not_exists=True)


TABLES = TableSet(OWNER, ("console_reviews",), (_reviews,))


@dataclass(frozen=True)
class Review:
    """One colleague's judgement of one bot reply."""

    message_id: int
    conversation_id: str
    reviewer: str
    verdict: str
    reason: str | None = None
    note: str | None = None
    right_intent: str | None = None
    read_intent: str | None = None


class ReviewLog:
    """Reviews stored in the console's own table."""

    def __init__(self, own: OwnTables) -> None:
        self._own = own

    def save(self, review: Review) -> int:
        """Store (or replace, for the same reviewer and reply) a review; its row id."""
        row = {"message_id": review.message_id, "conversation_id": review.conversation_id, "reviewer": review.reviewer, "verdict": review.verdict, "reason": review.reason,
               "note": review.note, "right_intent": review.right_intent, "read_intent": review.read_intent,
               "trained": 0, "created_at": utc_now_iso()}
        with self._own.atomic():
            self._own.execute("delete from console_reviews where message_id = ? and reviewer = ?",
                              [review.message_id, review.reviewer])
            return int(self._own.table("console_reviews").insert(row).last_pk)

    def get(self, review_id: int) -> dict[str, Any] | None:
        """One review row, or None."""
        rows = list(self._own.table("console_reviews").rows_where("id = ?", [review_id]))
        return rows[0] if rows else None

    def mark_trained(self, review_id: int) -> None:
        """The review's shopper message became a training example."""
        self._own.execute("update console_reviews set trained = 1 where id = ?", [review_id])

    def of_conversation(self, conversation_id: str) -> list[dict[str, Any]]:
        """The reviews of one conversation's replies, oldest first."""
        return list(self._own.table("console_reviews").rows_where("conversation_id = ?", [conversation_id],
                                                                   order_by="id"))

    def between(self, first_day: str | None, last_day: str | None) -> list[dict[str, Any]]:
        """Every review made from ``first_day`` to ``last_day`` (ISO dates, both included; either open),
        oldest first."""
        clauses, params = [], []
        if first_day:
            clauses.append("substr(created_at, 1, 10) >= ?")
            params.append(first_day)
        if last_day:
            clauses.append("substr(created_at, 1, 10) <= ?")
            params.append(last_day)
        return list(self._own.table("console_reviews").rows_where(" and ".join(clauses) or None, params,
                                                                   order_by="id"))

    def data_of(self, conversation_id: str) -> dict[str, list[dict[str, Any]]]:
        """The reviews of a shopper's conversation, for an export (empty when none)."""
        rows = self.of_conversation(conversation_id)
        return {"console_reviews": rows} if rows else {}

    def forget(self, conversation_id: str) -> None:
        """Erase the reviews of a shopper's conversation."""
        self._own.execute("delete from console_reviews where conversation_id = ?", [conversation_id])


def register(store: Store) -> ReviewLog:
    """Migrate the reviews table and register its data-rights hook; the log on it."""
    return ReviewLog(store.register(TABLES, _data_rights))


def _data_rights(own: OwnTables) -> ChannelData:
    log = ReviewLog(own)
    return ChannelData(OWNER, log.data_of, log.forget, by_conversation=True)
