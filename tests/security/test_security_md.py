"""SECURITY.md and docs/security.md state the limits the code enforces, by name and value."""

from __future__ import annotations

import re
from pathlib import Path

import attrs
import pytest

from icpdsl.limits import DEFAULT_LIMITS

ROOT = Path(__file__).resolve().parents[2]
ROW = re.compile(r"^\| `(max_\w+)` \| ([^|]+?) \|", re.MULTILINE)


def _number(cell: str) -> int:
    """`10,000` → 10000; `1 MiB` and `1,048,576 (1 MiB)` → 1048576."""
    first = cell.split(" (")[0]
    if first.endswith("MiB"):
        return int(first.removesuffix("MiB")) * 1024 * 1024
    return int(first.replace(",", ""))


@pytest.mark.parametrize("page", ["SECURITY.md", "docs/security.md"])
def test_the_limits_table_matches_the_defaults(page: str) -> None:
    text = (ROOT / page).read_text(encoding="utf-8")
    table = {name: _number(cell) for name, cell in ROW.findall(text)}
    assert table == attrs.asdict(DEFAULT_LIMITS)


def test_security_md_tells_how_to_report_a_problem() -> None:
    text = (ROOT / "SECURITY.md").read_text(encoding="utf-8")
    assert "## Reporting a vulnerability" in text
    assert "privately" in text
