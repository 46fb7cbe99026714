"""Benchmark the compare stage: claim grouping, summaries and speed.

Usage: python bench/claims.py [--limit N] [--skip-ecb] [--skip-speed] [--stories N]
       [--thresholds SEED/JOIN] [--sweep SEED/JOIN,...]

(a) Example corpus (examples/corpus through the real pipeline): pairwise precision / recall / F1
    of "same claim" links between the gold claim variants (tests/gold/examples.json). A pair of
    gold variants from different articles is linked when one predicted claim has variants
    overlapping both; precision counts only links between gold variants.
(b) ECB+ (../shared/data/ecbplus): each topic (its two subtopics, two similar but different
    events, together) is one story. ECBplus_coreference_sentences.csv lists per document the
    sentences mentioning the subtopic's annotated events; sentence numbers are mapped to spaCy
    sentences of "title\\ntext" with 0 = the title (an approximation: ECB+'s own tokenisation can
    split differently). Recall: share of those sentences that land in a claim spanning >= 2
    documents of their own subtopic. Errors: share of claim links (pairs of variants in one claim,
    different documents) joining documents of the two different subtopics. Baseline: TF-IDF
    cosine (scikit-learn, story-level idf) with the same average-linkage clustering, its
    threshold tuned on the dev topics (23-25) for the best recall - errors. Reported for test
    topics 36-45 and for all topics.
(c) Summary: per example story, share of gold key claims whose variants overlap a sentence of the
    5-sentence summary, next to a lead baseline (the first statement of each of the 5 earliest
    articles).
(d) Speed of compare_story (embedding included) for one 100-article story and for many
    10-article stories on 2 processes, built from ECB+ documents.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import random
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from gold_match import articles_by_ref, claim_link_counts, find_span  # noqa: E402
from storyline.compare import ClaimParams, StoryRecords, compare_story  # noqa: E402
from storyline.compare.units import story_units  # noqa: E402
from storyline.records import Article, Story  # noqa: E402

ECB = REPO.parent / "shared" / "data" / "ecbplus"
GOLD = REPO / "tests" / "gold" / "examples.json"
FIELD_MAP = {"headline": "title", "body": "text", "date": "published", "outlet": "source", "link": "url"}
DEV_TOPICS = {23, 24, 25}
TEST_TOPICS = set(range(36, 46))
BIG_STORY = 100  # articles in the one-story speed test




def example_records():
    from storyline.stages import story_records as _story_records
    from storyline.pipeline import run
    from storyline.store import Store

    gold = json.loads(GOLD.read_text())
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "s.duckdb"
        run([REPO / "examples" / "corpus"], Path(tmp) / "out", db=str(db), field_map=FIELD_MAP)
        with Store(db) as store:
            records = [_story_records(store, s) for s in store.get(Story)]
    return gold, articles_by_ref([a for r in records for a in r.articles], gold), records


def bench_examples(gold, by_ref, compared):
    rows = []
    total = [0, 0, 0]
    for story_id, refs in gold["stories"].items():
        story = next(s for s in compared if by_ref[refs[0]].id in s.article_ids)
        tp, fp, fn = claim_link_counts(story, [c for c in gold["claims"] if c["story"] == story_id], by_ref)
        rows.append((story_id, tp, fp, fn))
        total = [total[0] + tp, total[1] + fp, total[2] + fn]
    rows.append(("all", *total))
    print("\n(a) example gold: pairwise 'same claim' links")
    print(f"{'story':<20}{'P':>7}{'R':>7}{'F1':>7}{'tp':>6}{'fp':>6}{'fn':>6}")
    for name, tp, fp, fn in rows:
        p, r = tp / max(1, tp + fp), tp / max(1, tp + fn)
        print(f"{name:<20}{p:7.3f}{r:7.3f}{2 * p * r / max(1e-9, p + r):7.3f}{tp:6d}{fp:6d}{fn:6d}")


def bench_summary(gold, by_ref, compared, records):
    print("\n(c) summary: coverage of gold key claims (5 sentences)")
    print(f"{'story':<20}{'key':>5}{'summary':>9}{'lead':>6}")
    for story_id, refs in gold["stories"].items():
        story = next(s for s in compared if by_ref[refs[0]].id in s.article_ids)
        record = next(r for r in records if r.story.id == story.id)
        claims = {c.text: c for c in story.claims}
        picked = [(v.article_id, v.start, v.end) for s in story.summary for v in claims[s.text].variants]
        units = story_units(record.articles, record.sentences, record.quotes, record.figures)
        order = sorted(record.articles, key=lambda a: (a.published or "9999", a.id))[:5]
        lead = []
        for a in order:
            first = next((u for u in units if u.article_id == a.id and u.kind == "sentence"), None)
            if first:
                lead.append((a.id, first.start, first.end))
        keys = [c for c in gold["claims"] if c["story"] == story_id and c.get("key")]

        def covered(chosen):
            n = 0
            for c in keys:
                spans = [(by_ref[v["ref"]].id, *find_span(by_ref[v["ref"]].text, v["text_contains"])) for v in c["variants"]]
                n += any(a == b and s < e2 and e > s2 for a, s, e in spans for b, s2, e2 in chosen)
            return n

        print(f"{story_id:<20}{len(keys):>5}{covered(picked):>9}{covered(lead):>6}")


# --- ECB+ ---------------------------------------------------------------------------------------


def ecb_records(limit: int | None):
    from storyline.map_steps import extract_articles

    docs = [json.loads(line) for line in (ECB / "docs.jsonl").open()]
    topics = sorted({d["topic"] for d in docs})
    if limit == 0:  # the dev and test topics only
        docs = [d for d in docs if d["topic"] in DEV_TOPICS | TEST_TOPICS]
    elif limit:
        keep = sorted(DEV_TOPICS | set(sorted(TEST_TOPICS)[: max(1, limit // 2)]) | set(topics[:limit]))
        docs = [d for d in docs if d["topic"] in keep]
    articles = [Article(id=d["doc_id"], path=d["doc_id"], text=f"{d['title']}\n{d['text']}", title=d["title"],
                        source=d["doc_id"]) for d in docs]
    t0 = time.perf_counter()
    extracts = {x.article_id: x for x in extract_articles(articles)}
    print(f"extracted {len(articles)} ECB+ documents in {time.perf_counter() - t0:.0f}s")
    wanted = defaultdict(set)
    with (ECB / "ECBplus_coreference_sentences.csv").open() as fh:
        for row in csv.DictReader(fh):
            wanted[f"{row['Topic']}_{row['File']}"].add(int(row["Sentence Number"]))
    by_topic = defaultdict(list)
    for d, a in zip(docs, articles):
        by_topic[d["topic"]].append((d, a))
    out = {}
    for topic, items in by_topic.items():
        arts = [a for _, a in items]
        ex = [extracts[a.id] for a in arts]
        rec = StoryRecords(Story(f"t{topic}", f"topic {topic}", [a.id for a in arts]), arts,
                           sentences=[s for x in ex for s in x.sentences], quotes=[q for x in ex for q in x.quotes],
                           figures=[f for x in ex for f in x.figures], events=[e for x in ex for e in x.events])
        sub = {d["doc_id"]: d["subtopic"] for d, _ in items}
        gold = {(s.article_id, s.start, s.end): sub[s.article_id] for s in rec.sentences
                if s.index in wanted.get(s.article_id, ())}
        out[topic] = (rec, sub, gold)
    return out


def _score(groups_spans, sub, gold):
    """(hits, gold sentences, wrong links, links) for claim groups given as lists of (doc, start, end)."""
    good = set()
    wrong = links = 0
    for spans in groups_spans:
        docs_by_sub = defaultdict(set)
        for d, _, _ in spans:
            docs_by_sub[sub[d]].add(d)
        for d, s, e in spans:
            if len(docs_by_sub[sub[d]]) >= 2:
                good.update(k for k in gold if k[0] == d and k[1] < e and s < k[2])
        for (d1, _, _), (d2, _, _) in itertools.combinations(spans, 2):
            if d1 != d2:
                links += 1
                wrong += sub[d1] != sub[d2]
    return len(good), len(gold), wrong, links


def linkage_groups(units, vectors: np.ndarray, threshold: float) -> list[list[int]]:
    """The baseline rule: average-linkage clustering of cosine similarities, cut at `threshold`,
    never joining two units of one article directly."""
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    if len(units) < 2:
        return [[i] for i in range(len(units))]
    article = np.array([u.article_id for u in units])
    dist = 1.0 - np.clip(vectors @ vectors.T, -1.0, 1.0)
    dist[article[:, None] == article[None, :]] = 2.0
    np.fill_diagonal(dist, 0.0)
    labels = fcluster(linkage(squareform(dist, checks=False), method="average"), t=1.0 - threshold, criterion="distance")
    groups: dict[int, list[int]] = defaultdict(list)
    for i, label in enumerate(labels):
        groups[int(label)].append(i)
    return list(groups.values())


def tfidf_groups(rec, threshold):
    from sklearn.feature_extraction.text import TfidfVectorizer

    units = [u for u in story_units(rec.articles, rec.sentences, rec.quotes, rec.figures) if u.kind == "sentence"]
    if len(units) < 2:
        return []
    vectors = TfidfVectorizer(sublinear_tf=True).fit_transform([u.text for u in units]).toarray()
    groups = linkage_groups(units, vectors.astype(np.float32), threshold)
    return [[(units[i].article_id, units[i].start, units[i].end) for i in g] for g in groups
            if len({units[i].article_id for i in g}) > 1]


def _shared_claim_spans(rec: StoryRecords, params: ClaimParams = ClaimParams()) -> list[list[tuple[str, int, int]]]:
    story = compare_story(rec, params=params)
    return [[(v.article_id, v.start, v.end) for v in c.variants] for c in story.claims if len(c.article_ids) > 1]


def bench_ecb(limit, workers: int = 2, params: ClaimParams = ClaimParams()):
    import functools
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    data = ecb_records(limit)
    t0 = time.perf_counter()
    topics = sorted(data, key=lambda t: -len(data[t][0].sentences))  # largest first, so the pool ends together
    # spawn, not fork: a forked child inherits onnxruntime's thread pool state and hangs
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as ex:
        compared = dict(zip(topics, ex.map(functools.partial(_shared_claim_spans, params=params),
                                                  [data[t][0] for t in topics])))
    took = time.perf_counter() - t0
    n_articles = sum(len(data[t][0].articles) for t in data)
    print(f"compared {len(data)} topics ({n_articles} articles) in {took:.0f}s on {workers} processes: "
          f"{took / max(1, n_articles):.2f}s per article")
    dev = [t for t in data if t in DEV_TOPICS]
    best = None
    for thr in (0.2, 0.3, 0.4, 0.5, 0.6):
        s = [_score(tfidf_groups(data[t][0], thr), data[t][1], data[t][2]) for t in dev]
        rec = sum(x[0] for x in s) / max(1, sum(x[1] for x in s))
        err = sum(x[2] for x in s) / max(1, sum(x[3] for x in s))
        if best is None or rec - err > best[1]:
            best = (thr, rec - err)
    baseline = {t: tfidf_groups(data[t][0], best[0]) for t in data}
    print(f"\n(b) ECB+ topics as stories (TF-IDF threshold tuned on dev topics {sorted(DEV_TOPICS)}: {best[0]})")
    print(f"{'topics':<12}{'method':<10}{'sentences':>10}{'recall':>8}{'links':>8}{'errors':>8}")
    for name, topics in (("dev", dev), ("test 36-45", [t for t in data if t in TEST_TOPICS]), ("all", list(data))):
        for method, groups in (("compare", compared), ("tf-idf", baseline)):
            s = [_score(groups[t], data[t][1], data[t][2]) for t in topics]
            n = sum(x[1] for x in s)
            links = sum(x[3] for x in s)
            print(f"{name:<12}{method:<10}{n:>10}{sum(x[0] for x in s) / max(1, n):8.3f}{links:>8}"
                  f"{sum(x[2] for x in s) / max(1, links):8.3f}")
    return data


# --- speed ------------------------------------------------------------------------------------


def _renamed(rec: StoryRecords, suffix: str) -> StoryRecords:
    from dataclasses import replace

    m = {a.id: a.id + suffix for a in rec.articles}
    return StoryRecords(
        Story(rec.story.id + suffix, rec.story.title, [m[a] for a in rec.story.article_ids]),
        [replace(a, id=m[a.id], source=(a.source or a.id) + suffix) for a in rec.articles],
        [replace(s, article_id=m[s.article_id]) for s in rec.sentences],
        [replace(q, article_id=m[q.article_id]) for q in rec.quotes],
        [replace(f, article_id=m[f.article_id]) for f in rec.figures],
        [replace(e, article_id=m[e.article_id]) for e in rec.events])


def _subset(pool: list[StoryRecords], n: int, rng: random.Random, name: str) -> StoryRecords:
    """A story of n articles drawn from the pool's articles (with their extracts)."""
    arts = [(r, a) for r in pool for a in r.articles]
    picked = rng.sample(arts, n) if n <= len(arts) else [rng.choice(arts) for _ in range(n)]
    parts = []
    for k, (r, a) in enumerate(picked):
        one = StoryRecords(Story("x", "x", [a.id]), [a], [s for s in r.sentences if s.article_id == a.id],
                           [q for q in r.quotes if q.article_id == a.id], [f for f in r.figures if f.article_id == a.id],
                           [e for e in r.events if e.article_id == a.id])
        parts.append(_renamed(one, f"~{name}~{k}"))
    return StoryRecords(Story(name, name, [p.articles[0].id for p in parts]), [p.articles[0] for p in parts],
                        [s for p in parts for s in p.sentences], [q for p in parts for q in p.quotes],
                        [f for p in parts for f in p.figures], [e for p in parts for e in p.events])


def _compare_many(stories):
    from storyline.embed import Embedder
    import storyline.embed as emb

    emb.default_embedder.cache_clear()
    model = Embedder(threads=1)
    return [len(compare_story(s, model.encode).claims) for s in stories]


def bench_speed(pool, n_stories):
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    rng = random.Random(7)
    big = _subset(pool, BIG_STORY, rng, "big")
    t0 = time.perf_counter()
    compare_story(big)
    print(f"\n(d) speed\none {BIG_STORY}-article story ({len(big.sentences)} sentences): {time.perf_counter() - t0:.1f}s")
    stories = [_subset(pool, 10, rng, f"s{i}") for i in range(n_stories)]
    t0 = time.perf_counter()
    # spawn, not fork: a forked child inherits onnxruntime's thread pool state and hangs
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn")) as ex:
        list(ex.map(_compare_many, [stories[0::2], stories[1::2]]))
    took = time.perf_counter() - t0
    print(f"{n_stories} stories x 10 articles on 2 processes: {took:.1f}s ({took / n_stories * 1000:.0f}s per 1,000 stories)")


class RememberingModel:
    """The same-claim model with its probabilities remembered, so that several thresholds can be
    compared on one set of model calls (the relation rules stay those of `pairs.judge`)."""

    def __init__(self) -> None:
        from storyline.compare.pairs import default_model

        self.model = default_model()
        self.memo: dict[tuple, float] = {}  # ((text_a, text_b), cosine) -> probability

    def cosines(self, pairs, embed=None):
        return self.model.cosines(pairs, embed)

    def probabilities(self, pairs, embed=None, cosines=None):
        cosines = self.cosines(pairs, embed) if cosines is None else cosines
        keys = [(p, round(float(c), 6)) for p, c in zip(pairs, cosines)]
        todo = [k for k in dict.fromkeys(keys) if k not in self.memo]
        if todo:
            values = self.model.probabilities([p for p, _ in todo], cosines=np.array([c for _, c in todo]))
            self.memo.update(zip(todo, map(float, values)))
        return np.array([self.memo[k] for k in keys])


def _params(setting: str) -> ClaimParams:
    """ClaimParams from "SEED/JOIN" or one number for both."""
    seed, _, same = setting.partition("/")
    return ClaimParams(seed=float(seed), same=float(same or seed))


def sweep(records, gold, by_ref, settings):
    """Example-gold claim links for each `seed/same` pair of thresholds (one number: both)."""
    from storyline.compare.pairs import judge

    model = RememberingModel()
    for setting in settings:
        params = _params(setting)
        compared = [compare_story(r, params=params, judge_pairs=lambda pairs, t=params.same: judge(pairs, model, t))
                    for r in records]
        print(f"\n--- same-claim thresholds: seed {params.seed}, join {params.same}")
        bench_examples(gold, by_ref, compared)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--limit", type=int, default=None,
                    help="ECB+: only this many topics (plus the dev topics); 0: the dev and test topics only")
    ap.add_argument("--stories", type=int, default=40, help="10-article stories in the speed test")
    ap.add_argument("--skip-ecb", action="store_true")
    ap.add_argument("--skip-speed", action="store_true")
    ap.add_argument("--sweep", default="", help="comma-separated same-claim thresholds to compare on the example gold, each "
                         "SEED/JOIN (a claim starts at SEED, a statement joins at JOIN) or one number for both")
    ap.add_argument("--thresholds", default="", metavar="SEED/JOIN",
                    help="run (a)-(c) with these same-claim thresholds instead of the defaults")
    args = ap.parse_args()
    gold, by_ref, records = example_records()
    if args.sweep:
        sweep(records, gold, by_ref, args.sweep.split(","))
        return
    params = _params(args.thresholds) if args.thresholds else ClaimParams()
    if args.thresholds:
        print(f"same-claim thresholds: seed {params.seed}, join {params.same}")
    compared = [compare_story(r, params=params) for r in records]
    bench_examples(gold, by_ref, compared)
    bench_summary(gold, by_ref, compared, records)
    data = None
    if not args.skip_ecb and ECB.exists():
        data = bench_ecb(args.limit, params=params)
    if not args.skip_speed:
        pool = [d[0] for d in data.values()] if data else records
        bench_speed(pool, args.stories if args.limit is None else min(args.stories, 50 * max(1, args.limit)))


if __name__ == "__main__":
    main()
