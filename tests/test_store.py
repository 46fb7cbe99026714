"""The store: every record type round-trips, batches are atomic, problems are kept once."""

from __future__ import annotations

import dataclasses
import json

import pytest

from storyline.records import (
    Article, Claim, Conflict, ConflictValue, Copy, Document, Entity, Event, Figure, Mention, Problem,
    Quote, Removed, Story, SummarySentence, TimelineEntry, Variant,
)
from storyline.store import Store, StoreError


def _article(i: int, **extra) -> Article:
    return Article(id=f"a{i}", path=f"/tmp/{i}.txt", text=f"Body of article {i}.", title=f"Title {i}",
                   published=f"2024-03-{10 + i:02d}", removed=[Removed("Share this", "repeated in 3 other documents")], **extra)


def test_every_record_type_round_trips(tmp_path):
    records = [
        [Document(path="x.jsonl", kind="html", content="<p>x</p>", locator="line 2", url="https://example.org/a")],
        [_article(1, source="Harbour Gazette")],
        [Entity(id="e1", name="Elena Marchetti", type="PERSON", aliases=["Elena Marchetti", "Marchetti"],
                mentions=[Mention("a1", 0, 4)], roles=["harbour commissioner"])],
        [Quote(id="a1-q1", article_id="a1", text="We will not close the port", kind="direct", start=3, end=29,
               speaker="Marchetti", speaker_entity="e1", cue="said", speaker_start=31, speaker_end=40)],
        [Figure(id="a1-f1", article_id="a1", text="between 1,200 and 1,500 people", value=(1200.0, 1500.0), start=0,
                end=30, counts="people", attributed_to="regional authority"),
         Figure(id="a1-f2", article_id="a1", text="12%", value=12.0, start=40, end=43, unit="%")],
        [Event(id="a1-d1", article_id="a1", date="2024-03", precision="month", expression="in March",
               text="It flooded in March.", start=0, end=20)],
        [Copy("a2", "a1", "near-duplicate", 0.91, [("copy passage", "original passage")])],
        [Story(id="s1", title="Flood", article_ids=["a1", "a2"],
               claims=[Claim("c1", "The dam broke", ["a1", "a2"], "corroborated", [Variant("a1", "The dam broke", 0, 13, "police")])],
               conflicts=[Conflict("people evacuated", [ConflictValue([1200, 1500], "x", "a1", "authority", "2024-03-11")])],
               timeline=[TimelineEntry("2024-03-09", "The dam broke", ["a1"], "day")],
               summary=[SummarySentence("The dam broke.", ["a1", "a2"], "corroborated")])],
    ]
    db = tmp_path / "s.duckdb"
    with Store(db) as store:
        for batch in records:
            store.put(batch)
    with Store(db, read_only=True) as store:
        for batch in records:
            assert store.get(type(batch[0])) == sorted(batch, key=lambda r: getattr(r, "id", getattr(r, "hash", "")))


def test_a_failed_batch_leaves_the_store_as_it_was(tmp_path):
    with Store(tmp_path / "s.duckdb") as store:
        store.put([_article(1)])
        with pytest.raises(KeyboardInterrupt):
            with store.batch():
                store.put([_article(2)])
                store.add_file("digest-2", "/tmp/2.txt", 10, 1, 0)
                raise KeyboardInterrupt
        assert store.article_ids() == {"a1"}
        assert not store.known_file("digest-2")


def test_per_article_rows_are_replaced_not_duplicated(tmp_path):
    fig = Figure(id="a1-f1", article_id="a1", text="3", value=3.0, start=0, end=1)
    with Store(tmp_path / "s.duckdb") as store:
        store.replace_for_articles(Figure, ["a1"], [fig])
        store.replace_for_articles(Figure, ["a1"], [fig, Figure(id="a1-f2", article_id="a1", text="4", value=4.0, start=2, end=3)])
        assert [f.id for f in store.get(Figure)] == ["a1-f1", "a1-f2"]


def test_problems_are_recorded_once(tmp_path):
    bad = Problem("/data/x.jsonl", "malformed JSON", "line 3")
    with Store(tmp_path / "s.duckdb") as store:
        store.add_problems([bad, bad])
        store.add_problems([bad, Problem("/data/y.bin", "binary content, not text")])
        assert store.problems() == [bad, Problem("/data/y.bin", "binary content, not text")]


def test_short_ids_find_articles(tmp_path):
    with Store(tmp_path / "s.duckdb") as store:
        store.put([_article(1), _article(12)])
        assert [a.id for a in store.find_articles("a1")] == ["a1", "a12"]
        assert [a.id for a in store.find_articles("a12")] == ["a12"]


def test_opening_a_missing_store_read_only_names_the_file(tmp_path):
    with pytest.raises(StoreError, match="no such store"):
        Store(tmp_path / "missing.duckdb", read_only=True)


def test_a_file_that_is_not_a_store_is_a_clear_error(tmp_path):
    path = tmp_path / "notes.duckdb"
    path.write_text("just some notes, not a database\n" * 100)
    with pytest.raises(StoreError, match="notes.duckdb"):
        Store(path)


def test_the_last_of_repeated_keys_in_one_put_wins(tmp_path):
    with Store(tmp_path / "s.duckdb") as store:
        first, second = _article(1), _article(1)
        second = dataclasses.replace(second, text="a corrected body")
        assert store.put([first, second]) == 1
        assert [a.text for a in store.articles()] == ["a corrected body"]


def test_column_types_come_from_the_field_types():
    from storyline.records import Sentence
    from storyline.store import COLUMN_TYPES, _columns

    def types(cls: type) -> dict[str, tuple[str, bool]]:
        return {name: (sql, is_json) for name, sql, is_json in _columns(cls)}

    assert set(COLUMN_TYPES.values()) == {"VARCHAR", "BIGINT", "DOUBLE", "BOOLEAN", "BLOB"}
    quote = types(Quote)
    assert quote["kind"] == ("VARCHAR", False)  # a Literal of strings
    assert quote["start"] == ("BIGINT", False) and quote["speaker_start"] == ("BIGINT", False)  # Optional unwrapped
    assert quote["parts"] == ("VARCHAR", True)  # a list: JSON text
    assert types(Figure)["value"] == ("VARCHAR", True)  # float | tuple: JSON text
    assert types(Copy)["similarity"] == ("DOUBLE", False)
    assert types(Sentence)["vector"] == ("BLOB", False)
    assert types(Document)["hash"] == ("VARCHAR", False)


def test_pages_read_through_the_store_not_through_sql(tmp_path):
    """Presentation asks the store for records in reading order; it never passes SQL."""
    with Store(tmp_path / "s.duckdb") as store:
        store.put([_article(1), _article(2)])
        store.put([Figure(id=f"a{i}-f{k}", article_id=f"a{i}", text="1", value=1.0, start=s, end=s + 1)
                   for i, k, s in ((2, 1, 9), (1, 2, 5), (1, 1, 0))])
        store.put([Story(id="s1", title="Flood", article_ids=["a1", "a2"])])
        assert [f.id for f in store.listing(Figure)] == ["a1-f1", "a1-f2", "a2-f1"]
        assert [f.id for f in store.of_articles(Figure, ["a2"])] == ["a2-f1"]
        assert store.story("s1").title == "Flood" and store.story("nope") is None
        cursor = store.cursor()
        assert not cursor.web.index_ready()
        assert cursor.web.refresh_index(lambda: iter(()))  # the web tables, built on this cursor's connection
        assert store.web.index_ready() and store.web.stories_of_article("a1") == [("s1", "Flood")]


def _passages():
    texts = [
        ("article", "The harbour strike closed the port for a second day."),
        ("quote", "The strike will go on until the harbour board talks to us."),
        ("claim", "Ferries to the islands were cancelled."),
        ("article", "Harbour harbour harbour: the port reopened on Friday after talks."),
    ]
    return [(kind, f"a{i}", None, None, 0, len(t), None, t) for i, (kind, t) in enumerate(texts)]


def _bm25(passages, query, k1=1.2, b=0.75):
    """BM25 computed directly, for checking what the store's index ranks."""
    import math
    import re

    def terms(text):
        return [t for t in re.findall(r"[^\W_]+", text.lower()) if len(t) > 1 or t.isdigit()]

    docs = [terms(p[7]) for p in passages]
    avgdl = sum(map(len, docs)) / len(docs)
    scores = {}
    for pid, doc in enumerate(docs):
        s = 0.0
        for term in set(terms(query)):
            tf = doc.count(term)
            if tf:
                df = sum(term in d for d in docs)
                idf = math.log(1 + (len(docs) - df + 0.5) / (df + 0.5))
                s += idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * len(doc) / avgdl))
        if s:
            scores[pid] = s
    return scores


def test_bm25_search_ranks_as_bm25_and_filters_kinds(tmp_path):
    store = Store(tmp_path / "s.duckdb")
    assert store.web.refresh_index(_passages)
    expected = _bm25(_passages(), "harbour strike")
    hits = store.web.search_bm25("Harbour STRIKE", ["article", "quote", "claim"], 10)
    assert [h["pid"] for h in hits] == sorted(expected, key=lambda p: -expected[p])
    assert [h["score"] for h in hits] == pytest.approx([expected[h["pid"]] for h in hits])
    assert [h["kind"] for h in store.web.search_bm25("harbour strike", ["quote"], 10)] == ["quote"]
    assert store.web.search_bm25("!!! ?", ["article"], 10) == []  # no words: nothing, no error


def test_a_search_index_of_an_older_layout_is_rebuilt(tmp_path):
    store = Store(tmp_path / "s.duckdb")
    store.web.refresh_index(_passages)
    with store.batch():  # what a store indexed by an earlier version holds
        store._db.execute("DROP TABLE search_terms")
        store._db.execute("CREATE TABLE search_terms (term VARCHAR, pid BIGINT, tf BIGINT)")
    old = json.loads(store.web.fingerprint())
    old[0] = 1
    store.set_state("web_index", json.dumps(old))
    assert not store.web.index_ready()
    assert store.web.refresh_index(_passages)
    assert store.web.index_ready() and store.web.search_bm25("ferries", ["claim"], 5)[0]["pid"] == 2
