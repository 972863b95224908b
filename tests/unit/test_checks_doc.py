"""docs/checks.md documents every diagnostic code the package can report."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CODE = re.compile(r"\bICP\d{3}\b")


def test_every_code_in_the_package_has_a_section_in_checks_md() -> None:
    used = {m for path in (ROOT / "icpdsl").rglob("*.py") for m in CODE.findall(path.read_text())}
    page = (ROOT / "docs" / "checks.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^### (ICP\d{3}) — ", page, re.MULTILINE))
    assert sorted(used - documented) == [], "codes without a section in docs/checks.md"
    assert sorted(documented - used) == [], "sections for codes nothing reports"
