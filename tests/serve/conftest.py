"""Playgrounds for the tests: in this process (API tests) or as `icp serve` (CLI, browser)."""

from __future__ import annotations

import datetime
import http.client
import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import icpdsl
from icpdsl.serve import Playground, PlaygroundServer, read_accounts

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
AS_OF = datetime.date(2025, 6, 15)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the example profile and accounts to edit and save."""
    for name in ("security.icp", "accounts.csv", "segments.icp"):
        shutil.copy(EXAMPLES / name, tmp_path / name)
    return tmp_path


class Client:
    """Speaks to a PlaygroundServer as the page does, with headers a test may change."""

    def __init__(self, server: PlaygroundServer) -> None:
        self.server = server
        self.host = f"127.0.0.1:{server.port}"

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, dict[str, str], bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=30)
        try:
            connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
            sent = {"Host": self.host, **(headers or {})}
            if body is not None:
                sent.setdefault("Content-Length", str(len(body)))
            for name, value in sent.items():
                if value is not None:
                    connection.putheader(name, value)
            connection.endheaders(body)
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            connection.close()

    def call(
        self, name: str, data: dict[str, Any] | None = None, **headers: str
    ) -> tuple[int, Any]:
        """POST /api/NAME with the token; (status, decoded JSON)."""
        sent = {"Content-Type": "application/json", "X-ICP-Token": self.server.token}
        sent.update({k.replace("_", "-"): v for k, v in headers.items()})
        status, _, body = self.request(
            "POST", f"/api/{name}", json.dumps(data or {}).encode(), sent
        )
        return status, json.loads(body)

    def ok(self, name: str, data: dict[str, Any] | None = None) -> Any:
        status, answer = self.call(name, data)
        assert status == 200, answer
        return answer


def start(profile: Path | None, data: Path | None, **options: Any) -> PlaygroundServer:
    schema = icpdsl.load(profile).schema if profile is not None else None
    accounts = None
    if data is not None:
        accounts = read_accounts(
            data,
            schema=schema or icpdsl.loads("").schema,
            encoding=options.pop("encoding", "utf-8"),
        )
    playground = Playground(profile, accounts, as_of=AS_OF, **options)
    server = PlaygroundServer(playground, "127.0.0.1", 0)
    threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    ).start()
    return server


@pytest.fixture
def serve() -> Iterator[Any]:
    """`serve(profile, data)` → a Client of a server running in this process."""
    servers: list[PlaygroundServer] = []

    def serve(profile: Path | None, data: Path | None = None, **options: Any) -> Client:
        server = start(profile, data, **options)
        servers.append(server)
        return Client(server)

    yield serve
    for server in servers:
        server.shutdown()
        server.server_close()


def icp_serve(*args: str, cwd: Path = ROOT) -> tuple[subprocess.Popen[str], str]:
    """`icp serve ARGS --no-browser --port 0` as a user runs it; the process and its URL."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "icpdsl", "serve", *args, "--no-browser", "--port", "0"],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    url = process.stdout.readline().strip()
    if not url:
        process.wait(timeout=30)
        assert process.stderr is not None
        pytest.fail(f"icp serve printed no URL:\n{process.stderr.read()}")
    return process, url
