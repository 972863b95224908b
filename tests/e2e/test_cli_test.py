"""`icp test` as a user runs it: a subprocess, its output and its exit code."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ICP = Path(sys.executable).parent / "icp"

PASSING = """\
profile "Mid-market SaaS" {
  industry in [SaaS]
  employees 200..1000
  disqualify if requires on_prem: "needs on-prem"

  examples {
    fit "typical buyer" { industry: SaaS, employees: 540, requires: [] }
    not_fit "too small" { industry: SaaS, employees: 40 } because employees
    not_fit "wrong industry" { industry: Fintech, employees: 400 } because industry
    disqualified { industry: SaaS, employees: 500, requires: [on_prem] }
  }
}
"""

FAILING = """\
profile "Startups" {
  employees ..50
  +10 if last_funding within 1 year

  examples {
    fit "tiny" { employees: 10, last_funding: 2025-03-01 } score 10
    fit "grown" { employees: 300 }
  }
}
"""


def icp(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(ICP), "test", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "NO_COLOR": "1"},
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "icp").mkdir()
    (tmp_path / "icp" / "security.icp").write_text(PASSING, encoding="utf-8")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "ignored.icp").write_text("x 1..\nexamples {\n fit { x: 0 }\n}\n")
    return tmp_path


def test_passing_examples_exit_0_with_a_summary(project: Path) -> None:
    done = icp(cwd=project)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == "4 passed, 0 failed (4 examples in 1 file)\n"


def test_verbose_lists_every_example(project: Path) -> None:
    done = icp("-v", "icp", cwd=project)
    assert done.stdout.splitlines()[:2] == [
        "PASS  security.icp::Mid-market SaaS::typical buyer",
        "PASS  security.icp::Mid-market SaaS::too small",
    ]


def test_a_failure_exits_1_and_shows_expected_beside_actual(project: Path) -> None:
    (project / "icp" / "startups.icp").write_text(FAILING, encoding="utf-8")
    done = icp("icp", "--as-of", "2025-06-30", cwd=project)
    assert done.returncode == 1
    assert done.stdout == (
        "FAIL  startups.icp::Startups::grown\n"
        'icp/startups.icp:7: example "grown" of profile "Startups"\n'
        "  expected: fit\n"
        "  actual:   not_fit (score 0)\n"
        "  - expected verdict fit, got not_fit\n"
        '  record: {"employees": 300}\n'
        "  explanation:\n"
        "    Startups: not_fit (score 0)\n"
        "      ✗ employees ..50 — employees 300 is above ..50 (250 over)\n"
        "      ? +10 if last_funding within 1 year  [+0] — last_funding is missing\n"
        "\n"
        "5 passed, 1 failed (6 examples in 2 files)\n"
    )


def test_as_of_decides_date_rules(project: Path) -> None:
    (project / "startups.icp").write_text(FAILING, encoding="utf-8")
    later = icp("startups.icp", "--as-of", "2027-01-01", cwd=project)
    assert "expected score 10, got 0" in later.stdout


def test_json_report(project: Path) -> None:
    (project / "icp" / "startups.icp").write_text(FAILING, encoding="utf-8")
    done = icp("--format", "json", "--as-of", "2025-06-30", cwd=project)
    report = json.loads(done.stdout)
    assert done.returncode == 1
    assert (report["files"], report["passed"], report["failed"]) == (2, 5, 1)
    [failed] = [e for e in report["examples"] if not e["passed"]]
    assert failed["id"] == "startups.icp::Startups::grown"
    assert failed["expected"] == {"verdict": "fit", "tier": None, "score": None, "because": []}
    assert failed["actual"]["verdict"] == "not_fit"
    assert failed["actual"]["rules"][0]["reason"] == "employees 300 is above ..50 (250 over)"
    assert "coverage" not in report


def test_coverage_lists_rules_with_line_numbers(project: Path) -> None:
    done = icp("--coverage", cwd=project)
    assert done.returncode == 0
    assert done.stdout.splitlines()[1:] == [
        "icp/security.icp: Mid-market SaaS: 100.0% (6/6 outcomes, 4 examples)",
        "  ✓ line 2    industry in [SaaS]  [pass, fail]",
        "  ✓ line 3    employees 200..1000  [pass, fail]",
        '  ✓ line 4    disqualify if requires on_prem: "needs on-prem"  [fired, clear]',
        "",
        "rule coverage: 100.0% (6/6 outcomes)",
        "4 passed, 0 failed (4 examples in 1 file)",
    ]


def test_min_coverage_fails_below_the_threshold(project: Path) -> None:
    (project / "icp" / "startups.icp").write_text(
        FAILING.replace('    fit "grown" { employees: 300 }\n', ""), encoding="utf-8"
    )
    done = icp("--min-coverage", "90", "--as-of", "2025-06-30", cwd=project)
    assert done.returncode == 1
    assert "  ✗ line 2    employees ..50  [pass]  (never fail)" in done.stdout
    assert "rule coverage 80.0% is below the minimum 90%" in done.stdout
    assert icp("--min-coverage", "80", "--as-of", "2025-06-30", cwd=project).returncode == 0


def test_min_coverage_in_json(project: Path) -> None:
    done = icp("--format", "json", "--min-coverage", "100", cwd=project)
    coverage = json.loads(done.stdout)["coverage"]
    assert (coverage["percent"], coverage["minimum"]) == (100.0, 100.0)
    assert coverage["profiles"][0]["rules"][0] == {
        "rule": "industry in [SaaS]",
        "file": "icp/security.icp",
        "line": 2,
        "ways": ["pass", "fail"],
        "exercised": ["pass", "fail"],
        "missing": [],
        "covered": True,
    }


def test_a_broken_file_is_reported_and_the_others_still_run(project: Path) -> None:
    (project / "icp" / "broken.icp").write_text("employees 200..1000 and\n", encoding="utf-8")
    done = icp(cwd=project)
    assert done.returncode == 2
    assert "ERROR icp/broken.icp:1:" in done.stdout
    assert "4 passed, 0 failed, 1 file could not be loaded" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.icp"], "icp test: missing.icp: no such file or folder: missing.icp"),
        (["--min-coverage", "120"], "a percentage is between 0 and 100, not 120"),
        (["--as-of", "tomorrow"], "not a date (YYYY-MM-DD): 'tomorrow'"),
    ],
)
def test_usage_errors_exit_2(project: Path, args: list[str], message: str) -> None:
    done = icp(*args, cwd=project)
    assert done.returncode == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr


def test_a_folder_without_icp_files_is_an_error(tmp_path: Path) -> None:
    done = icp(cwd=tmp_path)
    assert done.returncode == 2
    assert "no .icp files found in ." in done.stderr


def test_files_without_examples_fail_the_run(tmp_path: Path) -> None:
    (tmp_path / "a.icp").write_text("employees 200..1000\n", encoding="utf-8")
    done = icp(cwd=tmp_path)
    assert done.returncode == 1
    assert "add an `examples { ... }` block to a profile to test it" in done.stdout


def test_inherited_rules_show_their_file_and_count_the_base_examples(tmp_path: Path) -> None:
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "base.icp").write_text(
        'profile "Base" {\n  employees 200..1000\n  examples {\n'
        "    fit { employees: 300 }\n    not_fit { employees: 3 } because employees\n  }\n}\n",
        encoding="utf-8",
    )
    (tmp_path / "child.icp").write_text(
        'import "shared/base.icp"\nprofile "Child" extends "Base" {\n  industry in [SaaS]\n'
        "  examples {\n    fit { employees: 300, industry: SaaS }\n"
        "    not_fit { employees: 300, industry: X } because industry\n  }\n}\n",
        encoding="utf-8",
    )
    done = icp("--min-coverage", "100", cwd=tmp_path)
    assert done.returncode == 0, done.stdout
    assert done.stdout.splitlines()[1:4] == [
        "child.icp: Child: 100.0% (4/4 outcomes, 2 examples)",
        "  ✓ shared/base.icp:2 employees 200..1000  [pass, fail]",
        "  ✓ line 3    industry in [SaaS]  [pass, fail]",
    ]


def test_the_example_profiles_carry_examples_with_full_rule_coverage() -> None:
    root = Path(__file__).resolve().parents[2]
    done = icp("examples/", "--format", "json", "--min-coverage", "100", cwd=root)
    report = json.loads(done.stdout)
    failures = [f"{e['id']}: {e['failures']}" for e in report["examples"] if not e["passed"]]
    assert (failures, report["errors"]) == ([], [])
    uncovered = [
        f"{p['file']}: {p['profile']}: {r['line']} {r['rule']} never {r['missing']}"
        for p in report["coverage"]["profiles"]
        for r in p["rules"]
        if not r["covered"]
    ]
    assert uncovered == []
    assert all(p["examples"] > 0 for p in report["coverage"]["profiles"])
    assert done.returncode == 0


def test_run_selects_examples_by_id(project: Path) -> None:
    done = icp("-v", "--run", "too small|wrong", cwd=project)
    assert done.returncode == 0
    assert done.stdout.splitlines() == [
        "PASS  security.icp::Mid-market SaaS::too small",
        "PASS  security.icp::Mid-market SaaS::wrong industry",
        "2 passed, 0 failed (2 examples in 1 file)",
    ]
    none = icp("--run", "^nothing$", cwd=project)
    assert none.returncode == 1
    assert "no example id matches '^nothing$'" in none.stdout
    bad = icp("--run", "(", cwd=project)
    assert bad.returncode == 2 and "not a regular expression: '('" in bad.stderr


def test_coverage_of_a_file_that_did_not_load_says_there_is_nothing_to_cover(
    tmp_path: Path,
) -> None:
    (tmp_path / "broken.icp").write_text('profile "A" {\n  employees >=\n}\n', encoding="utf-8")
    done = icp("broken.icp", "--coverage", cwd=tmp_path)
    assert done.returncode == 2
    assert "100.0%" not in done.stdout and "0/0" not in done.stdout
    assert "rule coverage: nothing to cover (1 file could not be loaded)" in done.stdout
    assert "1 file could not be loaded (0 examples in 1 file)" in done.stdout  # no `file(s)`
    report = json.loads(icp("broken.icp", "--coverage", "--format", "json", cwd=tmp_path).stdout)
    assert (report["coverage"]["percent"], report["coverage"]["unloaded"]) == (None, 1)


def test_coverage_says_which_files_it_leaves_out(tmp_path: Path) -> None:
    (tmp_path / "broken.icp").write_text('profile "A" {\n  employees >=\n}\n', encoding="utf-8")
    (tmp_path / "good.icp").write_text(PASSING, encoding="utf-8")
    done = icp("--coverage", cwd=tmp_path)
    assert (
        "rule coverage: 100.0% (6/6 outcomes), not counting 1 file that could not be loaded"
        in done.stdout
    )


def test_coverage_of_a_profile_without_rules_is_nothing_to_cover(tmp_path: Path) -> None:
    (tmp_path / "empty.icp").write_text('profile "A" {}\n', encoding="utf-8")
    done = icp("--min-coverage", "90", cwd=tmp_path)
    assert "rule coverage: nothing to cover (no profile has rules)" in done.stdout
    assert "below the minimum" not in done.stdout
