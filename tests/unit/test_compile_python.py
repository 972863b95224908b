"""The compiled Python evaluator: same answers as the reference, safe generated source."""

from __future__ import annotations

import dataclasses
import datetime
import decimal
import io
import keyword
import re
import tokenize
from typing import Any

import pytest

import icpdsl
from icpdsl.compile.python import MAX_DEPTH, JudgedOutcomes, compile_profile
from icpdsl.evaluator import evaluate_profile
from icpdsl.io import read_records
from icpdsl.result import Verdict

AS_OF = datetime.date(2025, 6, 15)
SECURITY = icpdsl.load("examples/security.icp").profile

HOSTILE = [
    'x"); __import__("os").system("echo pwned") #',
    "it's",
    "back\\slash",
    "semi;colon",
    "-- comment",
    "/* block */",
    "nul\x00byte",
    "ünïcödé ✓",
    "{braces} and %s",
    "\\x41",
]


def _same(profile: icpdsl.Profile, record: Any, as_of: datetime.date = AS_OF) -> None:
    expected = evaluate_profile(profile, record, as_of)
    got = compile_profile(profile, as_of)(record)
    assert got == (expected.verdict, expected.score, expected.tier), record


def test_the_example_accounts_score_as_the_reference_does() -> None:
    rows = [row.record for row in read_records("examples/accounts.csv") if row.record]
    assert rows
    for record in rows:
        _same(SECURITY, record)


def test_the_examples_in_the_profile_score_as_the_reference_does() -> None:
    compiled = SECURITY.compile(AS_OF)
    for example in SECURITY.examples:
        record = {name: _plain(value) for name, value in example.record.pairs}
        expected = evaluate_profile(SECURITY, record, AS_OF)
        assert compiled(record) == (expected.verdict, expected.score, expected.tier)


def _plain(value: Any) -> Any:
    if isinstance(value, icpdsl.ast.Value):
        return value.value
    if isinstance(value, icpdsl.ast.ListLiteral):
        return [_plain(v) for v in value.items]
    return value


def test_compiled_returns_a_verdict_score_tier_tuple() -> None:
    record = {"industry": "SaaS", "employees": 540, "has_security_owner": True,
              "tech": ["AWS", "Okta"], "country": "US", "requires": [], "is_competitor": False,
              "revenue": 25_000_000, "funding_stage": "Series_B"}  # fmt: skip
    verdict, score, tier = SECURITY.compile(AS_OF)(record)
    assert (verdict, score, tier) == (Verdict.FIT, 40, "A")
    assert SECURITY.compile(AS_OF).score(record) == (Verdict.FIT, 40, "A")


def test_evaluate_without_explanations_has_the_same_verdict_and_no_rules() -> None:
    record = {"industry": "Fintech", "employees": 40}
    fast = SECURITY.evaluate(record, as_of=AS_OF, explain=False)
    full = SECURITY.evaluate(record, as_of=AS_OF)
    assert (fast.verdict, fast.score, fast.tier) == (full.verdict, full.score, full.tier)
    assert fast.rules == () and fast.reasons == []
    assert full.rules


def test_lazy_explanations_are_identical_and_built_once() -> None:
    record = {"industry": "SaaS", "employees": "1,200", "tech": "AWS; Okta", "country": "ru"}
    lazy = SECURITY.compile(AS_OF).evaluate(record)
    assert isinstance(lazy._rules, JudgedOutcomes)
    reference = evaluate_profile(SECURITY, record, AS_OF)
    assert lazy == reference
    assert lazy.rules == reference.rules
    assert lazy.rules is lazy.rules  # built once, then kept
    assert lazy.explain() == reference.explain()
    assert lazy.to_dict() == reference.to_dict()
    assert lazy.reasons == reference.reasons


def test_evaluate_many_is_lazy_and_in_order() -> None:
    records = [{"industry": "SaaS", "employees": n} for n in (100, 500, 5000)]
    results = list(SECURITY.evaluate_many(records, as_of=AS_OF))
    assert results == [evaluate_profile(SECURITY, r, AS_OF) for r in records]
    quick = list(SECURITY.evaluate_many(records, as_of=AS_OF, explain=False))
    assert [r.verdict for r in quick] == [r.verdict for r in results]
    assert all(r.rules == () for r in quick)


def test_compiled_profiles_are_cached_per_date_and_dates_matter() -> None:
    profile = icpdsl.loads("last_seen within 30 days\n").profile
    assert profile.compile(AS_OF) is profile.compile(AS_OF)
    record = {"last_seen": datetime.date(2025, 6, 1)}
    assert profile.compile(AS_OF)(record)[0] is Verdict.FIT
    assert profile.compile(datetime.date(2025, 9, 1))(record)[0] is Verdict.NOT_FIT


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_field_names_and_values_never_reach_the_source(name: str) -> None:
    quoted = name.replace("`", "").replace("\x00", "")  # a quoted name holds no backtick
    value = name.replace('"', "'").replace("\\", "/").replace("\x00", "")
    text = (
        f'`{quoted}` in ["{value}", other]\n'
        f'`{quoted}` has any ["{value}"]\n'
        f'disqualify if `{quoted}` == "{value}": "{value}"\n'
        f'+5 if `{quoted}` "{value}"\n'
        f'tier "{value}" if score >= 5\n'
    )
    profile = icpdsl.loads(text).profile
    compiled = compile_profile(profile, AS_OF)
    assert quoted not in compiled.source and value not in compiled.source
    _assert_generated_names_only(compiled.source)
    for record in ({quoted: value}, {quoted: [value, "x"]}, {quoted: name}, {quoted: None}, {}):
        _same(profile, record)


GENERATED = re.compile(
    r"^(k|p|set|value|low|high|deep|test|verdict|result|points|tier|start|loose|t|c|f|K|a|count|n|info|detail)\d+$"
)
HELPERS = {"r", "v", "w", "x", "K", "L", "s", "u", "t", "verdict", "tier", "MISSING",
           "ABSENT", "READ", "FIELD", "LOOSE", "ISMISSING", "ITEM_KEYS", "ITEM_KEY", "TIDY",
           "DATE", "ASOF", "FIT", "SKIPPED", "DISQUALIFIED", "RO", "STATUS", "FIRED", "SKIP",
           "APPLIED", "PASSED", "NOT_TRIED", "outcomes",
           "score_any", "score_dict", "judge_any", "judge_dict",
           "strip", "casefold", "get", "isdisjoint", "issubset", "add", "len", "set",
           "__class__", "int",
           "float", "str", "bool", "list", "dict"}  # fmt: skip


def _assert_generated_names_only(source: str) -> None:
    """Every token is a keyword, operator, generated name, known helper or the number 0."""
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        assert token.type != tokenize.STRING, token
        if token.type == tokenize.NUMBER:
            assert token.string == "0", token
        if token.type == tokenize.NAME and not keyword.iskeyword(token.string):
            assert token.string in HELPERS or GENERATED.match(token.string), token


@pytest.mark.parametrize(
    "record",
    [
        {"employees": "1,200"}, {"employees": "$50k"}, {"employees": True}, {"employees": 1.5},
        {"employees": float("nan")}, {"employees": "  "}, {"Employees": 500}, {"employees ": 500},
        {"industry": 5}, {"industry": ["SaaS", "x"]}, {"industry": " SAAS "}, {"tech": "AWS|okta"},
        {"tech": ("gcp",)}, {"tech": {"AZURE"}}, {"tech": 7}, {"tech": [1, True, None]},
        {"active": "yes"}, {"active": 1}, {"active": 2}, {"seen": "2025-05-01"}, {"seen": 2024},
        {"seen": datetime.datetime(2025, 6, 1, 12)}, {"founded": 2015}, {"founded": "2019-03-01"},
        {"age": 7}, {"age": "7"}, {"hq": {"country": "US"}}, {"hq.country": "us"}, {},
    ],
)  # fmt: skip
def test_odd_values_take_the_reference_path(record: dict[str, Any]) -> None:
    profile = icpdsl.loads(
        "employees 100..1000 or employees > 1_000\n"
        "industry in [SaaS, fintech]\n"
        "disqualify if tech has any [okta, 1, true]\n"
        "+10 if active\n+5 if seen within 1 year\n+2 if age 5..10 years\n"
        "-1 if founded < 2018-01-01\n+3 if hq.country == us\n+1 if employees is missing\n"
        "tier A if score >= 10\ntier B otherwise\n"
    ).profile
    _same(profile, {"industry": "saas", **record})


def test_objects_and_mappings_use_the_generic_path() -> None:
    @dataclasses.dataclass
    class Account:
        industry: str
        employees: int

    profile = icpdsl.loads("industry in [SaaS]\nemployees 100..1000\n").profile
    _same(profile, Account("SaaS", 500))
    _same(profile, Account("SaaS", 5000))
    assert compile_profile(profile, AS_OF)(Account("saas", 500))[0] is Verdict.FIT


def test_a_schema_reads_mapped_columns_and_coerces() -> None:
    profile = icpdsl.loads(
        'fields { employees: int from "Number of Employees"\n revenue: money }\n'
        "employees 100..1000\nrevenue >= $1M\n"
    ).profile
    for record in (
        {"Number of Employees": "500", "revenue": "USD 2M"},
        {"Number of Employees": "12 people"},
    ):
        _same(profile, record)


def test_conditions_nested_deeper_than_codegen_goes_use_the_reference() -> None:
    condition = "employees > 10"
    for _ in range(MAX_DEPTH + 6):
        condition = f"not ({condition})"
    profile = icpdsl.loads(condition + "\n").profile
    for record in ({"employees": 5}, {"employees": 50}, {}):
        _same(profile, record)


def test_a_lazy_result_pickles_and_copies_as_its_outcomes() -> None:
    import copy
    import pickle

    record = {"industry": "SaaS", "employees": 20}
    lazy = SECURITY.compile(AS_OF).evaluate(record)
    restored = pickle.loads(pickle.dumps(lazy))
    assert restored == lazy == evaluate_profile(SECURITY, record, AS_OF)
    assert isinstance(restored._rules, tuple)
    assert copy.deepcopy(SECURITY.compile(AS_OF).evaluate(record)) == lazy


@pytest.mark.parametrize(
    "values",
    [
        [1, True, 1.0, "1", 1],
        [0.0, -0.0, 0, False, 0.0],
        [decimal.Decimal("1.0"), decimal.Decimal("1.00"), decimal.Decimal("1.0")],
        ["SaaS", " saas ", "SAAS", "SaaS"],
    ],
)
def test_explanations_kept_for_a_value_are_that_value_s_alone(values: list[Any]) -> None:
    """Equal values of other classes or forms (1 and True, 0.0 and -0.0, 1.0 and 1.00)
    are explained each in their own words, however warm the compiled profile is."""
    profile = icpdsl.loads(
        "industry in [SaaS]\nemployees >= 1\nactive\n+5 if employees < 1\n"
    ).profile
    compiled = compile_profile(profile, AS_OF)
    for value in values:
        record = {"industry": value, "employees": value, "active": value}
        reference = evaluate_profile(profile, record, AS_OF)
        result = compiled.evaluate(record)
        assert result.to_dict() == reference.to_dict(), value
        assert [repr(o.actual) for o in result.rules] == [repr(o.actual) for o in reference.rules]
        assert compiled.brief(record)[3] == reference.reasons, value


def test_explanations_kept_for_a_list_are_each_account_s_own() -> None:
    """A list of text is explained once per distinct list: every later account with an
    equal list gets the same words, but its own list as the value seen, even when the
    first account's list has changed since; a tuple is kept too, other lists are not."""
    profile = icpdsl.loads(
        "tech has any [AWS, GCP]\ntech has none [Oracle]\ntech in [x]\n+2 if tech has Okta\n"
    ).profile
    compiled = compile_profile(profile, AS_OF)
    first = ["AWS", " okta "]
    stacks: list[Any] = [
        first, ["AWS", " okta "], ("AWS", " okta "), ["aws", "Oracle"], ["AWS", 1],
        ["x" * 300], [], ["AWS", " okta "], [str(n) for n in range(40)],
    ]  # fmt: skip
    for tech in stacks:
        record = {"tech": tech}
        reference = evaluate_profile(profile, record, AS_OF)
        result = compiled.evaluate(record)
        assert result.to_dict() == reference.to_dict(), tech
        assert all(o.actual is tech for o in result.rules), tech
        assert all(c.actual is tech for o in result.rules for c in o.checks), tech
        assert compiled.brief(record)[3] == reference.reasons, tech
    kept = [key for key in compiled.details if key[2] in (list, tuple)]
    assert {key[3] for key in kept} == {("AWS", " okta "), ("aws", "Oracle"), ()}
    first.append("Oracle")  # the account explained first changes its list
    record = {"tech": ["AWS", " okta "]}
    assert compiled.evaluate(record).to_dict() == evaluate_profile(profile, record, AS_OF).to_dict()


def test_brief_reads_columns_named_loosely_as_the_reader_does() -> None:
    """`brief` finds kept details by a plain dict's own key; a column named another way
    (`Industry`, `employees `) is read as the reader matches it, never as missing."""
    profile = icpdsl.loads("industry in [SaaS]\nemployees >= 10\n").profile
    compiled = compile_profile(profile, AS_OF)
    records = [
        {"industry": None, "employees": None},
        {"industry": "Retail", "employees": 5},
        {"Industry": "Gaming", "Employees": 3},
        {"INDUSTRY": None, "employees ": " "},
        {"industry": "  ", "employees": 2},
        {"Industry": "Retail", "employees": 5},
    ]
    for _ in range(2):  # cold, then with every detail kept
        for record in records:
            assert compiled.brief(record)[3] == evaluate_profile(profile, record, AS_OF).reasons


def test_list_text_is_split_once_and_kept_within_bounds() -> None:
    """`item_keys` keeps the keys of short list text only, as frozensets no caller can
    change, and no more of them than it may."""
    from icpdsl.semantics import compare

    first = compare.item_keys("AWS; Okta")
    assert first == {"aws", "okta"} and isinstance(first, frozenset)
    assert compare.item_keys("AWS; Okta") is first
    assert compare.item_keys("  ") is None
    long_text = "; ".join(f"tool {n}" for n in range(100))
    assert len(compare.item_keys(long_text) or ()) == 100
    assert long_text not in compare._TEXT_ITEM_KEYS
    for number in range(compare._KEPT_TEXTS + 10):
        compare.item_keys(f"tool {number}")
    assert len(compare._TEXT_ITEM_KEYS) <= compare._KEPT_TEXTS


#: Every kind of item test on one list field, asked by criteria, points, a define and
#: a tier, so that one loop over the items answers them all.
ITEM_TESTS = """
define cloud = tech has any [AWS, GCP]
cloud
tech has none [Oracle, SAP]
+5 if tech has all [Okta, Slack]
+3 if tech has all [Okta]
+2 if tech Slack
+1 if not tech has any [AWS, GCP]
tier A if tech has all [AWS, GCP] and score >= 5
tier B otherwise
"""


@pytest.mark.parametrize(
    "tech",
    [
        ["AWS", "Okta", "Slack"], [" aws ", "okta", "OKTA", "slack"], ["GCP", "Oracle"],
        ["AWS", "GCP", "Okta", "Slack"], ["okta", "okta"], [], ["Okta"], [1, True, None, "gcp"],
        "AWS, Okta; Slack", ("gcp", "sap"), {"AWS", "GCP", "Okta"}, "  ", None, 7,
    ],
)  # fmt: skip
def test_every_item_test_on_a_list_field_is_answered_as_the_reference_does(tech: Any) -> None:
    profile = icpdsl.loads(ITEM_TESTS).profile
    compiled = compile_profile(profile, AS_OF)
    for record in ({"tech": tech}, {"Tech": tech}):
        _same(profile, record)
        expected = evaluate_profile(profile, record, AS_OF)
        assert compiled.evaluate(record).to_dict() == expected.to_dict(), record
