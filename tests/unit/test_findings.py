"""`icpdsl.check`: every error and warning about a file, returned and never raised."""

from __future__ import annotations

from pathlib import Path

import icpdsl


def test_check_returns_load_errors() -> None:
    found = icpdsl.check("fields { a: int }\nb > 5\nc 1..2")
    assert [(d.code, d.severity, d.line) for d in found] == [
        ("ICP010", "error", 2),
        ("ICP010", "error", 3),
    ]


def test_check_returns_warnings_when_the_file_loads() -> None:
    found = icpdsl.check("a 5..1")
    assert [(d.code, d.severity) for d in found] == [("ICP101", "warning")]


def test_check_returns_a_syntax_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.icp"
    path.write_text("a in [1, 2\n")
    (error,) = icpdsl.check(path)
    assert (error.filename, error.line, error.severity) == (str(path), 1, "error")


def test_check_with_a_python_schema() -> None:
    assert icpdsl.check("employees > 5", schema={"employees": "int"}) == []
    assert [d.code for d in icpdsl.check("employes > 5", schema={"employees": "int"})] == ["ICP010"]
