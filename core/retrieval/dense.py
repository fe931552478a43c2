"""Dense retrieval: vectors of the packaged multilingual-e5-small encoder (:mod:`core.nlu.encoder`), article
vectors cached in the database by content hash, recent question vectors in memory."""
from __future__ import annotations

import hashlib
from collections import OrderedDict

import numpy as np
import sqlite_utils


class QuestionVectors:
    """The vectors of the most recent distinct questions (least recently used dropped first): the
    same question asked again — "what is your return policy" — is not encoded again."""

    def __init__(self, size: int = 4096) -> None:
        self._size = size
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()

    def get(self, question: str) -> np.ndarray | None:
        """The remembered vector of exactly this question, or None."""
        vector = self._vectors.get(question)
        if vector is not None:
            self._vectors.move_to_end(question)
        return vector

    def put(self, question: str, vector: np.ndarray) -> None:
        """Remember ``vector`` for ``question``, forgetting the least recently used beyond the size."""
        self._vectors[question] = vector
        self._vectors.move_to_end(question)
        while len(self._vectors) > self._size:
            self._vectors.popitem(last=False)


def content_hash(text: str) -> str:
    """The key an embedded text is cached under."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class EmbeddingCache:
    """Document vectors by (encoder, content hash) in the ``kb_embeddings`` table."""

    def __init__(self, db: sqlite_utils.Database, model: str) -> None:
        self._db = db
        self._model = model

    def get(self, hashes: list[str]) -> dict[str, np.ndarray]:
        """The cached vectors among ``hashes``."""
        found = {}
        for start in range(0, len(hashes), 500):  # SQLite's limit on bound parameters
            chunk = hashes[start:start + 500]
            rows = self._db.execute(
                f"select hash, vector from kb_embeddings where model = ? and hash in ({','.join('?' * len(chunk))})",
                [self._model, *chunk]).fetchall()
            found.update({h: np.frombuffer(v, dtype=np.float32) for h, v in rows})
        return found

    def put(self, vectors: dict[str, np.ndarray]) -> None:
        """Remember vectors by content hash."""
        self._db["kb_embeddings"].upsert_all(
            [{"model": self._model, "hash": h, "vector": v.astype(np.float32).tobytes()} for h, v in vectors.items()],
            pk=("model", "hash"))
