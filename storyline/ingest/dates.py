"""Dates from containers (JSONL fields, feed entries, WARC headers) as ISO YYYY-MM-DD.

The date is kept as the source wrote it, in its own time zone: an article stamped
"2024-03-13T23:30-05:00" was published on the 13th for its readers, even if it was already
the 14th in UTC. Anything unparseable gives None: a missing date is better than a wrong one.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from email.utils import parsedate_to_datetime

_ISO_PREFIX = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?=$|[T\s_])")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:T\d|$)")
_FORMATS = ("%Y/%m/%d", "%d %B %Y", "%d %b %Y", "%B %d, %Y", "%b %d, %Y", "%b. %d, %Y", "%d.%m.%Y")
_MIN_YEAR, _MAX_YEAR = 1800, 2200


def _valid(year: int, month: int, day: int) -> str | None:
    if not _MIN_YEAR <= year <= _MAX_YEAR:
        return None
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def _from_epoch(value: float) -> str | None:
    if value > 1e11:  # milliseconds, as JavaScript exports write them
        value /= 1000
    try:
        moment = dt.datetime.fromtimestamp(value, tz=dt.timezone.utc)
    except (OverflowError, OSError, ValueError):
        return None
    return _valid(moment.year, moment.month, moment.day)


def _from_string(text: str) -> str | None:
    text = text.strip()
    if not text:
        return None
    match = _ISO_PREFIX.match(text) or _COMPACT.match(text)
    if match:
        return _valid(*(int(part) for part in match.groups()))
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        moment = None
    if moment is not None:
        return _valid(moment.year, moment.month, moment.day)
    cleaned = re.sub(r"\s+", " ", text.replace("Sept.", "Sep."))
    for fmt in _FORMATS:
        try:
            moment = dt.datetime.strptime(cleaned, fmt)
        except ValueError:
            continue
        return _valid(moment.year, moment.month, moment.day)
    return None


def iso_date(value: object) -> str | None:
    """`value` (ISO string or datetime, RFC 2822 string, epoch number, struct_time, date) as
    YYYY-MM-DD, or None."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, dt.datetime | dt.date):
        return _valid(value.year, value.month, value.day)
    if isinstance(value, time.struct_time):
        return _valid(value.tm_year, value.tm_mon, value.tm_mday)
    if isinstance(value, int | float):
        return _from_epoch(float(value))
    if isinstance(value, str):
        return _from_string(value)
    return None
