"""Literals no engine can hold are refused at load, with their location: a number of
5,000 digits used to become `inf` (written bare into SQL, where it reads as a column
named `inf`) and a 400-digit range bound made Polars raise; a long string literal loads
in memory proportional to its length."""

from __future__ import annotations

import datetime
import tracemalloc

import pytest

import icpdsl
from icpdsl import ICPSyntaxError
from icpdsl.parser import LARGEST_NUMBER

AS_OF = datetime.date(2025, 1, 1)


def _refused(text: str) -> ICPSyntaxError:
    with pytest.raises(ICPSyntaxError) as caught:
        icpdsl.loads(text, "t.icp")
    return caught.value


@pytest.mark.parametrize(
    ("text", "column"),
    [
        ("employees >= " + "9" * 5_000, 14),
        ("employees 1.." + "9" * 400, 14),
        ("revenue >= $" + "9" * 20 + "M", 12),
        ("+" + "9" * 30 + " if has_security_owner", 1),
        ("founded within " + "9" * 30 + " years", 16),
        ("industry in [SaaS]\nemployees < -" + "9" * 17, 13),
        ("employees > 1\nexamples {\n  fit { employees: " + "9" * 5_000 + " }\n}", 20),
    ],
    ids=["5000-digits", "range-bound", "money", "points", "duration", "negative", "example"],
)
def test_a_number_out_of_range_is_refused_where_it_is_written(text: str, column: int) -> None:
    error = _refused(text)
    assert error.code == "ICP000"
    assert error.message.startswith("number out of range")
    assert (error.line, error.column) == (text.count("\n", 0, text.rindex(" ")) + 1, column)
    assert "9,007,199,254,740,991" in (error.hint or "")
    assert len(str(error)) < 600  # the 5,000 digits are not repeated in full


def test_a_fraction_too_small_to_tell_from_zero_is_refused() -> None:
    error = _refused("margin > 0." + "0" * 400 + "1")
    assert "too small to tell from 0" in error.message


def test_the_largest_number_loads_and_every_engine_reads_it_the_same() -> None:
    text = f"employees <= {LARGEST_NUMBER}\nrevenue >= -{LARGEST_NUMBER}"
    profile = icpdsl.loads(text).profile
    record = {"employees": LARGEST_NUMBER, "revenue": 0}
    assert profile.evaluate(record, as_of=AS_OF).verdict.value == "fit"
    sql = profile.to_sql("sqlite", as_of=AS_OF)
    assert str(LARGEST_NUMBER) in sql and "inf" not in sql.lower()
    import sqlite3

    with sqlite3.connect(":memory:") as connection:
        connection.execute("CREATE TABLE accounts (employees INTEGER, revenue INTEGER)")
        connection.execute("INSERT INTO accounts VALUES (?, 0)", (LARGEST_NUMBER,))
        (verdict,) = connection.execute(f"SELECT verdict FROM ({sql})").fetchone()
    assert verdict == "fit"


def test_polars_never_sees_a_bound_it_cannot_hold() -> None:
    pl = pytest.importorskip("polars")
    from icpdsl.polars import score

    with pytest.raises(ICPSyntaxError, match="number out of range"):
        icpdsl.loads("employees 1.." + "9" * 400)
    profile = icpdsl.loads(f"employees 1..{LARGEST_NUMBER}").profile
    frame = pl.DataFrame({"employees": [5, 0]})
    assert score(frame, profile, as_of=AS_OF)["verdict"].to_list() == ["fit", "not_fit"]


def test_a_one_mebibyte_string_literal_loads_in_memory_proportional_to_it() -> None:
    # The string pattern kept a backtracking entry per character: 287 MB for 1 MiB.
    comment = "  # a comment makes the comment scanner run too"
    body = "a" * (1_048_576 - len('industry == ""') - len(comment))
    text = f'industry == "{body}"{comment}'
    tracemalloc.start()
    try:
        document = icpdsl.loads(text)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert document.profile.rules[0].node.condition.value.value == body  # type: ignore[union-attr]
    assert peak < 40 * len(text), f"{peak:,} bytes for a {len(text):,}-byte file"


def test_a_string_of_escapes_loads_in_bounded_memory_too() -> None:
    text = 'industry == "' + "\\n" * 400_000 + '"'
    tracemalloc.start()
    try:
        icpdsl.loads(text)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 40 * len(text)
