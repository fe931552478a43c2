"""Lexical retrieval: BM25 over jieba words (Chinese) and lower-cased words (English)."""
from __future__ import annotations

import logging
import re

import jieba
import numpy as np
from rank_bm25 import BM25Okapi
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

jieba.setLogLevel(logging.WARNING)
_RUNS = re.compile(r"[a-z0-9]+|[\u3400-\u9fff]+")
_HAN = re.compile(r"[\u3400-\u9fff]")
# Function words that say nothing about which article answers a question.
_ZH_STOP = frozenset("的 了 吗 呢 吧 啊 呀 我 你 您 他 她 们 我们 你们 是 在 有 和 与 就 都 也 还 要 会 能 可以 "
                     "怎么 怎样 什么 多少 哪些 如何 请问 一下 这个 那个 这 那".split())


def tokenize(text: str) -> list[str]:
    """The words of ``text``: jieba's search-mode words for Chinese runs, lower-cased words otherwise,
    without stop words."""
    words = []
    for run in _RUNS.findall(text.lower()):
        if _HAN.match(run):
            words += [w for w in jieba.lcut_for_search(run) if w not in _ZH_STOP]
        elif run not in ENGLISH_STOP_WORDS:
            words.append(run)
    return words


class LexicalIndex:
    """BM25 (Okapi) over a fixed list of documents, with scores scaled to [0, 1]."""

    def __init__(self, documents: list[str]) -> None:
        self._bm25 = BM25Okapi([tokenize(d) or [""] for d in documents])
        self._max_idf = max(self._bm25.idf.values(), default=1.0)

    def scores(self, query: str) -> np.ndarray:
        """Each document's BM25 score divided by the score of a document holding every query word
        once (the sum of their IDFs; a word no document has counts at the highest IDF), so a question
        whose words the articles lack scores near 0 and one they all cover near 1."""
        words = tokenize(query)
        ceiling = sum(self._bm25.idf.get(w, self._max_idf) for w in words)
        if not words or ceiling <= 0:
            return np.zeros(self._bm25.corpus_size)
        return np.clip(self._bm25.get_scores(words) / ceiling, 0.0, 1.0)
