"""`icp serve` is safe to leave running: the token, Host and Origin checks, the files it
serves, the requests it refuses, and data that cannot turn into markup or script."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from icpdsl.serve.assets import FILES
from icpdsl.serve.server import PlaygroundServer, encode

from .conftest import ROOT

STATIC = ROOT / "icpdsl" / "serve" / "static"


@pytest.fixture
def client(serve: Any, project: Path) -> Any:
    return serve(project / "security.icp", project / "accounts.csv")


def post(client: Any, name: str, token: str | None, **headers: str) -> int:
    sent = {"Content-Type": "application/json", **headers}
    if token is not None:
        sent["X-ICP-Token"] = token
    status, _, _ = client.request("POST", f"/api/{name}", b"{}", sent)
    return int(status)


def test_every_api_call_needs_the_token(client: Any) -> None:
    token = client.server.token
    assert len(token) >= 32 and client.server.url.endswith(f"/?token={token}")
    for name in ("state", "edit", "explain", "save", "format", "what-if", "impact", "revert"):
        assert post(client, name, None) == 403, name
        assert post(client, name, token[:-1] + ("x" if token[-1] != "x" else "y")) == 403
        assert post(client, name, "") == 403
    assert post(client, "state", token) == 200
    status, _, body = client.request(
        "POST",
        "/api/state",
        b"{}",
        {"Content-Type": "application/json", "X-ICP-Token": "\u00e9\u00e9"},
    )
    assert status == 403 and b"token" in body


def test_the_page_itself_holds_no_data(client: Any, project: Path) -> None:
    status, headers, body = client.request("GET", "/")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert b"Acme Cloud" not in body and b"Mid-market" not in body
    assert client.server.token.encode() not in body


@pytest.mark.parametrize(
    "host",
    [
        "evil.example",
        "evil.example:{port}",
        "attacker.127.0.0.1.nip.io:{port}",
        "127.0.0.1:1",
        "localhost.evil.example:{port}",
        "[::2]:{port}",
        "0.0.0.0:{port}",
        "127.0.0.2:{port}",
    ],
)
def test_a_host_that_is_not_this_server_is_refused(client: Any, host: str) -> None:
    """DNS rebinding: a page on evil.example whose name now points at 127.0.0.1."""
    named = host.format(port=client.server.port)
    status, _, _ = client.request("GET", "/", headers={"Host": named})
    assert status == 403
    assert post(client, "state", client.server.token, Host=named) == 403


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "LOCALHOST:{port}"])
def test_this_servers_own_names_are_accepted(client: Any, host: str) -> None:
    named = host.format(port=client.server.port)
    assert post(client, "state", client.server.token, Host=named) == 200


def test_a_request_without_a_host_is_refused(client: Any) -> None:
    status, _, _ = client.request("GET", "/", headers={"Host": None})  # type: ignore[dict-item]
    assert status == 403


@pytest.mark.parametrize(
    "origin", ["http://evil.example", "null", "http://localhost:1", "https://127.0.0.1:{port}"]
)
def test_another_sites_page_is_refused(client: Any, origin: str) -> None:
    named = origin.format(port=client.server.port)
    assert post(client, "state", client.server.token, Origin=named) == 403
    status, _, _ = client.request("GET", "/", headers={"Origin": named})
    assert status == 403


def test_the_same_origin_and_fetch_metadata_are_accepted(client: Any) -> None:
    own = f"http://127.0.0.1:{client.server.port}"
    assert post(client, "state", client.server.token, Origin=own) == 200
    assert post(client, "state", client.server.token, **{"Sec-Fetch-Site": "same-origin"}) == 200
    assert post(client, "state", client.server.token, **{"Sec-Fetch-Site": "cross-site"}) == 403
    assert post(client, "state", client.server.token, **{"Sec-Fetch-Site": "same-site"}) == 403


def test_any_address_accepts_ip_literals_but_not_names(project: Path) -> None:
    server = PlaygroundServer.__new__(PlaygroundServer)
    server.port, server.any_address = 8765, True
    server.names = frozenset({"localhost", "127.0.0.1", "::1", "0.0.0.0"})
    assert PlaygroundServer.host_allowed(server, "192.168.1.20:8765")
    assert PlaygroundServer.host_allowed(server, "[fe80::1]:8765")
    assert not PlaygroundServer.host_allowed(server, "rebind.example:8765")
    assert not PlaygroundServer.host_allowed(server, "192.168.1.20:80")


def test_only_the_packaged_files_are_served(client: Any) -> None:
    for path in FILES:
        status, headers, _ = client.request("GET", path)
        assert status == 200, path
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert "script-src 'self'" in headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    for path in (
        "/static/../server.py",
        "/static/%2e%2e/server.py",
        "/../../etc/passwd",
        "/static/vendor/codemirror/LICENSE",
        "//etc/passwd",
        "/api/../static/x",
        "/static/playground.js/",
    ):
        status, _, body = client.request("GET", path)
        assert status == 404, path
        assert b"root:" not in body


def test_requests_that_are_not_json_calls_are_refused(client: Any) -> None:
    token = client.server.token
    status, _, _ = client.request(
        "POST", "/api/state", b"{}", {"X-ICP-Token": token, "Content-Type": "text/plain"}
    )
    assert status == 415  # a form another page could post without asking
    status, _, _ = client.request(
        "POST", "/api/state", b"[1]", {"X-ICP-Token": token, "Content-Type": "application/json"}
    )
    assert status == 400
    status, _, _ = client.request(
        "POST", "/api/state", b"{", {"X-ICP-Token": token, "Content-Type": "application/json"}
    )
    assert status == 400
    status, _, _ = client.request(
        "POST",
        "/api/state",
        b"",
        {"X-ICP-Token": token, "Content-Type": "application/json", "Content-Length": str(10**9)},
    )
    assert status == 413
    assert client.request("PUT", "/api/state", b"{}")[0] == 405
    assert client.call("nothing")[0] == 404
    assert client.call("explain", {"row": "1; rm -rf /"})[0] == 400
    assert client.call("explain", {"row": 10**6})[0] == 400
    assert client.call("edit", {"text": "x", "view": {"sort": "__class__"}})[0] == 400
    assert client.call("edit", {"text": 3})[0] == 400


def test_the_page_builds_no_markup_from_text() -> None:
    """Text from the profile and the data reaches the page through textContent, text nodes
    and attribute values only: the page's own scripts never parse a string as HTML."""
    for name in ("playground.js", "icp-mode.js"):
        script = (STATIC / name).read_text(encoding="utf-8")
        for sink in (
            "innerHTML",
            "outerHTML",
            "insertAdjacentHTML",
            "document.write",
            "eval(",
            "new Function",
            'setTimeout("',
            "messageHTML",
        ):
            assert sink not in script, (name, sink)
    html = (STATIC / "index.html").read_text(encoding="utf-8")
    assert not re.search(r"<script>(?!</script>)|\son\w+=|style=", html)
    assert "https://" not in html and "http://" not in html.replace("http://www.w3.org", "")


def test_hostile_cells_arrive_as_json_text(serve: Any, tmp_path: Path) -> None:
    data = tmp_path / "hostile.jsonl"
    cells = [
        "<script>alert(1)</script>",
        "\"quoted\" 'single' `tick`",
        "\u202egnp.exe",
        "\ud800lone",
        "</script><img src=x onerror=alert(1)>",
    ]
    data.write_text(
        "".join(json.dumps({"id": c, "industry": c, "employees": 500}) + "\n" for c in cells),
        encoding="utf-8",
    )
    profile = tmp_path / "p.icp"
    profile.write_text('profile "P" {\n  industry in [SaaS]\n  employees 1..1000\n}\n')
    client = serve(profile, data)
    status, headers, body = client.request(
        "POST",
        "/api/edit",
        json.dumps({"text": profile.read_text(), "view": {}}).encode(),
        {"Content-Type": "application/json", "X-ICP-Token": client.server.token},
    )
    assert status == 200 and headers["Content-Type"] == "application/json"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert body.isascii()
    rows = json.loads(body)["scores"]["rows"]
    assert [r["id"] for r in rows] == cells
    assert rows[0]["reason"] == "industry <script>alert(1)</script> is not in [SaaS]"
    assert rows[2]["reason"] == "industry \\u202egnp.exe is not in [SaaS]"  # made visible


def test_json_never_holds_nan_or_a_lone_surrogate_error() -> None:
    assert json.loads(
        encode({"a": float("nan"), "b": [float("inf")], "c": "\ud800", "d": 10**5000})
    )
    assert encode({"x": "\ud800"}) == b'{"x": "\\ud800"}'


def test_every_static_file_is_listed_and_every_listed_file_ships() -> None:
    """What the page loads is in the package (the wheel takes the whole folder)."""
    on_disk = {
        p.relative_to(STATIC).as_posix()
        for p in STATIC.rglob("*")
        if p.is_file() and p.name not in ("LICENSE", "README.md")
    }
    assert on_disk == {name for name, _ in FILES.values()}
    assert (STATIC / "vendor" / "codemirror" / "LICENSE").read_text().startswith("MIT License")
    html = (STATIC / "index.html").read_text(encoding="utf-8")
    for url in FILES:
        if url != "/" and url.endswith((".js", ".css", ".svg")):
            assert f'"{url}"' in html, url
