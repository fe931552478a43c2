"""Content similarity: TF-IDF over category, brand, tags, option values and zh/en title text,
compared within each category; each product keeps its nearest neighbours."""
from __future__ import annotations

from collections.abc import Callable

import numpy as np
import scipy.sparse as sp

from core.recommend.snapshot import CatalogArrays
from core.recommend.sparse import top_k_per_row

# How much each kind of token counts, by its prefix (c: category, b: brand, t: tag, o: option
# value, w: English title word, z: Chinese title character pair).
TOKEN_WEIGHTS = {"c": 0.5, "b": 0.8, "t": 1.0, "o": 0.4, "w": 1.0, "z": 1.0}
_BLOCK_ROWS = 2048


def tfidf_matrix(tokens: list[list[str]]) -> sp.csr_matrix:
    """Rows of L2-normalised, weighted TF-IDF vectors, one per product."""
    vocabulary: dict[str, int] = {}
    indptr, indices = [0], []
    for product_tokens in tokens:
        for token in set(product_tokens):
            indices.append(vocabulary.setdefault(token, len(vocabulary)))
        indptr.append(len(indices))
    columns = np.array(indices, dtype=np.int32)
    matrix = sp.csr_matrix((np.ones(len(columns), dtype=np.float32), columns, np.array(indptr)),
                           shape=(len(tokens), max(len(vocabulary), 1)))
    document_frequency = np.bincount(columns, minlength=matrix.shape[1])
    kind_weight = np.array([TOKEN_WEIGHTS.get(token[0], 1.0) for token in vocabulary], dtype=np.float32)
    idf = (np.log((1 + len(tokens)) / (1 + document_frequency)) + 1).astype(np.float32)
    matrix = matrix @ sp.diags(idf * kind_weight if len(vocabulary) else idf)
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.csr_matrix(sp.diags(1.0 / norms) @ matrix, dtype=np.float32)


def content_neighbours(catalog: CatalogArrays, k: int = 20,
                       progress: Callable[[int], None] = lambda n: None) -> sp.csr_matrix:
    """N×N cosine similarities between products of the same category, top ``k`` per row, no diagonal.

    Comparing only within a category keeps the work linear in the catalogue size; links across
    categories come from co-purchase and co-view."""
    vectors = tfidf_matrix(catalog.tokens)
    n = catalog.size
    rows_out, cols_out, vals_out = [], [], []
    order = np.argsort(catalog.category, kind="stable")
    bounds = np.flatnonzero(np.diff(catalog.category[order])) + 1
    for members in np.split(order, bounds):
        if len(members) < 2:
            progress(len(members))
            continue
        block_vectors = vectors[members]
        for start in range(0, len(members), _BLOCK_ROWS):
            chunk = members[start:start + _BLOCK_ROWS]
            sims = (vectors[chunk] @ block_vectors.T).toarray()
            sims[np.arange(len(chunk)), np.arange(start, start + len(chunk))] = 0.0
            take = min(k, len(members) - 1)
            best = np.argpartition(-sims, take - 1, axis=1)[:, :take]
            values = np.take_along_axis(sims, best, axis=1)
            rows_out.append(np.repeat(chunk, take))
            cols_out.append(members[best].ravel())
            vals_out.append(values.ravel())
            progress(len(chunk))
    if not rows_out:
        return sp.csr_matrix((n, n), dtype=np.float32)
    matrix = sp.csr_matrix((np.concatenate(vals_out), (np.concatenate(rows_out), np.concatenate(cols_out))),
                           shape=(n, n), dtype=np.float32)
    return top_k_per_row(matrix, k)
