"""`icp explain` as a user runs it: one account by row, id or record, and what would fit."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SECURITY = "examples/security.icp"
ACCOUNTS = "examples/accounts.csv"


def icp(*args: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "icpdsl", "explain", *args, "--as-of", "2026-06-01"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
        timeout=60,
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result


def test_explain_by_row_shows_every_rule_and_the_changes_to_fit() -> None:
    result = icp(SECURITY, ACCOUNTS, "--row", "5")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "row 5 of examples/accounts.csv (as of 2026-06-01)"
    assert lines[2] == "Mid-market SaaS security: not_fit · score 0 · no tier"
    assert lines[3].split() == ["rule", "seen", "expected", "points"]
    rules = {line[5:].split("  ")[0]: line for line in lines[4:] if line.startswith("  ")}
    assert rules["employees 200..1000"].split() == [
        "✗",
        "employees",
        "200..1000",
        "180",
        "200..1000",
    ]
    assert rules["+10 if revenue >= $20M"].split() == [
        "·",  # a bonus that did not apply is neutral, not a failure
        "+10",
        "if",
        "revenue",
        ">=",
        "$20M",
        "18,000,000",
        ">=",
        "$20M",
        "+0",
    ]
    assert lines[-3:] == [
        "  to fit, change:",
        '    industry Fintech: needs one of [SaaS, "B2B Software"]',
        "    employees 180: needs 200..1000 (20 short)",
    ]


def test_explain_by_id_matches_id_name_or_domain() -> None:
    by_name = icp(SECURITY, ACCOUNTS, "--id", "tiny labs")
    assert by_name.stdout.splitlines()[0] == (
        "name 'tiny labs', row 2 of examples/accounts.csv (as of 2026-06-01)"
    )
    assert "    employees 40: needs 200..1000 (160 short)" in by_name.stdout
    assert "    has_security_owner false: needs true" in by_name.stdout
    by_domain = icp(SECURITY, ACCOUNTS, "--id", "tinylabs.dev", "--format", "json")
    data = json.loads(by_domain.stdout)
    assert data["account"] == "domain 'tinylabs.dev', row 2 of examples/accounts.csv"
    changes = data["profiles"]["Mid-market SaaS security"]["changes_to_fit"]
    assert [c["field"] for c in changes] == ["employees", "has_security_owner"]
    missing = icp(SECURITY, ACCOUNTS, "--id", "Nobody Inc")
    assert missing.returncode == 2
    assert missing.stderr == (
        "icp explain: --id 'Nobody Inc': no row of examples/accounts.csv has it "
        "(looked in id, name, domain)\n"
    )
    beyond = icp(SECURITY, ACCOUNTS, "--row", "500")
    assert (beyond.returncode, beyond.stderr) == (
        2,
        "icp explain: --row 500: examples/accounts.csv has 66 rows\n",
    )


def test_explain_a_record_unknown_fields_and_disqualifiers() -> None:
    record = {
        "industry": "SaaS",
        "has_security_owner": True,
        "tech": ["AWS"],
        "country": "US",
        "is_competitor": True,
    }
    result = icp(SECURITY, "--record", json.dumps(record))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[2] == (
        "Mid-market SaaS security: disqualified · score -10 · no tier"
    )
    assert result.stdout.splitlines()[-4:] == [
        "  to fit, change:",
        "    is_competitor true: needs false",
        "  and these fields must be known:",
        "    employees is missing (for employees 200..1000)",
    ]
    unknown = icp(SECURITY, "--record", json.dumps({**record, "is_competitor": False}))
    assert unknown.stdout.splitlines()[-3:] == [
        "",
        "  unknown until these fields are known:",
        "    employees is missing (for employees 200..1000)",
    ]
    fit = icp(
        "examples/segments.icp",
        "--profile",
        "SaaS",
        "--record",
        json.dumps(
            {
                "country": "US",
                "employees": 120,
                "revenue": "$25M",
                "industry": "SaaS",
                "is_competitor": False,
            }
        ),
    )
    assert fit.stdout.splitlines()[2] == "SaaS: fit · score 0 · tier C"
    assert "to fit" not in fit.stdout
    bad = icp(SECURITY, "--record", "[1, 2]")
    assert (bad.returncode, bad.stderr) == (
        2,
        'icp explain: --record must be a JSON object: {"employees": 150, ...}\n',
    )
    neither = icp(SECURITY, "--row", "1")
    assert neither.returncode == 2
    assert neither.stderr == "icp explain: --row and --id need a DATA file to look in\n"


def test_a_row_that_cannot_be_read_says_why_and_which_encoding_it_likely_is(
    tmp_path: Path,
) -> None:
    data = tmp_path / "accounts.csv"
    data.write_bytes((ROOT / ACCOUNTS).read_bytes() + b"67,Caf\xe9\n68,Beta\n")
    undecoded = icp(SECURITY, str(data), "--row", "67")
    assert undecoded.returncode == 2
    assert undecoded.stderr == (
        f"icp explain: row 67 (line 68) of {data} could not be read: not UTF-8 text "
        "(byte 0xe9)\n    hint: most likely cp1252 (Windows) or latin-1, which read these "
        "bytes alike: re-save it as UTF-8, or --encoding cp1252\n"
    )
    short = icp(SECURITY, str(data), "--row", "68")
    assert short.stderr.endswith(
        f"icp explain: row 68 (line 69) of {data} could not be read: expected 17 cells, found 2\n"
    )  # no encoding hint for a row that is short
