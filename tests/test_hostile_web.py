"""The web app against hostile uploads and hosts, beside the CLI, and under many first searches."""

from __future__ import annotations

import gzip
import json
import threading
import time

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")

from fastapi.testclient import TestClient  # noqa: E402

from storyline import embed  # noqa: E402
from storyline.web import create_app  # noqa: E402
from storyline.present import views  # noqa: E402
from conftest import run_cli  # noqa: E402
from hostile import GOOD  # noqa: E402
from web_data import corpus_store, wait_for_job  # noqa: E402


def _good_files() -> list[tuple]:
    return [("files", (name, f"{title}\n\n{body}\n".encode(), "text/plain")) for name, (title, body) in GOOD.items()]




def test_the_test_host_name_is_refused_in_production(tmp_path):
    db = corpus_store("hosts")
    production = TestClient(create_app(db))
    assert production.get("/").status_code == 400  # TestClient sends Host: testserver
    assert TestClient(create_app(db), base_url="http://127.0.0.1").get("/").status_code == 200
    assert TestClient(create_app(db, testing=True)).get("/").status_code == 200


@pytest.fixture(scope="module")
def app_and_client():
    app = create_app(corpus_store("hostile-upload"), max_upload_text=16 * 1024, testing=True)
    return app, TestClient(app)


def test_binary_uploads_are_listed_as_skipped_beside_good_articles(app_and_client):
    _, client = app_and_client
    binaries = [("files", ("chart.png", b"\x89PNG\r\n\x1a\n" + bytes(200), "image/png")),
                ("files", ("brief.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + bytes(200), "application/pdf")),
                ("files", ("tool", b"\x7fELF\x02\x01\x01" + bytes(200), "application/octet-stream")),
                ("files", ("pack.zip", b"PK\x03\x04" + bytes(200), "application/zip"))]
    r = client.post("/api/ingest", files=_good_files() + binaries)
    assert r.status_code == 202, r.text
    job = wait_for_job(client, r.json()["id"])
    assert job["state"] == "done", job
    skipped = {p["file"]: p["reason"] for p in job["problems"]}
    assert skipped == {"chart.png": "skipped: PNG image, not an article",
                       "brief.pdf": "skipped: PDF document, not an article",
                       "tool": "skipped: executable, not an article",
                       "pack.zip": "skipped: ZIP archive, not an article"}
    titles = {a["title"] for a in job["new_articles"]}
    assert {title for title, _ in GOOD.values()} <= titles


def test_an_upload_that_inflates_past_its_budget_keeps_what_came_before(app_and_client):
    _, client = app_and_client
    before = {"title": "Crane operators sign deal", "text": "Crane operators at the container terminal signed "
              "a new two-year deal on Wednesday, the union said."}
    filler = [json.dumps({"title": f"Notice {n}", "text": f"Berth {n} notice. " + "Tide tables unchanged. " * 40})
              for n in range(400)]
    bomb = gzip.compress("\n".join(filler).encode())
    files = [("files", ("a-first.jsonl", (json.dumps(before) + "\n").encode(), "application/json")),
             ("files", ("b-notices.jsonl.gz", bomb, "application/gzip"))]
    job = wait_for_job(client, client.post("/api/ingest", files=files).json()["id"])
    assert job["state"] == "done", job
    over = [p for p in job["problems"] if "for one upload" in p["reason"]]
    assert len(over) == 1 and over[0]["file"] == "b-notices.jsonl.gz", job["problems"]
    titles = {a["title"] for a in job["new_articles"]}
    assert "Crane operators sign deal" in titles and 0 < len(titles - {"Crane operators sign deal"}) < 400


def test_cached_pages_change_after_an_upload(app_and_client):
    _, client = app_and_client
    word = "Quillhaven"
    first = client.get("/api/search", params={"q": word}).json()["results"]
    assert first == []
    assert "restored on Saturday" not in client.get("/search", params={"q": word}).text  # now cached
    text = (f"Ferry link to {word} restored\n\nThe ferry link to {word} island was restored on Saturday after the "
            "storm, the operator said.\n").encode()
    job = wait_for_job(client, client.post("/api/ingest", files=[("files", ("q.txt", text, "text/plain"))]).json()["id"])
    assert job["state"] == "done"
    assert client.get("/api/search", params={"q": word}).json()["results"]
    assert "restored on Saturday" in client.get("/search", params={"q": word}).text


def test_the_cli_reads_the_store_while_the_app_holds_it(app_and_client):
    app, client = app_and_client
    db = app.state.gate.path
    assert client.get("/").status_code == 200
    listing = run_cli("list", "--db", db)
    assert "Crane operators sign deal" in listing.stdout
    exported = json.loads(run_cli("export", "--db", db).stdout)
    assert any(a["title"] == "Crane operators sign deal" for a in exported["articles"])
    assert client.get("/api/articles").status_code == 200  # and the app still serves


def test_a_story_page_is_cut_into_pages(app_and_client, monkeypatch):
    _, client = app_and_client
    monkeypatch.setattr(views, "STORY_PAGE", {"claims": 2, "quotes": 1, "articles": 2})
    stories = client.get("/api/stories").json()["stories"]
    story = next(s for s in stories if s["articles"] >= 3)
    first = client.get(f"/api/stories/{story['id']}", params={"page": 1}).json()
    totals = first["paging"]["totals"]
    assert first["paging"]["pages"] == max(-(-totals[k] // n) for k, n in views.STORY_PAGE.items())
    seen, claims = [], []
    for page in range(1, first["paging"]["pages"] + 1):
        v = client.get(f"/api/stories/{story['id']}", params={"page": page}).json()
        assert len(v["articles"]) <= 2 and len(v["matrix"]["rows"]) <= 2
        assert sum(len(sp["statements"]) for sp in v["quotes"]) <= 1
        seen += [a["id"] for a in v["articles"]]
        claims += [r["id"] for r in v["matrix"]["rows"]]
    assert len(seen) == len(set(seen)) == totals["articles"] == story["articles"]
    assert len(claims) == len(set(claims)) == totals["claims"]
    html = client.get(f"/stories/{story['id']}", params={"page": 2}).text
    assert f"page 2 of {first['paging']['pages']}" in html and "← previous page" in html


def test_twenty_first_searches_load_the_model_once(monkeypatch):
    loads = []

    class SlowModel:
        def __init__(self, threads: int | None = None) -> None:
            loads.append(threading.get_ident())
            time.sleep(0.3)  # loading the real model takes about this long

    monkeypatch.setattr(embed, "Embedder", SlowModel)
    monkeypatch.setattr(embed, "_loaded", None)
    got = []
    threads = [threading.Thread(target=lambda: got.append(embed.default_embedder())) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert len(loads) == 1 and len(got) == 20 and all(m is got[0] for m in got)
