"""`icp check`: output formats, folders, exit codes, --strict, --ignore, --root."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from icpdsl.cli import main

ROOT = Path(__file__).resolve().parents[2]
CLEAN = "fields {\n  employees: int\n}\nemployees 200..1000\n"
WARNS = "employees 500..200\n"
BROKEN = "fields {\n  employees: int\n}\nemployess 200..1000\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "clean.icp").write_text(CLEAN)
    (tmp_path / "warns.icp").write_text(WARNS)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "broken.icp").write_text(BROKEN)
    (tmp_path / ".venv").mkdir()
    (tmp_path / ".venv" / "skipped.icp").write_text("not an icp file (((")
    return tmp_path


def test_bundled_examples_check_clean() -> None:
    done = subprocess.run(
        [str(Path(sys.executable).parent / "icp"), "check", "examples/", "--strict"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (done.returncode, done.stdout) == (0, ""), done.stdout + done.stderr
    assert "no problems" in done.stderr


def test_text_output_with_caret_and_hint(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(project / "sub" / "broken.icp")]) == 1
    out, err = capsys.readouterr()
    assert out == (
        f"{project}/sub/broken.icp:4:1: ICP010 unknown field 'employess'\n"
        "    employess 200..1000\n"
        "    ^^^^^^^^^\n"
        "    hint: did you mean 'employees'?\n"
    )
    assert err == "checked 1 file: 1 error\n"


def test_a_folder_is_searched_and_errors_and_warnings_are_reported(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", str(project), "--format", "concise"]) == 1
    out, err = capsys.readouterr()
    assert out.splitlines() == [
        f"{project}/sub/broken.icp:4:1: ICP010 unknown field 'employess'",
        f"{project}/warns.icp:1:1: ICP101 empty range: 500..200 holds no value",
    ]
    assert err == "checked 3 files: 1 error, 1 warning\n"


def test_warnings_alone_exit_0_unless_strict(project: Path) -> None:
    assert main(["check", str(project / "warns.icp")]) == 0
    assert main(["check", str(project / "warns.icp"), "--strict"]) == 1
    assert main(["check", str(project / "clean.icp"), "--strict"]) == 0


def test_ignore_drops_warning_codes(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(project / "warns.icp"), "--strict", "--ignore", "icp101"]) == 0
    assert capsys.readouterr().out == ""


def test_json_output(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(project), "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert (report["files"], report["errors"], report["warnings"]) == (3, 1, 1)
    first = report["diagnostics"][0]
    assert {k: first[k] for k in ("code", "line", "column", "severity", "hint")} == {
        "code": "ICP010",
        "line": 4,
        "column": 1,
        "severity": "error",
        "hint": "did you mean 'employees'?",
    }


def test_syntax_errors_are_findings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "bad.icp").write_text("employees 200...1000\n")
    assert main(["check", str(tmp_path / "bad.icp"), "--format", "concise"]) == 1
    assert "bad.icp:1:" in capsys.readouterr().out


def test_imports_resolve_within_the_folder_given(tmp_path: Path) -> None:
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "fields.icp").write_text("fields {\n  employees: int\n}\n")
    (tmp_path / "icps").mkdir()
    (tmp_path / "icps" / "main.icp").write_text('import "../shared/fields.icp"\nemployees > 5\n')
    assert main(["check", str(tmp_path / "icps" / "main.icp")]) == 1  # leaves its folder
    assert main(["check", str(tmp_path)]) == 0
    assert main(["check", str(tmp_path / "icps" / "main.icp"), "--root", str(tmp_path)]) == 0


def test_an_error_in_an_imported_file_is_reported_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "shared.icp").write_text("fields {\n  employees: integr\n}\n")
    (tmp_path / "a.icp").write_text('import "shared.icp"\nemployees > 5\n')
    (tmp_path / "b.icp").write_text('import "shared.icp"\nemployees > 9\n')
    monkeypatch.chdir(tmp_path)
    assert main(["check", ".", "--format", "concise"]) == 1
    out, err = capsys.readouterr()
    assert out == "shared.icp:2:14: ICP014 unknown type 'integr'\n"
    assert err == "checked 3 files: 1 error\n"


def test_stdin_with_a_name_for_editors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "fields.icp").write_text("fields {\n  employees: int\n}\n")
    monkeypatch.setattr("sys.stdin", io.StringIO('import "fields.icp"\nemployess > 5\n'))
    name = str(tmp_path / "draft.icp")
    assert main(["check", "-", "--stdin-filename", name, "--format", "concise"]) == 1
    assert capsys.readouterr().out == f"{name}:2:1: ICP010 unknown field 'employess'\n"


def test_missing_paths_and_empty_folders_are_usage_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", str(tmp_path / "nope.icp")]) == 2
    assert "no such file or folder" in capsys.readouterr().err
    assert main(["check", str(tmp_path)]) == 2
    assert "no .icp files" in capsys.readouterr().err
