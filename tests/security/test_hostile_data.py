"""Hostile records: odd values give a defined rule outcome (usually `unknown` with a
reason), never an exception, and text cells never take super-linear time."""

from __future__ import annotations

import datetime
import decimal
import json
import math
import time
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import icpdsl
from icpdsl.result import Status
from icpdsl.schema import from_python
from icpdsl.semantics.cells import as_items, infer_cell, parse_date, parse_number, split_items

AS_OF = datetime.date(2025, 6, 30)
EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples").glob("*.icp"))

#: One rule per kind of predicate, so every visitor meets every hostile value.
EVERY_PREDICATE = """
n 10..100
n >= 5
n == 7
tags has any [a, b]
tags has all [a]
tags has none [c]
tags has a
kind in [x, y]
kind not in [z]
country US
founded within 5 years
age 3..10 years
flag
n is known
n is missing
"""


class _RaisingAttributes:
    def __getattr__(self, name: str) -> Any:
        raise RuntimeError(f"no {name} for you")


class _RaisingMapping(dict[str, Any]):
    def __getitem__(self, key: str) -> Any:
        raise RuntimeError("boom")

    def keys(self) -> Any:  # type: ignore[override]
        raise RuntimeError("boom")


class _RaisingValue:
    """A value that refuses to be compared, hashed, printed or converted."""

    def __eq__(self, other: object) -> bool:
        raise RuntimeError("eq")

    def __hash__(self) -> int:
        raise RuntimeError("hash")

    def __repr__(self) -> str:
        raise RuntimeError("repr")

    def __str__(self) -> str:
        raise RuntimeError("str")

    def __lt__(self, other: object) -> bool:
        raise RuntimeError("lt")

    def __float__(self) -> float:
        raise RuntimeError("float")

    def __bool__(self) -> bool:
        raise RuntimeError("bool")

    def __iter__(self) -> Any:
        raise RuntimeError("iter")


HOSTILE_VALUES: dict[str, Any] = {
    "nan": math.nan,
    "inf": math.inf,
    "-inf": -math.inf,
    "huge-int": 10**400,
    "huge-negative": -(10**400),
    "int-over-float-range": 2**1100,
    "huge-digit-text": "9" * 5_000,
    "huge-money-text": "$" + "9" * 400 + "B",
    "huge-percent-text": "1" * 1_000 + "%",
    "true": True,
    "false": False,
    "bytes": b"a",
    "invalid-utf8-bytes": b"\xff\xfe",
    "bytearray": bytearray(b"a"),
    "list-of-lists": [[1, [2]], ["a"]],
    "dict": {"a": 1},
    "set-of-mixed": {1, "a", (2, 3)},
    "empty-list": [],
    "tuple": ("a", "b"),
    "decimal-nan": decimal.Decimal("NaN"),
    "decimal-snan": decimal.Decimal("sNaN"),
    "decimal-inf": decimal.Decimal("Infinity"),
    "decimal-huge": decimal.Decimal("1e999999"),
    "complex": complex(1, 2),
    "datetime-max": datetime.datetime.max,
    "date-min": datetime.date.min,
    "timedelta": datetime.timedelta(days=3),
    "nul-text": "\x00",
    "control-text": "\x1b[31mred\x1b[0m\r\n",
    "nan-text": "nan",
    "inf-text": "inf",
    "exp-text": "1e400",
    "spaces": " " * 10_000,
    "separators": ";" * 10_000,
    "raising-value": _RaisingValue(),
    "list-of-raising": [_RaisingValue()],
    "object": object(),
    "type": int,
    "function": len,
    "range": range(10**12),
    "generator": (i for i in range(3)),
    "negative-zero": -0.0,
    "year-zero-text": "0000-01-01",
    "bad-date-text": "2024-02-30",
}
FIELDS = ("n", "tags", "kind", "country", "founded", "age", "flag")


def _judge(profile: icpdsl.Profile, record: Any) -> icpdsl.Result:
    """The reference's result, after checking it explains itself and that the compiled
    path gives the identical result (its JSON: hostile values may refuse `==`)."""
    result = profile.evaluate(record, as_of=AS_OF)
    result.explain()
    expected = json.dumps(result.to_dict())
    assert len(result.rules) == len(profile.rules)
    for outcome in result.rules:
        assert outcome.status in typing.get_args(Status)
    compiled = profile.compile(AS_OF).evaluate(record)
    assert json.dumps(compiled.to_dict()) == expected
    assert compiled.explain() == result.explain()
    return result


@pytest.fixture(scope="module")
def every_predicate() -> icpdsl.Profile:
    return icpdsl.loads(EVERY_PREDICATE).profile


@pytest.mark.parametrize("name", HOSTILE_VALUES)
def test_a_hostile_value_in_any_field_gives_outcomes(
    every_predicate: icpdsl.Profile, name: str
) -> None:
    for field in FIELDS:
        _judge(every_predicate, {field: HOSTILE_VALUES[name]})


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_hostile_values_against_the_example_profiles(path: Path) -> None:
    doc = icpdsl.load(path)
    for profile in doc.profiles.values():
        fields = {p.name for r in profile.rules for p in _paths(r.node)}
        for value in HOSTILE_VALUES.values():
            _judge(profile, dict.fromkeys(fields, value))


def _paths(node: Any) -> list[Any]:
    found = []
    stack = [getattr(node, "condition", None)]
    while stack:
        item = stack.pop()
        if item is None:
            continue
        if hasattr(item, "field"):
            found.append(item.field)
        stack.extend(getattr(item, "operands", ()))
        if hasattr(item, "operand"):
            stack.append(item.operand)
    return found


@pytest.mark.parametrize(
    "record",
    [
        _RaisingAttributes(),
        _RaisingMapping(n=5),
        None,
        42,
        "a string",
        b"bytes",
        [("n", 5)],
        _RaisingValue(),
    ],
    ids=["raising-getattr", "raising-getitem", "none", "int", "str", "bytes", "list", "raising"],
)
def test_a_record_that_is_not_a_record_reads_as_all_missing(
    every_predicate: icpdsl.Profile, record: Any
) -> None:
    result = _judge(every_predicate, record)
    assert result.verdict.value == "not_fit"  # only `n is missing` can hold
    statuses = {o.rule: o.status for o in result.rules}
    assert statuses["n is missing"] == "pass"
    assert statuses["n 10..100"] == "unknown"


# ------------------------------------------------------------------ defined outcomes


def _status(rule: str, value: Any) -> tuple[str, str]:
    outcome = icpdsl.loads(rule).profile.evaluate({"n": value}, as_of=AS_OF).rules[0]
    return outcome.status, outcome.reason


@pytest.mark.parametrize(
    ("value", "status", "reason"),
    [
        (math.nan, "unknown", "n is missing"),
        (decimal.Decimal("NaN"), "unknown", "n is missing"),
        (decimal.Decimal("sNaN"), "unknown", "n is missing"),
        (math.inf, "fail", "n inf is above 10..100"),
        (-math.inf, "fail", "n -inf is below 10..100"),
        (10**400, "fail", "is above 10..100"),
        ("9" * 5_000, "fail", "is above 10..100"),
        (True, "unknown", "n is true (boolean), not a number"),
        (b"50", "unknown", "not a number"),
        ([50], "unknown", "not a number"),
        ({"n": 50}, "unknown", "not a number"),
        (decimal.Decimal("50"), "pass", "is within 10..100"),
        (" 50 ", "pass", "is within 10..100"),
    ],
    ids=lambda v: type(v).__name__ if not isinstance(v, str) or len(v) < 10 else "long",
)
def test_numbers_from_hostile_values(value: Any, status: str, reason: str) -> None:
    got_status, got_reason = _status("n 10..100", value)
    assert got_status == status
    assert reason in got_reason


def test_a_boolean_is_not_a_number_and_a_number_is_not_a_boolean() -> None:
    assert _status("n >= 1", True)[0] == "unknown"
    assert _status("n == 0", False)[0] == "unknown"
    assert icpdsl.loads("flag").profile.evaluate({"flag": 2}).rules[0].status == "unknown"


def test_nested_containers_where_a_scalar_is_expected_are_unknown() -> None:
    for rule in ("n == SaaS", "n in [SaaS]", "n >= 2020-01-01", "n within 2 years"):
        assert _status(rule, {"a": [1, {"b": 2}]})[0] == "unknown", rule


def test_raising_values_and_reprs_still_explain() -> None:
    profile = icpdsl.loads("n in [a, b]\ntags has a").profile
    result = profile.evaluate({"n": _RaisingValue(), "tags": [_RaisingValue()]}, as_of=AS_OF)
    assert "<_RaisingValue>" in result.explain()
    assert result.to_dict()["rules"][0]["status"] == "unknown"


# ------------------------------------------------------------------ linear time


_MONEY = from_python({"m": "money"})
LINEAR_CASES: list[tuple[str, Callable[[str], Any], Callable[[int], str]]] = [
    ("parse_number spaces", parse_number, lambda n: " " * n + "x"),
    ("parse_number digits", parse_number, lambda n: "1" * n + "x"),
    ("parse_number digit-space", parse_number, lambda n: "1" + " " * n + "x"),
    ("parse_number signs", parse_number, lambda n: "+" + " " * n + "$" + " " * n + "x"),
    ("parse_number grouping", parse_number, lambda n: "1" + ",000" * n + "x"),
    ("parse_number underscores", parse_number, lambda n: "1" + "_" * n + "x"),
    ("infer_cell", infer_cell, lambda n: "1" + " " * n + "x"),
    ("parse_date", parse_date, lambda n: "2020-01-01T" + "1" * n + "x"),
    ("split_items", split_items, lambda n: "a" + " " * n + "b"),
    ("as_items", as_items, lambda n: "a" + " " * n + "; " + " " * n + "b"),
    ("schema money", lambda text: _MONEY.read({"m": text}, ("m",)), lambda n: "+" + " " * n + "5"),
    ("schema money code", lambda text: _MONEY.read({"m": text}, ("m",)), lambda n: " " * n + "x"),
    ("percent", parse_number, lambda n: "1" * 3_000 + "%" + " " * n),
]


@pytest.mark.parametrize(
    ("function", "make"), [c[1:] for c in LINEAR_CASES], ids=[c[0] for c in LINEAR_CASES]
)
def test_text_cells_are_parsed_in_linear_time(
    function: Callable[[str], Any], make: Callable[[int], str]
) -> None:
    # Quadratic (or worse) backtracking takes minutes on 200,000 characters; linear, ms.
    started = time.perf_counter()
    function(make(200_000))
    assert time.perf_counter() - started < 1.0


def test_a_huge_cell_evaluates_in_linear_time(every_predicate: icpdsl.Profile) -> None:
    cell = "a" + " " * 300_000 + "; " + "b" * 300_000
    started = time.perf_counter()
    _judge(every_predicate, dict.fromkeys(FIELDS, cell))
    assert time.perf_counter() - started < 3.0
