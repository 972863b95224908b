"""Lark's grammar analysis kept between processes (`icpdsl.lark_cache`): only where it is
safe, written whole, and never trusted over the grammar (a damaged file is rebuilt)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from icpdsl.lark_cache import CACHE_VARIABLE, cache_file

PARSE = "import icpdsl; print(icpdsl.parse('industry in [SaaS]\\nemployees 200..1000'))"


def _parse_in_a_process(cache: Path | str) -> str:
    environment = {**os.environ, CACHE_VARIABLE: str(cache)}
    done = subprocess.run(
        [sys.executable, "-c", PARSE], env=environment, capture_output=True, text=True, check=True
    )
    assert done.stderr == ""
    return done.stdout


def test_the_second_process_reads_the_analysis_the_first_kept(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = _parse_in_a_process(cache)
    kept = list(cache.iterdir())
    assert len(kept) == 1 and kept[0].name.startswith("grammar-")
    assert oct(cache.stat().st_mode & 0o777) == oct(0o700)
    assert _parse_in_a_process(cache) == first
    assert list(cache.iterdir()) == kept


def test_a_damaged_cache_file_is_built_again_not_believed(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = _parse_in_a_process(cache)
    (kept,) = cache.iterdir()
    kept.write_bytes(kept.read_bytes()[:200])
    assert _parse_in_a_process(cache) == first
    assert kept.stat().st_size > 200  # written whole again


def test_processes_starting_together_each_write_whole_or_read_whole(tmp_path: Path) -> None:
    """A new file is written under a temporary name and renamed when whole: processes
    that start at once never read half of another's, and leave one file behind."""
    cache = tmp_path / "cache"
    environment = {**os.environ, CACHE_VARIABLE: str(cache)}
    command, pipe = [sys.executable, "-c", PARSE], subprocess.PIPE
    started = [
        subprocess.Popen(command, env=environment, stdout=pipe, stderr=pipe, text=True)
        for _ in range(4)
    ]
    outputs = {process.communicate() for process in started}
    assert len(outputs) == 1 and next(iter(outputs))[1] == ""
    assert [path.name.startswith("grammar-") for path in cache.iterdir()] == [True]


def test_set_to_nothing_keeps_no_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CACHE_VARIABLE, "")
    assert cache_file("start: NAME", {}, "1.2") is None


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_a_folder_others_can_write_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    monkeypatch.setenv(CACHE_VARIABLE, str(shared))
    assert cache_file("start: NAME", {}, "1.2") is None


def test_a_folder_that_cannot_be_made_means_no_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    monkeypatch.setenv(CACHE_VARIABLE, str(blocked / "cache"))
    assert cache_file("start: NAME", {}, "1.2") is None


def test_the_file_name_follows_the_grammar_options_and_versions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CACHE_VARIABLE, str(tmp_path))
    base = cache_file("start: NAME", {"start": "start"}, "1.2")
    assert base is not None and Path(base).parent == tmp_path
    assert cache_file("start: NAME", {"start": "start", "transformer": object()}, "1.2") != base
    assert cache_file("start: NAME", {"start": "start"}, "1.2") == base
    assert cache_file("start: WORD", {"start": "start"}, "1.2") != base
    assert cache_file("start: NAME", {"start": "other"}, "1.2") != base
    assert cache_file("start: NAME", {"start": "start"}, "1.3") != base
    # an object option is named by its class, not its address: one file for every process
    one = cache_file("start: NAME", {"transformer": object()}, "1.2")
    assert cache_file("start: NAME", {"transformer": object()}, "1.2") == one


def test_without_a_home_no_folder_is_made_where_the_command_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With no home to expand `~` into (no HOME, no password entry), `~/.cache` stays
    relative: no cache, rather than a `~` folder in the working directory."""
    monkeypatch.delenv(CACHE_VARIABLE, raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("os.path.expanduser", lambda path: path)
    assert cache_file("start: NAME", {}, "1.2") is None
    monkeypatch.setenv(CACHE_VARIABLE, "~/icpdsl-cache")
    assert cache_file("start: NAME", {}, "1.2") is None
    assert list(tmp_path.iterdir()) == []


def test_a_relative_xdg_cache_home_is_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(CACHE_VARIABLE, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    found = cache_file("start: NAME", {}, "1.2")
    assert found is not None and found.startswith(str(tmp_path / "home" / ".cache" / "icpdsl"))
    assert not (tmp_path / "relative").exists()
