"""Page latency of the web app with 10,000 articles under 20 concurrent clients, and server memory.

    .venv/bin/python bench/web_latency.py [--db FILE] [--articles 10000] [--clients 20] [--requests 400]

Without --db (or when FILE does not exist) it builds the store: the example corpus run through
the real pipeline once (tests/web_data.py), then replicated with variation (ids, dates, sources,
an extra closing sentence per copy; offsets stay valid) and written with Store.put, stories with
their claims, conflicts, timeline, summary and quote groups included; ten copies of the largest
story are joined into one of about 80 articles. The server runs as a
subprocess on a free loopback port; each page gets `--requests` requests from `--clients` threads.
Before the server starts, the story pages it keeps in the store are built (what its first start
does in the background; nothing to do when the store already holds them). The server caches
pages until the store is next written, so the same story page asked 400 times is mostly
served from that cache; the "different" row asks for a new story each time, read from the
stored pages.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import random
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests")]

import httpx  # noqa: E402

from storyline.records import Article, Copy, Entity, Event, Figure, Mention, Quote, Story  # noqa: E402
from storyline.store import Store  # noqa: E402

JOINED = 10  # replicas of the largest example story joined into one (about 80 articles)
WORDS = "harbour dam strike quota minister flood union talks evacuated rain inquiry deal cod port village".split()


def _shift(date: str | None, days: int) -> str | None:
    if not date or len(date) != 10:
        return date
    return (dt.date.fromisoformat(date) + dt.timedelta(days=days)).isoformat()


def build(db: Path, articles: int) -> None:
    from web_data import corpus_store

    base = Store(corpus_store("bench-base"), read_only=True)
    arts, quotes = base.articles(), base.get(Quote)
    figures, events, copies = base.get(Figure), base.get(Event), base.get(Copy)
    entities, stories = base.get(Entity), base.get(Story)
    base.close()
    rounds = -(-articles // len(arts))
    rng = random.Random(7)
    out = {k: [] for k in ("a", "q", "f", "e", "c", "s")}
    mentions: dict[str, list[Mention]] = {e.id: [] for e in entities}
    for r in range(rounds):
        days = (r * 3) % 700
        ids = {a.id: f"{a.id}-{r:04d}" for a in arts}
        for a in arts:
            extra = f"\n\nUpdate {r}: " + " ".join(rng.choice(WORDS) for _ in range(12)) + "."
            source = f"{a.source} {r % 9}" if a.source else None
            out["a"].append(dataclasses.replace(a, id=ids[a.id], text=a.text + extra, published=_shift(a.published, days),
                                                source=source, content_hash=f"{a.content_hash}-{r}", removed=list(a.removed)))
        out["q"] += [dataclasses.replace(q, id=f"{q.id}-{r}", article_id=ids[q.article_id]) for q in quotes]
        out["f"] += [dataclasses.replace(f, id=f"{f.id}-{r}", article_id=ids[f.article_id]) for f in figures]
        out["e"] += [dataclasses.replace(e, id=f"{e.id}-{r}", article_id=ids[e.article_id], date=_shift(e.date, days) or e.date)
                     for e in events]
        out["c"] += [dataclasses.replace(c, article_id=ids[c.article_id], of_article_id=ids[c.of_article_id]) for c in copies]
        for e in entities:
            mentions[e.id] += [Mention(ids[m.article_id], m.start, m.end) for m in e.mentions if m.article_id in ids]
        for s in stories:
            d = dataclasses.asdict(s)
            story = Story(**{k: getattr(s, k) for k in ("title", "claims", "conflicts", "timeline", "summary",
                                                         "quote_groups", "profiles")},
                          id=f"{s.id}-{r}", article_ids=[ids[i] for i in s.article_ids])
            for c in story.claims:
                c.article_ids = [ids.get(i, i) for i in c.article_ids]
            out["s"].append(_remap(story, ids, r))
            del d
    out["s"] = _join_largest(stories, out["s"], min(JOINED, rounds))
    n = articles
    keep = {a.id for a in out["a"][:n]}
    with Store(db) as store, store.batch():
        t = time.time()
        store.put(out["a"][:n])
        store.put([q for q in out["q"] if q.article_id in keep])
        store.put([f for f in out["f"] if f.article_id in keep])
        store.put([e for e in out["e"] if e.article_id in keep])
        store.put([c for c in out["c"] if c.article_id in keep and c.of_article_id in keep])
        store.put([dataclasses.replace(e, mentions=[m for m in mentions[e.id] if m.article_id in keep]) for e in entities])
        store.put([s for s in out["s"] if all(i in keep for i in s.article_ids)])
        print(f"wrote {n} articles in {time.time() - t:.0f} s", flush=True)


def _join_largest(base: list[Story], replicas: list[Story], rounds: int) -> list[Story]:
    """`replicas` with the first `rounds` copies of the largest base story made one story, so
    the store holds a story as large as the ones readers open on a long-running news event."""
    largest = max(base, key=lambda s: (len(s.article_ids), s.id))
    joined_ids = {f"{largest.id}-{r}" for r in range(rounds)}
    parts = [s for s in replicas if s.id in joined_ids]
    joined = Story(id=f"{largest.id}-joined", title=largest.title,
                   **{k: [x for s in parts for x in getattr(s, k)] for k in
                      ("article_ids", "claims", "conflicts", "timeline", "summary", "quote_groups", "profiles")})
    return [s for s in replicas if s.id not in joined_ids] + [joined]


def _remap(story: Story, ids: dict[str, str], r: int) -> Story:
    """A deep copy of a story whose article ids point at replica `r`."""
    from storyline.records import as_dict, from_dict

    data = as_dict(story)

    def walk(value):
        if isinstance(value, dict):
            return {k: (ids.get(v, v) if k == "article_id" and isinstance(v, str) else
                        [ids.get(x, x) for x in v] if k in ("article_ids", "meaning_changed", "copy_of", "copied_by")
                        else walk(v)) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v) for v in value]
        return value

    data = walk(data)
    data["id"] = story.id
    for c in data["claims"]:
        c["id"] = f"{c['id']}-{r}"
    return from_dict(Story, data)


def prepare_pages(db: Path) -> None:
    """Store the story pages the server keeps (storyline/web/story_pages.py), as its first start
    does in the background, so the figures are those of a server that has finished that build."""
    from storyline.web import create_app

    t = time.time()
    app = create_app(db)
    app.state.story_pages.wait()
    app.state.jobs.close()
    app.state.gate.close()
    if app.state.story_pages.error:
        raise RuntimeError(app.state.story_pages.error)
    print(f"story pages stored in {time.time() - t:.0f} s", flush=True)


def rss_mib(pid: int) -> tuple[float, float]:
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        fields[key] = value.strip()
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def load(url: str, paths: list[str], clients: int, requests: int) -> list[float]:
    """`requests` GETs spread over `clients` threads; returns latencies in ms (errors raise)."""
    times: list[float] = []
    lock = threading.Lock()
    counter = iter(range(requests))
    errors: list[str] = []

    def worker() -> None:
        with httpx.Client(base_url=url, timeout=60) as client:
            while True:
                with lock:
                    i = next(counter, None)
                if i is None:
                    return
                t = time.perf_counter()
                r = client.get(paths[i % len(paths)])
                elapsed = (time.perf_counter() - t) * 1000
                with lock:
                    times.append(elapsed)
                    if r.status_code != 200:
                        errors.append(f"{r.status_code} {paths[i % len(paths)]}")

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise RuntimeError(f"{len(errors)} failed requests, e.g. {errors[:3]}")
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=Path("/tmp/storyline-bench-web/s.duckdb"))
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=400, help="requests per page")
    parser.add_argument("--only", default="", help="measure only the pages whose name holds this text (e.g. search)")
    args = parser.parse_args()
    if not args.db.exists():
        args.db.parent.mkdir(parents=True, exist_ok=True)
        build(args.db, args.articles)
    prepare_pages(args.db)
    with Store(args.db, read_only=True) as store:
        total = store.count(Article)
        stories = store.get(Story)
    big = max(stories, key=lambda s: len(s.article_ids))
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    code = f"from storyline.web import serve; serve({str(args.db)!r}, '127.0.0.1', {port})"
    server = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        started = time.time()
        while True:
            try:
                httpx.get(url + "/api/articles", timeout=2)
                break
            except httpx.HTTPError:
                if server.poll() is not None or time.time() - started > 300:
                    raise RuntimeError(server.stderr.read().decode()[-2000:])
                time.sleep(0.5)
        print(f"store: {total} articles, {len(stories)} stories; server ready in {time.time() - started:.1f} s "
              f"(builds the search index on first start); {args.clients} clients, {args.requests} requests per page")
        by_size = sorted(stories, key=lambda s: (-len(s.article_ids), s.id))
        pages = {
            "story list": ["/", "/?sort=recent", "/?q=flood", "/?source=Meridian+Wire+3"],
            f"story page ({len(big.article_ids)} articles)": [f"/stories/{big.id}"],
            # every request a different story: none is served from the page cache
            f"story page, {args.requests} different": [f"/stories/{s.id}" for s in by_size[:args.requests]],
            "search (BM25)": [f"/search?q={w}+{v}" for w in WORDS for v in ("minister", "people", "said")],
        }
        load(url, ["/"], 4, 20)  # warm-up
        print(f"{'page':34} {'p50 ms':>8} {'p99 ms':>8} {'req/s':>7}")
        for name, paths in pages.items():
            if args.only not in name:
                continue
            t = time.time()
            times = sorted(load(url, paths, args.clients, args.requests))
            rate = len(times) / (time.time() - t)
            p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
            print(f"{name:34} {statistics.median(times):8.1f} {p99:8.1f} {rate:7.1f}")
        rss, peak = rss_mib(server.pid)
        print(f"server memory: RSS {rss:.0f} MiB now, peak {peak:.0f} MiB")
    finally:
        server.terminate()
        server.wait(20)


if __name__ == "__main__":
    main()
