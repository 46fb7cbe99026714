"""Metadata lines at an article's edges: datelines, bylines, credit and copyright lines.

They are removed from the body (they are not sentences of the story) but they are often the
only place a plain-text file states when it was published, by whom, and from which outlet,
so what they say is kept as metadata. Only short lines are considered, so a body sentence
that happens to mention a date or a "source" is never mistaken for one.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ..ingest.dates import iso_date
from .lines import capitalised, ends_sentence, words

_MONTH = r"[^\W\d_]{3,12}\.?"
_DAY = r"\d{1,2}(?:st|nd|rd|th|er|\.)?"
_YEAR = r"(?:1[89]|2[01])\d\d"
_NUMERIC = re.compile(rf"(?<![\d.:/-])(\d{{1,2}})\s?([./-])\s?(\d{{1,2}})\2({_YEAR})(?![\d])|(?<!\d)({_YEAR})-(\d{{1,2}})-(\d{{1,2}})(?!\d)")
_NAMED = re.compile(rf"(?<!\w)(?:{_DAY}\s+(?:de\s+)?{_MONTH},?\s+(?:de\s+)?{_YEAR}|{_MONTH}\s+{_DAY},?\s+{_YEAR})(?!\w)")
_NAMED_NO_YEAR = re.compile(rf"(?<!\w)(?:{_DAY}\s+{_MONTH}|{_MONTH}\s+\d{{1,2}})(?!\w)")

_BY = re.compile(r"(?:^|[\s|,–—-])(?:by|von|par|por|door|di|da|av|af|przez|от)\s+"
                 r"([^\W\d_][\w.'’-]*(?:\s+(?:[^\W\d_][\w.'’-]*|\d+\w*)){0,3})", re.I)
_CREDIT_LABELS = ("source", "sources", "quelle", "quellen", "fuente", "fuentes", "fonte", "fontes", "bron",
                  "kilde", "källa", "lähde", "źródło", "zdroj", "forrás", "sursa", "πηγή", "источник", "джерело",
                  "kaynak", "via")
_PHOTO_LABELS = ("photo", "photos", "foto", "fotos", "image", "picture", "credit", "credits", "bild", "illustration")
_LABELLED = re.compile(r"^\s*([^\W\d_]+(?:\s[^\W\d_]+)?)\s*:\s*(\S.{0,80}?)\s*$")
_COPYRIGHT = re.compile(r"©|\(c\)\s*\d{4}|\bcopyright\b", re.I)
_SEPARATORS = re.compile(r"\s+[|·•–—-]\s+|\s*[|·•]\s*")
_AGENCY_LEAD = re.compile(r"^(?P<head>[^()\n]{0,80}?)\s*\((?P<agency>[^\W\d_][^()\n]{1,40})\)\s*[—–-]{1,2}\s*(?=\S)")
_TIME = re.compile(r"\b\d{1,2}[:.h]\d{2}\s*(?:[ap]\.?\s?m\.?)?|\b\d{1,2}\s*[ap]\.?m\b\.?", re.I)


@dataclass(frozen=True, slots=True)
class Found:
    """What one metadata line says; `reason` is what the user sees in `Article.removed`."""

    reason: str
    published: str | None = None
    author: str | None = None
    source: str | None = None


def _named_date(text: str) -> str | None:
    found = iso_date(text.replace(",", ", ").replace("  ", " "))
    if found:
        return found
    try:
        import dateparser

        moment = dateparser.parse(text, settings={"STRICT_PARSING": True, "REQUIRE_PARTS": ["day", "month", "year"]})
    except Exception:
        return None
    return moment.date().isoformat() if moment else None


def find_date(text: str) -> tuple[str | None, tuple[int, int] | None]:
    """The first full calendar date written in `text` (ISO) and where it is.

    Dotted and dashed numeric dates are day-first; slashed ones month-first unless the first
    number cannot be a month, as the outlets that write them do.
    """
    for match in _NUMERIC.finditer(text):
        if match.group(5):
            year, month, day = int(match.group(5)), int(match.group(6)), int(match.group(7))
        else:
            a, sep, b, year = int(match.group(1)), match.group(2), int(match.group(3)), int(match.group(4))
            day, month = (b, a) if sep == "/" and a <= 12 else (a, b)
        try:
            return dt.date(year, month, day).isoformat(), match.span()
        except ValueError:
            continue
    for match in _NAMED.finditer(text):
        iso = _named_date(match.group(0))
        if iso:
            return iso, match.span()
    return None, None


def _name(text: str, max_words: int = 6) -> str | None:
    text = text.strip(" \t.,;:|–—-·•")
    tokens = words(text)
    if not tokens or len(tokens) > max_words or not capitalised(text):
        return None
    return text


def credit(line: str) -> Found | None:
    """ "Source: Sputnik", "Quelle: dpa" (the outlet) or "Photo: AP" (a picture credit)."""
    match = _LABELLED.match(line)
    if not match:
        return None
    label = match.group(1).casefold()
    value = match.group(2)
    if label in _CREDIT_LABELS:
        name = _name(value) or (value.strip() if len(words(value)) <= 6 and value[:1].isalnum() else None)
        return Found("credit line", source=name) if name else None
    if label in _PHOTO_LABELS and len(words(value)) <= 8:
        return Found("credit line")
    return None


def copyright_owner(line: str) -> Found | None:
    """ "© 2024 Tamsa Courier. All rights reserved." names the outlet that publishes the page."""
    if not _COPYRIGHT.search(line) or len(words(line)) > 25:
        return None
    owner = None
    for part in _SEPARATORS.split(line):
        if not _COPYRIGHT.search(part):
            continue
        part = re.sub(r"©|\(c\)|\bcopyright\b", " ", part, flags=re.I)
        part = re.sub(rf"\b{_YEAR}(?:\s*[-–]\s*{_YEAR})?\b", " ", part)
        part = part.split(". ")[0]
        owner = _name(" ".join(part.split()), max_words=5)
        break
    return Found("copyright line", source=owner)


def masthead(line: str) -> str | None:
    """ "Tamsa Courier – news from the valley since 1921": an outlet's name and its tagline.

    Only trusted for lines the corpus repeats (the caller checks), since a headline can have
    the same shape.
    """
    parts = [p for p in re.split(r"\s+[|·•–—-]\s+", line.strip()) if p]
    if len(parts) != 2:
        return None
    head, tail = parts
    head_words, tail_words = words(head), words(tail)
    if not 1 <= len(head_words) <= 4 or not all(capitalised(w) for w in head_words):
        return None
    if not tail_words or all(capitalised(w) for w in tail_words):
        return None
    return head.strip()


def dateline(line: str, max_rest_words: int = 9) -> Found | None:
    """A short line that is mostly a date: "Status: 01/30/2022 4:42 p.m", "Ru-Main, 28.01.2022",
    "Posted on March 10, 2024 by Courier Newsdesk" (the "by" part names the author)."""
    if len(line) > 160:
        return None
    iso, span = find_date(line)
    if not iso or span is None:
        return None
    rest = _TIME.sub(" ", _NAMED.sub(" ", _NUMERIC.sub(" ", line)))
    if len(words(rest)) > max_rest_words:
        return None
    if ends_sentence(line) and len(words(rest)) > 4 and not _TIME.search(line[-12:]):
        return None
    author = None
    match = _BY.search(rest)
    if match:
        author = _name(match.group(1), max_words=4)
    return Found("dateline", published=iso, author=author)


def byline(line: str) -> Found | None:
    """ "By Sam Okafor, Port Reporter": a short line naming the author."""
    if len(line) > 120 or ends_sentence(line) and len(words(line)) > 6:
        return None
    match = _BY.search(line)
    if not match or match.start() > 3 + len(line) // 3:
        return None
    name = _name(match.group(1), max_words=4)
    if not name or not all(capitalised(w) for w in words(name)):
        return None
    return Found("byline", author=name)


def lead_dateline(paragraph: str) -> tuple[str, Found] | None:
    """The wire dateline opening a first paragraph: "Jan. 27, 2022 (EIRNS)—In reply ...",
    "VELLMAR, Savria, March 10 (Meridian Wire) — Water ...". Returns the prefix to drop."""
    match = _AGENCY_LEAD.match(paragraph[:200])
    if not match:
        return None
    head = match.group("head").strip(" ,")
    agency = _name(match.group("agency"), max_words=5)
    if not agency:
        return None
    head_words = words(head)
    if len(head_words) > 8 or (head and not capitalised(head)):
        return None
    iso, _ = find_date(head) if head else (None, None)
    if head and not iso and not _NAMED_NO_YEAR.search(head) and not head_words[0].isupper():
        if len(head_words) > 4:
            return None
    return match.group(0), Found("dateline", published=iso, source=agency)


def scan(line: str) -> Found | None:
    """Whichever kind of metadata line this is, if any."""
    return credit(line) or copyright_owner(line) or dateline(line) or byline(line)
