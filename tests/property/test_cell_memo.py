"""The cell memo (`icpdsl.batch.cell_memo`) against scoring typed records: the same
ScoredRows and the same summary for random profiles and random CSV cells, one profile
or two, with memos large enough to hold every cell and so small they start afresh on
almost every row; and the rules and fields it declines to judge by cells."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import icpdsl
from icpdsl.batch import EngineOptions, ScoredRow, cell_memo, python_engine
from icpdsl.batch.ids import IdColumn, id_candidates
from icpdsl.batch.summary import Summary
from icpdsl.io import open_records
from icpdsl.io.cells import CellTyping
from tests.property.strategies_csv import CELLS, HEADER, csv_bytes
from tests.property.test_equivalence import profiles

AS_OF = datetime.date(2025, 6, 15)
#: Few rows, few distinct cells: rows share cells, as the accounts of an export do.
ROWS = st.lists(
    st.lists(CELLS, min_size=len(HEADER) - 1, max_size=len(HEADER) - 1), max_size=25
).map(lambda rows: rows + rows[: len(rows) // 2])


def _run(
    document: icpdsl.Document, data: bytes, *, memo: bool, explain: bool = False
) -> tuple[list[ScoredRow], Any]:
    """Every ScoredRow (tallies left out) and the summary of them; `memo`: the engine
    gets the reader itself (cells), else the reader's Rows (typed records); `explain`:
    with every rule's outcome (`ProfileScore.result`, compared by its outcomes)."""
    candidates = id_candidates(None, document.schema)
    reader = open_records("-", stdin=io.BytesIO(data), format="csv", text_columns=candidates)
    ids = IdColumn(candidates, reader.columns, explicit=False)
    names = tuple(document.profiles)
    options = EngineOptions(profiles=names, as_of=AS_OF, id_of=ids, explain=explain,
                            text_columns=tuple(candidates))  # fmt: skip
    rows = python_engine(document, reader if memo else list(reader), options)
    summary = Summary(names)
    scored = []
    for row in rows:
        summary.add(row)
        scored.append(row._replace(tally=None))
    return scored, (summary.to_dict(), summary.render(1.0))


def _same(document: icpdsl.Document, data: bytes, *, explain: bool = False) -> None:
    by_cells = _run(document, data, memo=True, explain=explain)
    assert by_cells == _run(document, data, memo=False, explain=explain)
    if explain:  # the explanations read alike too
        texts = [[s.result.explain() for s in row.scores if s.result] for row in by_cells[0]]
        expected = _run(document, data, memo=False, explain=True)[0]
        assert texts == [[s.result.explain() for s in row.scores if s.result] for row in expected]


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(profile=profiles(python_only=True), rows=ROWS)
def test_scoring_by_cells_gives_what_scoring_records_gives(
    profile: str, rows: list[list[str]]
) -> None:
    _same(icpdsl.loads(profile + "+0 if employees is known\n"), csv_bytes(rows))


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(profile=profiles(python_only=True), rows=ROWS)
def test_explained_rows_by_cells_give_what_records_give(
    profile: str, rows: list[list[str]]
) -> None:
    """`icp eval --explain`: every rule's outcome, shared by rows with the same cells."""
    _same(icpdsl.loads(profile + "+0 if employees is known\n"), csv_bytes(rows), explain=True)


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(first=profiles(python_only=True), second=profiles(python_only=True), rows=ROWS)
def test_two_profiles_by_cells_give_what_records_give(
    first: str, second: str, rows: list[list[str]]
) -> None:
    text = "".join(
        f'profile "{name}" {{\n' + "".join(f"  {line}\n" for line in body.splitlines()) + "}\n"
        for name, body in (("First", first), ("Second", second))
    )
    _same(icpdsl.loads(text), csv_bytes(rows), explain=len(rows) % 2 == 1)


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(profile=profiles(python_only=True), rows=ROWS)
def test_memos_that_start_afresh_give_the_same_rows(
    profile: str, rows: list[list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cell_memo, "_KEPT", 1)
    _same(icpdsl.loads(profile), csv_bytes(rows))


def test_mapped_and_founding_date_columns_are_read_by_cells() -> None:
    document = icpdsl.loads(
        'fields {\n  headcount: int from "Number of Employees"\n  founded: date\n}\n'
        "headcount 200..1000\nage >= 5 years\n+10 if headcount >= 500\n"
    )
    header = ["id", "Number of Employees", "founded", "headcount"]
    rows = [["250", "2015-03-01", ""], ["1,200", "2024-01-01", "9"], ["250", "", "7"],
            ["x", "2015-03-01", ""], ["250", "not a date", ""]]  # fmt: skip
    data = csv_bytes(rows * 3, header)
    assert _run(document, data, memo=True) == _run(document, data, memo=False)
    scored, _ = _run(document, data, memo=True)
    assert scored[0].closest is not None and scored[0].closest.verdict == "fit"


def _groups(text: str, header: list[str]) -> list[tuple[int, tuple[int, ...]]] | None:
    document = icpdsl.loads(text)
    profile = next(iter(document.profiles.values()))
    return cell_memo.rule_columns(profile, document.schema, header)


def test_a_rule_s_cells_are_every_column_its_fields_match_loosely() -> None:
    header = ["id", "employees", "Employees ", "country", "founded"]
    fields = "fields {\n  founded: date\n  employees: int\n  country: string\n}\n"
    text = fields + "employees > 5 or country in [US]\nage >= 2 years\n"
    found = _groups(text + "tier A if score >= 0\n", header)
    assert found == [(0, (1, 2, 3)), (1, (4,))]  # the tier reads only the score


def test_a_tier_on_a_field_or_a_nested_field_is_not_judged_by_cells() -> None:
    assert _groups("employees > 5\ntier A if country in [US]\n", ["employees", "country"]) is None
    assert _groups("hq.country in [US]\n", ["hq.country"]) is None


def test_a_typing_sent_to_a_worker_leaves_what_it_remembered_behind() -> None:
    import pickle

    typing = CellTyping(["id", "employees"], [False, True])
    assert typing.record(["7", "1,200"]) == {"id": "7", "employees": 1200}
    typing.kept["x"] = object()
    sent = pickle.loads(pickle.dumps(typing))
    assert sent.columns == typing.columns and sent.kept == {}
    assert sent.record(["7", "1,200"]) == {"id": "7", "employees": 1200}
    assert sent.is_typed(1) and not sent.is_typed(0)


def test_distinct_long_cells_are_judged_and_not_kept() -> None:
    """A column of distinct 100 kB cells, scored as a stream: the rows are what scoring
    records gives, and memory stays flat: the typing cache, the compiled details and the
    memo keep no long cell (before, each kept every cell it met, and its reason)."""
    import tracemalloc

    document = icpdsl.loads("industry in [SaaS]\nemployees 200..1000\n")
    rows = [[f"{'x' * 100_000}{n}", "300"] for n in range(200)]
    data = csv_bytes(rows, ["id", "industry", "employees"])
    reader = open_records("-", stdin=io.BytesIO(data), format="csv", text_columns=["id"])
    ids = IdColumn(["id"], reader.columns, explicit=False)
    options = EngineOptions(profiles=tuple(document.profiles), as_of=AS_OF, id_of=ids)
    tracemalloc.start()
    try:
        count = sum(1 for _ in python_engine(document, reader, options))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert count == len(rows)
    assert peak < len(data) / 4  # a few rows in flight, not every cell and its reason
    assert _run(document, data, memo=True) == _run(document, data, memo=False)
