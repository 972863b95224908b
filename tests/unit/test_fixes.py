"""Diagnostics that carry their own fix: `fix` for a did-you-mean, `corrected_line` for a
syntax hint that knows the line it means.  Editors apply them as quick fixes, so each one
is checked by applying it: the problem it was made for is gone."""

from __future__ import annotations

from pathlib import Path

import pytest

import icpdsl
from icpdsl import Diagnostic

GOLDEN_SYNTAX = sorted((Path(__file__).parent.parent / "golden" / "syntax").glob("*.icp"))


def _first(case: Path) -> Diagnostic:
    return icpdsl.check(case.read_text(encoding="utf-8"), filename=case.name)[0]


#: The golden syntax errors whose hint knows the corrected line.
CORRECTED = [case for case in GOLDEN_SYNTAX if _first(case).corrected_line is not None]

FIELDS = """\
fields {
  employees: int
  industry: category [SaaS, Fintech, "B2B Software"]
  hq: { country: string, city: string }
  revenue: money from "Annual Revenue"
}
"""


def _apply_fix(text: str, diagnostic: Diagnostic) -> str:
    """`text` with the diagnostic's range replaced by its fix (as an editor would)."""
    assert diagnostic.fix is not None
    lines = text.split("\n")
    line = lines[diagnostic.line - 1]
    start = diagnostic.column - 1
    lines[diagnostic.line - 1] = line[:start] + diagnostic.fix + line[start + diagnostic.width :]
    return "\n".join(lines)


def _errors(text: str) -> list[Diagnostic]:
    return [d for d in icpdsl.check(text, filename="x.icp") if d.severity == "error"]


def _only(text: str, code: str) -> Diagnostic:
    found = [d for d in icpdsl.check(text, filename="x.icp") if d.code == code]
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("rule", "fix"),
    [
        ("employes > 10", "employees"),
        ("hq.contry == FR", "hq.country"),
        ("revenu >= $1M", "revenue"),
        ("industry == Saas", "SaaS"),
        ('industry == "B2B Sofware"', '"B2B Software"'),
    ],
)
def test_a_did_you_mean_in_a_rule_carries_the_text_that_fixes_it(rule: str, fix: str) -> None:
    text = f'{FIELDS}profile "P" {{\n  {rule}\n}}\n'
    diagnostic = next(d for d in icpdsl.check(text, filename="x.icp") if d.fix is not None)
    assert diagnostic.fix == fix
    assert diagnostic.source_line is not None
    written = diagnostic.source_line[diagnostic.column - 1 :][: diagnostic.width]
    assert written == rule.split(" ")[0] or written == rule.split(" == ")[1]
    assert _errors(_apply_fix(text, diagnostic)) == []


def test_an_unknown_key_in_an_example_record_is_fixed_where_it_is_written() -> None:
    examples = "  examples {\n    fit { employes: 20 }\n  }\n"
    text = f'{FIELDS}profile "P" {{\n  employees > 10\n{examples}}}\n'
    diagnostic = _only(text, "ICP010")
    assert (diagnostic.line, diagnostic.fix) == (10, "employees")
    assert _errors(_apply_fix(text, diagnostic)) == []


def test_a_misspelt_type_name_is_fixed() -> None:
    text = 'fields {\n  employees: intt\n}\nprofile "P" {\n  employees > 10\n}\n'
    diagnostic = _only(text, "ICP014")
    assert diagnostic.fix == "int"
    assert icpdsl.check(_apply_fix(text, diagnostic), filename="x.icp") == []


def test_a_bare_name_close_to_a_define_is_fixed_to_the_define() -> None:
    text = "define modern = tech has any [AWS]\nemployees > 10\nmodrn\n"
    diagnostic = _only(text, "ICP111")
    assert diagnostic.fix == "modern"
    assert icpdsl.check(_apply_fix(text, diagnostic), filename="x.icp") == []


def test_messages_do_not_change_and_a_hint_without_a_candidate_has_no_fix() -> None:
    diagnostic = _only(f'{FIELDS}profile "P" {{\n  zzz > 1\n}}\n', "ICP010")
    assert (diagnostic.message, diagnostic.hint) == (
        "unknown field 'zzz'",
        "declare it in the fields block",
    )
    assert diagnostic.fix is None


def test_corrected_lines_travel_with_the_error_and_its_diagnostics() -> None:
    with pytest.raises(icpdsl.ICPSyntaxError) as caught:
        icpdsl.loads("employees = 200")
    assert caught.value.corrected_line == "employees == 200"
    assert caught.value.diagnostics[0].corrected_line == "employees == 200"


@pytest.mark.parametrize("case", CORRECTED, ids=[c.stem for c in CORRECTED])
def test_a_corrected_line_removes_the_syntax_error_it_was_made_for(case: Path) -> None:
    text = case.read_text(encoding="utf-8")
    (diagnostic,) = icpdsl.check(text, filename=case.name)
    assert diagnostic.corrected_line is not None
    lines = text.split("\n")
    lines[diagnostic.line - 1] = diagnostic.corrected_line
    after = icpdsl.check("\n".join(lines), filename=case.name)
    assert not [d for d in after if d.code == "ICP000" and d.line <= diagnostic.line]


def test_most_syntax_goldens_know_their_corrected_line() -> None:
    assert len(CORRECTED) >= 17, [case.stem for case in CORRECTED]
