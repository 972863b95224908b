"""Parser: ICP text → AST nodes (with spans), statement separation and syntax errors."""

from __future__ import annotations

import datetime

import pytest

from icpdsl import ICPError, ICPSyntaxError, ast, parse
from icpdsl.source import Span

NOWHERE = Span(0, 0, 1, 1, 1, 1)  # equality ignores spans


def P(*parts: str) -> ast.Path:
    return ast.Path(parts, NOWHERE)


def word(text: str) -> ast.Value:
    return ast.Value("string", text, text, NOWHERE)


def num(value: int | float, text: str) -> ast.Value:
    return ast.Value("number", value, text, NOWHERE)


def condition(text: str) -> ast.Condition:
    """The condition of the one criterion `text` holds."""
    [item] = parse(text).items
    assert isinstance(item, ast.Criterion)
    return item.condition


# ------------------------------------------------------------------ predicates


def test_in_list_of_bare_words_and_quoted_strings() -> None:
    node = condition('industry in [SaaS, "B2B Software"]')
    quoted = ast.Value("string", "B2B Software", '"B2B Software"', NOWHERE)
    assert node == ast.InList(P("industry"), (word("SaaS"), quoted), False, NOWHERE)


def test_not_in_list() -> None:
    assert condition("country not in [RU, KP]") == ast.InList(
        P("country"), (word("RU"), word("KP")), True, NOWHERE
    )


def test_list_may_span_lines_and_end_with_a_comma() -> None:
    node = condition("country in [\n  US,\n  CA,\n]")
    assert node == ast.InList(P("country"), (word("US"), word("CA")), False, NOWHERE)


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("employees 200..1000", num(200, "200"), num(1000, "1000")),
        ("employees 200..", num(200, "200"), None),
        ("employees ..1000", None, num(1000, "1000")),
        ("revenue $10M..$50M", num(10_000_000, "$10M"), num(50_000_000, "$50M")),
    ],
)
def test_ranges_inclusive_and_open_ended(
    text: str, low: ast.Value | None, high: ast.Value | None
) -> None:
    assert condition(text) == ast.Range(P(text.split()[0]), low, high, NOWHERE)


def test_an_open_range_at_a_line_end_does_not_swallow_the_next_line() -> None:
    items = parse("employees 200..\nindustry in [SaaS]").items
    assert len(items) == 2
    assert isinstance(items[1], ast.Criterion)
    assert isinstance(items[1].condition, ast.InList)


def test_duration_range_gives_both_ends_the_unit() -> None:
    node = condition("age 3..5 years")
    assert isinstance(node, ast.Range)
    assert node.low is not None and node.high is not None
    assert node.low.value == ast.Duration(3, "years")
    assert node.high.value == ast.Duration(5, "years")


@pytest.mark.parametrize("op", ["==", "!=", "<", "<=", ">", ">="])
def test_every_comparison_operator(op: str) -> None:
    assert condition(f"employees {op} 50") == ast.Compare(
        P("employees"),
        op,
        num(50, "50"),
        NOWHERE,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize(
    ("text", "mode", "values"),
    [
        ("tech has Okta", "one", ("Okta",)),
        ("tech has any [Salesforce, HubSpot]", "any", ("Salesforce", "HubSpot")),
        ("tech has all [Slack, Notion]", "all", ("Slack", "Notion")),
        ("tech has none [Oracle]", "none", ("Oracle",)),
    ],
)
def test_has_forms(text: str, mode: str, values: tuple[str, ...]) -> None:
    assert condition(text) == ast.Has(
        P("tech"),
        mode,
        tuple(word(v) for v in values),
        NOWHERE,  # type: ignore[arg-type]
    )


def test_is_missing_and_is_known() -> None:
    assert condition("funding_stage is missing") == ast.IsKnown(P("funding_stage"), False, NOWHERE)
    assert condition("funding_stage is known") == ast.IsKnown(P("funding_stage"), True, NOWHERE)


@pytest.mark.parametrize(
    ("text", "duration"),
    [
        ("last_funding within 18 months", ast.Duration(18, "months")),
        ("last_funding within 1 year", ast.Duration(1, "years")),
        ("signed_up within 2 weeks", ast.Duration(2, "weeks")),
        ("visited within 30 days", ast.Duration(30, "days")),
    ],
)
def test_within_a_duration(text: str, duration: ast.Duration) -> None:
    node = condition(text)
    assert isinstance(node, ast.Within)
    assert node.duration.value == duration


def test_field_value_is_a_match_and_a_bare_field_is_a_boolean_test() -> None:
    assert condition("requires on_prem") == ast.Matches(P("requires"), word("on_prem"), NOWHERE)
    assert condition("has_security_owner") == ast.Truthy(P("has_security_owner"), NOWHERE)


def test_dotted_and_backtick_quoted_paths() -> None:
    assert condition("hq.country in [US]") == ast.InList(
        P("hq", "country"), (word("US"),), False, NOWHERE
    )
    node = condition("`Annual Revenue` >= 1M")
    assert isinstance(node, ast.Compare)
    assert node.field.parts == ("Annual Revenue",)
    assert condition("`tier` == gold") == ast.Compare(P("tier"), "==", word("gold"), NOWHERE)


# ------------------------------------------------------------------ values


@pytest.mark.parametrize(
    ("literal", "value"),
    [
        ("200", 200),
        ("1_000", 1000),
        ("2.5", 2.5),
        ("$10M", 10_000_000),
        ("1.5B", 1_500_000_000),
        ("50k", 50_000),
        ("$12.5M", 12_500_000),
        ("30%", 0.3),
        ("-5", -5),
        ("2bn", 2_000_000_000),
    ],
)
def test_number_and_money_literals(literal: str, value: int | float) -> None:
    node = condition(f"x >= {literal}")
    assert isinstance(node, ast.Compare)
    assert node.value == num(value, literal)


def test_other_literals() -> None:
    date = condition("founded >= 2020-01-31")
    assert isinstance(date, ast.Compare)
    assert date.value.value == datetime.date(2020, 1, 31)
    assert condition("active == true") == ast.Compare(
        P("active"), "==", ast.Value("bool", True, "true", NOWHERE), NOWHERE
    )
    dotted = condition("runtime == Node.js")
    assert isinstance(dotted, ast.Compare) and dotted.value.value == "Node.js"
    escaped = condition(r'name == "say \"hi\""')
    assert isinstance(escaped, ast.Compare) and escaped.value.value == 'say "hi"'
    single = condition("name == 'Acme'")
    assert isinstance(single, ast.Compare) and single.value.value == "Acme"


# ------------------------------------------------------------------ logic


def test_and_binds_tighter_than_or_and_not_tighter_than_and() -> None:
    a, b, c, d = (ast.Truthy(P(n), NOWHERE) for n in "abcd")
    assert condition("a and b or not c and d") == ast.Or(
        (ast.And((a, b), NOWHERE), ast.And((ast.Not(c, NOWHERE), d), NOWHERE)), NOWHERE
    )


def test_parentheses_override_precedence() -> None:
    a, b, c = (ast.Truthy(P(n), NOWHERE) for n in "abc")
    assert condition("a and (b or c)") == ast.And((a, ast.Or((b, c), NOWHERE)), NOWHERE)
    assert condition("not (a or b)") == ast.Not(ast.Or((a, b), NOWHERE), NOWHERE)


def test_a_condition_continues_after_and_or_on_the_next_line() -> None:
    node = condition("employees >= 50 and\n  (industry in [Healthcare] or\n   revenue > 5M)")
    assert isinstance(node, ast.And)
    assert isinstance(node.operands[1], ast.Or)


# ------------------------------------------------------------------ statements


def test_statement_kinds() -> None:
    items = parse(
        "require has_security_owner\n"
        'disqualify if requires on_prem: "needs on-prem deployment"\n'
        "disqualify if is_competitor\n"
        "+20 if tech has Okta\n"
        "-10 if funding_stage is missing\n"
        "tier A if score >= 30\n"
        'tier "Top accounts" if score >= 50\n'
        "tier C otherwise\n"
        "define modern = tech has any [AWS, GCP]\n"
    ).items
    kinds = [type(i).__name__ for i in items]
    assert kinds == ["Criterion", "Disqualifier", "Disqualifier", "Points", "Points",
                     "Tier", "Tier", "Tier", "Define"]  # fmt: skip
    require, reasoned, bare, plus, minus, tier_a, quoted, otherwise, define = items
    assert isinstance(require, ast.Criterion) and require.required_keyword
    assert isinstance(reasoned, ast.Disqualifier) and reasoned.reason == "needs on-prem deployment"
    assert isinstance(bare, ast.Disqualifier) and bare.reason is None
    assert isinstance(plus, ast.Points) and plus.points == 20
    assert isinstance(minus, ast.Points) and minus.points == -10
    assert isinstance(tier_a, ast.Tier) and tier_a.name == "A" and tier_a.condition is not None
    assert isinstance(quoted, ast.Tier) and quoted.name == "Top accounts"
    assert isinstance(otherwise, ast.Tier) and otherwise.condition is None
    assert isinstance(define, ast.Define) and define.name == "modern"


def test_semicolons_comments_blank_lines_and_continuations_separate_statements() -> None:
    text = (
        "# a comment line\n\n"
        "industry in [SaaS]; employees 200..1000   # trailing comment\n"
        "\n"
        "revenue >= \\\n  $10M\n"
    )
    module = parse(text)
    assert [type(i.condition).__name__ for i in module.items] == ["InList", "Range", "Compare"]  # type: ignore[union-attr]
    assert [c.text for c in module.comments] == ["# a comment line", "# trailing comment"]


def test_a_hash_inside_a_string_is_not_a_comment() -> None:
    module = parse('name == "#1 vendor"')
    assert module.comments == ()


def test_profiles_and_extends() -> None:
    module = parse('profile "A" {\n  x\n}\nprofile "B" extends "A" { y; z }\nprofile "C" {}')
    a, b, c = module.items
    assert isinstance(a, ast.ProfileDecl) and a.name == "A" and a.extends is None
    assert isinstance(b, ast.ProfileDecl) and b.extends == "A" and len(b.body) == 2
    assert isinstance(c, ast.ProfileDecl) and c.body == ()


@pytest.mark.parametrize("keyword", ["tier", "age", "score", "profile", "examples", "all"])
def test_keywords_are_field_names_where_a_field_is_expected(keyword: str) -> None:
    node = condition(f"require {keyword} == x")
    assert isinstance(node, ast.Compare)
    assert node.field.parts == (keyword,)


def test_spans_locate_nodes() -> None:
    module = parse("industry in [SaaS]\n  employees 200..1000", "f.icp")
    second = module.items[1]
    assert (second.span.line, second.span.column) == (2, 3)
    assert isinstance(second, ast.Criterion)
    assert (second.condition.span.start, second.condition.span.end) == (21, 40)
    assert module.filename == "f.icp"


def test_empty_text_is_an_empty_module() -> None:
    assert parse("").items == ()
    assert parse("\n# only a comment\n\n").items == ()


# ------------------------------------------------------------------ errors


@pytest.mark.parametrize(
    ("text", "line", "column", "message"),
    [
        ("employees = 5", 1, 11, "use '==' to compare"),
        ("industry in [SaaS", 1, 18, "missing its closing ']'"),
        ("tier A score >= 3", 1, 8, "tier NAME if CONDITION"),
        ("x 1...5", 1, 6, "two dots"),
        ('name == "open', 1, 9, "unterminated string"),
        ("x in SaaS", 1, 6, "put the values in brackets"),
        ("ok\nrevenue >= 10 M", 2, 15, "end of the statement"),
        ("profile A { x }", 1, 9, 'quote the profile name: "A"'),
        ("x ≥ 5", 1, 3, "write '>='"),
        ("founded >= 2020-13-45", 1, 12, "not a valid date: 2020-13-45"),
    ],
)
def test_syntax_errors_are_located_and_explained(
    text: str, line: int, column: int, message: str
) -> None:
    with pytest.raises(ICPSyntaxError) as caught:
        parse(text, "bad.icp")
    error = caught.value
    assert (error.filename, error.line, error.column) == ("bad.icp", line, column)
    assert message in str(error)
    assert isinstance(error, ICPError)
    assert error.source_line == text.splitlines()[line - 1]


def test_syntax_error_message_shows_the_line_with_a_caret() -> None:
    with pytest.raises(ICPSyntaxError) as caught:
        parse("industry in [SaaS]\nemployees between 200 and 1000", "p.icp")
    lines = str(caught.value).splitlines()
    assert lines[0].startswith("p.icp:2:19: syntax error: unexpected '200'")
    assert "employees between 200 and 1000" in lines[1]
    assert lines[2].index("^") == lines[1].index("200")


@pytest.mark.parametrize(
    ("text", "expected", "hint"),
    [
        ("x == a b", "expected 'and', 'or' or the end of the statement",
         'quote a value that has spaces ("a b")'),
        ("x in [a b]", "expected ',' or ']'", "separate list items with commas"),
        ("revenue >= 10 M", "expected 'and', 'or' or the end of the statement",
         "write the suffix next to the number: 10M"),
    ],
)  # fmt: skip
def test_expected_tokens_are_the_ones_the_parser_would_take(
    text: str, expected: str, hint: str
) -> None:
    with pytest.raises(ICPSyntaxError) as caught:
        parse(text)
    assert expected in caught.value.message
    assert caught.value.hint is not None and hint in caught.value.hint
