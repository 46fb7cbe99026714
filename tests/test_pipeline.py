"""The Python API over several runs: interrupted batches, grown corpora, incremental analysis."""

from __future__ import annotations

import shutil

import pytest

from storyline import pipeline
from storyline.stages import EXTRACT
from storyline.records import Article, Quote, Story
from storyline.store import Store

from conftest import EXAMPLES


def _text_files(n: int) -> list:
    files = sorted(p for p in EXAMPLES.iterdir() if p.suffix == ".txt")
    assert len(files) >= n
    return files[:n]


def test_an_interrupted_batch_leaves_earlier_batches_and_nothing_half_written(tmp_path, monkeypatch):
    folder = tmp_path / "pile"
    folder.mkdir()
    for path in _text_files(6):
        shutil.copy(path, folder)
    db = tmp_path / "s.duckdb"
    real_clean = pipeline.clean_stage.clean
    calls = {"n": 0}

    def clean_then_interrupt(doc, model=None):
        calls["n"] += 1
        if calls["n"] == 5:  # inside the third batch of two
            raise KeyboardInterrupt
        return real_clean(doc, model)

    monkeypatch.setattr(pipeline.clean_stage, "clean", clean_then_interrupt)
    with pytest.raises(KeyboardInterrupt):
        pipeline.ingest_paths([folder], db=db, batch_size=2)
    with Store(db, read_only=True) as store:
        assert store.count(Article) == 4
        kept = {a.path for a in store.articles()}
    monkeypatch.setattr(pipeline.clean_stage, "clean", real_clean)
    again = pipeline.ingest_paths([folder], db=db, batch_size=2)
    assert (again.files_skipped, again.new_articles) == (4, 2)
    with Store(db, read_only=True) as store:
        assert store.count(Article) == 6 and kept < {a.path for a in store.articles()}


def test_analysis_of_a_grown_store_only_extracts_new_articles(tmp_path, monkeypatch):
    files = _text_files(7)
    db = tmp_path / "s.duckdb"
    first = pipeline.run(files[:4], tmp_path / "out1", db=db)
    with Store(db, read_only=True) as store:
        before_quotes = {q.id for q in store.get(Quote)}
        before_stories = {s.id for s in store.get(Story)}
    assert first.articles == 4 and before_stories

    from storyline import nlp
    from storyline.store import Store as StoreClass

    seen: list[int] = []
    real_parse, real_articles = nlp.parse, StoreClass.articles
    monkeypatch.setattr(nlp, "parse", lambda texts, *a, **k: real_parse([seen.append(1) or t for t in texts], *a, **k))
    whole: list[int] = []  # reads of every stored article: no stage may need one to find its work
    monkeypatch.setattr(StoreClass, "articles", lambda self, ids=None: (whole.append(1) if ids is None else None)
                        or real_articles(self, ids))
    second = pipeline.run(files, tmp_path / "out2", db=db, workers=1)
    assert second.ingest.new_articles == 3 and sum(seen) == 3
    assert len(whole) == 1  # the export, which lists every article
    with Store(db, read_only=True) as store:
        assert store.analysed(EXTRACT) == store.article_ids()
        assert before_quotes <= {q.id for q in store.get(Quote)}
        stories = store.get(Story)
        members = [a for s in stories for a in s.article_ids]
        assert sorted(members) == sorted(store.article_ids())  # every article in exactly one story


def test_running_twice_changes_nothing(tmp_path):
    files = _text_files(3)
    db = tmp_path / "s.duckdb"
    pipeline.run(files, tmp_path / "a", db=db)
    first = (tmp_path / "a" / "storyline.json").read_text("utf-8")
    pipeline.run(files, tmp_path / "b", db=db)
    assert (tmp_path / "b" / "storyline.json").read_text("utf-8") == first
