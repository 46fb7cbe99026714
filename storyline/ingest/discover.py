"""Which files a user means by the paths they give: files, folders, glob patterns.

Folders are walked in sorted order so that runs are reproducible. What is obviously not an
article is left out quietly (hidden files such as .git, images, archives, databases such
as the store itself when it sits in the corpus folder); a file named explicitly is always
passed on, so that if it cannot be read the user hears why. A file in a folder that is plainly
not an article (an image, an archive, a database such as the store itself) is skipped, and
listed with its reason.

A file name need not be valid UTF-8 (Linux names are bytes). Python carries the bad bytes as
surrogate escapes, which the store cannot encode, so every path leaves ingest through
`path_text`: UTF-8 names unchanged, any other byte as `\\xNN`, as `ls -b` shows it.
"""

from __future__ import annotations

import glob
import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..records import Problem
from .detect import non_article

_SKIP_DIRS = {"__pycache__", "node_modules"}
NOT_REGULAR = "not a regular file (a device, pipe or socket)"
_GLOB_CHARS = set("*?[")


def path_text(path: str | os.PathLike) -> str:
    """The path as text the store can hold: its bytes as UTF-8, other bytes as `\\xNN`."""
    raw = os.fsencode(path)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("utf-8", "backslashreplace")


def _reason(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "permission denied"
    if isinstance(exc, FileNotFoundError):
        return "no such file or directory"
    return f"cannot read: {exc.strerror or exc}"


def _non_article(path: Path) -> str | None:
    try:
        with open(path, "rb") as handle:
            return non_article(handle)
    except OSError:
        return None  # let read_file report it


def _file(path: Path) -> Path | Problem:
    """A file found in a folder or by a pattern: itself, or why it is not read."""
    fmt = _non_article(path)
    return path if fmt is None else Problem(path_text(path), f"skipped: {fmt}, not an article")


def _walk(folder: Path, ancestors: tuple[tuple[int, int], ...]) -> Iterator[Path | Problem]:
    try:
        info = folder.stat()
    except OSError as exc:
        yield Problem(path_text(folder), _reason(exc))
        return
    key = (info.st_dev, info.st_ino)
    if key in ancestors:
        yield Problem(path_text(folder), "directory loop: a link leads back to a folder that contains it")
        return
    try:
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
    except OSError as exc:
        yield Problem(path_text(folder), _reason(exc))
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = Path(entry.path)
        try:
            mode = entry.stat().st_mode  # follows links
        except OSError as exc:
            if entry.is_symlink():
                yield Problem(path_text(path), "broken symbolic link")
            else:
                yield Problem(path_text(path), _reason(exc))
            continue
        if stat.S_ISDIR(mode):
            if entry.name not in _SKIP_DIRS:
                yield from _walk(path, ancestors + (key,))
        elif stat.S_ISREG(mode):
            yield _file(path)
        else:  # a FIFO would block the read forever; listed, never opened
            yield Problem(path_text(path), NOT_REGULAR)


def _expand(pattern: str) -> Iterator[Path | Problem]:
    matches = sorted(glob.glob(pattern, recursive=True))
    if not matches:
        yield Problem(path_text(pattern), "no files match this pattern")
        return
    for match in matches:
        path = Path(match)
        if path.is_dir():
            yield from _walk(path, ())
        elif path.is_file():
            yield _file(path)


def _one(given: str | os.PathLike) -> Iterator[Path | Problem]:
    try:
        text = os.path.expanduser(os.fsdecode(given))
    except TypeError:
        yield Problem(repr(given), "not a path")
        return
    path = Path(text)
    try:
        info = path.stat()
    except ValueError:  # an embedded NUL byte
        yield Problem(path_text(text.replace("\0", "\\0")), "not a valid path")
        return
    except FileNotFoundError:
        if _GLOB_CHARS & set(text):
            yield from _expand(text)
        elif path.is_symlink():
            yield Problem(path_text(text), "broken symbolic link")
        else:
            yield Problem(path_text(text), "no such file or directory")
        return
    except OSError as exc:
        yield Problem(path_text(text), _reason(exc))
        return
    if stat.S_ISDIR(info.st_mode):
        yield from _walk(path, ())
    else:
        yield path  # named explicitly: read_file says why if it is not usable


def discover(paths: Iterable[str | os.PathLike] | str | os.PathLike) -> Iterator[Path | Problem]:
    """Each file under `paths` once, in order, or a Problem for a path that leads nowhere."""
    if isinstance(paths, str | os.PathLike):
        paths = [paths]
    seen: set[tuple[int, int] | str] = set()
    for given in paths:
        for item in _one(given):
            if isinstance(item, Path):
                try:
                    info = item.stat()
                    key: tuple[int, int] | str = (info.st_dev, info.st_ino)
                except OSError:
                    key = str(item)
                if key in seen:
                    continue
                seen.add(key)
            yield item
