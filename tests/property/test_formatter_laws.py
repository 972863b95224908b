"""Formatter laws over generated programs: the AST and comments survive, and formatting
is idempotent (`parse(format(x))` has the AST of `parse(x)`; `format(format(x)) ==
format(x)`)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

import icpdsl
from tests.property.strategies_icp import programs


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(programs())
def test_format_keeps_the_program_and_is_idempotent(text: str) -> None:
    before = icpdsl.parse(text)
    formatted = icpdsl.format(text)
    after = icpdsl.parse(formatted)
    assert after.items == before.items
    assert [c.text.rstrip() for c in after.comments] == [c.text.rstrip() for c in before.comments]
    assert icpdsl.format(formatted) == formatted
    assert all(line == line.rstrip() for line in formatted.splitlines())
