"""Text from an ICP file never drives the terminal it is printed on: escapes (ESC, BEL,
OSC, C1) in strings, names, tier and example names come out as `\\x1b`, as data values
do, from every command that prints them; and a CSV header can never write code into the
profile `icp suggest` drafts."""

from __future__ import annotations

import contextlib
import csv
import io
import random
import re
from pathlib import Path

import pytest

import icpdsl
from icpdsl.cli import main

#: A window-title OSC, a bell, a colour and a C1 CSI: what a hostile file would hide.
HOSTILE = "\x1b]0;pwned\x07\x1b[31m\x9b2J"
#: Any character a terminal may act on: C0 controls but the line break, DEL and C1.
CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]")

PROFILE = f"""\
profile "P{HOSTILE}" {{
  industry in [SaaS, "Fin{HOSTILE}tech"]
  `emp{HOSTILE}loyees` 200..1000
  disqualify if is_competitor: "compet{HOSTILE}itor"
  +10 if tech has "AW{HOSTILE}S"
  tier "A{HOSTILE}" if score >= 10
  tier B otherwise

  examples {{
    not_fit "exa{HOSTILE}mple" {{ industry: SaaS, `emp{HOSTILE}loyees`: 300, tech: [x] }}
  }}
}}
"""
DATA = (
    f"id,industry,emp{HOSTILE}loyees,is_competitor,tech\n1,SaaS,300,false,x\n2,Retail,10,true,x\n"
)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "h.icp").write_text(PROFILE, encoding="utf-8")
    (tmp_path / "h2.icp").write_text(PROFILE.replace("200..1000", "300..1000"), encoding="utf-8")
    (tmp_path / "a.csv").write_text(DATA, encoding="utf-8")
    return tmp_path


def _run(*argv: str) -> str:
    """Everything `icp ARGV` prints, stdout and stderr."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        main(list(argv))
    return out.getvalue() + err.getvalue()


def _assert_escaped(text: str) -> None:
    assert not CONTROL.findall(text), sorted(set(CONTROL.findall(text)))
    assert "\\x1b]0;pwned\\x07" in text  # shown, as an escape, not dropped


COMMANDS = {
    "eval --explain": ["eval", "{d}/h.icp", "{d}/a.csv", "--explain", "--color", "never"],
    "eval table and summary": ["eval", "{d}/h.icp", "{d}/a.csv", "--color", "never"],
    "explain": ["explain", "{d}/h.icp", "{d}/a.csv", "--row", "2", "--color", "never"],
    "test": ["test", "{d}/h.icp", "--coverage", "-v"],
    "diff": ["diff", "{d}/h.icp", "{d}/h2.icp", "{d}/a.csv"],
    "diff markdown": ["diff", "{d}/h.icp", "{d}/h2.icp", "{d}/a.csv", "--format", "markdown"],
    "validate": ["validate", "{d}/h.icp", "{d}/a.csv", "--outcome", "is_competitor"],
}


@pytest.mark.parametrize("command", COMMANDS)
def test_commands_print_icp_text_escaped(project: Path, command: str) -> None:
    _assert_escaped(_run(*(part.format(d=project) for part in COMMANDS[command])))


def test_check_escapes_a_snippet_and_keeps_the_caret_under_the_column(tmp_path: Path) -> None:
    (tmp_path / "bad.icp").write_text(f'industry in [SaaS, "a{HOSTILE}b"] ==\n', "utf-8")
    text = _run("check", str(tmp_path / "bad.icp"))
    _assert_escaped(text)
    quoted, caret = text.splitlines()[1:3]
    assert quoted[caret.index("^") :].startswith("==")


def test_the_python_api_texts_are_escaped_too() -> None:
    document = icpdsl.loads(PROFILE)
    result = document.profile.evaluate({"industry": "Retail", f"emp{HOSTILE}loyees": 10})
    _assert_escaped(result.explain())
    with pytest.raises(icpdsl.ICPError) as raised:
        icpdsl.loads(f'industry in [SaaS, "a{HOSTILE}b"] ==')
    _assert_escaped(str(raised.value))
    (diagnostic,) = icpdsl.check(f'industry in [SaaS, "a{HOSTILE}b"] ==')
    _assert_escaped(diagnostic.format())
    assert result.rules[0].rule == f'industry in [SaaS, "Fin{HOSTILE}tech"]'  # data kept


# ---------------------------------------------------------------- icp suggest


def _history(path: Path, header: str) -> None:
    generator = random.Random(7)
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["id", header, "won", "industry"])
        for number in range(300):
            good = generator.random() < 0.4
            plan = "a" if good else generator.choice("ab")
            industry = f"Fin{HOSTILE}tech" if good else "SaaS"
            writer.writerow([number, plan, "won" if good else "lost", industry])


@pytest.mark.parametrize(
    "header",
    ["w\nprofile_injected == yes #", "w\rprofile_injected == yes #", "a`b", f"x{HOSTILE}"],
)
def test_suggest_never_writes_a_header_as_code(tmp_path: Path, header: str) -> None:
    _history(tmp_path / "deals.csv", header)
    draft = tmp_path / "draft.icp"
    _run("suggest", str(tmp_path / "deals.csv"), "--outcome", "won", "-o", str(draft))
    text = draft.read_text(encoding="utf-8")
    assert "profile_injected ==" not in [line.strip() for line in text.splitlines()]
    assert not CONTROL.findall(text)
    profile = icpdsl.loads(text).profile
    assert all("injected" not in rule.text for rule in profile.rules)
    assert "cannot be written as a field" in text  # the column is named as refused


def test_suggest_keeps_a_header_that_backticks_can_hold(tmp_path: Path) -> None:
    _history(tmp_path / "deals.csv", "Plan (2024) #1")
    draft = tmp_path / "draft.icp"
    _run("suggest", str(tmp_path / "deals.csv"), "--outcome", "won", "-o", str(draft))
    rules = [rule.text for rule in icpdsl.load(draft).profile.rules]
    assert "`Plan (2024) #1` in [a]" in rules
