"""Date cells: one rule per column.  ISO text and a year always; a declared format
(`date "DD.MM.YYYY"`) or, without one, the default forms, each read one way only."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import icpdsl
from icpdsl import ICPCheckError
from icpdsl.semantics.cells import (
    DEFAULT_DATE_FORMATS,
    LIKELY_DATE_FORMATS,
    DateFormatError,
    date_format,
    likely_date_format,
    parse_field_date,
    read_date,
)
from icpdsl.semantics.missing import Invalid

D = datetime.date


# ------------------------------------------------------------------ the default rule


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2015-03-01", D(2015, 3, 1)),
        ("2015-03-01T10:20:30Z", D(2015, 3, 1)),
        ("2015", D(2015, 1, 1)),
        ("2015/03/01", D(2015, 3, 1)),
        ("2015.03.01", D(2015, 3, 1)),
        ("03/01/2015", D(2015, 3, 1)),  # slashes: month first, always
        ("3/1/2015", D(2015, 3, 1)),
        ("12/31/2015", D(2015, 12, 31)),
        ("3/1/2015 12:00:00 AM", D(2015, 3, 1)),
        ("01.03.2015", D(2015, 3, 1)),  # dots: day first, always (was 3 January)
        ("31.12.2015", D(2015, 12, 31)),
        ("1.3.2015", D(2015, 3, 1)),
        ("01.03.2015 10:00", D(2015, 3, 1)),
        (" 01.03.2015 ", D(2015, 3, 1)),
    ],
)
def test_each_default_form_has_one_reading(cell: str, expected: D) -> None:
    assert parse_field_date(cell) == expected


@pytest.mark.parametrize(
    "cell",
    [
        "31/12/2015",  # would need day first: not guessed from the value
        "13/01/2015",
        "12.31.2015",  # would need month first
        "31-12-2015",  # dashes with the year last: declare the format
        "01/03/15",  # two-digit years: declare the format
        "2015-13-01",
        "02/30/2015",
        "01/03.2015",  # mixed separators
        "March 1, 2015",
    ],
)
def test_a_cell_the_rule_does_not_read_is_not_a_date(cell: str) -> None:
    assert parse_field_date(cell) is None


@given(st.dates(min_value=D(1000, 1, 1)))
def test_every_date_written_in_a_default_form_reads_back_as_itself(day: D) -> None:
    for form, written in zip(
        DEFAULT_DATE_FORMATS,
        (
            f"{day.year:04}/{day.month:02}/{day.day:02}",
            f"{day.year:04}.{day.month:02}.{day.day:02}",
            f"{day.month:02}/{day.day:02}/{day.year:04}",
            f"{day.day:02}.{day.month:02}.{day.year:04}",
        ),
        strict=True,
    ):
        assert form.read(written) == day
        assert parse_field_date(written) == day


@given(st.text(alphabet="0123456789/.- :TZ", max_size=24))
def test_a_cell_reads_as_at_most_one_default_form(cell: str) -> None:
    readings = {form.read(cell) for form in DEFAULT_DATE_FORMATS} - {None}
    assert len(readings) <= 1
    if readings and not cell.strip().isdigit() and "-" not in cell:
        assert parse_field_date(cell) in readings


# ------------------------------------------------------------------ declared formats


@pytest.mark.parametrize(
    ("form", "cell", "expected"),
    [
        ("DD.MM.YYYY", "01.03.2015", D(2015, 3, 1)),
        ("dd.mm.yyyy", "31.12.2015", D(2015, 12, 31)),
        ("DD/MM/YYYY", "01/03/2015", D(2015, 3, 1)),
        ("DD/MM/YYYY", "1/3/2015", D(2015, 3, 1)),
        ("MM-DD-YYYY", "12-31-2015", D(2015, 12, 31)),
        ("DD-MM-YYYY", "31-12-2015 23:59:59", D(2015, 12, 31)),
        ("MM/DD/YY", "03/01/15", D(2015, 3, 1)),
        ("MM/DD/YY", "03/01/69", D(1969, 3, 1)),  # POSIX's pivot
        ("MM/DD/YY", "03/01/68", D(2068, 3, 1)),
        ("D MMM YYYY", "1 Mar 2015", D(2015, 3, 1)),
        ("D MMM YYYY", "1 march 2015", D(2015, 3, 1)),
        ("D MMM YYYY", "1 Sept. 2015", D(2015, 9, 1)),
        ("MMM D, YYYY", "March 1, 2015", D(2015, 3, 1)),
        ("MMM YYYY", "Mar 2015", D(2015, 3, 1)),
        ("MM/YYYY", "03/2015", D(2015, 3, 1)),
        ("YYYYMMDD", "20150301", D(2015, 3, 1)),
        ("DD.MM.YYYY", "2015-03-01", D(2015, 3, 1)),  # ISO is read in every column
        ("DD.MM.YYYY", "2015", D(2015, 1, 1)),  # and so is a year
    ],
)
def test_a_declared_format_reads_its_cells(form: str, cell: str, expected: D) -> None:
    assert parse_field_date(cell, date_format(form)) == expected


@pytest.mark.parametrize(
    ("form", "cell"),
    [
        ("DD.MM.YYYY", "12/31/2015"),  # the default forms are not read beside a format
        ("DD.MM.YYYY", "2015/03/01"),
        ("DD/MM/YYYY", "12/31/2015"),
        ("MMM YYYY", "Foo 2015"),
        ("YYYYMMDD", "2015031"),
    ],
)
def test_a_declared_format_reads_nothing_else(form: str, cell: str) -> None:
    assert parse_field_date(cell, date_format(form)) is None


def test_a_whole_number_is_read_in_a_declared_format() -> None:
    assert read_date(20150301, date_format("YYYYMMDD")) == D(2015, 3, 1)
    assert read_date(2015) == D(2015, 1, 1)
    assert read_date(20150301) is None


@pytest.mark.parametrize(
    ("form", "message", "start", "fix"),
    [
        ("%d.%m.%Y", "'%d' is strftime's; write the format with YYYY, MM, DD", 0, "DD.MM.YYYY"),
        ("DD:MM:YYYY", "':' is not part of a date format", 2, None),
        ("DD.MM", "a date format needs a year (YYYY or YY)", 0, None),
        ("DD.YYYY", "a date format needs a month (MM or MMM)", 0, None),
        ("DD.MM.YYYY DD", "the format gives the day twice", 11, None),
        ("YY.MM.YYYY", "the format gives the year twice", 6, None),
        ("", "a date format needs a year (YYYY or YY)", 0, None),
    ],
)
def test_a_bad_format_is_explained_where_it_goes_wrong(
    form: str, message: str, start: int, fix: str | None
) -> None:
    with pytest.raises(DateFormatError) as caught:
        date_format(form)
    assert (caught.value.message, caught.value.start, caught.value.fix) == (message, start, fix)


def test_formats_compare_by_their_text() -> None:
    assert date_format("dd.mm.yyyy") == date_format("DD.MM.YYYY")
    assert len({date_format("DD.MM.YYYY"), date_format("dd.mm.yyyy")}) == 1
    assert date_format("YYYY-MM-DD").is_iso and not date_format("DD.MM.YYYY").is_iso


def test_the_likely_format_of_a_cell_the_rule_does_not_read() -> None:
    assert likely_date_format("31/12/2015") == date_format("DD/MM/YYYY")
    assert likely_date_format("12.31.2015") == date_format("MM.DD.YYYY")
    assert likely_date_format("31-12-2015") == date_format("DD-MM-YYYY")
    assert likely_date_format("01/03/2015") is None  # the rule reads it
    assert likely_date_format("n/a") is None
    assert all(f.read("2015-03-01") is None or f.is_iso for f in LIKELY_DATE_FORMATS)


def test_a_long_hostile_cell_is_read_in_linear_time() -> None:
    import time

    form = date_format("D MMM, YYYY")
    for cell in (" " * 200_000 + "1", "1" + " " * 200_000 + "x", "1 " + "," * 100_000):
        started = time.perf_counter()
        assert parse_field_date(cell, form) is None
        assert parse_field_date(cell) is None
        assert time.perf_counter() - started < 1


# ------------------------------------------------------------------ in the language


FIELDS = 'fields {\n  founded: date "DD.MM.YYYY" from "Founded"\n}\n'


def test_a_field_declares_its_format() -> None:
    document = icpdsl.loads(FIELDS + "founded >= 2015-03-01")
    assert str(document.schema.fields["founded"].type) == 'date "DD.MM.YYYY"'
    profile = document.profile
    assert profile.evaluate({"Founded": "01.03.2015"}).verdict.value == "fit"
    assert profile.evaluate({"Founded": "28.02.2015"}).verdict.value == "not_fit"
    result = profile.evaluate({"Founded": "03/01/2015"})
    assert result.verdict.value == "unknown"
    assert result.rules[0].reason == (
        "founded is '03/01/2015', not a date as DD.MM.YYYY; for dates written DD/MM/YYYY, "
        'declare the field date "DD/MM/YYYY" (expected date "DD.MM.YYYY")'
    )


def test_without_a_format_a_cell_the_rule_does_not_read_says_what_to_declare() -> None:
    profile = icpdsl.loads("fields { founded: date }\nfounded >= 2015-03-01").profile
    result = profile.evaluate({"founded": "31/12/2015"})
    assert result.verdict.value == "unknown"
    assert result.rules[0].reason == (
        "founded is '31/12/2015', not a date as YYYY/MM/DD or MM/DD/YYYY; for dates written "
        'DD/MM/YYYY, declare the field date "DD/MM/YYYY" (expected date)'
    )
    assert profile.evaluate({"founded": "01.03.2015"}).verdict.value == "fit"


def test_a_python_schema_declares_a_format_as_icp_text() -> None:
    document = icpdsl.loads("founded >= 2015-03-01", schema={"founded": 'date "DD/MM/YYYY"'})
    assert document.profile.evaluate({"founded": "01/03/2015"}).verdict.value == "fit"


def test_a_list_of_dates_in_a_format() -> None:
    document = icpdsl.loads('fields { rounds: list[date "DD.MM.YYYY"] }\nrounds is known')
    assert document.schema.read({"rounds": "01.03.2015; 31.12.2016"}, ("rounds",)) == [
        D(2015, 3, 1),
        D(2016, 12, 31),
    ]
    assert isinstance(document.schema.read({"rounds": "12/31/2016"}, ("rounds",)), Invalid)


@pytest.mark.parametrize(
    ("declaration", "message", "column", "width", "fix"),
    [
        ('date "%d.%m.%Y"', "bad date format: '%d' is strftime's; write the format with YYYY, "
         "MM, DD", 24, 10, '"DD.MM.YYYY"'),
        ('date "DD:MM:YYYY"', "bad date format: ':' is not part of a date format", 27, 1, None),
        ("date 'DD.MM'", "bad date format: a date format needs a year (YYYY or YY)", 25, 5,
         None),
        ('int "DD.MM.YYYY"', "only a date takes a format, not 'int'", 23, 12, None),
        ('dat "DD.MM.YYYY"', "unknown type 'dat'", 19, 16, None),
    ],
)  # fmt: skip
def test_a_bad_format_is_a_located_error(
    declaration: str, message: str, column: int, width: int, fix: str | None
) -> None:
    with pytest.raises(ICPCheckError) as caught:
        icpdsl.loads(f"fields {{ founded: {declaration} }}\nfounded is known")
    diagnostic = caught.value.diagnostics[0]
    assert (diagnostic.code, diagnostic.message) == ("ICP014", message)
    assert (diagnostic.line, diagnostic.column, diagnostic.width) == (1, column, width)
    assert diagnostic.fix == fix


def test_the_same_field_with_two_formats_is_declared_twice() -> None:
    text = 'fields { a: date "DD.MM.YYYY" }\nfields { a: date "MM/DD/YYYY" }\na is known'
    with pytest.raises(ICPCheckError, match='declared as date "MM/DD/YYYY" here but as date'):
        icpdsl.loads(text)
    assert icpdsl.loads(text.replace("MM/DD/YYYY", "dd.mm.yyyy"))


def test_a_format_is_formatted_as_written() -> None:
    text = "fields {\n  founded:  date   'DD.MM.YYYY'  from \"Founded\"\n}\nfounded is known\n"
    formatted = icpdsl.format(text)
    assert "founded: date 'DD.MM.YYYY' from \"Founded\"" in formatted
    assert icpdsl.parse(formatted).items == icpdsl.parse(text).items
    assert icpdsl.format(formatted) == formatted


# ------------------------------------------------------------------ column engines


def test_sql_refuses_a_field_whose_dates_are_text_in_another_format() -> None:
    pytest.importorskip("sqlglot")
    profile = icpdsl.loads(FIELDS + "founded >= 2015-03-01").profile
    with pytest.raises(icpdsl.ICPUnsupportedError) as caught:
        profile.to_sql("duckdb")
    error = caught.value
    assert (error.code, error.line, error.column) == ("ICP050", 4, 1)
    assert error.message == 'SQL (duckdb) cannot express founded\'s dates written "DD.MM.YYYY"'
    iso = icpdsl.loads(FIELDS.replace("DD.MM.YYYY", "YYYY-MM-DD") + "founded >= 2015-03-01")
    assert "2015-03-01" in iso.profile.to_sql("duckdb")


def test_polars_reads_a_date_column_but_refuses_date_text_in_another_format() -> None:
    pl = pytest.importorskip("polars")
    from icpdsl.polars import score

    profile = icpdsl.loads(FIELDS + "founded >= 2015-03-01").profile
    dates = pl.DataFrame({"Founded": [D(2015, 3, 1), D(2015, 2, 28)]})
    assert score(dates, profile)["verdict"].to_list() == ["fit", "not_fit"]
    with pytest.raises(icpdsl.ICPUnsupportedError, match=r'written "DD\.MM\.YYYY"'):
        score(pl.DataFrame({"Founded": ["01.03.2015"]}), profile)


def test_the_duckdb_engine_reads_dates_by_the_kernel_s_rule(tmp_path: Path) -> None:
    # DuckDB's own CSV sniffer reads 02/04/2015 as 2 April; the kernel's rule (slashes
    # month first, dots day first, or the declared format) must decide in every engine.
    pytest.importorskip("duckdb")
    import contextlib
    import io

    from icpdsl.cli import main

    profile = tmp_path / "p.icp"
    profile.write_text(
        'as of 2016-01-01\nfields {\n  founded: date\n  joined: date "DD/MM/YYYY"\n}\n'
        "founded >= 2015-03-01\njoined within 12 months\n",
        encoding="utf-8",
    )
    data = tmp_path / "a.csv"
    data.write_text(
        "id,founded,joined\na,02/04/2015,02/04/2015\nb,04/02/2015,31/12/2015\n"
        "c,01.03.2015,31/12/2014\nd,31/12/2015,01/01/2015\n",
        encoding="utf-8",
    )

    def scored(*engine: str) -> str:
        out = io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
            main(["eval", str(profile), str(data), "--format", "csv", "-q", *engine])
        return out.getvalue()

    default = scored()
    assert [line.split(",")[2] for line in default.splitlines()[1:]] == [
        "not_fit",  # founded 4 February 2015
        "fit",  # founded 2 April 2015; joined 31 December 2015
        "not_fit",  # joined 31 December 2014: more than 12 months before 2016-01-01
        "unknown",  # founded 31/12/2015 is not a date by the rule
    ]
    assert scored("--engine", "duckdb") == default


def test_a_quoted_date_compared_with_a_date_field_gets_its_iso_form_as_the_fix() -> None:
    text = 'fields { founded: date }\nfounded >= "31.12.2015"\n'
    (diagnostic,) = icpdsl.check(text)
    assert (diagnostic.code, diagnostic.fix) == ("ICP011", "2015-12-31")
    assert diagnostic.hint == "write the date as YYYY-MM-DD, unquoted: 2015-12-31"
    fixed = text.replace('"31.12.2015"', diagnostic.fix)
    assert icpdsl.check(fixed) == []
