"""The web UI and the API's documentation: static files built from `web/`, served by Dangan.

Invariants: every page is served with a Content-Security-Policy that allows no inline script
and no style but the nonce of that very response, and nothing is loaded from another origin,
so the UI works on an intranet with no internet; the built files are public (no data in them).
"""

from __future__ import annotations

import secrets
import shutil
import subprocess  # runs npm, found on PATH, with fixed arguments  # nosec B404
from collections.abc import Callable
from pathlib import Path
from typing import cast

from fastapi import FastAPI, Request, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException
from starlette.middleware.gzip import GZipMiddleware

SOURCE = Path(__file__).parent / "web"
BUILT = SOURCE / "dist"
_NONCE_MARK = "__CSP_NONCE__"
_NODE_HELP = (
    "Dangan's web UI is built once with Node.js (20.19 or newer) and npm, which were not "
    "found. Install them (Debian: apt-get install nodejs npm) and start again."
)


def policy(nonce: str | None = None) -> str:
    """The Content-Security-Policy of a page; styles only by this response's nonce."""
    styles = f"'self' 'nonce-{nonce}'" if nonce else "'self'"
    return "; ".join(
        (
            "default-src 'self'",
            "script-src 'self'",
            f"style-src {styles}",
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        )
    )


class UnbuiltUi(RuntimeError):
    """The web UI's sources are there but cannot be built here."""


def _stale() -> bool:
    built = BUILT / "index.html"
    if not built.exists():
        return True
    sources = [p for pattern in ("*.json", "*.html", "*.ts") for p in SOURCE.glob(pattern)]
    sources += [p for p in (SOURCE / "src").rglob("*") if p.is_file()]
    newest = max(p.stat().st_mtime for p in sources)
    return newest > built.stat().st_mtime


def ensure_built(echo: Callable[[str], object] = print) -> None:
    """Build the web UI if its sources are newer than the build (needs Node.js and npm)."""
    if not (SOURCE / "package.json").exists() or not _stale():
        return
    npm = shutil.which("npm")
    if npm is None:
        raise UnbuiltUi(_NODE_HELP)
    echo("Building the web UI (npm ci, npm run build): the first start takes a minute.")
    for step in (["ci", "--no-audit", "--no-fund"], ["run", "build"]):
        subprocess.run([npm, *step], cwd=SOURCE, check=True)  # noqa: S603 - fixed args  # nosec B603


def _page(name: str) -> Response:
    page = BUILT / name
    if not page.exists():
        return Response("The web UI is not built: start Dangan with `dangan serve`.", 503)
    nonce = secrets.token_urlsafe(18)
    html = page.read_text(encoding="utf-8").replace(_NONCE_MARK, nonce)
    headers = {"Content-Security-Policy": policy(nonce), "Cache-Control": "no-cache"}
    return Response(html, media_type="text/html; charset=utf-8", headers=headers)


def install(app: FastAPI) -> None:
    """Serve the API documentation at /docs, and the app at / and wherever else it routes."""
    app.add_api_route("/docs", lambda: _page("docs.html"), include_in_schema=False)
    if (BUILT / "assets").is_dir():  # named by content hash: cached by browsers for good
        # Compressed here only: API answers carry secrets (CSRF tokens) beside what a caller
        # sends, which compression would let an attacker guess at (BREACH).
        assets = GZipMiddleware(StaticFiles(directory=BUILT / "assets"), minimum_size=1024)
        app.mount("/assets", assets, name="assets")
    api_not_found = app.exception_handlers[HTTPException]

    def page_or_not_found(request: Request, exc: Exception) -> Response:
        # The app routes its own paths (/customers/…), so a page asked for anywhere outside the
        # API loads it; the API keeps its JSON 404.
        if request.method == "GET" and not request.url.path.startswith("/api/"):
            return _page("index.html")
        return cast("Response", api_not_found(request, exc))  # errors.py's handler is sync

    app.add_exception_handler(404, page_or_not_found)
