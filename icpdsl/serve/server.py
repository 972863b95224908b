"""The HTTP side of `icp serve`: a local server that checks Host, Origin and a token on
every request, serves the page's own files, and answers the page's JSON calls."""

from __future__ import annotations

import hmac
import ipaddress
import json
import math
import re
import secrets
import socket
import sys
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from ..errors import ICPError
from .assets import Asset, load_assets
from .playground import Playground, PlaygroundError, view_from

#: The header every API call carries the token in (a custom header also means a page on
#: another site cannot send it without the browser asking this server first).
TOKEN_HEADER = "X-ICP-Token"
MAX_BODY = 8 * 1024 * 1024
LOCAL_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
#: The port tried first when `--port` is not given, then the next few.
DEFAULT_PORT = 8765

SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Cache-Control": "no-store",
}

Call = Callable[[Playground, dict[str, Any]], dict[str, Any]]


def _edit(playground: Playground, data: dict[str, Any]) -> dict[str, Any]:
    return playground.edit(_text(data, "text"), view_from(_object(data, "view")))


def _scores(playground: Playground, data: dict[str, Any]) -> dict[str, Any]:
    return playground.scores(view_from(_object(data, "view")))


def _what_if(playground: Playground, data: dict[str, Any]) -> dict[str, Any]:
    column = _text(data, "column")
    if not column.strip() or len(column) > 200:
        raise PlaygroundError(400, "column: a name of 1 to 200 characters")
    return playground.what_if(_row(data), column, _text(data, "text"))


def _reset(playground: Playground, data: dict[str, Any]) -> dict[str, Any]:
    return playground.reset(None if data.get("row") is None else _row(data))


def _save(playground: Playground, data: dict[str, Any]) -> dict[str, Any]:
    force = data.get("force") is True
    return playground.save(_text(data, "text"), _text(data, "base"), force=force)


def _impact(playground: Playground, data: dict[str, Any]) -> dict[str, Any]:
    page = data.get("page", 1)
    if not isinstance(page, int) or isinstance(page, bool) or page < 1:
        raise PlaygroundError(400, "page: a whole number from 1")
    return playground.impact(page)


#: POST /api/NAME → what it does.
CALLS: dict[str, Call] = {
    "state": lambda playground, _: playground.state(),
    "edit": _edit,
    "scores": _scores,
    "explain": lambda playground, data: playground.explain(_row(data)),
    "what-if": _what_if,
    "reset": _reset,
    "impact": _impact,
    "format": lambda playground, data: playground.format(_text(data, "text")),
    "save": _save,
    "revert": lambda playground, _: playground.revert(),
}


def _text(data: dict[str, Any], key: str) -> str:
    value = data.get(key)
    if not isinstance(value, str):
        raise PlaygroundError(400, f"{key}: text expected")
    return value


def _object(data: dict[str, Any], key: str) -> dict[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise PlaygroundError(400, f"{key}: an object expected")
    return value


def _row(data: dict[str, Any]) -> int:
    value = data.get("row")
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise PlaygroundError(400, "row: a row number from 1")
    return value


class PlaygroundServer(ThreadingHTTPServer):
    """Serves one Playground; `url` (with the token) is what a person opens."""

    daemon_threads = True
    allow_reuse_address = False

    def __init__(self, playground: Playground, host: str, port: int) -> None:
        self.address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        super().__init__((host, port), _Handler)
        self.playground = playground
        self.token = secrets.token_urlsafe(24)
        self.host = host
        self.port: int = self.server_address[1]
        self.assets: dict[str, Asset] = load_assets()
        self.any_address = host in ("0.0.0.0", "::", "")
        self.names = LOCAL_NAMES | {host.lower().strip("[]")}

    @property
    def url(self) -> str:
        """The address to open, token included (a local one when bound to every address)."""
        host = "127.0.0.1" if self.any_address else self.host
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{self.port}/?token={self.token}"

    def host_allowed(self, header: str | None) -> bool:
        """Whether a Host header names this server: a local name or the bound host, and
        the port.  Any other name could be a DNS-rebinding site, so it is refused; with
        `--host 0.0.0.0`, IP addresses are accepted too."""
        match = _HOST.fullmatch(header or "")
        if match is None or int(match["port"] or 80) != self.port:
            return False
        name = match["name"].lower().strip("[]")
        return name in self.names or (self.any_address and _is_address(name))


_HOST = re.compile(r"(?P<name>\[[0-9a-fA-F:.]+\]|[^:\[\]]+)(?::(?P<port>\d{1,5}))?")


def _is_address(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


class _Handler(BaseHTTPRequestHandler):
    server: PlaygroundServer
    server_version = "icp-serve"
    sys_version = ""

    def do_GET(self) -> None:
        if not self._trusted_origin():
            return
        path = self.path.split("?", 1)[0]
        asset = self.server.assets.get(path)
        if asset is None:
            self._json(404, {"error": "not found"})
            return
        self._send(200, asset.body, asset.media_type)

    def do_POST(self) -> None:
        if not self._trusted_origin():
            return
        call = CALLS.get(self.path.removeprefix("/api/")) if self.path.startswith("/api/") else None
        if call is None:
            self._json(404, {"error": "not found"})
            return
        if not hmac.compare_digest(
            self.headers.get(TOKEN_HEADER, "").encode("utf-8", "replace"),
            self.server.token.encode("ascii"),
        ):
            self._refuse("missing or wrong token: open the URL `icp serve` printed")
            return
        data = self._body()
        if data is None:
            return
        try:
            with self.server.playground.lock:
                answer = call(self.server.playground, data)
        except PlaygroundError as error:
            self._json(error.status, {"error": error.message, **error.details})
        except ICPError as error:
            self._json(400, {"error": str(error)})
        except Exception as error:  # a bug: the page says so, the terminal gets one line
            print(f"icp serve: internal error in {self.path}: {error!r}", file=sys.stderr)
            self._json(500, {"error": f"internal error: {type(error).__name__}"})
        else:
            self._json(200, answer)

    def do_PUT(self) -> None:
        self._json(405, {"error": "method not allowed"})

    do_DELETE = do_PATCH = do_PUT

    def _trusted_origin(self) -> bool:
        """Refuse a request whose Host is not this server (DNS rebinding) or that another
        site's page sent (Origin, Sec-Fetch-Site)."""
        host = self.headers.get("Host")
        if not self.server.host_allowed(host):
            self._refuse(f"Host {host!r} is not this server")
            return False
        origin = self.headers.get("Origin")
        if origin is not None and origin.lower() != f"http://{host}".lower():
            self._refuse(f"Origin {origin!r} is not this server")
            return False
        if self.headers.get("Sec-Fetch-Site", "same-origin") not in ("same-origin", "none"):
            self._refuse("a request from another site")
            return False
        return True

    def _body(self) -> dict[str, Any] | None:
        kind = self.headers.get("Content-Type", "").split(";", 1)[0].strip().lower()
        if kind != "application/json":
            self._json(415, {"error": "send JSON (Content-Type: application/json)"})
            return None
        try:
            length = int(self.headers.get("Content-Length", ""))
        except ValueError:
            self._json(411, {"error": "Content-Length needed"})
            return None
        if not 0 <= length <= MAX_BODY:
            self._json(413, {"error": f"a request holds at most {MAX_BODY:,} bytes"})
            return None
        try:
            data = json.loads(self.rfile.read(length) or b"{}")
        except (ValueError, RecursionError):
            self._json(400, {"error": "the request is not JSON"})
            return None
        if not isinstance(data, dict):
            self._json(400, {"error": "the request must be a JSON object"})
            return None
        return data

    def _refuse(self, reason: str) -> None:
        print(f"icp serve: refused {self.command} {self.path[:80]!r}: {reason}", file=sys.stderr)
        self._json(403, {"error": f"refused: {reason}"})

    def _json(self, status: int, payload: dict[str, Any]) -> None:
        self._send(status, encode(payload), "application/json")

    def _send(self, status: int, body: bytes, media_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", media_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in SECURITY_HEADERS.items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: refusals and errors are reported as they happen, not every request."""


def encode(payload: Any) -> bytes:
    """JSON for the page: ASCII only (a lone surrogate from a data file is escaped, not an
    error), and no NaN or Infinity, which JSON does not have."""
    try:
        text = json.dumps(payload, ensure_ascii=True, allow_nan=False)
    except ValueError:
        text = json.dumps(_finite(payload), ensure_ascii=True, allow_nan=False, default=str)
    return text.encode("ascii")


def _finite(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 60:
        return str(value) if value.bit_length() < 10_000 else f"<{value.bit_length()}-bit int>"
    if isinstance(value, dict):
        return {str(k): _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    return value


def bind(playground: Playground, host: str, port: int | None) -> PlaygroundServer:
    """A server on `host`:`port`; without a port, DEFAULT_PORT or the next free one."""
    if port is not None:
        return _bind(playground, host, port)
    for candidate in range(DEFAULT_PORT, DEFAULT_PORT + 20):
        try:
            return PlaygroundServer(playground, host, candidate)
        except OSError:
            continue
    return _bind(playground, host, 0)


def _bind(playground: Playground, host: str, port: int) -> PlaygroundServer:
    try:
        return PlaygroundServer(playground, host, port)
    except OSError as error:
        raise ICPError(
            f"cannot listen on {host}:{port}: {error.strerror or error}",
            hint="pick another port with --port N (--port 0: any free port)",
        ) from None
