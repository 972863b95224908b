"""The formatter: golden files (x.icp beside x.icp.formatted), layout rules, comments."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import icpdsl

GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "format"
CASES = sorted(GOLDEN.glob("*.icp"))


def _same_program(a: str, b: str) -> None:
    before, after = icpdsl.parse(a), icpdsl.parse(b)
    assert after.items == before.items
    assert [c.text.rstrip() for c in after.comments] == [c.text.rstrip() for c in before.comments]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_golden(case: Path) -> None:
    text = case.read_text(encoding="utf-8")
    expected = case.with_name(case.name + ".formatted").read_text(encoding="utf-8")
    formatted = icpdsl.format(text)
    assert formatted == expected
    assert icpdsl.format(formatted) == formatted
    _same_program(text, formatted)


def test_bundled_examples_keep_their_meaning() -> None:
    for path in sorted((GOLDEN.parents[2] / "examples").glob("*.icp")):
        text = path.read_text(encoding="utf-8")
        formatted = icpdsl.format(text)
        _same_program(text, formatted)
        assert icpdsl.format(formatted) == formatted


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ""),
        ("\n\n", ""),
        ("# only a comment", "# only a comment\n"),
        ("employees>5", "employees > 5\n"),
        ("employees   200 .. 1000", "employees 200..1000\n"),
        ("age 3..5 years", "age 3..5 years\n"),
        ("x in[a,b ,c,]", "x in [a, b, c]\n"),
        ("x not in [a]", "x not in [a]\n"),
        ("not x in [a]", "not x in [a]\n"),
        ("a or b and c", "a or (b and c)\n"),
        ("(a or b) and c", "(a or b) and c\n"),
        ("a and (b and c)", "a and (b and c)\n"),
        ("((a))", "a\n"),
        ("not (a or b)", "not (a or b)\n"),
        ("a;b", "a\nb\n"),
        ("a \\\n  and b", "a and b\n"),
        ("a\r\nb\r\n", "a\nb\n"),
        ("`Annual Revenue` >= $10M", "`Annual Revenue` >= $10M\n"),
        ("`employees` > 5", "employees > 5\n"),
        ("require `in` > 5", "require `in` > 5\n"),
        ("tier 'Tier 1' if a", 'tier "Tier 1" if a\n'),
        ("tier 'gold' otherwise", "tier gold otherwise\n"),
        ("disqualify if a: 'it\\'s \"odd\"'", 'disqualify if a: "it\'s \\"odd\\""\n'),
        ("x == 'single'", "x == 'single'\n"),
        ('profile "P" {}', 'profile "P" {}\n'),
        ("fields{a:set[ string ];b from 'B'}", 'fields {\n  a: set[string]\n  b from "B"\n}\n'),
        ("tech has any [a]", "tech has any [a]\n"),
        ("+10 if a\n-5 if b", "+10 if a\n-5 if b\n"),
        ("a\ndisqualify if b", "a\n\ndisqualify if b\n"),
    ],
)
def test_layout(text: str, expected: str) -> None:
    assert icpdsl.format(text) == expected
    _same_program(text, expected)


def test_long_conditions_break_after_and_or() -> None:
    parts = [f"field_number_{i} in [value_{i}]" for i in range(5)]
    formatted = icpdsl.format(" and ".join(parts))
    assert formatted.splitlines() == [
        "field_number_0 in [value_0] and",
        "    field_number_1 in [value_1] and",
        "    field_number_2 in [value_2] and",
        "    field_number_3 in [value_3] and",
        "    field_number_4 in [value_4]",
    ]


def test_long_lists_break_inside_the_brackets() -> None:
    values = ", ".join(f"Industry_{i:02}" for i in range(12))
    formatted = icpdsl.format(f'profile "P" {{\n  industry in [{values}]\n}}')
    assert formatted.splitlines() == [
        'profile "P" {',
        "  industry in [",
        "      Industry_00, Industry_01, Industry_02, Industry_03, Industry_04, Industry_05,",
        "      Industry_06, Industry_07, Industry_08, Industry_09, Industry_10, Industry_11,",
        "  ]",
        "}",
    ]
    assert all(len(line) <= 100 for line in formatted.splitlines())


def test_long_categories_break_inside_the_brackets() -> None:
    values = ", ".join(f"Industry_{i:02}" for i in range(12))
    formatted = icpdsl.format(f'fields {{\n  industry: category [{values}] from "Industry"\n}}')
    assert formatted.splitlines() == [
        "fields {",
        "  industry: category [",
        "      Industry_00, Industry_01, Industry_02, Industry_03, Industry_04, Industry_05,",
        "      Industry_06, Industry_07, Industry_08, Industry_09, Industry_10, Industry_11,",
        '  ] from "Industry"',
        "}",
    ]


def test_long_records_fill_lines_evenly() -> None:
    """As few lines as fit, of even length: no last line left with a single pair."""
    pairs = "industry: SaaS, employees: 540, has_security_owner: true, tech: [AWS, Okta], "
    formatted = icpdsl.format(f"examples {{\n  fit {{ {pairs}country: US, revenue: $25M }}\n}}")
    assert formatted.splitlines() == [
        "examples {",
        "  fit {",
        "    industry: SaaS, employees: 540, has_security_owner: true",
        "    tech: [AWS, Okta], country: US, revenue: $25M",
        "  }",
        "}",
    ]


def test_an_item_wider_than_the_line_stays_whole() -> None:
    values = ", ".join(["a" * 120, "b", "c"])
    assert icpdsl.format(f"x in [{values}]").splitlines() == [
        "x in [",
        "    " + "a" * 120 + ",",
        "    b, c,",
        "]",
    ]


def test_trailing_comments_align_only_when_they_fit() -> None:
    long_rule = "x in [" + ", ".join(f"v{i}" for i in range(28)) + "]"
    formatted = icpdsl.format(f"a  # one\n{long_rule}  # two")
    assert formatted.splitlines()[0] == "a  # one"


def test_the_before_and_after_in_the_docs_agree() -> None:
    page = (GOLDEN.parents[2] / "docs" / "formatting.md").read_text(encoding="utf-8")
    before = re.search(r"^```icp-unformatted\n(.*?)^```", page, re.MULTILINE | re.DOTALL)
    after = re.search(r"^```icp-formatted\n(.*?)^```", page, re.MULTILINE | re.DOTALL)
    assert before is not None and after is not None
    assert icpdsl.format(before.group(1)) == after.group(1)


def test_syntax_errors_are_raised() -> None:
    with pytest.raises(icpdsl.ICPSyntaxError):
        icpdsl.format("employees 200...1000")


def test_form_feeds_and_line_separators_in_comments_keep_lines_as_the_parser_counts() -> None:
    # `str.splitlines` breaks at \x0c, \x1c and \u2028 too: the formatter once counted
    # lines so, and a blank line after a comment holding one came and went (not idempotent)
    text = 'fields{employees:employees# c\x0c};x\n}\n\n# after\u2028"a b"\n'
    once = icpdsl.format(text)
    assert icpdsl.format(once) == once
    assert once.endswith('}\n\n# after\u2028"a b"\n')
