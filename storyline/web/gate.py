"""The web app's one connection to the store: read-only unless something is being written.

DuckDB lets many processes read a file, or one process write it, never both. A server that
held the file open for writing all the time would lock out `storyline list`, `show` and
`export` for as long as it runs. So the server reads through a read-only connection, and
only a write (an upload job, the search index, the vectors of semantic search) switches it
to read-write, for as long as the write lasts, and back afterwards. Each finished write
starts a new generation, which keys the cache of built pages.

A DuckDB connection cannot change mode while any cursor of it is open, so a switch waits
for the requests in flight (they are short) and holds new ones back meanwhile. Code that
writes must not hold a reading cursor of its own while it asks to write.
"""

from __future__ import annotations

import threading
import typing
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from ..cache import BoundedCache
from ..store import Store, StoreError

LOCK_WAIT_SECONDS = 30.0  # how long a switch to writing waits for other processes' readers to finish


class Gate:
    """Hands out cursors: `reading()` for a request, `writing()` for a write (reentrant)."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        if not Path(self.path).exists():
            Store(self.path).close()  # a new, empty store with its schema
        self._cond = threading.Condition()
        self._readers = 0
        self._writers = 0
        self._switching = False
        self._store = Store(self.path, read_only=True)
        self.generation = 0  # counts finished writes: what was read before may be stale after

    @property
    def writable(self) -> bool:
        return self._writers > 0

    def stable(self) -> int | None:
        """The generation while no write is in progress (data read now stays valid until the
        next write); None during a write."""
        return None if self._writers or self._switching else self.generation

    @contextmanager
    def reading(self) -> Iterator[Store]:
        with self._cond:
            self._cond.wait_for(lambda: not self._switching)
            cursor = self._store.cursor()
            self._readers += 1
        try:
            yield cursor
        finally:
            cursor.close()
            with self._cond:
                self._readers -= 1
                self._cond.notify_all()

    @contextmanager
    def writing(self) -> Iterator[Store]:
        with self._cond:
            self._cond.wait_for(lambda: not self._switching)
            if self._writers == 0:
                self._switch(read_only=False)
            self._writers += 1
            cursor = self._store.cursor()
        try:
            yield cursor
        finally:
            cursor.close()
            with self._cond:
                self._writers -= 1
                if self._writers == 0:
                    self._cond.wait_for(lambda: not self._switching)
                    self._switch(read_only=True)
                    self.generation += 1

    def _switch(self, read_only: bool) -> None:
        """Reopen the store in the other mode; called with the condition held."""
        self._switching = True
        try:
            self._cond.wait_for(lambda: self._readers == 0)
            self._store.close()
            self._store = _open(self.path, read_only)
        finally:
            self._switching = False
            self._cond.notify_all()

    def cached(self, cache: "PageCache", key: tuple, build: "typing.Callable[[], typing.Any]") -> typing.Any:
        """`build()`, or what it gave for `key` since the last write."""
        generation = self.stable()
        if generation is None:
            return build()
        return cache.get_or_build((generation, key), build, lambda: self.stable() == generation)

    def close(self) -> None:
        with self._cond:
            self._store.close()


def _open(path: str, read_only: bool) -> Store:
    """Open the store, waiting a while for another process (a CLI reader) to let go of it."""
    return Store(path, read_only=read_only, wait=LOCK_WAIT_SECONDS)


class PageCache(BoundedCache):
    """The last `size` pages built, by (store generation, page key): a story page reads five
    tables and renders hundreds of citations, while the store changes only when something is
    written, so repeated views of a page cost a dictionary lookup."""

    def __init__(self, size: int = 128) -> None:
        super().__init__(size)
