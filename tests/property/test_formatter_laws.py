"""Formatter laws over generated programs: the AST and comments survive, and formatting
is idempotent (`parse(format(x))` has the AST of `parse(x)`; `format(format(x)) ==
format(x)`)."""

from __future__ import annotations

import importlib.resources

import lark
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.lark import from_lark

import icpdsl
from tests.property.strategies_icp import programs


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(programs())
def test_format_keeps_the_program_and_is_idempotent(text: str) -> None:
    before = icpdsl.parse(text)
    formatted = icpdsl.format(text)
    after = icpdsl.parse(formatted)
    assert after.items == before.items
    assert [c.text.rstrip() for c in after.comments] == [c.text.rstrip() for c in before.comments]
    assert icpdsl.format(formatted) == formatted
    assert all(line == line.rstrip() for line in formatted.splitlines())


# Strings the grammar itself generates (hypothesis.extra.lark), with realistic terminals;
# those the post-lexer's separator rules reject are skipped.
_GRAMMAR = lark.Lark(
    importlib.resources.files("icpdsl").joinpath("grammar.lark").read_text("utf-8"),
    parser="lalr",
    lexer="contextual",
)
_TERMINALS = {
    "NUMBER": st.sampled_from(["1", "200", "1_000", "$10M", "1.5B", "30%", "-5", "2.5"]),
    "DATE": st.sampled_from(["2020-01-01", "2024-02-29"]),
    "STRING": st.sampled_from(['"a b"', "'x'", '"q\\"uote"', '""']),
    "NAME": st.sampled_from(["employees", "tech", "x", "score", "age", "fit", "years", "b-2"]),
    "QUOTED_NAME": st.sampled_from(["`Annual Revenue`", "`in`", "`a.b`"]),
    "COMMENT": st.sampled_from(["# c", "#"]),
    "_SEP": st.sampled_from(["\n", ";", "\n\n"]),
    "POINTS": st.sampled_from(["+10", "-5", "+2.5"]),
}


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(from_lark(_GRAMMAR, explicit=_TERMINALS))
def test_format_laws_hold_for_strings_the_grammar_generates(text: str) -> None:
    try:
        before = icpdsl.parse(text)
    except icpdsl.ICPSyntaxError:
        assume(False)
        return
    formatted = icpdsl.format(text)
    assert icpdsl.parse(formatted).items == before.items
    assert icpdsl.format(formatted) == formatted
