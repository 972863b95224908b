"""The playground's API: the same figures as the CLI commands, edits, what-ifs and saving."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import icpdsl

from .conftest import AS_OF, ROOT

VIEW = {"verdict": "", "search": "", "sort": "row", "page": 1, "size": 500}


def icp(*args: str) -> Any:
    """Run `icp ARGS` and decode its JSON output."""
    done = subprocess.run(
        [sys.executable, "-m", "icpdsl", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode in (0, 1), done.stderr
    return done.stdout


def test_state_names_the_file_the_data_and_the_text(serve: Any, project: Path) -> None:
    client = serve(project / "security.icp", project / "accounts.csv")
    state = client.ok("state")
    assert state["file"] == str(project / "security.icp")
    assert state["text"] == (project / "security.icp").read_text(encoding="utf-8")
    assert state["data"]["rows"] == 66 and state["data"]["id_column"] == "id"
    assert state["as_of"] == AS_OF.isoformat()


def test_scores_are_icp_evals(serve: Any, project: Path) -> None:
    """Every row's verdicts, best profile, score, tier and reason as `icp eval` writes them."""
    profile, data = project / "segments.icp", project / "accounts.csv"
    client = serve(profile, data)
    answer = client.ok("edit", {"text": profile.read_text(encoding="utf-8"), "view": VIEW})
    rows = answer["scores"]["rows"]
    expected = json.loads(
        icp("eval", str(profile), str(data), "--format", "json", "--as-of", AS_OF.isoformat())
    )
    assert len(rows) == len(expected) == 66
    for row, want in zip(rows, expected, strict=True):
        assert row["row"] == want["row"] and row["id"] == want["id"]
        assert row["verdicts"] == [p["verdict"] for p in want["profiles"].values()]
        assert (row["best"], row["closest"]) == (want["best"], want["closest"])
        reason = "; ".join(want["reasons"])
        named = f"{want['closest']}: {reason}" if reason else ""  # as the table names it
        assert (row["tier"], row["reason"]) == (want["tier"], named)
    counts = answer["scores"]["counts"]
    for profile_counts in counts["profiles"]:
        name = profile_counts["name"]
        verdicts = [r["profiles"][name]["verdict"] for r in expected]
        assert profile_counts["verdicts"] == {
            v: verdicts.count(v) for v in profile_counts["verdicts"]
        }


def test_diagnostics_are_icp_checks(serve: Any, project: Path) -> None:
    profile = project / "security.icp"
    client = serve(profile, project / "accounts.csv")
    typo = profile.read_text(encoding="utf-8").replace(
        "require modern_stack ", "require modern_stak "
    )
    answer = client.ok("edit", {"text": typo, "view": VIEW})
    expected = icpdsl.check(typo, filename=str(profile), root=project)
    assert [
        (d["code"], d["message"], d["line"], d["column"], d["hint"]) for d in answer["diagnostics"]
    ] == [(d.code, d.message, d.line, d.column, d.hint) for d in expected]
    [stak] = [d for d in answer["diagnostics"] if d["code"] == "ICP111"]
    assert stak["hint"] == "did you mean 'modern_stack'?" and stak["here"]


def test_a_text_that_does_not_load_keeps_the_last_scores(serve: Any, project: Path) -> None:
    profile = project / "security.icp"
    client = serve(profile, project / "accounts.csv")
    broken = profile.read_text(encoding="utf-8").replace("disqualify if", "disqualfy if", 1)
    answer = client.ok("edit", {"text": broken, "view": VIEW})
    assert answer["loaded"] is False
    assert [d["code"] for d in answer["diagnostics"]] == ["ICP000"]
    assert answer["scores"]["stale"] is True and len(answer["scores"]["rows"]) == 66
    assert answer["impact"]["baseline"] is None


def test_examples_run_on_every_edit(serve: Any, project: Path) -> None:
    profile = project / "security.icp"
    client = serve(profile, project / "accounts.csv")
    text = profile.read_text(encoding="utf-8")
    passing = client.ok("edit", {"text": text, "view": VIEW})["examples"]
    assert len(passing) == 12 and all(e["passed"] for e in passing)
    edited = client.ok("edit", {"text": text.replace("200..1000", "300..1000", 1), "view": VIEW})
    failed = [e for e in edited["examples"] if not e["passed"]]
    assert [e["name"] for e in failed] == ["B2B software at the lower bound"]
    assert failed[0]["report"].splitlines()[1] == "  expected: fit, tier B, score 10"


def test_explanation_is_icp_explains(serve: Any, project: Path) -> None:
    profile, data = project / "security.icp", project / "accounts.csv"
    client = serve(profile, data)
    answer = client.ok("explain", {"row": 2})
    expected = json.loads(
        icp(
            "explain",
            str(profile),
            str(data),
            "--row",
            "2",
            "--format",
            "json",
            "--as-of",
            AS_OF.isoformat(),
        )
    )["profiles"]["Mid-market SaaS security"]
    [shown] = answer["profiles"]
    for key, value in expected.items():
        if key != "rules":
            assert shown[key] == value, key
    assert [{k: r[k] for k in expected["rules"][0]} for r in shown["rules"]] == expected["rules"]
    marks = [r["mark"] for r in shown["rules"]]
    assert "✗" in marks and "✓" in marks
    text = icp("explain", str(profile), str(data), "--row", "2", "--as-of", AS_OF.isoformat())
    for line in shown["advice"]:
        assert line in text.splitlines()
    assert shown["advice"][0] == "  to fit, change:"


def test_what_if_changes_the_account_not_the_file(serve: Any, project: Path) -> None:
    data = project / "accounts.csv"
    before = data.read_bytes()
    client = serve(project / "security.icp", data)
    assert client.ok("explain", {"row": 2})["profiles"][0]["verdict"] == "not_fit"
    client.ok("what-if", {"row": 2, "column": "employees", "text": "500"})
    answer = client.ok("what-if", {"row": 2, "column": "has_security_owner", "text": "yes"})
    assert answer["profiles"][0]["verdict"] == "fit"
    edited = {c["column"]: c for c in answer["cells"] if c.get("edited")}
    assert edited["employees"]["original"] == "40" and edited["employees"]["text"] == "500"
    row = client.ok("scores", {"view": {**VIEW, "search": "2", "size": 1}})["rows"][0]
    assert row["row"] == 2 and row["verdicts"] == ["fit"] and row["edited"]
    assert data.read_bytes() == before
    reset = client.ok("reset", {"row": 2})
    assert reset["profiles"][0]["verdict"] == "not_fit"
    assert not any(c.get("edited") for c in reset["cells"])


def test_impact_is_icp_diffs(serve: Any, project: Path) -> None:
    profile, data = project / "security.icp", project / "accounts.csv"
    client = serve(profile, data)
    edited = profile.read_text(encoding="utf-8").replace("200..1000", "100..1000", 1)
    edited = edited.replace("tier A if score >= 30", "tier A if score >= 20")
    answer = client.ok("edit", {"text": edited, "view": VIEW})["impact"]
    new = project / "edited.icp"
    new.write_text(edited, encoding="utf-8")
    expected = json.loads(
        icp(
            "diff",
            str(profile),
            str(new),
            str(data),
            "--format",
            "json",
            "--as-of",
            AS_OF.isoformat(),
        )
    )["impact"]
    for key in (
        "accounts",
        "unreadable",
        "changed_accounts",
        "verdict_changes",
        "tier_changes",
        "transitions",
    ):
        assert answer["impact"][key] == expected[key], key
    assert expected["changed_accounts"] > 0
    assert answer["impact"]["accounts_changed"] == expected["accounts_changed"][:50]
    assert [c["description"] for c in answer["profiles"][0]["changes"]] == [
        "~ employees 200..1000 → employees 100..1000",
        "~ tier A if score >= 30 → tier A if score >= 20",
    ]


def test_format_applies_icp_fmt(serve: Any, project: Path) -> None:
    client = serve(project / "security.icp", project / "accounts.csv")
    messy = 'profile "X" {\n    employees   200..1000\n}\n'
    assert client.ok("format", {"text": messy})["text"] == icpdsl.format(messy)
    status, answer = client.call("format", {"text": "profile {"})
    assert status == 422 and answer["diagnostics"][0]["code"] == "ICP000"


def test_save_writes_the_formatted_profile_to_its_file(serve: Any, project: Path) -> None:
    profile = project / "security.icp"
    client = serve(profile, project / "accounts.csv")
    state = client.ok("state")
    edited = state["text"].replace("employees 200..1000", "employees    150..1000")
    answer = client.ok("save", {"text": edited, "base": state["base"]})
    assert profile.read_text(encoding="utf-8") == icpdsl.format(edited) == answer["text"]
    assert "employees 150..1000" in answer["text"]
    assert sorted(p.name for p in project.iterdir()) == [
        "accounts.csv",
        "security.icp",
        "segments.icp",
    ]
    # the saved file is the new baseline: no more impact
    after = client.ok("edit", {"text": answer["text"], "view": VIEW})["impact"]
    assert after["changed"] is False and after["impact"]["changed_accounts"] == 0


def test_save_refuses_a_profile_that_does_not_load(serve: Any, project: Path) -> None:
    profile = project / "security.icp"
    before = profile.read_bytes()
    client = serve(profile, project / "accounts.csv")
    base = client.ok("state")["base"]
    for broken in ("profile {", 'profile "X" {\n  employees 200..1000\n}\nprofile "X" {\n}\n'):
        status, answer = client.call("save", {"text": broken, "base": base})
        assert status == 422 and answer["error"].startswith("not saved: the profile has 1 error")
        assert answer["diagnostics"][0]["severity"] == "error"
        assert profile.read_bytes() == before


def test_save_refuses_when_the_file_changed_on_disk(serve: Any, project: Path) -> None:
    profile = project / "security.icp"
    client = serve(profile, project / "accounts.csv")
    state = client.ok("state")
    profile.write_text(state["text"] + "# edited elsewhere\n", encoding="utf-8")
    status, answer = client.call("save", {"text": state["text"], "base": state["base"]})
    assert status == 409 and answer["conflict"] is True
    assert profile.read_text(encoding="utf-8").endswith("# edited elsewhere\n")
    client.ok("save", {"text": state["text"], "base": state["base"], "force": True})
    assert profile.read_text(encoding="utf-8") == state["text"]


def test_save_writes_nowhere_but_the_opened_file(serve: Any, project: Path) -> None:
    profile = project / "security.icp"
    client = serve(profile, project / "accounts.csv")
    state = client.ok("state")
    client.ok(
        "save",
        {
            "text": state["text"],
            "base": state["base"],
            "path": "/tmp/elsewhere.icp",
            "file": "../x.icp",
        },
    )
    assert not Path("/tmp/elsewhere.icp").exists() and not (project.parent / "x.icp").exists()
    scratch = serve(None, project / "accounts.csv")
    status, answer = scratch.call("save", {"text": "employees 1..2\n", "base": ""})
    assert status == 409 and "nothing to save to" in answer["error"]


def test_a_save_through_a_symlink_keeps_the_link(serve: Any, project: Path) -> None:
    real = project / "security.icp"
    link = project / "link.icp"
    link.symlink_to(real)
    client = serve(link, project / "accounts.csv")
    state = client.ok("state")
    client.ok("save", {"text": state["text"] + "# saved\n", "base": state["base"]})
    assert link.is_symlink() and real.read_text(encoding="utf-8").endswith("# saved\n")


def test_without_data_the_editor_still_checks_and_diffs(serve: Any, project: Path) -> None:
    profile = project / "security.icp"
    client = serve(profile)
    text = profile.read_text(encoding="utf-8")
    answer = client.ok("edit", {"text": text.replace("200..1000", "250..1000"), "view": VIEW})
    assert "counts" not in answer["scores"] and answer["loaded"]
    assert answer["impact"]["profiles"][0]["changes"][0]["kind"] == "changed"
    status, error = client.call("explain", {"row": 1})
    assert status == 409 and "no accounts" in error["error"]
