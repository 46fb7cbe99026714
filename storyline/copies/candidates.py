"""Candidate pairs for copy detection without comparing all pairs of articles.

Candidates come from hash buckets only: MinHash LSH bands over word shingles, and an index of
ordered anchor pairs (names, numbers, dates) with a capped document frequency. The buckets are
sorted numpy arrays (8 bytes a posting), the "group by key" a Ray pipeline runs.
"""

from __future__ import annotations

from typing import Iterable, Iterator, Sequence

import numpy as np
from datasketch import MinHashLSH

from .signature import ArticleSignature

LSH_THRESHOLD = 0.4  # low enough that MinHash noise does not lose pairs at NEAR_DUPLICATE
NEIGHBOURS = 64  # an LSH bucket larger than this pairs each article with its next 64 only
ANCHOR_DF_CAP = 32  # anchor pairs in more articles than this belong to a story, not to a copy
ANCHOR_MIN_SHARED = 3
ANCHOR_MIN_SHARE = 0.15  # shared anchor pairs over the smaller article's anchor pairs
MIN_WORDS = 20
Pairs = set[tuple[int, int]]


def lsh_pairs(sigs: Sequence[ArticleSignature], first_new: int, representative: Sequence[bool]) -> Pairs:
    """Pairs whose shingle MinHashes agree on a whole LSH band (likely Jaccard >= LSH_THRESHOLD).

    datasketch's MinHashLSH picks bands and rows; the buckets are a sorted numpy array, not its
    dict of byte strings (~10 kB an article), and are the "group by band key" a Ray pipeline runs.
    In a bucket of more than NEIGHBOURS articles each is paired with its next NEIGHBOURS only."""
    sketched = [i for i, s in enumerate(sigs) if s.minhash is not None and representative[i] and s.words >= MIN_WORDS]
    if len(sketched) < 2:
        return set()
    values = np.stack([sigs[i].minhash.hashvalues for i in sketched]).astype(np.uint64)
    params = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=values.shape[1])
    keys = []
    for band, (begin, end) in enumerate(params.hashranges):
        key = np.full(len(sketched), band, dtype=np.uint64)
        for column in range(begin, end):
            key = key * np.uint64(0x100000001B3) + values[:, column] * np.uint64(0x9E3779B97F4A7C15)
        keys.append(key)
    docs, starts, sizes = buckets(keys, [np.array(sketched, dtype=np.uint64)] * len(keys), len(sigs))
    del values, keys
    pairs: Pairs = set()
    for lo, hi in bucket_pairs(docs, starts, sizes, NEIGHBOURS, first_new):
        pairs.update(zip(lo.tolist(), hi.tolist()))
    for start, size in zip(starts[sizes > NEIGHBOURS].tolist(), sizes[sizes > NEIGHBOURS].tolist()):
        members = np.sort(docs[start:start + size])
        for step in range(1, NEIGHBOURS + 1):
            lo, hi = members[:-step], members[step:]
            pairs.update(zip(lo[hi >= first_new].tolist(), hi[hi >= first_new].tolist()))
    return pairs


def anchor_pairs(sigs: Sequence[ArticleSignature], first_new: int, representative: Sequence[bool]) -> Pairs:
    """Pairs sharing enough anchor grams that fewer than ANCHOR_DF_CAP articles contain."""
    total = len(sigs)
    chosen = [i for i in range(total) if representative[i]]
    keys = (anchor_grams(sigs[i].anchors, sigs[i].numeric) for i in chosen)
    docs, starts, sizes = buckets(keys, (np.uint64(i) for i in chosen), total)
    if not len(docs):
        return set()
    kept = np.bincount(docs[np.repeat(sizes <= ANCHOR_DF_CAP, sizes)], minlength=total)
    pair_keys, pair_counts = [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.int64)]
    for lo, hi in bucket_pairs(docs, starts, sizes, ANCHOR_DF_CAP, first_new):
        found, counts = np.unique(lo * total + hi, return_counts=True)
        pair_keys.append(found)
        pair_counts.append(counts)
    keys_, where = np.unique(np.concatenate(pair_keys), return_inverse=True)
    counts = np.bincount(where, weights=np.concatenate(pair_counts), minlength=len(keys_))
    lo, hi = keys_ // total, keys_ % total
    good = (counts >= ANCHOR_MIN_SHARED) & (counts >= ANCHOR_MIN_SHARE * np.minimum(kept[lo], kept[hi]))
    return set(zip(lo[good].tolist(), hi[good].tolist()))


def anchor_grams(anchors: np.ndarray, numeric: np.ndarray) -> np.ndarray:
    """Ordered anchor pairs up to two apart: they survive spinning, translation and a name
    inserted between two others, yet two different articles rarely share many of them.

    Pairs of numbers and dates alone are added because some languages capitalise every noun
    (German), which scatters extra "names" between the real ones; figures are never inflated."""
    grams = []
    for values, salt in ((anchors, 0), (anchors[numeric], 0x5851F42D4C957F2D)):
        values = values.astype(np.uint64)
        grams += [values[:-k] * np.uint64(0x9E3779B97F4A7C15) + values[k:] * np.uint64(0xC2B2AE3D27D4EB4F)
                  + np.uint64(salt) for k in (1, 2) if len(values) > k]
    return np.unique(np.concatenate(grams)) if grams else np.zeros(0, dtype=np.uint64)


def buckets(keys: Iterable[np.ndarray], owners: Iterable, total: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Group article numbers by key: one uint64 per posting (the key's high bits above the
    article number), sorted in place, so the index costs 8 bytes a posting."""
    bits = max(1, (total - 1).bit_length())
    mask = np.uint64((1 << bits) - 1)
    postings = np.concatenate([(k & ~mask) | o for k, o in zip(keys, owners)] or [np.zeros(0, np.uint64)])
    postings.sort()
    grams = postings >> np.uint64(bits)
    starts = np.flatnonzero(np.r_[True, grams[1:] != grams[:-1]]) if len(grams) else np.zeros(0, np.int64)
    del grams
    docs = (postings & mask).astype(np.int64)
    return docs, starts, np.diff(np.r_[starts, len(docs)]).astype(np.int64)


def bucket_pairs(docs: np.ndarray, starts: np.ndarray, sizes: np.ndarray, largest: int,
                 first_new: int) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """(low, high) article numbers of every pair inside buckets of 2..largest articles, one
    array pair per bucket size, keeping only pairs that involve a new article."""
    for size in range(2, largest + 1):
        run_starts = starts[sizes == size]
        if not len(run_starts):
            continue
        members = docs[run_starts[:, None] + np.arange(size)]
        left, right = np.triu_indices(size, 1)
        lo = np.minimum(members[:, left], members[:, right]).ravel()
        hi = np.maximum(members[:, left], members[:, right]).ravel()
        keep = (hi >= first_new) & (lo < hi)  # two keys of one article may collide once masked
        yield lo[keep], hi[keep]
