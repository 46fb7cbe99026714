"""Bytes to text, for files that rarely say which encoding they use.

Order matters: a byte-order mark is certain; UTF-16 without a mark shows as a NUL beside
every ASCII letter (and NULs are valid UTF-8, so it must be tried before UTF-8); valid
UTF-8 is almost never an accident (a mis-declared UTF-8 page is far more common than
Cyrillic that happens to be valid UTF-8); a file mixing UTF-8 with cp1252 lines (text
pasted together from two tools) is decoded sequence by sequence, so neither half turns into
"cafÃ©"; a declared charset comes next; statistics last. charset-normalizer is unreliable on short
Western text (it picks cp1250 for English with smart quotes), so a Latin-script guess is
settled as cp1252 (Windows "smart quotes" in 0x80-0x9F) or, failing that, Latin-1.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Labels that browsers treat as windows-1252 (WHATWG Encoding Standard): pages that say
# Latin-1 are nearly always written by Windows tools that put smart quotes in 0x80-0x9F.
_CP1252_LABELS = {"iso-8859-1", "iso8859-1", "latin-1", "latin1", "l1", "iso_8859-1", "us-ascii", "ascii",
                  "cp819", "ibm819", "windows-1252", "cp1252", "x-cp1252"}

# Latin-script single-byte codecs charset-normalizer may report for Western text.
_LATIN_GUESSES = {"cp1252", "latin_1", "iso8859_15", "cp1250", "iso8859_2", "mac_roman", "mac_latin2",
                  "mac_iceland", "cp1254", "iso8859_9", "cp1257", "iso8859_13", "cp1258", "cp850",
                  "cp852", "cp437", "cp775", "iso8859_10", "iso8859_14", "iso8859_16", "iso8859_4",
                  "cp858", "cp860", "cp863", "cp865", "hp_roman8", "ascii", "utf_8"}
# Languages for which a Central European guess is believed over the cp1252 default.
_CENTRAL_EUROPEAN = {"Czech", "Slovak", "Polish", "Hungarian", "Slovene", "Croatian", "Romanian"}

_NEWLINES = re.compile(r"\r\n?")


# NULs in an 8-bit text file are stray bytes from a broken tool, not content, when they are
# this rare; more than this and the file is binary.
MAX_STRAY_NULS = 64


class DecodeError(ValueError):
    """The bytes cannot be read as text in the encoding they claim."""


def bom_encoding(data: bytes) -> tuple[str, int] | None:
    """The encoding a byte-order mark announces, and the mark's length."""
    for mark, name in BOMS:
        if data.startswith(mark):
            return name, len(mark)
    return None


def utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 without a BOM shows as ASCII letters with a NUL beside every one."""
    sample = data[:4096]
    pairs = len(sample) // 2
    if pairs < 8:
        return None
    even_nul = sum(1 for i in range(0, pairs * 2, 2) if sample[i] == 0)
    odd_nul = sum(1 for i in range(1, pairs * 2, 2) if sample[i] == 0)
    if odd_nul > 0.6 * pairs and even_nul < 0.02 * pairs:
        return "utf-16-le"
    if even_nul > 0.6 * pairs and odd_nul < 0.02 * pairs:
        return "utf-16-be"
    return None


@dataclass
class Decoded:
    """Decoded text, and what had to be repaired on the way (said to the user as a problem)."""

    text: str
    notes: list[str] = field(default_factory=list)


def normalise_newlines(text: str) -> str:
    return _NEWLINES.sub("\n", text)


def canonical_charset(label: str | None) -> str | None:
    """A Python codec name for a declared charset, or None when it is unknown or useless.

    A declared UTF-16/32 in an 8-bit stream is a copy-paste error (the bytes would have NULs),
    so it is ignored, as browsers do.
    """
    if not label:
        return None
    label = label.strip().strip("'\"").lower()
    if label in _CP1252_LABELS:
        return "cp1252"
    try:
        name = codecs.lookup(label).name
    except (LookupError, ValueError):
        return None
    return None if name.startswith(("utf-16", "utf-32")) else name


def decode_western(data: bytes) -> str:
    """cp1252, or Latin-1 when the bytes use one of cp1252's five unassigned codes."""
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:  # 0x81 0x8D 0x8F 0x90 0x9D are unassigned in cp1252
        return data.decode("latin-1")


def _guess(data: bytes) -> str:
    from charset_normalizer import from_bytes

    best = from_bytes(data[: 256 * 1024]).best()
    if best is None:
        return decode_western(data)
    encoding = best.encoding
    if encoding.startswith(("utf_16", "utf_32")):  # without a BOM or the NUL pattern: a misguess
        return decode_western(data)
    if encoding in _LATIN_GUESSES and not (encoding in {"cp1250", "iso8859_2"} and best.language in _CENTRAL_EUROPEAN):
        return decode_western(data)
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return decode_western(data)


def decode_bytes(data: bytes, declared: str | None = None) -> str:
    """Decode `data` to text with newlines normalised to "\\n" (see `decode_text`)."""
    return decode_text(data, declared).text


def decode_text(data: bytes, declared: str | None = None) -> Decoded:
    """Decode `data` to text with newlines normalised, noting every repair.

    `declared` is a charset the container states (HTTP header, <meta charset>); it is
    trusted only after a BOM and a strict UTF-8 attempt. Raises `DecodeError` when a BOM
    promises an encoding the bytes do not follow.
    """
    bom = bom_encoding(data)
    if bom:
        name, skip = bom
        try:
            return Decoded(normalise_newlines(data[skip:].decode(name)))
        except UnicodeDecodeError as exc:
            raise DecodeError(f"cannot decode as {name.upper()} although the file starts with "
                              f"a {name.upper()} byte-order mark ({exc.reason} at byte {exc.start + skip})") from None
    bare16 = utf16_without_bom(data)
    if bare16:
        try:
            return Decoded(normalise_newlines(data.decode(bare16)))
        except UnicodeDecodeError:
            pass
    notes = []
    nuls = data.count(0)
    if 0 < nuls <= MAX_STRAY_NULS:
        data = data.replace(b"\x00", b"")
        notes.append(f"{nuls} stray NUL byte{'' if nuls == 1 else 's'} removed")
    try:
        return Decoded(normalise_newlines(data.decode("utf-8")), notes)
    except UnicodeDecodeError:
        pass
    mixed = _mixed_lines(data, declared)
    if mixed is not None:
        notes.append("mixes UTF-8 lines with lines in another encoding: each line was decoded on its own")
        return Decoded(normalise_newlines(mixed), notes)
    return Decoded(normalise_newlines(_legacy(data, declared)), notes)


def _mixed_lines(data: bytes, declared: str | None) -> str | None:
    """Text whose lines are part UTF-8 (with non-ASCII letters) and part something else,
    decoded line by line; None when no line is genuinely UTF-8. A single-byte legacy text
    practically never has a whole non-ASCII line that happens to be valid UTF-8."""
    lines = data.split(b"\n")
    decoded: list[str | None] = []
    utf8 = 0
    for line in lines:
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError:
            decoded.append(None)
            continue
        utf8 += not line.isascii()
        decoded.append(text)
    if not utf8:
        return None
    rest = [line for line, text in zip(lines, decoded) if text is None]
    legacy = iter(_legacy(b"\n".join(rest), declared).split("\n"))
    return "\n".join(text if text is not None else next(legacy, "") for text in decoded)


def _legacy(data: bytes, declared: str | None) -> str:
    """Bytes that are not UTF-8: the declared charset if it reads them, else a guess."""
    codec = canonical_charset(declared)
    if codec == "cp1252":
        return decode_western(data)
    if codec and codec != "utf-8":
        try:
            return data.decode(codec)
        except (UnicodeDecodeError, LookupError):
            pass
    return _guess(data)


def sniff_text(head: bytes) -> str:
    """A lossy decoding of the first bytes, only to look at how the content starts."""
    bom = bom_encoding(head)
    if bom:
        name, skip = bom
        return head[skip:].decode(name, errors="replace")
    bare16 = utf16_without_bom(head)
    if bare16:
        return head.decode(bare16, errors="replace")
    return head.decode("utf-8", errors="replace")
