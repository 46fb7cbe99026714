"""The Python API that the CLI and the web app wrap, and the one place that runs the stages:
ingest_paths, analyse, export_report, run.

`analyse` runs the analysis stages declared in `storyline.stages`, in their order, each over
what is new in the store; a stage that fails as a whole becomes a problem and the next stage
still runs. Ingest works in batches: each batch (files read, documents cleaned, articles written, the
learned boilerplate model updated) is one store transaction, so an interrupted run loses at
most the batch in flight and never half-writes it. Files already ingested (same bytes) are
skipped, so re-running on a grown folder processes only the new files.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, Mapping

from . import clean as clean_stage
from .present import export as export_stage
from . import ingest as ingest_stage
from .present import report as report_stage
from . import stages as stage_registry
from .engine import Engine, LocalEngine, failure_reason
from .records import Article, Document, Problem, StageProblem
from .stages import Progress
from .store import DEFAULT_DB, Store

BOILERPLATE_STATE = "boilerplate_model"
EXPORTED_STATE = "last_export"  # what the store held when DIR/storyline.json and report.html were last written
BATCH_CHARS = 64 * 1024 * 1024  # a batch is written once it holds this much text, however few documents
MAX_ANALYSED_CHARS = 200_000
"""Longest text cleaned and analysed per document (about 30,000 words, several times a long
feature). The parser's memory grows with the text, so a 9 MB document would cost gigabytes;
its whole content is still stored as the document, and the user is told where the cut is."""


@dataclass
class IngestResult:
    files: int = 0
    files_skipped: int = 0  # same bytes already in the store
    documents: int = 0
    new_articles: int = 0
    duplicates: int = 0  # documents whose content the store already held
    problems: list[Problem] = field(default_factory=list)

    @property
    def read_nothing(self) -> bool:
        """No document was read and no file was already known: every named input failed."""
        return self.documents == 0 and self.files_skipped == 0


@dataclass
class RunResult:
    ingest: IngestResult
    articles: int
    json_path: Path
    report_path: Path
    stages: dict[str, float] = field(default_factory=dict)
    problems: list[StageProblem] = field(default_factory=list)  # articles and stories a stage could not process


@dataclass
class Analysis:
    """What one `analyse` did: seconds per stage, and the problems it met (also stored)."""

    seconds: dict[str, float] = field(default_factory=dict)
    problems: list[StageProblem] = field(default_factory=list)


class NothingRead(RuntimeError):
    """No document could be read from the given paths; `result.problems` says why."""

    def __init__(self, result: IngestResult) -> None:
        super().__init__("nothing readable was found in the given paths")
        self.result = result


@dataclass
class _Batch:
    """Documents waiting for one store transaction, and the files they complete."""

    documents: list[Document] = field(default_factory=list)
    files: list[tuple[str, str, int, int, int]] = field(default_factory=list)  # key, path, size, documents, problems
    chars: int = 0

    def full(self, batch_size: int, batch_chars: int) -> bool:
        return len(self.documents) >= batch_size or self.chars >= batch_chars


@contextmanager
def _opened(db: str | os.PathLike | Store) -> Iterator[Store]:
    if isinstance(db, Store):
        yield db
        return
    with Store(db) as store:
        yield store


def _noop(_what: str, _done: int, _total: int | None) -> None:
    pass


def ingest_paths(
    paths: Iterable[str | os.PathLike],
    *,
    db: str | os.PathLike | Store = DEFAULT_DB,
    field_map: Mapping[str, str] | None = None,
    batch_size: int = 500,
    progress: Progress | None = None,
    max_total_bytes: int | None = None,
) -> IngestResult:
    """Read, clean and store every article under `paths`; bad files become `problems`.

    When the paths lead to no file at all, nothing is opened or created (a mistyped path
    must not leave an empty store behind). `max_total_bytes` caps the decompressed text
    read over all files (an upload's budget); what comes after is reported, not read.
    """
    found = list(ingest_stage.discover(paths))
    return _ingest_found(found, db, field_map, batch_size, progress or _noop, max_total_bytes)


def _ingest_found(found: list, db: str | os.PathLike | Store, field_map: Mapping[str, str] | None, batch_size: int,
                  tick: Progress, max_total_bytes: int | None) -> IngestResult:
    result = IngestResult()
    files = [f for f in found if not isinstance(f, Problem)]
    result.problems.extend(f for f in found if isinstance(f, Problem))
    if not files:
        return result
    tick("reading", 0, len(files))
    options = options_key(field_map)
    budget = [max_total_bytes if max_total_bytes is not None else -1]
    with _opened(db) as store:
        batch = _Batch()
        for done, path in enumerate(files, 1):
            result.files += 1
            batch = _read_one(path, store, field_map, options, result, batch, batch_size, budget)
            tick("reading", done, len(files))
            if budget[0] == 0:
                result.problems.append(Problem(ingest_stage.path_text(path), "over the limit of "
                                               f"{ingest_stage.size_text(max_total_bytes or 0)} of text for one "
                                               "upload: this file was cut short and later files were not read"))
                break
        _write_batch(store, batch, result)
        with store.batch():
            store.add_problems(result.problems)
    return result


def options_key(field_map: Mapping[str, str] | None) -> str:
    """What, besides a file's bytes, decides what reading it gives: a file that had problems
    is remembered with this key, so that changing the options (adding the --field-map the
    problem asked for) reads it again."""
    spec = json.dumps(sorted((field_map or {}).items()))
    return hashlib.sha256(spec.encode()).hexdigest()[:16]


def _read_one(path: Path, store: Store, field_map: Mapping[str, str] | None, options: str, result: IngestResult,
              batch: _Batch, batch_size: int, budget: list[int]) -> _Batch:
    """Stream one file's documents into `batch`, writing it out whenever it fills up."""
    refused = ingest_stage.unreadable(path)
    if refused is not None:
        result.problems.append(refused)
        return batch
    name = ingest_stage.path_text(path)
    try:
        digest = ingest_stage.file_digest(path)
        size = path.stat().st_size
    except OSError as exc:
        result.problems.append(Problem(name, f"cannot read file: {exc.strerror or exc}"))
        return batch
    if store.known_file(digest) or store.known_file(f"{digest}+{options}"):
        result.files_skipped += 1
        return batch
    documents = problems = 0
    for item in ingest_stage.read_file(path, field_map=field_map):
        if isinstance(item, Problem):
            result.problems.append(item)
            problems += 1
            continue
        if budget[0] >= 0:
            budget[0] = max(budget[0] - len(item.content), 0)
            if budget[0] == 0:
                break
        if batch.full(batch_size, BATCH_CHARS):  # before adding: a file's last document and its row go together
            _write_batch(store, batch, result)
            batch = _Batch()
        documents += 1
        batch.documents.append(item)
        batch.chars += len(item.content)
    if documents and budget[0] != 0:  # nothing usable is not remembered: a fixed file is read again
        batch.files.append((digest if not problems else f"{digest}+{options}", name, size, documents, problems))
    if batch.full(batch_size, BATCH_CHARS):
        _write_batch(store, batch, result)
        batch = _Batch()
    return batch


def _write_batch(store: Store, batch: _Batch, result: IngestResult) -> None:
    if not batch.documents and not batch.files:
        return
    documents = batch.documents
    result.documents += len(documents)
    stored = store.known_hashes(d.hash for d in documents)
    fresh: dict[str, Document] = {}
    for doc in documents:
        if doc.hash in stored or doc.hash in fresh:
            result.duplicates += 1
        else:
            fresh[doc.hash] = doc
    views = {key: _bounded(doc, result) for key, doc in fresh.items()}
    saved = store.get_state(BOILERPLATE_STATE)
    model = clean_stage.BoilerplateModel.learn(views.values())
    if saved:
        model = clean_stage.BoilerplateModel.from_dict(saved).merge(model)
    articles: list[Article] = []
    for key, doc in fresh.items():
        try:
            article = clean_stage.clean(views[key], model)
        except Exception as exc:  # hostile input must not sink the batch
            result.problems.append(Problem(doc.path, f"could not be cleaned: {type(exc).__name__}: {exc}", doc.locator))
            continue
        article.id, article.content_hash = clean_stage.article_id(doc), doc.hash  # the stored document's identity
        if len(article.text) > MAX_ANALYSED_CHARS:  # HTML whose main text alone is that long
            article.text = article.text[:_cut(article.text)]
            _note_cut(doc, len(article.text), result)
        articles.append(article)
    with store.batch():
        store.put(list(fresh.values()))
        store.put(articles)
        for key, path, size, count, problems in batch.files:
            store.add_file(key, path, size, count, problems)
        store.set_state(BOILERPLATE_STATE, model.to_dict())
    result.new_articles += len(articles)


def _cut(text: str) -> int:
    """Where to cut an over-long text: the last paragraph or line break before the limit."""
    for mark in ("\n\n", "\n", ". "):
        at = text.rfind(mark, MAX_ANALYSED_CHARS // 2, MAX_ANALYSED_CHARS)
        if at > 0:
            return at
    return MAX_ANALYSED_CHARS


def _note_cut(doc: Document, kept: int, result: IngestResult) -> None:
    result.problems.append(Problem(doc.path, f"stored, but only the first {kept:,} of {len(doc.content):,} characters "
                                             "are analysed (the whole text is kept as the stored document)", doc.locator))


def _bounded(doc: Document, result: IngestResult) -> Document:
    """The document as cleaning sees it: plain text past the limit is cut (HTML is cut after
    its main text is extracted, since its markup is most of its length)."""
    if doc.kind != "text" or len(doc.content) <= MAX_ANALYSED_CHARS:
        return doc
    view = dataclasses.replace(doc, content=doc.content[:_cut(doc.content)])
    _note_cut(doc, len(view.content), result)
    return view


def analyse(db: str | os.PathLike | Store = DEFAULT_DB, *, progress: Progress | None = None,
            engine: Engine | None = None, workers: int | None = None) -> Analysis:
    """Run every analysis stage of the registry, in order, over what is new in the store.

    `engine` runs the map steps (by default a local pool of `workers` processes, one per core
    unless told); an engine made here is closed here. A stage that raises is recorded as a
    problem of the whole stage and is tried again on the next run; the later stages still run."""
    own = engine is None
    runner = engine if engine is not None else LocalEngine(workers)
    result = Analysis()
    try:
        with _opened(db) as store:
            run = stage_registry.StageRun(store, runner, progress or _noop, result.problems)
            for stage in stage_registry.analysis_stages():
                started = time.perf_counter()
                try:
                    stage.step(run)
                    store.clear_stage_problems(stage.name, [""])
                except Exception as exc:  # the stage's own batch was rolled back
                    failed = StageProblem(stage.name, "", "stage", failure_reason(exc))
                    store.put([failed])
                    result.problems.append(failed)
                result.seconds[stage.name] = round(time.perf_counter() - started, 3)
    finally:
        if own:
            runner.close()
    return result


def export_report(db: str | os.PathLike | Store = DEFAULT_DB, out: str | os.PathLike = "report", *, title: str | None = None) -> tuple[Path, Path]:
    """Write DIR/storyline.json and DIR/report.html from the store."""
    out_dir = Path(out)
    with _opened(db) as store:
        data = export_stage.build(store)
    json_path = export_stage.write_json(data, out_dir / "storyline.json")
    report_path = report_stage.write(data, out_dir / "report.html", title or "storyline report")
    return json_path, report_path


def _export_if_changed(store: Store, out: str | os.PathLike, title: str | None) -> tuple[Path, Path]:
    """The export and the report, rewritten only when the store changed since they were written
    (a run that found nothing new costs nothing here either)."""
    out_dir = Path(out)
    paths = (out_dir / "storyline.json", out_dir / "report.html")
    key = [store.web.fingerprint(), len(store.problems()), sorted(map(list, store.keys(StageProblem))),
           str(out_dir.resolve()), title]
    if store.get_state(EXPORTED_STATE) == key and all(p.is_file() for p in paths):
        return paths
    written = export_report(store, out_dir, title=title)
    store.set_state(EXPORTED_STATE, key)
    return written


def run(
    paths: Iterable[str | os.PathLike],
    out: str | os.PathLike = "report",
    *,
    db: str | os.PathLike | Store = DEFAULT_DB,
    field_map: Mapping[str, str] | None = None,
    progress: Progress | None = None,
    title: str | None = None,
    engine: Engine | None = None,
    workers: int | None = None,
) -> RunResult:
    """The main job: ingest `paths`, analyse the store, write the JSON export and the report.

    Raises `NothingRead` when nothing could be read from `paths` (then no report is
    written, and no store is created for paths that do not exist)."""
    found = list(ingest_stage.discover(paths))
    if not any(not isinstance(f, Problem) for f in found):
        raise NothingRead(_ingest_found(found, db, field_map, 500, progress or _noop, None))
    with _opened(db) as store:
        started = time.perf_counter()
        ingested = _ingest_found(found, store, field_map, 500, progress or _noop, None)
        if ingested.read_nothing:
            raise NothingRead(ingested)
        seconds = {"ingest+clean": round(time.perf_counter() - started, 3)}
        analysis = analyse(store, progress=progress, engine=engine, workers=workers)
        started = time.perf_counter()
        json_path, report_path = _export_if_changed(store, out, title)
        seconds.update(analysis.seconds, export=round(time.perf_counter() - started, 3))
        total = store.count(Article)
    return RunResult(ingested, total, json_path, report_path, seconds, analysis.problems)
