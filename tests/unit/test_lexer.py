"""The Pygments lexer `icp`: registered by name and file name, and every token of every
ICP text the project ships (examples, golden files, the docs' blocks) classified."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

pygments = pytest.importorskip("pygments", reason="the lexer needs pip install 'icpdsl[docs]'")

from pygments.lexers import get_lexer_by_name, get_lexer_for_filename  # noqa: E402
from pygments.token import Error, Token, _TokenType  # noqa: E402

import icpdsl  # noqa: E402
from icpdsl.highlight import ICPLexer  # noqa: E402
from tests.property.strategies_icp import programs  # noqa: E402
from tests.test_docs import FENCE, PAGES, ROOT  # noqa: E402

SHIPPED = sorted(
    path
    for path in ROOT.rglob("*.icp")
    if not {".venv", "node_modules", "site"} & set(path.relative_to(ROOT).parts)
)


def _valid(path: Path) -> bool:
    try:
        icpdsl.parse(path.read_text(encoding="utf-8"), str(path))
    except icpdsl.ICPError:
        return False
    return True


VALID = [path for path in SHIPPED if _valid(path)]
DOC_BLOCKS = [
    (page, page.read_text(encoding="utf-8").count("\n", 0, match.start()) + 1, match.group(3))
    for page in PAGES
    for match in FENCE.finditer(page.read_text(encoding="utf-8"))
    if match.group(1) in ("icp", "icp-formatted", "icp-unformatted")
]


def _tokens(text: str) -> list[tuple[_TokenType, str]]:
    return [(kind, value) for kind, value in ICPLexer().get_tokens(text) if value.strip()]


def _errors(text: str) -> list[tuple[_TokenType, str]]:
    return [(kind, value) for kind, value in _tokens(text) if kind in Error]


def test_the_lexer_is_found_by_name_alias_and_file_name() -> None:
    assert isinstance(get_lexer_by_name("icp"), ICPLexer)
    assert isinstance(get_lexer_for_filename("segments.icp"), ICPLexer)


def test_the_repository_ships_icp_files_and_docs_blocks_to_check() -> None:
    assert len(VALID) >= 15 and len(DOC_BLOCKS) >= 8


@pytest.mark.parametrize("path", VALID, ids=[str(p.relative_to(ROOT)) for p in VALID])
def test_every_token_of_every_shipped_icp_file_is_classified(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert _errors(text) == []
    assert "".join(value for _, value in ICPLexer().get_tokens(text)).rstrip("\n") == (
        text.rstrip("\n")
    )


@pytest.mark.parametrize(
    ("page", "line", "text"),
    DOC_BLOCKS,
    ids=[f"{page.name}:{line}" for page, line, _ in DOC_BLOCKS],
)
def test_every_token_of_every_docs_block_is_classified(page: Path, line: int, text: str) -> None:
    assert _errors(text) == [], f"{page.name}:{line}"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(programs())
def test_any_program_lexes_without_error_tokens(text: str) -> None:
    assert _errors(text) == []


def test_statement_keywords_are_keywords_and_a_field_named_tier_is_a_name() -> None:
    tokens = _tokens(
        'profile "P" extends "Base" {\n'
        "  define big = employees >= 1_000\n"
        "  require tier == gold\n"
        '  disqualify if requires on_prem: "no"\n'
        "  +20 if founded within 18 months\n"
        "  tier A if score >= 20\n"
        "  tier B otherwise\n"
        "}\n"
    )
    assert (Token.Keyword.Declaration, "profile") in tokens
    assert (Token.Keyword.Declaration, "extends") in tokens
    assert (Token.Name.Function, "big") in tokens
    assert (Token.Name, "tier") in tokens  # a field: `tier` after `require`
    assert tokens.count((Token.Keyword, "tier")) == 2
    assert [(Token.Name.Label, "A"), (Token.Name.Label, "B")] == [
        t for t in tokens if t[0] is Token.Name.Label
    ]
    assert (Token.Literal.Number, "+20") in tokens
    assert (Token.Name.Builtin, "months") in tokens
    assert (Token.Operator.Word, "within") in tokens
    assert (Token.Literal.Number, "1_000") in tokens


def test_types_are_coloured_in_fields_blocks_and_verdicts_in_examples_blocks() -> None:
    tokens = _tokens(
        'fields {\n  tech: set[string] from "Web Technologies"\n  hq: { country: string }\n}\n'
        'examples {\n  not_fit "small" { employees: 10, founded: 2020-01-31 }'
        " because employees\n}\n"
        "string == fit\n"
    )
    assert (Token.Name.Attribute, "tech") in tokens
    assert tokens.count((Token.Keyword.Type, "string")) == 2
    assert (Token.Keyword, "from") in tokens
    assert (Token.Name.Constant, "not_fit") in tokens
    assert (Token.Name.Attribute, "employees") in tokens
    assert (Token.Literal.Date, "2020-01-31") in tokens
    assert (Token.Keyword, "because") in tokens
    assert tokens[-3:] == [(Token.Name, "string"), (Token.Operator, "=="), (Token.Name, "fit")]


def test_text_that_is_not_icp_shows_error_tokens() -> None:
    assert _errors("revenue ≥ $10M") == [(Token.Error, "≥")]


def test_as_of_is_a_declaration_with_its_date_and_a_field_named_as_stays_a_name() -> None:
    tokens = _tokens('as of 2013-12-31\nprofile "P" {\n  as of 2014-01-01\n  as >= 3\n}\n')
    assert tokens.count((Token.Keyword.Declaration, "as")) == 2
    assert tokens.count((Token.Keyword.Declaration, "of")) == 2
    assert (Token.Literal.Date, "2013-12-31") in tokens
    assert (Token.Literal.Date, "2014-01-01") in tokens
    assert (Token.Name, "as") in tokens  # a field called `as`
