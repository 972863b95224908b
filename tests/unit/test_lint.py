"""Lint warnings: every ICP1xx code, positive and negative, and how they are silenced."""

from __future__ import annotations

from pathlib import Path

import pytest

import icpdsl
from icpdsl.errors import Diagnostic

FIELDS = """\
fields {
  employees: int
  industry: category [SaaS, Fintech]
  tech: set[string]
  founded: date
  public: bool
}
"""


def _warnings(text: str) -> list[Diagnostic]:
    return icpdsl.lint(text)


def _codes(text: str) -> list[str]:
    return [w.code for w in _warnings(text)]


def _only(text: str, code: str) -> Diagnostic:
    found = [w for w in _warnings(text) if w.code == code]
    assert len(found) == 1, [w.format() for w in _warnings(text)]
    return found[0]


def test_clean_profile_has_no_warnings() -> None:
    text = """\
profile "P" {
  employees 200..1000
  industry in [SaaS]
  disqualify if public
  +10 if tech has Okta
  tier A if score >= 10
  tier B otherwise
}
"""
    assert _warnings(text) == []


def test_warnings_are_warnings_and_loading_still_works() -> None:
    doc = icpdsl.loads("employees 500..200")
    (warning,) = doc.warnings
    assert warning.severity == "warning"
    assert warning.code == "ICP101"


# ---------------------------------------------------------------- ICP101 empty range


def test_icp101_empty_range() -> None:
    warning = _only("employees 500..200", "ICP101")
    assert warning.format() == (
        "<string>:1:1: ICP101 empty range: 500..200 holds no value\n"
        "    employees 500..200\n"
        "    ^^^^^^^^^^^^^^^^^^\n"
        "    hint: write the low end first: 200..500"
    )


@pytest.mark.parametrize("rule", ["founded 2020-01-01..2019-01-01", "age 5..3 years"])
def test_icp101_empty_date_and_duration_ranges(rule: str) -> None:
    assert "ICP101" in _codes(rule)


@pytest.mark.parametrize(
    "rule", ["employees 200..500", "employees 200..200", "employees 200..", "age 1 year..3 years"]
)
def test_icp101_not_for_proper_ranges(rule: str) -> None:
    assert "ICP101" not in _codes(rule)


def test_icp101_inside_a_define_and_a_disqualifier() -> None:
    assert _codes("define odd = employees 9..1\nindustry in [SaaS]\ndisqualify if odd") == [
        "ICP101"
    ]


# ---------------------------------------------------------------- ICP102 unsatisfiable


def test_icp102_contradictory_criteria() -> None:
    warning = _only("employees 200..1000\nindustry in [SaaS]\nemployees < 100", "ICP102")
    assert warning.message == (
        "this criterion contradicts `employees 200..1000` (line 1): no account can fit"
    )
    assert warning.line == 3


@pytest.mark.parametrize(
    "rules",
    [
        "industry in [SaaS]\nindustry in [Fintech]",
        "industry in [SaaS]\nindustry not in [SaaS, Fintech]",
        "tech has Okta\ntech has none [Okta, Slack]",
        "public\nnot public",
        "employees is missing\nemployees > 5",
        "employees > 5 and employees < 3",
        "founded >= 2021-01-01\nfounded < 2020-06-01",
        "employees == 5\nemployees != 5",
        "founded within 5 years\nnot founded within 5 years",
    ],
)
def test_icp102_other_contradictions(rules: str) -> None:
    assert "ICP102" in _codes(FIELDS + rules)


def test_icp102_knows_integers() -> None:
    assert "ICP102" in _codes(FIELDS + "employees > 5\nemployees < 6")
    assert "ICP102" not in _codes("employees > 5\nemployees < 6")  # 5.5 is possible


@pytest.mark.parametrize(
    "rules",
    [
        "employees 200..1000\nemployees < 300",
        "industry in [SaaS]\nindustry not in [Fintech]",
        "employees < 100 or employees > 1000\nemployees > 500",
        "tech in [Okta]\ntech in [Slack]",  # a set may hold both
        "employees is known\nemployees > 5",
        "founded within 5 years\nfounded within 2 years",
    ],
)
def test_icp102_not_for_satisfiable_criteria(rules: str) -> None:
    assert "ICP102" not in _codes(FIELDS + rules)


def test_icp102_through_defines_and_extends() -> None:
    text = """\
define small = employees < 100
profile "Base" {
  employees 200..1000
}
profile "Child" extends "Base" {
  small
}
"""
    warning = _only(text, "ICP102")
    assert warning.line == 6
    assert "(line 3)" in warning.message


# ---------------------------------------------------------------- ICP103 duplicate rule


def test_icp103_duplicate_rule() -> None:
    warning = _only("industry in [SaaS]\nemployees > 5\nindustry  in [ SaaS ]", "ICP103")
    assert (warning.line, warning.message) == (
        3,
        "duplicate rule: the same as `industry in [SaaS]` (line 1)",
    )


def test_icp103_duplicate_points_rule() -> None:
    warning = _only("employees > 5\n+10 if public\n+10 if public", "ICP103")
    assert warning.hint == "points are added once per rule; merge them into one rule"


def test_icp103_not_for_different_rules() -> None:
    text = "industry in [SaaS]\nindustry in [Fintech, SaaS]\n+10 if public\n+5 if public"
    assert "ICP103" not in _codes(text)


# ---------------------------------------------------------------- ICP104 / ICP105


def test_icp104_disqualifier_always_fires() -> None:
    warning = _only("employees 200..1000\ndisqualify if employees > 100", "ICP104")
    assert warning.message == (
        "this disqualifier fires for every account that meets the criteria: no account can fit"
    )


def test_icp105_disqualifier_never_fires() -> None:
    warning = _only("employees 200..1000\ndisqualify if employees < 100", "ICP105")
    assert warning.line == 2


@pytest.mark.parametrize(
    "rule", ["disqualify if employees > 500", "disqualify if public", "disqualify if not public"]
)
def test_icp104_icp105_not_for_disqualifiers_that_can_go_either_way(rule: str) -> None:
    codes = _codes(f"employees 200..1000\n{rule}")
    assert "ICP104" not in codes
    assert "ICP105" not in codes


def test_icp104_with_a_set_item() -> None:
    assert "ICP104" in _codes(FIELDS + "tech has Okta\ndisqualify if tech has any [Okta, X]")


# ---------------------------------------------------------------- ICP106 / ICP107 tiers


def test_icp106_tier_after_otherwise() -> None:
    warning = _only("employees > 5\ntier A otherwise\ntier B if employees > 10", "ICP106")
    assert warning.message == (
        "tier B can never be reached: it comes after `tier A otherwise` (line 2)"
    )


def test_icp106_tier_covered_by_earlier_tiers() -> None:
    text = (
        "employees > 5\n+10 if public\ntier A if score >= 5\ntier B if score >= 10\n"
        "tier C otherwise"
    )
    warning = _only(text, "ICP106")
    assert warning.message == (
        "tier B can never be reached: earlier tiers take every account it would get"
    )


def test_icp106_tier_above_the_highest_possible_score() -> None:
    text = (
        "employees > 5\n+10 if public\n+5 if tech has Okta\ntier A if score >= 20\ntier B otherwise"
    )
    warning = _only(text, "ICP106")
    assert "its condition cannot hold for a fitting account" in warning.message


def test_icp106_tier_contradicting_the_criteria() -> None:
    assert "ICP106" in _codes("employees 200..1000\ntier A if employees < 10\ntier B otherwise")


def test_icp107_gap_names_a_score_that_gets_no_tier() -> None:
    text = (
        "employees > 5\n+10 if public\n+20 if tech has Okta\ntier A if score >= 20\n"
        "tier B if score >= 10"
    )
    warning = _only(text, "ICP107")
    assert warning.message == (
        "the tiers leave a gap: some fitting accounts get no tier (e.g. score 0)"
    )
    assert warning.line == 5


def test_icp107_a_missing_value_falls_through_every_tier() -> None:
    warning = _only("employees > 5\ntier A if public\ntier B if not public", "ICP107")
    assert warning.message == (
        "the tiers leave a gap: some fitting accounts get no tier (e.g. when public is missing)"
    )


def test_icp107_not_when_the_criteria_make_the_tier_field_known() -> None:
    assert "ICP107" not in _codes("public or not public\ntier A if public\ntier B if not public")


def test_icp104_not_when_the_disqualifier_may_be_unknown() -> None:
    text = "revenue is missing or revenue >= $5M\ndisqualify if revenue >= $5M"
    assert "ICP104" not in _codes(text)


def test_icp107_scores_fixed_by_the_criteria_close_the_gap() -> None:
    text = "employees > 500\n+10 if employees > 100\ntier A if score >= 10"
    assert "ICP107" not in _codes(text)


@pytest.mark.parametrize(
    "tiers",
    [
        "tier A if score >= 10\ntier B otherwise",
        "tier A if score >= 10\ntier B if score < 10",
        "tier A if public\ntier B if not public\ntier C otherwise",
    ],
)
def test_icp106_icp107_not_for_complete_tiers(tiers: str) -> None:
    codes = _codes(f"employees > 5\n+10 if public\n{tiers}")
    assert "ICP106" not in codes
    assert "ICP107" not in codes


# ---------------------------------------------------------------- ICP108 / ICP109 unused


def test_icp108_unused_define() -> None:
    warning = _only("define big = employees > 5000\nemployees > 5", "ICP108")
    assert warning.format().splitlines()[0] == (
        "<string>:1:1: ICP108 'big' is defined but never used"
    )


def test_icp108_not_for_used_defines() -> None:
    text = "define big = employees > 5000\ndefine huge = big and public\nrequire huge"
    assert "ICP108" not in _codes(text)


def test_icp109_unused_field() -> None:
    rules = "employees > 5\nindustry in [SaaS]\ntech has X\nage > 5 years"
    warning = _only(FIELDS + rules, "ICP109")
    assert warning.message == "field 'public' is declared but no rule uses it"
    assert sorted(w.message for w in _warnings(FIELDS + "employees > 5")) == [
        "field 'founded' is declared but no rule uses it",
        "field 'industry' is declared but no rule uses it",
        "field 'public' is declared but no rule uses it",
        "field 'tech' is declared but no rule uses it",
    ]
    assert warning.line == 6


@pytest.mark.parametrize(
    "decl",
    [
        'name: string from "Company name"',
        "id: string",
        'record_id: string from "Record ID"',
        'domain from "Company Domain Name"',
        "website: string",
    ],
)
def test_icp109_not_for_fields_that_name_the_account(decl: str) -> None:
    """`icp eval` and `icp explain` show them as each row's id: they are used."""
    assert _warnings(f"fields {{\n  {decl}\n  employees: int\n}}\nemployees > 5") == []


def test_icp109_for_other_mapped_fields() -> None:
    text = 'fields {\n  owner: string from "Company owner"\n  employees: int\n}\nemployees > 5'
    assert _only(text, "ICP109").message == "field 'owner' is declared but no rule uses it"


def test_icp109_age_uses_the_founding_date() -> None:
    text = "fields {\n  founded: date\n}\nage 3..5 years"
    assert _warnings(text) == []


def test_library_files_are_not_linted_for_unused_names(tmp_path: Path) -> None:
    (tmp_path / "shared.icp").write_text(
        "fields {\n  employees: int\n  public: bool\n}\ndefine big = employees > 5000\n"
    )
    assert icpdsl.lint(tmp_path / "shared.icp") == []
    (tmp_path / "main.icp").write_text('import "shared.icp"\nemployees > 5\n')
    assert icpdsl.lint(tmp_path / "main.icp") == []  # imported names are not this file's


# ---------------------------------------------------------------- ICP110 no criteria


def test_icp110_profile_without_criteria() -> None:
    warning = _only('profile "Open" {\n  +10 if public\n}', "ICP110")
    assert warning.message == (
        "profile 'Open' has no criteria: every account that is not disqualified fits"
    )
    assert (warning.line, warning.column) == (1, 1)


def test_icp110_empty_profile() -> None:
    warning = _only('profile "A" {}', "ICP110")
    assert warning.format() == (
        "<string>:1:1: ICP110 profile 'A' is empty: every account fits\n"
        '    profile "A" {}\n'
        "    ^^^^^^^^^^^^^^\n"
        "    hint: add the conditions a fitting account must meet, e.g. `employees 200..1000`"
    )


def test_icp110_profile_holding_only_defines_is_empty() -> None:
    text = 'profile "A" {\n  define big = employees > 5000\n}'
    assert _codes(text) == ["ICP110", "ICP108"]
    assert _only(text, "ICP110").message == "profile 'A' is empty: every account fits"


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n# and another\n"])
def test_icp110_file_without_rules(text: str) -> None:
    warning = _only(text, "ICP110")
    assert warning.message == "this file has no profile and no rules: every account fits"
    assert (warning.line, warning.column) == (1, 1)


def test_icp110_empty_file_quotes_no_blank_line() -> None:
    assert _only("", "ICP110").format() == (
        "<string>:1:1: ICP110 this file has no profile and no rules: every account fits\n"
        "    hint: add the conditions a fitting account must meet, e.g. `employees 200..1000`"
    )


def test_icp110_file_of_bare_points_rules() -> None:
    warning = _only("+10 if public\ntier A if score >= 10", "ICP110")
    assert warning.message == (
        "profile 'default' has no criteria: every account that is not disqualified fits"
    )


def test_icp110_file_that_only_imports(tmp_path: Path) -> None:
    (tmp_path / "base.icp").write_text('profile "Base" {\n  employees > 5\n}\n')
    (tmp_path / "main.icp").write_text('import "base.icp"\n')
    (warning,) = icpdsl.lint(tmp_path / "main.icp")
    assert warning.code == "ICP110"
    assert warning.message == (
        "this file only imports: it has no rules of its own, so every account fits"
    )
    assert warning.hint is not None and 'extends "Base"' in warning.hint


def test_icp110_every_account_fits_what_it_warns_about() -> None:
    for text in ("", "# a comment", 'profile "A" {}'):
        document = icpdsl.loads(text)
        (profile,) = document.profiles.values()
        assert profile.evaluate({"employees": 3}).fit  # what the warning says


def test_icp110_not_for_shared_files_of_fields_and_defines() -> None:
    assert _codes("define big = employees > 5000") == []
    assert _codes("fields {\n  employees: int\n}") == []


def test_icp110_not_when_criteria_are_inherited() -> None:
    text = 'profile "A" {\n  employees > 5\n}\nprofile "B" extends "A" {\n  +10 if public\n}'
    assert "ICP110" not in _codes(text)


# ---------------------------------------------------------------- ICP111 near a define


def test_icp111_bare_name_close_to_a_define() -> None:
    warning = _only("define modern_stack = tech has AWS\nrequire modern_stak", "ICP111")
    assert warning.format() == (
        "<string>:2:9: ICP111 'modern_stak' is read as a true/false field, but there is a "
        "define named 'modern_stack'\n"
        "    require modern_stak\n"
        "            ^^^^^^^^^^^\n"
        "    hint: did you mean 'modern_stack'?"
    )


def test_icp111_not_for_unrelated_or_declared_names() -> None:
    assert "ICP111" not in _codes("define modern_stack = tech has AWS\nrequire has_owner")
    text = "fields {\n  modern_stak: bool\n  tech: set[string]\n}\n"
    text += "define modern_stack = tech has AWS\nmodern_stak\nmodern_stack"
    assert "ICP111" not in _codes(text)


# ---------------------------------------------------------------- silencing


def test_a_comment_silences_a_warning_on_its_line() -> None:
    assert _codes("employees 500..200  # icp: ignore[ICP101]") == []
    assert _codes("employees 500..200  # icp: ignore") == []
    assert _codes("employees 500..200  # icp: ignore[ICP103]") == ["ICP101"]


def test_lint_reports_each_finding_once_across_profiles() -> None:
    text = 'define odd = employees 9..1\nprofile "A" {\n  odd\n}\nprofile "B" {\n  odd\n}'
    assert _codes(text).count("ICP101") == 1


def test_bundled_examples_are_lint_clean() -> None:
    root = Path(__file__).resolve().parents[2] / "examples"
    for path in sorted(root.glob("*.icp")):
        assert icpdsl.lint(path) == [], path


# ---------------------------------------------------------------- lint grows linearly


def _work(text: str, monkeypatch: pytest.MonkeyPatch) -> int:
    """How many field-state steps (atoms added, states merged or copied) lint takes: a
    count, not a time, so the test says the same on any machine."""
    from icpdsl import constraints

    count = 0
    for name in ("add", "merge", "copy"):
        original = getattr(constraints._FieldState, name)

        def counted(*args: object, _original: object = original) -> object:
            nonlocal count
            count += 1
            return _original(*args)  # type: ignore[operator]

        monkeypatch.setattr(constraints._FieldState, name, counted)
    icpdsl.lint(text)
    monkeypatch.undo()
    return count


SHAPES = {
    "criteria on one field": lambda n: "\n".join(f"employees >= {i}" for i in range(n)),
    "criteria on a field each": lambda n: "\n".join(f"f{i} >= {i}" for i in range(n)),
    "tier lines": lambda n: (
        "employees >= 1\n+5 if owner\n"
        + "\n".join(f"tier T{i} if score >= {n - i}" for i in range(n))
    ),
    "disqualifiers": lambda n: "\n".join(f"f{i} >= {i}\ndisqualify if g{i}" for i in range(n)),
    "contradiction at the end": lambda n: "\n".join(f"f{i} >= {i}" for i in range(n)) + "\nf0 < 0",
}


@pytest.mark.parametrize("shape", SHAPES)
def test_lint_work_grows_linearly_with_the_rules(
    shape: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    small, large = (_work(SHAPES[shape](n), monkeypatch) for n in (250, 2000))
    assert large <= 8 * small * 1.25  # 8× the rules: at most 10× the work (was 8²×)


def test_a_contradiction_of_three_criteria_is_found_where_it_arises() -> None:
    text = "require revenue is missing\nrequire tech has AWS\nemployees > 5\n"
    text += "require (revenue >= $5M) or (tech has none [AWS])\nemployees < 3"
    warning = _only(text, "ICP102")
    assert (warning.line, warning.message) == (
        4,
        "the criteria up to this one contradict each other: no account can fit",
    )
