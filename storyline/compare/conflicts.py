"""Conflicts: one quantity given different values, or one claim told with opposite polarity.

Figures are compared only when they count the same thing AND sit in sentences about the same
thing (two "people" figures, one for the dead and one for the evacuated, are not a conflict).
Values from one source at different dates are flagged as a likely update, not a contradiction.
"""

from __future__ import annotations

from typing import Sequence

from ..records import Article, Claim, Conflict, ConflictValue, Figure
from .units import Embed, negations

CONTEXT_SIMILARITY = 0.45  # sentences around two figures must be at least this close


def _key(figure: Figure) -> tuple[str, str] | None:
    if not figure.counts:
        return None
    noun = figure.counts.lower().strip()
    if noun.endswith("ies"):
        noun = noun[:-3] + "y"
    elif noun.endswith("s") and not noun.endswith("ss"):
        noun = noun[:-1]
    return noun, (figure.unit or "")


def _interval(value) -> tuple[float, float]:
    if isinstance(value, (list, tuple)):
        return float(value[0]), float(value[1])
    return float(value), float(value)


def _context(figure: Figure, text: str) -> str:
    left = max(text.rfind(". ", 0, figure.start), text.rfind("\n", 0, figure.start)) + 1
    right = min((i for i in (text.find(". ", figure.end), text.find("\n", figure.end)) if i != -1), default=len(text))
    return text[left : right + 1].strip()


def figure_conflicts(figures: Sequence[Figure], articles: dict[str, Article], embed: Embed) -> list[Conflict]:
    by_key: dict[tuple[str, str], list[Figure]] = {}
    for f in figures:
        key = _key(f)
        if key and f.article_id in articles:
            by_key.setdefault(key, []).append(f)
    conflicts = []
    for (noun, unit), group in sorted(by_key.items()):
        if len({f.article_id for f in group}) < 2:
            continue
        contexts = [_context(f, articles[f.article_id].text) for f in group]
        vectors = embed(contexts)
        sim = vectors @ vectors.T
        used: set[int] = set()
        for i in range(len(group)):
            if i in used:
                continue
            members = [i] + [j for j in range(i + 1, len(group)) if j not in used
                             and group[j].article_id != group[i].article_id and sim[i, j] >= CONTEXT_SIMILARITY]
            values = {_interval(group[m].value) for m in members}
            if len({group[m].article_id for m in members}) < 2 or len(values) < 2 or _overlap(values):
                continue
            used.update(members)
            conflicts.append(_conflict(f"{noun}s" if not unit else f"{noun} ({unit})", [group[m] for m in members], articles))
    return conflicts


def _overlap(values: set[tuple[float, float]]) -> bool:
    """All values compatible: every pair of intervals intersects (a range and a value inside it)."""
    vals = sorted(values)
    return all(a[1] >= b[0] and b[1] >= a[0] for k, a in enumerate(vals) for b in vals[k + 1 :])


def _conflict(about: str, figures: Sequence[Figure], articles: dict[str, Article]) -> Conflict:
    values = [ConflictValue(value=list(f.value) if isinstance(f.value, (list, tuple)) else f.value, text=f.text,
                            article_id=f.article_id, attributed_to=f.attributed_to,
                            date=articles[f.article_id].published) for f in figures]
    values.sort(key=lambda v: (v.date or "", v.article_id))
    givers = {(v.attributed_to or "").lower() for v in values}
    dates = {v.date for v in values}
    update = len(givers) == 1 and "" not in givers and len(dates) > 1
    return Conflict(about=about, values=values, kind="figure", update=update)


def statement_conflicts(claims: Sequence[Claim], articles: dict[str, Article]) -> list[Conflict]:
    """Claims whose variants disagree (negation or numbers) become conflicts of kind 'statement'."""
    out = []
    for claim in claims:
        if claim.status != "conflicting":
            continue
        values = [ConflictValue(value="negated" if negations(v.text) % 2 else "affirmed", text=v.text,
                                article_id=v.article_id, attributed_to=v.attributed_to,
                                date=articles[v.article_id].published if v.article_id in articles else None)
                  for v in claim.variants]
        out.append(Conflict(about=claim.text, values=values, kind="statement"))
    return out
