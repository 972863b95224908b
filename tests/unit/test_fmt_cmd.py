"""`icp fmt`: rewriting, --check, --diff, stdin, and files that do not parse."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from icpdsl.cli import main

UGLY = "employees>5\ncountry in[US ,DE]\n"
TIDY = "employees > 5\ncountry in [US, DE]\n"


def test_rewrites_files_in_place(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a.icp").write_text(UGLY)
    (tmp_path / "b.icp").write_text(TIDY)
    assert main(["fmt", str(tmp_path)]) == 0
    assert (tmp_path / "a.icp").read_text() == TIDY
    assert (tmp_path / "b.icp").read_text() == TIDY
    err = capsys.readouterr().err
    assert err == f"reformatted {tmp_path}/a.icp\n1 file reformatted, 1 left unchanged\n"


def test_check_changes_nothing_and_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a.icp").write_text(UGLY)
    assert main(["fmt", "--check", str(tmp_path / "a.icp")]) == 1
    assert (tmp_path / "a.icp").read_text() == UGLY
    out, err = capsys.readouterr()
    assert out == f"would reformat {tmp_path}/a.icp\n"
    assert err == "1 file would be reformatted, 0 left unchanged\n"
    (tmp_path / "a.icp").write_text(TIDY)
    assert main(["fmt", "--check", str(tmp_path / "a.icp")]) == 0


def test_diff_shows_the_change(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a.icp").write_text(UGLY)
    assert main(["fmt", "--diff", str(tmp_path / "a.icp")]) == 1
    out = capsys.readouterr().out
    assert out.endswith(
        "@@ -1,2 +1,2 @@\n-employees>5\n-country in[US ,DE]\n+employees > 5\n+country in [US, DE]\n"
    )
    assert (tmp_path / "a.icp").read_text() == UGLY


def test_stdin_to_stdout(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(UGLY))
    assert main(["fmt", "-"]) == 0
    assert capsys.readouterr().out == TIDY


def test_a_file_that_does_not_parse_is_left_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "bad.icp").write_text("employees 200...1000\n")
    (tmp_path / "a.icp").write_text(UGLY)
    assert main(["fmt", str(tmp_path)]) == 2
    assert (tmp_path / "bad.icp").read_text() == "employees 200...1000\n"
    assert (tmp_path / "a.icp").read_text() == TIDY
    err = capsys.readouterr().err
    assert "bad.icp:1:" in err
    assert err.endswith("1 file reformatted, 0 left unchanged, 1 could not be formatted\n")


def test_the_bundled_examples_are_formatted(capsys: pytest.CaptureFixture[str]) -> None:
    """`icp fmt --check examples/` passes, so the examples show the canonical layout."""
    examples = Path(__file__).resolve().parents[2] / "examples"
    assert main(["fmt", "--check", str(examples)]) == 0, capsys.readouterr().out
