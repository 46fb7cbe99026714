"""A short extractive summary in which every sentence cites the articles carrying its claim.

Claims are ranked by how many independent sources carry them and how central they are to the
story, then picked by maximal marginal relevance so that the summary covers different claims
instead of repeating the top one. Each summary sentence cites exactly the articles whose
variants were verified as that claim, with their offsets. Sentences that cannot stand alone
are left out: attribution with no content ("Lavrov explained in his remarks, which are posted
to the ministry website."), two sentences glued across a lost space ("...in UkraineBut..."),
and lists of headlines.
"""

from __future__ import annotations

import re
from typing import Sequence

import numpy as np

from ..records import Citation, Claim, SummarySentence
from .units import Embed, words

DIVERSITY = 0.35  # weight of novelty against importance in MMR
NEAR_REPEAT = 0.85  # cosine above which a candidate repeats a chosen sentence
MIN_WORDS, MAX_WORDS = 6, 60
MIN_CONTENT_WORDS = 4

_GLUED = re.compile(r"[a-z]{3,}[A-Z][a-z]{2,}")  # "UkraineBut", not "McDonald" or "iPhone"
_LIST_MARKS = re.compile(r"\s[|•·]\s|\s[-–—]\s.*\s[-–—]\s")
_ATTRIBUTION = frozenset({
    "said", "says", "say", "told", "tells", "added", "adds", "explained", "explains", "stated", "states",
    "noted", "notes", "remarked", "remarks", "statement", "statements", "according", "comments", "commented",
    "interview", "posted", "published", "website", "site", "briefing", "press", "conference", "speech",
    "spoke", "speaking", "asked", "wrote", "writes", "quoted", "cited", "reported", "reports", "news", "agency",
})
_FUNCTION = frozenset({
    "the", "a", "an", "of", "to", "in", "on", "at", "for", "by", "with", "from", "and", "or", "but", "as", "is",
    "are", "was", "were", "be", "been", "his", "her", "its", "their", "he", "she", "it", "they", "this", "that",
    "which", "who", "these", "those", "there", "here", "also", "has", "have", "had", "will", "would", "about",
})


def stands_alone(text: str) -> bool:
    """A sentence a reader can take as a finding of the story on its own."""
    n = len(words(text))
    if not MIN_WORDS <= n <= MAX_WORDS or _GLUED.search(text) or _LIST_MARKS.search(text):
        return False
    content = [w for w in words(text) if w.lower() not in _FUNCTION and w.lower() not in _ATTRIBUTION
               and not w[0].isupper()]
    return len(content) >= MIN_CONTENT_WORDS


def summarise(claims: Sequence[Claim], embed: Embed, size: int = 5) -> list[SummarySentence]:
    candidates = [c for c in claims if stands_alone(c.text)]
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
            if redundancy >= NEAR_REPEAT:
                continue
            score = (1 - DIVERSITY) * importance[i] - DIVERSITY * redundancy
            if score > best_score:
                best, best_score = i, score
        if best is None:
            break
        chosen.append(best)
    return [_sentence(candidates[i]) for i in chosen]


def _sentence(claim: Claim) -> SummarySentence:
    return SummarySentence(
        text=claim.text, article_ids=list(claim.article_ids), status=claim.status, claim_id=claim.id,
        citations=[Citation(v.article_id, v.start, v.end) for v in claim.variants])
