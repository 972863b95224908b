"""`icp validate`, `icp diff` and `icp suggest` on the synthetic history whose true ICP is
known (examples/history): they find the planted lift, recover the planted ranges, and
name exactly the accounts a change moves."""

from __future__ import annotations

import csv
import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import icpdsl
from icpdsl.cli import main

ICP = Path(sys.executable).parent / "icp"
ROOT = Path(__file__).resolve().parents[2]
HISTORY = ROOT / "examples" / "history"
DEALS = HISTORY / "deals.csv"
AS_OF = ["--as-of", "2025-06-01"]


def icp(*args: str | Path, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(ICP), *map(str, args)], capture_output=True, text=True, cwd=cwd, timeout=120
    )


def generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("history_generate", HISTORY / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def rows() -> list[dict[str, str]]:
    with DEALS.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


# ---------------------------------------------------------------- the generator


def test_the_committed_history_is_what_the_seeded_generator_writes(tmp_path: Path) -> None:
    out = tmp_path / "deals.csv"
    done = subprocess.run(
        [sys.executable, str(HISTORY / "generate.py"), "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert out.read_bytes() == DEALS.read_bytes()
    assert len(rows()) == 3000


def test_the_planted_profile_writes_down_the_generators_constants() -> None:
    gen = generator()
    profile = icpdsl.load(HISTORY / "planted.icp").profile
    texts = [r.text for r in profile.criteria]
    assert texts == [
        f"industry in [{', '.join(gen.ICP_INDUSTRIES)}]",
        f"employees {gen.ICP_EMPLOYEES[0]}..{gen.ICP_EMPLOYEES[1]}",
        f"country in [{', '.join(gen.ICP_COUNTRIES)}]",
    ]


# ---------------------------------------------------------------- validate


@pytest.fixture(scope="module")
def planted_report() -> dict[str, Any]:
    done = icp("validate", HISTORY / "planted.icp", DEALS, "--outcome", "won", "--value", "acv",
               "--format", "json", *AS_OF)  # fmt: skip
    assert done.returncode == 0, done.stderr
    report: dict[str, Any] = json.loads(done.stdout)
    return report


def test_validate_finds_the_planted_lift(planted_report: dict[str, Any]) -> None:
    gen = generator()
    [profile] = planted_report["profiles"]
    groups = {g["name"]: g for g in profile["groups"]}
    fit = groups["fit"]
    # the planted win rate of a fitting account: 40%, ×1.6 with Salesforce (35% use it)
    share = gen.TECH["Salesforce"]
    top = gen.WIN_RATE_BY_MATCHES[3]
    planted_rate = share * top * gen.SALESFORCE_MULTIPLIER + (1 - share) * top
    low, high = fit["rate_interval"]
    assert low <= planted_rate <= high
    assert fit["lift_interval"][0] > 3.0
    assert groups["not_fit"]["lift_interval"][1] < 1.0
    assert groups["tier A"]["rate"] > groups["tier B"]["rate"]
    assert planted_report["base_rate"] == pytest.approx(
        sum(r["won"] == "true" for r in rows()) / 3000
    )
    assert planted_report["method"].startswith("rates: 95% Wilson score intervals")


def test_validate_judges_each_planted_rule(planted_report: dict[str, Any]) -> None:
    rules = {r["rule"]: r for r in planted_report["profiles"][0]["rules"]}
    for rule in (
        "industry in [SaaS, Fintech]",
        "employees 200..1000",
        "country in [US, GB, DE, CA]",
    ):
        assert rules[rule]["judgement"] == "carries"
        assert rules[rule]["lift_interval"][0] > 1.5
    salesforce = rules["+20 if tech has Salesforce"]
    assert salesforce["points_check"] == "agree"
    assert 1.0 < salesforce["lift_interval"][0] < 1.6 < salesforce["lift_interval"][1]


def test_validate_value_classes(planted_report: dict[str, Any]) -> None:
    won_with_value = sum(bool(r["acv"]) for r in rows())
    counts = planted_report["classes"]["counts"]
    assert sum(counts) == won_with_value
    assert counts[0] == counts[1] == -(-won_with_value // 10)
    fit = next(g for g in planted_report["profiles"][0]["groups"] if g["name"] == "fit")
    assert fit["class1_capture"] > fit["share"] * 3  # 2.5× ACV inside the ICP


def test_validate_shows_what_the_intuitive_icp_gets_wrong() -> None:
    done = icp("validate", HISTORY / "current.icp", DEALS, "--outcome", "won", *AS_OF)
    assert done.returncode == 0, done.stderr
    text = done.stdout
    assert "base rate 13.6% [12.5–14.9]" in text
    assert "95% Wilson score intervals" in text
    lines = {
        line.split("  ")[1].strip(): line for line in text.splitlines() if line.startswith("  +")
    }
    assert "points: no clear effect" in lines["+10 if tech has Slack"]
    assert "points agree" in lines["+20 if tech has Salesforce"]
    zendesk = next(line for line in text.splitlines() if "Zendesk" in line)
    assert zendesk.rstrip().endswith("adds nothing")


def test_min_lift_gates_ci(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    args = ["validate", str(HISTORY / "current.icp"), str(DEALS), "--outcome", "won", *AS_OF]
    report = str(tmp_path / "report.txt")
    assert main([*args, "--min-lift", "2", "-o", report]) == 0
    assert main([*args, "--min-lift", "3", "-o", report]) == 1
    stderr = capsys.readouterr().err
    assert "'Sales ICP': fit accounts reach less than 3× the base rate" in stderr


def test_validate_input_errors_exit_2_without_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    planted = str(HISTORY / "planted.icp")
    assert main(["validate", planted, str(DEALS), "--outcome", "wom"]) == 2
    wrong = capsys.readouterr().err
    assert "no column 'wom'" in wrong and "did you mean 'won'?" in wrong
    assert main(["validate", planted, str(DEALS), "--outcome", "country"]) == 2
    assert "name the good one with --good LABEL" in capsys.readouterr().err
    assert main(["validate", planted, str(tmp_path / "nope.csv"), "--outcome", "won"]) == 2
    assert "nope.csv" in capsys.readouterr().err
    done = icp("validate", planted, DEALS, "--outcome", "wom")  # as a user sees it
    assert done.returncode == 2 and "Traceback" not in done.stderr


def test_validate_writes_html_and_output_files(tmp_path: Path) -> None:
    done = icp("validate", HISTORY / "planted.icp", DEALS, "--outcome", "won", "--value", "acv",
               "--html", tmp_path / "r.html", "-o", tmp_path / "r.txt", *AS_OF)  # fmt: skip
    assert done.returncode == 0, done.stderr
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    for chart in ("rate-by-group", "lift-by-rule", "score-distribution"):
        assert f'data-chart="{chart}"' in page
    assert "http://" not in page.replace("http://www.w3.org/2000/svg", "")
    assert "https://" not in page and "<script" not in page
    assert 'profile "Sales ICP"' in (tmp_path / "r.txt").read_text(encoding="utf-8")


# ---------------------------------------------------------------- diff


def test_diff_names_exactly_the_accounts_a_change_moves(tmp_path: Path) -> None:
    planted = (HISTORY / "planted.icp").read_text(encoding="utf-8")
    (tmp_path / "old.icp").write_text(planted, encoding="utf-8")
    (tmp_path / "new.icp").write_text(
        planted.replace("employees 200..1000", "employees 250..1000"), encoding="utf-8"
    )
    done = icp(
        "diff", tmp_path / "old.icp", tmp_path / "new.icp", DEALS, "--format", "json", *AS_OF
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    [change] = report["profiles"][0]["changes"]
    assert (change["old"]["rule"], change["new"]["rule"]) == (
        "employees 200..1000",
        "employees 250..1000",
    )
    # the oracle, from the generator's columns: 200..249 employees, in a planted country,
    # with a planted or blank industry, moves: fit → not_fit, or unknown → not_fit
    gen = generator()
    expected = {}
    for row in rows():
        blank = row["industry"] == ""
        if (
            row["employees"]
            and 200 <= int(row["employees"]) < 250
            and row["country"] in gen.ICP_COUNTRIES
            and (blank or row["industry"] in gen.ICP_INDUSTRIES)
        ):
            tier = "A" if "Salesforce" in row["tech"].split("; ") else "B"
            expected[row["id"]] = ("unknown" if blank else f"fit (tier {tier})", "not_fit")
    moved = {a["id"]: (a["before"], a["after"]) for a in report["impact"]["accounts_changed"]}
    assert moved == expected
    assert len(moved) > 20
    assert {tuple(a["because"]) for a in report["impact"]["accounts_changed"]} == {
        ("~ employees 200..1000 → employees 250..1000",)
    }
    assert report["impact"]["verdict_changes"] == len(expected)


def test_diff_markdown_for_a_pull_request() -> None:
    done = icp("diff", HISTORY / "current.icp", HISTORY / "planted.icp", DEALS,
               "--format", "markdown", "--limit", "3", *AS_OF)  # fmt: skip
    assert done.returncode == 0, done.stderr
    text = done.stdout
    assert text.startswith("### ICP diff: ")
    assert (
        "| changed | `employees 100..2000` → `employees 200..1000` | criterion | line 8 |" in text
    )
    assert "| removed | `+10 if tech has Slack` | points | old line 13 |" in text
    assert "Changed accounts (first 3 of " in text


def test_diff_without_data_and_exit_code(tmp_path: Path) -> None:
    same = icp("diff", HISTORY / "planted.icp", HISTORY / "planted.icp", "--exit-code")
    assert same.returncode == 0 and "no rule changes" in same.stdout
    changed = icp("diff", HISTORY / "current.icp", HISTORY / "planted.icp", "--exit-code")
    assert changed.returncode == 1
    assert "~ employees 100..2000 → employees 200..1000" in changed.stdout


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_diff_reads_an_old_version_from_git(tmp_path: Path) -> None:
    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=tmp_path, check=True, capture_output=True)

    git("init", "-q")
    (tmp_path / "p.icp").write_text('profile "P" {\n  employees 10..20\n}\n', encoding="utf-8")
    git("add", "p.icp")
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "one")
    (tmp_path / "p.icp").write_text('profile "P" {\n  employees 10..30\n}\n', encoding="utf-8")
    done = icp("diff", "HEAD:p.icp", "p.icp", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "~ employees 10..20 → employees 10..30" in done.stdout
    bad = icp("diff", "HEAD:nope.icp", "p.icp", cwd=tmp_path)
    assert bad.returncode == 2 and "no such file: HEAD:nope.icp" in bad.stderr
    # A "revision" that git would take as an option (`--output=FILE` writes a file).
    hostile = icp("diff", "--", "--output=written:p.icp", "p.icp", cwd=tmp_path)
    assert hostile.returncode == 2 and "cannot start with '-'" in hostile.stderr
    assert not (tmp_path / "written").exists()


# ---------------------------------------------------------------- suggest


def test_suggest_recovers_the_planted_icp(tmp_path: Path) -> None:
    out = tmp_path / "draft.icp"
    done = icp("suggest", DEALS, "--outcome", "won", "--value", "acv", "-o", out, *AS_OF)
    assert done.returncode == 0, done.stderr
    assert "3 criteria, 1 points rules" in done.stderr
    gen = generator()
    profile = icpdsl.load(out).profile
    criteria = {r.text.split()[0]: r.node.condition for r in profile.criteria}
    industries = {v.value for v in criteria["industry"].values}
    assert industries == set(gen.ICP_INDUSTRIES)
    assert {v.value for v in criteria["country"].values} == set(gen.ICP_COUNTRIES)
    employees = criteria["employees"]
    low, high = gen.ICP_EMPLOYEES
    assert employees.low.value == pytest.approx(low, rel=0.10)
    assert employees.high.value == pytest.approx(high, rel=0.10)
    [points] = profile.scoring
    assert points.condition_text == "tech has Salesforce" and points.node.points > 0
    text = out.read_text(encoding="utf-8")
    assert "#   funding_stage: no clear difference (could be chance)" in text
    assert icpdsl.format(text) == text


def test_suggest_json_and_fields(tmp_path: Path) -> None:
    done = icp("suggest", DEALS, "--outcome", "won", "--fields", "employees,industry",
               "--format", "json", *AS_OF)  # fmt: skip
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert [f["field"] for f in data["findings"]] == ["employees", "industry"]
    assert data["min_support"] == 60
    assert all(f["decision"] == "criterion" for f in data["findings"])
    icpdsl.loads(data["icp"])


def test_suggest_refuses_an_unknown_field(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["suggest", str(DEALS), "--outcome", "won", "--fields", "industry,employes"]
    assert main(args) == 2
    stderr = capsys.readouterr().err
    assert "--fields 'employes': no such column" in stderr and "employees" in stderr


def test_rows_in_another_encoding_are_named_by_validate_suggest_and_diff(tmp_path: Path) -> None:
    """A history row that is not UTF-8 is left out as unreadable, and every command that
    reads the history says which encoding the file most likely is."""
    lines = DEALS.read_bytes().split(b"\n")
    lines[70] = lines[70].replace(b",", b"\xe9,", 1)  # row 70, line 71
    deals = tmp_path / "deals.csv"
    deals.write_bytes(b"\n".join(lines))
    hint = "(the first: row 70, line 71); most likely cp1252 (Windows) or latin-1"
    validate = icp("validate", HISTORY / "current.icp", deals, "--outcome", "won", *AS_OF)
    assert "left out: 1 unreadable" in validate.stdout
    assert f"warning: some rows are not UTF-8 text and could not be read {hint}" in (
        validate.stdout
    )
    suggest = icp("suggest", deals, "--outcome", "won", "-o", tmp_path / "draft.icp")
    assert f"icp suggest: warning: {deals}: some rows are not UTF-8 text" in suggest.stderr
    diff = icp("diff", HISTORY / "current.icp", HISTORY / "planted.icp", deals, *AS_OF)
    assert f"icp diff: warning: {deals}: some rows are not UTF-8 text" in diff.stderr
    assert hint in diff.stderr and "(1 unreadable row skipped)" in diff.stdout
