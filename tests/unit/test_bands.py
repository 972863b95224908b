"""Size and revenue bands (`250 to 499`, `10,001+`): parsed, compared as a whole, explained."""

from __future__ import annotations

import datetime
import functools
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import icpdsl
from icpdsl.semantics.bands import Band, parse_band

AS_OF = datetime.date(2025, 6, 15)


@pytest.mark.parametrize(
    ("text", "low", "high", "low_open", "high_open"),
    [
        ("250 to 499", 250, 499, False, False),
        ("5000 to 19,999", 5000, 19_999, False, False),
        ("51-200", 51, 200, False, False),
        ("1,001-5,000 employees", 1001, 5000, False, False),
        ("201 - 500 employees", 201, 500, False, False),
        ("1 – 10", 1, 10, False, False),
        ("between 200 and 1000", 200, 1000, False, False),
        ("$1M-$10M", 1_000_000, 10_000_000, False, False),
        ("10,001+", 10_001, None, False, False),
        ("20,000 or more", 20_000, None, False, False),
        ("5000+ staff", 5000, None, False, False),
        ("over 1B", 1_000_000_000, None, True, False),
        ("Less than 250", 0, 250, False, True),
        ("up to 50", 0, 50, False, False),
    ],
)
def test_bands_as_registers_and_enrichment_tools_write_them(
    text: str, low: int, high: int | None, low_open: bool, high_open: bool
) -> None:
    assert parse_band(text) == Band(low, high, low_open, high_open, text)


@pytest.mark.parametrize(
    "text", ["12", "1,200", "$12.5M", "2020-01-01", "-5-10", "50 to 20", "a-b", "Not Provided", ""]
)
def test_numbers_dates_and_words_are_not_bands(text: str) -> None:
    assert parse_band(text) is None


def test_a_long_cell_is_refused_at_once() -> None:
    hostile = " " * 200_000 + "1" + " " * 200_000 + "x"
    start = time.perf_counter()
    assert parse_band(hostile) is None
    assert time.perf_counter() - start < 0.5  # linear: no regular expression sees it


@functools.cache
def profile(condition: str) -> icpdsl.Profile:
    return icpdsl.loads(condition).profile


def status(condition: str, value: object) -> str:
    [rule] = profile(condition).evaluate({"employees": value}, as_of=AS_OF).rules
    return rule.status


@pytest.mark.parametrize(
    ("condition", "band", "expected"),
    [
        ("employees 200..1000", "250 to 499", "pass"),
        ("employees 200..1000", "5000 to 19,999", "fail"),
        ("employees 200..1000", "51-150", "fail"),
        ("employees 200..1000", "1000 to 4999", "unknown"),
        ("employees 200..", "10,001+", "pass"),
        ("employees ..1000", "10,001+", "fail"),
        ("employees >= 250", "Less than 250", "fail"),
        ("employees < 250", "Less than 250", "pass"),
        ("employees > 250", "250 to 499", "unknown"),
        ("employees > 249", "250 to 499", "pass"),
        ("employees == 300", "250 to 499", "unknown"),
        ("employees != 300", "500 to 999", "pass"),
        ("employees != 7", "7-7", "fail"),
    ],
)
def test_a_band_decides_a_rule_only_when_it_is_wholly_on_one_side(
    condition: str, band: str, expected: str
) -> None:
    assert status(condition, band) == expected


def test_the_explanation_names_the_band() -> None:
    result = icpdsl.loads("employees 200..1000").profile.evaluate(
        {"employees": "1000 to 4999"}, as_of=AS_OF
    )
    [rule] = result.rules
    assert rule.reason == "employees 1000 to 4999 is only partly within 200..1000"
    assert rule.to_dict()["actual"] == "1000 to 4999"
    assert result.verdict == "unknown"


def test_a_typed_field_reads_a_band_cell_as_a_band_not_an_invalid_number() -> None:
    profile = icpdsl.loads(
        'fields { employees: int from "EmployerSize" }\nemployees 250..999'
    ).profile
    result = profile.evaluate({"EmployerSize": "500 to 999"}, as_of=AS_OF)
    assert result.verdict == "fit"
    assert profile.evaluate({"EmployerSize": "Not Provided"}, as_of=AS_OF).rules[0].reason == (
        "employees is 'Not Provided', not a number (expected int)"
    )


@pytest.mark.parametrize("band", ["250 to 499", "1000 to 4999", "10,001+", "Less than 250"])
def test_the_compiled_scorer_agrees_on_bands(band: str) -> None:
    profile = icpdsl.loads("employees 200..1000\nrevenue >= 10M").profile
    record = {"employees": band, "revenue": "$10M-$50M"}
    reference = profile.evaluate(record, as_of=AS_OF)
    assert profile.compile(AS_OF)(record) == (reference.verdict, reference.score, reference.tier)


OPS = ["==", "!=", "<", "<=", ">", ">="]


@settings(deadline=None)
@given(
    low=st.integers(0, 40),
    width=st.integers(0, 12),
    open_end=st.sampled_from(["", "+", "less"]),
    rule=st.one_of(
        st.tuples(st.just("range"), st.integers(0, 50), st.integers(0, 50)),
        st.tuples(st.sampled_from(OPS), st.integers(0, 50), st.just(0)),
    ),
)
def test_a_band_is_true_when_every_count_in_it_passes_false_when_none_does(
    low: int, width: int, open_end: str, rule: tuple[str, int, int]
) -> None:
    """The law, checked against the band's numbers in steps of one half (open ends to 200).

    Halves, not whole numbers: a band is a range of real numbers (revenue is one), so
    `Less than 8` holds 7.5 and is only partly within `0..7`.
    """
    if open_end == "+":
        text, ends = f"{low}+", (low, 200)
    elif open_end == "less":
        text, ends = f"Less than {low + 1}", (0, low + 0.5)
    else:
        text, ends = f"{low} to {low + width}", (low, low + width)
    numbers = [ends[0] + step / 2 for step in range(int((ends[1] - ends[0]) * 2) + 1)]
    kind, a, b = rule
    condition = f"employees {a}..{b}" if kind == "range" else f"employees {kind} {a}"
    singles = {status(condition, n) for n in numbers}
    want = "pass" if singles == {"pass"} else "fail" if singles == {"fail"} else "unknown"
    assert status(condition, text) == want
