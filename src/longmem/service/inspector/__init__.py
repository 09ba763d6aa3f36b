"""The web inspector at /inspect: a static page (HTML, CSS, one script) over /api/v1.

No build step and nothing fetched from elsewhere: the files in `static/` are served as they
are. The page renders what users said, so besides building every node with `textContent`,
its responses carry a Content-Security-Policy that lets no inline or foreign script run.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

STATIC = Path(__file__).parent / "static"

# A second line behind the script's own escaping: were a stored `<script>` ever parsed as
# markup, it would not run (no 'unsafe-inline'), and the page can only talk to this origin.
# Styles set through the CSSOM (the score bars' widths) are not inline markup: allowed.
POLICY = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    )
)
HEADERS = {
    "Content-Security-Policy": POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    # The page is a few kilobytes; a stale script against a newer API costs more.
    "Cache-Control": "no-cache",
}


class InspectorFiles(StaticFiles):
    """The inspector's files, each response with the headers above."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        response.headers.update(HEADERS)
        return response


def mount(app: FastAPI) -> None:
    """Serve the page at /inspect/ (/inspect redirects there, so its relative links resolve)."""
    app.mount("/inspect", InspectorFiles(directory=STATIC, html=True), name="inspector")
