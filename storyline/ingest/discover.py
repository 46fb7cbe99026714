"""Which files a user means by the paths they give: files, folders, glob patterns.

Folders are walked in sorted order so that runs are reproducible. What is obviously not an
article is left out quietly (hidden files such as .git, images, archives, databases such
as the store itself when it sits in the corpus folder); a file named explicitly is always
passed on, so that if it cannot be read the user hears why.
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
_GLOB_CHARS = set("*?[")


def _reason(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "permission denied"
    if isinstance(exc, FileNotFoundError):
        return "no such file or directory"
    return f"cannot read: {exc.strerror or exc}"


def _is_non_article(path: Path) -> bool:
    try:
        with open(path, "rb") as handle:
            return non_article(handle) is not None
    except OSError:
        return False  # let read_file report it


def _walk(folder: Path, ancestors: tuple[tuple[int, int], ...]) -> Iterator[Path | Problem]:
    try:
        info = folder.stat()
    except OSError as exc:
        yield Problem(str(folder), _reason(exc))
        return
    key = (info.st_dev, info.st_ino)
    if key in ancestors:
        yield Problem(str(folder), "directory loop: a link leads back to a folder that contains it")
        return
    try:
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
    except OSError as exc:
        yield Problem(str(folder), _reason(exc))
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = Path(entry.path)
        try:
            mode = entry.stat().st_mode  # follows links
        except OSError as exc:
            if entry.is_symlink():
                yield Problem(str(path), "broken symbolic link")
            else:
                yield Problem(str(path), _reason(exc))
            continue
        if stat.S_ISDIR(mode):
            if entry.name not in _SKIP_DIRS:
                yield from _walk(path, ancestors + (key,))
        elif stat.S_ISREG(mode) and not _is_non_article(path):
            yield path


def _expand(pattern: str) -> Iterator[Path | Problem]:
    matches = sorted(glob.glob(pattern, recursive=True))
    if not matches:
        yield Problem(pattern, "no files match this pattern")
        return
    for match in matches:
        path = Path(match)
        if path.is_dir():
            yield from _walk(path, ())
        elif path.is_file() and not _is_non_article(path):
            yield path


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
        yield Problem(text.replace("\0", "\\0"), "not a valid path")
        return
    except FileNotFoundError:
        if _GLOB_CHARS & set(text):
            yield from _expand(text)
        elif path.is_symlink():
            yield Problem(text, "broken symbolic link")
        else:
            yield Problem(text, "no such file or directory")
        return
    except OSError as exc:
        yield Problem(text, _reason(exc))
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
