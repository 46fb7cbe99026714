"""Conflicts: one quantity given different values, or one claim told with opposite polarity.

Figures are compared only when they count the same thing AND sit in sentences about the same
thing (two "people" figures, one for the dead and one for the evacuated, are not a conflict).
Values that move one way as the days pass are flagged as a likely update, not a contradiction.
"""

from __future__ import annotations

from typing import Sequence

from ..records import Article, Claim, Conflict, ConflictValue, EntityMention, Event, Figure
from .units import Embed, negations, words

CONTEXT_SIMILARITY = 0.45  # sentences around two figures counting the same noun must be at least this close
UNNAMED_SIMILARITY = 0.6  # ... and when one figure names no noun ("15%")


def _head(figure: Figure) -> str | None:
    """The counted noun's head, singular: "displaced people" and "people" count the same thing."""
    if not figure.counts:
        return None
    noun = figure.counts.lower().split()[-1]
    if noun.endswith("ies"):
        noun = noun[:-3] + "y"
    elif noun.endswith("s") and not noun.endswith("ss"):
        noun = noun[:-1]
    return noun


def _interval(value) -> tuple[float, float]:
    if isinstance(value, (list, tuple)):
        return float(value[0]), float(value[1])
    return float(value), float(value)


def _context(figure: Figure, text: str) -> str:
    left = max(text.rfind(". ", 0, figure.start), text.rfind("\n", 0, figure.start)) + 1
    right = min((i for i in (text.find(". ", figure.end), text.find("\n", figure.end)) if i != -1), default=len(text))
    return text[left : right + 1].strip()


def figure_conflicts(figures: Sequence[Figure], articles: dict[str, Article], embed: Embed) -> list[Conflict]:
    """Figures of one quantity whose values cannot all be true, across at least two articles.

    Two figures can be of one quantity when their units agree and they count the same noun, or
    one of them names no noun ("15%"); their sentences must then be about the same thing, more
    strictly when a noun is missing.
    """
    group = [f for f in figures if f.article_id in articles]
    if len({f.article_id for f in group}) < 2:
        return []
    group.sort(key=lambda f: (articles[f.article_id].published or "", f.article_id, f.start))
    heads = [_head(f) for f in group]
    vectors = embed([_context(f, articles[f.article_id].text) for f in group])
    sim = vectors @ vectors.T
    conflicts = []
    used: set[int] = set()
    for i in range(len(group)):
        if i in used:
            continue
        members = [i]
        for j in range(i + 1, len(group)):
            if j in used or (group[j].unit or "") != (group[i].unit or ""):
                continue
            if heads[i] and heads[j]:
                close = heads[i] == heads[j] and sim[i, j] >= CONTEXT_SIMILARITY
            else:
                close = bool(heads[i] or heads[j] or group[i].unit) and sim[i, j] >= UNNAMED_SIMILARITY
            if close and all(group[m].article_id != group[j].article_id or _interval(group[m].value) == _interval(group[j].value)
                             for m in members):
                members.append(j)
        values = {_interval(group[m].value) for m in members}
        if len({group[m].article_id for m in members}) < 2 or len(values) < 2 or _overlap(values):
            continue
        used.update(members)
        counts = next((group[m].counts for m in members if group[m].counts), None)
        unit = group[i].unit
        about = (counts or "value") + (f" ({unit})" if unit else "")
        conflicts.append(_conflict(about, [group[m] for m in members], articles))
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
    return Conflict(about=about, values=values, kind="figure", update=_reads_as_update(values))


def _reads_as_update(values: Sequence[ConflictValue]) -> bool:
    """Values that change in one direction as the days pass read as a count being revised (a
    toll rising, an offer improving): every value dated, each date carrying one value, and the
    sequence of values in date order never turning back. Two values on one day, or a value
    that returns after another was given, is sources disagreeing."""
    if any(v.date is None for v in values):
        return False
    by_day: dict[str, set[tuple[float, float]]] = {}
    for v in values:
        by_day.setdefault(v.date, set()).add(_interval(v.value))
    if len(by_day) < 2 or any(len(found) > 1 for found in by_day.values()):
        return False
    steps = [next(iter(by_day[day])) for day in sorted(by_day)]
    seen = [steps[0]]
    for value in steps[1:]:
        if value != seen[-1]:
            if value in seen:
                return False  # a value given again after another: not a revision
            seen.append(value)
    if len(seen) < 2:
        return False
    rising = all(a[0] <= b[0] and a[1] <= b[1] for a, b in zip(seen, seen[1:]))
    falling = all(a[0] >= b[0] and a[1] >= b[1] for a, b in zip(seen, seen[1:]))
    return rising or falling


def statement_conflicts(claims: Sequence[Claim], articles: dict[str, Article]) -> list[Conflict]:
    """Conflicting claims whose variants differ in polarity become conflicts of kind 'statement'.

    Claims that conflict over numbers are already reported, value by value, as figure conflicts.
    """
    out = []
    for claim in claims:
        if claim.status != "conflicting" or len({negations(v.text) % 2 for v in claim.variants}) < 2:
            continue
        values = [ConflictValue(value="negated" if negations(v.text) % 2 else "affirmed", text=v.text,
                                article_id=v.article_id, attributed_to=v.attributed_to,
                                date=articles[v.article_id].published if v.article_id in articles else None)
                  for v in claim.variants]
        out.append(Conflict(about=claim.text, values=values, kind="statement"))
    return out


SAME_EVENT_WORDS = 0.5  # word overlap that makes two differently dated sentences one event


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


def date_conflicts(claims: Sequence[Claim], events: Sequence[Event], articles: dict[str, Article]) -> list[Conflict]:
    """One statement, different days: variants of a claim whose sentences resolve to different
    calendar days in different articles ("on Sunday" in one outlet, "on Saturday" in another).

    Only day-precision dates count (a month and a day inside it do not disagree), and an
    article whose variant carries several days is left out: it dates more than one thing."""
    by_article: dict[str, list[Event]] = {}
    for e in events:
        if e.precision == "day":
            by_article.setdefault(e.article_id, []).append(e)
    out = []
    for claim in claims:
        dated: dict[str, Event] = {}
        for v in claim.variants:
            inside = [e for e in by_article.get(v.article_id, ()) if e.start < v.end and v.start < e.end
                      and v.start <= e.start + e.text.find(e.expression) < v.end]
            days = {e.date for e in inside}
            if len(days) == 1 and v.article_id not in dated:
                dated[v.article_id] = inside[0]
        wording = {v.article_id: {w.lower() for w in words(v.text)} for v in claim.variants if v.article_id in dated}
        dated = {a: e for a, e in dated.items()
                 if any(_jaccard(wording[a], wording[b]) >= SAME_EVENT_WORDS for b in dated if b != a
                        and dated[b].date != e.date)}
        if len({e.date for e in dated.values()}) < 2:
            continue
        values = [ConflictValue(value=e.date, text=e.expression, article_id=a, date=articles[a].published)
                  for a, e in sorted(dated.items(), key=lambda item: (item[1].date, item[0]))]
        out.append(Conflict(about=f"date of: {claim.text}", values=values, kind="date"))
    return out


PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})


def place_conflicts(claims: Sequence[Claim], mentions: Sequence[EntityMention],
                    articles: dict[str, Article]) -> list[Conflict]:
    """One statement, different places: closely worded variants of a claim in different articles
    naming places that share nothing ("in Vellmar" in one outlet, "in Aldmoor" in another).

    Places are compared as canonical entities of the story's own mentions, so spelling and
    transliteration variants (Kiev/Kyiv) never disagree; a variant naming no place says nothing."""
    from ..extract.entities import EntityIndex, canonicalize

    places = [m for m in mentions if m.label in PLACE_LABELS]
    index = EntityIndex(canonicalize(places))
    by_article: dict[str, list[EntityMention]] = {}
    for m in places:
        by_article.setdefault(m.article_id, []).append(m)
    out = []
    for claim in claims:
        named: dict[str, tuple[frozenset[str], str, set[str]]] = {}
        for v in claim.variants:
            inside = [m for m in by_article.get(v.article_id, ()) if v.start <= m.start and m.end <= v.end]
            ids = frozenset(e.id for m in inside if (e := index.at(m.article_id, m.start, m.end)))
            if ids and v.article_id not in named:
                spoken = {w.lower() for w in words(v.text)} - {w.lower() for m in inside for w in words(m.text)}
                named[v.article_id] = (ids, ", ".join(dict.fromkeys(m.text for m in inside)), spoken)
        clashing = {a for a in named for b in named if a != b and not named[a][0] & named[b][0]
                    and _jaccard(named[a][2], named[b][2]) >= SAME_EVENT_WORDS}
        if len({named[a][0] for a in clashing}) < 2:
            continue
        values = [ConflictValue(value=named[a][1], text=named[a][1], article_id=a, date=articles[a].published)
                  for a in sorted(clashing)]
        out.append(Conflict(about=f"place of: {claim.text}", values=values, kind="place"))
    return out
