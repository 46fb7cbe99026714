"""A realistic store for the web tests, screenshots and the latency bench.

`build_store` runs the real pipeline over the example corpus, plus a hostile article, so the
pages are tested on what users get.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Iterable

from storyline import pipeline
from storyline.records import Story
from storyline.store import Store

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples" / "corpus"
GOLD = json.loads((REPO / "tests" / "gold" / "examples.json").read_text(encoding="utf-8"))
FIELD_MAP = GOLD["field_map"]


def build_store(out: Path, extra: Iterable[Path] = ()) -> Path:
    """Run the real pipeline on the example corpus (plus `extra` paths) into out/s.duckdb.

    Ingest no longer lets markup into a title or source name, but every page must still
    escape it wherever it comes from (a store written through the Python API, an older
    version): the hostile article gets its raw title and source back."""
    out.mkdir(parents=True, exist_ok=True)
    db = out / "s.duckdb"
    pipeline.run([str(EXAMPLES), *map(str, extra)], out=out, db=db, field_map=FIELD_MAP)
    with Store(db) as store:
        assert store.count(Story) > 0, "the pipeline produced no stories"
        hostile = [a for a in store.articles() if a.path.endswith("hostile.jsonl")]
        for a in hostile:
            a.title, a.source = HOSTILE["title"], HOSTILE["source"]
        store.put(hostile)
    return db


HOSTILE = {
    "title": "<img src=x onerror=\"window.__pwned=1\">Harbour gates <script>window.__pwned=2</script>",
    "text": ("Dockworkers gathered at the Caldmouth harbour gates on Tuesday. <script>window.__pwned=3;alert(3)</script> "
             "A banner read <img src=x onerror=\"window.__pwned=4\"> and the union said talks would go on.\n\n"
             "\"We will not <b>move</b>\", said Ada Quill, a union steward. The port authority declined to comment."),
    "source": "Hostile <b>Wire</b>", "published": "2024-03-13", "url": "javascript:alert(1)",
}
_BUILT: dict[str, Path] = {}


def hostile_file(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "hostile.jsonl"
    path.write_text(json.dumps(HOSTILE) + "\n", encoding="utf-8")
    return path


def corpus_store(name: str) -> Path:
    """A private copy (per `name`) of the example-corpus store plus one hostile article, built once
    per test process: tests that write (uploads) never disturb the others."""
    import shutil
    import tempfile

    if "base" not in _BUILT:
        base = Path(tempfile.mkdtemp(prefix="storyline-web-"))
        _BUILT["base"] = build_store(base / "base", [hostile_file(base / "extra")])
    if name not in _BUILT:
        target = _BUILT["base"].parent.parent / name / "s.duckdb"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(_BUILT["base"], target)
        _BUILT[name] = target
    return _BUILT[name]


def wait_for_job(client, job_id: str, limit: float = 600) -> dict:
    """Poll an upload job through the API until it finishes; fail after `limit` seconds."""
    end = time.time() + limit
    while time.time() < end:
        job = client.get(f"/api/ingest/{job_id}").json()
        if job["finished"]:
            return job
        time.sleep(0.2)
    raise AssertionError("ingest job did not finish")
