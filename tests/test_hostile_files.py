"""Hostile files beside two good articles: each is stored, repaired or reported, never fatal.

Every test builds the case in a folder with two good articles and ingests it through the real
pipeline into a real store; the good articles must go in whole, the bad file must be named
with its reason, and nothing else may be lost.
"""

from __future__ import annotations

import gzip
import json
import os
import threading
import time

import pytest

from storyline import pipeline
from storyline.ingest import read_file
from storyline.records import Document, Problem

from hostile import assert_good_kept, good_pile, ingest, reasons

STRIKE = ("Pilots join the dock strike\n\nHarbour pilots joined the strike at Caldmouth port on Thursday, a union "
          "spokesman said. \"We stand with the dockers,\" said Marta Lind, who leads the pilots' association.\n")


def _within(seconds: float, call, *args, **kwargs):
    """Run `call` in a thread and fail (instead of hanging the suite) if it takes longer."""
    box: dict = {}

    def target() -> None:
        try:
            box["value"] = call(*args, **kwargs)
        except BaseException as exc:  # re-raised below, in the test's thread
            box["error"] = exc

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"did not finish within {seconds} s"
    if "error" in box:
        raise box["error"]
    return box["value"]


# -- names and special files -----------------------------------------------------------------------


def test_a_file_name_that_is_not_utf8_is_stored_and_the_batch_survives(tmp_path):
    folder = good_pile(tmp_path / "pile")
    raw = os.fsencode(folder) + b"/latin1-\xe9.txt"
    with open(raw, "wb") as handle:
        handle.write(STRIKE.encode())
    with open(os.fsencode(folder) + b"/empty-\xff.txt", "wb"):
        pass
    db = tmp_path / "s.duckdb"
    first = ingest([folder], db)
    articles = assert_good_kept(db, extra=1)
    strike = next(a for a in articles if a.title == "Pilots join the dock strike")
    assert strike.path == f"{folder}/latin1-\\xe9.txt"  # the byte as ls -b shows it
    assert reasons(first, "empty-\\xff.txt") == ["empty file"]
    again = ingest([folder], db)  # a re-run recognises every file and fails on none
    assert (again.files_skipped, again.new_articles) == (3, 0)


def test_a_fifo_and_dev_zero_are_refused_without_being_opened(tmp_path):
    folder = good_pile(tmp_path / "pile")
    os.mkfifo(folder / "pipe.txt")  # opening it would block until a writer comes
    db = tmp_path / "s.duckdb"
    result = _within(30, ingest, [folder, "/dev/zero"], db)
    assert_good_kept(db)
    assert reasons(result, "pipe.txt") == ["not a regular file (a device, pipe or socket)"]
    assert reasons(result, "/dev/zero") == ["not a regular file (a device, pipe or socket)"]


def test_a_huge_sparse_file_is_refused_from_its_size_alone(tmp_path):
    folder = good_pile(tmp_path / "pile")
    with open(folder / "dump.txt", "wb") as handle:
        handle.truncate(10 * 1024 ** 3)  # 10 GB of holes: hashing it would read 10 GB
    db = tmp_path / "s.duckdb"
    started = time.monotonic()
    result = ingest([folder], db)
    assert time.monotonic() - started < 20
    assert_good_kept(db)
    assert reasons(result, "dump.txt") == ["file is 10 GB, over the 200 MB limit"]


def test_a_binary_file_named_txt_in_a_folder_is_listed_as_skipped(tmp_path):
    folder = good_pile(tmp_path / "pile")
    (folder / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    (folder / "tool.txt").write_bytes(b"\x7fELF\x02\x01\x01" + bytes(500))
    db = tmp_path / "s.duckdb"
    result = ingest([folder], db)
    assert_good_kept(db)
    assert reasons(result, "photo.txt") == ["skipped: PNG image, not an article"]
    assert reasons(result, "tool.txt") == ["skipped: executable, not an article"]


# -- memory ------------------------------------------------------------------------------------------


def test_decompressed_size_is_capped_and_the_lines_before_the_cap_go_in(tmp_path):
    folder = good_pile(tmp_path / "pile")
    line = json.dumps({"title": "Wire copy", "text": "Filler " * 150}) + "\n"
    lines = [json.dumps({"title": "Bomb first line", "text": STRIKE})] + [line] * 20000
    data = gzip.compress(("\n".join(lines)).encode(), 9)
    (folder / "bomb.jsonl.gz").write_bytes(data)
    assert len(data) < 64 * 1024  # a small file on disk that inflates to about 21 MB
    items = list(read_file(folder / "bomb.jsonl.gz", max_bytes=2 * 1024 * 1024))
    problems = [i for i in items if isinstance(i, Problem)]
    assert len(problems) == 1 and "decompressed content is over the 2 MB limit" in problems[0].reason
    documents = [i for i in items if isinstance(i, Document)]
    assert documents[0].title == "Bomb first line" and 1 < len(documents) < 2100


def test_a_file_s_documents_are_written_in_bounded_batches(tmp_path, monkeypatch):
    folder = good_pile(tmp_path / "pile")
    rows = [{"title": f"Port notice {n}", "text": f"Notice {n}: the harbour office said berth {n} reopens at "
                                                  f"{n % 12 + 1} o'clock on Monday."} for n in range(30)]
    (folder / "notices.jsonl").write_text("\n".join(map(json.dumps, rows)) + "\n", encoding="utf-8")
    sizes = []
    real = pipeline._write_batch
    monkeypatch.setattr(pipeline, "_write_batch",
                        lambda store, batch, result: (sizes.append(len(batch.documents)), real(store, batch, result)))
    db = tmp_path / "s.duckdb"
    result = ingest([folder], db, batch_size=8)
    assert max(sizes) <= 8 and sum(sizes) == 32
    assert_good_kept(db, extra=30)
    assert result.problems == []


def test_a_nine_mib_text_is_cut_for_analysis_and_says_so(tmp_path):
    folder = good_pile(tmp_path / "pile")
    paragraph = ("The inquiry heard that the harbour office had warned the council about the sea wall in "
                 "each of the last five winters, and that repairs were put off every time. ")
    body = "\n\n".join(f"{n}. {paragraph}" for n in range(9 * 1024 * 1024 // (len(paragraph) + 8)))
    (folder / "inquiry.txt").write_text("Sea wall inquiry transcript\n\n" + body, encoding="utf-8")
    db = tmp_path / "s.duckdb"
    result = ingest([folder], db)
    articles = assert_good_kept(db, extra=1)
    inquiry = next(a for a in articles if a.title == "Sea wall inquiry transcript")
    assert len(inquiry.text) <= pipeline.MAX_ANALYSED_CHARS
    note = reasons(result, "inquiry.txt")
    assert len(note) == 1 and "characters are analysed" in note[0]
    assert f"of {len(body) + len('Sea wall inquiry transcript') + 2:,} characters" in note[0]


# -- silent loss ---------------------------------------------------------------------------------------


def test_html_nested_deeper_than_the_parser_limit_keeps_its_text(tmp_path):
    folder = good_pile(tmp_path / "pile")
    text = "The mayor said the flood barrier held overnight and the lower town stayed dry."
    page = ("<!DOCTYPE html><html><head><title>Barrier holds</title></head><body>" + "<div>" * 400
            + f"<p>{text}</p>" + "</div>" * 400 + "</body></html>")
    (folder / "deep.html").write_text(page, encoding="utf-8")
    db = tmp_path / "s.duckdb"
    result = ingest([folder], db)
    articles = assert_good_kept(db, extra=1)
    deep = next(a for a in articles if a.path.endswith("deep.html"))
    assert text in deep.text and deep.title == "Barrier holds"
    assert any("nested deeper than the parser's 255-level limit" in r for r in reasons(result, "deep.html"))


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_bom_is_decoded(tmp_path, codec):
    folder = good_pile(tmp_path / "pile")
    (folder / "wide.txt").write_bytes(STRIKE.replace("Marta", "Márta").encode(codec))
    db = tmp_path / "s.duckdb"
    result = ingest([folder], db)
    articles = assert_good_kept(db, extra=1)
    assert any("Márta Lind" in a.text for a in articles)
    assert result.problems == []


def test_stray_nul_bytes_are_removed_and_noted(tmp_path):
    folder = good_pile(tmp_path / "pile")
    (folder / "nul.txt").write_bytes(STRIKE.encode().replace(b"Thursday", b"Thurs\x00day").replace(b"union", b"un\x00ion"))
    db = tmp_path / "s.duckdb"
    result = ingest([folder], db)
    articles = assert_good_kept(db, extra=1)
    assert any("on Thursday, a union spokesman" in a.text for a in articles)
    assert reasons(result, "nul.txt") == ["stored, but 2 stray NUL bytes removed"]


def test_mixed_utf8_and_cp1252_lines_are_each_decoded(tmp_path):
    folder = good_pile(tmp_path / "pile")
    utf8 = "Café owners back the strike\n\nThe café owners on the quay said they would close on Friday.\n"
    cp1252 = "Their spokesman, René Løkke, said the “solidarity day” would cost them 5,000 €.\n"
    (folder / "mixed.txt").write_bytes(utf8.encode("utf-8") + cp1252.encode("cp1252"))
    db = tmp_path / "s.duckdb"
    result = ingest([folder], db)
    articles = assert_good_kept(db, extra=1)
    mixed = next(a for a in articles if a.path.endswith("mixed.txt"))
    assert "café owners" in mixed.text and "René Løkke" in mixed.text and "5,000 €" in mixed.text
    assert "Ã" not in mixed.text
    assert reasons(result, "mixed.txt") == [
        "stored, but mixes UTF-8 lines with lines in another encoding: each line was decoded on its own"]


def test_a_feed_with_a_doctype_internal_subset_is_a_feed_and_no_entity_is_fetched(tmp_path):
    folder = good_pile(tmp_path / "pile")
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET PASSWORD", encoding="utf-8")
    feed = f"""<?xml version="1.0"?>
<!DOCTYPE rss [
  <!ENTITY outlet "Harbour Gazette">
  <!ENTITY leak SYSTEM "file://{secret}">
]>
<rss version="2.0"><channel><title>&outlet;</title>
<item><title>Sea wall budget approved</title><link>https://gazette.example/sea-wall</link>
<description>The council voted 12 to 3 for the new sea wall, officials said. &leak;</description></item>
</channel></rss>
"""
    (folder / "gazette.xml").write_text(feed, encoding="utf-8")
    db = tmp_path / "s.duckdb"
    result = ingest([folder], db)
    articles = assert_good_kept(db, extra=1)
    entry = next(a for a in articles if a.path.endswith("gazette.xml"))
    assert entry.title == "Sea wall budget approved" and "voted 12 to 3" in entry.text
    assert all("TOP SECRET" not in a.text for a in articles)
    assert result.problems == []


def test_a_file_with_problems_is_read_again_when_the_field_map_changes(tmp_path):
    folder = good_pile(tmp_path / "pile")
    rows = [{"headline": "Tug crews vote to strike", "body": "Tug crews at the port voted to join the strike, "
             "their union said on Friday.", "outlet": "Wire"},
            {"title": "Pier repairs finished", "text": "Repairs to the north pier were finished on Sunday."}]
    (folder / "wire.jsonl").write_text("\n".join(map(json.dumps, rows)) + "\n", encoding="utf-8")
    db = tmp_path / "s.duckdb"
    first = ingest([folder], db)
    assert_good_kept(db, extra=1)
    hint = reasons(first, "wire.jsonl")
    assert len(hint) == 1 and "--field-map" in hint[0]
    same = ingest([folder], db)  # the same options: the file is known
    assert same.files_skipped == 3 and same.problems == []
    mapped = ingest([folder], db, field_map={"headline": "title", "body": "text", "outlet": "source"})
    assert mapped.new_articles == 1 and mapped.problems == []
    articles = assert_good_kept(db, extra=2)
    assert any(a.title == "Tug crews vote to strike" and a.source == "Wire" for a in articles)


def test_bad_dates_and_null_or_object_titles_in_jsonl_are_reported(tmp_path):
    folder = good_pile(tmp_path / "pile")
    rows = [{"title": None, "text": "Dredging of the harbour mouth starts in May, the port said."},
            {"title": {"en": "Quay closes"}, "text": "The east quay closes for repairs next week, the council said."},
            {"title": "Tide gauge fixed", "text": "The tide gauge at the pier works again.", "published": "last Tuesdy"}]
    (folder / "feed.jsonl").write_text("\n".join(map(json.dumps, rows)) + "\n", encoding="utf-8")
    db = tmp_path / "s.duckdb"
    result = ingest([folder], db)
    articles = assert_good_kept(db, extra=3)
    found = {(p.locator, p.reason) for p in result.problems if p.path.endswith("feed.jsonl")}
    assert found == {("line 1", "stored without a title: the field 'title' is null"),
                     ("line 2", "stored without a title: the field 'title' is an object without a 'name'"),
                     ("line 3", "stored without a date: the field 'published' is not a date ('last Tuesdy')")}
    assert next(a for a in articles if a.title == "Tide gauge fixed").published is None


def test_a_title_or_source_holding_markup_is_replaced_by_the_next_candidate(tmp_path):
    folder = good_pile(tmp_path / "pile")
    page = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Flood barrier holds as river peaks</titlevalue="true" -->
</head> <body id="BodyID"></title>
<meta property="og:site_name" content="var cbn = function(){ return window.location; };">
<link rel="canonical" href="https://www.cbn.example/news/flood-barrier">
</head><body><div class="story"><h2>Flood barrier holds as river peaks</h2>
<p>The new flood barrier held overnight as the river reached its highest level in a decade, the city engineer
said on Sunday.</p><p>Residents in the lower town had been told to move their cars to higher ground.</p>
</div></body></html>"""
    (folder / "cbn.html").write_text(page, encoding="utf-8")
    db = tmp_path / "s.duckdb"
    result = ingest([folder], db)
    articles = assert_good_kept(db, extra=1)
    cbn = next(a for a in articles if a.path.endswith("cbn.html"))
    assert cbn.title == "Flood barrier holds as river peaks"
    assert cbn.source == "cbn.example"
    notes = reasons(result, "cbn.html")
    assert any("the page's title holds HTML markup" in n for n in notes), notes
    assert any("the page's source holds script code" in n and "took the site's host name" in n for n in notes), notes
    for a in articles:
        assert "<" not in (a.title or "") + (a.source or "") and len(a.title or "") <= 300


def test_a_jsonl_title_holding_markup_is_not_used_and_the_rejection_is_kept(tmp_path):
    folder = good_pile(tmp_path / "pile")
    row = {"title": "Pier reopens</title><script>alert(1)</script>", "text": "Pier reopens\n\nThe north pier "
           "reopened to walkers on Saturday after the storm repairs, the council said."}
    (folder / "one.jsonl").write_text(json.dumps(row) + "\n", encoding="utf-8")
    db = tmp_path / "s.duckdb"
    ingest([folder], db)
    articles = assert_good_kept(db, extra=1)
    pier = next(a for a in articles if a.path.endswith("one.jsonl"))
    assert "<" not in (pier.title or "")
    assert any(r.reason == "not used as the title: it holds HTML markup" for r in pier.removed)


def test_nothing_is_created_for_a_path_that_does_not_exist(tmp_path):
    db = tmp_path / "s.duckdb"
    result = ingest([tmp_path / "typo"], db)
    assert result.read_nothing and reasons(result, "typo") == ["no such file or directory"]
    assert not db.exists()
    with pytest.raises(pipeline.NothingRead):
        pipeline.run([str(tmp_path / "typo")], tmp_path / "report", db=db)
    assert not db.exists() and not (tmp_path / "report").exists()
