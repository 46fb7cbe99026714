"""RSS and Atom feeds: one article per entry.

feedparser is given the bytes already read, wrapped in a stream: handed a string it would
fetch it when it looks like a URL or open it when it looks like a path, and a feed is
untrusted input. It parses with external entities off, so an entity cannot reach out either.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

from ..records import Document, Problem
from ..text import language_code
from .dates import iso_date
from .decode import normalise_newlines
from .streams import size_text

_MARKUP = re.compile(r"<(?:[a-zA-Z][\w:-]*[\s>/]|/[a-zA-Z]|!--)|&(?:[a-zA-Z]+|#\d+|#x[0-9a-fA-F]+);")


def _clean(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value or None


def _content(entry) -> tuple[str | None, bool]:
    """The fullest body an entry carries (content:encoded / atom:content over the summary),
    and whether it holds markup."""
    best = None
    for item in entry.get("content") or []:
        value = item.get("value") or ""
        if value.strip() and (best is None or len(value) > len(best)):
            best = value
    if best is None and (entry.get("summary") or "").strip():
        best = entry.get("summary")
    if best is None:
        return None, False
    # feedparser labels every RSS description text/html, so the markup itself decides
    return best, bool(_MARKUP.search(best))


def _published(entry) -> str | None:
    # the raw string keeps the publisher's own calendar day; the parsed tuple is UTC
    for raw, parsed in (("published", "published_parsed"), ("updated", "updated_parsed"),
                        ("created", "created_parsed")):
        date = iso_date(entry.get(raw)) or iso_date(entry.get(parsed))
        if date:
            return date
    return None


def read_feed(path: str, data: bytes, max_record_bytes: int) -> Iterator[Document | Problem]:
    """Every entry of the feed in `data`; locator "entry N" counts entries from 1."""
    import feedparser

    parsed = feedparser.parse(io.BytesIO(data))
    entries = parsed.get("entries") or []
    if not entries:
        if parsed.get("bozo"):
            yield Problem(path, f"not a readable feed: {parsed.get('bozo_exception')}")
        else:
            yield Problem(path, "feed has no entries")
        return
    channel = parsed.get("feed") or {}
    source = _clean(channel.get("title"))
    language = language_code(channel.get("language"))
    for number, entry in enumerate(entries, 1):
        locator = f"entry {number}"
        body, html = _content(entry)
        if body is None:
            yield Problem(path, "entry has no content", locator)
            continue
        size = len(body.encode("utf-8", "surrogatepass"))
        if size > max_record_bytes:
            yield Problem(path, f"entry is {size_text(size)}, over the {size_text(max_record_bytes)} limit "
                                "for one record", locator)
            continue
        yield Document(path=path, kind="html" if html else "text", content=normalise_newlines(body),
                       locator=locator, url=_clean(entry.get("link")), source=source,
                       title=_clean(entry.get("title")), published=_published(entry),
                       author=_clean(entry.get("author")), language=language_code(entry.get("language")) or language)
