"""Long rules in tables: lists keep their leading items, `--format json` keeps every item."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from icpdsl.cli import main
from icpdsl.io.table import display_width, shorten

CODES = [85200 + 10 * n for n in range(40)]
PROFILE = 'profile "Codes" {\n  sic in [' + ", ".join(map(str, CODES)) + "]\n  +5 if paid\n}\n"


@pytest.mark.parametrize("width", [20, 40, 60, 100])
def test_shorten_keeps_to_the_width(width: int) -> None:
    text = "sic 12345 is not in [" + ", ".join(map(str, CODES)) + "]; employees 5 is low"
    assert display_width(shorten(text, width)) <= width


def test_shorten_leaves_out_the_items_of_the_longest_list_first() -> None:
    text = 'industry Retail is not in [SaaS, "B2B, Software", Fintech, Health, Energy]; age 1'
    assert shorten(text, 70) == (
        'industry Retail is not in [SaaS, "B2B, Software", … 3 more]; age 1'
    )
    assert shorten("tech [a, b, c]", 5) == "tech…"  # a short list is cut, not counted
    assert shorten("no list at all", 40) == "no list at all"


def test_an_eval_table_shortens_long_rules_and_json_keeps_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "codes.icp").write_text(PROFILE)
    (tmp_path / "a.csv").write_text("id,sic,paid\n1,12345,false\n")
    args = ["eval", str(tmp_path / "codes.icp"), str(tmp_path / "a.csv"), "-q"]
    assert main([*args, "--explain"]) == 0
    table = capsys.readouterr().out
    assert "sic 12345 is not in [85200, 85210, … 38 more]" in table
    assert max(display_width(line) for line in table.splitlines()) <= 120
    assert main([*args, "--format", "jsonl"]) == 0
    row = json.loads(capsys.readouterr().out)
    assert row["reasons"] == ["sic 12345 is not in [" + ", ".join(map(str, CODES)) + "]"]


def test_every_ascii_character_takes_one_cell() -> None:
    """`display_width` counts ASCII text by its length, which is what the per-character
    East Asian width gives for each of the 128 characters."""
    import unicodedata

    for code in range(128):
        assert unicodedata.east_asian_width(chr(code)) not in "WF"
    assert display_width("SaaS 200..1000") == 14
    assert display_width("日本 SaaS") == 9
