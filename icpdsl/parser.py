"""Text → AST: the Lark facade, built once per process, with located, helpful errors.

Lark itself is imported by the first parse, not by `import icpdsl`: commands that parse
nothing start faster.
"""

from __future__ import annotations

import contextvars
import datetime
import functools
import importlib.resources
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol, cast

from . import ast
from .errors import ICPError, ICPSyntaxError
from .lark_cache import lark_cache
from .limits import (
    DEFAULT_LIMITS,
    Limits,
    NestingGuard,
    TokenLimitExceeded,
    check_text_size,
    limit_error,
)
from .semantics.cells import parse_number
from .source import Source, Span

if TYPE_CHECKING:
    import lark
    from lark import Token
    from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken

#: Token types after which a line break cannot end a statement.
_CONTINUES = frozenset(
    {
        "LBRACE", "COMMA", "_AND", "_OR", "_NOT", "IF", "EQUAL", "COLON", "COMPARE",
        "_IN", "_HAS", "_ANY", "_ALL", "_NONE", "_IS", "_WITHIN", "DISQUALIFY",
        "REQUIRE", "POINTS", "DEFINE", "_SEP",
    }
)  # fmt: skip
_OPEN = {"LPAR": "RPAR", "LSQB": "RSQB"}
_CLOSE = frozenset(_OPEN.values())

#: How terminals are named in error messages.
_TERMINAL_NAMES = {
    "NAME": "a name",
    "QUOTED_NAME": "a `quoted name`",
    "STRING": "a quoted string",
    "NUMBER": "a number",
    "DATE": "a date (YYYY-MM-DD)",
    "POINTS": "points (+10 or -5)",
    "COMPARE": "a comparison (== != < <= > >=)",
    "UNIT": "a unit (years, months, weeks, days)",
    "VERDICT": "an expected verdict (fit, not_fit, disqualified, unknown)",
    "_SEP": "the end of the statement",
    "$END": "the end of the file",
}


class _Separators:
    """Post-lexer: one separator between statements, none inside brackets or after
    a token that cannot end a statement, so lists and conditions can wrap lines."""

    always_accept = ("_SEP",)

    def process(self, stream: Iterator[Token]) -> Iterator[Token]:
        return NestingGuard(_LIMITS.get()).watch(self._statements(stream))

    def _statements(self, stream: Iterator[Token]) -> Iterator[Token]:
        depth = 0
        previous: str | None = None
        for token in stream:
            kind = token.type
            if kind == "_SEP":
                if depth > 0 or previous is None or previous in _CONTINUES:
                    continue
            elif kind in _OPEN:
                depth += 1
            elif kind in _CLOSE:
                depth = max(0, depth - 1)
            previous = kind
            yield token


#: The limits of the parse running in this thread or task (the Lark parser is shared).
_LIMITS: contextvars.ContextVar[Limits] = contextvars.ContextVar(
    "icpdsl_limits", default=DEFAULT_LIMITS
)


def _new_lark(**options: Any) -> lark.Lark:
    """An LALR parser for grammar.lark (a contextual lexer, then `_Separators`); Lark's
    analysis of the grammar is kept between processes (`icpdsl.lark_cache`)."""
    import lark

    grammar = importlib.resources.files("icpdsl").joinpath("grammar.lark").read_text("utf-8")
    options |= {"parser": "lalr", "lexer": "contextual", "maybe_placeholders": True}
    with lark_cache(grammar, options, lark.__version__) as cache:
        return lark.Lark(grammar, postlex=_Separators(), cache=cache, **options)


@functools.cache
def _lark() -> lark.Lark:
    """The parser `parse` runs: AST nodes are built as the rules reduce, with no parse
    tree in between; every token is kept so that a node's span covers its keywords and
    brackets."""
    return _new_lark(keep_all_tokens=True, transformer=_Builder(), start=["start", "one_statement"])


@functools.cache
def tree_parser() -> lark.Lark:
    """The same grammar building Lark's parse tree, run only to report a syntax error
    (the hints read the trees left on the parser's stack, see `_previous_token`) and by
    the language server's completion (its interactive parser)."""
    return _new_lark()


def parse(
    text: str, filename: str = "<string>", *, limits: Limits | None = None, suspect: bool = False
) -> ast.Module:
    """Parse ICP text into a Module; raise ICPSyntaxError with a location on bad input.

    Text over a `Limits` (default: `DEFAULT_LIMITS`) raises ICPLimitError instead.
    `suspect` says the text most likely has a syntax error (an editor's edit that no
    longer parses alone): the parser that explains errors runs first, so the error costs
    one parse, not two; the result is the same either way.
    """
    from lark.exceptions import UnexpectedCharacters, UnexpectedInput

    limits = limits or DEFAULT_LIMITS
    check_text_size(text, filename, limits)
    reset = _LIMITS.set(limits)
    try:
        if suspect:
            _syntax_error_first(Source(text, filename))
        items = cast(tuple[ast.TopLevel, ...], _lark().parse(text, start="start"))
    except UnexpectedCharacters as error:  # the lexer's, whichever parser drives it
        raise _bad_character(error, Source(text, filename)) from None
    except (UnexpectedInput, _BadValue) as error:
        raise _first_error(error, Source(text, filename)) from None
    except TokenLimitExceeded as error:
        raise _limit_exceeded(error, Source(text, filename)) from None
    finally:
        _LIMITS.reset(reset)
    return ast.Module(items, scan_comments(text, filename), filename, text)


def parse_statement(text: str, *, limits: Limits | None = None) -> ast.Statement | None:
    """The one statement `text` holds, with the positions it has there (text before the
    statement may be blank filler that keeps its offsets, lines and columns); None when
    the text is not exactly one statement, or breaks a limit: the caller parses the
    whole file, which says why."""
    from lark.exceptions import LarkError

    reset = _LIMITS.set(limits or DEFAULT_LIMITS)
    try:
        return cast(ast.Statement, _lark().parse(text, start="one_statement"))
    except (LarkError, _BadValue, TokenLimitExceeded):
        return None
    finally:
        _LIMITS.reset(reset)


def _syntax_error_first(source: Source) -> None:
    """Raise the syntax error or limit the tree-building parser meets first, as `parse`
    reports it; a character the lexer refuses is left to the AST-building parser, which
    tells it from a value it cannot read that comes before it."""
    from lark.exceptions import UnexpectedCharacters, UnexpectedInput

    try:
        tree_parser().parse(source.text)
    except UnexpectedCharacters:
        return
    except UnexpectedInput as error:
        raise _syntax_error(error, source) from None
    except TokenLimitExceeded as error:
        raise _limit_exceeded(error, source) from None


def _first_error(problem: UnexpectedInput | _BadValue, source: Source) -> ICPError:
    """The error to report for text the AST-building parser stopped on.

    That parser stops at a value it cannot read (`2024-02-30`), but a syntax error or a
    limit further on is reported first; and a syntax error's hint reads the parse trees
    on the parser's stack.  So the text is parsed again, into a tree, as CPython re-parses
    a file to explain its syntax errors: the cost falls on bad input only.
    """
    from lark.exceptions import UnexpectedInput

    try:
        tree_parser().parse(source.text)
    except UnexpectedInput as error:
        return _syntax_error(error, source)
    except TokenLimitExceeded as error:
        return _limit_exceeded(error, source)
    if isinstance(problem, _BadValue):
        return problem.error(source)
    return _syntax_error(problem, source)  # not reached: the two parsers share a grammar


def _limit_exceeded(error: TokenLimitExceeded, source: Source) -> ICPError:
    line, column = cast(int, error.token.line), cast(int, error.token.column)
    return limit_error(
        error.message,
        error.setting,
        filename=source.filename,
        line=line,
        column=column,
        source_line=source.line_text(line),
    )


#: A `# comment`, or a string or `quoted name` (which may hold a `#`) to pass over.  An
#: unclosed string ends at its line's end; a backslash escapes any character in one.
#: Possessive quantifiers keep a long string's match in constant memory.
_COMMENT_OR_QUOTED = re.compile(
    r"#[^\n]*|\"(?:[^\"\\\n]++|\\[\s\S])*+\"?|'(?:[^'\\\n]++|\\[\s\S])*+'?|`[^`\n]*`?"
)


def scan_comments(text: str, filename: str) -> tuple[ast.Comment, ...]:
    """Every `# comment` outside strings and `quoted names`, for the formatter."""
    if "#" not in text:
        return ()
    source = Source(text, filename)
    return tuple(
        ast.Comment(match.group().rstrip("\r"), source.span(match.start(), match.end()))
        for match in _COMMENT_OR_QUOTED.finditer(text)
        if match.group().startswith("#")
    )


_UNITS = {
    "year": "years", "years": "years", "month": "months", "months": "months",
    "week": "weeks", "weeks": "weeks", "day": "days", "days": "days",
}  # fmt: skip
_ESCAPES = {"n": "\n", "t": "\t", "\\": "\\", '"': '"', "'": "'"}


def _unquote(text: str) -> str:
    body = text[1:-1]
    if "\\" not in body:
        return body
    out: list[str] = []
    chars = iter(body)
    for char in chars:
        if char == "\\":
            escaped = next(chars, "\\")
            out.append(_ESCAPES.get(escaped, "\\" + escaped))
        else:
            out.append(char)
    return "".join(out)


def _field_name(token: Token) -> str:
    text = str(token)
    return text[1:-1] if token.type == "QUOTED_NAME" else text


def _name(token: Token) -> str:
    """A tier's name: a bare word or a quoted string."""
    return _unquote(token) if token.type == "STRING" else str(token)


# ---------------------------------------------------------------- AST building


class _Part:
    """What a rule that is not a node returns (a bracketed list, a parenthesised
    condition, a range, a piece of an example), with where it was written: the node
    around it spans the brackets too."""

    __slots__ = ("span", "value")

    def __init__(self, value: Any, span: Span) -> None:
        self.value = value
        self.span = span


class _Spanned(Protocol):
    """A node or a _Part: whatever stands in a rule's children with a span."""

    @property
    def span(self) -> Span: ...


# Spans come from the tokens' positions, which Lark's lexer sets (none is None): no
# offset is looked up again.  The three specialised helpers keep the common cases fast.


def _span(first: Token | _Spanned, last: Token | _Spanned) -> Span:
    """From the start of `first` to the end of `last`."""
    if isinstance(first, str):  # a Token
        start, line, column = first.start_pos, first.line, first.column
    else:
        begin = first.span
        start, line, column = begin.start, begin.line, begin.column
    if isinstance(last, str):
        end, end_line, end_column = last.end_pos, last.end_line, last.end_column
    else:
        finish = last.span
        end, end_line, end_column = finish.end, finish.end_line, finish.end_column
    return Span(start, end, line, column, end_line, end_column)  # type: ignore[arg-type]


def _token_span(token: Token) -> Span:
    start, end = token.start_pos, token.end_pos
    return Span(start, end, token.line, token.column, token.end_line, token.end_column)  # type: ignore[arg-type]


def _tokens_span(first: Token, last: Token) -> Span:
    start, end = first.start_pos, last.end_pos
    return Span(start, end, first.line, first.column, last.end_line, last.end_column)  # type: ignore[arg-type]


def _nodes_span(first: _Spanned, last: _Spanned) -> Span:
    begin, finish = first.span, last.span
    line, column = begin.line, begin.column
    return Span(begin.start, finish.end, line, column, finish.end_line, finish.end_column)


def _condition(item: ast.Condition | _Part) -> ast.Condition:
    """A condition, out of the parentheses it may have been written in."""
    return cast(ast.Condition, item.value) if isinstance(item, _Part) else item


def _kept(children: list[Any]) -> list[Any]:
    """The nodes and parts among a rule's children: no tokens (the only `str`s there),
    no absent optionals."""
    return [c for c in children if c is not None and not isinstance(c, str)]


class _BadValue(Exception):
    """A value the grammar accepts but that does not exist (`2024-02-30`)."""

    def __init__(self, message: str, span: Span, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.span = span
        self.hint = hint

    def error(self, source: Source) -> ICPSyntaxError:
        return ICPSyntaxError(
            self.message,
            filename=source.filename,
            line=self.span.line,
            column=self.span.column,
            source_line=source.line_text(self.span.line),
            hint=self.hint,
        )


class _Builder:
    """The AST, built rule by rule as the LALR parser reduces (Lark's inline transformer).

    Each method is named after a rule or alias of grammar.lark and receives that rule's
    children as written, tokens included, with None for an absent `[optional]` part; a
    node spans its first to its last child, as Lark's `propagate_positions` would.
    """

    # ---------------------------------------------------------------- values
    def number(self, children: list[Token]) -> ast.Value:
        token = children[0]
        # Plain digits (most numbers) are what parse_number would make of them: an int.
        value = int(token) if token.isdecimal() and len(token) < 16 else _literal_number(token)
        return ast.Value("number", value, str(token), _token_span(token))

    def date(self, children: list[Token]) -> ast.Value:
        token = children[0]
        try:
            value = datetime.date.fromisoformat(token)
        except ValueError:
            raise _BadValue(
                f"not a valid date: {token}", _token_span(token), "dates are YYYY-MM-DD"
            ) from None
        return ast.Value("date", value, str(token), _token_span(token))

    def string(self, children: list[Token]) -> ast.Value:
        token = children[0]
        return ast.Value("string", _unquote(token), str(token), _token_span(token))

    def word(self, children: list[Token]) -> ast.Value:
        if len(children) == 1:
            text = str(children[0])
            return ast.Value("string", text, text, _token_span(children[0]))
        text = ".".join(children[::2])  # NAME ("." NAME)*
        return ast.Value("string", text, text, _tokens_span(children[0], children[-1]))

    def true(self, children: list[Token]) -> ast.Value:
        return ast.Value("bool", True, "true", _token_span(children[0]))

    def false(self, children: list[Token]) -> ast.Value:
        return ast.Value("bool", False, "false", _token_span(children[0]))

    def duration(self, children: list[Token]) -> ast.Value:
        amount_token, unit = children
        amount = _literal_number(amount_token)
        span = _tokens_span(amount_token, unit)
        if amount is None or amount < 0 or not amount_token[0].isdigit():
            raise _BadValue(
                f"not a length of time: {amount_token} {unit}",
                span,
                "write a plain positive number before the unit, e.g. `18 months`",
            )
        value = ast.Duration(amount, cast(Any, _UNITS[unit]))
        return ast.Value("duration", value, f"{amount_token} {unit}", span)

    def values(self, children: list[Any]) -> _Part:
        return _Part(tuple(_kept(children)), _tokens_span(children[0], children[-1]))

    def path(self, children: list[Token]) -> ast.Path:
        if len(children) == 1:
            return ast.Path((_field_name(children[0]),), _token_span(children[0]))
        parts = tuple(_field_name(c) for c in children[::2])  # _field ("." _field)*
        return ast.Path(parts, _tokens_span(children[0], children[-1]))

    # ---------------------------------------------------------------- predicates
    def in_list(self, children: list[Any]) -> ast.InList:
        field, _, values = children
        return ast.InList(field, values.value, False, _nodes_span(field, values))

    def not_in_list(self, children: list[Any]) -> ast.InList:
        field, _, _, values = children
        return ast.InList(field, values.value, True, _nodes_span(field, values))

    def in_range(self, children: list[Any]) -> ast.Range:
        field, bounds = children
        low, high = bounds.value
        return ast.Range(field, low, high, _nodes_span(field, bounds))

    def range(self, children: list[Any]) -> _Part:
        if len(children) == 2:  # `..hi`
            return _Part((None, children[1]), _span(children[0], children[1]))
        low, dots, high = children
        span = _span(low, high if high is not None else dots)
        if high is not None and high.kind == "duration" and low.kind == "number":
            unit = cast(ast.Duration, high.value).unit  # `3..5 years`: both ends in years
            low = ast.Value("duration", ast.Duration(low.value, unit), low.text, low.span)
        return _Part((low, high), span)

    def compare(self, children: list[Any]) -> ast.Compare:
        field, op, value = children
        return ast.Compare(field, cast(ast.CompareOp, str(op)), value, _nodes_span(field, value))

    def has_one(self, children: list[Any]) -> ast.Has:
        field, _, value = children
        return ast.Has(field, "one", (value,), _nodes_span(field, value))

    def _has(self, mode: ast.HasMode, children: list[Any]) -> ast.Has:
        field, _, _, values = children
        return ast.Has(field, mode, values.value, _nodes_span(field, values))

    def has_any(self, children: list[Any]) -> ast.Has:
        return self._has("any", children)

    def has_all(self, children: list[Any]) -> ast.Has:
        return self._has("all", children)

    def has_none(self, children: list[Any]) -> ast.Has:
        return self._has("none", children)

    def is_missing(self, children: list[Any]) -> ast.IsKnown:
        return ast.IsKnown(children[0], False, _span(children[0], children[-1]))

    def is_known(self, children: list[Any]) -> ast.IsKnown:
        return ast.IsKnown(children[0], True, _span(children[0], children[-1]))

    def within(self, children: list[Any]) -> ast.Within:
        field, _, duration = children
        return ast.Within(field, duration, _nodes_span(field, duration))

    def matches(self, children: list[Any]) -> ast.Matches:
        field, value = children
        return ast.Matches(field, value, _nodes_span(field, value))

    def truthy(self, children: list[Any]) -> ast.Truthy:
        field = children[0]
        return ast.Truthy(field, field.span)

    # ---------------------------------------------------------------- conditions
    def not_cond(self, children: list[Any]) -> _Part:  # `( condition )`
        return _Part(_condition(children[1]), _tokens_span(children[0], children[2]))

    def not_(self, children: list[Any]) -> ast.Not:
        return ast.Not(_condition(children[1]), _span(children[0], children[1]))

    def and_cond(self, children: list[Any]) -> ast.And:
        operands = tuple(_condition(c) for c in children[::2])  # a and b and c
        return ast.And(operands, _nodes_span(children[0], children[-1]))

    def or_cond(self, children: list[Any]) -> ast.Or:
        operands = tuple(_condition(c) for c in children[::2])
        return ast.Or(operands, _nodes_span(children[0], children[-1]))

    # ---------------------------------------------------------------- statements
    def start(self, children: list[Any]) -> tuple[ast.TopLevel, ...]:
        return tuple(_kept(children))

    def one_statement(self, children: list[Any]) -> ast.Statement:
        statement: ast.Statement = children[0]
        return statement

    def criterion(self, children: list[Any]) -> ast.Criterion:
        keyword, condition = children
        if keyword is None:  # spans as its condition: one Span serves both
            return ast.Criterion(_condition(condition), False, condition.span)
        return ast.Criterion(_condition(condition), True, _span(keyword, condition))

    def disqualifier(self, children: list[Any]) -> ast.Disqualifier:
        first, _, condition, _, reason = children
        text = _unquote(reason) if reason is not None else None
        span = _span(first, reason if reason is not None else condition)
        return ast.Disqualifier(_condition(condition), text, span)

    def points(self, children: list[Any]) -> ast.Points:
        token, _, condition = children
        amount = _literal_number(token)
        return ast.Points(amount, str(token), _condition(condition), _span(token, condition))

    def tier(self, children: list[Any]) -> ast.Tier:
        condition = _condition(children[3]) if len(children) == 4 else None  # or OTHERWISE
        return ast.Tier(_name(children[1]), condition, _span(children[0], children[-1]))

    def as_of(self, children: list[Any]) -> ast.AsOf:
        first, _, day = children  # "as" "of" DATE
        return ast.AsOf(self.date([day]), _span(first, day))

    def define(self, children: list[Any]) -> ast.Define:
        first, name, _, condition = children
        return ast.Define(str(name), _condition(condition), _span(first, condition))

    def profile(self, children: list[Any]) -> ast.ProfileDecl:
        name, extends = children[1], children[3]  # "profile" STRING [_EXTENDS STRING] "{"
        return ast.ProfileDecl(
            _unquote(name),
            _unquote(extends) if extends is not None else None,
            tuple(_kept(children[5:-1])),
            _span(children[0], children[-1]),
        )

    def import_stmt(self, children: list[Token]) -> ast.Import:
        return ast.Import(_unquote(children[1]), _span(children[0], children[1]))

    # ---------------------------------------------------------------- fields
    def fields_block(self, children: list[Any]) -> ast.Fields:
        return ast.Fields(tuple(_kept(children)), _span(children[0], children[-1]))

    def field_decl(self, children: list[Any]) -> ast.FieldDecl:
        name, _, type_expr, _, column = children
        text = _unquote(column) if column is not None else None
        span = _span(name, column if column is not None else type_expr)
        return ast.FieldDecl(str(name), type_expr, text, span)

    def field_mapping(self, children: list[Token]) -> ast.FieldDecl:
        name, _, column = children
        return ast.FieldDecl(str(name), None, _unquote(column), _span(name, column))

    def type_expr(self, children: list[Any]) -> ast.TypeExpr:
        name = children[0]
        last = next(c for c in reversed(children) if c is not None)  # `]` or the name
        return ast.TypeExpr(str(name), tuple(_kept(children)), (), _span(name, last))

    def formatted_type(self, children: list[Token]) -> ast.TypeExpr:
        name, text = children
        form = self.string([text])
        return ast.TypeExpr(str(name), (), (), _tokens_span(name, text), format=form)

    def record_type(self, children: list[Any]) -> ast.TypeExpr:
        decls = tuple(_kept(children))
        return ast.TypeExpr("record", (), decls, _span(children[0], children[-1]))

    # ---------------------------------------------------------------- examples
    def examples_block(self, children: list[Any]) -> ast.Examples:
        return ast.Examples(tuple(_kept(children)), _span(children[0], children[-1]))

    def expectation(self, children: list[Token]) -> _Part:
        return _Part(("verdict", str(children[0])), _token_span(children[0]))

    def expect_tier(self, children: list[Token]) -> _Part:
        return _Part(("tier", _name(children[1])), _span(children[0], children[1]))

    def because(self, children: list[Any]) -> _Part:
        paths = tuple(_kept(children))
        return _Part(("because", paths), _span(children[0], children[-1]))

    def option_tier(self, children: list[Token]) -> _Part:
        return _Part(("tier", _name(children[1])), _span(children[0], children[1]))

    def option_score(self, children: list[Token]) -> _Part:
        score = self.number(children[1:])
        return _Part(("score", score), _span(children[0], children[1]))

    def example(self, children: list[Any]) -> ast.Example:
        expectation, name, record, *options = children
        kind, expected = expectation.value
        verdict = expected if kind == "verdict" else None
        tier = expected if kind == "tier" else None
        because: tuple[ast.Path, ...] = ()
        score = None
        for option in options:
            key, value = option.value
            if key == "because":
                because += value
            elif key == "tier":
                tier = value
            else:
                score = value
        if tier is not None and verdict is None:
            verdict = "fit"
        label = _unquote(name) if name is not None else None
        span = _span(expectation, children[-1])
        return ast.Example(verdict, tier, label, record, because, score, span)

    def record(self, children: list[Any]) -> ast.RecordLiteral:
        return ast.RecordLiteral(tuple(_kept(children)), _span(children[0], children[-1]))

    def pair(self, children: list[Any]) -> tuple[str, ast.RecordValue]:
        key, _, value = children
        name = _unquote(key) if key.type == "STRING" else _field_name(key)
        return (name, None if value is _NULL else value)

    def record_list(self, children: list[Any]) -> ast.ListLiteral:
        items = tuple(None if c is _NULL else c for c in _kept(children))
        return ast.ListLiteral(items, _span(children[0], children[-1]))

    def null(self, children: list[Token]) -> object:
        return _NULL


#: The largest magnitude a number literal may have: 2**53 - 1, the largest whole number
#: every engine holds exactly (a double's 53-bit significand: SQL, Polars, JSON).  A
#: larger literal would be rounded, written as `inf` or refused by one engine only.
LARGEST_NUMBER = 2**53 - 1


def _literal_number(token: Token) -> int | float:
    """A number literal's value; out of range (too large, or a fraction so small it
    would read as 0) is an error at the literal, so no engine ever sees it."""
    value = parse_number(token)
    if value is None:  # the grammar's NUMBER and parse_number agree; defensive
        raise _BadValue(f"not a number: {_shortened(token)}", _token_span(token))
    digits = token.lstrip("+-$")
    if abs(value) > LARGEST_NUMBER or value != value:
        raise _BadValue(
            f"number out of range: {_shortened(token)}",
            _token_span(token),
            f"numbers are at most {LARGEST_NUMBER:,} in size",
        )
    if value == 0 and any(d in "123456789" for d in digits.split("%")[0]):
        raise _BadValue(
            f"number out of range: {_shortened(token)} is too small to tell from 0",
            _token_span(token),
            "write 0, or a number with fewer zeros after the decimal point",
        )
    return value


def _shortened(text: str, most: int = 30) -> str:
    """A long literal's start and end, so that an error about it stays one line."""
    if len(text) <= most:
        return text
    return f"{text[:12]}…{text[-12:]} ({len(text):,} characters)"


#: `null` in an example record; distinct from the None of an absent optional part.
_NULL = object()


# ---------------------------------------------------------------- syntax errors


class _Fix(NamedTuple):
    """A hint that knows its correction: `text` in place of the source's [start:end]."""

    hint: str
    start: int
    end: int
    text: str


def _replacing(hint: str, first: Token, last: Token, text: str) -> _Fix:
    """A hint whose fix puts `text` in place of the tokens `first` to `last`."""
    return _Fix(hint, cast(int, first.start_pos), cast(int, last.end_pos), text)


def _inserting(hint: str, before: Token, text: str) -> str | _Fix:
    """A hint whose fix writes `text` just before the token `before` (not a line end)."""
    if before.type in ("_SEP", "$END"):
        return hint
    start = cast(int, before.start_pos)
    return _Fix(hint, start, start, text)


def _with_fix(hint: str | _Fix | None, source: Source, line: int) -> tuple[str | None, str | None]:
    """The hint's text and, when it knows its fix, line `line` corrected (ICPError's
    `hint` and `corrected_line`); a fix that is not on that one line is left out."""
    if not isinstance(hint, _Fix):
        return hint, None
    (first, start), (last, end) = source.location(hint.start), source.location(hint.end)
    text = source.line_text(line)
    if not first == last == line or end - 1 > len(text):
        return hint.hint, None
    return hint.hint, text[: start - 1] + hint.text + text[end - 1 :]


_OPERATORS = frozenset({"COMPARE", "_IN", "_HAS", "_IS", "_NOT", "DOTDOT", "_WITHIN"})
_STATEMENT_KEYWORDS = frozenset({"tier", "define", "require", "disqualify", "examples", "fields"})
_SUFFIXES = frozenset({"k", "m", "b", "mn", "bn"})
#: A character that is not ICP: the message, the hint, and what to write instead.
_TYPO_CHARS = {
    "=": ("'=' is not an operator here", "use '==' to compare", "=="),
    "≥": ("'≥' is not an operator", "write '>='", ">="),
    "≤": ("'≤' is not an operator", "write '<='", "<="),
    "≠": ("'≠' is not an operator", "write '!='", "!="),
    "“": ("curly quotes are not string quotes", 'use straight quotes: "..."', '"'),
    "”": ("curly quotes are not string quotes", 'use straight quotes: "..."', '"'),
}


def _describe_terminal(name: str) -> str:
    if name in _TERMINAL_NAMES:
        return _TERMINAL_NAMES[name]
    try:
        pattern = _lark().get_terminal(name).pattern
    except KeyError:
        return name
    return f"'{pattern.value}'" if pattern.type == "str" else name.strip("_").lower()


def _expected_text(expected: set[str]) -> str:
    names = sorted({_describe_terminal(n) for n in expected if n != "COMMENT"})
    if not names:
        return ""
    if len(names) > 8:
        return "; expected a statement, a condition or a value here"
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
    return "; expected " + listed


def _syntax_error(error: UnexpectedInput, source: Source) -> ICPSyntaxError:
    """A Lark error → ICPSyntaxError naming the place, what was expected and a hint."""
    from lark.exceptions import UnexpectedCharacters, UnexpectedToken

    if isinstance(error, UnexpectedCharacters):
        return _bad_character(error, source)
    assert isinstance(error, UnexpectedToken)
    token = error.token
    expected = _acceptable(error)
    if token.type == "$END":
        end = len(source.text.rstrip())
        line, column = source.location(end)
        found = "end of file"
    else:
        line, column = cast(int, token.line), cast(int, token.column)
        found = "a new line" if token.type == "_SEP" else f"'{token}'"
    previous = _previous_token(error)
    hint = _common_mistake(token, expected, previous, source)
    if hint is None:
        hint = _hint_for_token(token, expected, previous)
    hint, corrected = _with_fix(hint, source, line)
    return ICPSyntaxError(
        f"syntax error: unexpected {found}{_expected_text(expected)}",
        filename=source.filename,
        line=line,
        column=column,
        source_line=source.line_text(line),
        hint=hint,
        corrected_line=corrected,
    )


def _acceptable(error: UnexpectedToken) -> set[str]:
    """The tokens the parser would really take here.

    LALR's `expected` also lists lookaheads of states merged with this one (a comma after
    `x == a`), so ask the parser itself.  Leave out tokens that only continue a value
    (`.` in `Node.js`, a unit) and, where the statement may end, `..` and the end of file.
    """
    parser = getattr(error, "interactive_parser", None)
    expected = set(parser.accepts()) if parser is not None else set(error.expected)
    quiet = {"DOT", "UNIT"} | ({"$END", "DOTDOT"} if "_SEP" in expected else set())
    if error.token.type != "$END" and expected - quiet:
        expected -= quiet
    return expected


def _previous_token(error: UnexpectedToken) -> Token | None:
    from lark import Token, Tree

    state = getattr(error, "state", None)
    stack = getattr(state, "value_stack", None) or []
    for item in reversed(stack):
        if isinstance(item, Token):
            return item
        if isinstance(item, Tree) and item.children:
            last = item.children[-1]
            if isinstance(last, Token):
                return last
    return None


def _hint_for_token(token: Token, expected: set[str], previous: Token | None) -> str | _Fix | None:
    text = str(token)
    prev = str(previous) if previous is not None else ""
    almost = _almost_right(token, expected, previous)
    if almost is not None:
        return almost
    if text == "=":
        return _replacing("use '==' to compare", token, token, "==")
    if text == "." and previous is not None and previous.type == "DOTDOT":
        return _replacing("ranges use two dots: 200..1000", previous, token, "..")
    if previous is not None and prev in _STATEMENT_KEYWORDS and token.type in _OPERATORS:
        instead = f"to test a field named {prev}, write `require {prev} ...`"
        return _inserting(f"`{prev}` starts a statement; {instead}", previous, "require ")
    if token.type == "$END":
        if "RSQB" in expected:
            return "a list is missing its closing ']'"
        if "RPAR" in expected:
            return "a '(' is missing its closing ')'"
        if "RBRACE" in expected:
            return "a '{' is missing its closing '}'"
        return "the last statement is incomplete"
    if expected == {"IF"} or ("IF" in expected and "OTHERWISE" not in expected):
        if prev.startswith(("+", "-")):
            return _inserting(f"write points as `{prev} if CONDITION`", token, "if ")
        return _inserting("write `disqualify if CONDITION`", token, "if ")
    if "OTHERWISE" in expected:
        return _inserting("write `tier NAME if CONDITION` or `tier NAME otherwise`", token, "if ")
    if "LSQB" in expected and token.type != "LSQB":
        hint = f"put the values in brackets: [{text}, ...]"
        return _replacing(hint, token, token, f"[{text}]") if token.type != "_SEP" else hint
    if prev == "between" or text.lower() == "between":
        return "write a range as LOW..HIGH, e.g. `employees 200..1000`"
    if token.type in ("_AND", "_OR"):
        return f"to continue a condition on the next line, end the previous line with `{text}`"
    if "STRING" in expected and token.type == "NAME" and prev in ("profile", "extends"):
        hint = f'quote the profile name: "{text}"'
        return _replacing(hint, token, token, f'"{text}"')
    if previous is not None and _later_line(token, previous):
        if "RSQB" in expected:
            return "a '[' is not closed before this line, or a ',' is missing"
        if "RPAR" in expected:
            return "a '(' is not closed before this line"
    if "COMMA" in expected and "RSQB" in expected:
        hint = "separate list items with commas"
        if previous is None or previous.type == "LSQB" or token.type == "_SEP":
            return hint
        return _Fix(hint, cast(int, previous.end_pos), cast(int, token.start_pos), ", ")
    if token.type == "RBRACE":
        return "this '}' has no matching '{'"
    if token.type in ("RPAR", "RSQB"):
        return f"this '{text}' has no matching opening bracket"
    if "_SEP" in expected:
        suffix = token.type == "NAME" and text.lower() in _SUFFIXES
        if suffix and previous is not None and previous.type == "NUMBER":
            hint = f"write the suffix next to the number: {prev}{text}"
            return _replacing(hint, previous, token, f"{prev}{text}")
        if token.type == "NAME" and previous is not None and previous.type == "NAME":
            hint = (
                f'quote a value that has spaces ("{prev} {text}"), or put each statement '
                "on its own line"
            )
            return _replacing(hint, previous, token, f'"{prev} {text}"')
        return "put each statement on its own line or separate statements with ';'"
    return None


# ---------------------------------------------------------------- common mistakes
# Forms people write from habit (spreadsheets, SQL, English), each answered with the line
# as ICP wants it: `employees 200-1000`, `1,000`, `contains`, `AND`, `10 million`.

#: Words that multiply a number, as a suffix says it: `10 million` is `10M`.
_NUMBER_WORDS = {
    "k": "k", "thousand": "k", "thousands": "k",
    "m": "M", "mm": "M", "mn": "M", "mil": "M", "mio": "M", "million": "M", "millions": "M",
    "b": "B", "bn": "B", "billion": "B", "billions": "B",
}  # fmt: skip
#: Words other languages use for an ICP operator, and the operator.
_OPERATOR_WORDS = {
    "contains": "has", "contain": "has", "includes": "has", "include": "has",
    "containing": "has", "including": "has", "with": "has",
    "equals": "==", "equal": "==", "eq": "==", "is_equal_to": "==",
}  # fmt: skip
#: Keywords, to be written in lower case (`AND` is SQL's habit).
_KEYWORDS = frozenset({"and", "or", "not", "in", "has", "is", "if"})
#: A word on a line, or a string, `quoted name`, list or comment to leave alone.
_WORD_OR_SKIPPED = re.compile(
    r"\"(?:[^\"\\\n]++|\\.)*+\"?|'(?:[^'\\\n]++|\\.)*+'?|`[^`\n]*+`?|\[[^\]\n]*+\]?|#.*|[A-Za-z_]\w*"
)
#: A number written with thousands separators (`1,000`, `$1,200,000.50`, `2,500k`).
_GROUPED_NUMBER = re.compile(r"-?\$?\d{1,3}(?:,\d{3})++(?:\.\d+)?(?:[kKmMbB]|bn|mn)?%?(?![\d,])")
#: A date written as people do outside ISO: `31.12.2013`, `12/31/2013`, `2013/12/31`.
_WRITTEN_DATE = re.compile(
    r"(?<!\w)(?<!\w\.)(?:\d{1,2}[./]\d{1,2}[./]\d{4}|\d{4}/\d{1,2}/\d{1,2})(?!\w)(?!\.\w)"
)
_A_NUMBER = re.compile(r"-?\$?\d[\d_]*(?:\.\d+)?(?:[kKmMbB]|bn|mn)?%?")
_BETWEEN = re.compile(
    rf"between[ \t]++(?P<low>{_A_NUMBER.pattern})[ \t]++and[ \t]++(?P<high>{_A_NUMBER.pattern})",
    re.IGNORECASE,
)


def _line_of(text: str, offset: int) -> tuple[int, int]:
    """The start and end offsets of the line holding `offset`."""
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return start, len(text) if end < 0 else end


def _common_mistake(
    token: Token, expected: set[str], previous: Token | None, source: Source
) -> str | _Fix | None:
    """A hint, with the corrected line, for a form people write from habit."""
    if token.type == "$END":
        return None
    start = cast(int, token.start_pos)
    return (
        _capital_keywords(source.text, start)
        or _written_date(source.text, start)
        or _number_mistake(token, previous, source.text)
        or _between(token, previous, source.text)
        or _operator_word(token, previous)
    )


def _capital_keywords(text: str, offset: int) -> _Fix | None:
    """`AND`, `Or`, `NOT` before the error on its line, outside strings and lists."""
    start, end = _line_of(text, offset)
    line = text[start:end]
    pieces: list[str] = []
    cursor, changed = 0, []
    for match in _WORD_OR_SKIPPED.finditer(line):
        word = match.group()
        if word.lower() in _KEYWORDS and word != word.lower() and start + match.start() <= offset:
            pieces += [line[cursor : match.start()], word.lower()]
            cursor = match.end()
            changed.append(word)
    if not changed:
        return None
    pieces.append(line[cursor:])
    words = ", ".join(f"`{w.lower()}`" for w in dict.fromkeys(changed))
    return _Fix(f"keywords are written in lower case: {words}", start, end, "".join(pieces))


def _written_date(text: str, offset: int) -> _Fix | None:
    """`31.12.2013` (or `12/31/2013`) where the error is: every such date on the line
    written as the ISO date it reads as (a cell's rule, else its only reading)."""
    from .semantics.cells import likely_date_format, parse_field_date

    start, end = _line_of(text, offset)
    dates = list(_WRITTEN_DATE.finditer(text, start, end))
    if not any(m.start() <= offset <= m.end() for m in dates):
        return None
    pieces, cursor, shown = [], start, []
    for match in dates:
        written = match.group()
        likely = likely_date_format(written)
        day = parse_field_date(written) or (likely.read(written) if likely else None)
        if day is None:
            return None
        pieces += [text[cursor : match.start()], day.isoformat()]
        cursor = match.end()
        shown.append(f"{written} is {day.isoformat()}")
    pieces.append(text[cursor:end])
    hint = "dates are written YYYY-MM-DD: " + ", ".join(shown)
    return _Fix(hint, start, end, "".join(pieces))


def _number_mistake(token: Token, previous: Token | None, text: str) -> str | _Fix | None:
    """`1,000`, `200-1000`, `200 to 1000` and `10 million` after a number."""
    if previous is None or previous.type != "NUMBER":
        return None
    first, last = cast(int, previous.start_pos), cast(int, token.end_pos)
    word = str(token)
    if token.type == "COMMA" and previous.end_pos == token.start_pos:
        return _grouped_numbers(text, first)
    if token.type == "NUMBER" and word.startswith("-"):
        low, high = str(previous), word[1:]
        return _Fix(f"write a range with two dots: {low}..{high}", first, last, f"{low}..{high}")
    if token.type == "NAME" and word.lower() == "to":
        after = _A_NUMBER.match(text, cast(int, token.end_pos) + 1)
        if after is not None and text[token.end_pos : after.start()].strip() == "":
            fixed = f"{previous}..{after.group()}"
            return _Fix(f"write a range with two dots: {fixed}", first, after.end(), fixed)
    if token.type == "NAME" and word.lower() in _NUMBER_WORDS and str(previous)[-1].isdigit():
        fixed = f"{previous}{_NUMBER_WORDS[word.lower()]}"
        said = (
            "the suffix next to the number"
            if word.lower() in _SUFFIXES
            else "the amount with a suffix"
        )
        return _Fix(f"write {said}: {fixed}", first, last, fixed)
    return None


def _between(token: Token, previous: Token | None, text: str) -> _Fix | None:
    """`employees between 200 and 1000` → `employees 200..1000`."""
    word = previous if previous is not None and str(previous).lower() == "between" else token
    if str(word).lower() != "between":
        return None
    found = _BETWEEN.match(text, cast(int, word.start_pos))
    if found is None:
        return None
    fixed = f"{found['low']}..{found['high']}"
    return _Fix(f"write a range as LOW..HIGH: {fixed}", found.start(), found.end(), fixed)


#: `200 - 1000`: a range written with a spaced dash (the `-` does not lex as a number).
_SPACED_RANGE = re.compile(
    rf"(?P<low>{_A_NUMBER.pattern})[ \t]*+(?P<dash>-)[ \t]++(?P<high>{_A_NUMBER.pattern})"
)


def _spaced_range(text: str, dash: int, end: int) -> re.Match[str] | None:
    """The `LOW - HIGH` whose dash is at offset `dash`, on its line."""
    start, _ = _line_of(text, dash)
    found = (m for m in _SPACED_RANGE.finditer(text, start, end) if m.start("dash") == dash)
    return next(found, None)


def _grouped_numbers(text: str, offset: int) -> _Fix | None:
    """Every `1,000` from `offset` to the end of the line (or a list, string or comment)
    written without its commas: `1000`, and `10_000` for longer numbers."""
    _, end = _line_of(text, offset)
    stop = min((i for i in (text.find(c, offset, end) for c in "[\"'`#") if i >= 0), default=end)
    segment = text[offset:stop]

    def plain(match: re.Match[str]) -> str:
        number = match.group()
        digits = number.split(".")[0].lstrip("-$")
        return number.replace(",", "" if len(digits) <= 5 else "_")

    fixed = _GROUPED_NUMBER.sub(plain, segment)
    if fixed == segment:
        return None
    first = _GROUPED_NUMBER.search(segment)
    example = plain(first) if first is not None else fixed
    hint = f"numbers are written without commas (group digits with _ if you like): {example}"
    return _Fix(hint, offset, stop, fixed)


def _operator_word(token: Token, previous: Token | None) -> _Fix | None:
    """`tech contains Okta` → `tech has Okta`; `industry equals SaaS` → `==`."""
    if previous is None or previous.type != "NAME":
        return None
    operator = _OPERATOR_WORDS.get(str(previous).lower())
    if operator is None:
        return None
    if operator == "has" and token.type == "LSQB":
        operator = "has any"
    hint = f"`{previous}` is written `{operator}` in ICP"
    if operator.startswith("has"):
        hint += " (`has any [...]` and `has all [...]` test several items)"
    return _replacing(hint, previous, previous, operator)


def _almost_right(token: Token, expected: set[str], previous: Token | None) -> str | _Fix | None:
    """Hints for a statement or operator written almost as the language wants it."""
    text = str(token)
    before = previous.type if previous is not None else "_SEP"
    if before == "DEFINE" or expected == {"EQUAL"}:
        hint = "write `define NAME = CONDITION`"
        return _inserting(hint, token, "= ") if before == "NAME" else hint
    if before == "_IS":
        if token.type == "_NOT":
            return "`is known` is the opposite of `is missing`"
        if previous is not None and token.type in ("NAME", "STRING", "NUMBER", "DATE"):
            hint = "to compare, write `==` (`is` only says `is missing` or `is known`)"
            return _replacing(hint, previous, previous, "==")
        return "write `FIELD is missing` or `FIELD is known`"
    if before == "_NOT" and expected == {"_IN"}:
        return "write `FIELD not in [...]`, or negate a whole condition: `not FIELD ...`"
    if before == "COLON" and expected == {"STRING"}:
        return 'quote the reason: `disqualify if CONDITION: "reason"`'
    if token.type == "STRING" and before in ("_SEP", "LBRACE", "REQUIRE"):
        name = _unquote(text)
        plain = f"{name}, or " if re.fullmatch(r"[A-Za-z_]\w*", name) else ""
        hint = f"a field name is not a string; write {plain}`{name}` in backticks"
        if "`" in name or "\n" in name:
            return hint
        return _replacing(hint, token, token, name if plain else f"`{name}`")
    return None


def _later_line(token: Token, previous: Token) -> bool:
    """Whether `token` starts on a line after the one `previous` ends on."""
    if token.line is None or previous.end_line is None:
        return False
    return token.line > previous.end_line


def _bad_character(error: UnexpectedCharacters, source: Source) -> ICPSyntaxError:
    line, column = error.line, error.column
    text = source.text
    pos = error.pos_in_stream if error.pos_in_stream is not None else len(source.text)
    char = text[pos] if pos < len(text) else ""
    message = f"syntax error: unexpected character {char!r}"
    hint: str | _Fix | None = None
    line_end = text.find("\n", pos)
    line_end = len(text) if line_end < 0 else line_end
    if char in _TYPO_CHARS:
        message, advice, instead = _TYPO_CHARS[char]
        message = "syntax error: " + message
        if char in "“”":  # both quotes of the string, and any others on the line
            rest = text[pos:line_end]
            hint = _Fix(advice, pos, line_end, rest.replace("“", '"').replace("”", '"'))
        else:
            hint = _Fix(advice, pos, pos + 1, instead)
    elif char == "-" and (ranged := _spaced_range(text, pos, line_end)):
        low, high = ranged["low"], ranged["high"]
        hint = _Fix(f"write a range with two dots: {low}..{high}", ranged.start(), ranged.end(),
                    f"{low}..{high}")  # fmt: skip
    elif char in "+-" and (spaced := re.match(r"[+-]\s+(\d\S*)", text[pos:])):
        points = text[pos] + spaced.group(1)
        advice = f"write points without a space: `{points} if CONDITION`"
        hint = _Fix(advice, pos, pos + spaced.end(), points)
    elif char and char in "\"'":
        message = "syntax error: unterminated string"
        end = pos + len(text[pos:line_end].rstrip(" \t\r"))
        hint = _Fix(f"close the string with {char} on the same line", end, end, char)
    elif text.startswith("...", max(0, pos - 2)) and "..." in text[max(0, pos - 2) : pos + 3]:
        message = "syntax error: '...' is not a range"
        dots = text.index("...", max(0, pos - 2))
        hint = _Fix("ranges use two dots: 200..1000", dots, dots + 3, "..")
    elif char == "`":
        message = "syntax error: unterminated `quoted name`"
        hint = "close it with ` on the same line"
    elif written := _written_date(text, pos):
        message = "syntax error: a date is written YYYY-MM-DD"
        hint = written
    elif glued := re.match(r"[$\d][\d_.$]*[A-Za-z]+", text[pos:]):
        message = "syntax error: a number runs into letters"
        advice = "numbers take k, M or B suffixes (10M); put a space before a unit (5 years)"
        unit = re.fullmatch(r"([$\d][\d_.]*)(years?|months?|weeks?|days?)", glued.group())
        number, word = re.fullmatch(r"([$\d][\d_.$]*)([A-Za-z]+)", glued.group()).groups()  # type: ignore[union-attr]
        suffix = _NUMBER_WORDS.get(word.lower())
        if unit:
            hint = _Fix(advice, pos, pos + unit.end(), " ".join(unit.groups()))
        elif suffix:
            fixed = number + suffix
            hint = _Fix(f"write the amount with a suffix: {fixed}", pos, pos + glued.end(), fixed)
        else:
            hint = advice
    else:
        allowed = _expected_text(set(error.allowed or ()))
        message += allowed
    hint_text, corrected = _with_fix(hint, source, line)
    return ICPSyntaxError(
        message,
        filename=source.filename,
        line=line,
        column=column,
        source_line=source.line_text(line),
        hint=hint_text,
        corrected_line=corrected,
    )
