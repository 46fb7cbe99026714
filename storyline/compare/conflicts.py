"""Conflicts: what verified tellings of one claim state differently.

A conflict exists only inside a claim whose variants the same-claim model verified against
each other (claims.py): two sentences that merely share a topic never conflict. Within such a
claim, variants from independent sources can differ in a figure (figures of the same unit and
counted noun, values that cannot both hold), a day, a place or their polarity. Values that move
one way as the days pass read as an update; different values on the same days, or from two
named authorities at once (a union's count against the port's), are a disagreement.
"""

from __future__ import annotations

from typing import Sequence

from ..records import Article, Claim, Conflict, ConflictValue, EntityMention, Event, Figure, Variant
from .units import negations, words

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


def _inside(v: Variant, start: int, end: int) -> bool:
    return v.start <= start and end <= v.end


def _compatible(a: Figure, b: Figure) -> bool:
    """Two figures that can measure one quantity: same unit, and the same counted noun where both name one."""
    if (a.unit or "") != (b.unit or ""):
        return False
    ha, hb = _head(a), _head(b)
    return ha == hb if ha and hb else bool(ha or hb or a.unit)


def figure_conflicts(claims: Sequence[Claim], figures: Sequence[Figure], articles: dict[str, Article]) -> list[Conflict]:
    """Per claim whose variants differ in a figure: the compatible figures whose values cannot all hold."""
    by_article: dict[str, list[Figure]] = {}
    for f in figures:
        by_article.setdefault(f.article_id, []).append(f)
    out, seen = [], set()
    for claim in claims:
        if "figure" not in claim.differs_in:
            continue
        found = [f for v in claim.variants for f in by_article.get(v.article_id, ()) if _inside(v, f.start, f.end)]
        for f in found:
            members = [g for g in found if _compatible(f, g)]
            if len({g.article_id for g in members}) < 2:
                continue
            values = {_interval(g.value) for g in members}
            key = frozenset(g.id for g in members)
            if len(values) < 2 or _overlap(values) or key in seen:
                continue
            seen.add(key)
            counts = next((g.counts for g in members if g.counts), None)
            about = (counts or "value") + (f" ({f.unit})" if f.unit else "")
            out.append(_conflict(about, members, articles, claim.id))
    return out


def _overlap(values: set[tuple[float, float]]) -> bool:
    """All values compatible: every pair of intervals intersects (a range and a value inside it)."""
    vals = sorted(values)
    return all(a[1] >= b[0] and b[1] >= a[0] for k, a in enumerate(vals) for b in vals[k + 1 :])


def _conflict(about: str, figures: Sequence[Figure], articles: dict[str, Article], claim_id: str | None) -> Conflict:
    values = [ConflictValue(value=list(f.value) if isinstance(f.value, (list, tuple)) else f.value, text=f.text,
                            article_id=f.article_id, attributed_to=f.attributed_to,
                            date=articles[f.article_id].published, start=f.start, end=f.end) for f in figures]
    values.sort(key=lambda v: (v.date or "", v.article_id))
    return Conflict(about=about, values=values, kind="figure", update=_reads_as_update(values), claim_id=claim_id)


def _day(date: str):
    from datetime import date as calendar

    try:
        return calendar.fromisoformat(date[:10])
    except ValueError:
        return None


def _reads_as_update(values: Sequence[ConflictValue]) -> bool:
    """Values that change in one direction as the days pass read as a count being revised (a
    toll rising, an offer improving): every value dated, and the values in date order (an
    article's own values in its reading order) never turning back. Different values on one day
    from two articles, or from two named authorities within a day of each other (a union's count
    against the port's), or a value that returns after another was given, is sources disagreeing."""
    if any(v.date is None for v in values):
        return False
    for i, a in enumerate(values):
        for b in values[i + 1:]:
            if _interval(a.value) == _interval(b.value) or a.article_id == b.article_id:
                continue
            if a.date == b.date:
                return False
            da, db = _day(a.date), _day(b.date)
            named = a.attributed_to and b.attributed_to and a.attributed_to.lower() != b.attributed_to.lower()
            if named and da and db and abs((da - db).days) <= 1:
                return False
    steps = [_interval(v.value) for v in sorted(values, key=lambda v: (v.date, v.start or 0))]
    if len({v.date for v in values}) < 2:
        return False
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
    """Claims whose verified variants differ in polarity: conflicts of kind 'statement'."""
    out = []
    for claim in claims:
        if "negation" not in claim.differs_in or len({negations(v.text) % 2 for v in claim.variants}) < 2:
            continue
        values = [ConflictValue(value="negated" if negations(v.text) % 2 else "affirmed", text=v.text,
                                article_id=v.article_id, attributed_to=v.attributed_to,
                                date=articles[v.article_id].published if v.article_id in articles else None,
                                start=v.start, end=v.end)
                  for v in claim.variants]
        out.append(Conflict(about=claim.text, values=values, kind="statement", claim_id=claim.id))
    return out


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
        if claim.sources < 2 or len({e.date for e in dated.values()}) < 2:
            continue
        values = []
        for a, e in sorted(dated.items(), key=lambda item: (item[1].date, item[0])):
            at = e.start + max(0, e.text.find(e.expression))
            values.append(ConflictValue(value=e.date, text=e.expression, article_id=a, date=articles[a].published,
                                        start=at, end=at + len(e.expression)))
        out.append(Conflict(about=f"date of: {claim.text}", values=values, kind="date", claim_id=claim.id))
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
                named[v.article_id] = (ids, ", ".join(dict.fromkeys(m.text for m in inside)), inside[0], spoken)
        # a place is the locus of the claim only when the rest of the wording is close: verified
        # paraphrases often name different places in passing
        clashing = {a for a in named for b in named if a != b and not named[a][0] & named[b][0]
                    and _jaccard(named[a][3], named[b][3]) >= SAME_EVENT_WORDS}
        if claim.sources < 2 or len({named[a][0] for a in clashing}) < 2:
            continue
        values = [ConflictValue(value=named[a][1], text=named[a][1], article_id=a, date=articles[a].published,
                                start=named[a][2].start, end=named[a][2].end) for a in sorted(clashing)]
        out.append(Conflict(about=f"place of: {claim.text}", values=values, kind="place", claim_id=claim.id))
    return out


SAME_EVENT_WORDS = 0.5  # word overlap, places aside, that makes two variants one located event


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


QUANTITY_CONTEXT = 0.45  # cosine of the sentences around two figures that count the same noun


def quantity_conflicts(figures: Sequence[Figure], articles: dict[str, Article], embed) -> list[Conflict]:
    """Figures that name the same counted noun and unit, in sentences about the same thing, with
    values that cannot all hold ("100,000-120,000 soldiers" per NATO, "130,000 soldiers" per the US).

    Two outlets often give a count in sentences the same-claim model cannot pair (one says who
    massed them, the other who estimates them); the counted noun says they measure one quantity.
    Figures that name no noun are compared only inside verified claims (figure_conflicts)."""
    group = sorted((f for f in figures if f.article_id in articles and _head(f)),
                   key=lambda f: (articles[f.article_id].published or "", f.article_id, f.start))
    if len({f.article_id for f in group}) < 2:
        return []
    vectors = embed([_context(f, articles[f.article_id].text) for f in group])
    sim = vectors @ vectors.T
    out, used = [], set()
    for i, f in enumerate(group):
        if i in used:
            continue
        members = [i]
        for j in range(i + 1, len(group)):
            g = group[j]
            if j in used or (g.unit or "") != (f.unit or "") or _head(g) != _head(f) or sim[i, j] < QUANTITY_CONTEXT:
                continue
            if all(group[m].article_id != g.article_id or _interval(group[m].value) == _interval(g.value) for m in members):
                members.append(j)
        values = {_interval(group[m].value) for m in members}
        if len({group[m].article_id for m in members}) < 2 or len(values) < 2 or _overlap(values):
            continue
        used.update(members)
        about = (f.counts or "value") + (f" ({f.unit})" if f.unit else "")
        out.append(_conflict(about, [group[m] for m in members], articles, None))
    return out


def claim_conflicts(claims: Sequence[Claim], figures: Sequence[Figure], events: Sequence[Event],
                    mentions: Sequence[EntityMention], articles: dict[str, Article], embed) -> list[Conflict]:
    """Every conflict of a story; those found inside a verified claim name it."""
    in_claims = figure_conflicts(claims, figures, articles)
    seen = {frozenset((v.article_id, v.start) for v in c.values) for c in in_claims}
    quantities = [c for c in quantity_conflicts(figures, articles, embed)
                  if frozenset((v.article_id, v.start) for v in c.values) not in seen]
    return (in_claims + quantities + statement_conflicts(claims, articles)
            + date_conflicts(claims, events, articles) + place_conflicts(claims, mentions, articles))


def settle_status(claims: Sequence[Claim], conflicts: Sequence[Conflict], independence: dict[str, str]) -> None:
    """A claim is conflicting when one of its conflicts sets independent sources against each other;
    a differing detail that the extracts do not confirm (a "100 000" read as two numbers, "yesterday"
    that is the same Sunday) leaves it corroborated."""
    against: dict[str, set[str]] = {}
    for c in conflicts:
        if c.claim_id:
            against.setdefault(c.claim_id, set()).update(independence.get(v.article_id, v.article_id) for v in c.values)
    for claim in claims:
        if len(against.get(claim.id, ())) >= 2:
            claim.status = "conflicting"
            claim.differs_in = sorted({c.kind if c.kind != "statement" else "negation" for c in conflicts
                                       if c.claim_id == claim.id})
        else:
            claim.status = "corroborated" if claim.sources >= 2 else "single-source"
            claim.differs_in = []
