"""Terminal detection: pipes, terminals, and when to colour (`--color`, NO_COLOR, TERM)."""

from __future__ import annotations

import io
import os
import pty
from pathlib import Path

import pytest

from icpdsl.cli.terminal import colour_enabled, stream_is_pipe, stream_is_terminal


def test_pipes_files_and_terminals_are_told_apart(tmp_path: Path) -> None:
    read, write = os.pipe()
    with os.fdopen(write, "w") as pipe, (tmp_path / "f").open("w") as file:
        assert (stream_is_pipe(pipe), stream_is_terminal(pipe)) == (True, False)
        assert (stream_is_pipe(file), stream_is_terminal(file)) == (False, False)
    os.close(read)
    master, slave = pty.openpty()
    with os.fdopen(slave, "w") as terminal:
        assert (stream_is_pipe(terminal), stream_is_terminal(terminal)) == (False, True)
    os.close(master)
    assert (stream_is_pipe(io.StringIO()), stream_is_terminal(io.StringIO())) == (False, False)


def test_colour_only_on_a_terminal_and_never_with_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    master, slave = pty.openpty()
    with os.fdopen(slave, "w") as terminal:
        monkeypatch.delenv("NO_COLOR", raising=False)
        monkeypatch.setenv("TERM", "xterm")
        assert colour_enabled("auto", terminal) is True
        assert colour_enabled("auto", io.StringIO()) is False
        assert colour_enabled("never", terminal) is False
        assert colour_enabled("always", io.StringIO()) is True
        monkeypatch.setenv("NO_COLOR", "1")
        assert colour_enabled("auto", terminal) is False
        monkeypatch.setenv("NO_COLOR", "")  # set but empty: no effect (no-color.org)
        assert colour_enabled("auto", terminal) is True
        monkeypatch.setenv("TERM", "dumb")
        assert colour_enabled("auto", terminal) is False
    os.close(master)
