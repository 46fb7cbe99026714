"""Copy detection: which articles copy which, how, and which one is the original.

The stage in three parts, in the order a run uses them:

- `signature`: the per-article map step (normalised body hash, shingle MinHash, anchors);
- `candidates`: candidate pairs from hash buckets, never all pairs;
- `detect`: each candidate confirmed on the texts, given a kind and a direction
  (`find_copies`), and one link kept per family of originals (`closest_originals`);

with `align` holding the anchors, alignments and evidence passages they compare texts by.
"""

from .detect import closest_originals, find_copies
from .signature import ArticleSignature, signature

__all__ = ["ArticleSignature", "closest_originals", "find_copies", "signature"]
