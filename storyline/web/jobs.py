"""Ingest from the browser: uploaded files become a background job with progress and errors.

Uploaded bytes are written to a temporary folder this module creates, under names it generates
(`upload-001.txt`); the client's file name is kept only as a label. No path from a request ever
reaches the file system. Jobs run one at a time on one worker thread.

A small upload can inflate: a gzip of a few hundred KB may hold hundreds of MB of text. Each
file is capped after decompression (ingest's file limit), and the whole upload together is
held to the same budget of decompressed text; what lies beyond it is reported, not read.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from ..ingest import MAX_FILE_BYTES
from ..store import Store

if TYPE_CHECKING:  # pragma: no cover
    from .gate import Gate

# the suffix hints ingest uses to guess a format; anything else is stored without a suffix
SUFFIXES = (".warc.gz", ".warc", ".txt", ".html", ".htm", ".xhtml", ".xml", ".rss", ".atom", ".jsonl", ".json",
            ".ndjson", ".gz")
MAX_JOBS_KEPT = 50
MAX_UPLOAD_TEXT = MAX_FILE_BYTES  # decompressed text read from one upload, all its files together


def safe_suffix(filename: str | None) -> str:
    name = (filename or "").lower()
    return next((s for s in SUFFIXES if name.endswith(s)), "")


def display_name(filename: str | None) -> str:
    """The client's file name for display only: its last path part, printable, at most 120 chars."""
    base = re.split(r"[\\/]", filename or "")[-1]
    base = "".join(ch for ch in base if ch.isprintable())
    return base[:120] or "(unnamed)"


def _give_back_memory() -> None:
    """Return the heap a job freed to the system: glibc keeps freed arenas otherwise, and a
    long-running server would hold the peak of its largest upload for good."""
    import ctypes
    import gc

    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to trim
        pass


@dataclass
class Job:
    id: str
    files: list[dict[str, Any]]
    state: str = "queued"  # queued | ingesting | analysing | indexing | done | failed
    stage: str = ""
    done: int = 0
    total: int | None = None
    problems: list[dict[str, str]] = field(default_factory=list)
    new_articles: list[dict[str, Any]] = field(default_factory=list)
    error: str | None = None
    started: float = field(default_factory=time.time)
    finished: float | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "state": self.state, "stage": self.stage, "done": self.done, "total": self.total,
                "files": self.files, "problems": self.problems, "new_articles": self.new_articles,
                "error": self.error, "finished": self.finished is not None}


class Jobs:
    def __init__(self, gate: "Gate", writer: threading.Lock, refresh: Callable[[Store], Any],
                 max_text: int = MAX_UPLOAD_TEXT) -> None:
        self.gate = gate
        self.max_text = max_text
        self.writer = writer
        self.refresh = refresh
        self.jobs: dict[str, Job] = {}
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="storyline-ingest")

    def submit(self, uploads: list[tuple[str, bytes | Path]]) -> Job:
        """`uploads`: (client file name, bytes or a spooled temp file we own). Returns the queued job."""
        folder = Path(tempfile.mkdtemp(prefix="storyline-upload-"))
        files, names = [], {}
        for n, (client_name, content) in enumerate(uploads, 1):
            target = folder / f"upload-{n:03d}{safe_suffix(client_name)}"
            if isinstance(content, Path):
                shutil.move(str(content), target)
            else:
                target.write_bytes(content)
            names[str(target)] = display_name(client_name)
            files.append({"name": display_name(client_name), "size": target.stat().st_size})
        job = Job(uuid.uuid4().hex[:12], files)
        self.jobs[job.id] = job
        while len(self.jobs) > MAX_JOBS_KEPT:
            oldest = next(iter(self.jobs))
            if not self.jobs[oldest].finished:
                break
            del self.jobs[oldest]
        self._pool.submit(self._run, job, folder, names)
        return job

    def _run(self, job: Job, folder: Path, names: dict[str, str]) -> None:
        def tick(what: str, done: int, total: int | None) -> None:
            if what != job.stage:
                job.stage, job.done = what, 0
            job.done += done
            job.total = total

        def label(path: str) -> str:
            for real, shown in names.items():
                path = path.replace(real, shown)
            return path.replace(str(folder), "upload")

        try:
            with self.gate.writing() as store:
                self._ingest(job, store, folder, tick, label)
            job.state = "done"
        except Exception as exc:
            job.state, job.error = "failed", f"{type(exc).__name__}: {exc}"
        finally:
            job.finished = time.time()
            shutil.rmtree(folder, ignore_errors=True)
            _give_back_memory()

    def _ingest(self, job: Job, store: Store, folder: Path, tick: Callable, label: Callable[[str], str]) -> None:
        """Ingest, analyse and index one upload through `store`, a writing cursor."""
        from .. import pipeline

        with self.writer:
            before = store.article_ids()
            job.state = "ingesting"
            result = pipeline.ingest_paths([folder], db=store, progress=tick, max_total_bytes=self.max_text)
            job.problems = [{"file": label(p.path), "where": p.locator or "", "reason": label(p.reason)}
                            for p in result.problems]
            job.state = "analysing"
            try:
                analysis = pipeline.analyse(store, progress=tick, workers=1)  # the server's own process: no pool
                job.problems.extend({"file": "(analysis)", "where": f"{p.stage}: {p.kind} {p.subject}".strip(),
                                     "reason": label(p.reason)} for p in analysis.problems)
            except Exception as exc:  # articles stay stored; the analysis can be re-run
                job.problems.append({"file": "(analysis)", "where": "", "reason": f"{type(exc).__name__}: {exc}"})
            job.state = "indexing"
            new = sorted(store.article_ids() - before)
        self.refresh(store)
        job.new_articles = store.web.article_rows(new, limit=1000)[1] if new else []

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
