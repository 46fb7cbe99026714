"""Source profiles: how much of an article is attributed, whom it quotes, what only it says."""

from __future__ import annotations

from collections import Counter
from typing import Sequence

from ..records import Article, Claim, Copy, Figure, Quote, SourceProfile


def profiles(
    articles: Sequence[Article],
    claims: Sequence[Claim],
    quotes: Sequence[Quote],
    figures: Sequence[Figure],
    copies: Sequence[Copy],
    statements: dict[str, int],
) -> list[SourceProfile]:
    out = []
    for a in articles:
        own_quotes = [q for q in quotes if q.article_id == a.id]
        speakers = Counter(q.speaker for q in own_quotes if q.speaker)
        attributed_figures = sum(1 for f in figures if f.article_id == a.id and f.attributed_to)
        out.append(SourceProfile(
            article_id=a.id,
            source=a.source,
            statements=statements.get(a.id, 0),
            attributed=len(own_quotes) + attributed_figures,
            quotes=len(own_quotes),
            speakers=dict(speakers.most_common()),
            unique_claims=[c.id for c in claims if c.article_ids == [a.id] and c.status == "single-source"],
            copy_of=sorted({c.of_article_id for c in copies if c.article_id == a.id}),
            copied_by=sorted({c.article_id for c in copies if c.of_article_id == a.id}),
        ))
    return out
