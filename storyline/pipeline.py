"""The Python API that the CLI and the web app wrap: ingest_paths, analyse, export_report, run.

Ingest works in batches: each batch (files read, documents cleaned, articles written, the
learned boilerplate model updated) is one store transaction, so an interrupted run loses at
most the batch in flight and never half-writes it. Files already ingested (same bytes) are
skipped, so re-running on a grown folder processes only the new files.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, Mapping

from . import clean as clean_stage
from . import export as export_stage
from . import ingest as ingest_stage
from . import report as report_stage
from .analysis import Progress
from .engine import Engine
from .records import Article, Document, Problem
from .store import DEFAULT_DB, Store

BOILERPLATE_STATE = "boilerplate_model"


@dataclass
class IngestResult:
    files: int = 0
    files_skipped: int = 0  # same bytes already in the store
    documents: int = 0
    new_articles: int = 0
    duplicates: int = 0  # documents whose content the store already held
    problems: list[Problem] = field(default_factory=list)


@dataclass
class RunResult:
    ingest: IngestResult
    articles: int
    json_path: Path
    report_path: Path
    stages: dict[str, float] = field(default_factory=dict)


@dataclass
class _PendingFile:
    path: str
    digest: str
    size: int
    documents: list[Document]
    problems: list[Problem]


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
) -> IngestResult:
    """Read, clean and store every article under `paths`; bad files become `problems`."""
    tick = progress or _noop
    result = IngestResult()
    found = list(ingest_stage.discover(paths))
    files = [f for f in found if not isinstance(f, Problem)]
    result.problems.extend(f for f in found if isinstance(f, Problem))
    tick("reading", 0, len(files))
    with _opened(db) as store:
        pending: list[_PendingFile] = []
        for done, path in enumerate(files, 1):
            result.files += 1
            item = _read_one(path, store, field_map, result)
            if item is not None:
                pending.append(item)
            if sum(len(p.documents) for p in pending) >= batch_size:
                _write_batch(store, pending, result)
                pending = []
            tick("reading", done, len(files))
        _write_batch(store, pending, result)
        with store.batch():
            store.add_problems(result.problems)
    return result


def _read_one(path: Path, store: Store, field_map: Mapping[str, str] | None, result: IngestResult) -> _PendingFile | None:
    try:
        digest = ingest_stage.file_digest(path)
        size = path.stat().st_size
    except OSError as exc:
        result.problems.append(Problem(str(path), f"cannot read file: {exc.strerror or exc}"))
        return None
    if store.known_file(digest):
        result.files_skipped += 1
        return None
    docs: list[Document] = []
    problems: list[Problem] = []
    for item in ingest_stage.read_file(path, field_map=field_map):
        (problems if isinstance(item, Problem) else docs).append(item)
    result.problems.extend(problems)
    if not docs:
        return None  # nothing usable: not remembered, so a fixed file is read again next time
    return _PendingFile(str(path), digest, size, docs, problems)


def _write_batch(store: Store, pending: list[_PendingFile], result: IngestResult) -> None:
    if not pending:
        return
    documents = [d for p in pending for d in p.documents]
    result.documents += len(documents)
    stored = store.known_hashes(d.hash for d in documents)
    fresh: dict[str, Document] = {}
    for doc in documents:
        if doc.hash in stored or doc.hash in fresh:
            result.duplicates += 1
        else:
            fresh[doc.hash] = doc
    saved = store.get_state(BOILERPLATE_STATE)
    model = clean_stage.BoilerplateModel.learn(fresh.values())
    if saved:
        model = clean_stage.BoilerplateModel.from_dict(saved).merge(model)
    articles: list[Article] = []
    for doc in fresh.values():
        try:
            articles.append(clean_stage.clean(doc, model))
        except Exception as exc:  # hostile input must not sink the batch
            result.problems.append(Problem(doc.path, f"could not be cleaned: {type(exc).__name__}: {exc}", doc.locator))
    with store.batch():
        store.put(list(fresh.values()))
        store.put(articles)
        for p in pending:
            store.add_file(p.digest, p.path, p.size, len(p.documents), len(p.problems))
        store.set_state(BOILERPLATE_STATE, model.to_dict())
    result.new_articles += len(articles)


def analyse(db: str | os.PathLike | Store = DEFAULT_DB, *, progress: Progress | None = None,
            engine: Engine | None = None) -> dict[str, float]:
    """Run the analysis stages over the store; returns seconds spent per stage."""
    from . import analysis

    with _opened(db) as store:
        return analysis.analyse_store(store, progress=progress or _noop, engine=engine)


def export_report(db: str | os.PathLike | Store = DEFAULT_DB, out: str | os.PathLike = "report", *, title: str | None = None) -> tuple[Path, Path]:
    """Write DIR/storyline.json and DIR/report.html from the store."""
    out_dir = Path(out)
    with _opened(db) as store:
        data = export_stage.build(store)
    json_path = export_stage.write_json(data, out_dir / "storyline.json")
    report_path = report_stage.write(data, out_dir / "report.html", title or "storyline report")
    return json_path, report_path


def run(
    paths: Iterable[str | os.PathLike],
    out: str | os.PathLike = "report",
    *,
    db: str | os.PathLike | Store = DEFAULT_DB,
    field_map: Mapping[str, str] | None = None,
    progress: Progress | None = None,
    title: str | None = None,
    engine: Engine | None = None,
) -> RunResult:
    """The main job: ingest `paths`, analyse the store, write the JSON export and the report."""
    with _opened(db) as store:
        ingested = ingest_paths(paths, db=store, field_map=field_map, progress=progress)
        stages = analyse(store, progress=progress, engine=engine)
        json_path, report_path = export_report(store, out, title=title)
        total = store.count(Article)
    return RunResult(ingested, total, json_path, report_path, stages)
