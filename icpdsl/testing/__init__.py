"""Testing ICPs as code: assertions, the examples runner and rule coverage.

The pytest plugin lives in `icpdsl.testing.plugin` and Hypothesis strategies in
`icpdsl.strategies`; neither pytest nor Hypothesis is imported from here.
"""

from .assertions import (
    assert_disqualified,
    assert_fit,
    assert_not_fit,
    assert_tier,
    assert_unknown,
    assert_verdict,
)
from .coverage import Coverage, CoverageTracker, ProfileCoverage, RuleCoverage
from .examples import ExampleRun, example_names, run_example, run_examples
from .expectations import Expectation
from .literals import record_from_literal

__all__ = [
    "Coverage",
    "CoverageTracker",
    "ExampleRun",
    "Expectation",
    "ProfileCoverage",
    "RuleCoverage",
    "assert_disqualified",
    "assert_fit",
    "assert_not_fit",
    "assert_tier",
    "assert_unknown",
    "assert_verdict",
    "example_names",
    "record_from_literal",
    "run_example",
    "run_examples",
]
