"""Resource limits on input: ICP sizes, nesting, lists, rules, profiles, chains; records.

Every limit has a default that no hand-written profile comes near; pass
`limits=Limits(...)` to `load`/`loads`/`parse` to tighten or loosen them.  Going over
any of them raises `ICPLimitError` (code ICP009) pointing at the place in the file.
`max_record_chars` bounds account data instead (`icpdsl.io.open_records(limits=...)`):
a record over it is an error row.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import attrs

from . import ast
from .errors import ICPLimitError
from .visitor import children

if TYPE_CHECKING:
    from lark import Token

#: The diagnostic code of every limit error.
LIMIT_CODE = "ICP009"


def _positive(instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"Limits.{attribute.name} must be a positive int, not {value!r}")


@attrs.frozen(kw_only=True)
class Limits:
    """The most an ICP file (with its imports) may ask of a loader and an evaluator."""

    #: Bytes in one file (UTF-8), checked before it is read or parsed.
    max_file_bytes: int = attrs.field(default=1_048_576, validator=_positive)
    #: Nesting of brackets `( [ {` and `not`s in the text, and of a condition once the
    #: defines it uses are expanded.  Values much above 150 may need a higher
    #: `sys.setrecursionlimit`; a recursion overflow is still reported as ICPLimitError.
    max_depth: int = attrs.field(default=100, validator=_positive)
    #: Items in one `[...]` list (values, example lists, type arguments).
    max_list_length: int = attrs.field(default=10_000, validator=_positive)
    #: Rules in one profile, inherited ones included.
    max_rules: int = attrs.field(default=10_000, validator=_positive)
    #: Profiles in one document, imported ones included.
    max_profiles: int = attrs.field(default=1_000, validator=_positive)
    #: Predicates one profile's rules expand to once defines are substituted: bounds
    #: the work of judging one record (a define used twice counts twice).
    max_predicates: int = attrs.field(default=10_000, validator=_positive)
    #: The expanded size of a whole document: for every profile, its rules (inherited
    #: ones included), their predicates once defines are expanded, and the defines in
    #: its scope, added up.  Bounds the work of loading, checking, linting and judging
    #: one record by every profile, which the limits on one profile do not: 200
    #: profiles extending one of 10,000 rules are 2,000,000 rules to check.
    max_document_size: int = attrs.field(default=50_000, validator=_positive)
    #: Length of an `extends` chain (a profile extending a profile extending ...).
    max_extends_depth: int = attrs.field(default=32, validator=_positive)
    #: Length of an `import` chain (a file importing a file importing ...).
    max_import_depth: int = attrs.field(default=32, validator=_positive)
    #: Characters in one record of account data (`icpdsl.io` readers): a CSV record (a
    #: line, or several when a quoted cell holds line breaks, so no cell is longer), a
    #: JSON Lines line, an element of a JSON array (JSON counts UTF-8 bytes).  A longer
    #: record becomes one error row, and no more of it than this is ever held in memory.
    max_record_chars: int = attrs.field(default=4_194_304, validator=_positive)


DEFAULT_LIMITS = Limits()


def limit_error(
    message: str,
    setting: str,
    *,
    filename: str,
    line: int | None = None,
    column: int | None = None,
    source_line: str | None = None,
) -> ICPLimitError:
    """An ICPLimitError whose hint names the `Limits` setting that was exceeded."""
    return ICPLimitError(
        message,
        filename=filename,
        line=line,
        column=column,
        source_line=source_line,
        hint=f"if the input is trusted, raise the limit: limits=Limits({setting}=...)",
        code=LIMIT_CODE,
    )


# ------------------------------------------------------------------- file size


def check_text_size(text: str, filename: str, limits: Limits) -> None:
    """Refuse text whose UTF-8 encoding is larger than `max_file_bytes`."""
    limit = limits.max_file_bytes
    if len(text) * 4 <= limit:  # no UTF-8 character takes more than 4 bytes
        return
    size = len(text) if len(text) > limit else len(text.encode("utf-8", "surrogatepass"))
    if size > limit:
        raise _size_error(size, filename, limits)


def check_file_size(path: str | os.PathLike[str], limits: Limits) -> None:
    """Refuse a file larger than `max_file_bytes` before reading it (a missing file passes)."""
    try:
        size = Path(path).stat().st_size
    except OSError:
        return
    if size > limits.max_file_bytes:
        raise _size_error(size, str(path), limits)


def _size_error(size: int, filename: str, limits: Limits) -> ICPLimitError:
    return limit_error(
        f"the file is {size:,} bytes, more than the limit of {limits.max_file_bytes:,}",
        "max_file_bytes",
        filename=filename,
    )


# ------------------------------------------------------------------- token stream


class TokenLimitExceeded(Exception):
    """Raised from inside the parser's post-lexer; the parser turns it into ICPLimitError."""

    def __init__(self, token: Token, message: str, setting: str) -> None:
        super().__init__(message)
        self.token = token
        self.message = message
        self.setting = setting


_OPENERS = frozenset({"LPAR", "LSQB", "LBRACE"})
_CLOSERS = frozenset({"RPAR", "RSQB", "RBRACE"})
#: Tokens that end the operand of every `not` written since the last one at that level.
_NOT_ENDERS = frozenset({"_AND", "_OR", "_SEP"})
#: The tokens that change the nesting; the others only pass (or start a list item).
_NESTING = _OPENERS | _CLOSERS | _NOT_ENDERS | {"_NOT"}
#: Tokens after `[` or `,` that do not start a list item.
_NOT_ITEMS = frozenset({"RSQB", "COMMA", "_SEP"})


class _Frame:
    """One open bracket (or the top level) while tokens stream past."""

    __slots__ = ("items", "kind", "nots")

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.nots = 0  # `not`s whose operand has not ended yet
        self.items = 0  # items seen so far, for a `[` list


class NestingGuard:
    """Counts bracket and `not` nesting and list items token by token, so that input
    nested too deeply or with too long a list is refused as it streams into the parser.

    Each open bracket is one level; each `not` is one more level until the `and`, `or`
    or end of statement that closes its operand at the same bracket level.
    """

    def __init__(self, limits: Limits) -> None:
        self.limits = limits

    def watch(self, tokens: Iterable[Token]) -> Iterator[Token]:
        """The tokens the parser will see, passed on; raises TokenLimitExceeded at the
        first one over a limit.  (One loop with local state: it runs for every token.)"""
        max_depth, max_items = self.limits.max_depth, self.limits.max_list_length
        frame = _Frame("")
        frames = [frame]
        depth = 0
        starts_item = False  # after `[`, or after `,` in a `[` list
        for token in tokens:
            kind = token.type
            if starts_item and kind not in _NOT_ITEMS:
                frame.items += 1
                if frame.items > max_items:
                    raise self._too_long(token)
            if kind in _NESTING:
                if kind in _OPENERS:
                    frame = _Frame(kind)
                    frames.append(frame)
                    depth += 1
                    if depth > max_depth:
                        raise self._too_deep(token)
                elif kind in _CLOSERS:
                    if len(frames) > 1:
                        depth -= 1 + frames.pop().nots
                        frame = frames[-1]
                elif kind == "_NOT":
                    frame.nots += 1
                    depth += 1
                    if depth > max_depth:
                        raise self._too_deep(token)
                else:
                    depth -= frame.nots
                    frame.nots = 0
            if kind != "_SEP":
                starts_item = frame.kind == "LSQB" and kind in ("LSQB", "COMMA")
            yield token

    def _too_deep(self, token: Token) -> TokenLimitExceeded:
        return TokenLimitExceeded(
            token,
            f"nesting is deeper than the limit of {self.limits.max_depth} levels "
            "of brackets and `not`s",
            "max_depth",
        )

    def _too_long(self, token: Token) -> TokenLimitExceeded:
        return TokenLimitExceeded(
            token,
            f"the list has more than the limit of {self.limits.max_list_length:,} items",
            "max_list_length",
        )


# ------------------------------------------------------------------- conditions


@attrs.frozen
class Cost:
    """How deep a condition nests and how many predicates it evaluates, defines expanded."""

    depth: int
    predicates: int


def measure(
    condition: ast.Condition,
    defines: Mapping[str, ast.Condition],
    memo: dict[str, Cost],
) -> Cost:
    """The Cost of `condition` with every define it uses expanded, without recursion.

    A bare name that is a define counts as a use of it, resolved or not.  Uses inside a
    define cycle count as nothing here: cycles are reported by the loader.  `memo`
    caches each define's cost across calls.
    """
    in_progress: set[str] = set()
    root = _leaf_cost(condition, defines, memo, in_progress)
    if root is not None:
        return root
    # A frame: the node, its children, the costs found so far, the define it expands.
    stack: list[tuple[ast.Condition, list[ast.Condition], list[Cost], str | None]] = [
        _frame(condition, defines, in_progress)
    ]
    while True:
        node, children, found, name = stack[-1]
        if len(found) < len(children):
            child = children[len(found)]
            leaf = _leaf_cost(child, defines, memo, in_progress)
            if leaf is not None:
                found.append(leaf)
            else:
                stack.append(_frame(child, defines, in_progress))
            continue
        stack.pop()
        if name is not None:
            memo[name] = found[0]
            in_progress.discard(name)
        cost = _combine(node, found)
        if not stack:
            return cost
        stack[-1][2].append(cost)


def _define_name(node: ast.Condition, defines: Mapping[str, ast.Condition]) -> str | None:
    if isinstance(node, ast.Ref):
        return node.name if node.name in defines else None
    if isinstance(node, ast.Truthy) and len(node.field.parts) == 1:
        name = node.field.parts[0]
        return name if name in defines else None
    return None


def _leaf_cost(
    node: ast.Condition,
    defines: Mapping[str, ast.Condition],
    memo: Mapping[str, Cost],
    in_progress: set[str],
) -> Cost | None:
    name = _define_name(node, defines)
    if name is not None:
        if name in memo:
            return Cost(memo[name].depth + 1, memo[name].predicates)
        if name in in_progress:
            return Cost(0, 0)
        return None
    if children(node):
        return None
    return _PREDICATE  # a predicate, or a reference to an unknown define


#: The cost of one predicate: shared, as most conditions are one predicate.
_PREDICATE = Cost(1, 1)


def _frame(
    node: ast.Condition, defines: Mapping[str, ast.Condition], in_progress: set[str]
) -> tuple[ast.Condition, list[ast.Condition], list[Cost], str | None]:
    name = _define_name(node, defines)
    if name is not None:
        in_progress.add(name)
        return (node, [defines[name]], [], name)
    return (node, list(children(node)), [], None)


def _combine(node: ast.Condition, found: list[Cost]) -> Cost:
    if not found:
        return Cost(1, 0)
    return Cost(1 + max(c.depth for c in found), sum(c.predicates for c in found))


__all__ = ["DEFAULT_LIMITS", "LIMIT_CODE", "Cost", "Limits", "NestingGuard", "measure"]
