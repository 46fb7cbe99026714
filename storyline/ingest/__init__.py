"""The ingest stage: paths in, `Document`s (raw text or HTML plus stated metadata) out.

Every input is untrusted. Nothing here fetches a URL, follows what the content says, or
raises for a bad file: each unusable file or record becomes a `Problem` naming the path,
where inside it, and why, and the batch goes on. Memory stays bounded: containers are
streamed and every single document is size-checked before it is read.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import BinaryIO

from ..records import Document, Problem
from .detect import sniff
from .discover import NOT_REGULAR, discover, path_text
from .feed import read_feed
from .jsonl import FIELDS, check_field_map, read_jsonl
from .streams import GzipError, MiB, over_limit, payload, read_limited, size_text
from .text import read_single
from .warc import read_warc

__all__ = ["FIELDS", "MAX_FILE_BYTES", "check_field_map", "MAX_RECORD_BYTES", "discover", "file_digest", "ingest",
           "path_text", "read_file", "unreadable"]

MAX_FILE_BYTES = 200 * MiB
"""Largest file read at all; containers (WARC, JSONL, feeds) up to this size are streamed."""
MAX_RECORD_BYTES = 10 * MiB
"""Largest single document: a .txt/.html file, one JSONL line, one WARC page, one feed entry."""


def file_digest(path: str | os.PathLike) -> str:
    """sha256 of the file's bytes, read in chunks: the store's key for "already ingested"."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(MiB), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _os_reason(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "permission denied"
    if isinstance(exc, FileNotFoundError):
        return "no such file or directory"
    if isinstance(exc, IsADirectoryError):
        return "is a directory"
    return f"cannot read file: {exc.strerror or exc}"


def unreadable(path: str | os.PathLike, max_bytes: int = MAX_FILE_BYTES) -> Problem | None:
    """Why a file cannot be read at all, decided from stat() alone, or None.

    This runs before the file is opened or hashed: opening a FIFO blocks until someone
    writes to it, /dev/zero never ends, and hashing a 10 GB sparse file costs a minute.
    """
    name = path_text(path)
    try:
        info = os.stat(path)
    except OSError as exc:
        return Problem(name, _os_reason(exc))
    except ValueError:
        return Problem(name, "not a valid path")
    if stat.S_ISDIR(info.st_mode):
        return Problem(name, "is a directory")
    if not stat.S_ISREG(info.st_mode):
        return Problem(name, NOT_REGULAR)
    if info.st_size > max_bytes:
        return Problem(name, over_limit(info.st_size, max_bytes))
    if info.st_size == 0:
        return Problem(name, "empty file")
    return None


def _read(path: Path, field_map: Mapping[str, str], max_bytes: int,
          max_record_bytes: int) -> Iterator[Document | Problem]:
    name = path_text(path)
    refused = unreadable(path, max_bytes)
    if refused is not None:
        yield refused
        return
    info = path.stat()
    with open(path, "rb") as raw:
        found = sniff(raw, path.name)
        kind = found.kind
        if kind == "broken":
            yield Problem(name, found.detail or "unreadable file")
        elif kind == "empty":
            yield Problem(name, "empty file")
        elif kind == "binary":
            detail = f" ({found.detail})" if found.detail else ""
            yield Problem(name, f"binary content, not text{detail}")
        elif kind == "json":
            yield Problem(name, "a JSON document, not JSON Lines: put one article object on each line")
        elif kind == "xml":
            yield Problem(name, f"XML, but not an RSS or Atom feed (root element <{found.detail}>)")
        elif kind == "warc":
            yield from read_warc(name, raw, found.compressed, max_record_bytes, max_bytes)
        elif kind == "jsonl":
            yield from read_jsonl(name, payload(raw, found.compressed, limit=max_bytes), field_map, max_record_bytes)
        elif kind == "feed":
            yield from _read_feed(name, raw, found.compressed, max_bytes, max_record_bytes)
        elif not found.compressed and info.st_size > max_record_bytes:
            yield Problem(name, over_limit(info.st_size, max_record_bytes, scope=" for one document"))
        else:
            yield from read_single(name, payload(raw, found.compressed), kind, max_record_bytes)


def _read_feed(name: str, raw: BinaryIO, compressed: bool, max_bytes: int, max_record_bytes: int) -> Iterator[Document | Problem]:
    try:
        data = read_limited(payload(raw, compressed), max_bytes)
    except GzipError as exc:
        yield Problem(name, str(exc))
        return
    if data is None:
        yield Problem(name, f"decompressed feed is over the {size_text(max_bytes)} limit")
        return
    yield from read_feed(name, data, max_record_bytes)


def _guarded(path: Path, field_map: Mapping[str, str], max_bytes: int,
             max_record_bytes: int) -> Iterator[Document | Problem]:
    name = path_text(path)
    try:
        yield from _read(path, field_map, max_bytes, max_record_bytes)
    except OSError as exc:
        yield Problem(name, _os_reason(exc))
    except GzipError as exc:
        yield Problem(name, str(exc))
    except RecursionError:
        yield Problem(name, "content nested too deeply to parse")
    except Exception as exc:  # a library choking on hostile input must not end the batch
        yield Problem(name, f"could not read: {type(exc).__name__}: {' '.join(str(exc).split())[:300]}")


def read_file(path: str | os.PathLike, *, field_map: Mapping[str, str] | None = None,
              max_bytes: int = MAX_FILE_BYTES, max_record_bytes: int = MAX_RECORD_BYTES) -> Iterator[Document | Problem]:
    """Every document in one file, then or among them a Problem for each part that is unusable.

    `field_map` renames a JSONL file's fields to ours ({"headline": "title", "body": "text"});
    a map to an unknown field raises ValueError here, at the call, not per file.
    """
    mapping = check_field_map(field_map)
    return _guarded(Path(path), mapping, max_bytes, max_record_bytes)


def ingest(paths: Iterable[str | os.PathLike] | str | os.PathLike, *, field_map: Mapping[str, str] | None = None,
           max_bytes: int = MAX_FILE_BYTES, max_record_bytes: int = MAX_RECORD_BYTES) -> Iterator[Document | Problem]:
    """Every document under `paths` (files, folders, globs), with a Problem for whatever
    could not be used; never raises for bad input."""
    mapping = check_field_map(field_map)

    def run() -> Iterator[Document | Problem]:
        for item in discover(paths):
            if isinstance(item, Problem):
                yield item
            else:
                yield from _guarded(item, mapping, max_bytes, max_record_bytes)

    return run()
