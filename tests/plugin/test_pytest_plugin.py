"""The pytest plugin, run through pytester: opt-in, ids, passes, failures and their output."""

from __future__ import annotations

from importlib.metadata import entry_points

import pytest

from .conftest import LEAN, PASSING

FAILING = """\
profile "Mid-market SaaS" {
  employees 200..1000

  examples {
    fit "big enough" { employees: 150 }
    not_fit "too big" { employees: 5000 } because employees
  }
}
"""


def test_the_plugin_is_registered_through_the_pytest11_entry_point() -> None:
    plugins = {ep.name: ep.value for ep in entry_points(group="pytest11")}
    assert plugins.get("icpdsl") == "icpdsl.testing.plugin"


def test_nothing_is_collected_without_opting_in(pytester: pytest.Pytester) -> None:
    pytester.makeini(f"[pytest]\n{LEAN}")
    pytester.makefile(".icp", security=PASSING)
    result = pytester.runpytest("--collect-only", "-q")
    assert result.ret == pytest.ExitCode.NO_TESTS_COLLECTED
    assert "security.icp" not in result.stdout.str()


def test_an_empty_icp_files_setting_collects_nothing(pytester: pytest.Pytester) -> None:
    pytester.makeini(f"[pytest]\nicp_files =\n{LEAN}")
    pytester.makefile(".icp", security=PASSING)
    assert pytester.runpytest().ret == pytest.ExitCode.NO_TESTS_COLLECTED


def test_each_example_is_an_item_with_a_readable_id(opted_in: pytest.Pytester) -> None:
    opted_in.makefile(".icp", security=PASSING)
    result = opted_in.runpytest("--collect-only", "-q")
    result.stdout.fnmatch_lines(
        [
            "security.icp::Mid-market SaaS::typical buyer",
            "security.icp::Mid-market SaaS::too small",
            "security.icp::Mid-market SaaS::disqualified (line 9)",
        ]
    )


def test_passing_examples_pass(opted_in: pytest.Pytester) -> None:
    opted_in.makefile(".icp", security=PASSING)
    opted_in.makepyfile(test_plain="def test_plain():\n    assert True\n")
    opted_in.runpytest().assert_outcomes(passed=4)


def test_a_failure_shows_the_explanation_not_a_python_stack(opted_in: pytest.Pytester) -> None:
    opted_in.makefile(".icp", security=FAILING)
    result = opted_in.runpytest("-ra")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        [
            "*_ security.icp::Mid-market SaaS::big enough _*",
            "expected verdict fit, got not_fit",
            'security.icp:5: example "big enough" of profile "Mid-market SaaS"',
            "  expected: fit",
            "  actual:   not_fit (score 0)",
            "  - expected verdict fit, got not_fit",
            '  record: {"employees": 150}',
            "  explanation:",
            "    Mid-market SaaS: not_fit (score 0)",
            "      ✗ employees 200..1000 — employees 150 is below 200..1000 (50 short)",
            "FAILED security.icp::Mid-market SaaS::big enough - expected verdict*",
        ]
    )
    output = result.stdout.str()
    assert "Traceback" not in output and "plugin.py" not in output and "raise " not in output


def test_a_broken_file_is_a_located_collection_error(opted_in: pytest.Pytester) -> None:
    opted_in.makefile(".icp", broken='profile "B" {\n  employees 200..\n  examples {\n    fit {')
    result = opted_in.runpytest()
    assert result.ret == pytest.ExitCode.INTERRUPTED
    result.stdout.fnmatch_lines(["*broken.icp:4:*syntax error*", "*hint:*"])
    assert "Traceback" not in result.stdout.str()


def test_globs_choose_the_files(pytester: pytest.Pytester) -> None:
    pytester.makeini(f"[pytest]\nicp_files = profiles/*.icp extra.icp\n{LEAN}")
    pytester.mkdir("profiles")
    (pytester.path / "profiles" / "a.icp").write_text(PASSING, encoding="utf-8")
    pytester.makefile(".icp", extra=PASSING, ignored=FAILING)
    result = pytester.runpytest("--collect-only", "-q")
    ids = [line for line in result.stdout.lines if "::" in line]
    assert {i.split("::")[0] for i in ids} == {"profiles/a.icp", "extra.icp"}


def test_keyword_selection_picks_examples(opted_in: pytest.Pytester) -> None:
    opted_in.makefile(".icp", security=PASSING)
    opted_in.runpytest("-k", "too and small").assert_outcomes(passed=1, deselected=2)


def test_as_of_comes_from_the_command_line_or_the_ini(pytester: pytest.Pytester) -> None:
    recent = (
        "last_funding within 18 months\n"
        'examples {\n  fit "recent" { last_funding: 2025-01-15 }\n}\n'
    )
    pytester.makefile(".icp", funding=recent)
    pytester.makeini(f"[pytest]\nicp_files = *.icp\nicp_as_of = 2025-06-30\n{LEAN}")
    pytester.runpytest().assert_outcomes(passed=1)
    pytester.runpytest("--icp-as-of", "2030-01-01").assert_outcomes(failed=1)
    bad = pytester.runpytest("--icp-as-of", "soon")
    assert bad.ret == pytest.ExitCode.USAGE_ERROR
    assert "icp_as_of: not a date (YYYY-MM-DD): 'soon'" in bad.stderr.str()


def test_runs_under_xdist_and_workers_report_coverage(opted_in: pytest.Pytester) -> None:
    opted_in.makefile(".icp", security=PASSING)
    result = opted_in.runpytest("-n", "2", "--icp-min-coverage", "90")
    result.assert_outcomes(passed=3)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(
        [
            "security.icp: Mid-market SaaS: 83.3% (5/6 outcomes, 3 examples)",
            "FAIL: rule coverage 83.3% is below the minimum 90%",
        ]
    )


def test_rule_coverage_is_reported_on_request(opted_in: pytest.Pytester) -> None:
    opted_in.makefile(".icp", security=PASSING)
    result = opted_in.runpytest("--icp-coverage")
    result.assert_outcomes(passed=3)
    result.stdout.fnmatch_lines(
        [
            "*- ICP rule coverage -*",
            "security.icp: Mid-market SaaS: 83.3% (5/6 outcomes, 3 examples)",
            "  ✗ line 2    industry in [SaaS]  [pass]  (never fail)",
            "  ✓ line 3    employees 200..1000  [pass, fail]",
            "rule coverage: 83.3% (5/6 outcomes)",
        ]
    )
    assert "ICP rule coverage" not in opted_in.runpytest().stdout.str()


def test_min_coverage_fails_the_run_below_the_threshold(opted_in: pytest.Pytester) -> None:
    opted_in.makefile(".icp", security=PASSING)
    below = opted_in.runpytest("--icp-min-coverage", "90")
    assert below.ret == pytest.ExitCode.TESTS_FAILED
    below.stdout.fnmatch_lines(["FAIL: rule coverage 83.3% is below the minimum 90%"])
    assert opted_in.runpytest("--icp-min-coverage", "80").ret == pytest.ExitCode.OK


USER_TEST = """\
import icpdsl
from icpdsl.testing import assert_fit, assert_not_fit

PROFILE = icpdsl.loads("employees 200..1000\\nindustry in [SaaS]").profile


def test_a_small_account_fits():
    assert_fit(PROFILE, {"employees": 150, "industry": "SaaS"})  # the user's line


def test_a_big_account_does_not_fit():
    assert_not_fit(PROFILE, {"employees": 500, "industry": "SaaS"}, because="employees")
"""


@pytest.mark.parametrize("style", ["short", "long", "native"])
def test_a_failing_assertion_shows_the_users_line_not_icpdsls_frames(
    pytester: pytest.Pytester, style: str
) -> None:
    pytester.makeini(f"[pytest]\n{LEAN}")
    pytester.makepyfile(test_user=USER_TEST)
    # In a subprocess: an in-process run would import icpdsl's modules afresh and leave
    # the other in-process runs of this worker with a second copy of its classes.
    result = pytester.runpytest_subprocess(f"--tb={style}")
    result.assert_outcomes(failed=2)
    output = result.stdout.str()
    if style != "native":  # Python's own traceback format knows nothing of pytest's hiding
        assert "icpdsl/testing" not in output and "icpdsl/document" not in output
    result.stdout.fnmatch_lines(
        [
            "*assert_fit(PROFILE, {*}*# the user's line*",
            "*expected fit, got not_fit*",
            "*employees 150 is below 200..1000 (50 short)*",
        ]
    )
    result.stdout.fnmatch_lines(["*expected not_fit because employees, got fit*"])


def test_coverage_of_a_file_that_did_not_load_is_not_full(opted_in: pytest.Pytester) -> None:
    opted_in.makefile(".icp", broken='profile "A" {\n  employees >=\n}\n')
    result = opted_in.runpytest("--icp-coverage")
    assert "100.0%" not in result.stdout.str()
    result.stdout.fnmatch_lines(["rule coverage: nothing to cover (1 file could not be loaded)"])
