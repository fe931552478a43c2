"""The knowledge base: FAQ and policy articles in zh and en."""
from __future__ import annotations

from typing import Any

import sqlite_utils

from core.store.jsoncols import decode
from core.store.rows import all_rows, first_row


class KnowledgeBase:
    """Read and write FAQ/policy articles, keyed by (id, lang)."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self._db = db

    def upsert(self, article: dict[str, Any]) -> None:
        """Create or update one article in one language."""
        self._db["kb_articles"].upsert(article, pk=("id", "lang"))

    def remove(self, article_id: str) -> list[dict[str, Any]]:
        """Delete an article in every language; the rows it had (empty when there was none)."""
        rows = [decode(r, "tags") for r in all_rows(self._db, "select * from kb_articles where id = ?", [article_id])]
        self._db.execute("delete from kb_articles where id = ?", [article_id])
        return rows

    def articles(self, lang: str | None = None) -> list[dict[str, Any]]:
        """Every article, optionally in one language."""
        where, args = ("where lang = ?", [lang]) if lang else ("", [])
        return [decode(r, "tags") for r in all_rows(self._db, f"select * from kb_articles {where} order by id", args)]

    def article(self, article_id: str, lang: str) -> dict[str, Any] | None:
        """One article in one language, or None."""
        return decode(first_row(self._db, "select * from kb_articles where id = ? and lang = ?", [article_id, lang]),
                      "tags")

    def by_topic(self, topic: str, lang: str) -> list[dict[str, Any]]:
        """The articles on one topic (e.g. "returns") in one language."""
        rows = self._db["kb_articles"].rows_where("topic = ? and lang = ?", [topic, lang], order_by="id")
        return [decode(r, "tags") for r in rows]
