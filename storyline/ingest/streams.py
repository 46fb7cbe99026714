"""Byte streams with bounded reads, and gzip that fails loudly.

Python's gzip raises a plain EOFError on a truncated stream, which warcio reads as "end of
archive" and so hides the damage. Wrapping the decompressor turns truncation and corruption
into `GzipError`, which no library catches by accident, so the reader can report where the
file broke.
"""

from __future__ import annotations

import gzip
import zlib
from typing import BinaryIO

GZIP_MAGIC = b"\x1f\x8b"
MiB = 1024 * 1024


class GzipError(Exception):
    """The compressed stream is cut short or damaged."""


class StrictGzip:
    """A read-only view of a gzip stream that raises `GzipError` instead of EOFError.

    With `short_reads`, read(n) returns what one decompression step gives (like read1), so a
    reader that buffers ahead still receives every byte before the cut, then the error.
    `limit` caps the decompressed bytes: a 1 MB file may inflate to gigabytes, and the file
    size limit means the size of what is read, not of what is stored on disk.
    """

    def __init__(self, raw: BinaryIO, short_reads: bool = False, limit: int | None = None) -> None:
        self._gz = gzip.GzipFile(fileobj=raw, mode="rb")
        self._pos = 0
        self._short = short_reads
        self._limit = limit

    def _guard(self, call, *args) -> bytes:
        try:
            data = call(*args)
        except EOFError:
            raise GzipError("truncated gzip stream") from None
        except (gzip.BadGzipFile, zlib.error, OSError) as exc:
            raise GzipError(f"corrupt gzip data ({exc})") from None
        self._pos += len(data)
        if self._limit is not None and self._pos > self._limit:
            raise GzipError(f"decompressed content is over the {size_text(self._limit)} limit for one file")
        return data

    def read(self, size: int = -1) -> bytes:
        if self._short and size and size > 0:
            return self._guard(self._gz.read1, size)
        return self._guard(self._gz.read, size)

    def readline(self, size: int = -1) -> bytes:
        return self._guard(self._gz.readline, size)

    def tell(self) -> int:
        return self._pos

    def close(self) -> None:
        self._gz.close()


def payload(raw: BinaryIO, compressed: bool, short_reads: bool = False, limit: int | None = None) -> BinaryIO:
    """The decompressed bytes of `raw` (itself when it is not gzip), at most `limit` of them."""
    return StrictGzip(raw, short_reads, limit) if compressed else raw  # type: ignore[return-value]


def read_limited(stream: BinaryIO, limit: int) -> bytes | None:
    """At most `limit` bytes, or None when there are more: memory stays bounded even for a
    gzip bomb or a file that grew after it was measured."""
    data = stream.read(limit + 1)
    return None if len(data) > limit else data


def size_text(size: int) -> str:
    """A byte count for people: "600 MB", "1.5 MB", "12 KB", "300 bytes"."""
    if size < 1024:
        return f"{size} bytes"
    for unit, scale in (("KB", 1024), ("MB", MiB), ("GB", MiB * 1024)):
        value = size / scale
        if value < 1024 or unit == "GB":
            return f"{value:.1f} {unit}".replace(".0 ", " ") if value < 10 else f"{value:.0f} {unit}"
    return f"{size} bytes"  # pragma: no cover


def over_limit(size: int, limit: int, what: str = "file", scope: str = "") -> str:
    """The reason text for something too big, naming both sizes."""
    shown, cap = size_text(size), size_text(limit)
    if shown == cap:  # e.g. 200.4 MB vs 200 MB: say "over" without claiming equal sizes
        shown = f"{size:,} bytes"
        cap = f"{limit:,} bytes"
    return f"{what} is {shown}, over the {cap} limit{scope}"
