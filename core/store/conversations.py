"""Conversations, their full transcript and the dialogue state saved after every turn."""
from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import sqlite_utils

from core.clock import utc_now_iso
from core.messages import Identity, InboundMessage, Reply
from core.store.engine import IntegrityError
from core.store.jsoncols import decode, loads
from core.store.rows import first_row


@dataclass(frozen=True)
class InboundRecord:
    """Where an inbound message stands: its row id, and whether its turn already completed."""

    message_id: int
    already_processed: bool


def _json(value: Any) -> str:
    """A JSON column's text, written as sqlite-utils writes it (so either may read it back)."""
    return json.dumps(value, default=repr, ensure_ascii=False)


class Conversations:
    """Read and write conversations, transcripts and dialogue state."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self._db = db

    def ensure(self, identity: Identity, customer_id: int | None) -> dict[str, Any]:
        """The conversation of this identity, created on first contact."""
        conversation_id = identity.conversation_id
        row = self.get(conversation_id)
        if row:
            if customer_id is not None and row["customer_id"] != customer_id:
                self._db.execute("update conversations set customer_id = ? where id = ?", [customer_id, conversation_id])
                row["customer_id"] = customer_id
            return row
        now = utc_now_iso()
        row = {"id": conversation_id, "channel": identity.channel, "user_id": identity.user_id,
               "customer_id": customer_id, "language": None, "status": "bot",
               "started_at": now, "updated_at": now}
        self._db.execute(f"insert or ignore into conversations ({', '.join(row)}) values ({', '.join('?' * len(row))})",
                         list(row.values()))
        return row

    def count(self) -> int:
        """How many conversations there are."""
        return self._db["conversations"].count

    def get(self, conversation_id: str) -> dict[str, Any] | None:
        """One conversation, or None."""
        return first_row(self._db, "select * from conversations where id = ?", [conversation_id])

    def of_customer(self, customer_id: int, but: str = "", limit: int = 5) -> list[dict[str, Any]]:
        """A customer's conversations (other than ``but``), the latest started first."""
        return list(self._db["conversations"].rows_where(
            "customer_id = ? and id != ?", [customer_id, but], order_by="started_at desc, id desc", limit=limit))

    def record_inbound(self, message: InboundMessage) -> InboundRecord:
        """Store an inbound message before it is processed.

        A redelivery (same channel message id) returns the first record, so the caller can skip
        a turn that already completed, or finish one that a crash interrupted."""
        conversation_id = message.identity.conversation_id
        if message.message_id is not None:
            row = self._db.execute(
                "select id, processed from messages where conversation_id = ? and direction = 'in' "
                "and channel_message_id = ?", [conversation_id, message.message_id]).fetchone()
            if row:
                return InboundRecord(row[0], bool(row[1]))
        try:
            row_id = self._db.execute(
                "insert into messages (conversation_id, direction, channel_message_id, text, payload, processed, "
                "created_at) values (?, 'in', ?, ?, ?, 0, ?)",
                [conversation_id, message.message_id, message.text,
                 json.dumps({"button": message.payload}) if message.payload else None,
                 message.received_at.isoformat(timespec="seconds")]).lastrowid
        except IntegrityError:  # a concurrent duplicate won the race
            return self.record_inbound(message)
        return InboundRecord(row_id, False)

    def complete_turn(self, conversation_id: str, inbound_id: int, intent: str | None, language: str,
                      state: dict[str, Any], replies: list[Reply], mood: float | None = None,
                      understood: bool | None = None, flows: Sequence[tuple[str, str]] = (),
                      kb_score: float | None = None, kb_article: str | None = None) -> None:
        """Commit a turn in one transaction: state, outbound replies, the inbound marked done (with whether
        the bot ``understood`` it, and when a knowledge-base search ran its best ``kb_score`` and the
        ``kb_article`` quoted), the conversation's smoothed ``mood`` when given, and the turn's ``flows``
        events ((``started`` | ``completed``, flow name), table ``flow_events``). Nothing is sent to the
        shopper before this returns."""
        now = utc_now_iso()
        with self._db.atomic():
            self._save_state(conversation_id, state, now, completed_turns=1)
            self._db.execute("update messages set processed = 1, intent = ?, understood = ?, kb_article = ?, "
                             "kb_score = ? where id = ?",
                             [intent, None if understood is None else int(understood),
                              kb_article, kb_score, inbound_id])
            self._db.conn.executemany(
                "insert into messages (conversation_id, direction, text, payload, processed, created_at, in_reply_to) "
                "values (?, 'out', ?, ?, 1, ?, ?)",
                [(conversation_id, reply.text, _json(reply.to_dict()), now, inbound_id) for reply in replies])
            self._db.conn.executemany(
                "insert into flow_events (conversation_id, message_id, event, flow, created_at) values (?, ?, ?, ?, ?)",
                [(conversation_id, inbound_id, event, flow, now) for event, flow in flows])
            mood_columns = ", mood = ?, mood_updated_at = ?" if mood is not None else ""
            self._db.execute(f"update conversations set language = ?, updated_at = ?{mood_columns} where id = ?",
                             [language, now, *([mood, now] if mood is not None else []), conversation_id])

    def revise_reply(self, conversation_id: str, inbound_id: int, index: int, reply: Reply, text: str) -> None:
        """The final ``text`` of the ``index``-th reply of a committed turn (a streamed reply, recorded
        with its template text until it was finished); nothing if the conversation is gone."""
        final = replace(reply, text=text, stream=None)
        self._db.execute(
            "update messages set text = ?, payload = ? where id = (select id from messages where conversation_id = ? "
            "and direction = 'out' and in_reply_to = ? order by id limit 1 offset ?)",
            [text, _json(final.to_dict()), conversation_id, inbound_id, index])

    def replies_to(self, conversation_id: str, channel_message_id: str) -> list[dict[str, Any]]:
        """The replies (as sent: ``Reply.to_dict()``) of the completed turn of the inbound message with
        this channel message id; [] when there is none or its turn has not completed."""
        rows = self._db.execute(
            "select o.payload from messages i join messages o on o.in_reply_to = i.id where i.conversation_id = ? "
            "and i.direction = 'in' and i.channel_message_id = ? and i.processed = 1 order by o.id",
            [conversation_id, channel_message_id]).fetchall()
        return [loads(payload) for (payload,) in rows]

    def mark_processed(self, inbound_id: int) -> None:
        """Mark an inbound message handled without a turn (a colleague owns the conversation)."""
        self._db["messages"].update(inbound_id, {"processed": 1})

    def record_staff(self, conversation_id: str, staff: str, text: str) -> None:
        """Append what a colleague (or the handoff system on their behalf) sent the shopper."""
        now = utc_now_iso()
        self._db["messages"].insert({"conversation_id": conversation_id, "direction": "out", "text": text,
                                     "payload": {"type": "staff", "staff": staff, "text": text},
                                     "processed": 1, "created_at": now})
        self._db["conversations"].update(conversation_id, {"updated_at": now})

    def set_status(self, conversation_id: str, status: str) -> None:
        """Who answers the conversation: ``bot``, ``waiting`` (for a colleague) or ``human``."""
        self._db.execute("update conversations set status = ? where id = ?", [status, conversation_id])

    def patch_state(self, conversation_id: str, **changes: Any) -> None:
        """Change some keys of the saved dialogue state (e.g. ``handoff=False`` when staff hand back)."""
        with self._db.atomic():
            self._save_state(conversation_id, {**self.state(conversation_id), **changes}, utc_now_iso(),
                             completed_turns=0)

    def _save_state(self, conversation_id: str, state: dict[str, Any], now: str, completed_turns: int) -> None:
        """Write the dialogue state, adding ``completed_turns`` (1 after a turn, 0 for a patch) to its count."""
        self._db.execute(
            "insert into dialogue_states (conversation_id, turn, state, updated_at) values (?, ?, ?, ?) "
            "on conflict (conversation_id) do update set turn = dialogue_states.turn + excluded.turn, state = excluded.state, "
            "updated_at = excluded.updated_at", [conversation_id, completed_turns, _json(state), now])

    def mood(self, conversation_id: str) -> float | None:
        """The conversation's smoothed mood in [-1, 1] (None before its first scored message)."""
        row = self._db.execute("select mood from conversations where id = ?", [conversation_id]).fetchone()
        return row[0] if row else None

    def recent(self, limit: int = 20, upset_below: float | None = None) -> list[dict[str, Any]]:
        """The most recently active conversations with their mood and open handoff priority;
        only those whose mood is below ``upset_below`` when given."""
        where = "where c.mood < ?" if upset_below is not None else ""
        params: list[Any] = [upset_below] if upset_below is not None else []
        rows = self._db.execute(
            "select c.id, c.channel, c.language, c.status, c.mood, c.updated_at, "
            "(select max(priority) from handoffs h where h.conversation_id = c.id and h.status = 'open') "
            f"from conversations c {where} order by c.updated_at desc, c.id limit ?", [*params, limit]).fetchall()
        keys = ("id", "channel", "language", "status", "mood", "updated_at", "handoff_priority")
        return [dict(zip(keys, r)) for r in rows]

    def set_language(self, conversation_id: str, language: str) -> None:
        """Switch the conversation's language (the shopper chose one): saved state and row alike."""
        with self._db.atomic():
            self.patch_state(conversation_id, language=language)
            self._db.execute("update conversations set language = ?, updated_at = ? where id = ?",
                             [language, utc_now_iso(), conversation_id])

    def state(self, conversation_id: str) -> dict[str, Any]:
        """The dialogue state saved after the last completed turn ({} before the first)."""
        row = self._db.execute(
            "select state from dialogue_states where conversation_id = ?", [conversation_id]).fetchone()
        return loads(row[0], default={}) if row else {}

    def messages_after(self, message_id: int, limit: int = 1000) -> list[tuple[int, str, str | None]]:
        """(id, conversation id, text) of up to ``limit`` messages with an id above ``message_id``, in order
        (what a transcript index has not seen yet)."""
        return [tuple(r) for r in self._db.execute(
            "select id, conversation_id, text from messages where id > ? order by id limit ?",
            [message_id, limit]).fetchall()]

    def quiet_with_state(self, flag: str, before: str) -> list[str]:
        """Conversations the bot owns whose saved state has ``flag`` true and that were last active before
        ``before`` (e.g. the CSAT question waiting for an idle conversation)."""
        return [r[0] for r in self._db.execute(
            "select c.id from conversations c join dialogue_states s on s.conversation_id = c.id "
            "where c.status = 'bot' and c.updated_at < ? and json_extract(s.state, ?) = ? order by c.updated_at",
            [before, f"$.{flag}", True]).fetchall()]

    def handed_off(self, conversation_ids: list[str]) -> set[str]:
        """Those of ``conversation_ids`` that were ever handed to a colleague."""
        marks = ",".join("?" * len(conversation_ids)) or "null"
        return {r[0] for r in self._db.execute(
            f"select distinct conversation_id from handoffs where conversation_id in ({marks})",
            conversation_ids).fetchall()}

    def transcript(self, conversation_id: str) -> list[dict[str, Any]]:
        """Every message of the conversation in order."""
        rows = self._db["messages"].rows_where("conversation_id = ?", [conversation_id], order_by="id")
        return [decode(r, "payload") for r in rows]
