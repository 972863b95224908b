"""Text → AST: the Lark facade, built once per process, with located, helpful errors."""

from __future__ import annotations

import contextvars
import datetime
import functools
import importlib.resources
import re
from collections.abc import Iterator
from typing import Any, cast

import lark
from lark import Token, Transformer, v_args
from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken, VisitError

from . import ast
from .errors import ICPSyntaxError
from .limits import (
    DEFAULT_LIMITS,
    Limits,
    NestingGuard,
    TokenLimitExceeded,
    check_text_size,
    limit_error,
)
from .source import Source, Span
from .values import parse_number

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
        depth = 0
        previous: str | None = None
        guard = NestingGuard(_LIMITS.get())
        for token in stream:
            if token.type == "_SEP":
                if depth > 0 or previous is None or previous in _CONTINUES:
                    continue
            elif token.type in _OPEN:
                depth += 1
            elif token.type in _CLOSE:
                depth = max(0, depth - 1)
            previous = token.type
            guard.feed(token)
            yield token


#: The limits of the parse running in this thread or task (the Lark parser is shared).
_LIMITS: contextvars.ContextVar[Limits] = contextvars.ContextVar(
    "icpdsl_limits", default=DEFAULT_LIMITS
)


@functools.cache
def _lark() -> lark.Lark:
    grammar = importlib.resources.files("icpdsl").joinpath("grammar.lark").read_text("utf-8")
    return lark.Lark(
        grammar,
        parser="lalr",
        lexer="contextual",
        propagate_positions=True,
        postlex=_Separators(),
        maybe_placeholders=True,
    )


def parse(text: str, filename: str = "<string>", *, limits: Limits | None = None) -> ast.Module:
    """Parse ICP text into a Module; raise ICPSyntaxError with a location on bad input.

    Text over a `Limits` (default: `DEFAULT_LIMITS`) raises ICPLimitError instead.
    """
    limits = limits or DEFAULT_LIMITS
    check_text_size(text, filename, limits)
    source = Source(text, filename)
    reset = _LIMITS.set(limits)
    try:
        tree = _lark().parse(text)
        items = _ToAST(source).transform(tree)
    except UnexpectedInput as error:
        raise _syntax_error(error, source) from None
    except TokenLimitExceeded as error:
        line, column = cast(int, error.token.line), cast(int, error.token.column)
        raise limit_error(
            error.message,
            error.setting,
            filename=filename,
            line=line,
            column=column,
            source_line=source.line_text(line),
        ) from None
    except VisitError as error:
        if isinstance(error.orig_exc, ICPSyntaxError):
            raise error.orig_exc from None
        if isinstance(error.orig_exc, RecursionError):
            raise _too_deep(source) from None
        raise
    except RecursionError:  # only with a max_depth set far above the default
        raise _too_deep(source) from None
    finally:
        _LIMITS.reset(reset)
    top = tuple(c for c in items.children if c is not None)
    return ast.Module(top, _scan_comments(source), filename, text)


def _too_deep(source: Source) -> Exception:
    return limit_error(
        "the file is nested too deeply to parse (Python's recursion limit was reached)",
        "max_depth",
        filename=source.filename,
        line=1,
        column=1,
        source_line=source.line_text(1),
    )


def _scan_comments(source: Source) -> tuple[ast.Comment, ...]:
    """Every `# comment` outside strings and `quoted names`, for the formatter."""
    found: list[ast.Comment] = []
    text = source.text
    quote: str | None = None
    index = 0
    while index < len(text):
        char = text[index]
        if quote is not None:
            if char == "\\" and quote != "`":
                index += 1
            elif char == quote or char == "\n":
                quote = None
        elif char in "\"'`":
            quote = char
        elif char == "#":
            end = text.find("\n", index)
            end = len(text) if end < 0 else end
            found.append(ast.Comment(text[index:end].rstrip("\r"), source.span(index, end)))
            index = end
            continue
        index += 1
    return tuple(found)


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


@v_args(meta=True)
class _ToAST(Transformer[Token, Any]):
    """Lark parse tree → AST nodes, each with its span; values typed here once."""

    def __init__(self, source: Source) -> None:
        super().__init__()
        self.source = source

    # ---------------------------------------------------------------- helpers
    def _span(self, meta: Any) -> Span:
        if getattr(meta, "empty", True):
            return self.source.span(0, 0)
        return self.source.span(meta.start_pos, meta.end_pos)

    def _token_span(self, token: Token) -> Span:
        start = cast(int, token.start_pos)
        return self.source.span(start, cast(int, token.end_pos))

    def _error(self, message: str, span: Span, hint: str | None = None) -> ICPSyntaxError:
        return ICPSyntaxError(
            message,
            filename=self.source.filename,
            line=span.line,
            column=span.column,
            source_line=self.source.line_text(span.line),
            hint=hint,
        )

    # ---------------------------------------------------------------- values
    def number(self, meta: Any, children: list[Token]) -> ast.Value:
        token = children[0]
        value = parse_number(str(token))
        if value is None:  # the grammar's NUMBER and parse_number agree; defensive
            raise self._error(f"not a number: {token}", self._token_span(token))
        return ast.Value("number", value, str(token), self._token_span(token))

    def date(self, meta: Any, children: list[Token]) -> ast.Value:
        token = children[0]
        try:
            value = datetime.date.fromisoformat(str(token))
        except ValueError:
            raise self._error(
                f"not a valid date: {token}", self._token_span(token), "dates are YYYY-MM-DD"
            ) from None
        return ast.Value("date", value, str(token), self._token_span(token))

    def string(self, meta: Any, children: list[Token]) -> ast.Value:
        token = children[0]
        return ast.Value("string", _unquote(str(token)), str(token), self._token_span(token))

    def word(self, meta: Any, children: list[Token]) -> ast.Value:
        text = ".".join(str(c) for c in children)
        return ast.Value("string", text, text, self._span(meta))

    def true(self, meta: Any, children: list[Token]) -> ast.Value:
        return ast.Value("bool", True, "true", self._token_span(children[0]))

    def false(self, meta: Any, children: list[Token]) -> ast.Value:
        return ast.Value("bool", False, "false", self._token_span(children[0]))

    def duration(self, meta: Any, children: list[Token]) -> ast.Value:
        amount_token, unit = children
        amount = parse_number(str(amount_token))
        span = self._span(meta)
        if amount is None or amount < 0 or not str(amount_token)[0].isdigit():
            raise self._error(
                f"not a length of time: {amount_token} {unit}",
                span,
                "write a plain positive number before the unit, e.g. `18 months`",
            )
        value = ast.Duration(amount, cast(Any, _UNITS[str(unit)]))
        return ast.Value("duration", value, f"{amount_token} {unit}", span)

    def values(self, meta: Any, children: list[ast.Value | None]) -> tuple[ast.Value, ...]:
        return tuple(c for c in children if c is not None)

    def path(self, meta: Any, children: list[Token]) -> ast.Path:
        return ast.Path(tuple(_field_name(c) for c in children), self._span(meta))

    # ---------------------------------------------------------------- predicates
    def in_list(self, meta: Any, children: list[Any]) -> ast.InList:
        return ast.InList(children[0], children[1], False, self._span(meta))

    def not_in_list(self, meta: Any, children: list[Any]) -> ast.InList:
        return ast.InList(children[0], children[1], True, self._span(meta))

    def in_range(self, meta: Any, children: list[Any]) -> ast.Range:
        field, (low, high) = children
        return ast.Range(field, low, high, self._span(meta))

    def range(self, meta: Any, children: list[Any]) -> tuple[Any, Any]:
        if isinstance(children[0], Token):  # `..hi`
            return (None, children[1])
        low, high = children[0], children[2]
        if high is not None and high.kind == "duration" and low.kind == "number":
            unit = cast(ast.Duration, high.value).unit  # `3..5 years`: both ends in years
            low = ast.Value("duration", ast.Duration(low.value, unit), low.text, low.span)
        return (low, high)

    def compare(self, meta: Any, children: list[Any]) -> ast.Compare:
        field, op, value = children
        return ast.Compare(field, cast(ast.CompareOp, str(op)), value, self._span(meta))

    def _has(self, mode: ast.HasMode, meta: Any, children: list[Any]) -> ast.Has:
        values = children[1] if isinstance(children[1], tuple) else (children[1],)
        return ast.Has(children[0], mode, values, self._span(meta))

    def has_one(self, meta: Any, children: list[Any]) -> ast.Has:
        return self._has("one", meta, children)

    def has_any(self, meta: Any, children: list[Any]) -> ast.Has:
        return self._has("any", meta, children)

    def has_all(self, meta: Any, children: list[Any]) -> ast.Has:
        return self._has("all", meta, children)

    def has_none(self, meta: Any, children: list[Any]) -> ast.Has:
        return self._has("none", meta, children)

    def is_missing(self, meta: Any, children: list[Any]) -> ast.IsKnown:
        return ast.IsKnown(children[0], False, self._span(meta))

    def is_known(self, meta: Any, children: list[Any]) -> ast.IsKnown:
        return ast.IsKnown(children[0], True, self._span(meta))

    def within(self, meta: Any, children: list[Any]) -> ast.Within:
        return ast.Within(children[0], children[1], self._span(meta))

    def matches(self, meta: Any, children: list[Any]) -> ast.Matches:
        return ast.Matches(children[0], children[1], self._span(meta))

    def truthy(self, meta: Any, children: list[Any]) -> ast.Truthy:
        return ast.Truthy(children[0], self._span(meta))

    def not_(self, meta: Any, children: list[Any]) -> ast.Not:
        return ast.Not(children[0], self._span(meta))

    def and_cond(self, meta: Any, children: list[Any]) -> ast.And:
        return ast.And(tuple(children), self._span(meta))

    def or_cond(self, meta: Any, children: list[Any]) -> ast.Or:
        return ast.Or(tuple(children), self._span(meta))

    # ---------------------------------------------------------------- statements
    def criterion(self, meta: Any, children: list[Any]) -> ast.Criterion:
        keyword, condition = children
        return ast.Criterion(condition, keyword is not None, self._span(meta))

    def disqualifier(self, meta: Any, children: list[Any]) -> ast.Disqualifier:
        condition, reason = children
        text = _unquote(str(reason)) if reason is not None else None
        return ast.Disqualifier(condition, text, self._span(meta))

    def points(self, meta: Any, children: list[Any]) -> ast.Points:
        token, condition = children
        amount = parse_number(str(token))
        return ast.Points(cast(float, amount), str(token), condition, self._span(meta))

    def tier(self, meta: Any, children: list[Any]) -> ast.Tier:
        name_token, condition = children
        name = _unquote(str(name_token)) if name_token.type == "STRING" else str(name_token)
        if isinstance(condition, Token):  # OTHERWISE
            condition = None
        return ast.Tier(name, condition, self._span(meta))

    def define(self, meta: Any, children: list[Any]) -> ast.Define:
        return ast.Define(str(children[0]), children[1], self._span(meta))

    def profile(self, meta: Any, children: list[Any]) -> ast.ProfileDecl:
        name, extends, *body = children
        return ast.ProfileDecl(
            _unquote(str(name)),
            _unquote(str(extends)) if extends is not None else None,
            tuple(b for b in body if b is not None),
            self._span(meta),
        )

    def import_stmt(self, meta: Any, children: list[Token]) -> ast.Import:
        return ast.Import(_unquote(str(children[0])), self._span(meta))

    # ---------------------------------------------------------------- fields
    def fields_block(self, meta: Any, children: list[Any]) -> ast.Fields:
        return ast.Fields(tuple(c for c in children if c is not None), self._span(meta))

    def field_decl(self, meta: Any, children: list[Any]) -> ast.FieldDecl:
        name, type_expr, column = children
        text = _unquote(str(column)) if column is not None else None
        return ast.FieldDecl(str(name), type_expr, text, self._span(meta))

    def field_mapping(self, meta: Any, children: list[Any]) -> ast.FieldDecl:
        name, column = children
        return ast.FieldDecl(str(name), None, _unquote(str(column)), self._span(meta))

    def type_expr(self, meta: Any, children: list[Any]) -> ast.TypeExpr:
        name, *args = children
        return ast.TypeExpr(
            str(name), tuple(a for a in args if a is not None), (), self._span(meta)
        )

    def record_type(self, meta: Any, children: list[Any]) -> ast.TypeExpr:
        decls = tuple(c for c in children if c is not None)
        return ast.TypeExpr("record", (), decls, self._span(meta))

    # ---------------------------------------------------------------- examples
    def examples_block(self, meta: Any, children: list[Any]) -> ast.Examples:
        return ast.Examples(tuple(c for c in children if c is not None), self._span(meta))

    def expectation(self, meta: Any, children: list[Token]) -> tuple[str, str | None]:
        return ("verdict", str(children[0]))

    def expect_tier(self, meta: Any, children: list[Token]) -> tuple[str, str | None]:
        token = children[0]
        return ("tier", _unquote(str(token)) if token.type == "STRING" else str(token))

    def because(self, meta: Any, children: list[Any]) -> tuple[str, Any]:
        return ("because", tuple(children))

    def option_tier(self, meta: Any, children: list[Token]) -> tuple[str, Any]:
        token = children[0]
        return ("tier", _unquote(str(token)) if token.type == "STRING" else str(token))

    def option_score(self, meta: Any, children: list[Token]) -> tuple[str, Any]:
        return ("score", self.number(meta, children))

    def example(self, meta: Any, children: list[Any]) -> ast.Example:
        (kind, expected), name, record, *options = children
        verdict = expected if kind == "verdict" else None
        tier = expected if kind == "tier" else None
        because: tuple[ast.Path, ...] = ()
        score = None
        for option, value in options:
            if option == "because":
                because += value
            elif option == "tier":
                tier = value
            else:
                score = value
        if tier is not None and verdict is None:
            verdict = "fit"
        label = _unquote(str(name)) if name is not None else None
        return ast.Example(verdict, tier, label, record, because, score, self._span(meta))

    def record(self, meta: Any, children: list[Any]) -> ast.RecordLiteral:
        pairs = tuple(c for c in children if c is not None)
        return ast.RecordLiteral(pairs, self._span(meta))

    def pair(self, meta: Any, children: list[Any]) -> tuple[str, ast.RecordValue]:
        key, value = children
        name = _unquote(str(key)) if key.type == "STRING" else _field_name(key)
        return (name, None if value is _NULL else value)

    def record_list(self, meta: Any, children: list[Any]) -> ast.ListLiteral:
        items = tuple(None if c is _NULL else c for c in children if c is not None)
        return ast.ListLiteral(items, self._span(meta))

    def null(self, meta: Any, children: list[Any]) -> object:
        return _NULL


#: `null` in an example record; distinct from the None of an absent optional part.
_NULL = object()


# ---------------------------------------------------------------- syntax errors

_OPERATORS = frozenset({"COMPARE", "_IN", "_HAS", "_IS", "_NOT", "DOTDOT", "_WITHIN"})
_STATEMENT_KEYWORDS = frozenset({"tier", "define", "require", "disqualify", "examples", "fields"})
_SUFFIXES = frozenset({"k", "m", "b", "mn", "bn"})
_TYPO_CHARS = {
    "=": ("'=' is not an operator here", "use '==' to compare"),
    "≥": ("'≥' is not an operator", "write '>='"),
    "≤": ("'≤' is not an operator", "write '<='"),
    "≠": ("'≠' is not an operator", "write '!='"),
    "“": ("curly quotes are not string quotes", 'use straight quotes: "..."'),
    "”": ("curly quotes are not string quotes", 'use straight quotes: "..."'),
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
    hint = _hint_for_token(token, expected, previous)
    return ICPSyntaxError(
        f"syntax error: unexpected {found}{_expected_text(expected)}",
        filename=source.filename,
        line=line,
        column=column,
        source_line=source.line_text(line),
        hint=hint,
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
    state = getattr(error, "state", None)
    stack = getattr(state, "value_stack", None) or []
    for item in reversed(stack):
        if isinstance(item, Token):
            return item
        if isinstance(item, lark.Tree) and item.children:
            last = item.children[-1]
            if isinstance(last, Token):
                return last
    return None


def _hint_for_token(token: Token, expected: set[str], previous: Token | None) -> str | None:
    text = str(token)
    prev = str(previous) if previous is not None else ""
    almost = _almost_right(token, expected, previous)
    if almost is not None:
        return almost
    if text == "=":
        return "use '==' to compare"
    if text == "." and previous is not None and previous.type == "DOTDOT":
        return "ranges use two dots: 200..1000"
    if prev in _STATEMENT_KEYWORDS and token.type in _OPERATORS:
        instead = f"to test a field named {prev}, write `require {prev} ...`"
        return f"`{prev}` starts a statement; {instead}"
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
            return f"write points as `{prev} if CONDITION`"
        return "write `disqualify if CONDITION`"
    if "OTHERWISE" in expected:
        return "write `tier NAME if CONDITION` or `tier NAME otherwise`"
    if "LSQB" in expected and token.type != "LSQB":
        return f"put the values in brackets: [{text}, ...]"
    if prev == "between" or text.lower() == "between":
        return "write a range as LOW..HIGH, e.g. `employees 200..1000`"
    if token.type in ("_AND", "_OR"):
        return f"to continue a condition on the next line, end the previous line with `{text}`"
    if "STRING" in expected and token.type == "NAME" and prev in ("profile", "extends"):
        return f'quote the profile name: "{text}"'
    if previous is not None and _later_line(token, previous):
        if "RSQB" in expected:
            return "a '[' is not closed before this line, or a ',' is missing"
        if "RPAR" in expected:
            return "a '(' is not closed before this line"
    if "COMMA" in expected and "RSQB" in expected:
        return "separate list items with commas"
    if token.type == "RBRACE":
        return "this '}' has no matching '{'"
    if token.type in ("RPAR", "RSQB"):
        return f"this '{text}' has no matching opening bracket"
    if "_SEP" in expected:
        suffix = token.type == "NAME" and text.lower() in _SUFFIXES
        if suffix and previous is not None and previous.type == "NUMBER":
            return f"write the suffix next to the number: {prev}{text}"
        if token.type == "NAME" and previous is not None and previous.type == "NAME":
            return (
                f'quote a value that has spaces ("{prev} {text}"), or put each statement '
                "on its own line"
            )
        return "put each statement on its own line or separate statements with ';'"
    return None


def _almost_right(token: Token, expected: set[str], previous: Token | None) -> str | None:
    """Hints for a statement or operator written almost as the language wants it."""
    text = str(token)
    before = previous.type if previous is not None else "_SEP"
    if before == "DEFINE" or expected == {"EQUAL"}:
        return "write `define NAME = CONDITION`"
    if before == "_IS":
        if token.type == "_NOT":
            return "`is known` is the opposite of `is missing`"
        return "write `FIELD is missing` or `FIELD is known`"
    if before == "_NOT" and expected == {"_IN"}:
        return "write `FIELD not in [...]`, or negate a whole condition: `not FIELD ...`"
    if before == "COLON" and expected == {"STRING"}:
        return 'quote the reason: `disqualify if CONDITION: "reason"`'
    if token.type == "STRING" and before in ("_SEP", "LBRACE", "REQUIRE"):
        name = _unquote(text)
        plain = f"{name}, or " if re.fullmatch(r"[A-Za-z_]\w*", name) else ""
        return f"a field name is not a string; write {plain}`{name}` in backticks"
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
    hint: str | None = None
    if char in _TYPO_CHARS:
        message, hint = _TYPO_CHARS[char]
        message = "syntax error: " + message
    elif char in "+-" and re.match(r"[+-]\s+\d", text[pos:]):
        points = text[pos] + text[pos + 1 :].lstrip(" \t").split()[0]
        hint = f"write points without a space: `{points} if CONDITION`"
    elif char and char in "\"'":
        message = "syntax error: unterminated string"
        hint = f"close the string with {char} on the same line"
    elif text.startswith("...", max(0, pos - 2)) and "..." in text[max(0, pos - 2) : pos + 3]:
        message, hint = "syntax error: '...' is not a range", "ranges use two dots: 200..1000"
    elif char == "`":
        message = "syntax error: unterminated `quoted name`"
        hint = "close it with ` on the same line"
    elif re.match(r"[$\d][\d_.$]*[A-Za-z]", text[pos:]):
        message = "syntax error: a number runs into letters"
        hint = "numbers take k, M or B suffixes (10M); put a space before a unit (5 years)"
    else:
        allowed = _expected_text(set(error.allowed or ()))
        message += allowed
    return ICPSyntaxError(
        message,
        filename=source.filename,
        line=line,
        column=column,
        source_line=source.line_text(line),
        hint=hint,
    )
