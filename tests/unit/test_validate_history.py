"""icpdsl.validate.history: outcomes and values read from a history file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from icpdsl.errors import ICPLoadError
from icpdsl.validate.history import read_accounts, read_history


def write(tmp_path: Path, text: str, name: str = "h.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_boolean_and_label_outcomes(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "id,won,acv\n1,true,$12k\n2,no,\n3,Closed Won,500\n4,lost,\n5,,\n6,maybe,\n",
    )
    history = read_history(path, "won", value="acv")
    assert [(a.id, a.good, a.value) for a in history.accounts] == [
        ("1", True, 12000.0),
        ("2", False, None),
        ("3", True, 500.0),
        ("4", False, None),
    ]
    assert history.no_outcome == 2
    assert history.unrecognised == ("maybe",)
    assert history.base_rate == 0.5


def test_good_labels_make_every_other_label_bad(tmp_path: Path) -> None:
    path = write(tmp_path, "id,status\n1,Renewed\n2,churned\n3,downgraded\n4,\n")
    history = read_history(path, "status", good=["renewed"])
    assert [a.good for a in history.accounts] == [True, False, False]
    assert history.no_outcome == 1


def test_a_churn_column_with_good_false(tmp_path: Path) -> None:
    path = write(tmp_path, "id,churned\n1,yes\n2,no\n3,no\n")
    history = read_history(path, "churned", good=["false"])
    assert [a.good for a in history.accounts] == [False, True, True]


def test_column_names_match_loosely(tmp_path: Path) -> None:
    path = write(tmp_path, "Account ID,Closed Won\nA,1\nB,0\n")
    history = read_history(path, "closed_won", id_column="Account ID")
    assert [(a.id, a.good) for a in history.accounts] == [("A", True), ("B", False)]


def test_a_missing_column_is_an_error_with_a_hint(tmp_path: Path) -> None:
    path = write(tmp_path, "id,won\n1,true\n")
    with pytest.raises(ICPLoadError, match="no column 'wn'") as raised:
        read_history(path, "wn")
    assert raised.value.hint is not None and "won" in raised.value.hint
    with pytest.raises(ICPLoadError, match="no column 'acv'"):
        read_history(path, "won", value="acv")


def test_json_lines_history(tmp_path: Path) -> None:
    lines = [{"name": "a", "won": True, "acv": 10}, {"name": "b", "won": False}, "oops"]
    path = write(tmp_path, "\n".join(json.dumps(x) for x in lines) + "\n", "h.jsonl")
    history = read_history(path, "won", value="acv")
    assert [(a.id, a.good, a.value) for a in history.accounts] == [
        ("a", True, 10.0),
        ("b", False, None),
    ]
    assert history.unreadable == 1


def test_read_accounts_names_rows_without_an_id(tmp_path: Path) -> None:
    path = write(tmp_path, "industry\nSaaS\nRetail\n")
    rows, unreadable = read_accounts(path)
    assert [(r.number, r.id) for r in rows] == [(1, "row 1"), (2, "row 2")]
    assert unreadable == 0


@pytest.mark.parametrize("good", ["yes", "Yes", "true", "TRUE"])
def test_good_labels_match_typed_cells(tmp_path: Path, good: str) -> None:
    path = write(tmp_path, "id,renewed\n1,yes\n2,no\n3,YES\n")
    history = read_history(path, "renewed", good=[good])
    assert [a.good for a in history.accounts] == [True, False, True]


def test_numeric_outcome_labels(tmp_path: Path) -> None:
    path = write(tmp_path, "id,stage\n1,5\n2,3\n3,5.0\n")
    history = read_history(path, "stage", good=["5"])
    assert [a.good for a in history.accounts] == [True, False, True]
