"""Cells: number and money literals, dates, booleans and the typing of raw text cells."""

from __future__ import annotations

import datetime
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from icpdsl.semantics.cells import (
    infer_cell,
    is_number,
    parse_bool,
    parse_date,
    parse_number,
    text_key,
    tidy_number,
)
from icpdsl.semantics.missing import is_missing


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("200", 200),
        ("1,200", 1200),
        ("1,234,567.5", 1234567.5),
        ("1_000", 1000),
        ("$12.5M", 12_500_000),
        ("$10M", 10_000_000),
        ("10m", 10_000_000),
        ("50k", 50_000),
        ("50K", 50_000),
        ("1.5B", 1_500_000_000),
        ("2bn", 2_000_000_000),
        ("3mn", 3_000_000),
        ("€40k", 40_000),
        ("£1M", 1_000_000),
        ("30%", 0.3),
        ("12.5%", 0.125),
        ("-5", -5),
        ("- $2k", -2000),
        ("+7", 7),
        (".5", 0.5),
        ("  42  ", 42),
        ("$ 5 M", 5_000_000),
        ("3.6e-05", 3.6e-05),  # scientific notation, as the S&P 500 file writes yields
        ("1E6", 1_000_000),
        ("-2.5e3", -2500),
        (" 1e5 ", 100_000),
        ("1.5e2%", 1.5),
    ],
)
def test_parse_number(text: str, number: int | float) -> None:
    parsed = parse_number(text)
    assert parsed == number
    assert type(parsed) is type(number)  # whole numbers are ints, 1.5B too


@pytest.mark.parametrize(
    "text",
    [
        *["", "n/a", "12 people", "1,20", "1,2345", "$", "M", "10MM", "1.2.3", "5 years"],
        *["0x10", "1e", "e5", "1e5e5", "1.5e+"],
    ],
)
def test_not_numbers(text: str) -> None:
    assert parse_number(text) is None


def test_tidy_number() -> None:
    assert tidy_number(3.0) == 3 and type(tidy_number(3.0)) is int
    assert tidy_number(2.5) == 2.5
    assert math.isinf(tidy_number(math.inf))
    assert type(tidy_number(1e300)) is float  # too big for an int64: stays a float


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("2020-01-31", datetime.date(2020, 1, 31)),
        (" 2020-01-31 ", datetime.date(2020, 1, 31)),
        ("2020-01-31T10:20:30Z", datetime.date(2020, 1, 31)),
        ("2020-01-31 10:20:30+02:00", datetime.date(2020, 1, 31)),
        ("2020-02-30", None),
        ("31/01/2020", None),
        ("2020", None),
    ],
)
def test_parse_date(text: str, date: datetime.date | None) -> None:
    assert parse_date(text) == date


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("true", True),
        ("TRUE", True),
        ("yes", True),
        (" Yes ", True),
        ("false", False),
        ("no", False),
        ("No", False),
        ("NO", None),  # Norway's country code, far more often than a boolean
        ("y", None),
        ("1", None),
    ],
)
def test_parse_bool(text: str, value: bool | None) -> None:
    assert parse_bool(text) is value


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        ("", None),
        ("   ", None),
        ("540", 540),
        ("1,200", 1200),
        ("$12.5M", 12_500_000),
        ("2.5", 2.5),
        ("yes", True),
        ("false", False),
        ("2021-03-04", datetime.date(2021, 3, 4)),
        ("SaaS", "SaaS"),
        ("n/a", "n/a"),
        ("AWS; Okta", "AWS; Okta"),
        ("NO", "NO"),
        ("02139", "02139"),
        ("007", "007"),
        ("0", 0),
        ("0.25", 0.25),
    ],
)
def test_infer_cell_types_text_as_a_user_expects(cell: str, value: object) -> None:
    inferred = infer_cell(cell)
    assert inferred == value
    assert type(inferred) is type(value)


@given(st.text(alphabet="0123456789٣", min_size=1, max_size=30))
def test_infer_cell_reads_plain_digits_as_the_general_path_does(digits: str) -> None:
    """Digits-only cells take a short cut; a trailing space sends the same cell down
    the general path, which must agree (leading zeros keep the text, `٣` is not ASCII)."""
    fast, general = infer_cell(digits), infer_cell(digits + " ")
    if isinstance(general, str):
        general = general.rstrip()
    assert fast == general
    assert type(fast) is type(general)


def test_text_key_ignores_case_and_surrounding_space() -> None:
    assert text_key("  SaaS ") == text_key("saas") == "saas"
    assert text_key("Straße") == text_key("STRASSE")
    assert text_key("B2B  Software") != text_key("B2B Software")  # inner space kept


def test_is_number_and_is_missing() -> None:
    assert is_number(3) and is_number(2.5) and not is_number(True) and not is_number("3")
    for missing in (None, math.nan, "", " \t"):
        assert is_missing(missing)
    for present in (0, False, "0", [], math.inf):
        assert not is_missing(present)


@pytest.mark.parametrize(
    ("text", "number"),
    [("$32.035k", 32035), ("1.1k", 1100), ("-1.1k", -1100), ("2.345678k", 2345.678),
     ("0.000001M", 1), ("1.1k%", 11)],
)  # fmt: skip
def test_a_suffix_scales_decimals_exactly(text: str, number: int | float) -> None:
    # 32.035 * 1000 is 32034.999999999996 in floats: `revenue <= 32035` failed on "$32.035k"
    assert parse_number(text) == number
    assert type(parse_number(text)) is type(number)
