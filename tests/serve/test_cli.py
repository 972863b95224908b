"""`icp serve` as a user runs it: the URL first, the page and API behind it, a clean stop,
and errors that name the problem instead of a traceback."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from .conftest import ROOT, icp_serve


def get(url: str, path: str, body: bytes | None = None, token: str = "") -> bytes:
    base = url.split("/?", 1)[0]
    request = urllib.request.Request(
        base + path, data=body, headers={"Content-Type": "application/json", "X-ICP-Token": token}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return bytes(response.read())


def test_the_first_line_is_the_url_and_ctrl_c_stops(project: Path) -> None:
    process, url = icp_serve(
        str(project / "security.icp"), str(project / "accounts.csv"), "--as-of", "2025-06-15"
    )
    try:
        assert url.startswith("http://127.0.0.1:") and "/?token=" in url
        token = url.split("token=", 1)[1]
        assert b"<title>icp serve</title>" in get(url, "/")
        state = json.loads(get(url, "/api/state", b"{}", token))
        assert state["data"]["rows"] == 66 and state["as_of"] == "2025-06-15"
    finally:
        process.send_signal(signal.SIGINT)
        _out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert "Traceback" not in err
    assert "66 accounts" in err.splitlines()[0] and err.rstrip().endswith("icp serve: stopped")


def test_sigterm_stops_it_too(project: Path) -> None:
    process, _ = icp_serve(str(project / "security.icp"))
    process.terminate()
    _, err = process.communicate(timeout=30)
    assert process.returncode == 0 and "Traceback" not in err


def test_crunchbase_style_input_options(tmp_path: Path) -> None:
    data = tmp_path / "mac.csv"
    data.write_bytes(b"name;employees;industry\rCaf\xe9 Cloud;500;SaaS\rTiny;5;SaaS\r")
    profile = tmp_path / "p.icp"
    profile.write_text("industry in [SaaS]\nemployees 100..1000\n", encoding="utf-8")
    process, url = icp_serve(
        str(profile),
        str(data),
        "--encoding",
        "latin-1",
        "--delimiter",
        ";",
        "--id",
        "name",
        "--head",
        "1",
    )
    try:
        token = url.split("token=", 1)[1]
        answer = json.loads(
            get(
                url,
                "/api/edit",
                json.dumps({"text": profile.read_text(), "view": {}}).encode(),
                token,
            )
        )
        assert [(r["id"], r["verdicts"]) for r in answer["scores"]["rows"]] == [
            ("Café Cloud", ["fit"])
        ]
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=30)


def run_icp(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "icpdsl", "serve", *args, "--no-browser", "--port", "0"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["examples/accounts.csv"], "examples/accounts.csv is not an .icp file"),
        (["nothing.icp"], "no such file: nothing.icp"),
        (["examples/security.icp", "nothing.csv"], "no such file: nothing.csv"),
        (["examples/segments.icp", "--profile", "Saas"], "no profile named 'Saas'"),
        (["examples/security.icp", "examples/accounts.csv", "--id", "nope"], "--id 'nope'"),
    ],
)
def test_input_errors_exit_2_with_a_message(args: list[str], message: str) -> None:
    done = run_icp(*args)
    assert done.returncode == 2, done.stderr
    assert message in done.stderr and "Traceback" not in done.stderr
    assert done.stdout == ""


def test_a_port_in_use_is_named(project: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "icpdsl", "serve", "--no-browser", "--port", str(port)],
            capture_output=True,
            text=True,
            cwd=project,
            timeout=60,
            check=False,
        )
    assert done.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}" in done.stderr and "--port" in done.stderr


def test_help_lists_the_options() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "icpdsl", "serve", "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    for option in (
        "--port",
        "--host",
        "--no-browser",
        "--encoding",
        "--delimiter",
        "--id",
        "--input-format",
        "--as-of",
        "--profile",
        "--head",
    ):
        assert option in done.stdout
    assert done.stdout.count("\ninput:") == 1


def test_a_profile_that_is_not_utf8_is_named(tmp_path: Path) -> None:
    profile = tmp_path / "latin.icp"
    profile.write_bytes(b"industry in [Caf\xe9]\n")
    done = run_icp(str(profile))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "latin.icp is not UTF-8 text (byte 16): save it as UTF-8" in done.stderr


def test_a_profile_with_errors_still_opens_to_be_fixed(tmp_path: Path) -> None:
    profile = tmp_path / "broken.icp"
    profile.write_text("profile {\n", encoding="utf-8")
    process, url = icp_serve(str(profile))
    try:
        token = url.split("token=", 1)[1]
        answer = json.loads(get(url, "/api/edit", b'{"text": "profile {\\n"}', token))
        assert answer["loaded"] is False and answer["diagnostics"][0]["code"] == "ICP000"
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=30)
