"""JSON Lines exports: one article object per line, streamed.

A line is read with a length limit, so a single runaway line (a whole database dumped into
one field) costs at most the limit in memory and is reported, while the lines around it
still go in. Exporters name their fields freely; `field_map` renames them to ours.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator, Mapping
from typing import Any, BinaryIO

from ..records import Document, Problem
from ..text import language_code
from .dates import iso_date
from .decode import bom_encoding, decode_western, normalise_newlines
from .streams import GzipError, size_text

_SKIP_CHUNK = 256 * 1024
_SURROGATE = re.compile("[\ud800-\udfff]")

FIELDS = ("text", "html", "title", "url", "published", "date", "source", "author", "language")


def check_field_map(field_map: Mapping[str, str] | None) -> dict[str, str]:
    """The map as a dict; raises ValueError naming a target that is not one of ours, because
    a typo there would silently drop a field from every record."""
    if not field_map:
        return {}
    unknown = sorted({ours for ours in field_map.values() if ours not in FIELDS})
    if unknown:
        raise ValueError(f"field_map maps to unknown field(s) {', '.join(map(repr, unknown))}; "
                         f"known fields: {', '.join(FIELDS)}")
    return {str(theirs): ours for theirs, ours in field_map.items()}


def _lookup(record: Mapping[str, Any], key: str) -> Any:
    """`key` in `record`, where "a.b" reaches into nested objects when no flat key matches."""
    if key in record:
        return record[key]
    value: Any = record
    for part in key.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return None
        value = value[part]
    return value


def map_fields(record: Mapping[str, Any], field_map: Mapping[str, str]) -> dict[str, Any]:
    """Our field names to values: explicit mappings win over same-named fields."""
    mapped_from = set(field_map)
    fields = {name: record[name] for name in FIELDS if name in record and name not in mapped_from}
    for theirs, ours in field_map.items():
        value = _lookup(record, theirs)
        if value is not None:
            fields[ours] = value
    return fields


def _scalar(value: Any) -> str | None:
    if isinstance(value, str):
        return _unpaired(value.strip()) or None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, list):  # several authors
        parts = [_scalar(item) for item in value if not isinstance(item, list)]
        return ", ".join(p for p in parts if p) or None
    if isinstance(value, dict):  # {"name": "..."} as schema.org writes authors and publishers
        return _scalar(value.get("name"))
    return None


def record_document(path: str, record: Any, locator: str, field_map: Mapping[str, str]) -> Document | Problem:
    """One parsed JSON value as a Document, or the Problem that keeps it out."""
    if not isinstance(record, dict):
        return Problem(path, f"not a JSON object (found {type(record).__name__})", locator)
    fields = map_fields(record, field_map)
    body, kind = None, "text"
    for name in ("text", "html"):
        value = fields.get(name)
        if value is None:
            continue
        if not isinstance(value, str):
            return Problem(path, f"field {name!r} is not a string (found {type(value).__name__})", locator)
        if value.strip():
            body, kind = value, name
            break
    if body is None:
        if "text" in fields or "html" in fields:
            return Problem(path, "text is empty", locator)
        keys = ", ".join(list(map(str, record))[:10]) or "none"
        return Problem(path, f"no text or html field (fields found: {keys}; map yours with the option "
                             "--field-map, e.g. --field-map body=text,headline=title)", locator)
    return Document(path=path, kind=kind, content=_unpaired(normalise_newlines(body)), locator=locator,  # type: ignore[arg-type]
                    url=_scalar(fields.get("url")), source=_scalar(fields.get("source")),
                    title=_scalar(fields.get("title")),
                    published=iso_date(fields.get("published")) or iso_date(fields.get("date")),
                    author=_scalar(fields.get("author")), language=language_code(_scalar(fields.get("language"))))


def field_problems(path: str, record: Any, locator: str, field_map: Mapping[str, str]) -> Iterator[Problem]:
    """Fields that are there but unusable (a date that is no date, a title that is null or an
    object): the article goes in without them, and the user hears which and why."""
    if not isinstance(record, dict):
        return
    fields = map_fields(record, field_map)
    for name in ("title", "source", "author", "url"):
        if name in fields and _scalar(fields[name]) is None and fields[name] != "":
            yield Problem(path, f"stored without a {name}: the field {name!r} is {_kind(fields[name])}", locator)
    for name in ("published", "date"):
        value = fields.get(name)
        if value not in (None, "") and iso_date(value) is None:
            yield Problem(path, f"stored without a date: the field {name!r} is not a date ({_shown(value)})", locator)


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, dict):
        return "an object without a 'name'"
    if isinstance(value, list):
        return "a list without text"
    return f"{type(value).__name__} {_shown(value)}"


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _unpaired(text: str) -> str:
    """JSON may escape lone surrogates ("\\ud800"), which no UTF-8 store can hold."""
    return _SURROGATE.sub("\ufffd", text)


def _parse(path: str, raw: bytes | str, locator: str, field_map: Mapping[str, str]) -> Iterator[Document | Problem]:
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError:
            raw = decode_western(raw)  # JSON Lines should be UTF-8; Windows exports often are not
    try:
        record = json.loads(raw)
    except json.JSONDecodeError as exc:
        yield Problem(path, f"malformed JSON: {exc.msg} (column {exc.colno})", locator)
        return
    except (ValueError, RecursionError) as exc:
        yield Problem(path, f"malformed JSON: {exc}", locator)
        return
    found = record_document(path, record, locator, field_map)
    yield found
    if isinstance(found, Document):
        yield from field_problems(path, record, locator, field_map)


def _lines(stream: BinaryIO) -> BinaryIO | io.TextIOWrapper:
    """A line source: bytes for UTF-8 (so one bad line cannot spoil the rest), text for UTF-16/32."""
    peek = stream.peek(4)[:4] if hasattr(stream, "peek") else b""
    bom = bom_encoding(peek)
    if bom and bom[0] != "utf-8":
        return io.TextIOWrapper(stream, encoding=bom[0].rsplit("-", 1)[0], errors="replace", newline="\n")
    return stream


def read_jsonl(path: str, stream: BinaryIO, field_map: Mapping[str, str] | None,
               max_record_bytes: int) -> Iterator[Document | Problem]:
    """Every article in a JSON Lines stream; locator "line N" counts physical lines from 1."""
    mapping = check_field_map(field_map)
    lines = _lines(stream)
    number = 0
    while True:
        try:
            line = lines.readline(max_record_bytes + 1)
        except GzipError as exc:
            yield Problem(path, f"{exc} after line {number}", f"line {number + 1}")
            return
        except UnicodeError as exc:  # pragma: no cover - errors="replace" makes this rare
            yield Problem(path, f"cannot decode: {exc}", f"line {number + 1}")
            return
        if not line:
            return
        number += 1
        locator = f"line {number}"
        newline = "\n" if isinstance(line, str) else b"\n"
        if len(line) > max_record_bytes and not (len(line) == max_record_bytes + 1 and line.endswith(newline)):
            yield Problem(path, f"line is over the {size_text(max_record_bytes)} limit for one record", locator)
            try:
                _skip_rest(lines)
            except GzipError as exc:
                yield Problem(path, f"{exc} after line {number - 1}", locator)
                return
            continue
        if number == 1:
            line = line.lstrip("\ufeff") if isinstance(line, str) else line.removeprefix(b"\xef\xbb\xbf")
        if not line.strip():
            continue
        yield from _parse(path, line, locator, mapping)


def _skip_rest(lines: BinaryIO | io.TextIOWrapper) -> None:
    newline = None
    while True:
        piece = lines.readline(_SKIP_CHUNK)
        if newline is None:
            newline = "\n" if isinstance(piece, str) else b"\n"
        if not piece or piece.endswith(newline):
            return
