"""Throughput and peak memory of the per-article extraction stage.

Usage: python bench/extraction_speed.py [--n 2000] [--workers 2] [--batch-size 32]

The stage is what runs once per article after cleaning: the spaCy parse, figures and dated
events, plus entity mentions and quotes when those modules are importable (they are optional so
the benchmark runs while they are being written). The corpus is the example corpus's plain-text
articles (examples/corpus/*.txt), or the shared seed articles when those are absent, replicated
to --n articles with distinct ids.

Work is split into one contiguous chunk per worker process; each worker loads the model once and
reports its own CPU time (time.process_time), its peak RSS and the time spent in each step. The
machine may be shared, so CPU seconds are reported beside wall seconds: articles per CPU-second is
the figure that does not depend on what else is running. Peak memory is ru_maxrss of the main
process and the largest of the workers (Linux reports KiB).

Writes bench/out/extraction_speed.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from storyline import nlp  # noqa: E402
from storyline.extract.dates import extract_events  # noqa: E402
from storyline.extract.figures import extract_figures  # noqa: E402
from storyline.records import Article  # noqa: E402

OUT = REPO / "bench" / "out" / "extraction_speed.json"
EXAMPLES = REPO / "examples" / "corpus"
SEEDS = REPO.parent / "shared" / "seeds"


def optional_steps() -> dict:
    """Extractors other modules provide, when they can be imported."""
    steps = {}
    try:
        from storyline.extract.entities import entity_mentions
        steps["entities"] = entity_mentions
    except Exception:  # noqa: BLE001 - absent or broken while being written: measured without it
        pass
    try:
        from storyline.extract.quotes import extract_quotes
        steps["quotes"] = extract_quotes
    except Exception:  # noqa: BLE001
        pass
    return steps


def corpus(n: int) -> tuple[list[tuple[str, str]], str]:
    files = sorted(EXAMPLES.glob("*.txt")) or sorted(SEEDS.glob("*.txt"))
    if not files:
        raise SystemExit("no texts found in examples/corpus/ or ../shared/seeds/")
    texts = [f.read_text(encoding="utf-8") for f in files]
    source = str(files[0].parent.relative_to(REPO.parent) if REPO.parent in files[0].parents else files[0].parent)
    return [(f"bench-{i}", texts[i % len(texts)]) for i in range(n)], source


def _rss_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def run_chunk(items: list[tuple[str, str]], batch_size: int) -> dict:
    """Extract everything from one chunk in this process; return counts and timings."""
    cpu0, wall0 = time.process_time(), time.perf_counter()
    nlp.load()
    load_s = time.perf_counter() - wall0
    steps = {"figures": extract_figures, "events": extract_events, **optional_steps()}
    spent = {name: 0.0 for name in ["parse", *steps]}
    cpu = dict(spent)
    found = {name: 0 for name in steps}
    failed: dict[str, str] = {}
    texts = (text for _, text in items)
    t, c = time.perf_counter(), time.process_time()
    for (article_id, text), doc in zip(items, nlp.parse(texts, batch_size=batch_size)):
        spent["parse"] += time.perf_counter() - t
        cpu["parse"] += time.process_time() - c
        article = Article(id=article_id, path=f"{article_id}.txt", text=text)
        for name, step in steps.items():
            if name in failed:
                continue
            t, c = time.perf_counter(), time.process_time()
            try:
                found[name] += len(step(article, doc))
            except Exception as exc:  # noqa: BLE001 - a step still being written must not sink the run
                failed[name] = f"{type(exc).__name__}: {exc}"
            spent[name] += time.perf_counter() - t
            cpu[name] += time.process_time() - c
        t, c = time.perf_counter(), time.process_time()
    return {"articles": len(items), "cpu_s": time.process_time() - cpu0, "wall_s": time.perf_counter() - wall0,
            "model_load_s": load_s, "step_wall_s": spent, "step_cpu_s": cpu, "found": found, "failed": failed,
            "peak_rss_mb": _rss_mb(resource.RUSAGE_SELF), "pid": os.getpid()}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=2000, help="articles in the replicated corpus")
    ap.add_argument("--workers", type=int, default=2, help="worker processes (the target machine has 2 cores)")
    ap.add_argument("--batch-size", type=int, default=32)
    args = ap.parse_args()

    items, source = corpus(args.n)
    chunks = [items[i::args.workers] for i in range(args.workers)]
    cpu0 = time.process_time()
    wall0 = time.perf_counter()
    with ProcessPoolExecutor(max_workers=args.workers) as pool:
        results = list(pool.map(run_chunk, chunks, [args.batch_size] * len(chunks)))
    wall = time.perf_counter() - wall0
    main_cpu = time.process_time() - cpu0

    worker_cpu = sum(r["cpu_s"] for r in results)
    steps: dict[str, float] = {}
    step_cpu: dict[str, float] = {}
    found: dict[str, int] = {}
    failed: dict[str, str] = {}
    for r in results:
        for k, v in r["step_wall_s"].items():
            steps[k] = steps.get(k, 0.0) + v
        for k, v in r["step_cpu_s"].items():
            step_cpu[k] = step_cpu.get(k, 0.0) + v
        for k, v in r["found"].items():
            found[k] = found.get(k, 0) + v
        failed.update(r["failed"])
    chars = sum(len(text) for _, text in items)
    report = {
        "articles": args.n,
        "corpus": source,
        "characters": chars,
        "workers": args.workers,
        "batch_size": args.batch_size,
        "wall_s": round(wall, 2),
        "articles_per_s": round(args.n / wall, 1),
        "cpu_s_workers": round(worker_cpu, 2),
        "cpu_s_main": round(main_cpu, 2),
        "articles_per_cpu_s": round(args.n / worker_cpu, 1),
        "cpu_utilisation": round(worker_cpu / wall / args.workers, 2),
        "model_load_s": round(max(r["model_load_s"] for r in results), 2),
        "step_cpu_share": {k: round(v / sum(step_cpu.values()), 3) for k, v in step_cpu.items()},
        "step_cpu_ms_per_article": {k: round(1000 * v / args.n, 2) for k, v in step_cpu.items()},
        "step_wall_ms_per_article": {k: round(1000 * v / args.n, 2) for k, v in steps.items()},
        "found": found,
        "failed_steps": failed,
        "peak_rss_mb_main": round(_rss_mb(resource.RUSAGE_SELF), 1),
        "peak_rss_mb_worker": round(max(r["peak_rss_mb"] for r in results), 1),
        "load_average_at_end": list(os.getloadavg()),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(report, indent=2))
    print(f"wrote {OUT.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
