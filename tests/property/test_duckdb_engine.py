"""The DuckDB engine against the default engine: the same ScoredRows for random profiles
and random CSV cells (the law `icp eval --engine duckdb`'s byte-identical output rests
on), and the guard that widens a rule's cells when a reading needs more of them."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import icpdsl
from icpdsl.batch import EngineOptions, python_engine
from icpdsl.batch.ids import IdColumn, id_candidates
from icpdsl.batch.view import Layout
from icpdsl.io import open_records
from tests.property.strategies_csv import CELLS, HEADER, csv_bytes
from tests.property.test_equivalence import profiles

pytest.importorskip("duckdb")

from icpdsl.batch.duckdb_engine import _Keys, _Tracing, _Widen, duckdb_engine

AS_OF = datetime.date(2025, 6, 15)


def _scored(engine: Any, document: icpdsl.Document, data: bytes, typed: bool) -> list[Any]:
    candidates = id_candidates(None, document.schema)
    reader = open_records("-", stdin=io.BytesIO(data), format="csv", text_columns=candidates,
                          typed=typed)  # fmt: skip
    ids = IdColumn(candidates, reader.columns, explicit=False)
    names = tuple(document.profiles)
    options = EngineOptions(profiles=names, as_of=AS_OF, id_of=ids, text_columns=tuple(candidates))
    layout = Layout(names, ids.name, explain=False)
    return [
        (layout.document(row), [(s.failed, s.reasons) for s in row.scores])
        for row in engine(document, reader, options)
    ]


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    profile=profiles(python_only=True),
    rows=st.lists(st.lists(CELLS, min_size=len(HEADER) - 1, max_size=len(HEADER) - 1),
                  max_size=12),
)  # fmt: skip
def test_the_duckdb_engine_gives_the_default_engine_s_rows(profile: str, rows: list[list[str]]
                                                           ) -> None:  # fmt: skip
    document = icpdsl.loads(profile + "+0 if employees is known\n")
    data = csv_bytes(rows)
    assert _scored(duckdb_engine, document, data, typed=False) == _scored(
        python_engine, document, data, typed=True
    )


def test_a_reading_outside_the_key_widens_it() -> None:
    keys = _Keys(["Employees", "employees ", "name"])
    assert keys.columns({"employees"}) == [0, 1]
    record = _Tracing({"name": "Acme"}, keys.guard([2]))
    assert record["name"] == "Acme"
    with pytest.raises(_Widen) as widened:
        record["EMPLOYEES"]
    assert widened.value.columns == {0, 1}
    with pytest.raises(KeyError):
        record["nowhere"]  # no such column: missing, as in the real record
