"""HTML documents: decoded per their own declaration, with the metadata the page states.

Only a parsed tree is ever handed to trafilatura and htmldate: htmldate downloads its input
when given a string that looks like a URL, and a scraped file can be exactly that.

libxml2 stops building the tree at 255 levels of nesting, so a broken page nested deeper
would become an article with no text. Such a page is read again with the depth limit lifted
and kept as its visible text, with a problem saying so.
"""

from __future__ import annotations

import datetime as dt
import re

from collections.abc import Iterator

from ..records import Document, Problem
from ..text import language_code
from .dates import iso_date
from .decode import decode_text
from .titles import settle

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([\w.:-]+)["']""", re.I)
MAX_DEPTH = 250  # libxml2 drops everything below 255 levels unless told to build huge trees
_BLOCKS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "blockquote",
           "header", "footer", "pre", "table", "ul", "ol", "dd", "dt"}


def declared_charset(head: bytes) -> str | None:
    """The charset a page declares in its first bytes (<meta charset>, http-equiv, XML prolog)."""
    window = head[:4096]
    match = _META_CHARSET.search(window) or _XML_ENCODING.search(window)
    return match.group(1).decode("ascii", "replace") if match else None


def charset_from_content_type(value: str | None) -> str | None:
    match = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", value or "", re.I)
    return match.group(1) if match else None


def _text(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value or None


def _load(html: str):
    try:
        from trafilatura.utils import load_html

        return load_html(html)
    except Exception:
        return None


def too_deep(tree) -> bool:
    """Whether the parsed tree reaches the parser's depth limit (so content below was lost)."""
    from lxml import etree

    depth = 0
    for event, _ in etree.iterwalk(tree, events=("start", "end")):
        depth += 1 if event == "start" else -1
        if depth >= MAX_DEPTH:
            return True
    return False


def visible_text(html: str) -> str:
    """All visible text of a page parsed without a depth limit, one line per block."""
    import lxml.html
    from lxml import etree

    parser = lxml.html.HTMLParser(huge_tree=True, remove_comments=True, remove_pis=True)
    try:
        tree = lxml.html.document_fromstring(html, parser=parser)
    except Exception:
        return ""
    for bad in tree.xpath("//script|//style|//noscript|//template|//head"):
        bad.drop_tree()
    lines = []
    for event, element in etree.iterwalk(tree, events=("start", "end")):
        if event == "start" and element.text:
            lines.append(element.text)
        if event == "end":
            if element.tag in _BLOCKS:
                lines.append("\n")
            if element.tail:
                lines.append(element.tail)
    text = "".join(lines)
    return "\n\n".join(" ".join(line.split()) for line in text.split("\n") if line.strip())


def html_metadata(html: str, url: str | None = None, tree=None, notes: list[str] | None = None) -> dict[str, str | None]:
    """title, author, published, source, url, language as the page states them.

    Never raises: metadata is a bonus, and a page whose head is broken is still an article.
    A title or source that holds markup or runs on is replaced (see `titles`); `notes`
    receives what was rejected.
    """
    found: dict[str, str | None] = {}
    try:
        from trafilatura.metadata import extract_metadata
    except ImportError:  # pragma: no cover - a declared dependency
        return found
    if tree is None:
        tree = _load(html)
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
    rejected = settle(found, tree, url)
    if notes is not None:
        notes.extend(rejected)
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
    """The Document of `html_page`, without its notes."""
    return next(item for item in html_page(path, data, declared=declared, locator=locator, url=url, fetched=fetched)
                if isinstance(item, Document))


def html_page(path: str, data: bytes, *, declared: str | None = None, locator: str | None = None,
              url: str | None = None, fetched: str | None = None) -> Iterator[Document | Problem]:
    """The Document for the page in `data`, then a Problem for each repair it needed.

    `declared` is a charset stated outside the page (an HTTP header) and wins over the page's
    own <meta> when both exist. Raises `DecodeError` when the bytes contradict their
    byte-order mark.
    """
    decoded = decode_text(data, declared or declared_charset(data))
    html = decoded.text
    tree = _load(html)
    deep = tree is not None and too_deep(tree)
    notes = list(decoded.notes)
    meta = html_metadata(html, url, tree, notes)
    kind, content = "html", html
    if deep:
        kind, content = "text", visible_text(html)
        notes.append("HTML nested deeper than the parser's 255-level limit: kept as the page's visible text, "
                     "without HTML boilerplate removal")
    yield Document(path=path, kind=kind, content=content, locator=locator,  # type: ignore[arg-type]
                   url=url or meta.get("url"), source=meta.get("source"), title=meta.get("title"),
                   published=meta.get("published"), author=meta.get("author"),
                   language=meta.get("language"), fetched=fetched)
    for note in notes:
        yield Problem(path, f"stored, but {note}", locator)
