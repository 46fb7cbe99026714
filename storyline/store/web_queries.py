"""The store's queries for the web app: story listing with filters, and the search index.

Part of the store (the only place that knows SQL), kept apart because only `storyline.web`
uses it: a `Store` holds one as `store.web`, bound to the store's connection, so the app asks
`store.web.story_listing(...)` and never writes SQL itself. The web_* and search_* tables are derived data, rebuilt by `refresh_web_index`
whenever the records they come from change; they never need migrating.
"""

from __future__ import annotations

import json
import typing
import uuid
import zlib
from typing import Any, Iterable, Sequence

from ..records import Copy, Entity
from ..text import RUN
from .bm25 import PostingCache, Postings, top_passages

if typing.TYPE_CHECKING:  # pragma: no cover
    from . import Store


class WebQueries:
    """The web app's queries over one store (`store.web`): they run on that store's connection,
    and write through its `batch()` and state, so a write here is atomic like any other."""

    def __init__(self, store: "Store") -> None:
        self._store = store

    @property
    def _db(self) -> typing.Any:
        return self._store._db

    def fingerprint(self) -> str:
        """A value that changes whenever articles, stories, quotes, entities or sentences change."""
        parts = []
        # each field its own argument of hash(): joined strings would hide a change that moves
        # characters across a field boundary ("A B" / "C" and "A" / " BC")
        for table, expr in (("articles", "id, title, source, published"),
                            ("stories", "id, article_ids, length(claims), length(summary)"),
                            ("quotes", "id, speaker"), ("entities", "id, length(mentions)"),
                            ("sentences", "article_id, \"index\"")):
            row = self._db.execute(f"SELECT count(*), coalesce(sum(hash({expr})), 0) FROM {table}").fetchone()
            parts.append([int(row[0]), int(row[1])])
        return json.dumps([_INDEX_LAYOUT] + parts)

    def index_ready(self) -> bool:
        return self._store.get_state("web_index") == self.fingerprint()

    def refresh_index(self, passages: "typing.Callable[[], Iterable[tuple]]", force: bool = False) -> bool:
        """Rebuild listing and search tables if their sources changed; returns whether it did.

        `passages()` yields (kind, article_id, story_id, ref_id, start, end, label, text)."""
        fingerprint = self.fingerprint()
        if not force and self._store.get_state("web_index") == fingerprint:
            return False
        rows = list(passages())
        cols = list(zip(*rows)) if rows else [[] for _ in range(8)]
        with self._store.batch():
            for table in ("search_terms", "search_passages"):  # their columns change with the layout
                self._db.execute(f"DROP TABLE IF EXISTS {table}")
            for ddl in _WEB_TABLES:
                self._db.execute(ddl)
            for table in ("web_story_members", "web_entity_articles", "search_vectors"):  # the dropped two are new
                self._db.execute(f"DELETE FROM {table}")
            self._db.execute(
                "INSERT INTO web_story_members SELECT id, unnest(from_json(article_ids, '[\"VARCHAR\"]')) FROM stories")
            self._db.execute(
                "INSERT INTO web_entity_articles SELECT DISTINCT id, m.article_id FROM"
                " (SELECT id, unnest(from_json(mentions, '[{\"article_id\": \"VARCHAR\"}]')) AS m FROM entities)")
            # a hit shows its article's title, source and date: copied beside the passage here, so
            # a search reads one table (the join with articles cost each query 3-4 ms at 10k)
            self._db.execute(
                f"INSERT INTO search_passages SELECT x.pid, x.kind, x.article_id, x.story_id, x.ref_id, x.s, x.e, x.label,"
                f" x.text, x.len, a.title, a.source, a.published FROM (SELECT *, len({_WEB_TERMS.format(_WEB_DOC)}) AS len"
                " FROM (SELECT unnest(?) AS kind, unnest(?) AS article_id, unnest(?) AS story_id, unnest(?) AS ref_id,"
                " unnest(?::BIGINT[]) AS s, unnest(?::BIGINT[]) AS e, unnest(?) AS label, unnest(?) AS text,"
                " unnest(range(?)) AS pid)) x LEFT JOIN articles a ON a.id = x.article_id ORDER BY x.pid",
                [list(c) for c in cols] + [len(rows)])
            # each posting carries its whole BM25 term weight (k1=1.2, b=0.75), so a query only sums
            # the postings of its terms; rows sorted by term, so DuckDB skips the blocks of other terms
            self._db.execute(
                f"""INSERT INTO search_terms
                WITH tf AS (SELECT term, pid, count(*)::DOUBLE AS tf FROM (SELECT pid,
                            unnest({_WEB_TERMS.format(_WEB_DOC)}) AS term FROM search_passages) GROUP BY term, pid),
                st AS (SELECT count(*)::DOUBLE AS n, avg(len)::DOUBLE AS avgdl FROM search_passages),
                df AS (SELECT term, count(*)::DOUBLE AS df FROM tf GROUP BY term)
                SELECT tf.term, tf.pid, p.kind, ln(1 + (st.n - df.df + 0.5) / (df.df + 0.5)) * tf.tf * 2.2
                       / (tf.tf + 1.2 * (0.25 + 0.75 * p.len / st.avgdl))
                FROM tf JOIN df USING (term) JOIN search_passages p USING (pid) CROSS JOIN st ORDER BY tf.term""")
            self._store.set_state("web_index", fingerprint)
            self._store.set_state("search_build", uuid.uuid4().hex)  # names this build's postings in caches
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
        return self._store.get(Copy, "article_id IN (SELECT unnest(?)) OR of_article_id IN (SELECT unnest(?))", [ids, ids])

    def entities_in(self, article_ids: Sequence[str]) -> list[Entity]:
        return self._store.get(Entity, "id IN (SELECT entity_id FROM web_entity_articles WHERE article_id IN (SELECT unnest(?)))",
                        [list(article_ids)], order="name, id")

    def search_bm25(self, query: str, kinds: Sequence[str] | None = None, limit: int = 20,
                    cache: PostingCache | None = None) -> list[dict[str, Any]]:
        """Passages of `kinds` (None: every kind) ranked by BM25 (k1=1.2, b=0.75) for the words
        of `query`. With a `cache` (the web app keeps one), the postings of terms searched
        before are not read again until the index is rebuilt."""
        terms = self.query_terms(query)
        if not terms:
            return []
        only = None if kinds is None else tuple(sorted(set(kinds)))

        def load(term: str) -> Postings:
            if only is None:  # no kind filter: half the time of one for a common word
                got = self._db.execute("SELECT pid, weight FROM search_terms WHERE term = ?", [term])
            else:
                got = self._db.execute("SELECT pid, weight FROM search_terms WHERE term = ? AND kind IN (SELECT unnest(?))",
                                       [term, list(only)])
            arrays = got.fetchnumpy()
            return arrays["pid"], arrays["weight"]

        if cache is None:
            postings = [load(term) for term in terms]
        else:
            build = self._store.get_state("search_build")  # in the key: a rebuilt index has other postings
            postings = [cache.get_or_build((build, term, only), lambda t=term: load(t)) for term in terms]
        ranked = top_passages(postings, limit)
        if not ranked:
            return []
        # the ids written into the statement (ints from the ranking, never text): DuckDB filters
        # a literal IN list during the scan, a parameter list only through a join (2-3 ms more)
        listed = ", ".join(str(int(p)) for p, _ in ranked)
        rows = {r[0]: r for r in self._db.execute(f"SELECT {_WEB_PASSAGE} FROM search_passages p WHERE p.pid IN ({listed})").fetchall()}
        return _web_hits([rows[pid] + (score,) for pid, score in ranked if pid in rows])

    def query_terms(self, query: str) -> list[str]:
        """The distinct search terms of `query`, cut as the index cuts passages. RE2's Unicode
        classes cost DuckDB about 5 ms to compile per query, and on ASCII text Python's
        `[^\\W_]+` and `lower()` cut exactly alike, so only other text goes through DuckDB."""
        if query.isascii():
            return list(dict.fromkeys(t for t in RUN.findall(query.lower()) if len(t) > 1 or t.isdigit()))
        return [r[0] for r in self._db.execute(f"SELECT DISTINCT unnest({_WEB_TERMS.format('?')})", [query]).fetchall()]

    def search_vectors(self, vector: Sequence[float], kinds: Sequence[str], limit: int = 20) -> list[dict[str, Any]]:
        """Passages ranked by cosine similarity of their stored unit vectors to `vector`."""
        sql = f"""
        WITH top AS (SELECT pid, array_inner_product(v.vec, ?::FLOAT[384]) AS score FROM search_vectors v
                     JOIN search_passages p USING (pid) WHERE p.kind IN (SELECT unnest(?)) ORDER BY score DESC, pid LIMIT ?)
        SELECT {_WEB_PASSAGE}, top.score FROM top JOIN search_passages p USING (pid) ORDER BY top.score DESC, p.pid"""
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


    # -- stored story pages ------------------------------------------------------------------

    def story_fingerprints(self, story_ids: Sequence[str] | None = None) -> dict[str, str]:
        """A value per story that changes whenever anything its page shows changes: the story
        row itself, its articles' metadata, the quotes of its articles and the copy links
        touching them (the inputs of the story view). `story_ids` None: every story."""
        sql = """
        WITH m AS (SELECT id AS story_id, unnest(from_json(article_ids, '["VARCHAR"]')) AS aid FROM stories
                   WHERE $ids IS NULL OR id IN (SELECT unnest($ids))),
        a AS (SELECT m.story_id, sum(hash(x.id, x.title, x.source, x.published, x.url)) AS h
              FROM m JOIN articles x ON x.id = m.aid GROUP BY m.story_id),
        q AS (SELECT m.story_id, sum(hash(x)) AS h FROM m JOIN quotes x ON x.article_id = m.aid GROUP BY m.story_id),
        c AS (SELECT story_id, sum(h) AS h FROM (SELECT m.story_id, hash(x) AS h FROM m JOIN copies x ON x.article_id = m.aid
              UNION SELECT m.story_id, hash(x) FROM m JOIN copies x ON x.of_article_id = m.aid) GROUP BY story_id)
        SELECT s.id, concat_ws(':', hash(s), coalesce(a.h, 0), coalesce(q.h, 0), coalesce(c.h, 0)) FROM stories s
        LEFT JOIN a ON a.story_id = s.id LEFT JOIN q ON q.story_id = s.id LEFT JOIN c ON c.story_id = s.id
        WHERE $ids IS NULL OR s.id IN (SELECT unnest($ids))"""
        ids = None if story_ids is None else list(story_ids)
        return dict(self._db.execute(sql, {"ids": ids}).fetchall())

    def has_story_pages(self) -> bool:
        """Whether the table of stored story pages exists (a read-only store may predate it)."""
        return bool(self._db.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'web_story_pages'"
                                     " AND database_name = current_database()").fetchone()[0])

    def stored_story_fingerprints(self) -> dict[str, str]:
        """The fingerprint each stored story page was built from, by story (none before the
        table exists)."""
        if not self.has_story_pages():
            return {}
        rows = self._db.execute("SELECT story_id, any_value(fingerprint) FROM web_story_pages GROUP BY story_id")
        return dict(rows.fetchall())

    def story_page(self, story_id: str, page: int, fingerprint: str, part: str) -> str | None:
        """One stored page's `part` ("view" JSON or "html"), if it was built from `fingerprint`."""
        assert part in ("view", "html")
        # by the one-column key alone, which DuckDB looks up in its index (a condition on more
        # columns scans the table); each part is zlib-compressed here, so a read inflates one
        # page instead of DuckDB inflating a whole compressed segment of hundreds of them
        row = self._db.execute(f"SELECT fingerprint, {part} FROM web_story_pages WHERE key = ?",
                               [_page_key(story_id, page)]).fetchone()
        return zlib.decompress(row[1]).decode() if row and row[0] == fingerprint else None

    def put_story_pages(self, story_ids: Sequence[str], rows: Sequence[tuple[str, int, str, str, str]]) -> None:
        """Replace every stored page of `story_ids` by `rows` of (story_id, page, fingerprint,
        view JSON, HTML); a story of `story_ids` without rows (one deleted) keeps none."""
        with self._store.batch():
            self._db.execute(_STORY_PAGES)
            self._db.execute("DELETE FROM web_story_pages WHERE story_id IN (SELECT unnest(?))", [list(story_ids)])
            if rows:
                keys = [_page_key(r[0], r[1]) for r in rows]
                packed = [[zlib.compress(r[i].encode(), 6) for r in rows] for i in (3, 4)]
                self._db.execute("INSERT INTO web_story_pages SELECT unnest(?), unnest(?), unnest(?::BIGINT[]),"
                                 " unnest(?), unnest(?::BLOB[]), unnest(?::BLOB[])",
                                 [keys] + [list(c) for c in list(zip(*rows))[:3]] + packed)


# -- helpers of the web app queries above ---------------------------------------------------------

# the term splitter shared by the index and its queries (RE2 inside DuckDB, so both cut alike)
# (a final sigma is folded to sigma, as DuckDB lowers a capital sigma to σ wherever it stands)
_WEB_TERMS = ("list_filter(regexp_extract_all(replace(lower({}), 'ς', 'σ'), '[\\p{{L}}\\p{{N}}]+'),"
              " lambda t: length(t) > 1 OR regexp_matches(t, '^[0-9]$'))")
_WEB_DOC = "text || ' ' || coalesce(label, '')"
_WEB_PASSAGE = ('p.pid, p.kind, p.article_id, p.story_id, p.ref_id, p.start, p."end", p.label, p.text,'
                ' p.title, p.source, p.published')
_INDEX_LAYOUT = 4  # bumped when the search tables' columns or the term splitter change: stores built before rebuild them
_WEB_TABLES = (
    "CREATE TABLE IF NOT EXISTS web_story_members (story_id VARCHAR, article_id VARCHAR)",
    "CREATE TABLE IF NOT EXISTS web_entity_articles (entity_id VARCHAR, article_id VARCHAR)",
    "CREATE TABLE IF NOT EXISTS search_passages (pid BIGINT PRIMARY KEY, kind VARCHAR, article_id VARCHAR,"
    ' story_id VARCHAR, ref_id VARCHAR, start BIGINT, "end" BIGINT, label VARCHAR, text VARCHAR, len BIGINT,'
    " title VARCHAR, source VARCHAR, published VARCHAR)",
    "CREATE TABLE IF NOT EXISTS search_terms (term VARCHAR, pid BIGINT, kind VARCHAR, weight DOUBLE)",
    "CREATE TABLE IF NOT EXISTS search_vectors (pid BIGINT PRIMARY KEY, vec FLOAT[384])",
)


_STORY_PAGES = ("CREATE TABLE IF NOT EXISTS web_story_pages (key VARCHAR PRIMARY KEY, story_id VARCHAR, page BIGINT,"
                " fingerprint VARCHAR, view BLOB, html BLOB)")


def _page_key(story_id: str, page: int) -> str:
    return f"{page}/{story_id}"


def _web_hits(rows: list[tuple]) -> list[dict[str, Any]]:
    keys = ("pid", "kind", "article_id", "story_id", "ref_id", "start", "end", "label", "text", "article_title",
            "source", "published", "score")
    return [dict(zip(keys, r)) for r in rows]
