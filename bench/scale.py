"""How copy detection (and story assignment, when available) scales with the number of articles.

Usage: python bench/scale.py [--sizes 1000,4000] [--seed S] [--stories-up-to N]
       python bench/scale.py --sizes 10000,30000,100000

Each size runs in its own subprocess so that peak memory (getrusage ru_maxrss) is per size.
Stages, timed separately (wall and CPU seconds, peak RSS at the end of the stage):
* generate: the synthetic corpus (not part of storyline's cost);
* signature: `storyline.copies.signature` on every article (the Ray map step);
* find_copies: candidates and confirmation over the whole corpus;
* story_features: the per-article map step of story clustering (embedding of title + lead with
  the packaged model, names, date). Real embeddings up to --embed-up-to articles (about 40 ms
  per article on 2 cores: a linear map step, parallel on Ray); above that, surrogate vectors:
  one real embedding per synthetic story plus per-article noise (cosine to the story's vector
  about 0.7, as leads of one story have), so that the clustering below sees realistic geometry;
* assign_stories: `storyline.stories.assign_stories` over those features (the corpus step whose
  growth matters), for sizes up to --stories-up-to.

The corpus: sentences of ECB+ news (../shared/data/ecbplus) with their names and numbers turned
into slots, refilled per article from its story's pool (60%) or from a global pool, so articles
of one story share names and figures as real coverage does (~20 articles per story). Article
lengths are drawn log-uniformly between 100 and 2,000 words. 10% of articles are copies of an
earlier article: duplicates, near-duplicates, excerpts and synonym-spun rewrites (the planting
functions of bench/copies.py; spinning uses its synonym table only, no tagger), dated 1-5 days
after their original. Recall of those planted copies is printed as a sanity check.

Writes bench/out/scale.json, replacing the entries of the sizes run and keeping the others.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import math
import random
import re
import resource
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from storyline.copies import find_copies, signature  # noqa: E402
from storyline.records import Article  # noqa: E402
from storyline.text import sentence_spans  # noqa: E402

ECB = REPO.parent / "shared" / "data" / "ecbplus" / "docs.jsonl"
OUT = REPO / "bench" / "out" / "scale.json"
SLOT = re.compile(r"\d+(?:[.,]\d+)*|(?<=\s)[A-Z][a-z]+(?:[A-Z][a-z]+)?")


def copy_bench():
    spec = importlib.util.spec_from_file_location("copy_bench", REPO / "bench" / "copies.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def sentence_bank() -> tuple[list[str], list[str]]:
    """Sentence templates with '\\x00' where a name or number was, and the pool of names."""
    templates, names = [], set()
    with open(ECB, encoding="utf-8") as handle:
        for line in handle:
            text = json.loads(line)["text"]
            for start, end in sentence_spans(text):
                sentence = text[start:end]
                if len(sentence.split()) >= 6:
                    names.update(m for m in SLOT.findall(sentence) if not m[0].isdigit())
                    templates.append(SLOT.sub("\x00", sentence))
    return templates, sorted(names)


def spin(text: str, rng: random.Random, table: dict) -> str:
    def swap(match: re.Match) -> str:
        word = match.group()
        return rng.choice(table[word]) if word in table and rng.random() < 0.9 else word

    return re.sub(r"\b[a-z]+\b", swap, text)


def generate(size: int, seed: int) -> tuple[list[Article], list[tuple[str, str, str]], dict[str, int]]:
    rng = random.Random(seed)
    templates, names = sentence_bank()
    bench = copy_bench()
    table = bench.synonym_table()
    vocabulary = sorted({w for t in templates[:2000] for w in re.findall(r"\b[a-z]{4,}\b", t)})
    stories = max(1, size // 20)
    pools = [([rng.choice(names) for _ in range(8)], [str(rng.randint(2, 5000)) for _ in range(4)]) for _ in range(stories)]
    start = date(2023, 1, 1)
    opening = [rng.randrange(365) for _ in range(stories)]
    articles: list[Article] = []
    truth = []
    story_of: dict[str, int] = {}
    kinds = ("duplicate", "near-duplicate", "excerpt", "rewrite")
    for number in range(size):
        if number >= 20 and number % 10 == 0:
            original = articles[rng.randrange(len(articles))]
            kind = kinds[(number // 10) % 4]
            text = {"duplicate": lambda: bench.make_duplicate(original.text, rng),
                    "near-duplicate": lambda: bench.make_near_duplicate(original.text, rng, vocabulary),
                    "excerpt": lambda: bench.make_excerpt(original.text, rng),
                    "rewrite": lambda: spin(original.text, rng, table)}[kind]()
            published = (date.fromisoformat(original.published) + timedelta(days=rng.randint(1, 5))).isoformat()
            articles.append(Article(id=f"a{number}", path="synthetic", text=text, published=published))
            truth.append((f"a{number}", original.id, kind))
            story_of[f"a{number}"] = story_of[original.id]
            continue
        story = rng.randrange(stories)
        story_of[f"a{number}"] = story
        story_names, story_numbers = pools[story]
        target = int(math.exp(rng.uniform(math.log(100), math.log(2000))))
        sentences, count = [], 0
        while count < target:
            template = rng.choice(templates)
            filled = re.sub("\x00", lambda m: _slot(rng, story_names, story_numbers, names), template)
            sentences.append(filled)
            count += len(filled.split())
        paragraphs = [" ".join(sentences[i:i + 3]) for i in range(0, len(sentences), 3)]
        published = (start + timedelta(days=opening[story] + rng.randrange(10))).isoformat()  # a story lasts days
        articles.append(Article(id=f"a{number}", path="synthetic", text="\n\n".join(paragraphs), published=published))
    return articles, truth, story_of


def surrogate_features(articles: list[Article], story_of: dict[str, int], seed: int) -> list:
    """Story features with one real embedding per synthetic story and noise per article."""
    import numpy as np

    from storyline.stories import ArticleFeatures, batch_features

    first: dict[int, Article] = {}
    for a in articles:
        first.setdefault(story_of[a.id], a)
    real = {story: f for story, f in zip(first, batch_features(list(first.values())))}
    rng = np.random.default_rng(seed)
    out = []
    no_vectors = batch_features(articles, embedder=lambda texts: np.zeros((len(texts), 1), np.float32))
    for a, cheap in zip(articles, no_vectors):
        base = real[story_of[a.id]]
        noise = rng.standard_normal(base.vector.shape[0]).astype(np.float32)
        vector = base.vector + 1.0 * noise / np.linalg.norm(noise)  # cosine to base about 0.7
        out.append(ArticleFeatures(a.id, vector / np.linalg.norm(vector), cheap.entities, cheap.day, cheap.source,
                                   cheap.headline))
    return out


def _slot(rng: random.Random, story_names: list[str], story_numbers: list[str], names: list[str]) -> str:
    if rng.random() < 0.3:
        return rng.choice(story_numbers) if rng.random() < 0.5 else str(rng.randint(1, 10_000))
    return rng.choice(story_names) if rng.random() < 0.6 else rng.choice(names)


def measure(stage: str, results: dict, work):
    wall, cpu = time.perf_counter(), time.process_time()
    value = work()
    results[stage] = {"wall_s": round(time.perf_counter() - wall, 2), "cpu_s": round(time.process_time() - cpu, 2),
                      "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}
    return value


def run_one(size: int, seed: int, stories: bool, embed: bool = True) -> dict:
    stages: dict = {}
    articles, truth, story_of = measure("generate", stages, lambda: generate(size, seed))
    signatures = measure("signature", stages, lambda: [signature(a) for a in articles])
    links = measure("find_copies", stages, lambda: find_copies(articles, signatures))
    found = {frozenset((c.article_id, c.of_article_id)): c for c in links}
    planted = {frozenset(t[:2]) for t in truth}
    source = {copy: original for copy, original, _ in truth}

    def root(article_id: str) -> str:  # copies of copies share their first original
        while article_id in source:
            article_id = source[article_id]
        return article_id

    result = {"size": size, "words": sum(s.words for s in signatures), "planted": len(truth), "links": len(links),
              "planted_found": sum(1 for t in truth if frozenset(t[:2]) in found),
              "planted_found_right_kind": sum(1 for t in truth if getattr(found.get(frozenset(t[:2])), "kind", "") == t[2]),
              "links_not_planted": sum(1 for pair in found if pair not in planted),
              "links_unrelated": sum(1 for c in links if root(c.article_id) != root(c.of_article_id)), "stages": stages}
    if not stories:
        result["assign_stories"] = "not run at this size (--stories-up-to)"
    else:
        from storyline.stories import assign_stories, batch_features

        if embed:
            features = measure("story_features", stages, lambda: batch_features(articles))
        else:
            features = measure("story_features", stages, lambda: surrogate_features(articles, story_of, seed))
        result["story_features"] = "real" if embed else "surrogate (one real embedding per story)"
        made = measure("assign_stories", stages, lambda: assign_stories(articles, features=features))
        result["stories"] = len(made[0])
        result["planted_stories"] = len(set(story_of.values()))
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,4000")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--stories-up-to", type=int, default=1000, help="run assign_stories only up to this size")
    parser.add_argument("--embed-up-to", type=int, default=2000, help="real embeddings up to this size, surrogate above")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one, args.seed, args.one <= args.stories_up_to, args.one <= args.embed_up_to)))
        return
    runs = []
    for size in [int(s) for s in args.sizes.split(",")]:
        command = [sys.executable, __file__, "--one", str(size), "--seed", str(args.seed),
                   "--stories-up-to", str(args.stories_up_to), "--embed-up-to", str(args.embed_up_to)]
        began = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode != 0:
            print(done.stderr[-3000:])
            raise SystemExit(f"size {size} failed")
        run = json.loads(done.stdout.strip().splitlines()[-1])
        run["process_wall_s"] = round(time.perf_counter() - began, 1)
        run["when"] = time.strftime("%Y-%m-%d %H:%M")
        runs.append(run)
        report(run)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    kept = json.loads(OUT.read_text())["runs"] if OUT.exists() else []
    merged = {run["size"]: run for run in kept + runs}  # a quick check keeps the big sizes' results
    OUT.write_text(json.dumps({"runs": [merged[size] for size in sorted(merged)]}, indent=1))
    print(f"wrote {OUT.relative_to(REPO)}")


def report(run: dict) -> None:
    size = run["size"]
    print(f"N={size:,} ({run['words'] / size:.0f} words/article avg): {run['links']:,} links, planted copies found "
          f"{run['planted_found']}/{run['planted']} ({run['planted_found_right_kind']} with the planted kind), "
          f"links not planted {run['links_not_planted']} (between unrelated articles: {run['links_unrelated']})")
    print(f"  {'stage':15}{'wall s':>9}{'cpu s':>9}{'s/1k art':>10}{'peak MB':>9}")
    for stage, cost in run["stages"].items():
        per_1k = cost["wall_s"] / size * 1000
        print(f"  {stage:15}{cost['wall_s']:>9.1f}{cost['cpu_s']:>9.1f}{per_1k:>10.2f}{cost['peak_rss_mb']:>9.0f}")
    if isinstance(run.get("assign_stories"), str):
        print(f"  assign_stories {run['assign_stories']}")
    elif "stories" in run:
        print(f"  {run['stories']:,} stories made for {run['planted_stories']:,} planted; features: {run['story_features']}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
