"""How values are shown in reasons: numbers in the form of their rule's literal, list
items without thousands separators, singular units."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

import icpdsl
from icpdsl.gaps import changes_to_fit
from icpdsl.semantics.cells import parse_number
from icpdsl.semantics.shown import format_like, format_value, unit_text

AS_OF = datetime.date(2025, 6, 1)


@pytest.mark.parametrize(
    ("value", "literal", "shown"),
    [
        (2_000_000, "$10M", "$2M"),
        (8_000_000, "$10M", "$8M"),
        (2_100_000, "$10M", "$2.1M"),
        (500_000, "$10M", "$500k"),
        (2_500_000_000, "$1M", "$2.5B"),
        (-3_000_000, "$1M", "-$3M"),
        (32_456_789, "$10M", "$32,456,789"),  # not exact with a suffix: every digit
        (9_999_999, "$10M", "$9,999,999"),  # never rounded up to the bound
        (12_500, "50k", "12.5k"),
        (32_337, "$10M", "$32,337"),  # a suffix with five digits helps no one
        (999, "$1M", "$999"),
        (2_000_000, "$20,000,000", "$2,000,000"),
        (0.35, "20%", "35%"),
        (0.125, "20%", "12.5%"),
        (12, "20%", "1,200%"),
        (1_500, "1,000", "1,500"),
        (1_500, "200", "1,500"),  # a short literal says nothing: separators as usual
        (2_015, "2010", "2015"),  # years, codes: written without separators
        (85_200, "85200", "85200"),
        (1.5, "$10M", "$1.5"),
        ("n/a", "$10M", "n/a"),
        (True, "$10M", "true"),
        (float("nan"), "20%", "nan"),
    ],
)
def test_numbers_take_the_form_of_the_literal(value: object, literal: str, shown: str) -> None:
    assert format_like(value, literal) == shown


def test_a_huge_number_is_shown_as_format_value_shows_it() -> None:
    assert format_like(10**5000, "$10M") == format_value(10**5000) == "1e+5000"


@given(
    st.integers(-(10**14), 10**14),
    st.sampled_from(["$10M", "50k", "$1,000", "2010", "20%", "1,000", "5", "€2.5B"]),
)
def test_a_number_shown_like_a_literal_reads_back_as_itself(value: int, literal: str) -> None:
    assert parse_number(format_like(value, literal)) == value  # exactly: `$1.001k` is 1001


def test_list_items_never_get_thousands_separators() -> None:
    assert format_value([85200, 85310]) == "[85200, 85310]"
    assert format_value({1200.5, 3}) == "[1200.5, 3]"
    assert format_value(["a,b", 7]) == "[a,b, 7]"
    assert format_value(85200) == "85,200"  # a lone number keeps them


def test_units_are_singular_for_one() -> None:
    assert (unit_text(1, "years"), unit_text(2, "years"), unit_text(0, "days")) == (
        "year",
        "years",
        "days",
    )


PROFILE = icpdsl.loads(
    "age 3..10 years\nrevenue $10M..$50M\ngrowth >= 20%\nsic in [85200, 85310]\n"
    "founded_year >= 2010\nspend 0..$50M"
).profile


def test_reasons_write_numbers_as_the_rules_do() -> None:
    record = {
        "founded": "2024-01-01",
        "revenue": 2_000_000,
        "growth": 0.35,
        "sic": 85200,
        "founded_year": 2005,
        "spend": 7.5e7,
    }
    reasons = [o.reason for o in PROFILE.evaluate(record, as_of=AS_OF).rules]
    assert reasons == [
        "age 1 year (since 2024-01-01) is below 3..10 years (2 years short)",
        "revenue $2M is below $10M..$50M ($8M short)",
        "growth 35% is >= 20%",
        "sic 85200 is in [85200, 85310]",
        "founded_year 2005 is not >= 2010",
        "spend $75M is above 0..$50M ($25M over)",
    ]
    compiled = PROFILE.compile(AS_OF).evaluate(record)
    assert [o.reason for o in compiled.rules] == reasons


def test_changes_to_fit_write_numbers_as_the_rules_do() -> None:
    record = {"founded": "2024-01-01", "revenue": 2e6, "growth": 0.15, "sic": 85201}
    record["founded_year"] = 2005
    changes = [c.text for c in changes_to_fit(PROFILE, record, AS_OF)]
    assert changes[:5] == [
        "age 2024-01-01: needs 3..10 years (2 years short)",
        "revenue $2M: needs $10M..$50M ($8M short)",
        "growth 15%: needs >= 20% (5% short)",
        "sic 85201: needs one of [85200, 85310]",
        "founded_year 2005: needs >= 2010 (5 short)",
    ]


@given(st.text(alphabet=st.sampled_from("aé ✓\x1b\n\t\r\x00\u200b\u2028\x7f\u00a0-=")))
def test_escape_changes_only_what_cannot_be_printed(text: str) -> None:
    """`escape` hands printable text back as it is (one pass in C) and spells every other
    character as its escape, so shown text stays one line and drives no terminal."""
    from icpdsl.source import escape

    shown = escape(text)
    assert shown == "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
    assert shown.isprintable()
    assert (shown is text) == text.isprintable() or not text
