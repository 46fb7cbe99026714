"""The analyst's workspace: `create_app(db_path)` (FastAPI) and `serve(db_path, host, port)`.

FastAPI and uvicorn are imported only when the app is built, so the static report (which shares
this package's view models and templates) does not need them.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from fastapi import FastAPI

__all__ = ["create_app", "serve"]


def create_app(db_path: str | Path, **options: Any) -> "FastAPI":
    from .app import create_app as _create

    return _create(db_path, **options)


def serve(db_path: str | Path, host: str = "127.0.0.1", port: int = 8000, **options: Any) -> None:
    """Run the web app with uvicorn; binds to 127.0.0.1 unless another host is given."""
    import uvicorn

    from .app import LOCAL_HOSTS

    hosts = ["*"] if host in ("0.0.0.0", "::", "") else sorted(set(LOCAL_HOSTS) | {host})
    app = create_app(db_path, allowed_hosts=hosts, **options)
    uvicorn.run(app, host=host, port=port, log_level="info", access_log=False, server_header=False)
