"""The embedded store: one DuckDB file holding every record storyline produces.

This is the only module that knows SQL. Each record type maps to one table whose columns
mirror the dataclass fields; nested values (lists, tuples, nested records) are JSON text.
Writes of one batch happen inside one transaction, so a crash or Ctrl-C mid-batch leaves the
store exactly as it was before the batch.
"""

from __future__ import annotations

import dataclasses
import json
import typing
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

import duckdb

from .records import (
    Article,
    Copy,
    Document,
    Entity,
    EntityMention,
    Event,
    Figure,
    Problem,
    Quote,
    Sentence,
    Story,
    as_dict,
    from_dict,
)

DEFAULT_DB = "storyline.duckdb"
PUT_CHUNK = 20_000  # rows per INSERT: bounds the parameter lists held at once
SCHEMA_VERSION = 1


class StoreError(RuntimeError):
    """The store file cannot be opened or written (locked, corrupt, not a DuckDB file)."""


# record type -> (table, key columns that identify a row)
TABLES: dict[type, tuple[str, tuple[str, ...]]] = {
    Document: ("documents", ("hash",)),
    Article: ("articles", ("id",)),
    Entity: ("entities", ("id",)),
    Sentence: ("sentences", ("article_id", "index")),
    EntityMention: ("entity_mentions", ("article_id", "start", "end")),
    Quote: ("quotes", ("id",)),
    Figure: ("figures", ("id",)),
    Event: ("events", ("id",)),
    Copy: ("copies", ("article_id", "of_article_id")),
    Story: ("stories", ("id",)),
}
# records whose rows belong to one article: replaced per article when it is re-analysed
PER_ARTICLE = (Sentence, EntityMention, Quote, Figure, Event)

_SCALARS = {"str": "VARCHAR", "int": "BIGINT", "float": "DOUBLE", "bool": "BOOLEAN"}


def _column_type(annotation: str) -> str | None:
    """SQL type of a scalar field, or None for fields stored as JSON text."""
    parts = {p.strip() for p in annotation.split("|")} - {"None"}
    if len(parts) == 1:
        part = parts.pop()
        if part in _SCALARS:
            return _SCALARS[part]
        if part.startswith(("Literal", "DocumentKind", "CopyKind", "QuoteKind", "ClaimStatus", "Precision")):
            return "VARCHAR"
    return None


def _columns(cls: type) -> list[tuple[str, str, bool]]:
    """(name, sql type, is_json) for each field of a record type, plus a stored `hash` for Document."""
    cols = []
    for f in dataclasses.fields(cls):
        sql = _column_type(str(f.type))
        cols.append((f.name, sql or "VARCHAR", sql is None))
    if cls is Document:
        cols.append(("hash", "VARCHAR", False))
    return cols


class Store:
    """A storyline store file. Use as a context manager, or call `close()`."""

    def __init__(self, path: str | Path = DEFAULT_DB, *, read_only: bool = False) -> None:
        self.path = str(path)
        if read_only and not Path(self.path).exists():
            raise StoreError(f"{self.path}: no such store; run 'storyline ingest' or 'storyline run' first")
        try:
            if not read_only and self.path != ":memory:":
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            self._db = duckdb.connect(self.path, read_only=read_only)
        except (duckdb.Error, OSError) as exc:
            raise StoreError(f"{self.path}: cannot open the store: {exc}") from exc
        self._in_batch = False
        if not read_only:
            self._create_schema()

    # -- lifecycle -------------------------------------------------------------------------

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def _create_schema(self) -> None:
        for cls, (table, keys) in TABLES.items():
            cols = ", ".join(f'"{n}" {t}' for n, t, _ in _columns(cls))
            key_cols = ", ".join(f'"{k}"' for k in keys)
            self._db.execute(f"CREATE TABLE IF NOT EXISTS {table} ({cols}, PRIMARY KEY ({key_cols}))")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS files (digest VARCHAR PRIMARY KEY, path VARCHAR, size BIGINT,"
            " documents BIGINT, problems BIGINT, ingested_at TIMESTAMP DEFAULT current_timestamp)"
        )
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS problems (path VARCHAR, locator VARCHAR, reason VARCHAR,"
            " seen_at TIMESTAMP DEFAULT current_timestamp)"
        )
        self._db.execute("CREATE TABLE IF NOT EXISTS state (key VARCHAR PRIMARY KEY, value VARCHAR)")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS analysed (stage VARCHAR, article_id VARCHAR, PRIMARY KEY (stage, article_id))"
        )
        self._db.execute("INSERT OR IGNORE INTO state VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])

    @contextmanager
    def batch(self) -> Iterator["Store"]:
        """All writes inside happen atomically: committed together or not at all."""
        if self._in_batch:
            yield self
            return
        self._db.execute("BEGIN TRANSACTION")
        self._in_batch = True
        try:
            yield self
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        else:
            self._db.execute("COMMIT")
        finally:
            self._in_batch = False

    # -- generic record tables -------------------------------------------------------------

    def put(self, records: Sequence[Any]) -> int:
        """Insert or replace records (all of one type); returns how many were written."""
        if not records:
            return 0
        cls = type(records[0])
        table, keys = TABLES[cls]
        cols = _columns(cls)
        at = [i for i, (name, _, _) in enumerate(cols) if name in keys]
        latest: dict[tuple, list] = {}  # one row per key, the last given wins (as with repeated puts)
        for rec in records:
            row = [self._cell(rec, name, is_json) for name, _, is_json in cols]
            latest[tuple(row[i] for i in at)] = row
        rows = list(latest.values())
        names = ", ".join(f'"{n}"' for n, _, _ in cols)
        # One statement per chunk, each column passed as a list and unnested side by side:
        # DuckDB's executemany runs one INSERT per row, hundreds of times slower.
        lists = ", ".join(f"unnest(?::{sql}[])" for _, sql, _ in cols)
        with self.batch():
            for start in range(0, len(rows), PUT_CHUNK):
                chunk = rows[start:start + PUT_CHUNK]
                self._db.execute(f"INSERT OR REPLACE INTO {table} ({names}) SELECT {lists}",
                                 [list(column) for column in zip(*chunk)])
        return len(rows)

    @staticmethod
    def _cell(record: Any, name: str, is_json: bool) -> Any:
        value = record.hash if name == "hash" else getattr(record, name)
        return json.dumps(as_dict(value), ensure_ascii=False) if is_json else value

    def get(self, cls: type, where: str = "", params: Sequence[Any] = (), order: str | None = None) -> list[Any]:
        """Records of one type; `where` is a SQL condition over its columns (internal callers only)."""
        table, keys = TABLES[cls]
        cols = _columns(cls)
        names = ", ".join(f'"{n}"' for n, _, _ in cols)
        sql = f"SELECT {names} FROM {table}"
        if where:
            sql += f" WHERE {where}"
        sql += " ORDER BY " + (order or ", ".join(f'"{k}"' for k in keys))
        out = []
        for row in self._db.execute(sql, list(params)).fetchall():
            data = {}
            for (name, _, is_json), value in zip(cols, row):
                if name == "hash" and cls is Document:
                    continue
                data[name] = json.loads(value) if is_json and value is not None else value
            out.append(from_dict(cls, data))
        return out

    def replace_all(self, cls: type, records: Sequence[Any]) -> None:
        """Swap the whole table for a corpus-level result (canonical entities, copies, stories)."""
        table, _ = TABLES[cls]
        with self.batch():
            self._db.execute(f"DELETE FROM {table}")
            self.put(list(records))

    def replace_for_articles(self, cls: type, article_ids: Iterable[str], records: Sequence[Any]) -> None:
        """Swap the per-article rows of `cls` for these articles (re-analysis is idempotent)."""
        assert cls in PER_ARTICLE
        table, _ = TABLES[cls]
        ids = list(article_ids)
        with self.batch():
            if ids:
                self._db.execute(f"DELETE FROM {table} WHERE article_id IN (SELECT unnest(?))", [ids])
            self.put(list(records))

    def count(self, cls: type) -> int:
        table, _ = TABLES[cls]
        return self._db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]

    # -- articles --------------------------------------------------------------------------

    def articles(self, ids: Sequence[str] | None = None) -> list[Article]:
        if ids is None:
            return self.get(Article, order="published NULLS LAST, id")
        return self.get(Article, "id IN (SELECT unnest(?))", [list(ids)], order="published NULLS LAST, id")

    def article(self, article_id: str) -> Article | None:
        found = self.get(Article, "id = ?", [article_id])
        return found[0] if found else None

    def find_articles(self, prefix: str) -> list[Article]:
        """Articles whose id starts with `prefix` (users type short ids)."""
        return self.get(Article, "starts_with(id, ?)", [prefix])

    def article_ids(self) -> set[str]:
        return {r[0] for r in self._db.execute("SELECT id FROM articles").fetchall()}

    def known_hashes(self, hashes: Iterable[str]) -> set[str]:
        wanted = list(set(hashes))
        if not wanted:
            return set()
        rows = self._db.execute("SELECT content_hash FROM articles WHERE content_hash IN (SELECT unnest(?))", [wanted])
        return {r[0] for r in rows.fetchall()}

    # -- files, problems, state ------------------------------------------------------------

    def known_file(self, digest: str) -> bool:
        return self._db.execute("SELECT 1 FROM files WHERE digest = ?", [digest]).fetchone() is not None

    def add_file(self, digest: str, path: str, size: int, documents: int, problems: int) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO files (digest, path, size, documents, problems) VALUES (?, ?, ?, ?, ?)",
            [digest, path, size, documents, problems],
        )

    def add_problems(self, problems: Iterable[Problem]) -> None:
        """Record problems once: the same bad file seen on every run is not listed again."""
        for p in problems:
            self._db.execute(
                "INSERT INTO problems (path, locator, reason) SELECT ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM problems"
                " WHERE path = ? AND locator IS NOT DISTINCT FROM ? AND reason = ?)",
                [p.path, p.locator, p.reason, p.path, p.locator, p.reason],
            )

    def problems(self) -> list[Problem]:
        rows = self._db.execute("SELECT path, locator, reason FROM problems ORDER BY seen_at, path").fetchall()
        return [Problem(path=p, locator=loc, reason=r) for p, loc, r in rows]

    def analysed(self, stage: str) -> set[str]:
        """Ids of the articles a stage has already processed (stages only process new ones)."""
        rows = self._db.execute("SELECT article_id FROM analysed WHERE stage = ?", [stage]).fetchall()
        return {r[0] for r in rows}

    def mark_analysed(self, stage: str, article_ids: Iterable[str]) -> None:
        rows = [[stage, i] for i in article_ids]
        if rows:
            self._db.executemany("INSERT OR IGNORE INTO analysed VALUES (?, ?)", rows)

    def get_state(self, key: str) -> Any:
        row = self._db.execute("SELECT value FROM state WHERE key = ?", [key]).fetchone()
        return json.loads(row[0]) if row else None

    def set_state(self, key: str, value: Any) -> None:
        self._db.execute("INSERT OR REPLACE INTO state VALUES (?, ?)", [key, json.dumps(value)])

    # == Web app queries (used by storyline.web) ================================================
    # Story listing with filters, and the search index the web app reads: BM25 postings and
    # passage vectors. The web_* and search_* tables are derived data, rebuilt by
    # `refresh_web_index` whenever the records they come from change; they never need migrating.

    def cursor(self) -> "Store":
        """This store through a new cursor of the same connection: one per thread or request
        (a DuckDB connection is not safe to share across threads; its cursors are)."""
        view = Store.__new__(Store)
        view.path = self.path
        view._db = self._db.cursor()
        view._in_batch = False
        return view

    def web_fingerprint(self) -> str:
        """A value that changes whenever articles, stories, quotes, entities or sentences change."""
        parts = []
        for table, expr in (("articles", "id"), ("stories", "id || article_ids || length(claims) || length(summary)"),
                            ("quotes", "id || coalesce(speaker, '')"), ("entities", "id || length(mentions)"),
                            ("sentences", "article_id || \"index\"")):
            row = self._db.execute(f"SELECT count(*), coalesce(sum(hash({expr})), 0) FROM {table}").fetchone()
            parts.append([int(row[0]), int(row[1])])
        return json.dumps(parts)

    def web_index_ready(self) -> bool:
        return self.get_state("web_index") == self.web_fingerprint()

    def refresh_web_index(self, passages: "typing.Callable[[], Iterable[tuple]]", force: bool = False) -> bool:
        """Rebuild listing and search tables if their sources changed; returns whether it did.

        `passages()` yields (kind, article_id, story_id, ref_id, start, end, label, text)."""
        fingerprint = self.web_fingerprint()
        if not force and self.get_state("web_index") == fingerprint:
            return False
        rows = list(passages())
        cols = list(zip(*rows)) if rows else [[] for _ in range(8)]
        with self.batch():
            for ddl in _WEB_TABLES:
                self._db.execute(ddl)
            for table in ("web_story_members", "web_entity_articles", "search_passages", "search_terms", "search_vectors"):
                self._db.execute(f"DELETE FROM {table}")
            self._db.execute(
                "INSERT INTO web_story_members SELECT id, unnest(from_json(article_ids, '[\"VARCHAR\"]')) FROM stories")
            self._db.execute(
                "INSERT INTO web_entity_articles SELECT DISTINCT id, m.article_id FROM"
                " (SELECT id, unnest(from_json(mentions, '[{\"article_id\": \"VARCHAR\"}]')) AS m FROM entities)")
            self._db.execute(
                f"INSERT INTO search_passages SELECT pid, kind, article_id, story_id, ref_id, s, e, label, text,"
                f" len({_WEB_TERMS.format(_WEB_DOC)}) FROM (SELECT unnest(?) AS kind,"
                " unnest(?) AS article_id, unnest(?) AS story_id, unnest(?) AS ref_id, unnest(?::BIGINT[]) AS s,"
                " unnest(?::BIGINT[]) AS e, unnest(?) AS label, unnest(?) AS text, unnest(range(?)) AS pid)",
                [list(c) for c in cols] + [len(rows)])
            self._db.execute(
                f"INSERT INTO search_terms SELECT term, pid, count(*) FROM (SELECT pid,"
                f" unnest({_WEB_TERMS.format(_WEB_DOC)}) AS term FROM search_passages)"
                " GROUP BY term, pid ORDER BY term")
            self.set_state("web_index", fingerprint)
        return True

    def story_listing(self, *, q: str | None = None, source: str | None = None, entity: str | None = None,
                      date_from: str | None = None, date_to: str | None = None, sort: str = "size",
                      limit: int = 50, offset: int = 0) -> tuple[int, list[dict[str, Any]]]:
        """(total matching, one page of {id, title, articles, sources, first, last, source_names})."""
        like = f"%{q}%" if q else None
        ent = f"%{entity}%" if entity else None
        order = "n DESC, last DESC NULLS LAST, id" if sort != "recent" else "last DESC NULLS LAST, n DESC, id"
        sql = f"""
        WITH m AS (SELECT w.story_id, a.title, a.source, a.published FROM web_story_members w
                   JOIN articles a ON a.id = w.article_id),
        agg AS (SELECT story_id, count(*) AS n, count(DISTINCT source) AS ns, min(published) AS first,
                max(published) AS last, list(DISTINCT source ORDER BY source) FILTER (WHERE source IS NOT NULL) AS srcs,
                bool_or(title ILIKE $like) AS title_hit FROM m GROUP BY story_id)
        SELECT s.id, s.title, agg.n, agg.ns, agg.first, agg.last, agg.srcs, count(*) OVER () AS total
        FROM stories s JOIN agg ON agg.story_id = s.id
        WHERE ($like IS NULL OR s.title ILIKE $like OR agg.title_hit OR s.id IN (
                 SELECT w.story_id FROM web_story_members w JOIN web_entity_articles x USING (article_id)
                 JOIN entities e ON e.id = x.entity_id WHERE e.name ILIKE $like))
          AND ($source IS NULL OR list_contains(agg.srcs, $source))
          AND ($ent IS NULL OR s.id IN (
                 SELECT w.story_id FROM web_story_members w JOIN web_entity_articles x USING (article_id)
                 JOIN entities e ON e.id = x.entity_id WHERE e.name ILIKE $ent OR e.aliases ILIKE $ent))
          AND ($dfrom IS NULL OR agg.last >= $dfrom) AND ($dto IS NULL OR agg.first <= $dto)
        ORDER BY {order} LIMIT $limit OFFSET $offset"""
        rows = self._db.execute(sql, {"like": like, "source": source, "ent": ent, "dfrom": date_from or None,
                                      "dto": date_to or None, "limit": limit, "offset": offset}).fetchall()
        total = rows[0][-1] if rows else 0
        return total, [{"id": r[0], "title": r[1], "articles": r[2], "sources": r[3], "first": r[4], "last": r[5],
                        "source_names": list(r[6] or [])} for r in rows]

    def story_facets(self, entities: int = 40) -> dict[str, list[str]]:
        """Values for the story list's filters: sources, and the most mentioned entities."""
        sources = [r[0] for r in self._db.execute(
            "SELECT DISTINCT source FROM articles WHERE source IS NOT NULL ORDER BY source").fetchall()]
        names = [r[0] for r in self._db.execute(
            "SELECT e.name FROM entities e JOIN web_entity_articles x ON x.entity_id = e.id"
            " WHERE e.type IN ('PERSON', 'ORG', 'GPE', 'LOC', 'NORP', 'FAC')"
            " GROUP BY e.name ORDER BY count(*) DESC, e.name LIMIT ?", [entities]).fetchall()]
        return {"sources": sources, "entities": sorted(names)}

    def article_rows(self, ids: Sequence[str] | None = None, *, limit: int = 100, offset: int = 0,
                     q: str | None = None) -> tuple[int, list[dict[str, Any]]]:
        """Article metadata without the text (lists and link labels): (total, rows)."""
        where, params = [], []
        if ids is not None:
            where.append("id IN (SELECT unnest(?))")
            params.append(list(ids))
        if q:
            where.append("(title ILIKE ? OR source ILIKE ?)")
            params += [f"%{q}%", f"%{q}%"]
        sql = ("SELECT id, title, source, published, url, count(*) OVER () FROM articles"
               + (" WHERE " + " AND ".join(where) if where else "")
               + " ORDER BY published DESC NULLS LAST, id LIMIT ? OFFSET ?")
        rows = self._db.execute(sql, params + [limit, offset]).fetchall()
        total = rows[0][-1] if rows else 0
        return total, [{"id": r[0], "title": r[1], "source": r[2], "published": r[3], "url": r[4]} for r in rows]

    def stories_of_article(self, article_id: str) -> list[tuple[str, str]]:
        rows = self._db.execute("SELECT s.id, s.title FROM stories s JOIN web_story_members w ON w.story_id = s.id"
                                " WHERE w.article_id = ? ORDER BY s.id", [article_id]).fetchall()
        return [(r[0], r[1]) for r in rows]

    def copies_touching(self, article_ids: Sequence[str]) -> list[Copy]:
        """Copy links where either side is one of `article_ids`."""
        ids = list(article_ids)
        return self.get(Copy, "article_id IN (SELECT unnest(?)) OR of_article_id IN (SELECT unnest(?))", [ids, ids])

    def entities_in(self, article_ids: Sequence[str]) -> list[Entity]:
        return self.get(Entity, "id IN (SELECT entity_id FROM web_entity_articles WHERE article_id IN (SELECT unnest(?)))",
                        [list(article_ids)], order="name, id")

    def search_bm25(self, query: str, kinds: Sequence[str], limit: int = 20) -> list[dict[str, Any]]:
        """Passages ranked by BM25 (k1=1.2, b=0.75) for the words of `query`."""
        sql = f"""
        WITH q AS (SELECT DISTINCT unnest({_WEB_TERMS.format('?')}) AS term),
        st AS (SELECT count(*)::DOUBLE AS n, avg(len)::DOUBLE AS avgdl FROM search_passages),
        df AS (SELECT term, count(*)::DOUBLE AS df FROM search_terms WHERE term IN (SELECT term FROM q) GROUP BY term),
        sc AS (SELECT t.pid, sum(ln(1 + (st.n - df.df + 0.5) / (df.df + 0.5)) * t.tf * 2.2
                                 / (t.tf + 1.2 * (0.25 + 0.75 * p.len / st.avgdl))) AS score
               FROM search_terms t JOIN df USING (term) JOIN search_passages p USING (pid) CROSS JOIN st
               WHERE p.kind IN (SELECT unnest(?)) GROUP BY t.pid)
        SELECT {_WEB_PASSAGE}, sc.score FROM sc JOIN search_passages p USING (pid) ORDER BY sc.score DESC, p.pid LIMIT ?"""
        return _web_hits(self._db.execute(sql, [query, list(kinds), limit]).fetchall())

    def search_vectors(self, vector: Sequence[float], kinds: Sequence[str], limit: int = 20) -> list[dict[str, Any]]:
        """Passages ranked by cosine similarity of their stored unit vectors to `vector`."""
        sql = (f"SELECT {_WEB_PASSAGE}, array_inner_product(v.vec, ?::FLOAT[384]) AS score FROM search_vectors v"
               " JOIN search_passages p USING (pid) WHERE p.kind IN (SELECT unnest(?)) ORDER BY score DESC, p.pid LIMIT ?")
        return _web_hits(self._db.execute(sql, [list(map(float, vector)), list(kinds), limit]).fetchall())

    def passages_to_embed(self, limit: int, kinds: Sequence[str]) -> list[tuple[int, str]]:
        rows = self._db.execute("SELECT pid, text FROM search_passages WHERE kind IN (SELECT unnest(?)) AND pid NOT IN"
                                " (SELECT pid FROM search_vectors) ORDER BY pid LIMIT ?", [list(kinds), limit]).fetchall()
        return [(r[0], r[1]) for r in rows]

    def put_vectors(self, pids: Sequence[int], vectors: Sequence[Sequence[float]]) -> None:
        if pids:
            self._db.execute("INSERT OR REPLACE INTO search_vectors SELECT unnest(?), unnest(?::FLOAT[384][])",
                             [list(pids), [list(map(float, v)) for v in vectors]])

    def vector_coverage(self, kinds: Sequence[str]) -> tuple[int, int]:
        """(passages of these kinds with a vector, passages of these kinds)."""
        row = self._db.execute("SELECT count(v.pid), count(*) FROM search_passages p LEFT JOIN search_vectors v USING (pid)"
                               " WHERE p.kind IN (SELECT unnest(?))", [list(kinds)])
        have, total = row.fetchone()
        return int(have), int(total)

def _annotation_check() -> None:  # pragma: no cover - guards a refactor of records.py
    for cls in TABLES:
        typing.get_type_hints(cls)


# -- helpers of the web app queries above ---------------------------------------------------------

# the term splitter shared by the index and its queries (RE2 inside DuckDB, so both cut alike)
_WEB_TERMS = "list_filter(regexp_extract_all(lower({}), '[\\p{{L}}\\p{{N}}]+'), lambda t: length(t) > 1 OR regexp_matches(t, '^[0-9]$'))"
_WEB_DOC = "text || ' ' || coalesce(label, '')"
_WEB_PASSAGE = 'p.pid, p.kind, p.article_id, p.story_id, p.ref_id, p.start, p."end", p.label, p.text'
_WEB_TABLES = (
    "CREATE TABLE IF NOT EXISTS web_story_members (story_id VARCHAR, article_id VARCHAR)",
    "CREATE TABLE IF NOT EXISTS web_entity_articles (entity_id VARCHAR, article_id VARCHAR)",
    "CREATE TABLE IF NOT EXISTS search_passages (pid BIGINT PRIMARY KEY, kind VARCHAR, article_id VARCHAR,"
    ' story_id VARCHAR, ref_id VARCHAR, start BIGINT, "end" BIGINT, label VARCHAR, text VARCHAR, len BIGINT)',
    "CREATE TABLE IF NOT EXISTS search_terms (term VARCHAR, pid BIGINT, tf BIGINT)",
    "CREATE TABLE IF NOT EXISTS search_vectors (pid BIGINT PRIMARY KEY, vec FLOAT[384])",
)


def _web_hits(rows: list[tuple]) -> list[dict[str, Any]]:
    keys = ("pid", "kind", "article_id", "story_id", "ref_id", "start", "end", "label", "text", "score")
    return [dict(zip(keys, r)) for r in rows]
