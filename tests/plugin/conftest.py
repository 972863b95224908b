"""Fixtures for testing the icpdsl pytest plugin through pytester."""

from __future__ import annotations

import lark.exceptions  # noqa: F401 - see below
import pytest

# pytester's in-process runs drop the modules a run imported when it ends. icpdsl's
# parser caches its Lark parser, so a run that first imported lark would leave the next
# run raising the old lark's exceptions, which the new lark's `except` does not catch:
# lark is imported here, before any run, and stays.

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
