"""The declared stages: registry order, workers, re-runs that do nothing, failures kept to one article."""

from __future__ import annotations

import dataclasses
import json
import re

import pytest

from storyline import pipeline, stages
from storyline.engine import Failed, Isolated, LocalEngine
from storyline.records import Article, Quote, Sentence, StageProblem, Story
from storyline.store import Store

from conftest import EXAMPLES, REPO


def _text_files(n: int) -> list:
    return sorted(p for p in EXAMPLES.iterdir() if p.suffix == ".txt")[:n]


def test_readme_flow_is_the_registry():
    readme = (REPO / "README.md").read_text("utf-8")
    flows = re.findall(r"^files/feeds .*$", readme, re.M)
    assert flows == [stages.flow_diagram()]
    assert [s.name for s in stages.analysis_stages()] == ["extract", "entities", "copies", "stories", "compare"]


def test_a_stage_reading_what_no_earlier_stage_wrote_is_refused():
    stages.check_order()
    by_name = {s.name: s for s in stages.STAGES}
    swapped = [s for s in stages.STAGES if s.name != "extract"]
    swapped.insert(swapped.index(by_name["compare"]), by_name["extract"])
    with pytest.raises(ValueError, match="'entities' reads EntityMention"):
        stages.check_order(swapped)


def _bad_on_one(batch):
    if any(x == 3 for x in batch):
        raise ValueError("three is not allowed")
    return [x * 10 for x in batch]


def test_isolated_batch_fails_only_the_bad_item():
    got = Isolated(_bad_on_one, str)([1, 2, 3, 4])
    assert got[:2] == [10, 20] and got[3] == 40
    assert isinstance(got[2], Failed) and got[2].subject == "3" and "ValueError: three is not allowed" in got[2].reason


def _export(out) -> dict:
    return json.loads((out / "storyline.json").read_text("utf-8"))


def test_one_and_two_workers_give_the_same_output(tmp_path, monkeypatch):
    # small batches, so that two workers really share the map steps
    monkeypatch.setattr(stages, "PARSE_CHUNK", 2)
    monkeypatch.setattr(stages, "FEATURE_CHUNK", 2)
    monkeypatch.setattr(stages, "COMPARE_CHUNK", 1)
    files = _text_files(6)
    pipeline.run(files, tmp_path / "one", db=tmp_path / "one.duckdb", workers=1)
    pool = LocalEngine(2)
    try:
        pipeline.run(files, tmp_path / "two", db=tmp_path / "two.duckdb", engine=pool)
        assert pool.pooled
    finally:
        pool.close()
    one, two = _export(tmp_path / "one"), _export(tmp_path / "two")
    assert one == two and one["quotes"] and len(one["stories"]) >= 2


def test_a_rerun_with_nothing_new_reads_and_writes_nothing(tmp_path, monkeypatch):
    db = tmp_path / "s.duckdb"
    pipeline.run(_text_files(3), tmp_path / "a", db=db, workers=1)
    written = [(tmp_path / "a" / name).stat().st_mtime_ns for name in ("storyline.json", "report.html")]
    again = pipeline.run(_text_files(3), tmp_path / "a", db=db, workers=1)
    assert again.ingest.new_articles == 0 and again.problems == []
    assert [(tmp_path / "a" / name).stat().st_mtime_ns for name in ("storyline.json", "report.html")] == written
    calls: list[str] = []
    for name in ("put", "replace_all", "replace_for_articles", "update_table", "delete_keys", "set_state",
                 "mark_analysed", "put_signatures", "articles", "get"):
        real = getattr(Store, name)
        monkeypatch.setattr(Store, name, lambda self, *a, _n=name, _f=real, **k: calls.append(_n) or _f(self, *a, **k))
    result = pipeline.analyse(db, workers=1)
    assert calls == [] and result.problems == []


def test_a_failing_article_is_isolated_stored_exported_and_retried(tmp_path, monkeypatch):
    from storyline.extract import quotes as quotes_module

    files = _text_files(5)
    db = tmp_path / "s.duckdb"
    pipeline.ingest_paths(files, db=db)
    with Store(db, read_only=True) as store:
        articles = store.articles()
    bad = next(a for a in articles if "dam" in a.title.lower())
    real = quotes_module.extract_quotes

    def quotes_or_fail(article, doc):
        if article.id == bad.id:
            raise RuntimeError("quote finder gave up")
        return real(article, doc)

    monkeypatch.setattr(quotes_module, "extract_quotes", quotes_or_fail)
    first = pipeline.run(files, tmp_path / "out", db=db, workers=1)
    assert [(p.stage, p.subject, p.kind) for p in first.problems] == [("extract", bad.id, "article")]
    assert "RuntimeError: quote finder gave up" in first.problems[0].reason
    with Store(db, read_only=True) as store:
        with_sentences = {s.article_id for s in store.get(Sentence)}
        assert with_sentences == {a.id for a in articles} - {bad.id}
        assert {q.article_id for q in store.get(Quote)} <= with_sentences and store.get(Quote)
        assert bad.id not in store.analysed(stages.EXTRACT)
        assert [p.subject for p in store.get(StageProblem)] == [bad.id]
        placed = {a for s in store.get(Story) for a in s.article_ids}
        assert placed == with_sentences  # the others went on through every stage
    exported = [p for p in _export(tmp_path / "out")["problems"] if p["stage"] == "extract"]
    assert exported == [{"path": bad.path, "locator": bad.locator, "reason": first.problems[0].reason,
                         "stage": "extract", "article_id": bad.id}]

    monkeypatch.setattr(quotes_module, "extract_quotes", real)
    second = pipeline.run(files, tmp_path / "again", db=db, workers=1)
    assert second.problems == []
    with Store(db, read_only=True) as store:
        assert store.get(StageProblem) == []
        assert bad.id in {s.article_id for s in store.get(Sentence)}
        assert sorted(a for s in store.get(Story) for a in s.article_ids) == sorted(a.id for a in articles)
    assert not [p for p in _export(tmp_path / "again")["problems"] if p["stage"] != "ingest"]


def test_a_failing_story_keeps_its_members_and_is_compared_next_run(tmp_path, monkeypatch):
    from storyline import compare as compare_module

    files = _text_files(6)
    db = tmp_path / "s.duckdb"
    real = compare_module.compare_story
    failing: list[str] = []

    def compare_or_fail(records, **options):
        if not failing:
            failing.append(records.story.id)
        if records.story.id == failing[0]:
            raise KeyError("no such claim")
        return real(records, **options)

    monkeypatch.setattr(compare_module, "compare_story", compare_or_fail)
    first = pipeline.run(files, tmp_path / "out", db=db, workers=1)
    assert [(p.stage, p.subject, p.kind) for p in first.problems] == [("compare", failing[0], "story")]
    with Store(db, read_only=True) as store:
        stored = {s.id: s for s in store.get(Story)}
        assert stored[failing[0]].article_ids and not stored[failing[0]].claims
        assert any(s.claims for i, s in stored.items() if i != failing[0])
    assert any(p.get("story_id") == failing[0] for p in _export(tmp_path / "out")["problems"])
    monkeypatch.setattr(compare_module, "compare_story", real)
    assert pipeline.run(files, tmp_path / "again", db=db, workers=1).problems == []
    with Store(db, read_only=True) as store:
        assert store.get(StageProblem) == [] and [s for s in store.get(Story) if s.id == failing[0]][0].claims


def test_a_stage_that_fails_as_a_whole_is_a_problem_and_later_stages_run(tmp_path, monkeypatch):
    def broken(run):
        raise MemoryError("merge ran out of room")

    monkeypatch.setattr(stages, "STAGES", [dataclasses.replace(s, step=broken) if s.name == "entities" else s
                                           for s in stages.STAGES])
    result = pipeline.run(_text_files(3), tmp_path / "out", db=tmp_path / "s.duckdb", workers=1)
    assert [(p.stage, p.kind) for p in result.problems] == [("entities", "stage")]
    with Store(tmp_path / "s.duckdb", read_only=True) as store:
        assert store.get(Story)  # copies, stories and compare still ran
    assert any(p["stage"] == "entities" and "MemoryError" in p["reason"]
               for p in _export(tmp_path / "out")["problems"])


def test_a_problem_record_reads_as_a_summary_line():
    p = StageProblem("extract", "abc123", "article", "IndexError: string index out of range")
    assert str(p) == "extract: article abc123: IndexError: string index out of range"
    assert str(dataclasses.replace(p, subject="", kind="stage")).startswith("extract: the whole stage")


def test_stages_read_new_work_from_the_store_not_from_the_corpus(tmp_path):
    db = tmp_path / "s.duckdb"
    pipeline.ingest_paths(_text_files(2), db=db)
    with Store(db) as store:
        ids = sorted(store.article_ids())
        assert store.pending_ids(stages.EXTRACT) == ids and store.pending_ids(stages.STORIES, after=stages.EXTRACT) == []
        store.mark_analysed(stages.EXTRACT, ids[:1])
        assert store.pending_ids(stages.EXTRACT) == ids[1:]
        assert store.pending_ids(stages.STORIES, after=stages.EXTRACT) == ids[:1]
        assert isinstance(store.articles(ids[:1])[0], Article) and store.articles([]) == []


def test_cli_refuses_zero_workers(tmp_path):
    from conftest import run_cli

    proc = run_cli("run", str(EXAMPLES), "--workers", "0", "--out", str(tmp_path), "--db", str(tmp_path / "s.duckdb"),
                   check=False)
    assert proc.returncode == 2 and "--workers" in proc.stderr and not (tmp_path / "s.duckdb").exists()
