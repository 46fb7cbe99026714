"""The embedded store: one DuckDB file holding every record storyline produces.

This is the only module that knows SQL. Each record type maps to one table whose columns
mirror the dataclass fields; nested values (lists, tuples, nested records) are JSON text.
Writes of one batch happen inside one transaction, so a crash or Ctrl-C mid-batch leaves the
store exactly as it was before the batch.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import os
import time
import types
import typing
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

import duckdb

from ..records import (
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
    StageProblem,
    Story,
    as_dict,
    from_dict,
)
from .web_queries import WebQueries

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
    StageProblem: ("stage_problems", ("stage", "subject")),
}
# records whose rows belong to one article: replaced per article when it is re-analysed
PER_ARTICLE = (Sentence, EntityMention, Quote, Figure, Event)

# Python type of a field -> DuckDB column type. Optional fields (`X | None`) take X's type and a
# Literal takes its values' type; every other field (lists, tuples, nested records, unions such
# as `float | tuple[float, float]`) is stored as JSON text.
COLUMN_TYPES: dict[type, str] = {str: "VARCHAR", int: "BIGINT", float: "DOUBLE", bool: "BOOLEAN", bytes: "BLOB"}

# how records are listed to a reader (the export, whole-corpus pages): text order within an
# article, entities by name, events by date; a type not named here is listed by its key
READING_ORDER: dict[type, str] = {
    Sentence: 'article_id, "index"',
    EntityMention: "article_id, start",
    Quote: "article_id, start",
    Figure: "article_id, start",
    Event: "date, article_id, start",
    Entity: "name, id",
}


def _column_type(annotation: Any) -> str | None:
    """Column type of a field from its resolved type, or None for fields stored as JSON text."""
    options = [a for a in typing.get_args(annotation) if a is not type(None)] \
        if typing.get_origin(annotation) in (typing.Union, types.UnionType) else [annotation]
    if len(options) != 1:
        return None
    (tp,) = options
    if typing.get_origin(tp) is typing.Literal:
        kinds = {type(v) for v in typing.get_args(tp)}
        tp = kinds.pop() if len(kinds) == 1 else None
    return COLUMN_TYPES.get(tp)


@functools.lru_cache(maxsize=None)
def _columns(cls: type) -> tuple[tuple[str, str, bool], ...]:
    """(name, sql type, is_json) for each field of a record type, plus a stored `hash` for Document."""
    cols = []
    hints = typing.get_type_hints(cls)
    for f in dataclasses.fields(cls):
        sql = _column_type(hints[f.name])
        cols.append((f.name, sql or "VARCHAR", sql is None))
    if cls is Document:
        cols.append(("hash", "VARCHAR", False))
    return tuple(cols)


READ_WAIT = 60.0  # seconds a reader waits for another process's write to end (env STORYLINE_LOCK_WAIT)


def _connect(path: str, read_only: bool, wait: float) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection, retried with growing pauses while the file is locked by a writer."""
    deadline, pause = time.monotonic() + wait, 0.05
    while True:
        try:
            return duckdb.connect(path, read_only=read_only)
        except (duckdb.Error, OSError) as exc:
            if "lock" not in str(exc).lower():
                raise StoreError(f"{path}: cannot open the store: {exc}") from exc
            if time.monotonic() + pause > deadline:  # another process still holds it for writing
                raise StoreError(f"{path}: the store is being written by another process (a run, an ingest, "
                                 "or an upload in 'storyline serve'); try again when it has finished") from exc
            time.sleep(pause)
            pause = min(1.0, pause * 2)


class Store:
    """A storyline store file. Use as a context manager, or call `close()`."""

    def __init__(self, path: str | Path = DEFAULT_DB, *, read_only: bool = False,
                 wait: float | None = None) -> None:
        """`wait`: seconds to keep trying while another process writes the file (DuckDB allows
        one writing process or many reading ones). By default a reader waits READ_WAIT seconds
        (or $STORYLINE_LOCK_WAIT), the span of a server's write such as an upload being
        analysed; a writer does not wait."""
        self.path = str(path)
        if read_only and not Path(self.path).exists():
            raise StoreError(f"{self.path}: no such store; run 'storyline ingest' or 'storyline run' first")
        if not read_only and self.path != ":memory:":
            try:
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"{self.path}: cannot open the store: {exc}") from exc
        if wait is None:
            wait = float(os.environ.get("STORYLINE_LOCK_WAIT", READ_WAIT)) if read_only else 0.0
        self._db = _connect(self.path, read_only, wait)
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

    def cursor(self) -> "Store":
        """This store through a new cursor of the same connection: one per thread or request
        (a DuckDB connection is not safe to share across threads; its cursors are)."""
        view = type(self).__new__(type(self))
        view.path = self.path
        view._db = self._db.cursor()
        view._in_batch = False
        return view

    @functools.cached_property
    def web(self) -> WebQueries:
        """The web app's listing and search queries, on this store's connection."""
        return WebQueries(self)

    def _create_schema(self) -> None:
        for cls, (table, keys) in TABLES.items():
            cols = ", ".join(f'"{n}" {t}' for n, t, _ in _columns(cls))
            key_cols = ", ".join(f'"{k}"' for k in keys)
            self._db.execute(f"CREATE TABLE IF NOT EXISTS {table} ({cols}, PRIMARY KEY ({key_cols}))")
            for name, sql, _ in _columns(cls):  # a store written before a field was added gains its column
                self._db.execute(f'ALTER TABLE {table} ADD COLUMN IF NOT EXISTS "{name}" {sql}')
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
        self._db.execute("CREATE TABLE IF NOT EXISTS signatures (article_id VARCHAR PRIMARY KEY, data BLOB)")
        self._db.execute("CREATE TABLE IF NOT EXISTS pair_logits (story_id VARCHAR PRIMARY KEY, data BLOB)")
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

    def for_articles(self, cls: type, article_ids: Sequence[str]) -> list[Any]:
        """The rows of a per-article record type (or copy links) that belong to these articles."""
        ids = list(article_ids)
        return self.get(cls, "article_id IN (SELECT unnest(?))", [ids]) if ids else []

    def keys(self, cls: type) -> set:
        """The key of every row of a record type (one column: the values; several: tuples)."""
        table, keys = TABLES[cls]
        cols = ", ".join(f'"{k}"' for k in keys)
        rows = self._db.execute(f"SELECT {cols} FROM {table}").fetchall()
        return {r[0] if len(keys) == 1 else tuple(r) for r in rows}

    def update_table(self, cls: type, records: Sequence[Any], previous: Sequence[Any]) -> int:
        """Make the table hold `records` when it held `previous`, writing only the rows that
        differ (a corpus-level result that a few new articles change in a few places)."""
        table, keys = TABLES[cls]

        def key(record: Any) -> tuple:
            return tuple(getattr(record, k) for k in keys)

        before = {key(r): as_dict(r) for r in previous}
        wanted = {key(r) for r in records}
        gone = [k for k in before if k not in wanted]
        changed = [r for r in records if before.get(key(r)) != as_dict(r)]
        with self.batch():
            self.delete_keys(cls, gone)
            self.put(changed)
        return len(gone) + len(changed)

    def delete_keys(self, cls: type, key_rows: Sequence[tuple]) -> None:
        if not key_rows:
            return
        table, keys = TABLES[cls]
        match = " AND ".join(f'"{k}" = t.k{i}' for i, k in enumerate(keys))
        lists = ", ".join(f"unnest(?) AS k{i}" for i in range(len(keys)))
        self._db.execute(f"DELETE FROM {table} USING (SELECT {lists}) AS t WHERE {match}",
                         [list(column) for column in zip(*key_rows)])

    def count(self, cls: type) -> int:
        table, _ = TABLES[cls]
        return self._db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]

    # -- reading for presentation (export, report, web pages) ------------------------------

    def listing(self, cls: type) -> list[Any]:
        """Every record of a type, in the order a reader lists them (READING_ORDER)."""
        return self.get(cls, order=READING_ORDER.get(cls))

    def of_articles(self, cls: type, article_ids: Sequence[str]) -> list[Any]:
        """The per-article records of these articles, each article's in text order."""
        assert cls in PER_ARTICLE
        order = 'article_id, "index"' if cls is Sentence else "article_id, start"
        return self.get(cls, "article_id IN (SELECT unnest(?))", [list(article_ids)], order=order)

    def story(self, story_id: str) -> Story | None:
        found = self.get(Story, "id = ?", [story_id])
        return found[0] if found else None

    # -- articles --------------------------------------------------------------------------

    def articles(self, ids: Sequence[str] | None = None) -> list[Article]:
        if ids is None:
            return self.get(Article, order="published NULLS LAST, id")
        if not ids:
            return []
        return self.get(Article, "id IN (SELECT unnest(?))", [list(ids)], order="published NULLS LAST, id")

    def article(self, article_id: str) -> Article | None:
        found = self.get(Article, "id = ?", [article_id])
        return found[0] if found else None

    def find_articles(self, prefix: str) -> list[Article]:
        """Articles whose id starts with `prefix` (users type short ids)."""
        return self.get(Article, "starts_with(id, ?)", [prefix])

    def pending_ids(self, stage: str, after: str | None = None) -> list[str]:
        """Ids of the articles `stage` has not processed yet (only those `after` has, when
        given), in id order: how a stage finds its new work without reading the corpus."""
        sql = "SELECT id FROM articles a WHERE NOT EXISTS (SELECT 1 FROM analysed d WHERE d.stage = ? AND d.article_id = a.id)"
        params: list[Any] = [stage]
        if after is not None:
            sql += " AND EXISTS (SELECT 1 FROM analysed d WHERE d.stage = ? AND d.article_id = a.id)"
            params.append(after)
        return [r[0] for r in self._db.execute(sql + " ORDER BY id", params).fetchall()]

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

    def clear_stage_problems(self, stage: str, subjects: Iterable[str]) -> None:
        """Forget the problems of subjects a stage has now processed (a retry that worked)."""
        wanted = list(subjects)
        if wanted:
            self._db.execute("DELETE FROM stage_problems WHERE stage = ? AND subject IN (SELECT unnest(?))",
                             [stage, wanted])

    def put_signatures(self, rows: Sequence[tuple[str, bytes]]) -> None:
        """Copy-detection signatures of articles, kept so later runs need not re-read old texts."""
        self._put_blobs("signatures", rows)

    def put_pair_logits(self, rows: Sequence[tuple[str, bytes]], gone: Sequence[str] = ()) -> None:
        """The same-claim scores each story's comparison asked for (`compare.pairs.LogitMemo`),
        kept so its next comparison runs the model only on new pairs; `gone`: stories whose
        scores are dropped."""
        if gone:
            self._db.execute("DELETE FROM pair_logits WHERE story_id IN (SELECT unnest(?))", [list(gone)])
        self._put_blobs("pair_logits", rows)

    def _put_blobs(self, table: str, rows: Sequence[tuple[str, bytes]]) -> None:
        """Insert or replace (key, blob) rows of one of the side tables of derived bytes."""
        if rows:
            self._db.execute(f"INSERT OR REPLACE INTO {table} SELECT unnest(?::VARCHAR[]), unnest(?::BLOB[])",
                             [[r[0] for r in rows], [r[1] for r in rows]])

    def pair_logits(self, story_ids: Sequence[str]) -> dict[str, bytes]:
        """The stored same-claim scores of `story_ids`, by story (stories without any absent)."""
        rows = self._db.execute("SELECT story_id, data FROM pair_logits WHERE story_id IN (SELECT unnest(?))",
                                [list(story_ids)]).fetchall()
        return {r[0]: r[1] for r in rows}

    def unsigned_ids(self) -> list[str]:
        """Articles the copies stage processed without keeping a signature (an older store)."""
        rows = self._db.execute("SELECT article_id FROM analysed WHERE stage = 'copies' AND article_id NOT IN"
                                " (SELECT article_id FROM signatures) ORDER BY article_id").fetchall()
        return [r[0] for r in rows]

    def signatures(self) -> list[tuple[str, bytes]]:
        """Every stored signature, in article order (published, then id)."""
        return [(r[0], r[1]) for r in self._db.execute(
            "SELECT s.article_id, s.data FROM signatures s JOIN articles a ON a.id = s.article_id"
            " ORDER BY a.published NULLS LAST, a.id").fetchall()]

    def analysed(self, stage: str) -> set[str]:
        """Ids of the articles a stage has already processed (stages only process new ones)."""
        rows = self._db.execute("SELECT article_id FROM analysed WHERE stage = ?", [stage]).fetchall()
        return {r[0] for r in rows}

    def mark_analysed(self, stage: str, article_ids: Iterable[str]) -> None:
        ids = list(article_ids)
        if ids:
            self._db.execute("INSERT OR IGNORE INTO analysed SELECT ?, unnest(?::VARCHAR[])", [stage, ids])

    def get_state(self, key: str) -> Any:
        row = self._db.execute("SELECT value FROM state WHERE key = ?", [key]).fetchone()
        return json.loads(row[0]) if row else None

    def set_state(self, key: str, value: Any) -> None:
        self._db.execute("INSERT OR REPLACE INTO state VALUES (?, ?)", [key, json.dumps(value)])
