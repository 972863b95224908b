"""The compiled code answers every `has` and list match on a list field in one loop over
its items (compile/python.py, `answer_item_tests`): random sets of such tests on one
field, asked by every kind of rule, through defines and `and`/`or`/`not`, against
random lists (duplicates, case and spacing variants, numbers, booleans, dates, blanks),
tuples, sets and list text give the reference's verdict, score, tier and explanations."""

from __future__ import annotations

import datetime
import types
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

import icpdsl
from icpdsl.compile.python import compile_profile
from icpdsl.evaluator import evaluate_profile

AS_OF = datetime.date(2025, 6, 15)

#: Targets of one kind each (a field's tests must agree on its type): text, numbers,
#: dates.
TARGETS = [
    ["AWS", "okta", "GCP", '"Sales Force"', '"1"', "true"],
    ["1", "2.5", "$1M", "1_000_000"],
    ["2024-01-01", "2020-01-01"],
]
ITEMS: list[Any] = [
    "AWS", " aws ", "AWS\t", "Okta", "OKTA", "okta", "gcp", "Sales Force", "sales  force",
    "", "  ", 1, 1.0, 2.5, True, False, None, "1", "2.5", "true", "1000000",
    datetime.date(2024, 1, 1), "2024-01-01", "a; b", "\u00a0gcp\u3000",
]  # fmt: skip


@st.composite
def item_tests(draw: st.DrawFn, targets: list[str]) -> str:
    """One test on `tech`: `has` in each mode, or a bare match (of text: a bare number
    or date is the field's own value, which makes `tech` a number or a date)."""
    text = targets is TARGETS[0]
    kind = draw(st.sampled_from(["any", "all", "none", "one", *(["match"] if text else [])]))
    if kind in ("one", "match"):
        # a bare `true` is a boolean comparison, not a match
        target = draw(st.sampled_from([t for t in targets if kind == "one" or t != "true"]))
        return f"tech has {target}" if kind == "one" else f"tech {target}"
    chosen = draw(st.lists(st.sampled_from(targets), min_size=1, max_size=4))
    return f"tech has {kind} [{', '.join(chosen)}]"


@st.composite
def conditions(draw: st.DrawFn, targets: list[str]) -> str:
    """An item test, negated or joined with another one or with another field's test."""
    first = draw(item_tests(targets))
    shape = draw(st.integers(0, 4))
    if shape == 1:
        return f"not {first}"
    if shape in (2, 3):
        other = draw(st.one_of(item_tests(targets), st.just("employees >= 100")))
        return f"({first} {'and' if shape == 2 else 'or'} {other})"
    if shape == 4:
        return "cloud"  # the define below
    return first


@st.composite
def profiles(draw: st.DrawFn) -> str:
    targets = draw(st.sampled_from(TARGETS))
    lines = [f"define cloud = {draw(item_tests(targets))}"]
    for _ in range(draw(st.integers(1, 5))):
        kind = draw(st.sampled_from(["criterion", "points", "disqualifier"]))
        condition = draw(conditions(targets))
        if kind == "points":
            lines.append(f"+{draw(st.integers(1, 9))} if {condition}")
        elif kind == "disqualifier":
            lines.append(f"disqualify if {condition}")
        else:
            lines.append(condition)
    if draw(st.booleans()):
        lines += [f"tier A if {draw(conditions(targets))}", "tier B otherwise"]
    return "\n".join(lines) + "\n"


def _tech_values() -> st.SearchStrategy[Any]:
    items = st.lists(st.sampled_from(ITEMS), max_size=6)
    text = st.lists(st.sampled_from(["AWS", "okta", "gcp", "Sales Force", "1"]), max_size=4)
    return st.one_of(
        items,
        items,
        items.map(tuple),
        text.map(set),
        text.map("; ".join),
        st.sampled_from([None, 7, "  "]),
    )


@settings(max_examples=300, deadline=None)
@given(text=profiles(), techs=st.lists(_tech_values(), min_size=1, max_size=6))
def test_item_tests_answer_as_the_reference_does(text: str, techs: list[Any]) -> None:
    profile = icpdsl.loads(text).profile
    compiled = compile_profile(profile, AS_OF)
    for tech in techs:
        for record in ({"tech": tech, "employees": 150}, {"Tech": tech}):
            expected = evaluate_profile(profile, record, AS_OF)
            wanted = (expected.verdict, expected.score, expected.tier)
            assert compiled(record) == wanted, (text, record)
            assert compiled(types.MappingProxyType(record)) == wanted, (text, record)
            assert compiled.evaluate(record).to_dict() == expected.to_dict(), (text, record)
