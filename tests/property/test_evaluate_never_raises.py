"""Property: no record, however odd its values, makes `evaluate` raise, and the result
is always complete: a verdict, one outcome per rule, text and JSON that render."""

from __future__ import annotations

import datetime
import decimal
import json
import types
from pathlib import Path
from typing import Any

import attrs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import icpdsl
from icpdsl import Profile, Verdict, ast

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
DOCUMENTS = [icpdsl.load(path) for path in sorted(EXAMPLES.glob("*.icp"))]
PROFILES = {
    f"{Path(doc.filename).name}:{name}": profile
    for doc in DOCUMENTS
    for name, profile in doc.profiles.items()
}
AS_OF = datetime.date(2025, 6, 15)


def _paths(node: Any) -> set[tuple[str, ...]]:
    """Every field path a node (or a tuple of nodes) reads."""
    if isinstance(node, ast.Path):
        return {node.parts}
    if isinstance(node, tuple):
        return set().union(*(_paths(item) for item in node)) if node else set()
    if attrs.has(type(node)):
        return set().union(*(_paths(getattr(node, f.name)) for f in attrs.fields(type(node))))
    return set()


def _fields(profile: Profile) -> list[tuple[str, ...]]:
    found = _paths(tuple(rule.node for rule in profile.rules))
    found |= _paths(tuple(define.condition for define in profile.defines.values()))
    return sorted(found)


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(10**400), max_value=10**400),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(
        ["n/a", "$12.5M", "1,200", "12 people", "yes", "NO", "TRUE", " saas ", "SaaS",
         "Healthcare", "US", "AWS; Okta; Slack", "on_prem", "2020-02-30", "2024-05-01",
         "30%", "", "   ", "Series_B", "Salesforce, HubSpot"]
    ),
    st.dates(),
    st.datetimes(),
    st.binary(max_size=4),
    st.complex_numbers(allow_nan=True, allow_infinity=True),
    st.builds(object),
)  # fmt: skip
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.lists(inner, max_size=4).map(tuple),
        st.frozensets(st.text(max_size=6) | st.integers(), max_size=4),
        st.dictionaries(st.text(max_size=8), inner, max_size=4),
    ),
    max_leaves=8,
)


@st.composite
def records(draw: st.DrawFn, fields: list[tuple[str, ...]]) -> Any:
    data: dict[str, Any] = {}
    for parts in draw(st.lists(st.sampled_from(fields), unique=True)) if fields else []:
        target = data
        for part in parts[:-1]:
            nested = target.setdefault(part, {})
            target = nested if isinstance(nested, dict) else {}
        target[parts[-1]] = draw(values)
    data.update(draw(st.dictionaries(st.text(max_size=8), values, max_size=3)))
    shape = draw(st.sampled_from(["dict", "object", "odd"]))
    if shape == "object":
        return types.SimpleNamespace(**{k: v for k, v in data.items() if k.isidentifier()})
    if shape == "odd":
        return draw(values)  # not a record at all: a number, a list, None, ...
    return data


RECORDS = {name: records(_fields(profile)) for name, profile in PROFILES.items()}


def _check(profile: Profile, record: Any) -> None:
    result = profile.evaluate(record, as_of=AS_OF)
    assert isinstance(result.verdict, Verdict)
    assert len(result.rules) == len(profile.rules)
    assert (result.tier is not None) <= result.fit
    assert len(result.explain().splitlines()) == len(profile.rules) + 1
    json.dumps(result.to_dict())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_random_records_never_make_evaluate_raise(data: st.DataObject) -> None:
    for name, profile in PROFILES.items():
        record = data.draw(RECORDS[name], label=name)
        _check(profile, record)


@settings(max_examples=60, deadline=None)
@given(record=st.dictionaries(st.text(max_size=8), values, max_size=6))
def test_whole_documents_evaluate_random_records(record: dict[str, Any]) -> None:
    for doc in DOCUMENTS:
        results = doc.evaluate(record, as_of=AS_OF)
        assert len(results) >= 1
        json.dumps(results.to_dict())


def test_every_example_profile_is_covered() -> None:
    assert len(PROFILES) >= 6
    assert all(_fields(profile) for profile in PROFILES.values())


def test_decimal_values_are_numbers() -> None:
    profile = icpdsl.loads("revenue >= 10M").profile
    assert profile.evaluate({"revenue": decimal.Decimal("1.2E7")}, as_of=AS_OF).fit
