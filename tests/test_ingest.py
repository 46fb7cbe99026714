"""The ingest stage: every input kind read by content, every bad input a Problem, never an error."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import socket
import tracemalloc
from pathlib import Path

import pytest

import storyline.ingest as ingest_module
from storyline.ingest import MAX_FILE_BYTES, MAX_RECORD_BYTES, discover, file_digest, ingest, read_file
from storyline.ingest.dates import iso_date
from storyline.ingest.decode import decode_bytes
from storyline.records import Document, Problem

from ingest_builders import ATOM, RSS, page, write_warc

from conftest import SEEDS  # noqa: E402

ARTICLE = ("Dockworkers at the port of Farhaven walked out on Monday over pay, the union said.\n\n"
           "“We will not go back for less than nine percent,” said union leader Ada Korsvik.\n\n"
           "The port authority said talks would resume on Wednesday.")


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Ingest must never reach out, whatever the content says."""
    def refuse(*_args, **_kwargs):
        raise AssertionError("ingest tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def docs(items):
    return [item for item in items if isinstance(item, Document)]


def problems(items):
    return [item for item in items if isinstance(item, Problem)]


def only(items):
    items = list(items)
    assert len(items) == 1, items
    return items[0]


# --- plain text and encodings --------------------------------------------------------------


def test_plain_text_is_decoded_as_is_with_newlines_normalised(tmp_path):
    path = tmp_path / "strike.txt"
    path.write_bytes(ARTICLE.replace("\n", "\r\n").encode("utf-8"))
    doc = only(read_file(path))
    assert isinstance(doc, Document)
    assert (doc.kind, doc.content, doc.path, doc.locator) == ("text", ARTICLE, str(path), None)
    assert doc.title is doc.published is doc.source is doc.url is None  # the clean stage finds these


SMART = "Café “quoted” – done. " * 20


@pytest.mark.parametrize("encoding, data", [
    ("utf-8 with BOM", b"\xef\xbb\xbf" + SMART.encode("utf-8")),
    ("utf-16-le with BOM", b"\xff\xfe" + SMART.encode("utf-16-le")),
    ("utf-16-be with BOM", b"\xfe\xff" + SMART.encode("utf-16-be")),
    ("utf-16-le without BOM", SMART.encode("utf-16-le")),
    ("cp1252", SMART.encode("cp1252")),
])
def test_encodings_with_smart_quotes(tmp_path, encoding, data):
    path = tmp_path / "article.txt"
    path.write_bytes(data)
    doc = only(read_file(path))
    assert doc.content == SMART, encoding


def test_latin1_text(tmp_path):
    text = "Le ministre a déclaré que la réunion aura lieu à Genève. Ça coûte cher, dit-il.\n" * 5
    path = tmp_path / "fr.txt"
    path.write_bytes(text.encode("latin-1"))
    assert only(read_file(path)).content == text


def test_cp1252_bytes_unassigned_in_cp1252_fall_back_to_latin1():
    assert decode_bytes(b"caf\xe9 \x81") == "café \x81"


def test_declared_charset_is_used_after_utf8_fails():
    russian = "Министр заявил, что переговоры продолжатся."
    assert decode_bytes(russian.encode("koi8-r"), declared="koi8-r") == russian
    assert decode_bytes("naïve".encode("utf-8"), declared="iso-8859-1") == "naïve"  # mis-declared UTF-8


def test_text_that_contradicts_its_bom_is_a_problem(tmp_path):
    path = tmp_path / "broken16.txt"
    path.write_bytes(b"\xff\xfe" + "Hello world".encode("utf-16-le") + b"\x00\xd8")  # lone surrogate
    problem = only(read_file(path))
    assert isinstance(problem, Problem) and "cannot decode as UTF-16-LE" in problem.reason


# --- HTML ------------------------------------------------------------------------------------


def test_html_metadata(tmp_path):
    path = tmp_path / "ferry.html"
    path.write_text(page("Ferry strike ends", ARTICLE, date="2024-03-14T09:30:00+01:00", author="Ada Korsvik",
                         site="Harbour Times", url="https://harbourtimes.example/2024/03/14/ferry"), "utf-8")
    doc = only(read_file(path))
    assert doc.kind == "html" and "<article>" in doc.content
    assert doc.title == "Ferry strike ends"
    assert doc.published == "2024-03-14"
    assert doc.author == "Ada Korsvik"
    assert doc.source == "Harbour Times"
    assert doc.url == "https://harbourtimes.example/2024/03/14/ferry"
    assert doc.language == "en"


def test_html_named_txt_is_detected_by_content_and_meta_charset_decodes_it(tmp_path):
    path = tmp_path / "saved-page.txt"
    html = page("Café owners protest", "“It is unfair,” said the owner – again.", charset="windows-1252",
                date="2024-03-02")
    path.write_bytes(html.encode("cp1252"))
    doc = only(read_file(path))
    assert doc.kind == "html" and "“It is unfair,” said the owner – again." in doc.content
    assert (doc.title, doc.published) == ("Café owners protest", "2024-03-02")


def test_text_in_an_html_file_stays_text_and_a_url_body_is_never_fetched(tmp_path):
    path = tmp_path / "link.html"
    path.write_text("https://evil.example/fetch-me", "utf-8")
    doc = only(read_file(path))
    assert (doc.kind, doc.content) == ("text", "https://evil.example/fetch-me")
    tagged = tmp_path / "tagged.html"
    tagged.write_text("<html><body>https://evil.example/fetch-me</body></html>", "utf-8")
    assert only(read_file(tagged)).kind == "html"


def test_gzipped_html(tmp_path):
    path = tmp_path / "page.html.gz"
    path.write_bytes(gzip.compress(page("Gzip page", ARTICLE, date="2024-01-05").encode()))
    doc = only(read_file(path))
    assert (doc.kind, doc.title, doc.published) == ("html", "Gzip page", "2024-01-05")


# --- JSONL -------------------------------------------------------------------------------------


def write_jsonl(path: Path, lines: list) -> Path:
    path.write_text("\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines) + "\n", "utf-8")
    return path


def test_jsonl_fields_dates_and_locators(tmp_path):
    path = write_jsonl(tmp_path / "export.jsonl", [
        {"title": "Strike day one", "text": ARTICLE, "url": "https://wire.example/1", "published": "2024-03-11T06:00:00Z",
         "source": "Meridian Wire", "author": ["A. Lund", "B. Sato"], "language": "en-GB"},
        "",
        {"title": "Strike day two", "html": "<p>Talks resumed.</p>", "date": "Tue, 12 Mar 2024 10:00:00 +0100"},
        '{"title": "broken", "text": "no closing brace"',
        '["not", "an", "object"]',
        {"title": "no body", "summary": "only a summary"},
        {"title": "blank", "text": "   "},
        {"title": "numbers", "text": 42},
        {"text": "Plain line with a bad date.", "published": "sometime soon"},
    ])
    items = list(read_file(path))
    first, second, last = docs(items)
    assert (first.kind, first.title, first.url, first.published, first.source, first.author, first.language,
            first.locator) == ("text", "Strike day one", "https://wire.example/1", "2024-03-11", "Meridian Wire",
                               "A. Lund, B. Sato", "en", "line 1")
    assert first.content == ARTICLE
    assert (second.kind, second.content, second.published, second.locator) == (
        "html", "<p>Talks resumed.</p>", "2024-03-12", "line 3")
    assert (last.locator, last.published) == ("line 9", None)
    reasons = {p.locator: p.reason for p in problems(items)}
    assert set(reasons) == {"line 4", "line 5", "line 6", "line 7", "line 8", "line 9"}
    assert reasons["line 4"].startswith("malformed JSON")
    assert reasons["line 5"] == "not a JSON object (found list)"
    assert reasons["line 6"].startswith("no text or html field (fields found: title, summary")
    assert reasons["line 7"] == "text is empty"
    assert reasons["line 8"] == "field 'text' is not a string (found int)"
    assert reasons["line 9"] == "stored without a date: the field 'published' is not a date ('sometime soon')"
    assert all(p.path == str(path) for p in problems(items))


def test_field_map_renames_the_exporters_fields(tmp_path):
    path = write_jsonl(tmp_path / "feed.ndjson", [
        {"headline": "Deal reached", "body": ARTICLE, "outlet": "Savria Today", "link": "https://st.example/deal",
         "meta": {"published": "2024-03-18"}},
    ])
    without = only(read_file(path))
    assert isinstance(without, Problem) and "map yours with the option --field-map" in without.reason
    doc = only(read_file(path, field_map={"headline": "title", "body": "text", "outlet": "source", "link": "url",
                                          "meta.published": "published"}))
    assert (doc.title, doc.content, doc.source, doc.url, doc.published) == (
        "Deal reached", ARTICLE, "Savria Today", "https://st.example/deal", "2024-03-18")
    with pytest.raises(ValueError, match="unknown field"):
        read_file(path, field_map={"headline": "titel"})


def test_jsonl_detected_by_content_gzipped_without_extension(tmp_path):
    path = tmp_path / "dump"
    lines = "\n".join(json.dumps({"title": f"Story {n}", "text": f"Body of story {n}."}) for n in range(1, 4))
    path.write_bytes(gzip.compress(lines.encode()))
    found = list(read_file(path))
    assert [d.title for d in found] == ["Story 1", "Story 2", "Story 3"]


def test_a_huge_jsonl_line_is_refused_without_reading_it_into_memory(tmp_path):
    path = tmp_path / "big.jsonl"
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(json.dumps({"title": "small", "text": "A short article."}) + "\n")
        handle.write(json.dumps({"title": "huge", "text": "x" * (8 * 1024 * 1024)}) + "\n")
        handle.write(json.dumps({"title": "after", "text": "Still read."}) + "\n")
    tracemalloc.start()
    try:
        items = list(read_file(path, max_record_bytes=64 * 1024))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert [d.title for d in docs(items)] == ["small", "after"]
    problem = only(problems(items))
    assert (problem.locator, problem.reason) == ("line 2", "line is over the 64 KB limit for one record")
    assert peak < 2 * 1024 * 1024, peak


def test_jsonl_in_windows_encodings(tmp_path):
    cp1252 = tmp_path / "windows.jsonl"
    cp1252.write_bytes('{"title": "“Quoted”", "text": "Café – open"}\n'.encode("cp1252"))
    utf16 = tmp_path / "utf16.jsonl"
    utf16.write_bytes(b"\xff\xfe" + '{"title": "Grüße", "text": "Straße"}\n{"text": "zwei"}\n'.encode("utf-16-le"))
    doc = only(read_file(cp1252))
    assert (doc.title, doc.content) == ("“Quoted”", "Café – open")
    assert [(d.title, d.content, d.locator) for d in read_file(utf16)] == [
        ("Grüße", "Straße", "line 1"), (None, "zwei", "line 2")]


def test_pretty_printed_json_is_explained(tmp_path):
    path = tmp_path / "articles.json"
    path.write_text(json.dumps({"title": "x", "text": "y"}, indent=2), "utf-8")
    assert "not JSON Lines" in only(read_file(path)).reason


# --- WARC ----------------------------------------------------------------------------------------


def crawl(tmp_path, name="crawl.warc.gz", gzip_records=True):
    date = "2024-03-22T10:15:00Z"
    pages = [page(f"Page {n}", ARTICLE, date=f"2024-03-{10 + n:02d}", site="Varne Observer") for n in range(1, 4)]
    cp1252 = page("Prices “soar”", "Costs rose – sharply.", charset="windows-1252").encode("cp1252")
    records = [
        ("warcinfo",),                                                                              # 1
        ("request", "https://obs.example/1"),                                                       # 2
        ("response", "https://obs.example/1", "200 OK", "text/html; charset=utf-8", pages[0].encode(), date),  # 3
        ("response", "https://obs.example/logo.png", "200 OK", "image/png", b"\x89PNG\r\n\x1a\n....", date),  # 4
        ("response", "https://obs.example/missing", "404 Not Found", "text/html", b"<html>gone</html>", date),  # 5
        ("response", "https://obs.example/2", "200 OK", "application/xhtml+xml", pages[1].encode(), date),  # 6
        ("response", "https://obs.example/prices", "200 OK", "text/html; charset=ISO-8859-1", cp1252, date),  # 7
        ("resource", "https://obs.example/3", "text/html", pages[2].encode()),                       # 8
    ]
    path = tmp_path / name
    ends = write_warc(path, records, gzip=gzip_records)
    return path, ends


def test_warc_reads_every_html_page_and_counts_every_record(tmp_path):
    path, _ = crawl(tmp_path)
    found = list(read_file(path))
    assert not problems(found)
    assert [(d.locator, d.url) for d in found] == [
        ("record 3", "https://obs.example/1"), ("record 6", "https://obs.example/2"),
        ("record 7", "https://obs.example/prices"), ("record 8", "https://obs.example/3")]
    first = found[0]
    assert (first.kind, first.title, first.published, first.fetched, first.source) == (
        "html", "Page 1", "2024-03-11", "2024-03-22", "Varne Observer")
    assert "“soar”" in found[2].title and "Costs rose – sharply." in found[2].content


def test_gzipped_warc_without_extension_is_detected_by_content(tmp_path):
    path, _ = crawl(tmp_path, name="download-2024-03-22")
    assert len(docs(read_file(path))) == 4


def test_truncated_gzip_warc_keeps_the_records_before_the_cut(tmp_path):
    path, ends = crawl(tmp_path)
    data = path.read_bytes()
    path.write_bytes(data[: (ends[5] + ends[6]) // 2])  # cut inside record 7
    found = list(read_file(path))
    assert [d.locator for d in docs(found)] == ["record 3", "record 6"]
    problem = found[-1]
    assert isinstance(problem, Problem)
    assert (problem.path, problem.locator, problem.reason) == (
        str(path), "record 7", "truncated gzip stream after record 6")


def test_truncated_uncompressed_warc(tmp_path):
    path, ends = crawl(tmp_path, name="crawl.warc", gzip_records=False)
    path.write_bytes(path.read_bytes()[: ends[2] - 200])  # cut inside record 3's page
    found = list(read_file(path))
    assert not docs(found)
    assert only(found).locator == "record 3" and "truncated" in only(found).reason


def test_broken_warc_record_keeps_what_came_before(tmp_path):
    path, ends = crawl(tmp_path, name="crawl.warc", gzip_records=False)
    data = path.read_bytes()
    path.write_bytes(data[: ends[2]] + b"\r\nthis is not a WARC header\r\n\r\n" + data[ends[2]:])
    found = list(read_file(path))
    assert [d.locator for d in docs(found)] == ["record 3"]
    assert found[-1].locator == "record 4" and found[-1].reason.startswith("broken WARC record after record 3")


def test_corrupt_gzip_member_keeps_the_records_before_it(tmp_path):
    path, ends = crawl(tmp_path)
    data = bytearray(path.read_bytes())
    for offset in range((ends[5] + ends[6]) // 2, (ends[5] + ends[6]) // 2 + 16):
        data[offset] ^= 0x55
    path.write_bytes(bytes(data))
    found = list(read_file(path))
    assert [d.locator for d in docs(found)] == ["record 3", "record 6"]
    assert found[-1].locator == "record 7" and found[-1].reason.startswith("corrupt gzip data")


def test_a_warc_named_file_that_is_not_a_warc(tmp_path):
    path = tmp_path / "crawl.warc"
    path.write_text("Just some notes about the crawl.\n", "utf-8")
    assert only(read_file(path)).reason == "not a WARC file: it does not start with 'WARC/'"


def test_oversized_warc_page_is_skipped_with_a_problem(tmp_path):
    path = tmp_path / "big.warc.gz"
    big = page("Big", "word " * 50_000).encode()
    small = page("Small", ARTICLE).encode()
    write_warc(path, [("warcinfo",),
                      ("response", "https://a.example/big", "200 OK", "text/html", big, "2024-03-01T00:00:00Z"),
                      ("response", "https://a.example/small", "200 OK", "text/html", small, "2024-03-01T00:00:00Z")])
    found = list(read_file(path, max_record_bytes=100 * 1024))
    assert [(type(x).__name__, x.locator) for x in found] == [("Problem", "record 2"), ("Document", "record 3")]
    assert found[0].reason == "page is over the 100 KB limit for one record"


# --- feeds -------------------------------------------------------------------------------------


def test_rss_feed_entries(tmp_path):
    path = tmp_path / "gazette.xml"
    path.write_text(RSS, "utf-8")
    found = list(read_file(path))
    ferry, council = docs(found)
    assert (ferry.kind, ferry.locator, ferry.title, ferry.url, ferry.author, ferry.source, ferry.published,
            ferry.language) == ("html", "entry 1", "Ferry service resumes after storm",
                                "https://gazette.example/2024/03/14/ferry-resumes", "Maren Holt", "Harbour Gazette",
                                "2024-03-14", "en")
    assert "Crews had checked the pier" in ferry.content and "teaser" not in ferry.content
    assert (council.kind, council.content, council.published) == (
        "text", "The council voted 12 to 3 for the new sea wall, officials said.", "2024-03-15")
    problem = only(problems(found))
    assert (problem.locator, problem.reason) == ("entry 3", "entry has no content")


def test_atom_feed_detected_by_content_in_a_txt_file(tmp_path):
    path = tmp_path / "courier.txt"
    path.write_text(ATOM, "utf-8")
    doc = only(read_file(path))
    assert (doc.kind, doc.title, doc.url, doc.author, doc.source, doc.published, doc.locator) == (
        "html", "Bridge reopens to traffic", "https://courier.example/bridge-reopens", "Jonas Berg",
        "Valley Courier", "2024-03-11", "entry 1")
    assert "The bridge over the river reopened on Monday." in doc.content


def test_feeds_without_entries(tmp_path):
    empty = tmp_path / "empty.rss"
    empty.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>Quiet</title></channel></rss>', "utf-8")
    assert only(read_file(empty)).reason == "feed has no entries"
    broken = tmp_path / "broken.xml"
    broken.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>Cut <', "utf-8")
    assert only(read_file(broken)).reason.startswith("not a readable feed")


def test_xml_that_is_not_a_feed(tmp_path):
    path = tmp_path / "sitemap.xml"
    path.write_text('<?xml version="1.0"?>\n<urlset><url><loc>https://a.example/</loc></url></urlset>', "utf-8")
    assert only(read_file(path)).reason == "XML, but not an RSS or Atom feed (root element <urlset>)"


# --- bad input ---------------------------------------------------------------------------------


def test_bad_files_are_problems_and_the_batch_goes_on(tmp_path, monkeypatch):
    good = tmp_path / "good.txt"
    good.write_text(ARTICLE, "utf-8")
    cases = {
        "binary.txt": (bytes(range(256)) * 8, "binary content, not text"),
        "photo.txt": (b"\x89PNG\r\n\x1a\n" + bytes(100), "binary content, not text (PNG image)"),
        "controls.txt": (b"\x01\x02\x03\x04\x05abc" * 50, "binary content, not text"),
        "empty.txt": (b"", "empty file"),
        "blank.txt": (b" \n\t\r\n  \n", "empty file"),
        "cut.txt.gz": (gzip.compress(ARTICLE.encode() * 50)[:-30], "truncated gzip stream"),
        "locked.txt": (b"secret", "permission denied"),
    }
    for name, (data, _) in cases.items():
        (tmp_path / name).write_bytes(data)
    real_open = open

    def guarded_open(file, *args, **kwargs):
        if str(file).endswith("locked.txt"):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(ingest_module, "open", guarded_open, raising=False)
    paths = [tmp_path / name for name in cases] + [good, tmp_path / "missing.txt"]
    found = list(ingest(paths))
    reasons = {Path(p.path).name: p.reason for p in problems(found)}
    expected = {name: reason for name, (_, reason) in cases.items()} | {"missing.txt": "no such file or directory"}
    assert reasons == expected
    assert [d.content for d in docs(found)] == [ARTICLE]


def test_size_limits_checked_before_the_file_is_read(tmp_path, monkeypatch):
    big = tmp_path / "big.jsonl"
    big.write_bytes(b'{"text": "x"}\n' * 200)
    page_file = tmp_path / "page.html"
    page_file.write_text(page("Long", "word " * 1000), "utf-8")

    def no_open(*_args, **_kwargs):
        raise AssertionError("opened a file that is over the limit")

    with monkeypatch.context() as patched:
        patched.setattr(ingest_module, "open", no_open, raising=False)
        assert only(read_file(big, max_bytes=1000)).reason == "file is 2.7 KB, over the 1000 bytes limit"
    reason = only(read_file(page_file, max_record_bytes=2048)).reason
    assert reason.startswith("file is ") and reason.endswith("over the 2 KB limit for one document")
    assert MAX_FILE_BYTES == 200 * 1024 * 1024 and MAX_RECORD_BYTES == 10 * 1024 * 1024


def test_a_library_failing_on_one_file_does_not_end_the_batch(tmp_path, monkeypatch):
    feed = tmp_path / "a.xml"
    feed.write_text(RSS, "utf-8")
    text = tmp_path / "b.txt"
    text.write_text(ARTICLE, "utf-8")

    def explode(*_args, **_kwargs):
        raise RuntimeError("parser crashed")

    monkeypatch.setattr(ingest_module, "read_feed", explode)
    first, second = ingest([tmp_path])
    assert (first.path, first.reason) == (str(feed), "could not read: RuntimeError: parser crashed")
    assert second.content == ARTICLE


def test_special_files(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    assert only(read_file(fifo)).reason.startswith("not a regular file")
    assert only(read_file(tmp_path)).reason == "is a directory"


# --- discovery ---------------------------------------------------------------------------------


def make_tree(root: Path) -> None:
    for rel in ["b.txt", "a/z.txt", "a/b/c.html", ".hidden.txt", ".git/config", "a/.cache/x.txt",
                "a/picture.txt", "notes.md"]:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(ARTICLE, "utf-8")
    (root / "a" / "picture.txt").write_bytes(b"\xff\xd8\xff\xe0" + bytes(64))  # a JPEG, whatever its name


def test_discover_folders_sorted_recursive_skipping_hidden_and_listing_images(tmp_path):
    make_tree(tmp_path)
    found = list(discover([tmp_path]))
    paths = [p.relative_to(tmp_path).as_posix() for p in found if isinstance(p, Path)]
    assert paths == ["a/b/c.html", "a/z.txt", "b.txt", "notes.md"]
    assert [(p.path, p.reason) for p in problems(found)] == [
        (str(tmp_path / "a" / "picture.txt"), "skipped: JPEG image, not an article")]


def test_discover_globs_explicit_files_duplicates_and_missing(tmp_path):
    make_tree(tmp_path)
    found = list(discover([str(tmp_path / "**" / "*.txt"), tmp_path / ".hidden.txt", tmp_path / "b.txt",
                           str(tmp_path / "nothing" / "*.txt"), tmp_path / "gone.txt"]))
    names = [x.relative_to(tmp_path).as_posix() for x in found if isinstance(x, Path)]
    assert names == ["a/z.txt", "b.txt", ".hidden.txt"]
    assert [(Path(p.path).name, p.reason) for p in problems(found)] == [
        ("picture.txt", "skipped: JPEG image, not an article"), ("*.txt", "no files match this pattern"),
        ("gone.txt", "no such file or directory")]
    assert list(discover(str(tmp_path / "b.txt"))) == [tmp_path / "b.txt"]  # one path, not its characters


def test_directory_loop_is_reported_once(tmp_path):
    (tmp_path / "news").mkdir()
    (tmp_path / "news" / "story.txt").write_text(ARTICLE, "utf-8")
    (tmp_path / "news" / "again").symlink_to(tmp_path / "news")
    found = list(ingest([tmp_path / "news"]))
    assert [d.content for d in docs(found)] == [ARTICLE]
    problem = only(problems(found))
    assert problem.path.endswith("again") and problem.reason.startswith("directory loop")


def test_file_digest(tmp_path):
    path = tmp_path / "x.bin"
    path.write_bytes(b"abc" * 1000)
    assert file_digest(path) == hashlib.sha256(b"abc" * 1000).hexdigest()


# --- dates and seeds ---------------------------------------------------------------------------


@pytest.mark.parametrize("value, expected", [
    ("2024-03-13", "2024-03-13"), ("2024-03-13T23:30:00-05:00", "2024-03-13"), ("2024-03-13T10:00:00.1234567Z", "2024-03-13"),
    ("Wed, 13 Mar 2024 10:00:00 +0100", "2024-03-13"), ("March 13, 2024", "2024-03-13"), (1710288000, "2024-03-13"),
    (1710288000000, "2024-03-13"), ("2024-02-30", None), ("next week", None), (None, None), (True, None),
])
def test_iso_date(value, expected):
    assert iso_date(value) == expected


def test_the_five_seed_articles(tmp_path):
    if not SEEDS.is_dir():
        pytest.skip(f"{SEEDS} is not available")
    files = sorted(SEEDS.glob("*.txt"))
    found = list(ingest([SEEDS]))
    assert len(found) == len(files) == 5
    for path, doc in zip(files, found):
        assert isinstance(doc, Document) and doc.kind == "text" and doc.path == str(path)
        assert doc.content == path.read_text("utf-8").replace("\r\n", "\n")
