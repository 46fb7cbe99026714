"""A short extractive summary in which every sentence cites the articles carrying its claim.

Claims are ranked by how many independent sources carry them, and picked by maximal marginal
relevance so that the summary covers different claims instead of repeating the top one.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from ..records import Claim, SummarySentence
from .units import Embed, words

DIVERSITY = 0.35  # weight of novelty against importance in MMR
MAX_WORDS = 60


def summarise(claims: Sequence[Claim], embed: Embed, size: int = 5) -> list[SummarySentence]:
    candidates = [c for c in claims if 6 <= len(words(c.text)) <= MAX_WORDS]
    if not candidates or size <= 0:
        return []
    vectors = embed([c.text for c in candidates])
    centre = vectors.mean(axis=0)
    centrality = vectors @ centre / max(float(np.linalg.norm(centre)), 1e-9)
    support = np.array([c.sources + 0.25 * len(c.article_ids) for c in candidates], dtype=float)
    importance = support / support.max() + 0.5 * centrality
    chosen: list[int] = []
    while len(chosen) < min(size, len(candidates)):
        best, best_score = None, -np.inf
        for i in range(len(candidates)):
            if i in chosen:
                continue
            redundancy = max((float(vectors[i] @ vectors[j]) for j in chosen), default=0.0)
            score = (1 - DIVERSITY) * importance[i] - DIVERSITY * redundancy
            if score > best_score:
                best, best_score = i, score
        chosen.append(best)
    return [SummarySentence(text=candidates[i].text, article_ids=list(candidates[i].article_ids),
                            status=candidates[i].status) for i in chosen]
