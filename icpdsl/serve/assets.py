"""The page's files, read from inside the package once: the only files the server sends."""

from __future__ import annotations

from importlib import resources

import attrs

#: URL path → (file under icpdsl/serve/static, media type).  Nothing else is served, so
#: no path from a request ever reaches the file system.
FILES = {
    "/": ("index.html", "text/html; charset=utf-8"),
    "/static/playground.js": ("playground.js", "text/javascript; charset=utf-8"),
    "/static/playground.css": ("playground.css", "text/css; charset=utf-8"),
    "/static/icp-mode.js": ("icp-mode.js", "text/javascript; charset=utf-8"),
    "/static/icon.svg": ("icon.svg", "image/svg+xml"),
    "/static/codemirror.js": ("vendor/codemirror/codemirror.js", "text/javascript; charset=utf-8"),
    "/static/codemirror.css": ("vendor/codemirror/codemirror.css", "text/css; charset=utf-8"),
    "/static/simple.js": ("vendor/codemirror/simple.js", "text/javascript; charset=utf-8"),
    "/static/lint.js": ("vendor/codemirror/lint.js", "text/javascript; charset=utf-8"),
    "/static/lint.css": ("vendor/codemirror/lint.css", "text/css; charset=utf-8"),
    "/static/matchbrackets.js": (
        "vendor/codemirror/matchbrackets.js",
        "text/javascript; charset=utf-8",
    ),
    "/static/comment.js": ("vendor/codemirror/comment.js", "text/javascript; charset=utf-8"),
}


@attrs.frozen
class Asset:
    body: bytes
    media_type: str


def load_assets() -> dict[str, Asset]:
    """Every file of FILES, by URL path."""
    static = resources.files("icpdsl.serve").joinpath("static")
    return {
        url: Asset(static.joinpath(*name.split("/")).read_bytes(), media_type)
        for url, (name, media_type) in FILES.items()
    }
