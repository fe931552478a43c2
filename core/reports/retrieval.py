"""The report's knowledge gaps: questions the bot could not answer, and questions it answered from the
knowledge base with a low retrieval score — each grouped by its normalised text, for an owner to write
(or improve) the FAQ article. Defined in docs/CONSOLE.md "Reports"."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import sqlite_utils

MAX_GROUPS = 20
"""How many groups of questions a report lists, of each kind."""

LOW_SCORE = 0.4
"""An answer quoted with a retrieval score below this is a *low-score* answer (answers need at least
``KEFU_KB_MIN_SCORE``, 0.2 by default). Chosen with ``kefu eval retrieval`` on the demo knowledge base
(docs/CONSOLE.md "Low retrieval scores"): on the NLU's held-out questions, 91 of 115 answers that quoted
an article on another topic than the question's scored below 0.4, and 54 of 216 answers on the right topic."""


@dataclass(frozen=True)
class LowScored:
    """One group of questions answered with a low score: how many, the article quoted most often for
    them, and the lowest score among them."""

    count: int
    article: str
    lowest: float


def normalised(text: str) -> str:
    """A question's grouping key: case-folded, punctuation dropped, spaces collapsed."""
    return " ".join("".join(ch if ch.isalnum() or ch.isspace() else " " for ch in text.casefold()).split())


def _top(groups: Counter[str]) -> list[str]:
    """The keys, most frequent first (then alphabetical), at most :data:`MAX_GROUPS`."""
    return [key for key, _ in sorted(groups.items(), key=lambda item: (-item[1], item[0]))[:MAX_GROUPS]]


def unanswered(db: sqlite_utils.Database, ids: list[str]) -> dict[str, int]:
    """The inbound messages of the conversations ``ids`` the bot did not answer: not understood
    (``messages.understood = 0``) or a knowledge-base search that found no article above the threshold
    (``kb_score`` recorded, ``kb_article`` NULL: "not sure, shall I get a colleague?"), grouped."""
    marks = ", ".join("?" * len(ids))
    texts = db.execute(f"select text from messages where direction = 'in' and conversation_id in ({marks}) "
                       "and (understood = 0 or (kb_score is not null and kb_article is null))", ids).fetchall() \
        if ids else []
    groups = Counter(key for (text,) in texts if (key := normalised(text or "")))
    return {key: groups[key] for key in _top(groups)}


def low_scored(db: sqlite_utils.Database, ids: list[str], below: float = LOW_SCORE) -> dict[str, LowScored]:
    """The inbound messages of the conversations ``ids`` answered with an article whose score was
    under ``below``, grouped by normalised text."""
    marks = ", ".join("?" * len(ids))
    rows = db.execute(f"select text, kb_article, kb_score from messages where direction = 'in' "
                      f"and conversation_id in ({marks}) and kb_article is not null and kb_score < ?",
                      [*ids, below]).fetchall() if ids else []
    counts: Counter[str] = Counter()
    articles: dict[str, Counter[str]] = {}
    lowest: dict[str, float] = {}
    for text, article, score in rows:
        if key := normalised(text or ""):
            counts[key] += 1
            articles.setdefault(key, Counter())[article] += 1
            lowest[key] = min(score, lowest.get(key, score))
    return {key: LowScored(counts[key], articles[key].most_common(1)[0][0], round(lowest[key], 3))
            for key in _top(counts)}
