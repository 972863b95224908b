"""Parsing an edited file again from its last parse: one statement, not the whole text.

An editor sends the whole file on every keystroke, and on a file of thousands of rules
Lark's pure-Python parse is most of the time the language server takes to answer.  Most
edits fall inside one statement that has its lines to itself (`employees 200..1000`
becoming `employees 200..2000`): that statement is parsed alone, at its place in the new
text, and every node after it keeps its shape with its positions moved by the edit.  An
edit of blank and comment lines between statements only moves what follows it.
Anything else (an edit across statements, in a `fields` block or a profile's header, a
statement that no longer parses alone) returns None, and the caller parses the file
whole, which is also what reports a syntax error.  The result is the module `parse`
gives for the new text, spans included (the tests hold the two to each other).
"""

from __future__ import annotations

import enum
import functools
import re
from collections.abc import Iterable
from typing import Any, TypeVar

import attrs

from . import ast
from .limits import DEFAULT_LIMITS, Limits, check_text_size
from .parser import parse_statement, scan_comments
from .source import Span

#: The statement kinds parsed alone (`one_statement` in grammar.lark).
_STATEMENTS = (
    ast.Criterion, ast.Disqualifier, ast.Points, ast.Tier, ast.Define, ast.Examples, ast.AsOf,
)  # fmt: skip

Node = TypeVar("Node")


class Broken(enum.Enum):
    """Why an edit was not parsed from the last parse: its statement no longer parses
    alone, so the file most likely has a syntax error there (`parse(..., suspect=True)`
    finds and explains it in one parse instead of two)."""

    STATEMENT = "the edited statement does not parse alone"


def reparse(
    previous: ast.Module, text: str, *, limits: Limits = DEFAULT_LIMITS
) -> ast.Module | Broken | None:
    """The module `parse(text, previous.filename)` gives, from `previous` (the parse of
    the file before the edit) when the edit lies inside one statement or only changes
    blank and comment lines between statements; `Broken.STATEMENT` when the edited
    statement does not parse alone; else None.  Either way but the first, the caller
    parses the whole text."""
    check_text_size(text, previous.filename, limits)
    old = previous.text
    if text == old:
        return previous
    start, old_end, new_end = _changed(old, text)
    found = _statement_at(previous.items, old, start, old_end)
    items: tuple[ast.TopLevel, ...] | Broken | None
    if found is None:
        items = _between_statements(previous.items, old, text, start, old_end, new_end)
    else:
        items = _statement_edited(previous.items, old, text, found, new_end, limits)
    if items is None or isinstance(items, Broken):
        return items
    return ast.Module(items, scan_comments(text, previous.filename), previous.filename, text)


def _statement_edited(
    items: tuple[ast.TopLevel, ...],
    old: str,
    text: str,
    found: tuple[tuple[int, ...], ast.Statement],
    new_end: int,
    limits: Limits,
) -> tuple[ast.TopLevel, ...] | Broken | None:
    """The items with the edited statement parsed alone; Broken when it does not parse
    alone; None when it has no lines to itself (or the edit reaches past them)."""
    path, statement = found
    span = statement.span
    line_end = _line_end(old, span.end)
    if not _alone_on_its_lines(old, span, line_end):
        return None
    grown = len(text) - len(old)
    region_end = line_end + grown
    if new_end > region_end:  # the edit reaches past the statement's line
        return None
    # Parsed alone after blanks to its column, then put in its place: its line and offset.
    alone = parse_statement(" " * (span.column - 1) + text[span.start : region_end], limits=limits)
    if alone is None:
        return Broken.STATEMENT
    placed = _Move(offset=span.start - (span.column - 1), lines=span.line - 1).node(alone)
    lines = text.count("\n", span.start, region_end) - old.count("\n", span.start, line_end)
    return _Move(offset=grown, lines=lines).replace(items, path, placed)


#: Lines that are blank or a comment alone: what an edit between statements may change.
_TRIVIA = re.compile(r"[ \t\f]*(?:#[^\n]*)?\r?(?:\n[ \t\f]*(?:#[^\n]*)?\r?)*")


def _between_statements(
    items: tuple[ast.TopLevel, ...], old: str, text: str, start: int, old_end: int, new_end: int
) -> tuple[ast.TopLevel, ...] | None:
    """The items moved by an edit of blank and comment lines that no statement spans
    (a comment typed on a line of its own), or None for any other edit."""
    first = old.rfind("\n", 0, start) + 1
    if start == first and _whole_lines(old, start, old_end) and _whole_lines(text, start, new_end):
        old_last, new_last = old_end, new_end  # lines put in or taken out before a line
    else:
        old_last, new_last = _line_end(old, old_end), _line_end(text, new_end)
    if not (_TRIVIA.fullmatch(old, first, old_last) and _TRIVIA.fullmatch(text, first, new_last)):
        return None
    lines = text.count("\n", first, new_last) - old.count("\n", first, old_last)
    return _Move(offset=len(text) - len(old), lines=lines).after(items, first, old_last)


def _changed(old: str, new: str) -> tuple[int, int, int]:
    """Where two texts differ: from `start`, to `old_end` in the old and `new_end` in the
    new (what follows is the same in both)."""
    start = _common_prefix(old, new)
    limit = min(len(old), len(new)) - start
    tail = _common_prefix(old[::-1], new[::-1], limit)
    return start, len(old) - tail, len(new) - tail


def _common_prefix(a: str, b: str, limit: int | None = None) -> int:
    """The length of the longest common prefix (at most `limit`), by halving: slices are
    compared in C, so a long file costs a few dozen comparisons."""
    low, high = 0, min(len(a), len(b)) if limit is None else limit
    while low < high:
        middle = (low + high + 1) // 2
        if a[low:middle] == b[low:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def _statement_at(
    items: tuple[ast.TopLevel, ...], text: str, start: int, end: int
) -> tuple[tuple[int, ...], ast.Statement] | None:
    """The statement whose lines hold the old text's changed part [start, end] (from its
    start to the end of its last line: a comment after it too), with its place: (item,)
    at the top level, (item, position) in a profile's body."""
    for index, item in enumerate(items):
        if _line_end(text, item.span.end) < start:
            continue
        if item.span.start > end:
            return None
        if isinstance(item, _STATEMENTS):
            return ((index,), item) if _holds(text, item.span, start, end) else None
        if isinstance(item, ast.ProfileDecl):
            for position, statement in enumerate(item.body):
                if _holds(text, statement.span, start, end):
                    return (index, position), statement
        return None
    return None


def _holds(text: str, span: Span, start: int, end: int) -> bool:
    return span.start <= start and end <= _line_end(text, span.end)


def _whole_lines(text: str, start: int, end: int) -> bool:
    """Whether [start, end) is nothing, or whole lines ending in a line break."""
    return end == start or text[end - 1] == "\n"


def _line_end(text: str, offset: int) -> int:
    """Where the line holding `offset` ends (its line break, or the end of the text)."""
    found = text.find("\n", offset)
    return len(text) if found < 0 else found


def _alone_on_its_lines(text: str, span: Span, line_end: int) -> bool:
    """Whether nothing but blanks precedes the statement on its first line, and nothing
    but blanks or a comment follows it on its last: then it is parsed the same alone."""
    line_start = text.rfind("\n", 0, span.start) + 1
    if text[line_start : span.start].strip(" \t\f"):
        return False
    rest = text[span.end : line_end].strip(" \t\f\r")
    return not rest or rest.startswith("#")


@attrs.frozen
class _Move:
    """How an edit moves what follows it: nodes after it move by `offset` characters and
    `lines` lines; the nodes around it keep their start and move their end."""

    offset: int
    lines: int

    def replace(
        self, items: tuple[ast.TopLevel, ...], path: tuple[int, ...], statement: ast.Statement
    ) -> tuple[ast.TopLevel, ...]:
        index = path[0]
        if len(path) == 1:
            new_item: ast.TopLevel = statement
        else:
            profile = items[index]
            assert isinstance(profile, ast.ProfileDecl)
            body = profile.body
            position = path[1]
            new_body = (*body[:position], statement, *self.nodes(body[position + 1 :]))
            new_item = _rebuilt(profile, body=new_body, span=self.around(profile.span))
        return (*items[:index], new_item, *self.nodes(items[index + 1 :]))

    def after(
        self, items: tuple[ast.TopLevel, ...], start: int, end: int
    ) -> tuple[ast.TopLevel, ...] | None:
        """The items with the ones after the edited text [start, end) moved, and a
        profile around it stretched; None when a statement spans the edited text."""
        moved: list[ast.TopLevel] = []
        for item in items:
            if item.span.end <= start:
                moved.append(item)
            elif item.span.start >= end:
                moved.append(self.node(item))
            elif isinstance(item, ast.ProfileDecl):
                body = item.body
                if any(s.span.end > start and s.span.start < end for s in body):
                    return None
                kept = tuple(s for s in body if s.span.end <= start)
                new_body = (*kept, *self.nodes(body[len(kept) :]))
                moved.append(_rebuilt(item, body=new_body, span=self.around(item.span)))
            else:
                return None
        return tuple(moved)

    def nodes(self, nodes: Iterable[Node]) -> tuple[Node, ...]:
        return tuple(self.node(node) for node in nodes)

    def node(self, node: Any) -> Any:
        """`node` with every span in it moved (the node itself when nothing moves)."""
        kind = node.__class__
        if kind is Span:
            return self.span(node)
        if kind is tuple:
            return tuple([self.node(part) for part in node])
        names = _field_names(kind)
        if not names:
            return node
        changes = {}
        for name in names:
            value = getattr(node, name)
            moved = self.node(value)
            if moved is not value:
                changes[name] = moved
        return _rebuilt(node, **changes) if changes else node

    def span(self, span: Span) -> Span:
        return Span(
            span.start + self.offset,
            span.end + self.offset,
            span.line + self.lines,
            span.column,
            span.end_line + self.lines,
            span.end_column,
        )

    def around(self, span: Span) -> Span:
        """The span of what holds the edited statement: the same start, a moved end."""
        return Span(
            span.start,
            span.end + self.offset,
            span.line,
            span.column,
            span.end_line + self.lines,
            span.end_column,
        )


@functools.cache
def _field_names(kind: type) -> tuple[str, ...]:
    """The fields of an AST class (none for a value such as a str, a number or a date)."""
    return tuple(field.name for field in attrs.fields(kind)) if attrs.has(kind) else ()


def _rebuilt(node: Node, **changes: Any) -> Node:
    """A copy of a frozen node with some fields changed, without running its __init__
    again (its values were checked when it was built)."""
    kind: type = node.__class__
    copy: Node = object.__new__(kind)
    for name in _field_names(kind):
        object.__setattr__(copy, name, changes[name] if name in changes else getattr(node, name))
    return copy
