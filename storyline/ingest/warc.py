"""Web archives (WARC, and ARC through warcio): every HTML page a crawler fetched.

Records are streamed one by one; a page is read up to the per-record limit and the rest of
an oversized record is skipped, not held. Damage is reported where it is: the pages before a
cut or a broken record are kept, and the Problem names the record that could not be read.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from ..records import Document, Problem
from .dates import iso_date
from .decode import DecodeError
from .html import charset_from_content_type, html_page
from .streams import GzipError, payload, read_limited, size_text

HTML_TYPES = ("text/html", "application/xhtml+xml")
_CHUNK = 1024 * 1024


class _Truncated(Exception):
    """A record ends before its declared Content-Length."""


def _media_type(value: str | None) -> str:
    return (value or "").split(";", 1)[0].strip().lower()


def _page_type(record) -> str | None:
    """The Content-Type of a record holding an HTML page, or None for anything else:
    requests, metadata, images, redirects and error pages are skipped without a word."""
    if record.rec_type == "response":
        http = record.http_headers
        if http is None or http.get_statuscode() != "200":
            return None
        content_type = http.get_header("Content-Type")
    elif record.rec_type == "resource":  # pages stored without HTTP headers (browser crawlers)
        content_type = record.rec_headers.get_header("Content-Type")
    else:
        return None
    return content_type if _media_type(content_type) in HTML_TYPES else None


def _drain(record) -> None:
    """Read the rest of a record so damage shows up on this record, not the next one."""
    raw = record.raw_stream
    while raw.read(_CHUNK):
        pass
    if getattr(raw, "limit", 0) > 0:
        raise _Truncated()


def _page(path: str, record, locator: str, max_record_bytes: int) -> list[Document | Problem]:
    content_type = _page_type(record)
    if content_type is None:
        _drain(record)
        return []
    body = read_limited(record.content_stream(), max_record_bytes)
    if body is None:
        _drain(record)
        return [Problem(path, f"page is over the {size_text(max_record_bytes)} limit for one record", locator)]
    _drain(record)
    if not body.strip():
        return [Problem(path, "empty page", locator)]
    url = (record.rec_headers.get_header("WARC-Target-URI") or "").strip("<> ") or None
    fetched = iso_date(record.rec_headers.get_header("WARC-Date"))
    try:
        return list(html_page(path, body, declared=charset_from_content_type(content_type),
                              locator=locator, url=url, fetched=fetched))
    except DecodeError as exc:
        return [Problem(path, str(exc), locator)]


def read_warc(path: str, raw: BinaryIO, compressed: bool, max_record_bytes: int,
              max_bytes: int | None = None) -> Iterator[Document | Problem]:
    """Every HTML page in a WARC; locator "record N" counts all records from 1 (warcinfo and
    requests included), so the number points at the same record in any WARC tool's listing."""
    from warcio.archiveiterator import ArchiveIterator

    records = iter(ArchiveIterator(payload(raw, compressed, short_reads=True, limit=max_bytes)))
    done = 0
    while True:
        locator = f"record {done + 1}"
        try:
            record = next(records)
        except StopIteration:
            return
        except GzipError as exc:
            yield Problem(path, f"{exc} after record {done}", locator)
            return
        except Exception as exc:  # warcio raises assorted errors on a damaged header
            yield Problem(path, f"broken WARC record after record {done}: {_why(exc)}", locator)
            return
        try:
            items = _page(path, record, locator, max_record_bytes)
        except GzipError as exc:
            yield Problem(path, f"{exc} after record {done}", locator)
            return
        except _Truncated:
            yield Problem(path, f"file ends inside the record (truncated after record {done})", locator)
            return
        except Exception as exc:
            yield Problem(path, f"broken WARC record: {_why(exc)}", locator)
            return
        done += 1
        yield from items


def _why(exc: Exception) -> str:
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}"[:300] if text else type(exc).__name__
