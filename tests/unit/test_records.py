"""Records: reading (dotted) fields from mappings, dataclasses, attrs, objects and rows."""

from __future__ import annotations

import dataclasses
import decimal
import math
from collections.abc import Iterator, Mapping
from typing import Any

import attrs
import pytest

from icpdsl import MISSING
from icpdsl.records import get_field, lookup, loose_key


@dataclasses.dataclass
class HQ:
    country: str
    city: str | None = None


@attrs.frozen
class Account:
    name: str
    hq: HQ


class Row(Mapping[str, Any]):
    """A read-only mapping such as a database row."""

    def __init__(self, data: dict[str, Any]) -> None:
        self._data = data

    def __getitem__(self, key: str) -> Any:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)


def test_fields_of_dicts_dataclasses_attrs_and_nested_records() -> None:
    account = Account("Acme", HQ("US"))
    assert get_field(account, ("name",)) == "Acme"
    assert get_field(account, ("hq", "country")) == "US"
    assert get_field({"hq": {"country": "CA"}}, ("hq", "country")) == "CA"
    assert get_field({"hq": account.hq}, ("hq", "country")) == "US"
    assert get_field(Row({"Employees": 5}), ("employees",)) == 5


def test_a_flat_column_with_a_dotted_name_is_found() -> None:
    assert get_field({"hq.country": "DE"}, ("hq", "country")) == "DE"


@pytest.mark.parametrize(
    "record",
    [
        {},
        {"hq": None},
        {"hq": {}},
        {"hq": {"country": None}},
        {"hq": {"country": "  "}},
        {"hq": {"country": math.nan}},
        {"hq": {"country": decimal.Decimal("NaN")}},
        {"hq": "US"},
        {"hq": ["US"]},
        {"hq": 5},
        Account("Acme", HQ("")),
        None,
        42,
        "text",
        object(),
    ],
)
def test_absent_blank_and_unreachable_values_are_missing(record: Any) -> None:
    assert get_field(record, ("hq", "country")) is MISSING


def test_column_names_match_loosely() -> None:
    assert loose_key("Annual Revenue") == loose_key("annual-revenue") == "annual_revenue"
    assert loose_key(" HQ.Country ") == "hq_country"
    assert get_field({"Annual Revenue": 5}, ("annual_revenue",)) == 5
    assert get_field({"annual-revenue": 5}, ("Annual Revenue",)) == 5


def test_an_exact_key_wins_over_a_loose_one() -> None:
    assert lookup({"Employees": 1, "employees": 2}, "employees") == 2


def test_falsy_values_are_present() -> None:
    record = {"a": 0, "b": False, "c": [], "d": "0"}
    assert [get_field(record, (k,)) for k in "abcd"] == [0, False, [], "0"]


def test_hostile_records_read_as_missing() -> None:
    class Exploding:
        def __getattr__(self, name: str) -> Any:
            raise RuntimeError("boom")

    class BadKeys(dict[str, Any]):
        def keys(self) -> Any:  # type: ignore[override]
            raise RuntimeError("boom")

    assert get_field(Exploding(), ("x",)) is MISSING
    assert get_field(BadKeys(), ("x",)) is MISSING


def test_missing_is_a_falsy_singleton() -> None:
    assert not MISSING
    assert repr(MISSING) == "MISSING"
    assert type(MISSING)() is MISSING


def test_names_made_loose_are_kept_within_bounds() -> None:
    """`loose_key` remembers short names only, and no more than it may: a record with a
    million-character key, or a million keys, does not grow the process."""
    from icpdsl import records

    huge = "Annual Revenue " * 70_000
    assert loose_key(huge) == loose_key(huge + " ")
    assert huge not in records._LOOSE_KEYS
    for number in range(records._KEPT_NAMES + 10):
        assert loose_key(f"Column {number}") == f"column_{number}"
    assert len(records._LOOSE_KEYS) <= records._KEPT_NAMES


def test_a_plain_dict_without_the_key_is_read_loosely_and_not_found_otherwise() -> None:
    assert lookup({"Annual Revenue": 5}, "annual_revenue") == 5
    assert lookup({"Annual Revenue": None}, "annual-revenue") is None
    assert lookup({"revenue": 5}, "annual_revenue") is MISSING
