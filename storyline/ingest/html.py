"""HTML documents: decoded per their own declaration, with the metadata the page states.

Only a parsed tree is ever handed to trafilatura and htmldate: htmldate downloads its input
when given a string that looks like a URL, and a scraped file can be exactly that.
"""

from __future__ import annotations

import datetime as dt
import re

from ..records import Document
from .dates import iso_date
from .decode import decode_bytes

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([\w.:-]+)["']""", re.I)
_LANG = re.compile(r"^([a-zA-Z]{2,3})(?:[-_][\w-]*)?$")


def declared_charset(head: bytes) -> str | None:
    """The charset a page declares in its first bytes (<meta charset>, http-equiv, XML prolog)."""
    window = head[:4096]
    match = _META_CHARSET.search(window) or _XML_ENCODING.search(window)
    return match.group(1).decode("ascii", "replace") if match else None


def charset_from_content_type(value: str | None) -> str | None:
    match = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", value or "", re.I)
    return match.group(1) if match else None


def language_code(value: object) -> str | None:
    """A language tag reduced to its primary subtag ("en-GB" -> "en"); other text kept as is."""
    if not isinstance(value, str) or not value.strip():
        return None
    value = value.strip()
    match = _LANG.match(value)
    return match.group(1).lower() if match else value


def _text(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value or None


def html_metadata(html: str, url: str | None = None) -> dict[str, str | None]:
    """title, author, published, source, url, language as the page states them.

    Never raises: metadata is a bonus, and a page whose head is broken is still an article.
    """
    found: dict[str, str | None] = {}
    try:
        from trafilatura.metadata import extract_metadata
        from trafilatura.utils import load_html
    except ImportError:  # pragma: no cover - a declared dependency
        return found
    try:
        tree = load_html(html)
    except Exception:
        tree = None
    if tree is None:
        return found
    today = dt.date.today().isoformat()
    try:
        meta = extract_metadata(tree, default_url=url,
                                date_config={"extensive_search": False, "original_date": True, "max_date": today})
    except Exception:
        meta = None
    if meta is not None:
        found = {"title": _text(meta.title), "author": _text(meta.author), "published": iso_date(meta.date),
                 "source": _text(meta.sitename), "url": _text(meta.url)}
    if not found.get("published"):
        found["published"] = _htmldate(tree, url or found.get("url"), today)
    found["language"] = language_code(tree.get("lang") or tree.get("xml:lang")
                                      or _first(tree.xpath('//meta[@http-equiv="content-language"]/@content')))
    return found


def _first(values: list) -> str | None:
    return str(values[0]) if values else None


def _htmldate(tree, url: str | None, today: str) -> str | None:
    try:
        from htmldate import find_date

        return iso_date(find_date(tree, extensive_search=False, original_date=True, url=url, max_date=today))
    except Exception:
        return None


def html_document(path: str, data: bytes, *, declared: str | None = None, locator: str | None = None,
                  url: str | None = None, fetched: str | None = None) -> Document:
    """A Document for the page in `data`; `declared` is a charset stated outside the page
    (an HTTP header) and wins over the page's own <meta> when both exist.

    Raises `DecodeError` when the bytes contradict their byte-order mark.
    """
    html = decode_bytes(data, declared or declared_charset(data))
    meta = html_metadata(html, url)
    return Document(path=path, kind="html", content=html, locator=locator,
                    url=url or meta.get("url"), source=meta.get("source"), title=meta.get("title"),
                    published=meta.get("published"), author=meta.get("author"),
                    language=meta.get("language"), fetched=fetched)
