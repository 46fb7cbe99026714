"""The web app over a real store of the example corpus: pages, JSON API, search, uploads, safety."""

from __future__ import annotations

import re
import time

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")

from fastapi.testclient import TestClient  # noqa: E402

from storyline.web import create_app  # noqa: E402
from web_data import corpus_store, wait_for_job  # noqa: E402


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app(corpus_store("web"), testing=True))


@pytest.fixture(scope="module")
def stories(client: TestClient) -> list[dict]:
    return client.get("/api/stories").json()["stories"]


def _hostile_id(client: TestClient) -> str:
    rows = client.get("/api/articles", params={"q": "Hostile"}).json()["articles"]
    assert rows, "the hostile article was not ingested"
    return rows[0]["id"]


def test_every_response_carries_the_security_headers(client):
    for path in ("/", "/api/stories", "/static/storyline.css", "/no/such/page", "/search?q=dam"):
        r = client.get(path)
        csp = r.headers["content-security-policy"]
        assert "default-src 'none'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["referrer-policy"] == "same-origin"
        assert r.headers["x-frame-options"] == "DENY"


def test_pages_use_no_inline_script_and_nothing_from_the_network(client, stories):
    for path in ("/", f"/stories/{stories[0]['id']}", "/search?q=dam", "/ingest", "/articles"):
        html = client.get(path).text
        assert not re.search(r"<script(?![^>]*\bsrc=\"/static/)[^>]*>", html), path
        assert not re.search(r"""(src|href)=["']?(https?:)?//""", html.split("<main>")[0]), path
        unquoted = re.sub(r'"[^"]*"', '""', html)  # escaped text inside attribute values is not markup
        assert not re.search(r"<[^>]+\son\w+=", unquoted), path


def test_story_list_api_shape_and_page(client, stories):
    data = client.get("/api/stories").json()
    assert set(data) >= {"total", "page", "pages", "stories", "filters", "facets"}
    assert data["total"] == len(stories) >= 4
    for s in stories:
        assert set(s) >= {"id", "title", "articles", "sources", "first", "last", "source_names"}
    assert [s["articles"] for s in stories] == sorted((s["articles"] for s in stories), reverse=True)
    html = client.get("/").text
    for s in stories:
        assert f'href="/stories/{s["id"]}"' in html


def test_story_list_filters_and_sort(client, stories):
    source = stories[0]["source_names"][0]
    by_source = client.get("/api/stories", params={"source": source}).json()["stories"]
    assert by_source and all(source in s["source_names"] for s in by_source)
    recent = client.get("/api/stories", params={"sort": "recent"}).json()["stories"]
    lasts = [s["last"] or "" for s in recent]
    assert lasts == sorted(lasts, reverse=True)
    late = client.get("/api/stories", params={"date_from": "2024-03-18"}).json()["stories"]
    assert late and all(s["last"] >= "2024-03-18" for s in late) and len(late) < len(stories)
    assert client.get("/api/stories", params={"q": "zzzz-nothing"}).json()["total"] == 0
    entity = client.get("/api/stories").json()["facets"]["entities"][0]
    assert client.get("/api/stories", params={"entity": entity}).json()["total"] >= 1
    assert client.get("/api/stories", params={"date_from": "not-a-date"}).status_code == 422


def test_story_page_shows_summary_matrix_conflicts_timeline_graph_and_quotes(client, stories):
    sid = max(stories, key=lambda s: s["articles"])["id"]
    v = client.get(f"/api/stories/{sid}").json()
    assert set(v) >= {"summary", "matrix", "conflicts", "timeline", "timeline_chart", "copy_graph", "quotes", "articles"}
    assert v["summary"] and all(s["citations"] for s in v["summary"])
    assert len(v["matrix"]["columns"]) == len(v["articles"])
    assert all(len(r["cells"]) == len(v["articles"]) for r in v["matrix"]["rows"])
    html = client.get(f"/stories/{sid}").text
    assert '<svg class="timeline"' in html and 'class="matrix"' in html
    cite = v["summary"][0]["citations"][0]
    if cite["start"] is not None:
        assert f'/articles/{cite["article_id"]}?hl={cite["start"]}-{cite["end"]}#cited' in html
    if v["copy_graph"]["edges"]:
        assert '<svg class="copygraph"' in html
    if v["conflicts"]:
        assert 'class="conflict' in html
    assert v["quotes"] and "<del>" in html or "<ins>" in html or v["quotes"]


def test_article_page_highlights_extracts_and_a_cited_passage(client, stories):
    sid = max(stories, key=lambda s: s["articles"])["id"]
    story = client.get(f"/api/stories/{sid}").json()
    cite = next(c for s in story["summary"] for c in s["citations"] if c["start"] is not None)
    r = client.get(f"/articles/{cite['article_id']}", params={"hl": f"{cite['start']}-{cite['end']}"})
    assert r.status_code == 200
    assert '<a id="cited"></a>' in r.text and "hl-cited" in r.text
    v = client.get(f"/api/articles/{cite['article_id']}", params={"hl": f"{cite['start']}-{cite['end']}"}).json()
    assert set(v) >= {"id", "title", "text", "spans", "removed", "quotes", "figures", "events", "entities",
                      "copy_of", "copied_by", "stories", "cited"}
    assert v["cited"] == [cite["start"], cite["end"]]
    assert {s["kind"] for s in v["spans"]} >= {"quote", "cited"}
    plain = client.get(f"/articles/{cite['article_id']}", params={"hl": "99999999-5"})
    assert plain.status_code == 200 and "hl-cited" not in plain.text


def test_copies_show_side_by_side_evidence(client):
    copies = [a for a in client.get("/api/articles").json()["articles"]]
    shown = 0
    for a in copies:
        v = client.get(f"/api/articles/{a['id']}").json()
        if v["copy_of"]:
            html = client.get(f"/articles/{a['id']}").text
            assert "Copied from" in html
            if v["copy_of"][0]["evidence"]:
                assert 'class="sbs"' in html
            shown += 1
    assert shown >= 1


def test_hostile_article_is_shown_never_run(client):
    aid = _hostile_id(client)
    for path in (f"/articles/{aid}", "/articles", "/search?q=banner", "/search?q=harbour+gates"):
        body = client.get(path).text
        assert "<script>window.__pwned" not in body and "<img src=x" not in body, path
        assert "<b>Wire</b>" not in body, path
    html = client.get(f"/articles/{aid}").text
    shown = re.sub(r"<[^>]+>", "", html)  # the text as a reader sees it, highlights removed
    assert "&lt;script&gt;window.__pwned=3;alert(3)&lt;/script&gt;" in shown
    assert "onerror=&#34;window.__pwned=4&#34;" in shown
    assert 'href="javascript:' not in html
    assert client.get(f"/api/articles/{aid}").json()["text"].count("<script>") == 1  # the API returns data as is


def test_bm25_search_finds_speakers_quotes_and_claims(client):
    res = client.get("/api/search", params={"q": "Tarasov"}).json()
    assert set(res) >= {"query", "mode", "kind", "results", "note"}
    assert res["results"] and any(r["kind"] == "quote" and "Tarasov" in (r["label"] or "") for r in res["results"])
    first = res["results"][0]
    assert set(first) >= {"kind", "score", "text", "label", "article_id", "start", "end", "spans"}
    quotes = client.get("/api/search", params={"q": "Tarasov", "kind": "quote"}).json()["results"]
    assert quotes and all(r["kind"] == "quote" for r in quotes)
    html = client.get("/search", params={"q": "Tarasov"}).text
    assert "hl-match" in html and "/articles/" in html
    assert client.get("/api/search", params={"q": ""}).json()["results"] == []
    assert client.get("/api/search", params={"q": "dam", "mode": "nope"}).status_code == 422


def test_semantic_search_returns_the_matching_passage(client):
    pytest.importorskip("onnxruntime")
    t = time.time()
    res = client.get("/api/search", params={"q": "the reservoir wall collapsed", "mode": "semantic",
                                            "kind": "claim"}).json()
    assert res["mode"] == "semantic" and res["results"] and res["note"] is None, res
    top = " ".join(r["text"].lower() for r in res["results"][:3])
    assert "dam" in top or "wall" in top or "breach" in top
    quotes = client.get("/api/search", params={"q": "the flood came very fast", "mode": "semantic", "kind": "quote"})
    assert all(r["kind"] == "quote" for r in quotes.json()["results"])
    assert time.time() - t < 60


def test_404s(client):
    assert client.get("/stories/nope").status_code == 404
    page = client.get("/articles/<script>")
    assert page.status_code == 404 and "<script>" not in page.text
    r = client.get("/api/articles/nope")
    assert r.status_code == 404 and r.json() == {"detail": "no such article"}
    assert client.get("/api/stories/nope").status_code == 404
    assert client.get("/api/ingest/nope").status_code == 404
    assert client.get("/docs").status_code == 404  # the Swagger UI would load from a CDN


def test_openapi_documents_every_view(client):
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/stories", "/api/stories/{story_id}", "/api/articles", "/api/articles/{article_id}", "/api/search",
            "/api/ingest", "/api/ingest/{job_id}"} <= set(paths)


def test_foreign_host_header_is_refused(client):
    assert client.get("/", headers={"host": "evil.example"}).status_code == 400


# -- uploads ---------------------------------------------------------------------------------------

UPLOAD = ("Harbour pilots join Caldmouth dock strike\n\nCALDMOUTH, March 14 -- Harbour pilots joined the strike at "
          "Caldmouth port on Thursday, a union spokesman said. \"We stand with the dockers,\" said Marta Lind, "
          "who leads the pilots' association.\n").encode()


@pytest.fixture(scope="module")
def upload_client() -> TestClient:
    return TestClient(create_app(corpus_store("upload"), max_upload_bytes=64 * 1024, testing=True))




def test_upload_is_ingested_in_the_background(upload_client):
    files = [("files", ("../../etc/pilots.txt", UPLOAD, "text/plain")),
             ("files", ("broken.warc.gz", b"\x1f\x8b\x08not really gzip", "application/gzip"))]
    r = upload_client.post("/api/ingest", files=files)
    assert r.status_code == 202, r.text
    job = wait_for_job(upload_client, r.json()["id"])
    assert job["state"] == "done", job
    assert [f["name"] for f in job["files"]] == ["pilots.txt", "broken.warc.gz"]
    assert any("broken.warc.gz" in p["file"] for p in job["problems"]), job["problems"]
    assert "/tmp" not in str(job["problems"]) and "upload-00" not in str(job["problems"])
    titles = [a["title"] for a in job["new_articles"]]
    assert any("pilots" in (t or "").lower() for t in titles), job
    found = upload_client.get("/api/search", params={"q": "Marta Lind"}).json()["results"]
    assert any("Lind" in (r["label"] or "") + r["text"] for r in found)
    page = upload_client.get(f"/ingest/{job['id']}").text
    assert "pilots.txt" in page and "new articles" in page


def test_upload_limits_and_refusals(upload_client):
    big = [("files", ("big.txt", b"x" * (65 * 1024), "text/plain"))]
    assert upload_client.post("/api/ingest", files=big).status_code == 413
    assert upload_client.post("/api/ingest", files=[("other", ("a.txt", b"hi", "text/plain"))]).status_code == 400
    cross = upload_client.post("/api/ingest", files=[("files", ("a.txt", UPLOAD, "text/plain"))],
                               headers={"origin": "http://evil.example", "sec-fetch-site": "cross-site"})
    assert cross.status_code == 403
    other = upload_client.post("/api/ingest", files=[("files", ("a.txt", UPLOAD, "text/plain"))],
                               headers={"origin": "http://evil.example"})
    assert other.status_code == 403
    form = upload_client.post("/ingest", files=[("files", ("b.txt", UPLOAD + b"Second copy.\n", "text/plain"))],
                              follow_redirects=False)
    assert form.status_code == 303 and form.headers["location"].startswith("/ingest/")
    wait_for_job(upload_client, form.headers["location"].rsplit("/", 1)[1])
