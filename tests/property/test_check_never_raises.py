"""`icpdsl.check` reports, never raises: over generated programs (most of which have
errors: unknown imports, undeclared fields, clashing uses) it returns diagnostics that
each render, sorted by location, and lint runs on every program that loads."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

import icpdsl
from icpdsl.errors import Diagnostic
from tests.property.strategies_icp import programs


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(programs())
def test_check_returns_sorted_renderable_diagnostics(text: str) -> None:
    found = icpdsl.check(text)
    assert found == sorted(found, key=Diagnostic.sort_key)
    for diagnostic in found:
        assert diagnostic.format().startswith(f"<string>:{diagnostic.line}:")
        assert diagnostic.severity in ("error", "warning")
    errors = [d for d in found if d.severity == "error"]
    assert not errors or all(d.severity == "error" for d in found)  # no lint without a load
