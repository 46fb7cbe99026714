"""BM25 ranking over the stored postings, summed in memory.

The search index stores one posting per (term, passage) carrying its whole BM25 weight
(`WebQueries.refresh_index`), so ranking a query is a sum of the postings of its terms. Summing
them inside DuckDB costs a hash aggregate per query (about 20 ms for a query with a common
word at 10k articles, far more with twenty clients at once); a common word's postings fetched
once and summed with numpy cost a few milliseconds. This module holds the two pieces that need no SQL:
the cache of postings, bounded by how many it holds, and the ranking itself.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from ..cache import BoundedCache

Postings = tuple[np.ndarray, np.ndarray]  # (passage ids, BM25 weights), one term's, any order

DEFAULT_BUDGET = 4_000_000  # postings held (16 bytes each: about 64 MB)


class PostingCache(BoundedCache[Postings]):
    """The postings of recently searched terms, least recently used dropped first once more
    than `budget` postings are held; a term's postings asked for by many requests at once are
    read once. Keys must name the index build they were read from (`search_bm25` puts the
    build's `search_build` token in the key), so a rebuilt index is never served stale postings."""

    def __init__(self, budget: int = DEFAULT_BUDGET) -> None:
        super().__init__(budget, weigh=lambda postings: len(postings[0]))


def top_passages(postings: Sequence[Postings], limit: int) -> list[tuple[int, float]]:
    """(passage id, score) of the `limit` highest sums of `postings`, best first; equal scores
    in passage-id order, as the SQL ranking orders them."""
    parts = [p for p in postings if len(p[0])]
    if not parts or limit <= 0:
        return []
    pids = np.concatenate([p[0] for p in parts]).astype(np.int64, copy=False)
    weights = np.concatenate([p[1] for p in parts]).astype(np.float64, copy=False)
    if pids.min() < 0:
        raise ValueError("passage ids must be >= 0")
    # passage ids are dense (0..n-1), so a dense sum is one pass; a query whose postings are
    # few next to the largest id sums only the ids it touches
    if int(pids.max()) <= 16 * len(pids) + 4096:
        scores = np.bincount(pids, weights)
        ids = None  # the position is the passage id
    else:
        ids, inverse = np.unique(pids, return_inverse=True)
        scores = np.bincount(inverse, weights)
    # BM25 weights are > 0, so a passage no term touched scores 0 and is never a hit: the cut
    # is taken among the touched passages only (a partition of the dense array costs more than
    # the sum); ties at the cut are all kept, then ordered by id
    touched = np.flatnonzero(scores)
    values = scores[touched]
    if len(values) > limit:
        cut = np.partition(values, len(values) - limit)[len(values) - limit]
        keep = values >= cut
        touched, values = touched[keep], values[keep]
    ids = touched if ids is None else ids[touched]
    order = np.lexsort((ids, -values))[:limit]
    return [(int(ids[i]), float(values[i])) for i in order]
