"""Fixtures for testing the icpdsl pytest plugin through pytester."""

from __future__ import annotations

import pytest

#: ini lines that keep inner pytest runs fast: plugins the tests do not need stay off.
LEAN = "addopts = -p no:hypothesispytest -p no:cacheprovider\n"

#: A profile whose examples all pass, used by several plugin tests.
PASSING = """\
profile "Mid-market SaaS" {
  industry in [SaaS]
  employees 200..1000
  disqualify if requires on_prem: "needs on-prem"

  examples {
    fit "typical buyer" { industry: SaaS, employees: 540, requires: [] }
    not_fit "too small" { industry: SaaS, employees: 40 } because employees
    disqualified { industry: SaaS, employees: 500, requires: [on_prem] }
  }
}
"""


@pytest.fixture
def opted_in(pytester: pytest.Pytester) -> pytest.Pytester:
    """A project whose pytest ini opts in with `icp_files = *.icp`."""
    pytester.makeini(f"[pytest]\nicp_files = *.icp\nicp_as_of = 2025-06-30\n{LEAN}")
    return pytester
