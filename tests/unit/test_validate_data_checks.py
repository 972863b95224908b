"""Warnings about a history that would make a validation mislead: a value column without
numbers, percentage points in a percent field."""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from pathlib import Path

import pytest

import icpdsl
from icpdsl.cli import main
from icpdsl.validate import read_history, validate
from icpdsl.validate.report import render_text, to_dict

PERCENT_FIELD = "fields {\n  growth: percent\n}\ngrowth >= 20%"


def _history(folder: Path, rows: Sequence[dict[str, str]]) -> Path:
    path = folder / "deals.csv"
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.DictWriter(file, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def _rows(growth: Sequence[str], acv: Sequence[str] | None = None) -> list[dict[str, str]]:
    values = acv or ["100"] * len(growth)
    return [
        {"id": str(n), "growth": g, "won": "won" if n % 2 else "lost", "acv": v}
        for n, (g, v) in enumerate(zip(growth, values, strict=True))
    ]


def _warnings(tmp_path: Path, text: str, rows: list[dict[str, str]]) -> tuple[str, ...]:
    history = read_history(_history(tmp_path, rows), "won", value="acv")
    return validate(icpdsl.loads(text), history).warnings


def test_a_value_column_without_numbers_warns_and_has_no_classes(tmp_path: Path) -> None:
    rows = _rows(["0.1", "0.3", "0.2"], ["n/a", "TBD", ""])
    history = read_history(_history(tmp_path, rows), "won", value="acv")
    report = validate(icpdsl.loads(PERCENT_FIELD), history)
    assert report.warnings == (
        "value column 'acv' holds no numbers (e.g. 'n/a', 'TBD'): value per account and "
        "value classes are left out",
    )
    assert report.classes is None
    text = render_text(report)
    assert "warning: value column 'acv' holds no numbers" in text
    assert "Class 1" not in text and "value/account" not in text
    assert to_dict(report)["warnings"] == list(report.warnings)


def test_a_blank_value_column_says_so(tmp_path: Path) -> None:
    (warning,) = _warnings(tmp_path, PERCENT_FIELD, _rows(["0.1", "0.2"], ["", " "]))
    assert warning.startswith("value column 'acv' holds no numbers (every cell is blank)")


def test_some_cells_of_the_value_column_are_not_numbers(tmp_path: Path) -> None:
    rows = _rows(["0.1", "0.2", "0.3"], ["$12k", "unknown", "4,000"])
    assert _warnings(tmp_path, PERCENT_FIELD, rows) == (
        "1 of 3 cells of value column 'acv' are not numbers (e.g. 'unknown'): those "
        "accounts count as having no value",
    )


def test_a_clean_value_column_and_fractions_give_no_warning(tmp_path: Path) -> None:
    rows = _rows(["0.12", "35%", "-0.05", "1.5"], ["$12k", "4,000", "", "1e3"])
    assert _warnings(tmp_path, PERCENT_FIELD, rows) == ()


def test_percentage_points_in_a_declared_percent_field(tmp_path: Path) -> None:
    (warning,) = _warnings(tmp_path, PERCENT_FIELD, _rows(["12.0", "35", "8", "0.5"]))
    assert warning == (
        "field 'growth' is a percent, but 3 of its 4 numbers are between 1 and 100 "
        "(e.g. 12, read as 1,200%): they look like percentage points; write the cells as "
        "12% or 0.12, or declare the field `number` and write its rules in points "
        "(20, not 20%)"
    )


def test_percentage_points_in_a_field_compared_with_a_percent(tmp_path: Path) -> None:
    (warning,) = _warnings(tmp_path, "+10 if growth >= 20%", _rows(["12.5", "35", "8"]))
    assert warning.startswith(
        "field 'growth' is compared with a percent (`+10 if growth >= 20%`), but 3 of its 3 "
        "numbers are between 1 and 100 (e.g. 12.5, read as 1,250%)"
    )
    assert "declare the field" not in warning


def test_a_mapped_percent_column_is_named(tmp_path: Path) -> None:
    rows = [{"id": "1", "Growth %": "12", "won": "won", "acv": "1"}]
    text = 'fields {\n  growth: percent from "Growth %"\n}\ngrowth >= 20%'
    (warning,) = _warnings(tmp_path, text, rows)
    assert warning.startswith("field 'growth' (column 'Growth %') is a percent, but 1 of its 1")


def test_the_cli_warns_on_stderr_when_the_report_goes_elsewhere(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "p.icp").write_text(PERCENT_FIELD)
    deals = _history(tmp_path, _rows(["12", "35"], ["n/a", "n/a"]))
    argv = ["validate", str(tmp_path / "p.icp"), str(deals), "--outcome", "won"]
    assert main([*argv, "--value", "acv", "--format", "json"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["warnings"] and "Traceback" not in captured.err
    assert captured.err.count("icp validate: warning: ") == 2
    assert main([*argv, "--value", "acv"]) == 0
    captured = capsys.readouterr()
    assert captured.out.count("\nwarning: ") == 2 and "warning" not in captured.err
