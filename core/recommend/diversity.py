"""Keeping a list diverse: a cap per category and no near-duplicates (same product in another
colour or pack size), judged by content similarity."""
from __future__ import annotations

import math
from collections import Counter

import numpy as np
import scipy.sparse as sp

NEAR_DUPLICATE = 0.85  # content cosine at or above which two products count as the same thing
CATEGORY_SHARE = 0.5  # at most this share of a list (and at least two) from one category


class DiversityGuard:
    """Says whether one more product keeps the list diverse, and remembers the ones taken."""

    def __init__(self, category: np.ndarray, content: sp.csr_matrix, k: int, one_category: bool) -> None:
        self._category = category
        self._content = content
        self._cap = k if one_category else max(2, math.ceil(k * CATEGORY_SHARE))
        self._per_category: Counter[int] = Counter()
        self._duplicates: set[int] = set()

    def admits(self, row: int) -> bool:
        """True when ``row`` is neither over its category's cap nor a near-duplicate of a pick."""
        return self._per_category[int(self._category[row])] < self._cap and row not in self._duplicates

    def take(self, row: int) -> None:
        """Record ``row`` as picked."""
        self._per_category[int(self._category[row])] += 1
        start, end = self._content.indptr[row], self._content.indptr[row + 1]
        close = self._content.data[start:end] >= NEAR_DUPLICATE
        self._duplicates.update(int(r) for r in self._content.indices[start:end][close])
