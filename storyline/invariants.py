"""What every record must satisfy, checked when it is built, and the one error that says so.

A record with a bad offset or an unknown kind does no harm where it is made; it breaks a page, an
export consumer or a later stage far away, where nobody can tell which producer made it. So each
record checks at construction what it can know by itself (offsets ordered and not negative, a
kind or status among the allowed values, a date that matches its precision), the way a parser's
span refuses bounds outside its document; the bounds against the article's text, which a record
does not hold, are checked by `within` where the producer has the article. Every failure is a
`RecordError`, a `ValueError`, naming the record and the value.
"""

from __future__ import annotations

import re
import typing
from typing import Any, Iterable, Sequence, TypeVar

T = TypeVar("T")

_DATE = {"year": re.compile(r"\d{4}"), "month": re.compile(r"\d{4}-\d{2}"), "day": re.compile(r"\d{4}-\d{2}-\d{2}")}


class RecordError(ValueError):
    """A record that breaks one of its invariants."""


def choices(literal: Any) -> frozenset:
    """The allowed values of a `Literal[...]` type, for `one_of`."""
    return frozenset(typing.get_args(literal))


def one_of(what: str, field: str, value: Any, allowed: frozenset, optional: bool = False) -> None:
    if value in allowed or (optional and value is None):
        return
    raise RecordError(f"{what}: {field} {value!r} is not one of {', '.join(sorted(map(str, allowed)))}")


def span(what: str, start: int, end: int, length: int | None = None) -> None:
    """0 <= start <= end (<= length when the text is known)."""
    if not 0 <= start <= end or (length is not None and end > length):
        bound = f" in a text of {length} characters" if length is not None else ""
        raise RecordError(f"{what}: bad range {start}..{end}{bound}")


def optional_span(what: str, start: int | None, end: int | None) -> None:
    """Offsets that may be missing come in pairs; given, they are a range."""
    if (start is None) != (end is None):
        raise RecordError(f"{what}: offsets {start}..{end} come in pairs")
    if start is not None:
        span(what, start, end)


def parts(what: str, start: int, end: int, ranges: Sequence[Sequence[int]]) -> None:
    """Ordered, disjoint ranges that begin at `start` and end at `end`."""
    ranges = [tuple(r) for r in ranges]
    if not ranges:
        return
    if (ranges[0][0] != start or ranges[-1][1] != end or any(s > e for s, e in ranges)
            or any(a[1] > b[0] for a, b in zip(ranges, ranges[1:]))):
        raise RecordError(f"{what}: parts {ranges} are not ordered, disjoint ranges of {start}..{end}")


def inside(what: str, start: int, end: int, ranges: Iterable[Sequence[int]]) -> None:
    """Each range lies within start..end."""
    for s, e in ranges:
        if not start <= s <= e <= end:
            raise RecordError(f"{what}: range {s}..{e} outside {start}..{end}")


def date(what: str, value: str, precision: str) -> None:
    """YYYY, YYYY-MM or YYYY-MM-DD, as `precision` says."""
    pattern = _DATE.get(precision)
    if pattern is None or not isinstance(value, str) or not pattern.fullmatch(value):
        raise RecordError(f"{what}: date {value!r} does not read as a {precision}")


def share(what: str, field: str, value: float) -> None:
    """A value between 0 and 1 (similarities, probabilities)."""
    if not 0.0 <= value <= 1.0:
        raise RecordError(f"{what}: {field} {value!r} is not between 0 and 1")


def within(text: str, records: Iterable[T]) -> list[T]:
    """The records, after checking that every range they hold lies inside `text`.

    For per-article records (their `start`/`end`, a quote's `parts`, `marked` and speaker
    offsets): producers call it on what they return, with the article's text."""
    kept = list(records)
    length = len(text)
    for record in kept:
        what = f"{type(record).__name__} {getattr(record, 'id', '')}".rstrip()
        span(what, record.start, record.end, length)
        speaker = getattr(record, "speaker_end", None)
        if speaker is not None and speaker > length:
            raise RecordError(f"{what}: speaker offsets end at {speaker}, past the text's {length} characters")
    return kept
