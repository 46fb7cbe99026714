"""Dated events: sentences anchored to the calendar through the temporal expressions they hold.

Expressions come from explicit patterns, not spaCy's DATE entities (the small model misses "the
day before yesterday" and over-reaches to "4:42 p.m. and") nor dateparser's noisy free-text
search. Relative expressions resolve against a reference day (the publication date, else the
latest full date the article states); the dependency parse decides whether the clause looks back
or ahead, which is what "on Friday" needs to pick a week. Rules (reference `ref`):
- a weekday is the latest such day on or before `ref`, or the earliest on or after it when the
  clause it hangs on is future ("will", "would", a modal, "plan/expect/due to") or present ("the
  talks resume on Monday"); "last"/"next" exclude `ref` itself; "since" is always past; a date
  that modifies a noun ("Monday's debate", "a report from December") ignores the clause's tense;
- a month name without a year: past -> latest on or before `ref`'s month, future -> earliest on
  or after, otherwise the nearest; "mid-December", "the end of June" keep month precision;
- a day and month without a year take the year that fits the tense and any written weekday,
  otherwise the one nearest to `ref`;
- week phrases ("last week", "earlier this week") become the days they cover and are kept only
  inside one month (month precision; day precision for a single day), never guessed across two;
- bare years are kept unless the parse says the number counts something ("2000 people").
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import re
from dataclasses import dataclass

from spacy.tokens import Doc

from ..invariants import within
from ..records import Article, Event
from .numbers import SMALL, year_like

FULL_MONTHS = "January February March April May June July August September October November December".split()
MONTHS = {name: i for i, name in enumerate(FULL_MONTHS, 1)}
MONTHS.update({"Jan": 1, "Feb": 2, "Mar": 3, "Apr": 4, "Jun": 6, "Jul": 7, "Aug": 8, "Sep": 9,
               "Sept": 9, "Oct": 10, "Nov": 11, "Dec": 12})
WEEKDAYS = {name: i for i, name in enumerate(
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split())}

_FULL = "|".join(FULL_MONTHS)
_ANY = "|".join(sorted(MONTHS, key=len, reverse=True))
_WD = "|".join(WEEKDAYS)
_PREP = (r"(?:\b(?P<prep>(?i:(?:(?:early|late|earlier|later)\s+)?(?:on|in|since|by|until|till|from|before|after"
         r"|during|through|throughout|as\s+of|at)))\s+)?")
_EDGE = (r"(?P<part>(?i:early|mid|late))[-\s]+|(?:the\s+)?(?P<edge>(?i:beginning|start|middle|end|close"
         r"|conclusion))\s+of\s+")
# Each pattern is (kind, core, words allowed before the core). Cores start with something
# distinctive (a month, a weekday, a digit) so scanning is fast; the words before ("on", "in mid-",
# "Friday,", "the end of", "last") are then read backwards from where the core starts.
_PATTERNS = (
    ("md", rf"(?P<mon>{_ANY})\b\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b(?![:.]\d|,\d{{3}})"
           rf"(?:\s?[-–]\s?\d{{1,2}}\b(?![:.]\d))?(?:,?\s+(?P<year>\d{{4}})\b)?",
     rf"(?P<wd>{_WD}),?\s+(?:the\s+)?|the\s+"),
    ("dm", rf"(?<![\d,.])(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>{_ANY})\b\.?"
           rf"(?:,?\s+(?P<year>\d{{4}})\b)?",
     rf"(?P<wd>{_WD}),?\s+(?:the\s+)?|the\s+"),
    ("my", rf"(?P<mon>{_FULL}|(?:{_ANY})(?=\.?,?\s+\d{{4}}))\b\.?(?:,?\s+(?P<year>\d{{4}})\b(?![.,:/]\d))?",
     rf"{_EDGE}|(?P<rel>(?i:last|next|this))\s+"),
    ("num", r"(?<![\w./:-])(?:(?P<iy>\d{4})-(?P<im>\d{1,2})-(?P<id>\d{1,2})|(?P<a>\d{1,2})(?P<sep>[./-])"
            r"(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4}|\d{2}))(?![\w]|[./:-]\d)", ""),
    ("year", r"(?<![\w$€£¥.,:/])(?P<year>1\d{3}|20\d{2})\b(?![.,:/]\d|%|['’]?s\b)", _EDGE),
    ("weekday", rf"(?P<wd>{_WD})\b(?:['’]s)?(?:\s+(?i:morning|afternoon|evening|night)\b"
                rf"|\s+(?i:in\s+the\s+(?:morning|afternoon|evening))\b)?",
     r"(?P<rel>(?i:last|this|next|coming|past))\s+|(?i:the\s+(?:early|small|late)\s+hours\s+of)\s+|(?i:early|late)\s+"),
    ("relday", r"(?P<rd>(?i:the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow|yesterday|today|tomorrow"
               r"|tonight|last\s+night|this\s+(?:morning|afternoon|evening)))\b"
               r"(?:\s+(?i:morning|afternoon|evening|night)\b)?",
     r"(?i:earlier|later)\s+"),
    ("period", r"(?P<rel>(?i:last|this|next|the))\s+(?P<unit>(?i:week|weekend|month|year))\b",
     r"(?:(?P<mod>(?i:earlier|later))\s+)?(?:(?:the\s+)?(?P<edge>(?i:beginning|start|middle|end|close))\s+of\s+)?"),
    ("ago", rf"(?<![\w-])(?P<n>\d{{1,3}}|(?i:an?|{'|'.join(SMALL)}))\s+(?P<unit>(?i:days?|weeks?|months?|years?))\s+"
            rf"(?P<dir>(?i:ago|from\s+now))\b", None),
    ("ordinal", r"(?<!\w)(?P<prep>(?i:on))\s+the\s+(?P<day>\d{1,2})(?:st|nd|rd|th)\b(?=\s*[,.;:)]|\s*$)", None),
)
_COMPILED = tuple((kind, re.compile(core), None if before is None else re.compile(rf"{_PREP}(?:{before})?$"))
                  for kind, core, before in _PATTERNS)
_LOOK_BACK = 60
_DAY_OFFSETS = {"the day before yesterday": -2, "the day after tomorrow": 2, "yesterday": -1, "last night": -1,
                "tomorrow": 1}

FUTURE_LEMMAS = frozenset("""plan intend expect schedule due hope aim prepare propose anticipate forecast await
    hopeful confident optimistic likely unlikely""".split())
FUTURE_AUX = frozenset({"will", "'ll", "shall", "wo", "would"})
MODALS = frozenset({"must", "should", "could", "may", "might", "can", "ca", "ought", "need"})
_NESTED = frozenset({"pobj", "nsubj", "nsubjpass", "appos", "conj", "poss", "compound", "attr"})
_STAMPS = frozenset({"post", "publish", "update", "modify", "photo"})  # "Posted 12.03.2024": dates the page
_NAME_LABELS = frozenset({"ORG", "WORK_OF_ART", "EVENT", "PRODUCT", "FAC"})
PERFECT = frozenset({"have", "has", "had", "'ve", "having"})


@dataclass(frozen=True, slots=True)
class Expression:
    """A temporal expression found in the text, before it is resolved."""

    start: int
    end: int
    kind: str
    parts: dict


def find_expressions(text: str) -> list[Expression]:
    """Every non-overlapping temporal expression in `text`, longest first at each position."""
    found = []
    for kind, core, before in _COMPILED:
        for m in core.finditer(text):
            parts = {k: v for k, v in m.groupdict().items() if v}
            start, end = m.start(), m.end()
            if before is not None:
                window = max(0, start - _LOOK_BACK)
                lead = _leading(before, text, window, start)
                if lead is not None:
                    parts.update({k: v for k, v in lead.groupdict().items() if v})
                    start = lead.start()
            if text[end - 1] == "." and parts.get("mon") in FULL_MONTHS and text[end - 2] != ".":
                end -= 1  # the full stop of the sentence, not of an abbreviation
            found.append(Expression(start, end, kind, parts))
    found.sort(key=lambda e: (e.start, -(e.end - e.start)))
    chosen: list[Expression] = []
    for e in found:
        if chosen and e.start < chosen[-1].end:
            continue
        if _plausible(text, e):
            chosen.append(e)
    return chosen


def _leading(before: re.Pattern, text: str, lo: int, hi: int) -> re.Match | None:
    """The longest run of allowed words ending where a core match starts."""
    for m in before.finditer(text, lo, hi):
        if m.end() == hi and m.start() < hi and (m.start() == 0 or not text[m.start() - 1].isalnum()):
            return m
    return None


def _plausible(text: str, e: Expression) -> bool:
    """Text-level vetoes: a month name with nothing around it ("May I", "April said"), names like
    "COVID-2019" or "Velmora Today", impossible days."""
    p = e.parts
    if e.kind == "my" and not (p.keys() & {"year", "prep", "part", "edge", "rel"}):
        return False
    if e.kind == "year" and e.start >= 2 and text[e.start - 2:e.start - 1].isalpha() and text[e.start - 1] == "-" \
            and "part" not in p:
        return False
    if e.kind in ("md", "dm", "ordinal") and not 1 <= int(e.parts["day"]) <= 31:
        return False
    if e.kind == "relday" and e.parts["rd"][0].isupper():
        return not re.search(r"\b[A-Z][\w'’]*[ \t]+$", text[max(0, e.start - 30):e.start])
    return True


# --- tense --------------------------------------------------------------------------------------


def _verdict(v) -> str | None:
    """What one verb says about time: "past", "future", "present", or None to ask its head."""
    aux = {c.lower_ for c in v.children if c.dep_ in ("aux", "auxpass")}
    to_do = any(c.dep_ == "xcomp" for c in v.children)  # "is set to", "is going to"
    if (v.lemma_ in FUTURE_LEMMAS and "had" not in aux) or aux & FUTURE_AUX or (to_do and (
            v.lemma_ == "set" or (v.lemma_ == "go" and v.tag_ == "VBG"))):
        return "future"
    if aux & PERFECT:
        return "past"
    if aux & MODALS:
        return "future"
    if aux & {"was", "were", "did"}:
        return "past"
    if aux & {"is", "are", "am", "'re", "do", "does"}:
        return "present"
    # a VBN without an auxiliary is a participle: "proposals presented in December"
    return {"VBD": "past", "VBN": "past", "VBZ": "present", "VBP": "present"}.get(v.tag_)


def tense_at(doc: Doc, start: int, end: int) -> str | None:
    """The tense of the clause a character span belongs to, read up the dependency tree.

    A present tense counts only when the expression hangs on that verb itself ("the talks resume
    on Monday"); reached through a noun ("is raising questions about Monday's debate") it says
    nothing about when the thing named happened."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span):
        return None
    if any(t.dep_ in ("poss", "compound") and not span.start <= t.head.i < span.end for t in span):
        return None  # "during Monday's debate": the date dates the debate
    t, came_by, through_noun = span.root, span.root.dep_, False
    for _ in range(12):
        if t.pos_ in ("VERB", "AUX") or t.lemma_ in FUTURE_LEMMAS:
            verdict = _verdict(t)
            if verdict:
                return None if verdict == "present" and through_noun else verdict
        elif t.pos_ in ("NOUN", "PROPN"):
            if came_by in ("poss", "compound", "nmod") or (came_by == "prep" and t.dep_ in _NESTED):
                return None  # "Monday's debate", "a report from December": the date dates the thing
            through_noun = True
        if t.head.i == t.i:
            break
        t, came_by = t.head, t.dep_
    return None


# --- resolution ---------------------------------------------------------------------------------


def _date(y: int, m: int, d: int) -> dt.date | None:
    return dt.date(y, m, d) if 1 <= m <= 12 and 1 <= d <= calendar.monthrange(y, m)[1] else None


def _pick(candidates: list[dt.date], ref: dt.date, direction: str | None) -> dt.date | None:
    """The candidate a direction points to: the latest on or before `ref` ("past"), strictly
    before ("before"), the earliest on or after ("future", "present") or strictly after
    ("after"); with no direction, the nearest."""
    if direction == "past":
        return max((c for c in candidates if c <= ref), default=None)
    if direction == "before":
        return max((c for c in candidates if c < ref), default=None)
    if direction in ("future", "present"):
        return min((c for c in candidates if c >= ref), default=None)
    if direction == "after":
        return min((c for c in candidates if c > ref), default=None)
    return min(candidates, key=lambda c: (abs((c - ref).days), c > ref), default=None)


def _span(lo: dt.date, hi: dt.date) -> tuple[str, str] | None:
    """An interval of days at the finest precision that covers it, if that is a day or a month."""
    if lo == hi:
        return lo.isoformat(), "day"
    if lo < hi and (lo.year, lo.month) == (hi.year, hi.month):
        return f"{lo.year:04d}-{lo.month:02d}", "month"
    return None


def _month_shift(ref: dt.date, months: int) -> str:
    index = ref.year * 12 + ref.month - 1 + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _full(e: Expression) -> dt.date | None:
    """The date of an expression that needs no reference (day, month and year all written)."""
    p = e.parts
    if e.kind in ("md", "dm") and p.get("year"):
        return _date(int(p["year"]), MONTHS[p["mon"]], int(p["day"]))
    if e.kind == "num":
        if p.get("iy"):
            return _date(int(p["iy"]), int(p["im"]), int(p["id"]))
        a, b, y = int(p["a"]), int(p["b"]), int(p["y"])
        y = y if y >= 100 else (2000 + y if y < 70 else 1900 + y)
        day, month = (b, a) if (p["sep"] == "/" and a <= 12) or b > 12 else (a, b)
        return _date(y, month, day)
    return None


def resolve(e: Expression, ref: dt.date | None, tense: str | None) -> tuple[str, str] | None:
    """(date, precision) of an expression, or None when it cannot be pinned down."""
    p = e.parts
    if (p.get("prep") or "").lower().endswith("since"):
        tense = "past"
    full = _full(e)
    if full:
        return full.isoformat(), "day"
    if e.kind == "year":
        return p["year"], "year"
    if e.kind == "my" and p.get("year"):
        return f"{int(p['year']):04d}-{MONTHS[p['mon']]:02d}", "month"
    if ref is None:
        return None
    if e.kind in ("md", "dm", "ordinal"):
        day = int(p["day"])
        if e.kind == "ordinal":
            months = [(ref.year * 12 + ref.month - 1 + k) for k in (-1, 0, 1)]
            cands = [_date(i // 12, i % 12 + 1, day) for i in months]
        else:
            cands = [_date(y, MONTHS[p["mon"]], day) for y in (ref.year - 1, ref.year, ref.year + 1)]
        cands = [c for c in cands if c]
        if p.get("wd"):
            cands = [c for c in cands if c.weekday() == WEEKDAYS[p["wd"]]] or cands
        picked = _pick(cands, ref, "past" if tense == "past" else "future" if tense == "future" else None)
        return (picked.isoformat(), "day") if picked else None
    rel = (p.get("rel") or "").lower()
    if e.kind == "my":
        if rel == "this":
            return f"{ref.year:04d}-{MONTHS[p['mon']]:02d}", "month"
        cands = [dt.date(y, MONTHS[p["mon"]], 1) for y in (ref.year - 1, ref.year, ref.year + 1)]
        direction = {"last": "before", "next": "after"}.get(rel, tense if tense != "present" else None)
        picked = _pick(cands, ref.replace(day=1), direction)
        return (f"{picked.year:04d}-{picked.month:02d}", "month") if picked else None
    if e.kind == "weekday":
        cands = [ref + dt.timedelta(days=k) for k in range(-7, 8) if (ref.weekday() + k) % 7 == WEEKDAYS[p["wd"]]]
        direction = {"last": "before", "past": "before", "next": "after", "coming": "future"}.get(rel) or (
            "future" if tense in ("future", "present") else "past")
        return _pick(cands, ref, direction).isoformat(), "day"
    if e.kind == "relday":
        offset = _DAY_OFFSETS.get(" ".join(p["rd"].lower().split()), 0)
        return (ref + dt.timedelta(days=offset)).isoformat(), "day"
    if e.kind == "period":
        return _period(p, ref)
    if e.kind == "ago":
        return _ago(p, ref)
    return None


def _period(p: dict, ref: dt.date) -> tuple[str, str] | None:
    unit, rel, mod = p["unit"].lower(), p["rel"].lower(), (p.get("mod") or "").lower()
    if rel == "the" and not p.get("edge"):
        return None  # "the year" alone names no particular year
    shift = {"last": -1, "next": 1}.get(rel, 0)
    if unit == "year":
        return f"{ref.year + shift:04d}", "year"
    if unit == "month":
        return _month_shift(ref, shift), "month"
    monday = ref - dt.timedelta(days=ref.weekday()) + dt.timedelta(days=7 * shift)
    lo, hi = monday, monday + dt.timedelta(days=6)
    if unit == "weekend":
        lo = monday + dt.timedelta(days=5)
    if shift == 0 and mod == "earlier":
        hi = ref - dt.timedelta(days=1)
    elif shift == 0 and mod == "later":
        lo = ref + dt.timedelta(days=1)
    return _span(lo, hi)


def _ago(p: dict, ref: dt.date) -> tuple[str, str] | None:
    raw = p["n"].lower()
    n = int(raw) if raw.isdigit() else SMALL.get(raw, 1)
    unit = p["unit"].lower().rstrip("s")
    sign = 1 if "now" in p["dir"].lower() else -1
    if unit == "day":
        return (ref + dt.timedelta(days=sign * n)).isoformat(), "day"
    if unit == "week":
        day = ref + dt.timedelta(days=sign * 7 * n)
        return f"{day.year:04d}-{day.month:02d}", "month"
    if unit == "month":
        return _month_shift(ref, sign * n), "month"
    return f"{ref.year + sign * n:04d}", "year"


# --- events -------------------------------------------------------------------------------------


def _not_a_date(doc: Doc, e: Expression) -> bool:
    """A bare year that counts something ("2000 people"), or a weekday the parser reads as the
    end of a name ("Black Friday")."""
    span = doc.char_span(e.start, e.end, alignment_mode="expand")
    for t in span if span is not None else ():
        if e.kind == "year" and t.text == e.parts["year"]:
            return not year_like(t)
        if e.kind == "weekday" and t.text in WEEKDAYS:
            return t.ent_type_ in _NAME_LABELS and t.ent_iob_ == "I" and doc[t.i - 1].text[:1].isupper()
    return False


def _reference(article: Article, reference: dt.date | None, expressions: list[Expression]) -> dt.date | None:
    """The given reference, else the publication date, else the latest full date (day, month and
    year) the article states: datelines and "Updated" stamps are usually its latest dates."""
    if reference is not None:
        return reference
    try:
        return dt.date.fromisoformat(article.published[:10])
    except (TypeError, ValueError):
        return max((d for d in (_full(e) for e in expressions) if d), default=None)


def extract_events(article: Article, doc: Doc, reference: dt.date | None = None) -> list[Event]:
    """One event per resolved temporal expression, anchored to its sentence.

    Sentences without a verb (datelines, captions, "Status: 01/30/2022") give no event: they date
    the article, not something that happened. A date repeated within a sentence counts once.
    """
    text = article.text
    expressions = find_expressions(text)
    ref = _reference(article, reference, expressions)
    starts = [e.start for e in expressions]
    events: list[Event] = []
    for sent in doc.sents:
        lo, hi = sent.start_char, sent.end_char
        inside = [e for e in expressions[bisect.bisect_left(starts, lo):bisect.bisect_left(starts, hi)] if e.end <= hi]
        if not inside or not any(t.pos_ in ("VERB", "AUX") and t.lemma_ not in _STAMPS for t in sent):
            continue
        seen: set[str] = set()
        for e in inside:
            if _not_a_date(doc, e):
                continue
            tense = tense_at(doc, e.start, e.end)
            resolved = resolve(e, ref, tense)
            if not resolved or resolved[0] in seen:
                continue
            seen.add(resolved[0])
            start, end = _strip(text, lo, hi)
            events.append(Event(id=f"{article.id}-d{len(events) + 1}", article_id=article.id,
                                date=resolved[0], precision=resolved[1], expression=text[e.start:e.end],
                                text=text[start:end], start=start, end=end))
    return within(text, events)


def _strip(text: str, lo: int, hi: int) -> tuple[int, int]:
    piece = text[lo:hi]
    return lo + len(piece) - len(piece.lstrip()), hi - len(piece) + len(piece.rstrip())
