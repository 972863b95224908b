"""`survey_columns`: a declared field's column whose cells do not read as its type is
reported with counts and examples; a date column written in another order than its rule
reads names the format to declare and the cells the rule would misread."""

from __future__ import annotations

from pathlib import Path

import pytest

import icpdsl
from icpdsl.survey import COLUMN_CODE, ColumnSurvey, survey_columns

TEXT = """\
fields {
  founded: date from "Founded"
  employees: int
  tech: set[string]
}
founded >= 2015-01-01
employees > 10
"""


def _schema(text: str = TEXT) -> icpdsl.Document:
    return icpdsl.loads(text)


def test_a_day_first_column_under_the_month_first_rule_is_reported_not_misread() -> None:
    rows = [
        {"Founded": "01/03/2015"},
        {"Founded": "31/12/2015"},
        {"Founded": ""},
        {"Founded": "2015-05-01"},
        {"Founded": "13/01/2016"},
    ]
    (finding,) = survey_columns(_schema().schema, rows)
    assert (finding.field, finding.column, finding.type) == ("founded", "Founded", "date")
    assert (finding.cells, finding.unread, finding.misread) == (4, 2, 1)
    assert finding.examples == ((2, "31/12/2015"), (5, "13/01/2016"))
    assert finding.likely_format == "DD/MM/YYYY"
    assert finding.misread_examples == ((1, "01/03/2015", "2015-01-03", "2015-03-01"),)
    assert finding.message == (
        "2 of 4 cells in column 'Founded' (field founded: date) are not dates as YYYY/MM/DD "
        "or MM/DD/YYYY (e.g. row 2: '31/12/2015', row 5: '13/01/2016'); the column looks "
        "written DD/MM/YYYY, which reads 1 other cell as other dates (row 1: '01/03/2015' is "
        "read as 2015-01-03; as DD/MM/YYYY, 2015-03-01)"
    )
    assert finding.hint == 'declare the field\'s format: founded: date "DD/MM/YYYY"'


def test_the_finding_is_a_warning_at_the_field_s_declaration() -> None:
    (finding,) = survey_columns(_schema().schema, [{"Founded": "31-12-2015"}])
    diagnostic = finding.to_diagnostic()
    assert (diagnostic.code, diagnostic.severity) == (COLUMN_CODE, "warning")
    assert (diagnostic.line, diagnostic.column) == (2, 3)
    assert diagnostic.hint == 'declare the field\'s format: founded: date "DD-MM-YYYY"'


def test_declaring_the_format_the_survey_names_reads_every_cell() -> None:
    rows = [{"Founded": "01/03/2015"}, {"Founded": "31/12/2015"}]
    (finding,) = survey_columns(_schema().schema, rows)
    fixed = TEXT.replace("date from", f'date "{finding.likely_format}" from')
    document = _schema(fixed)
    assert survey_columns(document.schema, rows) == []
    verdicts = [document.profile.evaluate({**r, "employees": 20}).verdict.value for r in rows]
    assert verdicts == ["fit", "fit"]


def test_a_column_the_rule_reads_whole_is_not_reported() -> None:
    rows = [{"Founded": d, "employees": "1,200", "tech": "AWS; Okta"} for d in
            ("01/03/2015", "12/31/2016", "2015", "2014-01-01", None)]  # fmt: skip
    assert survey_columns(_schema().schema, rows) == []


def test_cells_of_other_types_are_counted_with_examples() -> None:
    rows = [{"employees": v} for v in ("12", "n/a", "about 300", "1.5", "", "7", "?")]
    (finding,) = survey_columns(_schema().schema, rows, first_row=2)
    assert (finding.field, finding.cells, finding.unread) == ("employees", 6, 4)
    assert finding.examples == ((3, "n/a"), (4, "about 300"), (5, "1.5"))
    assert finding.likely_format is None
    assert finding.message == (
        "4 of 6 cells in column 'employees' (field employees: int) do not read as int "
        "(e.g. row 3: 'n/a', row 4: 'about 300', row 5: '1.5')"
    )


def test_a_declared_format_is_the_rule_the_column_is_checked_against() -> None:
    text = TEXT.replace("date from", 'date "DD.MM.YYYY" from')
    rows = [{"Founded": "01.03.2015"}, {"Founded": "12/31/2015"}, {"Founded": "3/1/2015"}]
    (finding,) = survey_columns(_schema(text).schema, rows)
    assert finding.type == 'date "DD.MM.YYYY"'
    assert finding.likely_format == "MM/DD/YYYY"
    assert "are not dates as DD.MM.YYYY" in finding.message


def test_garbage_in_a_date_column_names_no_format() -> None:
    rows = [{"Founded": "soon"}, {"Founded": "n/a"}, {"Founded": "31/12/2015"}]
    (finding,) = survey_columns(_schema().schema, rows)
    assert finding.unread == 3 and finding.likely_format is None


def test_a_survey_can_be_fed_as_rows_stream() -> None:
    survey = ColumnSurvey(_schema().schema, examples=1)
    for number, cell in enumerate(["n/a", "x", "5"], start=1):
        survey.add({"employees": cell}, number)
    (finding,) = survey.findings()
    assert (finding.unread, finding.examples) == (2, ((1, "n/a"),))


def test_the_real_crunchbase_export_reads_clean() -> None:
    root = Path(__file__).resolve().parents[2]  # ../shared beside it, or ../../shared
    shared = [p for p in (root.parent / "shared", root.parent.parent / "shared") if p.is_dir()]
    folder = (shared[0] if shared else root.parent / "shared") / "data" / "companies"
    crunchbase = folder / "crunchbase-2013" / "crunchbase_companies_10_2013.csv"
    if not crunchbase.exists():
        pytest.skip(f"{crunchbase} is not here: the real datasets live beside the checkout")
    import csv

    text = (
        'fields {\n  founded: date from "founded_at"\n  last: date from "last_funding_at"\n'
        '  raised: money from "funding_total_usd"\n}\nfounded is known and last is known\n'
    )
    with crunchbase.open(encoding="latin-1") as handle:
        rows = list(csv.DictReader(handle))
    assert survey_columns(icpdsl.loads(text).schema, rows) == []
