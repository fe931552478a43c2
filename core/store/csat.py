"""CSAT ratings ("How did we do?", 1–5) and the shoppers who asked not to be asked again.

A row is written when the question is asked (``score`` NULL), and filled in when it is answered, so the
response rate is answered / asked. A shopper is the customer when known, else the channel identity."""
from __future__ import annotations

from typing import Any

import sqlite_utils

from core.clock import utc_now_iso
from core.store.rows import first_row

MAX_COMMENT_CHARS = 1000


class CsatRatings:
    """Read and write ``csat_ratings`` and ``csat_optouts``."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self._db = db

    def record_ask(self, conversation_id: str, channel: str, user_id: str, customer_id: int | None,
                   language: str, trigger: str, at: str | None = None) -> int:
        """The question was put to the shopper (``trigger``: ``bot`` or ``staff``); returns the row id."""
        cursor = self._db.execute(
            "insert into csat_ratings (conversation_id, customer_id, channel, user_id, language, trigger, asked_at) "
            "values (?, ?, ?, ?, ?, ?, ?)",
            [conversation_id, customer_id, channel, user_id, language, trigger, at or utc_now_iso()])
        return int(cursor.lastrowid or 0)

    def open_ask(self, conversation_id: str) -> dict[str, Any] | None:
        """The conversation's newest question, answered or not, or None."""
        return first_row(self._db, "select * from csat_ratings where conversation_id = ? order by id desc limit 1",
                         [conversation_id])

    def answer(self, rating_id: int, score: int, at: str | None = None) -> None:
        """The shopper's score (1–5) for that question."""
        if not 1 <= score <= 5:
            raise ValueError("a CSAT score is 1 to 5")
        self._db.execute("update csat_ratings set score = ?, answered_at = ? where id = ?",
                         [score, at or utc_now_iso(), rating_id])

    def comment(self, rating_id: int, text: str) -> None:
        """The shopper's optional comment after their score (cut to :data:`MAX_COMMENT_CHARS`)."""
        self._db.execute("update csat_ratings set comment = ? where id = ?", [text[:MAX_COMMENT_CHARS], rating_id])

    def asked_since(self, channel: str, user_id: str, customer_id: int | None, since: str) -> bool:
        """Whether this shopper (the customer through any channel, else this identity) was asked at or after ``since``."""
        # customer_id = NULL matches no row (and PostgreSQL cannot type a bare "? is not null")
        row = self._db.execute(
            "select 1 from csat_ratings where asked_at >= ? and ((channel = ? and user_id = ?) or customer_id = ?) "
            "limit 1", [since, channel, user_id, customer_id]).fetchone()
        return row is not None

    def opt_out(self, channel: str, user_id: str, customer_id: int | None) -> None:
        """Never ask this shopper again."""
        self._db.execute("insert into csat_optouts (channel, user_id, customer_id, created_at) values (?, ?, ?, ?) "
                         "on conflict (channel, user_id) do update set customer_id = coalesce(excluded.customer_id, "
                         "csat_optouts.customer_id)", [channel, user_id, customer_id, utc_now_iso()])

    def opted_out(self, channel: str, user_id: str, customer_id: int | None) -> bool:
        """Whether this shopper (this identity, or the customer through any channel) asked not to be asked."""
        # customer_id = NULL matches no row, as above
        row = self._db.execute(
            "select 1 from csat_optouts where (channel = ? and user_id = ?) or customer_id = ? limit 1",
            [channel, user_id, customer_id]).fetchone()
        return row is not None

    def score_of(self, conversation_id: str) -> int | None:
        """The conversation's newest answered score, or None (the console search's CSAT source)."""
        row = self._db.execute("select score from csat_ratings where conversation_id = ? and score is not null "
                               "order by id desc limit 1", [conversation_id]).fetchone()
        return row[0] if row else None

    def of_conversations(self, conversation_ids: list[str]) -> list[dict[str, Any]]:
        """Every question asked in these conversations (reports, data exports), in order."""
        if not conversation_ids:
            return []
        marks = ",".join("?" * len(conversation_ids))
        return list(self._db["csat_ratings"].rows_where(f"conversation_id in ({marks})", conversation_ids,
                                                        order_by="id"))

    def counts(self, conversation_ids: list[str]) -> list[tuple[str, str | None, int | None, int]]:
        """(channel, language, score or None, questions) over the questions asked in these conversations."""
        if not conversation_ids:
            return []
        marks = ",".join("?" * len(conversation_ids))
        return [tuple(row) for row in self._db.execute(
            f"select channel, language, score, count(*) from csat_ratings where conversation_id in ({marks}) "
            "group by channel, language, score", conversation_ids).fetchall()]

    def erase(self, conversation_ids: list[str], channel_users: list[tuple[str, str]], customer_id: int) -> None:
        """A shopper's data erased: their ratings (they hold their words) and their opt-out go."""
        if conversation_ids:
            marks = ",".join("?" * len(conversation_ids))
            self._db.execute(f"delete from csat_ratings where conversation_id in ({marks})", conversation_ids)
        self._db.execute("delete from csat_optouts where customer_id = ?", [customer_id])
        for channel, user_id in channel_users:
            self._db.execute("delete from csat_optouts where channel = ? and user_id = ?", [channel, user_id])
