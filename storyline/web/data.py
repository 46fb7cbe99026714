"""What each page needs, read from the store and shaped by `views` (shared with the report).

Every function takes a `Store` (one cursor per request) and returns the JSON-ready view model
that both the HTML page and the `/api/...` endpoint serve.
"""

from __future__ import annotations

import math
import threading
from typing import TYPE_CHECKING, Any, Iterator

from ..engine import cpu_count
from ..present import views
from ..present.export import article_dict
from ..records import Event, Figure, Quote, Sentence, Story, as_dict
from ..store import Store
from ..store.bm25 import PostingCache
from ..text import sentence_spans

if TYPE_CHECKING:  # pragma: no cover
    from .gate import Gate

PAGE_SIZE = 50
KINDS = ("article", "quote", "claim")
SYNC_EMBED_LIMIT = 3000  # passages embedded inside the request on a small store; beyond, in the background


def story_list(store: Store, *, q: str | None = None, source: str | None = None, entity: str | None = None,
               date_from: str | None = None, date_to: str | None = None, sort: str = "size", page: int = 1) -> dict:
    page = max(page, 1)
    sort = sort if sort in ("size", "recent") else "size"
    total, rows = store.web.story_listing(q=q, source=source, entity=entity, date_from=date_from, date_to=date_to,
                                          sort=sort, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    filters = {"q": q or "", "source": source or "", "entity": entity or "", "date_from": date_from or "",
               "date_to": date_to or "", "sort": sort}
    return {"total": total, "page": page, "pages": max(1, math.ceil(total / PAGE_SIZE)), "stories": rows,
            "filters": filters, "facets": store.web.story_facets()}


def story(store: Store, story_id: str, page: int = 1) -> dict | None:
    found = store.story(story_id)
    if found is None:
        return None
    s = as_dict(found)
    ids = list(s["article_ids"])
    articles = {a.id: article_dict(a) for a in store.articles(ids)}
    copies = as_dict(store.web.copies_touching(ids))
    quotes = as_dict(store.of_articles(Quote, ids))
    # summary, timeline and conflicts carry their own offsets: the story page reads no events
    return views.story_view(s, articles, copies, quotes, page=max(page, 1))


def article(store: Store, article_id: str, cited: tuple[int, int] | None = None) -> dict | None:
    a = store.article(article_id)
    if a is None:
        return None
    copies = as_dict(store.web.copies_touching([article_id]))
    other_ids = {c["article_id"] for c in copies} | {c["of_article_id"] for c in copies}
    others = {r["id"]: r for r in store.web.article_rows(sorted(other_ids), limit=1000)[1]} if other_ids else {}
    own = [as_dict(store.of_articles(cls, [article_id])) for cls in (Quote, Figure, Event)]
    return views.article_view(article_dict(a), *own, as_dict(store.web.entities_in([article_id])), copies, others,
                              store.web.stories_of_article(article_id), cited)


def article_list(store: Store, *, q: str | None = None, page: int = 1) -> dict:
    page = max(page, 1)
    total, rows = store.web.article_rows(limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE, q=q)
    return {"total": total, "page": page, "pages": max(1, math.ceil(total / PAGE_SIZE)), "articles": rows,
            "filters": {"q": q or ""}}


# -- search ----------------------------------------------------------------------------------------


def passages(store: Store) -> Iterator[tuple]:
    """(kind, article_id, story_id, ref_id, start, end, label, text) for the search index:
    titles and sentences of articles, quotes with their speakers, and the stories' claims."""
    sentences: dict[str, list[tuple[int, int]]] = {}
    for s in store.listing(Sentence):
        sentences.setdefault(s.article_id, []).append((s.start, s.end))
    for a in store.articles():
        if a.title:
            yield ("article", a.id, None, a.id, None, None, a.source, a.title)
        for start, end in sentences.get(a.id) or sentence_spans(a.text):
            if end - start >= 3:
                yield ("article", a.id, None, a.id, start, end, a.source, a.text[start:end])
    for q in store.listing(Quote):
        yield ("quote", q.article_id, None, q.id, q.start, q.end, q.speaker, q.text)
    for s in store.listing(Story):
        for c in s.claims:
            first = c.variants[0] if c.variants else None
            yield ("claim", first.article_id if first else None, s.id, c.id, first.start if first else None,
                   first.end if first else None, c.status, c.text)


class Index:
    """Keeps the store's search tables current; embeds passages for semantic search."""

    def __init__(self, gate: "Gate", writer: threading.Lock) -> None:
        self.gate = gate
        self.writer = writer
        self._embedding: threading.Thread | None = None
        self.error: str | None = None
        self.postings = PostingCache()  # common words' postings, read once per index build
        # searches computed at once: more than the cores slow each other (DuckDB's threads and
        # the interpreter's lock), so twenty new queries at once finish sooner taken a few at a time
        self.slots = threading.BoundedSemaphore(cpu_count())

    def refresh(self, store: Store, force: bool = False) -> bool:
        """Rebuild the search tables if stale; `store` must be a writing cursor."""
        with self.writer:
            return store.web.refresh_index(lambda: passages(store), force=force)

    def embed_missing(self, store: Store, kinds: list[str], limit: int | None = None, batch: int = 128) -> int:
        from ..embed import embed

        done = 0
        while limit is None or done < limit:
            todo = store.web.passages_to_embed(batch, kinds)
            if not todo:
                break
            vectors = embed([t for _, t in todo])
            with self.writer:
                store.web.put_vectors([p for p, _ in todo], vectors.tolist())
            done += len(todo)
        return done

    def prepare(self, mode: str, kind: str) -> None:
        """Before a semantic search: embed the missing passages now on a small store; on a
        large one start (once) a background embedder, and search what is embedded so far.
        Called without a cursor held, since writing vectors switches the connection."""
        if mode != "semantic":
            return
        kinds = list(KINDS) if kind not in KINDS else [kind]
        with self.gate.reading() as store:
            have, total = store.web.vector_coverage(kinds)
        if have < total and total - have <= SYNC_EMBED_LIMIT:
            from ..embed import ModelMissing

            try:
                with self.gate.writing() as store:
                    self.embed_missing(store, kinds)
            except ModelMissing:
                pass  # the search says so
        elif have < total and (self._embedding is None or not self._embedding.is_alive()):
            self._embedding = threading.Thread(target=self._background, args=(kinds,), name="storyline-embed",
                                               daemon=True)
            self._embedding.start()

    def _background(self, kinds: list[str]) -> None:
        try:
            with self.gate.writing() as store:
                self.embed_missing(store, kinds)
        except Exception as exc:  # reported on the search page, never fatal to the server
            self.error = f"{type(exc).__name__}: {exc}"


def search(store: Store, index: Index, q: str, *, mode: str = "bm25", kind: str = "all", limit: int = 30) -> dict:
    mode = mode if mode in ("bm25", "semantic") else "bm25"
    kinds = list(KINDS) if kind not in KINDS else [kind]
    result: dict[str, Any] = {"query": q, "mode": mode, "kind": kind if kind in KINDS else "all", "results": [],
                              "note": None}
    if not q.strip():
        return result
    if mode == "semantic":
        from ..embed import ModelMissing, embed

        try:
            have, total = store.web.vector_coverage(kinds)
            hits = store.web.search_vectors(embed([q])[0].tolist(), kinds, limit * 2)
        except ModelMissing as exc:
            result["note"] = f"semantic search unavailable: {exc}"
            return result
        if have < total:
            result["note"] = f"semantic index is being built: {have} of {total} passages embedded so far"
    else:
        hits = store.web.search_bm25(q, None if kind not in KINDS else kinds, limit * 2,
                                     cache=index.postings if index else None)
    seen: set[tuple[str, str]] = set()
    for h in hits:
        key = (h["kind"], h["article_id"] if h["kind"] == "article" else h["ref_id"])
        if key in seen:
            continue
        seen.add(key)
        result["results"].append({
            "kind": h["kind"], "score": round(float(h["score"]), 4), "text": h["text"], "label": h["label"],
            "article_id": h["article_id"], "story_id": h["story_id"], "ref_id": h["ref_id"],
            "start": h["start"], "end": h["end"], "article_title": h["article_title"], "source": h["source"],
            "published": h["published"], "spans": views.match_spans(h["text"], q) if mode == "bm25" else [],
        })
        if len(result["results"]) >= limit:
            break
    return result
