"""Static checks at load time: every ICP01x code, positive and negative, word for word."""

from __future__ import annotations

import pytest

import icpdsl
from icpdsl.errors import Diagnostic

FIELDS = """\
fields {
  industry: category [SaaS, Fintech, "B2B Software"]
  employees: int
  revenue: money
  growth: percent
  country: string
  tech: set[string]
  founded: date
  public: bool
  hq: { country: string }
}
"""


def _errors(body: str, fields: str = FIELDS) -> list[Diagnostic]:
    try:
        icpdsl.loads(fields + body, "t.icp")
    except icpdsl.ICPCheckError as error:
        return error.diagnostics
    return []


def _one(body: str, fields: str = FIELDS) -> Diagnostic:
    errors = _errors(body, fields)
    assert len(errors) == 1, [e.format() for e in errors]
    return errors[0]


OK_RULES = """\
industry in [SaaS, "B2B Software"]
employees 200..1000
revenue >= $10M
growth > 30%
country not in [RU, KP]
tech has any [AWS, GCP]
founded <= 2020-01-01
founded within 5 years
age 3..5 years
public
hq.country == US
employees is known
tier A if score >= 10
tier B otherwise
"""


def test_a_well_typed_file_loads() -> None:
    assert _errors(OK_RULES) == []


# ---------------------------------------------------------------- ICP010 unknown field


def test_icp010_unknown_field_with_did_you_mean() -> None:
    error = _one("employess 200..1000")
    assert error.format() == (
        "t.icp:12:1: ICP010 unknown field 'employess'\n"
        "    employess 200..1000\n"
        "    ^^^^^^^^^\n"
        "    hint: did you mean 'employees'?"
    )


def test_icp010_unknown_nested_field() -> None:
    error = _one("hq.cuntry in [US]")
    assert (error.code, error.message, error.hint) == (
        "ICP010",
        "hq has no field 'cuntry'",
        "did you mean 'country'?",
    )


def test_icp010_path_into_a_scalar() -> None:
    assert _one("employees.total > 5").message == "employees is int; it has no field 'total'"


def test_icp010_age_needs_a_founding_date() -> None:
    error = _one("age 3..5 years", "fields { employees: int }\n")
    assert (error.code, error.hint) == (
        "ICP010",
        "age is counted from a founding date: declare `founded: date`",
    )


def test_icp010_score_outside_tiers_is_a_record_field() -> None:
    assert _one("score > 5").code == "ICP010"
    assert _errors("employees > 5\ntier A if score > 5") == []


def test_icp010_unknown_field_in_an_example_record() -> None:
    error = _one("employees > 5\nexamples {\n  fit { public: true, employes: 10 }\n}")
    assert (error.code, error.message, error.hint) == (
        "ICP010",
        "unknown field 'employes' in this example",
        "did you mean 'employees'?",
    )
    assert (error.line, error.column, error.width) == (14, 23, 8)


def test_icp010_unknown_field_after_because() -> None:
    error = _one("employees > 5\nexamples {\n  not_fit { employees: 1 } because employes\n}")
    assert (error.code, error.message, error.column) == (
        "ICP010",
        "unknown field 'employes' after `because`",
        36,
    )
    body = "define big = employees > 5\nbig\nexamples {\n  fit { employees: 9 } because big\n}"
    assert _errors(body) == []


def test_no_unknown_fields_without_a_schema() -> None:
    assert _errors("employess 200..1000", fields="") == []


def test_a_define_is_suggested_for_a_misspelt_name() -> None:
    error = _one("define modern = tech has AWS\nrequire modem")
    assert error.hint == "did you mean 'modern'?"


# ---------------------------------------------------------------- ICP011 type mismatch


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ("employees in [SaaS]", "type mismatch: employees is int but SaaS is text"),
        ("founded > 100", "type mismatch: founded is date but 100 is a number"),
        ("public == yes", "type mismatch: public is bool but yes is text"),
        ("country == 5", "type mismatch: country is string but 5 is a number"),
        ("tech has 5", "type mismatch: tech holds string items but 5 is a number"),
        ("employees 1..5 years", "type mismatch: employees is int but 5 years is a length of time"),
        ("require employees", "employees is int; a bare field must be bool"),
        (
            "age in [3]",
            "type mismatch: age is a length of time (counted from the founding date) "
            "but 3 is a number",
        ),
        (
            "age > 3",
            "type mismatch: age is a length of time (counted from the founding date) "
            "but 3 is a number",
        ),
    ],
)
def test_icp011_type_mismatch(rule: str, message: str) -> None:
    error = _one(rule)
    assert (error.code, error.message) == ("ICP011", message)


def test_icp011_example_value_of_the_wrong_type() -> None:
    error = _one('employees > 5\nexamples {\n  fit { employees: "lots" }\n}')
    assert (error.code, error.message) == (
        "ICP011",
        'type mismatch: employees is int but "lots" is text',
    )


def test_example_values_that_coerce_are_fine() -> None:
    body = 'employees > 5\nexamples {\n  fit { employees: "1,200", founded: 3 years }\n}'
    assert _errors(body) == []


# ---------------------------------------------------------------- ICP012 operator


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ("industry > 5", "industry is category [SaaS, Fintech, B2B Software]; `>` does not apply to it"),  # noqa: E501
        ("tech 1..5", "tech is set[string]; a range does not apply to it"),
        ("tech == AWS", "tech is set[string]; compare its items with `has`"),
        ("country has US", "country is string, not a set; `has` tests set items"),
        ("employees within 5 years", "employees is int; `within` needs a date field"),
        ("hq in [US]", "hq is a record; test one of its fields"),
        ("public 0..1", "public is bool; a range does not apply to it"),
        ("require age", "age is a length of time; a bare field test does not apply to it"),
        ("age has 3", "age is a length of time; `has` does not apply to it"),
    ],
)  # fmt: skip
def test_icp012_operator_does_not_apply(rule: str, message: str) -> None:
    error = _one(rule)
    assert (error.code, error.message) == ("ICP012", message)


# ---------------------------------------------------------------- ICP013 category value


def test_icp013_value_not_in_category_with_did_you_mean() -> None:
    error = _one("industry in [Saas, Fintech]")
    assert error.format() == (
        "t.icp:12:14: ICP013 Saas is not a value of industry: "
        "category [SaaS, Fintech, B2B Software]\n"
        "    industry in [Saas, Fintech]\n"
        "                 ^^^^\n"
        "    hint: did you mean 'SaaS'?"
    )


def test_icp013_quoted_category_values_match() -> None:
    assert _errors('industry == "B2B Software"') == []
    assert _one('industry == "B2B software"').code == "ICP013"


# ---------------------------------------------------------------- ICP014/015 declarations


def test_icp014_unknown_type() -> None:
    error = _one("", "fields {\n  employees: integr\n}\n")
    assert (error.code, error.message, error.hint, error.line, error.column) == (
        "ICP014",
        "unknown type 'integr'",
        "did you mean 'integer'?",
        2,
        14,
    )


@pytest.mark.parametrize(
    ("decl", "message"),
    [
        ("a: category", "a category needs its values: category [A, B]"),
        ("a: set", "set takes one item type: set[string]"),
        ("a: int[string]", "type 'int' takes no arguments"),
        ("a: category [A, A]", "category value 'A' is listed twice"),
    ],
)
def test_icp014_bad_type_arguments(decl: str, message: str) -> None:
    error = _one("", f"fields {{\n  {decl}\n}}\n")
    assert (error.code, error.message) == ("ICP014", message)


def test_icp015_field_declared_twice_with_different_types() -> None:
    error = _one("", "fields {\n  a: int\n  a: string\n}\n")
    assert (error.code, error.message) == (
        "ICP015",
        "field 'a' is declared as string here but as int in t.icp:2",
    )


def test_icp015_field_mapped_to_two_columns() -> None:
    error = _one("a > 1", 'fields {\n  a: int from "A"\n  a from "B"\n}\n')
    assert (error.code, error.message, error.line) == (
        "ICP015",
        "field 'a' is read from 'B' here but from 'A' in t.icp:2",
        3,
    )


def test_icp015_not_for_a_mapping_or_the_same_type() -> None:
    assert _errors("a > 1", 'fields {\n  a: int\n  a: int\n  a from "A"\n}\n') == []


def test_icp015_python_schema_and_file_disagree() -> None:
    with pytest.raises(icpdsl.ICPCheckError, match="ICP015 field 'a' is declared as string"):
        icpdsl.loads("fields { a: string }\na == x", schema={"a": int})


# ---------------------------------------------------------------- ICP016 inferred use


def test_icp016_same_field_as_number_and_text_without_schema() -> None:
    error = _one("employees 200..1000\nemployees in [SaaS]", fields="")
    assert error.format() == (
        "t.icp:2:1: ICP016 employees is used as text here but as a number at line 1\n"
        "    employees in [SaaS]\n"
        "    ^^^^^^^^^^^^^^^^^^^\n"
        "    hint: declare its type in a fields block to say which is meant"
    )


@pytest.mark.parametrize(
    "rules",
    [
        "tech has AWS\ntech > 5",
        "founded within 5 years\nfounded in [x]",
        "flag\nflag > 1",
    ],
)
def test_icp016_other_clashes(rules: str) -> None:
    assert _one(rules, fields="").code == "ICP016"


@pytest.mark.parametrize(
    "rules",
    [
        "employees > 5\nemployees in [1, 2]",
        "requires on_prem\nrequires in [a]",
        "tech has AWS\ntech in [AWS]",
        "founded_year >= 2015\nfounded_year within 5 years",
    ],
)
def test_icp016_compatible_uses(rules: str) -> None:
    assert _errors(rules, fields="") == []


# ---------------------------------------------------------------- ICP017 ranges


def test_icp017_text_range() -> None:
    error = _one("name A..M", fields="")
    assert (error.code, error.message) == (
        "ICP017",
        "a range needs numbers, dates or lengths of time",
    )


def test_icp017_unit_after_an_open_range() -> None:
    error = _one("age 50.. years")
    assert (error.code, error.hint) == ("ICP017", "the unit follows the number: 50 years..")


def test_icp017_mixed_range() -> None:
    error = _one("x 5..2020-01-01", fields="")
    assert (error.code, error.hint) == ("ICP017", "5 is a number, 2020-01-01 is a date")


# ---------------------------------------------------------------- collected, sorted


def test_all_errors_are_reported_together_in_order() -> None:
    errors = _errors("employess > 5\nindustry in [Saas]\ntech 1..5")
    assert [(e.line, e.code) for e in errors] == [(12, "ICP010"), (13, "ICP013"), (14, "ICP012")]


def test_errors_in_a_define_used_by_several_profiles_are_reported_once() -> None:
    body = 'define big = employes > 5\nprofile "A" {\n  big\n}\nprofile "B" {\n  big\n}'
    assert [e.code for e in _errors(body)] == ["ICP010"]
