"""The real `storyline` command on real files: the seeds, bad input, re-runs, list/show/export."""

from __future__ import annotations

import csv
import io
import json
import shutil

import pytest

from conftest import SEEDS, run_cli, shared_path


@pytest.fixture(scope="module")
def seeds_run(tmp_path_factory):
    """One `storyline run` over the five seed articles, as a user would type it."""
    shared_path("seeds")
    out = tmp_path_factory.mktemp("seeds")
    db = out / "store.duckdb"
    proc = run_cli("run", str(SEEDS), "--out", str(out / "report"), "--db", str(db))
    data = json.loads((out / "report" / "storyline.json").read_text("utf-8"))
    by_file = {a["path"].rsplit("/", 1)[-1][:3]: a for a in data["articles"]}
    return proc, data, by_file, db


def _mentions(data, name):
    return [e for e in data["entities"] if name in [e["name"], *e["aliases"]]]


def test_seeds_run_writes_json_and_report(seeds_run):
    proc, data, by_file, db = seeds_run
    assert sorted(by_file) == ["000", "001", "002", "003", "004"]
    assert "5 new articles from 5 files, 0 problems" in proc.stdout
    report = (db.parent / "report" / "report.html").read_text("utf-8")
    assert all(art["title"].replace("’", "&#39;") in report or art["title"] in report for art in by_file.values())


def test_seed_titles_dates_and_sources_come_from_the_text(seeds_run):
    _, _, a, _ = seeds_run
    assert a["000"]["title"] == "Ukraine crisis: Lavrov also sees the OSCE as having an obligation"
    assert a["004"]["title"].startswith("Lavrov Briefs Media That the U.S. Gave")
    assert a["000"]["published"] == "2022-01-30"
    assert a["004"]["published"] == "2022-01-27"
    assert (a["003"]["published"], a["003"]["source"]) == ("2022-01-28", "Sputnik")


def test_seed_boilerplate_is_removed_and_kept_for_audit(seeds_run):
    _, _, a, _ = seeds_run
    for key in ("000", "001", "003"):
        assert "Leave a Reply" not in a[key]["text"]
        assert "email address will not be published" not in a[key]["text"]
        assert any("Leave a Reply" in r["text"] for r in a[key]["removed"])
    assert "Go to home page" not in a["004"]["text"]
    assert "Back to top" not in a["002"]["text"]
    assert "US warns India not to help Russia undermine dollar" not in a["002"]["text"]
    assert all(r["reason"] for art in a.values() for r in art["removed"])


def test_seed_body_sentences_survive_cleaning(seeds_run):
    _, _, a, _ = seeds_run
    kept = {
        "000": ["Russia is demanding security guarantees such as the withdrawal of NATO troops",
                "plan to travel to Ukraine together on February 7."],
        "001": ["The United States is now assuming 130,000 soldiers."],
        "002": ["Lavrov voiced cautious optimism about ongoing talks between Russia and Ukraine.",
                "Moscow and Kiev have been engaged in peace talks."],
        "003": ["Lavrov stressed that if the US and NATO do not change their stance"],
        "004": ["he concluded his reply to media."],
    }
    missing = [(k, s) for k, sentences in kept.items() for s in sentences if s not in a[k]["text"]]
    assert missing == []


def test_seed_names_spelled_two_ways_are_one_entity(seeds_run):
    _, data, _, _ = seeds_run
    lavrov = _mentions(data, "Sergei Lavrov")
    assert len(lavrov) == 1 and "Sergey Lavrov" in lavrov[0]["aliases"]
    stoltenberg = _mentions(data, "Yens Stoltenberg")
    assert len(stoltenberg) == 1 and "Jens Stoltenberg" in stoltenberg[0]["aliases"]


def test_seed_quotes_are_attributed_to_lavrov(seeds_run):
    _, data, a, _ = seeds_run
    lavrov = _mentions(data, "Sergey Lavrov")[0]["id"]
    war = [q for q in data["quotes"] if q["article_id"] == a["003"]["id"] and "there will be no war" in q["text"]]
    assert war and war[0]["kind"] == "direct" and war[0]["speaker_entity"] == lavrov
    # "he concluded": a pronoun after a multi-paragraph quote resolves to the minister
    package = [q for q in data["quotes"] if q["article_id"] == a["004"]["id"] and "as a package" in q["text"]]
    assert package and package[0]["speaker_entity"] == lavrov


def test_seed_troop_figures_keep_who_gives_them(seeds_run):
    _, data, a, _ = seeds_run
    troops = {f["article_id"]: f for f in data["figures"] if f["counts"] and "soldier" in f["counts"]}
    nato = troops[a["000"]["id"]]
    assert nato["value"] == [100000, 120000] and nato["attributed_to"] == "NATO"
    us = troops[a["001"]["id"]]
    assert us["value"] == 130000 and "United States" in us["attributed_to"]


def test_seed_relative_dates_are_resolved(seeds_run):
    _, data, a, _ = seeds_run
    events = {(e["article_id"], e["date"]) for e in data["events"]}
    assert (a["003"]["id"], "2022-01-28") in events  # "on Friday, January 28"
    assert (a["000"]["id"], "2022-02-07") in events  # "on February 7", publication in January 2022


def test_seeds_are_not_copies_of_each_other(seeds_run):
    _, data, _, _ = seeds_run
    assert data["copies"] == []


def test_rerun_adds_nothing(seeds_run, tmp_path):
    _, data, _, db = seeds_run
    proc = run_cli("run", str(SEEDS), "--out", str(tmp_path), "--db", str(db))
    assert "0 new articles" in proc.stdout and "5 files already in the store" in proc.stdout
    again = json.loads((tmp_path / "storyline.json").read_text("utf-8"))
    assert [a["id"] for a in again["articles"]] == [a["id"] for a in data["articles"]]
    assert len(again["stories"]) == len(data["stories"])


def test_list_show_and_export(seeds_run):
    _, data, a, db = seeds_run
    listing = run_cli("list", "--db", str(db)).stdout
    assert all(art["id"] in listing for art in data["articles"])
    shown = run_cli("show", a["003"]["id"][:8], "--db", str(db)).stdout
    assert "Sputnik" in shown and "removed" in shown and "Moscow Doesn" in shown
    exported = json.loads(run_cli("export", "--db", str(db)).stdout)
    assert exported["articles"] == data["articles"]
    lines = run_cli("export", "--format", "jsonl", "--db", str(db)).stdout.splitlines()
    assert len(lines) >= len(data["articles"]) and all(json.loads(line) for line in lines)
    rows = list(csv.DictReader(io.StringIO(run_cli("export", "--format", "csv", "--table", "quotes", "--db", str(db)).stdout)))
    assert len(rows) == len(data["quotes"]) and {"speaker", "text", "article_id"} <= set(rows[0])


def test_show_unknown_id_fails_clearly(seeds_run):
    _, _, _, db = seeds_run
    proc = run_cli("show", "zzzz", "--db", str(db), check=False)
    assert proc.returncode != 0 and "no article with id 'zzzz'" in proc.stderr


def test_bad_files_are_named_and_the_rest_goes_in(tmp_path):
    corpus = tmp_path / "pile"
    corpus.mkdir()
    (corpus / "good.txt").write_text(
        "Harbour workers end strike\n\nDock workers in the port returned to work on Tuesday after the union "
        "accepted a new wage offer, the port authority said.\n", encoding="utf-8")
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "image.txt").write_bytes(bytes(range(256)) * 40)
    (corpus / "feed.jsonl").write_text(
        '{"title": "Ferry service resumes", "text": "The ferry between the islands sailed again on Monday '
        'after repairs to the pier were finished, the operator said."}\n{"title": broken\n', encoding="utf-8")
    proc = run_cli("run", str(corpus), "--out", str(tmp_path / "out"), "--db", str(tmp_path / "s.duckdb"))
    assert "2 new articles" in proc.stdout
    for name in ("empty.txt", "image.txt", "feed.jsonl"):
        assert name in proc.stderr
    assert "line 2" in proc.stderr
    data = json.loads((tmp_path / "out" / "storyline.json").read_text("utf-8"))
    assert {a["title"] for a in data["articles"]} == {"Harbour workers end strike", "Ferry service resumes"}
    assert {p["path"].rsplit("/", 1)[-1] for p in data["problems"]} >= {"empty.txt", "image.txt", "feed.jsonl"}


def test_nothing_readable_is_a_clear_failure(tmp_path):
    (tmp_path / "blank.txt").write_bytes(b"")
    proc = run_cli("run", str(tmp_path / "blank.txt"), "--out", str(tmp_path / "o"), "--db", str(tmp_path / "s.duckdb"),
                   check=False)
    assert proc.returncode == 2 and "no articles" in proc.stderr


def test_missing_path_and_bad_field_map(tmp_path):
    proc = run_cli("ingest", str(tmp_path / "nowhere"), "--db", str(tmp_path / "s.duckdb"), check=False)
    assert proc.returncode != 0 and "nowhere" in proc.stderr
    proc = run_cli("ingest", str(tmp_path), "--field-map", "headline=titel", "--db", str(tmp_path / "s.duckdb"), check=False)
    assert proc.returncode == 2 and "titel" in proc.stderr


def test_grown_folder_processes_only_new_files(tmp_path):
    shared_path("seeds")
    folder = tmp_path / "pile"
    folder.mkdir()
    seeds = sorted(SEEDS.glob("*.txt"))
    for path in seeds[:3]:
        shutil.copy(path, folder)
    db = str(tmp_path / "s.duckdb")
    assert "3 new articles from 3 files" in run_cli("ingest", str(folder), "--db", db).stdout
    for path in seeds[3:]:
        shutil.copy(path, folder)
    assert "2 new articles from 5 files, 3 files already in the store" in run_cli("ingest", str(folder), "--db", db).stdout
