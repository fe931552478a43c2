"""Small sparse-matrix helpers shared by the index builders."""
from __future__ import annotations

import numpy as np
import scipy.sparse as sp


def top_k_per_row(matrix: sp.csr_matrix, k: int) -> sp.csr_matrix:
    """Keep each row's ``k`` largest entries (float32 CSR, same shape)."""
    matrix = matrix.tocsr()
    matrix.eliminate_zeros()
    rows = np.repeat(np.arange(matrix.shape[0], dtype=np.int32), np.diff(matrix.indptr))
    order = np.lexsort((-matrix.data, rows))
    rank = np.arange(len(order)) - matrix.indptr[rows[order]]
    keep = order[rank < k]
    return sp.csr_matrix((matrix.data[keep].astype(np.float32), (rows[keep], matrix.indices[keep])),
                         shape=matrix.shape)


def nbytes(matrix: sp.csr_matrix) -> int:
    """Memory held by a CSR matrix's arrays."""
    return matrix.data.nbytes + matrix.indices.nbytes + matrix.indptr.nbytes


def gather_rows(matrix: sp.csr_matrix, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The stored entries of ``rows`` as (position in ``rows``, column, value) arrays, without
    scipy's indexing overhead (a request reads a few dozen rows)."""
    starts, ends = matrix.indptr[rows], matrix.indptr[rows + 1]
    lengths = ends - starts
    if lengths.sum() == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0, dtype=np.float32)
    offsets = np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(lengths.sum())
    return np.repeat(np.arange(len(rows)), lengths), matrix.indices[offsets], matrix.data[offsets]
