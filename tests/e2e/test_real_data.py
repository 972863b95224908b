"""Every engine gives the same verdict, score and tier on real company data, row by row.

The three datasets in `../shared/data/companies` (Crunchbase 2013 companies, the S&P 500
financials, the UK gender-pay-gap register) are read as `icp eval` reads them, scored
with a realistic profile each by the reference evaluator and the compiled code (whose
explanations must also equal the reference's), and loaded as typed columns into Polars,
DuckDB and SQLite to be scored by the generated expressions and SQL.  The files are read
by path and never copied into the repository; without them the test is skipped, saying
so.
"""

from __future__ import annotations

import datetime
import math
import sqlite3
from pathlib import Path
from typing import Any

import pytest

import icpdsl
from icpdsl.evaluator import evaluate_profile
from icpdsl.io import read_records
from icpdsl.records import lookup
from icpdsl.semantics.missing import MISSING, Invalid, is_missing

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT.parent / "shared" / "data" / "companies"

CRUNCHBASE = """
fields {
  category: string from "category_code"
  funding: money from "funding_total_usd"
  status: string
  country: string from "country_code"
  rounds: int from "funding_rounds"
  last_funding: date from "last_funding_at"
}

profile "Funded software" {
  category in [software, enterprise, analytics, security, cloud]
  country == USA
  funding $1M..$100M
  disqualify if status in [closed, acquired]: "no longer a buyer"
  +20 if rounds >= 2
  +10 if last_funding within 2 years
  +10 if funding >= $10M
  tier A if score >= 30
  tier B if score >= 10
  tier C otherwise
}
"""

SP500 = """
fields {
  sector: string from "Sector"
  pe: number from "Price/Earnings"
  dividend_yield: number from "Dividend Yield"
  market_cap: money from "Market Cap"
  ebitda: money from "EBITDA"
  price_to_sales: number from "Price/Sales"
}

profile "Large caps" {
  sector not in ["Electric Utilities", "Multi-Utilities", "Oil & Gas Exploration & Production"]
  market_cap >= $10B
  disqualify if pe < 0: "loss-making"
  +10 if dividend_yield >= 0.00003
  +10 if ebitda >= $1B
  +10 if price_to_sales 1..5
  tier A if score >= 20
  tier B otherwise
}
"""

UK = """
fields {
  size: string from "EmployerSize"
  sic: set[string] from "SicCodes"
  pay_gap: number from "DiffMeanHourlyPercent"
  bonus_gap: number from "DiffMeanBonusPercent"
  late: bool from "SubmittedAfterTheDeadline"
}

profile "Mid-size employers" {
  size in ["250 to 499", "500 to 999", "1000 to 4999"]
  sic has any ["62020", "62012", "62090", "70229", "82990", "85310"]
  disqualify if late
  +10 if pay_gap < 10
  +10 if bonus_gap < 20
  tier A if score >= 20
  tier B otherwise
}
"""

#: (folder, file, encoding, profile, as_of)
DATASETS = {
    "crunchbase": (
        "crunchbase-2013",
        "crunchbase_companies_10_2013.csv",
        "latin-1",
        CRUNCHBASE,
        datetime.date(2013, 10, 31),
    ),
    "sp500": ("sp500", "constituents-financials.csv", "utf-8", SP500, datetime.date(2018, 1, 1)),
    "uk": (
        "uk-gender-pay-gap",
        "UK Gender Pay Gap Data - 2017 to 2018.csv",
        "utf-8",
        UK,
        datetime.date(2018, 4, 30),
    ),
}

#: The column type each declared kind of field is loaded as.
SQL_TYPES = {
    "int": "BIGINT",
    "number": "DOUBLE",
    "money": "DOUBLE",
    "string": "VARCHAR",
    "bool": "BOOLEAN",
    "date": "DATE",
    "set": "VARCHAR",
}


def _load(name: str) -> tuple[icpdsl.Profile, list[dict[str, Any]], datetime.date]:
    folder, file, encoding, text, as_of = DATASETS[name]
    path = DATA / folder / file
    if not path.is_file():
        pytest.skip(f"{path} is not here: the real datasets live beside the checkout")
    profile = icpdsl.loads(text, f"{name}.icp").profile
    rows = list(read_records(path, encoding=encoding))
    assert all(row.record is not None for row in rows), "a row of the real file did not read"
    return profile, [row.record for row in rows if row.record is not None], as_of


def _columns(profile: icpdsl.Profile, records: list[dict[str, Any]]) -> dict[str, Any]:
    """Each field's column as a data team loads it: typed values as the schema reads
    them (missing or unreadable: NULL), list fields as the text cell."""
    schema = profile.reader.__self__  # type: ignore[attr-defined]
    columns: dict[str, Any] = {}
    for name, spec in schema.fields.items():
        column = spec.column or name
        if spec.type.kind == "set":
            values = [lookup(r, column) for r in records]
            values = [None if v is MISSING or is_missing(v) else str(v) for v in values]
        else:
            read = [schema.read(r, (name,)) for r in records]
            values = [None if v is MISSING or isinstance(v, Invalid) else v for v in read]
        columns[column] = (SQL_TYPES[spec.type.kind], values)
    return columns


def _scores(rows: list[Any]) -> list[tuple[str, float, Any]]:
    return [(str(verdict), float(score), tier) for verdict, score, tier in rows]


def _sql(connection: Any, columns: dict[str, Any], sql: str, dialect: str) -> Any:
    names = ", ".join(f'"{c}" {t}' for c, (t, _) in columns.items())
    connection.execute(f'CREATE TABLE "accounts" ("row_" INTEGER, {names})')
    count = len(next(iter(columns.values()))[1])
    marks = ", ".join("?" for _ in range(len(columns) + 1))

    def cell(value: Any) -> Any:
        return (
            value.isoformat() if dialect == "sqlite" and isinstance(value, datetime.date) else value
        )

    rows = [(i, *(cell(values[i]) for _, values in columns.values())) for i in range(count)]
    connection.executemany(f'INSERT INTO "accounts" VALUES ({marks})', rows)
    query = f'SELECT "verdict", "score", "tier" FROM ({sql}) AS "scored" ORDER BY "row_"'
    return connection.execute(query).fetchall()


def _same(engine: str, expected: list[Any], got: list[Any], records: list[Any]) -> None:
    assert len(got) == len(expected)
    for index, (want, have) in enumerate(zip(expected, got, strict=True)):
        same = want[0] == have[0] and math.isclose(want[1], have[1]) and want[2] == have[2]
        assert same, f"{engine}, row {index + 1}: {have} where the reference says {want}"


@pytest.mark.parametrize("name", DATASETS)
def test_every_engine_agrees_on_real_data(name: str) -> None:
    profile, records, as_of = _load(name)
    reference = [evaluate_profile(profile, r, as_of) for r in records]
    expected = [(r.verdict.value, float(r.score), r.tier) for r in reference]
    assert len({v for v, _, _ in expected}) > 1, "a profile that gives everyone one verdict"

    compiled = profile.compile(as_of)
    _same("compiled", expected, _scores([compiled(r) for r in records]), records)
    for record, result in zip(records, reference, strict=True):
        assert compiled.evaluate(record).to_dict() == result.to_dict()

    columns = _columns(profile, records)
    pl = pytest.importorskip("polars")
    import icpdsl.polars

    polars_types = {"BIGINT": pl.Int64, "DOUBLE": pl.Float64, "VARCHAR": pl.String,
                    "BOOLEAN": pl.Boolean, "DATE": pl.Date}  # fmt: skip
    frame = pl.DataFrame(
        {c: pl.Series(c, v, dtype=polars_types[t]) for c, (t, v) in columns.items()}
    )
    scored = icpdsl.polars.score(frame, profile, as_of=as_of)
    _same("polars", expected, _scores(scored.select("verdict", "score", "tier").rows()), records)

    duckdb = pytest.importorskip("duckdb")
    pytest.importorskip("sqlglot")
    for dialect, connection in (
        ("duckdb", duckdb.connect()),
        ("sqlite", sqlite3.connect(":memory:")),
    ):
        sql = profile.to_sql(dialect, as_of=as_of)
        _same(dialect, expected, _scores(_sql(connection, columns, sql, dialect)), records)


@pytest.mark.parametrize("name", DATASETS)
def test_icp_eval_s_cell_memo_scores_real_data_as_the_reference_does(name: str) -> None:
    """`icp eval`'s default path on a CSV file judges each distinct cell once
    (`icpdsl.batch.cell_memo`): every row's verdict, score, tier, reasons and missing
    fields are what scoring the typed records gives, and the reference's reasons."""
    from icpdsl.batch import EngineOptions, python_engine
    from icpdsl.batch.columns import columns_read
    from icpdsl.batch.ids import IdColumn, id_candidates
    from icpdsl.io import open_records

    profile, records, as_of = _load(name)
    folder, file, encoding, text, _ = DATASETS[name]
    document = icpdsl.loads(text, f"{name}.icp")
    candidates = id_candidates(None, document.schema)

    def reader() -> Any:
        read = columns_read(list(document.profiles.values()), document.schema)
        return open_records(DATA / folder / file, encoding=encoding,
                            text_columns=candidates, read_columns=read)  # fmt: skip

    first = reader()
    ids = IdColumn(candidates, first.columns, explicit=False)
    options = EngineOptions(profiles=tuple(document.profiles), as_of=as_of, id_of=ids,
                            text_columns=tuple(candidates))  # fmt: skip
    by_cells = [row._replace(tally=None) for row in python_engine(document, first, options)]
    by_records = list(python_engine(document, list(reader()), options))
    assert by_cells == by_records
    for row, record in zip(by_cells, records, strict=True):
        reference = evaluate_profile(profile, record, as_of)
        assert row.closest is not None
        assert (row.closest.verdict, row.closest.score, row.closest.tier) == (
            reference.verdict, reference.score, reference.tier)  # fmt: skip
        assert list(row.closest.reasons) == list(reference.reasons)

    explained = EngineOptions(profiles=tuple(document.profiles), as_of=as_of, id_of=ids,
                              explain=True, text_columns=tuple(candidates))  # fmt: skip
    for row, record in zip(python_engine(document, reader(), explained), records, strict=True):
        assert row.closest is not None and row.closest.result is not None
        reference = evaluate_profile(profile, record, as_of)
        assert row.closest.result.to_dict() == reference.to_dict()
        assert row.closest.result.explain() == reference.explain()
