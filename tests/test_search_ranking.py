"""The search's building blocks: the bounded cache shared by pages and postings, and the
in-memory BM25 ranking, checked against the store's own index and a direct computation."""

import dataclasses
import threading
import time

import numpy as np
import pytest

from storyline.cache import BoundedCache
from storyline.records import Article
from storyline.store import Store
from storyline.store.bm25 import PostingCache, top_passages


def test_a_value_asked_for_by_many_threads_at_once_is_built_once():
    cache = BoundedCache(10)
    builds = []

    def build():
        builds.append(1)
        time.sleep(0.2)  # long enough for every thread to arrive while it runs
        return "page"

    got = []
    threads = [threading.Thread(target=lambda: got.append(cache.get_or_build("k", build))) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert got == ["page"] * 8 and len(builds) == 1


def test_the_cache_keeps_at_most_its_budget_by_weight_dropping_the_least_recently_used():
    cache = BoundedCache(10, weigh=len)
    for key, value in (("a", "xxxx"), ("b", "xxxx")):
        cache.get_or_build(key, lambda v=value: v)
    cache.get_or_build("a", lambda: pytest.fail("a is held"))  # a is now the most recent
    cache.get_or_build("c", lambda: "xxxx")  # 12 > 10: b goes
    assert cache.held == 8
    assert cache.get_or_build("b", lambda: "rebuilt") == "rebuilt"
    assert cache.get_or_build("huge", lambda: "x" * 11) == "x" * 11  # heavier than the budget
    assert cache.get_or_build("huge", lambda: "again") == "again"  # ... was returned, not kept


def test_a_value_built_from_data_that_changed_meanwhile_is_not_kept():
    cache = BoundedCache(4)
    cache.get_or_build("k", lambda: "old", still_valid=lambda: False)
    assert cache.get_or_build("k", lambda: "new") == "new"


def test_a_failed_build_leaves_nothing_behind():
    cache = BoundedCache(4)
    with pytest.raises(RuntimeError):
        cache.get_or_build("k", lambda: (_ for _ in ()).throw(RuntimeError("store gone")))
    assert cache.get_or_build("k", lambda: "ok") == "ok" and cache.held == 1


def _reference(postings, limit):
    scores = {}
    for pids, weights in postings:
        for p, w in zip(pids.tolist(), weights.tolist()):
            scores[p] = scores.get(p, 0.0) + w
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:limit]


@pytest.mark.parametrize("spread", [1, 10_000_000])  # dense passage ids, and ids far apart
def test_ranking_sums_the_postings_of_every_term_best_first_ties_by_passage(spread):
    rng = np.random.default_rng(7)
    postings = []
    for size in (5_000, 300, 12):
        pids = rng.choice(20_000, size, replace=False) * spread
        weights = rng.choice([0.5, 1.25, 2.0, 3.5], size)  # few values: many equal sums to order
        postings.append((pids, weights))
    for limit in (1, 30, 60, 10_000):
        got = top_passages(postings, limit)
        want = _reference(postings, limit)
        assert [p for p, _ in got] == [p for p, _ in want]
        assert [s for _, s in got] == pytest.approx([s for _, s in want])
    assert top_passages([], 10) == [] and top_passages(postings, 0) == []


def test_cached_postings_rank_as_the_store_reads_them_and_a_rebuilt_index_is_never_served_stale(tmp_path):
    texts = ["The harbour strike closed the port.", "Talks on the harbour strike failed.",
             "Ferries were cancelled at the port.", "The port reopened on Friday."]
    store = Store(tmp_path / "s.duckdb")
    store.web.refresh_index(lambda: [("article", f"a{i}", None, None, 0, len(t), None, t) for i, t in enumerate(texts)])
    cache = PostingCache()
    uncached = store.web.search_bm25("harbour port", None, 10)
    assert store.web.search_bm25("harbour port", None, 10, cache=cache) == uncached
    assert store.web.search_bm25("harbour port", None, 10, cache=cache) == uncached  # from the cache now
    assert cache.held > 0 and {h["article_id"] for h in uncached} == {"a0", "a1", "a2", "a3"}
    texts[3] = "Nothing about boats."
    store.web.refresh_index(lambda: [("article", f"b{i}", None, None, 0, len(t), None, t) for i, t in enumerate(texts)],
                            force=True)
    assert {h["article_id"] for h in store.web.search_bm25("harbour port", None, 10, cache=cache)} == {"b0", "b1", "b2"}


def test_words_outside_ascii_are_cut_as_the_index_cuts_them(tmp_path):
    texts = ["Die Straße nach İstanbul war gesperrt.", "ΣΑΣ ΕΙΠΕ ότι η σύνοδος συνεχίζεται.", "Plain words only."]
    store = Store(tmp_path / "s.duckdb")
    store.web.refresh_index(lambda: [("article", f"a{i}", None, None, 0, len(t), None, t) for i, t in enumerate(texts)])
    for query, article in (("STRASSE straße", "a0"), ("İSTANBUL", "a0"), ("σας", "a1"), ("ΣΎΝΟΔΟΣ", "a1"), ("σύνοδος", "a1")):
        hits = store.web.search_bm25(query, None, 5)
        assert [h["article_id"] for h in hits] == [article], query
    assert store.web.query_terms("Plain WORDS, a 7 and 42") == ["plain", "words", "7", "and", "42"]
    # ASCII queries are cut in Python, others by DuckDB's splitter: both cut ASCII alike
    ascii_text = "U.S. officials said 130,000 troops (per NATO: 100,000-120,000) were near Ukraine's border_zone x2."
    through_duckdb = set(store.web.query_terms(ascii_text + " é")) - {"é"}
    assert set(store.web.query_terms(ascii_text)) == through_duckdb and "border" in through_duckdb


def test_a_hit_shows_its_articles_title_source_and_date_as_they_are_now(tmp_path):
    body = "Ferries stayed in port as the harbour strike entered its third day."
    store = Store(tmp_path / "s.duckdb")
    article = Article("a1", "a1.txt", body, title="Harbour strike goes on", source="Coast Wire", published="2024-05-13")
    store.put([article])

    def passages():
        return [("article", "a1", None, None, 0, len(body), None, body)]

    assert store.web.refresh_index(passages)
    hit = store.web.search_bm25("harbour strike", None, 5)[0]
    assert (hit["article_title"], hit["source"], hit["published"]) == ("Harbour strike goes on", "Coast Wire", "2024-05-13")
    store.put([dataclasses.replace(article, source="Northern Post")])
    assert not store.web.index_ready() and store.web.refresh_index(passages)
    assert store.web.search_bm25("harbour strike", None, 5)[0]["source"] == "Northern Post"


def test_the_index_sees_words_moved_from_a_title_to_the_source(tmp_path):
    body = "Ferries stayed in port as the harbour strike entered its third day."
    store = Store(tmp_path / "s.duckdb")
    article = Article("a1", "a1.txt", body, title="Harbour strike Coast", source="Wire")
    store.put([article])
    assert store.web.refresh_index(lambda: [("article", "a1", None, None, 0, len(body), None, body)])
    store.put([dataclasses.replace(article, title="Harbour strike", source=" CoastWire")])
    assert not store.web.index_ready()
