"""What a file is, decided from its first bytes rather than its name.

Scraped corpora are full of misnamed files (HTML saved as .txt, WARCs without extension,
gzip everywhere), so content decides and the extension only breaks ties for content that
could be anything (a fragment of HTML, an empty-looking XML file).
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from .decode import MAX_STRAY_NULS, bom_encoding, sniff_text, utf16_without_bom
from .streams import GZIP_MAGIC

HEAD_BYTES = 64 * 1024

# Formats that are never articles; folder walks skip them without a word.
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"BM", None),  # checked below: too short to trust alone
    (b"II*\x00", "TIFF image"),
    (b"MM\x00*", "TIFF image"),
    (b"\x00\x00\x01\x00", "icon"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive"),
    (b"PK\x05\x06", "ZIP archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"\xfd7zXZ\x00", "XZ archive"),
    (b"BZh", None),  # bzip2: checked below
    (b"\x28\xb5\x2f\xfd", "Zstandard archive"),
    (b"ID3", "MP3 audio"),
    (b"OggS", "Ogg media"),
    (b"fLaC", "FLAC audio"),
    (b"\x1aE\xdf\xa3", "Matroska/WebM video"),
    (b"\x7fELF", "executable"),
    (b"MZ", None),  # Windows executable: checked below
    (b"\xca\xfe\xba\xbe", "Java class or Mach-O binary"),
    (b"\xcf\xfa\xed\xfe", "Mach-O binary"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"PAR1", "Parquet file"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "OLE2 file (old Office document)"),
    (b"wOFF", "web font"),
    (b"wOF2", "web font"),
    (b"\x00asm", "WebAssembly module"),
)

_CONTROL = bytes(range(0, 9)) + bytes(range(14, 27)) + bytes(range(28, 32)) + b"\x7f"
# a DOCTYPE may carry an internal subset in brackets, with ">" inside its declarations
_LEADING_JUNK = re.compile(r"^(?:\s+|<\?xml[^>]*\?>|<!--.*?-->|<!doctype[^\[>]*(?:\[.*?\]\s*)?>|<\?[^>]*\?>)*",
                           re.I | re.S)
_FIRST_TAG = re.compile(r"<([a-zA-Z][\w:.-]*)")
_DOCTYPE_HTML = re.compile(r"<!doctype\s+html", re.I)
_MARKUP = re.compile(r"<(?:[a-zA-Z][\w:-]*[\s>/]|/[a-zA-Z]|!--)")
HTML_TAGS = {"html", "head", "body", "meta", "title", "article", "main", "div", "p", "section", "header",
             "h1", "h2", "h3", "link", "script", "style", "base", "nav", "table", "span", "a"}
FEED_ROOTS = {"rss", "feed", "rdf:rdf", "rdf"}

HTML_EXT = {".html", ".htm", ".xhtml", ".shtml", ".php", ".asp", ".aspx"}
FEED_EXT = {".xml", ".rss", ".atom", ".rdf"}
JSONL_EXT = {".jsonl", ".ndjson", ".jsonlines"}
WARC_EXT = {".warc", ".arc"}


@dataclass(frozen=True, slots=True)
class Sniffed:
    """kind: text | html | jsonl | json | feed | xml | warc | binary | empty | broken; `detail` names a
    binary format or the root element of non-feed XML."""

    kind: str
    compressed: bool = False
    detail: str | None = None


def binary_format(head: bytes) -> str | None:
    """The name of a well-known non-text format, from its magic number."""
    for magic, name in _MAGIC:
        if head.startswith(magic):
            if name:
                return name
            if magic == b"BM" and len(head) > 14 and head[6:10] == b"\x00\x00\x00\x00":
                return "BMP image"
            if magic == b"BZh" and len(head) > 4 and head[3:4].isdigit() and head[4:10] == b"1AY&SY":
                return "bzip2 archive"
            if magic == b"MZ" and b"\x00" in head[:64]:
                return "Windows executable"
    if head[4:8] == b"ftyp":
        return "MP4/QuickTime media"
    if head.startswith(b"RIFF") and head[8:12] in (b"WAVE", b"AVI ", b"WEBP"):
        return {b"WAVE": "WAV audio", b"AVI ": "AVI video", b"WEBP": "WebP image"}[head[8:12]]
    if head[8:12] == b"DUCK":
        return "DuckDB database"
    return None


def looks_binary(head: bytes) -> bool:
    """NUL bytes (outside UTF-16/32) or a high share of control characters."""
    if not head:
        return False
    bom = bom_encoding(head)
    if (bom and bom[0].startswith(("utf-16", "utf-32"))) or utf16_without_bom(head):
        return False
    if head.count(0) > MAX_STRAY_NULS:
        return True  # a few stray NULs in text are removed when it is decoded
    controls = len(head) - len(head.translate(None, _CONTROL))
    return controls > 0.1 * len(head)


def _suffix(path: Path) -> str:
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] in (".gz", ".gzip"):
        suffixes = suffixes[:-1]
    return suffixes[-1] if suffixes else ""


def classify(head: bytes, name: str | Path = "", complete: bool = False) -> tuple[str, str | None]:
    """(kind, detail) for content beginning with `head`; `complete` says it is the whole file."""
    fmt = binary_format(head)
    if fmt:
        return "binary", fmt
    if looks_binary(head):
        return "binary", None
    text = sniff_text(head)
    if complete and not text.strip():
        return "empty", None
    start = text.lstrip("\ufeff \t\r\n")
    if start.startswith(("WARC/", "filedesc://")):  # WARC, or its predecessor ARC
        return "warc", None
    ext = _suffix(Path(name))
    window = start[:8192]
    prologue = _LEADING_JUNK.match(window).group(0)  # always matches, possibly empty
    tag = _FIRST_TAG.match(window, len(prologue))
    root = tag.group(1).lower() if tag else None
    if root in FEED_ROOTS:
        return "feed", None
    if _DOCTYPE_HTML.search(prologue) or root in HTML_TAGS:
        return "html", None
    if start.startswith("{"):
        first = start.split("\n", 1)[0].strip()
        return ("json", None) if first == "{" else ("jsonl", None)
    if start.startswith("[") and ext in JSONL_EXT | {".json"}:
        return "json", None
    if root and start.startswith("<?xml"):
        return "xml", root
    if ext in HTML_EXT:
        return ("html", None) if _MARKUP.search(start) else ("text", None)
    if ext in JSONL_EXT:
        return "jsonl", None
    if ext == ".json":
        return "json", None
    if ext in FEED_EXT and root:
        return "xml", root
    if ext in WARC_EXT:
        return "broken", "not a WARC file: it does not start with 'WARC/'"
    return "text", None


def _gunzip_head(data: bytes) -> tuple[bytes, bool]:
    """The first decompressed bytes, tolerating a cut-off stream (the reader reports that
    later, after the records before the cut); and whether the stream ended cleanly."""
    out = b""
    while data and len(out) < HEAD_BYTES:
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            out += inflater.decompress(data, HEAD_BYTES - len(out))
        except zlib.error:
            if not out:
                raise
            return out, False  # damage further in: the reader reports it where it is
        if not inflater.eof:
            return out, False
        data = inflater.unused_data
    return out, True


def sniff(raw: BinaryIO, name: str | Path = "") -> Sniffed:
    """Look at the start of an open binary file (gunzipping it if needed) and rewind it."""
    head = raw.read(HEAD_BYTES)
    raw.seek(0)
    complete = len(head) < HEAD_BYTES
    compressed = head.startswith(GZIP_MAGIC)
    if compressed:
        try:
            head, ended = _gunzip_head(head)
        except zlib.error as exc:
            return Sniffed("broken", True, f"corrupt gzip data ({exc})")
        if not head and complete and not ended:
            return Sniffed("broken", True, "truncated gzip stream")
        complete = complete and ended and len(head) < HEAD_BYTES
    kind, detail = classify(head, name, complete)
    return Sniffed(kind, compressed, detail)


def non_article(raw: BinaryIO) -> str | None:
    """The format name when a file is plainly not an article (an image, an archive, ...)."""
    return binary_format(raw.read(64))
