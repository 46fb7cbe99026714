"""The FastAPI app: server-rendered pages and a JSON API over one store.

Every page has a JSON twin under /api/ serving the same view model (see `data` and `views`).
Requests each read through their own DuckDB cursor of a read-only connection (see `gate`), so
the CLI can read the store while the server runs; the few writes (ingest jobs, the search
index, semantic vectors) take one writer lock and switch the connection to writing while they last. Every response carries a strict Content-Security-Policy: pages run
only the package's own static script, never inline code, and article text is always escaped.
"""

from __future__ import annotations

import re
import threading
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Any, AsyncIterator, Iterator

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware

from .. import __version__
from ..store import Store
from . import data
from .gate import Gate, PageCache
from .jobs import MAX_UPLOAD_TEXT, Jobs
from .story_pages import StoryPages
from ..present.pages import environment, web_url

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
]
MAX_UPLOAD_BYTES = 25 * 1024 * 1024
MAX_UPLOAD_FILES = 200
LOCAL_HOSTS = ["127.0.0.1", "localhost", "::1", "[::1]"]
TEST_HOST = "testserver"  # the Host header of Starlette's TestClient: accepted only when asked for
_HL = re.compile(r"^(\d{1,9})-(\d{1,9})$")


class SecurityHeaders:
    """Pure ASGI middleware adding the security headers to every HTTP response."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: dict) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [h for h in HEADERS if h[0] not in names]
            await send(message)

        await self.app(scope, receive, with_headers)


def create_app(db_path: str | Path, *, max_upload_bytes: int = MAX_UPLOAD_BYTES, max_upload_text: int = MAX_UPLOAD_TEXT,
               allowed_hosts: list[str] | None = None, testing: bool = False) -> FastAPI:
    """The web app over the store at `db_path` (created if missing); `testing` also accepts
    the Host name of the test client, which production must not."""
    gate = Gate(db_path)
    writer = threading.Lock()
    index = data.Index(gate, writer)
    with gate.reading() as boot:
        ready = boot.web.index_ready()
    if not ready:
        with gate.writing() as store:
            index.refresh(store)
    env = environment(web_url, static=False)

    def render_html(view: str, v: Any, title: str, **extra: Any) -> str:
        return env.get_template("web.html.j2").render(view=view, v=v, title=title, version=__version__, **extra)

    stored = StoryPages(gate, writer, lambda v: render_html("story", v, v["title"] or "Story"))
    stored.start()

    def refresh(store: Store) -> None:
        index.refresh(store)
        stored.refresh(store)

    jobs = Jobs(gate, writer, refresh, max_upload_text)
    pages = PageCache()

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        jobs.close()
        gate.close()

    app = FastAPI(title="storyline", lifespan=lifespan, version=__version__, docs_url=None, redoc_url=None,
                  description="Follow one news story across many outlets. Every page of the web app has a JSON "
                              "twin here; the schema is at /openapi.json.")
    app.state.gate, app.state.jobs, app.state.index, app.state.story_pages = gate, jobs, index, stored
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=(allowed_hosts or LOCAL_HOSTS) + ([TEST_HOST] if testing else []))
    app.add_middleware(SecurityHeaders)
    static_dir = resources.files("storyline") / "static"
    app.mount("/static", StaticFiles(directory=str(static_dir)), name="static")

    def db() -> Iterator[Store]:
        with gate.reading() as store:
            yield store

    def search(q: str, mode: str, kind: str) -> dict:
        index.prepare(mode, kind)  # may write vectors: before this request holds a cursor
        with index.slots, gate.reading() as store:
            return data.search(store, index, q, mode=mode, kind=kind)

    def render_page(view: str, v: Any, title: str, status: int = 200, **extra: Any) -> HTMLResponse:
        return HTMLResponse(render_html(view, v, title, **extra), status_code=status)

    def cited(hl: str | None) -> tuple[int, int] | None:
        m = _HL.match(hl or "")
        return (int(m.group(1)), int(m.group(2))) if m else None

    def same_origin(request: Request) -> None:
        """Refuse writes started by another site (a form on some web page posting to localhost)."""
        site = request.headers.get("sec-fetch-site")
        if site is not None:
            if site not in ("same-origin", "none"):
                raise HTTPException(403, "cross-site request refused")
            return
        origin = request.headers.get("origin")
        if origin and origin.split("://", 1)[-1] != request.headers.get("host"):
            raise HTTPException(403, "cross-origin request refused")

    @app.exception_handler(StarletteHTTPException)
    async def _errors(request: Request, exc: StarletteHTTPException) -> Any:
        if request.url.path.startswith("/api/") or request.url.path == "/openapi.json":
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)
        return render_page("error", {"status": exc.status_code, "detail": str(exc.detail)}, f"{exc.status_code}",
                    status=exc.status_code)

    # -- JSON API -------------------------------------------------------------------------------

    def Q() -> Any:  # a fresh Query per parameter: FastAPI must not share one between parameters
        return Query(None, max_length=200)

    @app.get("/api/stories", tags=["stories"], summary="Stories, filtered and sorted")
    def api_stories(q: str | None = Q(), source: str | None = Q(), entity: str | None = Q(),
                    date_from: str | None = Query(None, pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$"),
                    date_to: str | None = Query(None, pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$"),
                    sort: str = Query("size", pattern="^(size|recent)$"), page: int = Query(1, ge=1, le=100000),
                    store: Store = Depends(db)) -> dict:
        return data.story_list(store, q=q, source=source, entity=entity, date_from=date_from, date_to=date_to,
                               sort=sort, page=page)

    def story_view(story_id: str, page: int, part: str) -> str:
        """One story page's "view" JSON or "html": cached, stored, or built now."""
        def build() -> str | None:
            with gate.reading() as store:
                return stored.get(store, story_id, page, part)

        found = gate.cached(pages, ("story", part, story_id, page), build)
        if found is None:
            raise HTTPException(404, "no such story")
        return found

    @app.get("/api/stories/{story_id}", tags=["stories"], response_model=dict,
             summary="One story: summary, claims, conflicts, timeline, copies, quotes")
    def api_story(story_id: str, page: int = Query(1, ge=1, le=100000)) -> Response:
        return Response(story_view(story_id, page, "view"), media_type="application/json")

    @app.get("/api/articles", tags=["articles"], summary="Articles, newest first")
    def api_articles(q: str | None = Q(), page: int = Query(1, ge=1, le=1000000), store: Store = Depends(db)) -> dict:
        return data.article_list(store, q=q, page=page)

    @app.get("/api/articles/{article_id}", tags=["articles"], summary="One article with every extract")
    def api_article(article_id: str, hl: str | None = Query(None, max_length=30), store: Store = Depends(db)) -> dict:
        view = data.article(store, article_id, cited(hl))
        if view is None:
            raise HTTPException(404, "no such article")
        return view

    @app.get("/api/search", tags=["search"], summary="BM25 or semantic search over articles, quotes and claims")
    def api_search(q: str = Query("", max_length=300), mode: str = Query("bm25", pattern="^(bm25|semantic)$"),
                   kind: str = Query("all", pattern="^(all|article|quote|claim)$")) -> dict:
        return search(q, mode, kind)

    async def _accept_upload(request: Request) -> Any:
        same_origin(request)
        length = request.headers.get("content-length")
        if length is None or not length.isdigit():
            raise HTTPException(411, "a Content-Length header is required")
        if int(length) > max_upload_bytes:
            raise HTTPException(413, f"upload too large: the limit is {max_upload_bytes // (1024 * 1024)} MiB")
        form = await request.form(max_files=MAX_UPLOAD_FILES, max_fields=20)
        uploads = []
        for item in form.getlist("files"):
            if hasattr(item, "read"):
                content = await item.read()
                if content:
                    uploads.append((item.filename, content))
                await item.close()
        if not uploads:
            raise HTTPException(400, "no files in the upload (use the form field 'files')")
        return jobs.submit(uploads)

    @app.post("/api/ingest", tags=["ingest"], status_code=202, summary="Upload files; ingest and analyse them in the background")
    async def api_ingest(request: Request) -> dict:
        return (await _accept_upload(request)).as_dict()

    @app.get("/api/ingest/{job_id}", tags=["ingest"], summary="Progress and per-file errors of an ingest job")
    def api_job(job_id: str) -> dict:
        job = jobs.jobs.get(job_id)
        if job is None:
            raise HTTPException(404, "no such job")
        return job.as_dict()

    # -- pages -------------------------------------------------------------------------------------

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home(q: str | None = Q(), source: str | None = Q(), entity: str | None = Q(), date_from: str | None = Q(),
             date_to: str | None = Q(), sort: str = "size", page: int = Query(1, ge=1, le=100000)) -> HTMLResponse:
        dates = [d if d and re.match(r"^\d{4}(-\d{2}(-\d{2})?)?$", d) else None for d in (date_from, date_to)]

        def build() -> bytes:
            with gate.reading() as store:
                v = data.story_list(store, q=q, source=source, entity=entity, date_from=dates[0], date_to=dates[1],
                                    sort=sort, page=page)
            return render_page("stories", v, "Stories").body

        return HTMLResponse(gate.cached(pages, ("home", q, source, entity, *dates, sort, page), build))

    @app.get("/stories/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    def story_page(story_id: str, page: int = Query(1, ge=1, le=100000)) -> HTMLResponse:
        return HTMLResponse(story_view(story_id, page, "html"))

    @app.get("/articles", response_class=HTMLResponse, include_in_schema=False)
    def articles_page(q: str | None = Q(), page_no: int = Query(1, alias="page", ge=1, le=1000000),
                      store: Store = Depends(db)) -> HTMLResponse:
        return render_page("articles", data.article_list(store, q=q, page=page_no), "Articles")

    @app.get("/articles/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(article_id: str, hl: str | None = Query(None, max_length=30), store: Store = Depends(db)) -> HTMLResponse:
        v = data.article(store, article_id, cited(hl))
        if v is None:
            raise HTTPException(404, "no such article")
        return render_page("article", v, v["title"] or "Article")

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search_page(q: str = Query("", max_length=300), mode: str = "bm25", kind: str = "all") -> HTMLResponse:
        def build() -> bytes:
            return render_page("search", search(q, mode, kind), f"Search: {q}" if q else "Search").body

        if mode == "semantic":  # may start embedding, and its note changes as vectors arrive
            return HTMLResponse(build())
        return HTMLResponse(gate.cached(pages, ("search", q, mode, kind), build))

    @app.get("/ingest", response_class=HTMLResponse, include_in_schema=False)
    def ingest_page() -> HTMLResponse:
        recent = [j.as_dict() for j in reversed(list(jobs.jobs.values()))][:10]
        return render_page("ingest", {"job": None, "recent": recent, "limit_mib": max_upload_bytes // (1024 * 1024)}, "Add articles")

    @app.post("/ingest", include_in_schema=False)
    async def ingest_form(request: Request) -> RedirectResponse:
        job = await _accept_upload(request)
        return RedirectResponse(f"/ingest/{job.id}", status_code=303)

    @app.get("/ingest/{job_id}", response_class=HTMLResponse, include_in_schema=False)
    def job_page(job_id: str) -> HTMLResponse:
        job = jobs.jobs.get(job_id)
        if job is None:
            raise HTTPException(404, "no such job")
        return render_page("ingest", {"job": job.as_dict(), "recent": [], "limit_mib": max_upload_bytes // (1024 * 1024)},
                    "Add articles", refresh=not job.finished)

    return app
