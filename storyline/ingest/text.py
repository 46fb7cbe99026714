"""Single-document files: one plain-text or HTML article per file.

Plain text is only decoded here; finding its title, date and outlet needs knowledge of the
whole corpus's boilerplate, which the clean stage has and this stage does not.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import BinaryIO

from ..records import Document, Problem
from .decode import DecodeError, decode_text
from .html import html_page
from .streams import GzipError, read_limited, size_text

_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")


def _mostly_control(text: str) -> bool:
    sample = text[:65536]
    return bool(sample) and len(_CONTROL_CHARS.findall(sample)) > 0.1 * len(sample)


def read_single(path: str, stream: BinaryIO, kind: str, max_record_bytes: int) -> Iterator[Document | Problem]:
    """The one document in a text or HTML file (already size-checked when uncompressed)."""
    try:
        data = read_limited(stream, max_record_bytes)
    except GzipError as exc:
        yield Problem(path, str(exc))
        return
    if data is None:
        yield Problem(path, f"decompressed content is over the {size_text(max_record_bytes)} limit for one document")
        return
    if not data.strip():
        yield Problem(path, "empty file")
        return
    try:
        if kind == "html":
            yield from html_page(path, data)
            return
        decoded = decode_text(data)
    except DecodeError as exc:
        yield Problem(path, str(exc))
        return
    text = decoded.text
    if not text.strip():
        yield Problem(path, "empty file")
    elif _mostly_control(text):
        yield Problem(path, "binary content, not text")
    else:
        yield Document(path=path, kind="text", content=text)
        for note in decoded.notes:
            yield Problem(path, f"stored, but {note}")
