"""Stored story pages: what the server keeps in the store must be what it would build now, and
a change to anything a story page shows must stop the stored page from being served."""

from __future__ import annotations

import dataclasses
import json

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")

from fastapi.testclient import TestClient  # noqa: E402

from storyline.records import Article, Story  # noqa: E402
from storyline.web import create_app, data  # noqa: E402
from storyline.web.story_pages import code_key, dumps  # noqa: E402
from web_data import corpus_store  # noqa: E402


@pytest.fixture()
def app(tmp_path):
    """A fresh app over a private store per test: these tests write to it."""
    import shutil

    target = tmp_path / "s.duckdb"
    shutil.copy(corpus_store("story-pages-base"), target)
    return create_app(target, testing=True)


def _stored(app, story_id: str, page: int = 1) -> tuple[str, str] | None:
    with app.state.gate.reading() as store:
        fingerprint = store.web.story_fingerprints([story_id]).get(story_id)
        if fingerprint is None:
            return None
        parts = [store.web.story_page(story_id, page, f"{code_key()}:{fingerprint}", part) for part in ("view", "html")]
        return None if None in parts else (parts[0], parts[1])


def _fresh(app, story_id: str, page: int = 1) -> tuple[str, str]:
    with app.state.gate.reading() as store:
        view = data.story(store, story_id, page)
    return dumps(view), app.state.story_pages.render(view)


def test_every_page_of_every_story_is_stored_at_start_and_equals_a_fresh_build(app):
    with app.state.gate.reading() as store:
        stories = store.get(Story)
    assert stories
    for s in stories:
        pages = json.loads(_fresh(app, s.id)[0])["paging"]["pages"]
        for page in range(1, pages + 1):
            stored = _stored(app, s.id, page)
            assert stored is not None, (s.id, page)
            assert stored == _fresh(app, s.id, page)
        assert _stored(app, s.id, pages + 1) is None


def test_served_pages_equal_a_fresh_build(app):
    client = TestClient(app)
    for s in client.get("/api/stories").json()["stories"]:
        view, html = _fresh(app, s["id"])
        api = client.get(f"/api/stories/{s['id']}")
        assert api.status_code == 200 and api.headers["content-type"] == "application/json"
        assert api.json() == json.loads(view)
        assert client.get(f"/stories/{s['id']}").text == html
    assert client.get("/api/stories/no-such-story").status_code == 404
    assert client.get("/stories/no-such-story").status_code == 404


def _plant(app, story_id: str, html: str) -> None:
    """Store a page of `story_id` under its current fingerprint, as a build would."""
    with app.state.gate.writing() as store:
        fingerprint = f"{code_key()}:{store.web.story_fingerprints([story_id])[story_id]}"
        store.web.put_story_pages([story_id], [(story_id, 1, fingerprint, '{"planted": true}', html)])


def test_a_request_serves_the_stored_page(app):
    client = TestClient(app)
    sid = client.get("/api/stories").json()["stories"][0]["id"]
    _plant(app, sid, "<p>stored page</p>")
    assert client.get(f"/stories/{sid}").text == "<p>stored page</p>"
    assert client.get(f"/api/stories/{sid}").json() == {"planted": True}


@pytest.mark.parametrize("change", ["story title", "article source"])
def test_a_change_to_the_story_or_its_articles_stops_the_stored_page(app, change):
    client = TestClient(app)
    sid = client.get("/api/stories").json()["stories"][0]["id"]
    _plant(app, sid, "<p>stored page</p>")
    with app.state.gate.writing() as store:
        story = store.story(sid)
        if change == "story title":
            store.put([dataclasses.replace(story, title="A retitled story")])
        else:
            article = store.article(story.article_ids[0])
            store.put([dataclasses.replace(article, source="Renamed Wire")])
    served = client.get(f"/stories/{sid}").text
    assert served != "<p>stored page</p>"
    assert served == _fresh(app, sid)[1]
    assert ("A retitled story" if change == "story title" else "Renamed Wire") in served
    assert _stored(app, sid) is None  # the planted page no longer matches the story
    with app.state.gate.writing() as store:
        assert sid in app.state.story_pages.refresh(store)
    assert _stored(app, sid) == _fresh(app, sid)


def test_a_deleted_story_loses_its_stored_pages(app):
    client = TestClient(app)
    sid = client.get("/api/stories").json()["stories"][0]["id"]
    with app.state.gate.writing() as store:
        store.delete_keys(Story, [(sid,)])
        assert sid in app.state.story_pages.stale(store)
        app.state.story_pages.refresh(store)
        assert sid not in store.web.stored_story_fingerprints()
        assert app.state.story_pages.stale(store) == []
    assert client.get(f"/stories/{sid}").status_code == 404


def test_the_background_build_stores_what_the_start_would(app, monkeypatch):
    from storyline.web import story_pages

    with app.state.gate.writing() as store:
        store.web.put_story_pages(sorted(store.web.stored_story_fingerprints()), [])
        assert store.count(Article) and len(app.state.story_pages.stale(store)) == store.count(Story)
    monkeypatch.setattr(story_pages, "SYNC_BUILD_LIMIT", 0)
    monkeypatch.setattr(story_pages, "CHUNK", 2)
    pages = app.state.story_pages
    pages.start()
    pages.wait(300)
    assert pages.error is None
    with app.state.gate.reading() as store:
        assert pages.stale(store) == []
        ids = [s.id for s in store.get(Story)]
    assert all(_stored(app, sid) == _fresh(app, sid) for sid in ids)


def test_other_page_sizes_stop_the_stored_pages(app, monkeypatch):
    from storyline.present import views

    client = TestClient(app)
    sid = client.get("/api/stories").json()["stories"][0]["id"]
    _plant(app, sid, "<p>stored page</p>")
    assert client.get(f"/stories/{sid}").text == "<p>stored page</p>"
    monkeypatch.setattr(views, "STORY_PAGE", {"claims": 1, "quotes": 1, "articles": 1})
    assert client.get(f"/api/stories/{sid}").json() == json.loads(_fresh(app, sid)[0])
