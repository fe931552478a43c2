"""Full-text search over every transcript for the console (``console-search``): an SQLite FTS5 index
of each message's words — jieba's for Chinese, lower-cased words for English (``core.retrieval``'s
tokenizer), space-joined so FTS5's own tokenizer keeps them whole — queried with the same words.

The index is brought up to the newest message id just before each search (lazily), not on the
turn's path: a turn writes no more than before, and no core hook is needed; a search pays for the
messages stored since the last one. The index holds shoppers' words, so it has a data-rights hook
(keyed by conversation: export and erasure)."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from core.retrieval.lexical import tokenize
from core.sentiment.mood import mood_label
from core.store import Store
from core.store.engine import engine_of
from core.store.tables import ChannelData, OwnTables, TableSet

OWNER = "console-search"
BATCH = 1000
SNIPPET = 40
"""Characters of context each side of the first match in a snippet."""

CsatSource = Callable[[str], int | None]
"""A conversation's newest CSAT score (1–5) or None (``store.csat.score_of``, passed in by ``bot/channels.py``)."""


def _index(db: sqlite_utils.Database) -> None:
    """The FTS5 table of message words and how far it has read (on PostgreSQL a plain table, searched
    with the engine's ``fts_match``, docs/SCALING.md)."""
    if engine_of(db) == "postgresql":
        db["console_search"].create({"words": str, "message_id": str, "conversation_id": str}, if_not_exists=True)
    else:
        db.execute("create virtual table if not exists console_search using fts5("
                   "words, message_id unindexed, conversation_id unindexed)")
    db["console_search_state"].create({"id": int, "last_message_id": int}, pk="id", if_not_exists=True)


TABLES = TableSet(OWNER, ("console_search", "console_search_state"), (_index,))


@dataclass(frozen=True)
class Filters:
    """What a search is limited to (None: anything)."""

    channel: str | None = None
    language: str | None = None
    mood: str | None = None
    handed_off: bool | None = None
    csat_at_least: int | None = None


def words_of(text: str) -> list[str]:
    """The indexed words of a message or a query."""
    return tokenize(text)


def snippet(text: str, words: list[str]) -> dict[str, Any]:
    """A window of ``text`` around its first match and the [start, end) spans of every query word in it
    (the page builds the highlight from these: text, never markup)."""
    lowered = text.lower()
    hits = [i for w in words if (i := lowered.find(w)) >= 0]
    start = max(0, min(hits, default=0) - SNIPPET)
    window = text[start:start + 2 * SNIPPET + max(map(len, words), default=0)]
    low = window.lower()
    marks = []
    for word in sorted(set(words), key=len, reverse=True):
        at = low.find(word)
        while at >= 0:
            if not any(a < at + len(word) and at < b for a, b in marks):
                marks.append((at, at + len(word)))
            at = low.find(word, at + len(word))
    return {"text": window, "marks": sorted(marks), "cut_start": start > 0,
            "cut_end": start + len(window) < len(text)}


class TranscriptSearch:
    """The index and the searches on it."""

    def __init__(self, store: Store, own: OwnTables, csat: CsatSource | None = None) -> None:
        self._store, self._own, self.csat = store, own, csat

    def catch_up(self) -> int:
        """Index every message stored since the last call; how many were added."""
        added = 0
        while True:
            row = self._own.execute("select last_message_id from console_search_state where id = 1").fetchone()
            last = row[0] if row else 0
            batch = self._store.conversations.messages_after(last, BATCH)
            if not batch:
                return added
            with self._own.atomic():
                self._own.table("console_search").insert_all(
                    ({"words": " ".join(words_of(text or "")), "message_id": mid, "conversation_id": cid}
                     for mid, cid, text in batch if text))
                self._own.execute("insert or replace into console_search_state (id, last_message_id) "
                                  "values (1, ?)", [batch[-1][0]])
            added += len(batch)

    def search(self, query: str, filters: Filters, limit: int = 50) -> list[dict[str, Any]]:
        """Messages matching every word of ``query`` (newest first), one per conversation, within
        ``filters``, each with its conversation's facts and a snippet."""
        words = words_of(query)
        if not words:
            return []
        self.catch_up()
        match = " ".join(f'"{w}"' for w in words)
        rows = self._own.execute("select message_id, conversation_id from console_search where words "
                                 "match ? order by cast(message_id as integer) desc limit 2000", [match]).fetchall()
        first: dict[str, int] = {}
        for mid, cid in rows:
            first.setdefault(cid, int(mid))
        handed = self._store.conversations.handed_off(list(first))
        found = []
        for cid, mid in first.items():
            facts = self._facts(cid, cid in handed)
            if facts is None or not _within(facts, filters):
                continue
            text = next((m["text"] for m in self._store.conversations.transcript(cid) if m["id"] == mid), "")
            found.append({**facts, "message_id": mid, "snippet": snippet(text or "", words)})
            if len(found) >= limit:
                break
        return found

    def _facts(self, cid: str, handed_off: bool) -> dict[str, Any] | None:
        row = self._store.conversations.get(cid)
        if row is None:
            return None
        return {"conversation_id": cid, "channel": row["channel"], "language": row["language"],
                "mood": mood_label(row["mood"]), "handed_off": handed_off, "updated_at": row["updated_at"],
                "csat": self.csat(cid) if self.csat else None}

    def data_of(self, conversation_id: str) -> dict[str, list[dict[str, Any]]]:
        """The indexed words of a conversation, for an export (empty when none)."""
        rows = [{"message_id": m, "words": w} for m, w in self._own.execute(
            "select message_id, words from console_search where conversation_id = ?", [conversation_id])]
        return {"console_search": rows} if rows else {}

    def forget(self, conversation_id: str) -> None:
        """Remove a conversation's words from the index."""
        self._own.execute("delete from console_search where conversation_id = ?", [conversation_id])


def _within(facts: dict[str, Any], filters: Filters) -> bool:
    """Whether a conversation's facts pass the filters."""
    if filters.csat_at_least is not None and (facts["csat"] is None or facts["csat"] < filters.csat_at_least):
        return False
    wanted = {"channel": filters.channel, "language": filters.language, "mood": filters.mood,
              "handed_off": filters.handed_off}
    return all(value is None or facts[key] == value for key, value in wanted.items())


def register(store: Store, csat: CsatSource | None = None) -> TranscriptSearch:
    """Migrate the index and register its data-rights hook; the search on it."""
    own = store.register(TABLES, lambda handle: _data_rights(store, handle))
    return TranscriptSearch(store, own, csat)


def _data_rights(store: Store, own: OwnTables) -> ChannelData:
    index = TranscriptSearch(store, own)
    return ChannelData(OWNER, index.data_of, index.forget, by_conversation=True)
