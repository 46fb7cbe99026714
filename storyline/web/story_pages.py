"""Story pages built ahead of the request and kept in the store until the story changes.

Building a story page (its view model, then the template) costs tens of milliseconds of
Python, and twenty clients opening twenty different stories queue behind one another on the
interpreter. So each story's pages (the JSON view and the HTML) are built once, when the
server finds them missing or stale, and stored with a fingerprint of everything they show
(`store.web.story_fingerprints`: the story row, its articles' metadata, their quotes and copy
links) and of the code that builds them. Once per generation of the store (at start, then at
the first request after each write) the server compares the fingerprints of all stories
with the stored ones in one query; a request for a story whose page is current reads that
one row by its key and serves the stored bytes, and any other request builds the page as
before. A stale page is therefore never served, whichever path changed the store.
"""

from __future__ import annotations

import hashlib
import json
import threading
from importlib import resources
from typing import TYPE_CHECKING, Callable

from .. import __version__
from ..store import Store
from ..present import views
from . import data

if TYPE_CHECKING:  # pragma: no cover
    from .gate import Gate

SYNC_BUILD_LIMIT = 200  # stale stories built before the server starts; beyond, in the background
CHUNK = 50  # stories built per background write (each write switches the connection and clears the page cache)
Render = Callable[[dict], str]  # a story view -> the page's HTML


def _code_digest() -> str:
    """Changes with the version and with any file that shapes a stored page."""
    h = hashlib.sha256(__version__.encode())
    root = resources.files("storyline")
    for part in ("present/views.py", "present/pages.py", "present/export.py", "web/data.py", "web/app.py",
                 "web/story_pages.py"):
        h.update((root / part).read_bytes())
    for item in sorted((root / "templates").iterdir(), key=lambda p: p.name):
        h.update(item.name.encode() + item.read_bytes())
    return h.hexdigest()[:16]


CODE = _code_digest()


def code_key() -> str:
    """CODE with the page sizes of `views.STORY_PAGE`, a setting that shapes every stored page."""
    sizes = json.dumps(views.STORY_PAGE, sort_keys=True).encode()
    return f"{CODE}-{hashlib.sha256(sizes).hexdigest()[:8]}"


def dumps(view: dict) -> str:
    """JSON text of a view exactly as the API's JSONResponse writes it."""
    return json.dumps(view, ensure_ascii=False, allow_nan=False, indent=None, separators=(",", ":"))


class StoryPages:
    """Stored story pages: `get` for a request, `refresh` (a writing cursor) to bring them up to date."""

    def __init__(self, gate: "Gate", writer: threading.Lock, render: Render) -> None:
        self.gate = gate
        self.writer = writer
        self.render = render
        self._background: threading.Thread | None = None
        self._lock = threading.Lock()
        self._current: tuple[tuple | None, dict[str, str]] = (None, {})
        self.error: str | None = None

    def get(self, store: Store, story_id: str, page: int, part: str) -> str | None:
        """One page of a story, its "view" JSON or its "html": the stored one when it is
        current, else built now; None when there is no such story."""
        fingerprint = self.current(store).get(story_id)
        found = store.web.story_page(story_id, page, fingerprint, part) if fingerprint else None
        if found is not None:
            return found
        view = data.story(store, story_id, page)
        if view is None:
            return None
        return dumps(view) if part == "view" else self.render(view)

    def current(self, store: Store) -> dict[str, str]:
        """Story -> fingerprint, for the stories whose stored pages are current.

        Checked for every story at once (a fraction of a second at 10,000 articles) and kept
        until the next write: the server's connection is the only one that can write the
        file while it runs, and every write it makes starts a new generation. During a write
        nothing is trusted: pages are built per request."""
        generation = self.gate.stable()
        if generation is None:
            return {}
        key = (generation, code_key())
        with self._lock:  # one check per generation, however many requests arrive at once
            if self._current[0] != key:
                current = self._fingerprints(store)
                stored = store.web.stored_story_fingerprints()
                fresh = {k: v for k, v in current.items() if stored.get(k) == v}
                self._current = (key if self.gate.stable() == generation else None, fresh)
            return self._current[1]

    def _fingerprints(self, store: Store, story_ids: list[str] | None = None) -> dict[str, str]:
        code = code_key()
        return {k: f"{code}:{v}" for k, v in store.web.story_fingerprints(story_ids).items()}

    def stale(self, store: Store) -> list[str]:
        """Stories whose stored pages are missing or out of date, plus deleted stories that still have some."""
        stored = store.web.stored_story_fingerprints()
        current = self._fingerprints(store)
        return sorted({k for k, v in current.items() if stored.get(k) != v} | (stored.keys() - current.keys()))

    def build(self, store: Store, story_ids: list[str]) -> list[tuple[str, int, str, str, str]]:
        """Every page of these stories as rows for `put_story_pages` (deleted stories give none)."""
        fingerprints = self._fingerprints(store, story_ids)
        rows = []
        for sid in story_ids:
            if sid not in fingerprints:
                continue
            page, pages = 1, 1
            while page <= pages:
                view = data.story(store, sid, page)
                if view is None:
                    break
                pages = view["paging"]["pages"]
                rows.append((sid, page, fingerprints[sid], dumps(view), self.render(view)))
                page += 1
        return rows

    def refresh(self, store: Store) -> list[str]:
        """Rebuild the stale stories' pages through `store`, a writing cursor (after an upload:
        the stories it changed). Returns the stories rebuilt."""
        todo = self.stale(store)
        with self.writer:
            store.web.put_story_pages(todo, self.build(store, todo))
        return todo

    def start(self) -> None:
        """At server start: build few stale stories now, many in a background thread (requests
        build the pages not stored yet meanwhile, as they always did)."""
        with self.gate.reading() as store:
            ready = store.web.has_story_pages()
        if not ready:
            with self.gate.writing() as store, self.writer:
                store.web.put_story_pages([], [])  # creates the table
        with self.gate.reading() as store:
            todo = self.stale(store)
        if 0 < len(todo) <= SYNC_BUILD_LIMIT:
            with self.gate.writing() as store:
                self.refresh(store)
        elif todo:
            self._background = threading.Thread(target=self._build_all, name="storyline-story-pages", daemon=True)
            self._background.start()
            return
        with self.gate.reading() as store:
            self.current(store)  # checked now rather than by the first requests, which would all wait for it

    def _build_all(self) -> None:
        """Build in chunks: read and render through a reading cursor, then write one chunk, so
        requests are held back only for the short writes."""
        try:
            while True:
                with self.gate.reading() as store:
                    todo = self.stale(store)[:CHUNK]
                    rows = self.build(store, todo) if todo else []
                if not todo:
                    return
                with self.gate.writing() as store, self.writer:
                    store.web.put_story_pages(todo, rows)
        except Exception as exc:  # pages are then built per request, never fatal to the server
            self.error = f"{type(exc).__name__}: {exc}"

    def wait(self, timeout: float | None = None) -> None:
        """Until the background build (if any) has finished."""
        if self._background is not None:
            self._background.join(timeout)
