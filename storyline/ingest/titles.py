"""Titles and source names that are fit to show: no markup, no script, a sane length.

On broken real pages the <title> runs on into the markup after it (`... - CBN News</title
value="true" --> </head> <body id="BodyID">`), and a site name can be a whole inline script.
Such a value is never kept: the next candidate the page offers is taken (Open Graph, Twitter
card, JSON-LD, the first <h1>; for the source also JSON-LD's publisher and the site's host
name), and what was rejected is said, so the user can see why the title is not the <title>.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from urllib.parse import urlsplit

MAX_TITLE_CHARS = 300
MAX_SOURCE_CHARS = 100
_MARKUP = re.compile(r"</?[a-zA-Z][\w:-]*(?:\s|/?>|$)|<!--|-->|<!\[CDATA\[|\b[a-z-]+=\"[^\"]*\"")
_SCRIPT = re.compile(r"\bfunction\s*\(|\bvar\s+\w+\s*=|=>\s*\{|\bwindow\.\w|\bdocument\.\w|[{};]\s*[{};]")


def rejection(value: str | None, what: str = "title") -> str | None:
    """Why `value` cannot be a title (or, with what="source", a source name), or None."""
    if not value:
        return None
    limit = MAX_SOURCE_CHARS if what == "source" else MAX_TITLE_CHARS
    if _MARKUP.search(value):
        return "holds HTML markup"
    if _SCRIPT.search(value):
        return "holds script code"
    if len(value) > limit:
        return f"is {len(value):,} characters long (more than {limit})"
    return None


def _text(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value or None


def _first(tree, xpath: str) -> str | None:
    try:
        found = tree.xpath(xpath)
    except Exception:
        return None
    for item in found:
        text = _text(item if isinstance(item, str) else item.text_content())
        if text:
            return text
    return None


def _json_ld(tree) -> Iterator[dict]:
    """The objects of a page's JSON-LD blocks (never fetched, never executed: only parsed)."""
    try:
        blocks = tree.xpath('//script[@type="application/ld+json"]/text()')
    except Exception:
        return
    for block in blocks[:10]:
        try:
            data = json.loads(block)
        except (ValueError, RecursionError):
            continue
        items = data if isinstance(data, list) else (data.get("@graph") or [data]) if isinstance(data, dict) else []
        for item in items if isinstance(items, list) else []:
            if isinstance(item, dict):
                yield item


def _ld(tree, *keys: str) -> str | None:
    for item in _json_ld(tree):
        value = item
        for key in keys:
            value = value.get(key) if isinstance(value, dict) else None
        if _text(value):
            return _text(value)
    return None


def title_candidates(tree) -> Iterator[tuple[str, str | None]]:
    yield "the Open Graph title", _first(tree, '//meta[@property="og:title"]/@content')
    yield "the Twitter card title", _first(tree, '//meta[@name="twitter:title"]/@content')
    yield "the JSON-LD headline", _ld(tree, "headline")
    yield "the first <h1>", _first(tree, "//h1")


def source_candidates(tree, url: str | None) -> Iterator[tuple[str, str | None]]:
    yield "the Open Graph site name", _first(tree, '//meta[@property="og:site_name"]/@content')
    yield "the application name", _first(tree, '//meta[@name="application-name"]/@content')
    yield "the JSON-LD publisher", _ld(tree, "publisher", "name")
    host = urlsplit(url or "").hostname or ""
    yield "the site's host name", host.removeprefix("www.") or None


def settle(found: dict[str, str | None], tree, url: str | None) -> list[str]:
    """Replace an unfit title or source in `found` by the next fit candidate; returns notes."""
    notes = []
    for field, candidates in (("title", title_candidates), ("source", source_candidates)):
        why = rejection(found.get(field), field)
        if why is None:
            continue
        rejected = found[field] or ""
        found[field] = None
        taken = "left empty"
        args = (tree,) if field == "title" else (tree, url or found.get("url"))
        for label, value in candidates(*args):
            if value and rejection(value, field) is None:
                found[field] = value
                taken = f"took {label}"
                break
        shown = rejected if len(rejected) <= 80 else rejected[:77] + "..."
        notes.append(f"the page's {field} {why} ({shown!r}): {taken}")
    return notes
