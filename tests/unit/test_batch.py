"""Batch scoring: the Python engine agrees with the reference evaluator; summaries, views."""

from __future__ import annotations

import datetime
import io
from pathlib import Path

import pytest

import icpdsl
import icpdsl.io
from icpdsl.batch import EngineOptions, ProfileScore, ScoredRow, python_engine
from icpdsl.batch.ids import IdColumn, id_candidates
from icpdsl.batch.progress import Progress
from icpdsl.batch.summary import Summary
from icpdsl.batch.view import Layout
from icpdsl.io import Row, read_records
from icpdsl.result import DocumentResult, Verdict
from icpdsl.schema import ID_COLUMNS

ROOT = Path(__file__).resolve().parents[2]
AS_OF = datetime.date(2026, 6, 1)


def test_engine_agrees_with_the_reference_evaluator_row_for_row() -> None:
    rows = list(read_records(ROOT / "examples" / "accounts.csv"))
    for name in ("security.icp", "segments.icp"):
        document = icpdsl.load(ROOT / "examples" / name)
        options = EngineOptions(tuple(document.profiles), AS_OF, id_of=lambda r: str(r["id"]))
        scored = list(python_engine(document, rows, options))
        assert [s.number for s in scored] == [r.number for r in rows]
        for row, out in zip(rows, scored, strict=True):
            reference = DocumentResult(
                {n: p.evaluate(row.record, as_of=AS_OF) for n, p in document.profiles.items()}
            )
            got = [(s.profile, s.verdict, s.score, s.tier, list(s.reasons)) for s in out.scores]
            want = [(r.profile, r.verdict, r.score, r.tier, r.reasons) for r in reference]
            assert got == want
            assert (out.best and out.best.profile) == (reference.best and reference.best.profile)
            assert out.closest is not None and reference.closest is not None
            assert out.closest.profile == reference.closest.profile
            failed = {(f.profile, f.text) for s in out.scores for f in s.failed}
            assert failed == {
                (r.profile, o.rule)
                for r in reference
                if r.verdict.value != "fit"
                for o in r.rules
                if (o.kind, o.status) in (("criterion", "fail"), ("disqualifier", "fired"))
            }


def test_engine_keeps_error_rows_and_full_results_with_explain() -> None:
    document = icpdsl.loads("employees 200..1000\n+5 if tech has AWS\n")
    rows = [
        Row(1, {"employees": 500, "tech": "AWS"}),
        Row(2, None, "bad quoting", 3),
        Row(3, {"tech": ""}),
    ]
    options = EngineOptions(tuple(document.profiles), AS_OF, explain=True)
    first, error, unknown = python_engine(document, rows, options)
    assert first.scores[0].result is not None
    assert len(first.scores[0].result.rules) == 2
    assert (error.number, error.line, error.error, error.verdict) == (2, 3, "bad quoting", "error")
    assert unknown.missing == ("employees", "tech")
    assert unknown.scores[0].reasons == ("employees is missing",)


def test_id_column_prefers_mapped_columns_and_falls_back_to_row_numbers() -> None:
    document = icpdsl.loads('fields { name from "Company name" }\nname is known\n')
    candidates = id_candidates(None, document.schema)
    assert candidates == ["Company name", *ID_COLUMNS]
    column = IdColumn(candidates, ["Record ID", "Company name"], explicit=False)
    assert (column.name, column({"Company name": "Acme"})) == ("Company name", "Acme")
    none = IdColumn(candidates, ["Colour"], explicit=False)
    assert (none.name, none({"Colour": "red"})) == ("id", None)
    loose = IdColumn(candidates, None, explicit=False)  # JSON: looked up per record
    assert loose({"Domain": "acme.io"}) == "acme.io"
    assert loose({"id": 12.0}) == "12"


def _header(path: Path) -> list[str]:
    reader = icpdsl.io.open_records(path)
    reader.source.close()
    assert reader.columns is not None
    return list(reader.columns)


@pytest.mark.parametrize(
    ("columns", "chosen"),
    [
        (_header(ROOT / "examples" / "hubspot_export.csv"), "Record ID"),
        (_header(ROOT / "examples" / "salesforce_export.csv"), "Id"),
        (["Account Name", "Website", "Account ID", "Industry"], "Account ID"),  # a report
        (["Company ID", "Company name"], "Company ID"),
        (["Company name", "Company Domain Name"], "Company name"),
        (["Industry", "Account Name", "Website"], "Account Name"),
        (["Company Domain Name", "Website"], "Company Domain Name"),
        (["Industry", "website"], "website"),
        (["RECORD_ID", "name"], "RECORD_ID"),
        (["Address", "EmployerName", "CurrentName"], "EmployerName"),  # a public register
        (["Symbol", "Security", "GICS Sector"], "Symbol"),  # an index's constituents
    ],
)
def test_default_id_columns_include_the_crm_exports_names(columns: list[str], chosen: str) -> None:
    candidates = id_candidates(None, icpdsl.loads("employees > 5").schema)
    assert IdColumn(candidates, columns, explicit=False).name == chosen


def test_a_profile_mapping_its_id_name_or_domain_picks_that_column() -> None:
    hubspot = _header(ROOT / "examples" / "hubspot_export.csv")
    named = icpdsl.load(ROOT / "examples" / "hubspot.icp")
    assert IdColumn(id_candidates(None, named.schema), hubspot, explicit=False).name == (
        "Company name"
    )
    both = icpdsl.loads(
        'fields {\n  domain from "Company Domain Name"\n  record_id from "Record ID"\n}\n'
        "domain is known"
    )
    assert id_candidates(None, both.schema)[:2] == ["Record ID", "Company Domain Name"]
    other = icpdsl.loads('fields {\n  owner from "Company owner"\n}\nowner is known')
    assert id_candidates(None, other.schema) == list(ID_COLUMNS)  # not an id field


def test_summary_counts_and_renders() -> None:
    document = icpdsl.load(ROOT / "examples" / "security.icp")
    rows = [*read_records(ROOT / "examples" / "accounts.csv"), Row(67, None, "broken", 70)]
    options = EngineOptions(tuple(document.profiles), AS_OF)
    summary = Summary(list(document.profiles))
    for scored in python_engine(document, rows, options):
        summary.add(scored)
    text = summary.render(2.0).splitlines()
    assert text[0] == (
        "67 rows in 2.00 s (34 rows/s), scored against 1 profile; 1 row could not be read"
    )
    assert text[1].startswith("  Mid-market SaaS security  fit ")
    assert "rules that failed most often:" in text
    assert text[-2:] == ["rows that could not be read:", "  row 67 (line 70): broken"]
    data = summary.to_dict()
    assert (data["rows"], data["errors"]) == (67, 1)
    assert sum(data["profiles"]["Mid-market SaaS security"]["verdicts"].values()) == 66


def test_layout_flattens_rows_for_tables_and_csv() -> None:
    layout = Layout(["A", "B"], "name", explain=False)
    assert layout.columns == ["row", "name", "A", "B", "best", "score", "tier", "reason"]
    assert layout.csv_columns()[-1] == "error"
    document = icpdsl.loads('profile "A" { employees > 10 }\nprofile "B" { employees > 100 }')
    options = EngineOptions(("A", "B"), AS_OF, id_of=lambda r: "x")
    (row,) = python_engine(document, [Row(1, {"employees": 50})], options)
    assert layout.flat(row) == {
        "row": 1,
        "name": "x",
        "A": "fit",
        "B": "not_fit",
        "best": "A",
        "score": "0",
        "tier": None,
        "reason": "",
    }


@pytest.mark.parametrize("example", ["security.icp", "segments.icp"])
def test_csv_cells_are_the_flat_row_in_csv_column_order(example: str) -> None:
    """A one-profile line is built without `flat`'s dict: the same cells, as for error
    rows, several profiles and scores that are not plain ints."""
    document = icpdsl.load(ROOT / "examples" / example)
    profiles = tuple(document.profiles)
    rows = [*read_records(ROOT / "examples" / "accounts.csv"), Row(67, None, "broken", 70)]
    layout = Layout(profiles, "id", explain=False)
    scored = list(python_engine(document, rows, EngineOptions(profiles, AS_OF)))
    for odd_score in (10**16, 2.5e16, 12.5):
        odd = ProfileScore(profiles[0], Verdict.FIT, odd_score, "A")
        scored.append(ScoredRow(68, 71, "z", (odd,), odd))
    for row in scored:
        flat = layout.flat(row)
        assert layout.csv_cells(row) == [flat.get(c) for c in layout.csv_columns()]
    scores = [layout.csv_cells(row)[layout.csv_columns().index("score")] for row in scored[-3:]]
    assert scores == ["10000000000000000", "2.5e+16", "12.5"]


def test_progress_line_has_rate_and_eta() -> None:
    clock = iter([0.0, 10.0])
    stream = io.StringIO()
    progress = Progress(
        stream, enabled=True, total=1000, position=lambda: 250, clock=lambda: next(clock)
    )
    progress.tick(256)
    assert stream.getvalue() == (
        "\r[██████░░░░░░░░░░░░░░░░░░]  25%  256 rows  26 rows/s  ETA 0:30\033[K"
    )
    progress.finish()
    assert stream.getvalue().endswith("\r\033[K")
    quiet = io.StringIO()
    Progress(quiet, enabled=False).tick(256)
    assert quiet.getvalue() == ""
