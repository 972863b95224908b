"""Field schema: declared types, coercion of raw values, column mapping, Python schemas."""

from __future__ import annotations

import csv
import dataclasses
import datetime
import decimal
import enum
import typing
from pathlib import Path
from typing import Annotated, Literal

import attrs
import pytest

import icpdsl
from icpdsl.io import read_records
from icpdsl.records import MISSING, Invalid
from icpdsl.schema import FieldType, Schema, from_python, python_type

GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "schema"
AS_OF = datetime.date(2025, 6, 30)
_ALL_DATE_FORMS = "not a date as YYYY-MM-DD, YYYY/MM/DD, YYYY.MM.DD, MM/DD/YYYY or DD.MM.YYYY"


def _type(text: str) -> FieldType:
    schema = from_python({"x": text})
    return schema.fields["x"].type


# ------------------------------------------------------------------ coercions


@pytest.mark.parametrize(
    ("type_text", "raw", "expected"),
    [
        ("int", "1,200", 1200),
        ("int", " 42 ", 42),
        ("int", 42.0, 42),
        ("int", "1.2k", 1200),
        ("int", decimal.Decimal("7"), 7),
        ("number", "2.5", 2.5),
        ("float", "(1,200)", -1200),
        ("money", "$12.5M", 12_500_000),
        ("money", "12,500,000", 12_500_000),
        ("money", "USD 1.5B", 1_500_000_000),
        ("money", "€3k", 3000),
        ("money", 99, 99),
        ("percent", "30%", 0.3),
        ("percent", 0.3, 0.3),
        ("string", "  Acme  ", "Acme"),
        ("string", 2139, "2139"),
        ("bool", "true", True),
        ("bool", "yes", True),
        ("bool", "Y", True),
        ("bool", "No", False),
        ("bool", "NO", False),
        ("bool", 1, True),
        ("bool", "0", False),
        ("date", "2020-01-31", datetime.date(2020, 1, 31)),
        ("date", "2020-01-31T10:00:00Z", datetime.date(2020, 1, 31)),
        ("date", "01/31/2020", datetime.date(2020, 1, 31)),
        ("date", "31.01.2020", datetime.date(2020, 1, 31)),
        ("date", "01.03.2020", datetime.date(2020, 3, 1)),
        ("date", "2020/01/31", datetime.date(2020, 1, 31)),
        ("date", "2015", datetime.date(2015, 1, 1)),
        ("date", 2015, datetime.date(2015, 1, 1)),
        ("date", datetime.datetime(2020, 1, 31, 9, 30), datetime.date(2020, 1, 31)),
        ("category [SaaS, Fintech]", "saas", "SaaS"),
        ("category [SaaS, Fintech]", "Retail", "Retail"),
        ("set[string]", "Salesforce; Slack", frozenset({"Salesforce", "Slack"})),
        ("set[string]", "Salesforce, Slack | Okta", frozenset({"Salesforce", "Slack", "Okta"})),
        ("set[string]", ["Slack", "Slack"], frozenset({"Slack"})),
        ("list[int]", "1; 2; 2", [1, 2, 2]),
        ("{ country: string, size: int }", {"country": "US", "size": "1,000"},
         {"country": "US", "size": 1000}),
        ("{ country: string }", '{"country": "DE"}', {"country": "DE"}),
        ("any", "as is", "as is"),
    ],
)  # fmt: skip
def test_coercion(type_text: str, raw: object, expected: object) -> None:
    value = _type(type_text).coerce(raw)
    assert value == expected
    assert type(value) is type(expected)


@pytest.mark.parametrize("raw", [None, "", "   ", float("nan"), MISSING])
def test_blank_values_are_missing(raw: object) -> None:
    assert _type("int").coerce(raw) is MISSING


@pytest.mark.parametrize(
    ("type_text", "raw", "reason"),
    [
        ("int", "lots", "not a number"),
        ("int", "12.5", "not a whole number"),
        ("int", True, "not a number"),
        ("money", "unknown", "not an amount of money"),
        ("bool", "maybe", "not true/false or yes/no"),
        ("date", "not a date", _ALL_DATE_FORMS),
        ("date", "02/30/2020", "not a date as YYYY/MM/DD or MM/DD/YYYY"),
        ("date", "2020-13-01", "not a date as YYYY-MM-DD"),
        (
            "date",
            "31/01/2020",
            "not a date as YYYY/MM/DD or MM/DD/YYYY; for dates written DD/MM/YYYY, declare the "
            'field date "DD/MM/YYYY"',
        ),
        ("set[int]", "1; two", "not a list of int"),
        ("{ a: int }", 5, "not a record"),
    ],
)
def test_uncoercible_values_are_invalid(type_text: str, raw: object, reason: str) -> None:
    value = _type(type_text).coerce(raw)
    assert isinstance(value, Invalid)
    assert value.raw == raw
    assert value.reason == reason


def test_invalid_value_is_unknown_with_an_explanation_never_a_crash() -> None:
    doc = icpdsl.loads("fields { employees: int }\nemployees 200..1000")
    result = doc.profile.evaluate({"employees": "about 300"}, as_of=AS_OF)
    assert result.verdict == "unknown"
    (outcome,) = result.rules
    assert outcome.status == "unknown"
    assert outcome.reason == "employees is 'about 300', not a number (expected int)"
    assert outcome.actual == "about 300"


def test_invalid_value_is_still_known() -> None:
    doc = icpdsl.loads("fields { stage: int }\n+5 if stage is known\n-5 if stage is missing")
    result = doc.profile.evaluate({"stage": "n/a"}, as_of=AS_OF)
    assert result.score == 5


def test_fields_the_schema_does_not_declare_read_as_they_are() -> None:
    schema = from_python({"employees": "int"})
    assert schema.read({"country": " US "}, ("country",)) == " US "
    assert schema.read({"employees": "11"}, ("employees",)) == 11


# ------------------------------------------------------------------ column mapping


def test_column_mapping_reads_the_crm_column() -> None:
    doc = icpdsl.loads('fields {\n employees: int from "Number of Employees"\n}\nemployees >= 500')
    assert doc.profile.evaluate({"Number of Employees": "1,200"}).verdict == "fit"
    assert doc.profile.evaluate({"number_of_employees": "100"}).verdict == "not_fit"
    assert doc.profile.evaluate({"employees": 900}).verdict == "fit"  # the field's own name


def test_mapping_only_declaration_adds_a_column_to_a_typed_field() -> None:
    text = 'fields {\n revenue: money\n revenue from "Annual Revenue"\n}\nrevenue >= 10M'
    doc = icpdsl.loads(text)
    assert doc.schema.fields["revenue"].column == "Annual Revenue"
    assert doc.profile.evaluate({"Annual Revenue": "$12.5M"}).verdict == "fit"


def test_mapping_only_field_keeps_values_as_they_are() -> None:
    doc = icpdsl.loads('fields { country from "Country/Region" }\ncountry in [US]')
    assert doc.schema.fields["country"].type == FieldType("any")
    assert doc.profile.evaluate({"Country/Region": "US"}).verdict == "fit"


def test_same_icp_runs_on_a_hubspot_export() -> None:
    doc = icpdsl.load(GOLDEN / "hubspot.icp")
    rows = [row.record for row in read_records(GOLDEN / "hubspot_companies.csv")]
    results = [doc.profile.evaluate(r, as_of=AS_OF) for r in rows if r is not None]
    assert [(r.verdict.value, r.score) for r in results] == [
        ("fit", 15),
        ("not_fit", 5),
        ("not_fit", 10),
        ("unknown", 0),
    ]
    mystery = {o.rule: o.reason for o in results[3].rules}
    assert mystery["employees 200..5000"] == "employees is 'n/a', not a number (expected int)"
    assert mystery["last_funding within 18 months"] == (
        f"last_funding is 'not a date', {_ALL_DATE_FORMS} (expected date)"
    )


def test_hubspot_export_read_as_raw_text_gives_the_same_verdicts() -> None:
    doc = icpdsl.load(GOLDEN / "hubspot.icp")
    with (GOLDEN / "hubspot_companies.csv").open(newline="", encoding="utf-8") as handle:
        raw_rows = list(csv.DictReader(handle))
    typed_rows = [row.record for row in read_records(GOLDEN / "hubspot_companies.csv")]
    for raw, typed in zip(raw_rows, typed_rows, strict=True):
        assert (
            doc.profile.evaluate(raw, as_of=AS_OF).verdict
            == doc.profile.evaluate(typed, as_of=AS_OF).verdict
        )


def test_coerce_record_gives_typed_values_by_field_name() -> None:
    doc = icpdsl.load(GOLDEN / "hubspot.icp")
    row = next(iter(read_records(GOLDEN / "hubspot_companies.csv"))).record
    assert row is not None
    typed = doc.schema.coerce_record(row)
    assert typed["employees"] == 1200
    assert typed["revenue"] == 12_500_000
    assert typed["tech"] == {"Salesforce", "Slack", "AWS"}
    assert typed["founded"] == datetime.date(2015, 1, 1)
    assert typed["last_funding"] == datetime.date(2024, 3, 15)
    assert typed["hq"] == {"state": "CA"}
    assert doc.schema.columns()["employees"] == "Number of Employees"


def test_nested_record_from_a_nested_value_and_from_a_flat_column() -> None:
    doc = icpdsl.loads("fields { hq: { country: string } }\nhq.country in [US]")
    assert doc.profile.evaluate({"hq": {"country": "US"}}).verdict == "fit"
    assert doc.profile.evaluate({"hq.country": "US"}).verdict == "fit"
    assert doc.profile.evaluate({"hq": {"country": "DE"}}).verdict == "not_fit"


# ------------------------------------------------------------------ dates with a fixed as_of


@pytest.mark.parametrize(
    ("condition", "founded", "verdict"),
    [
        ("founded <= 2020-01-01", "2019-12-31", "fit"),
        ("founded <= 2020-01-01", "01/02/2020", "not_fit"),
        ("founded within 5 years", "2020-07-01", "fit"),
        ("founded within 5 years", "2020-06-29", "not_fit"),
        ("age 3..5 years", "2022-06-30", "fit"),
        ("age 3..5 years", "2022-07-01", "not_fit"),
        ("age 3..5 years", "2019-07-01", "fit"),
        ("age 3..5 years", "2019-06-30", "not_fit"),
        ("founded within 18 months", "2024-01-01", "fit"),
        ("founded within 18 months", "2023-12-29", "not_fit"),
    ],
)
def test_dates_against_a_fixed_as_of(condition: str, founded: str, verdict: str) -> None:
    doc = icpdsl.loads(f"fields {{ founded: date }}\n{condition}")
    result = doc.profile.evaluate({"founded": founded}, as_of=AS_OF)
    assert result.verdict == verdict
    assert result.as_of == AS_OF


# ------------------------------------------------------------------ schemas from Python


class Stage(enum.Enum):
    SEED = "Seed"
    SERIES_A = "Series A"


@dataclasses.dataclass
class HQ:
    country: str


@dataclasses.dataclass
class Account:
    employees: int = dataclasses.field(metadata={"column": "Number of Employees"})
    revenue: Annotated[float, "money"]
    industry: Literal["SaaS", "Fintech"]
    stage: Stage
    tech: set[str]
    founded: datetime.date | None
    public: bool
    hq: HQ


def test_schema_from_a_dataclass() -> None:
    fields = from_python(Account).fields
    assert fields["employees"].column == "Number of Employees"
    assert {n: str(f.type) for n, f in fields.items()} == {
        "employees": "int",
        "revenue": "money",
        "industry": "category [SaaS, Fintech]",
        "stage": "category [Seed, Series A]",
        "tech": "set[string]",
        "founded": "date",
        "public": "bool",
        "hq": "{ country: string }",
    }


@attrs.define
class AttrsAccount:
    employees: int = attrs.field(metadata={"column": "Employees"})
    tags: list[str] = attrs.field(factory=list)


class TypedAccount(typing.TypedDict):
    employees: int
    revenue: decimal.Decimal


def test_schema_from_attrs_typeddict_and_dict() -> None:
    attrs_fields = from_python(AttrsAccount).fields
    assert attrs_fields["employees"].column == "Employees"
    assert str(attrs_fields["tags"].type) == "list[string]"
    assert str(from_python(TypedAccount).fields["revenue"].type) == "number"
    spec = from_python({"employees": 'int from "Number of Employees"', "tech": set[str]})
    assert spec.fields["employees"].column == "Number of Employees"
    assert str(spec.fields["tech"].type) == "set[string]"
    assert from_python({"a": "int"}).fields["a"].type == FieldType("int")
    pair = from_python({"revenue": ("money", "Annual Revenue")}).fields["revenue"]
    assert (str(pair.type), pair.column) == ("money", "Annual Revenue")


def test_schema_from_python_rejects_other_things() -> None:
    with pytest.raises(TypeError, match="not a dataclass"):
        from_python(int)
    with pytest.raises(icpdsl.ICPCheckError, match="unknown type 'integr'"):
        from_python({"a": "integr"})


def test_python_types_map_to_field_types() -> None:
    assert python_type(int | None) == FieldType("int")
    assert python_type(frozenset[int]) == FieldType("set", item=FieldType("int"))
    assert python_type(tuple[str, ...]) == FieldType("list", item=FieldType("string"))
    assert python_type(object) == FieldType("any")


def test_loads_with_a_python_schema() -> None:
    doc = icpdsl.loads("employees >= 500\ntech has Slack", schema=Account)
    record = {"Number of Employees": "1,200", "tech": "Salesforce; Slack"}
    assert doc.profile.evaluate(record).verdict == "fit"


def test_file_mapping_adds_a_column_to_a_python_field() -> None:
    text = 'fields { revenue from "Annual Revenue" }\nrevenue >= 10M'
    doc = icpdsl.loads(text, schema={"revenue": "money"})
    assert doc.profile.evaluate({"Annual Revenue": "$12.5M"}).verdict == "fit"


def test_schema_is_empty_without_fields() -> None:
    doc = icpdsl.loads("employees > 5")
    assert not doc.schema
    assert isinstance(doc.schema, Schema)


def test_a_set_field_reads_a_single_value_as_a_one_item_set() -> None:
    """A CSV cell with one SIC code (`62020`) is typed as a number before the schema sees it."""
    profile = icpdsl.loads('fields { sic: set[string] }\nsic has any ["62020"]').profile
    assert profile.evaluate({"sic": 62020}).verdict == "fit"
    assert profile.evaluate({"sic": 85310}).rules[0].reason == 'sic has none of ["62020"]'
