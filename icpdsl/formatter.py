"""The formatter: AST + comments → one canonical layout of an ICP file.

`format(text)` re-prints a file from its syntax tree: two-space indentation, one space
around operators, `[a, b]` lists, one statement per line, a blank line between sections
and where the author left one, long conditions broken after `and`/`or`.  Comments stay
where they were: above the statement they precede, or at the end of its line.  The
output parses to the same AST as the input and formatting it again changes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TypeAlias

import attrs

from . import ast
from .parser import parse
from .visitor import ConditionVisitor

WIDTH = 100
INDENT = "  "
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(-[A-Za-z0-9_]+)*\Z")
#: Words that must be quoted to be read as a name (field, tier, record key).
RESERVED = frozenset(
    {
        "profile", "extends", "require", "disqualify", "if", "tier", "otherwise", "define",
        "or", "and", "not", "in", "has", "any", "all", "none", "is", "missing", "known",
        "within", "true", "false", "fields", "from", "import", "examples", "null", "as",
    }
)  # fmt: skip

Unit: TypeAlias = ast.TopLevel | ast.FieldDecl | ast.Example
_BLOCKS = (ast.ProfileDecl, ast.Fields, ast.Examples)


def format(text: str, filename: str = "<string>") -> str:
    """`text` in the canonical layout; raises ICPSyntaxError if it does not parse."""
    return Formatter(parse(text, filename)).run()


@attrs.define
class _Notes:
    """The comments placed on one unit, and on a block's header, closing line and tail."""

    leading: list[ast.Comment] = attrs.field(factory=list)
    trailing: list[ast.Comment] = attrs.field(factory=list)
    header: list[ast.Comment] = attrs.field(factory=list)
    closing: list[ast.Comment] = attrs.field(factory=list)
    tail: list[ast.Comment] = attrs.field(factory=list)


class Formatter:
    """Prints one module; comments are first placed on the units they belong to."""

    def __init__(self, module: ast.Module) -> None:
        self.module = module
        # Lines as the parser counts them: at "\n" only (splitlines also breaks at form
        # feeds, \x1c-\x1e, \x85 and \u2028, which a comment or a string may hold).
        self.lines = module.text.split("\n")
        self.notes: dict[int, _Notes] = {}
        self.root_tail: list[ast.Comment] = []
        self.out: list[str] = []
        self.trailing: dict[int, str] = {}  # output line → its end-of-line comment
        for comment in module.comments:
            self._place(comment, module.items, None)

    # ------------------------------------------------------------------ comments
    def _note(self, unit: object) -> _Notes:
        return self.notes.setdefault(id(unit), _Notes())

    def _place(self, comment: ast.Comment, units: Sequence[Unit], block: Unit | None) -> None:
        line = comment.span.line
        covering = [
            u
            for u in units
            if u.span.line <= line <= u.span.end_line and u.span.start < comment.span.start
        ]
        if covering:
            unit = covering[-1]
            children = _children(unit)
            if isinstance(unit, _BLOCKS):
                inner = [c for c in children if c.span.line <= line <= c.span.end_line]
                if inner:
                    self._place(comment, children, unit)
                elif line == unit.span.line:
                    self._note(unit).header.append(comment)
                elif line == unit.span.end_line:
                    self._note(unit).closing.append(comment)
                else:
                    self._place(comment, children, unit)
            elif line == unit.span.end_line and comment.span.start >= unit.span.end:
                self._note(unit).trailing.append(comment)
            else:
                self._note(unit).leading.append(comment)
            return
        following = [u for u in units if u.span.start > comment.span.start]
        if following:
            self._note(following[0]).leading.append(comment)
        elif block is None:
            self.root_tail.append(comment)
        else:
            self._note(block).tail.append(comment)

    def _blank_between(self, after_line: int, before_line: int) -> bool:
        """Whether the source has an empty line strictly between two lines."""
        return any(
            not self.lines[n - 1].strip()
            for n in range(after_line + 1, before_line)
            if 0 < n <= len(self.lines)
        )

    # ------------------------------------------------------------------ layout
    def run(self) -> str:
        self._units(self.module.items, 0, None)
        last = self.module.items[-1].span.end_line if self.module.items else 0
        self._comments(self.root_tail, 0, last, bool(self.module.items))
        self._align_trailing()
        text = "\n".join(self.out).rstrip("\n")
        return text + "\n" if text else ""

    def _align_trailing(self) -> None:
        """End-of-line comments on consecutive lines start in one column, if it fits."""
        for group in _runs(sorted(self.trailing)):
            column = max(len(self.out[i]) for i in group) + 2
            widest = max(column + len(self.trailing[i]) for i in group)
            for i in group:
                code = self.out[i]
                gap = column - len(code) if widest <= WIDTH else 2
                self.out[i] = code + " " * gap + self.trailing[i]

    def _units(self, units: Sequence[Unit], depth: int, header_line: int | None) -> int:
        """Print units of one block; returns the last source line printed."""
        previous: Unit | None = None
        last_line = header_line or 0
        for unit in units:
            notes = self.notes.get(id(unit), _Notes())
            first_line = notes.leading[0].span.line if notes.leading else unit.span.line
            blank = previous is not None and (
                self._blank_between(last_line, first_line) or _section_break(previous, unit)
            )
            if blank:
                self.out.append("")
            last_line = self._comments(notes.leading, depth, last_line, False)
            if notes.leading and self._blank_between(last_line, unit.span.line):
                self.out.append("")
            self._unit(unit, depth, notes)
            last_line = unit.span.end_line
            previous = unit
        return last_line

    def _comments(
        self, comments: list[ast.Comment], depth: int, last_line: int, blank_first: bool
    ) -> int:
        for index, comment in enumerate(comments):
            gap = self._blank_between(last_line, comment.span.line)
            if (index or blank_first) and gap and self.out:
                self.out.append("")
            self.out.append(INDENT * depth + comment.text.rstrip())
            last_line = comment.span.line
        return last_line

    def _unit(self, unit: Unit, depth: int, notes: _Notes) -> None:
        pad = INDENT * depth
        if isinstance(unit, _BLOCKS):
            self._block(unit, depth, notes)
            return
        lines = self._statement(unit, depth)
        self.out.extend(pad + line if line else line for line in lines)
        if notes.trailing:
            self.trailing[len(self.out) - 1] = notes.trailing[-1].text.rstrip()

    def _block(
        self, unit: ast.ProfileDecl | ast.Fields | ast.Examples, depth: int, notes: _Notes
    ) -> None:
        pad = INDENT * depth
        head = _header(unit)
        children = _children(unit)
        header_comment = "  " + notes.header[0].text.rstrip() if notes.header else ""
        closing = "}" + ("  " + notes.closing[0].text.rstrip() if notes.closing else "")
        if not children and not notes.tail and not notes.header and not notes.closing:
            self.out.append(pad + head + " {}")
            return
        self.out.append(pad + head + " {" + header_comment)
        last = self._units(children, depth + 1, unit.span.line)
        self._comments(notes.tail, depth + 1, last, bool(children))
        self.out.append(pad + closing)

    # ------------------------------------------------------------------ statements
    def _statement(self, unit: Unit, depth: int) -> list[str]:
        room = WIDTH - len(INDENT) * depth
        if isinstance(unit, ast.Import):
            return [f"import {quote(unit.path)}"]
        if isinstance(unit, ast.FieldDecl):
            return field_decl_lines(unit, room)
        if isinstance(unit, ast.Example):
            return example_lines(unit, room)
        if isinstance(unit, ast.Criterion):
            prefix = "require " if unit.required_keyword else ""
            return condition_lines(prefix, unit.condition, "", room)
        if isinstance(unit, ast.Disqualifier):
            reason = f": {quote(unit.reason)}" if unit.reason is not None else ""
            return condition_lines("disqualify if ", unit.condition, reason, room)
        if isinstance(unit, ast.Points):
            return condition_lines(f"{unit.text} if ", unit.condition, "", room)
        if isinstance(unit, ast.Tier):
            if unit.condition is None:
                return [f"tier {name(unit.name)} otherwise"]
            return condition_lines(f"tier {name(unit.name)} if ", unit.condition, "", room)
        if isinstance(unit, ast.Define):
            return condition_lines(f"define {unit.name} = ", unit.condition, "", room)
        if isinstance(unit, ast.AsOf):
            return [f"as of {unit.date.text}"]
        raise TypeError(f"cannot format {type(unit).__name__}")


def _runs(indexes: list[int]) -> list[list[int]]:
    runs: list[list[int]] = []
    for index in indexes:
        if runs and runs[-1][-1] == index - 1:
            runs[-1].append(index)
        else:
            runs.append([index])
    return runs


def _children(unit: object) -> Sequence[Unit]:
    if isinstance(unit, ast.ProfileDecl):
        return unit.body
    if isinstance(unit, ast.Fields):
        return unit.decls
    if isinstance(unit, ast.Examples):
        return unit.examples
    return ()


def _header(unit: ast.ProfileDecl | ast.Fields | ast.Examples) -> str:
    if isinstance(unit, ast.ProfileDecl):
        extends = f" extends {quote(unit.extends)}" if unit.extends is not None else ""
        return f"profile {quote(unit.name)}{extends}"
    return "fields" if isinstance(unit, ast.Fields) else "examples"


_SECTION = {
    ast.Import: "import",
    ast.Fields: "fields",
    ast.ProfileDecl: "profile",
    ast.Define: "define",
    ast.Criterion: "criterion",
    ast.Disqualifier: "disqualifier",
    ast.Points: "points",
    ast.Tier: "tier",
    ast.Examples: "examples",
    ast.AsOf: "as of",
}


def _section_break(previous: Unit, unit: Unit) -> bool:
    """A blank line between different kinds of statement and around blocks."""
    if isinstance(previous, ast.FieldDecl | ast.Example) or isinstance(
        unit, ast.FieldDecl | ast.Example
    ):
        return False
    if isinstance(previous, _BLOCKS) or isinstance(unit, _BLOCKS):
        return True
    return _SECTION.get(type(previous)) != _SECTION.get(type(unit))


# ---------------------------------------------------------------------- pieces


def quote(text: str) -> str:
    """A double-quoted string literal that reads back as `text`."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + escaped.replace("\n", "\\n").replace("\t", "\\t") + '"'


def name(text: str) -> str:
    """A tier name: bare when it reads back as a name, else quoted."""
    return text if _NAME.match(text) and text not in RESERVED else quote(text)


def field(text: str) -> str:
    """A field name as ICP writes it: bare when it reads back as a name, else in
    backticks.  A name no backticks can hold (one with a backtick, a line break or a
    control character) raises ValueError: text from data never becomes code."""
    if _NAME.match(text) and text not in RESERVED:
        return text
    if not writable_field(text):
        raise ValueError(f"not a name ICP can write: {text!r}")
    return f"`{text}`"


def writable_field(text: str) -> bool:
    """Whether `field(text)` can write `text` (see there)."""
    return bool(_NAME.match(text)) or (bool(text) and text.isprintable() and "`" not in text)


def path(node: ast.Path) -> str:
    return ".".join(field(part) for part in node.parts)


def values(items: Sequence[ast.Value]) -> str:
    return "[" + ", ".join(v.text for v in items) + "]"


def condition(node: ast.Condition, parent: str = "") -> str:
    """A condition on one line, with the parentheses its tree needs and no others
    (`parent`: the class name of the node it is an operand of)."""
    return _ConditionText(parent).visit(node)


class _ConditionText(ConditionVisitor[str]):
    """Writes a condition on one line; `parent` is the class of the enclosing node."""

    def __init__(self, parent: str) -> None:
        self.parent = parent

    def operand(self, node: ast.Condition, parent: str) -> str:
        outer, self.parent = self.parent, parent
        try:
            return self.visit(node)
        finally:
            self.parent = outer

    def visit_And(self, node: ast.And | ast.Or) -> str:
        word = " or " if isinstance(node, ast.Or) else " and "
        kind = type(node).__name__
        text = word.join(self.operand(o, kind) for o in node.operands)
        needs = self.parent in ("And", "Not", "Or")  # `(a and b) or c` reads unambiguously
        return f"({text})" if needs else text

    visit_Or = visit_And

    def visit_Not(self, node: ast.Not) -> str:
        return "not " + self.operand(node.operand, "Not")

    def visit_Ref(self, node: ast.Ref) -> str:
        return node.name

    def visit_InList(self, node: ast.InList) -> str:
        return f"{path(node.field)} {'not in' if node.negated else 'in'} {values(node.values)}"

    def visit_Range(self, node: ast.Range) -> str:
        low = node.low.text if node.low is not None else ""
        high = node.high.text if node.high is not None else ""
        return f"{path(node.field)} {low}..{high}"

    def visit_Compare(self, node: ast.Compare) -> str:
        return f"{path(node.field)} {node.op} {node.value.text}"

    def visit_Has(self, node: ast.Has) -> str:
        if node.mode == "one":
            return f"{path(node.field)} has {node.values[0].text}"
        return f"{path(node.field)} has {node.mode} {values(node.values)}"

    def visit_IsKnown(self, node: ast.IsKnown) -> str:
        return f"{path(node.field)} is {'known' if node.known else 'missing'}"

    def visit_Within(self, node: ast.Within) -> str:
        return f"{path(node.field)} within {node.duration.text}"

    def visit_Matches(self, node: ast.Matches) -> str:
        return f"{path(node.field)} {node.value.text}"

    def visit_Truthy(self, node: ast.Truthy) -> str:
        return path(node.field)


def condition_lines(prefix: str, node: ast.Condition, suffix: str, room: int) -> list[str]:
    """A statement's text, broken after each top-level `and`/`or` when it is too long."""
    flat = prefix + condition(node) + suffix
    if len(flat) <= room:
        return [flat]
    if isinstance(node, ast.InList | ast.Has) and len(node.values) > 1:
        return _list_lines(prefix, node, suffix, room)
    if not isinstance(node, ast.And | ast.Or):
        return [flat]
    word = " or" if isinstance(node, ast.Or) else " and"
    parts = [condition(o, type(node).__name__) for o in node.operands]
    lines = [prefix + parts[0] + word]
    lines += [INDENT * 2 + p + word for p in parts[1:-1]]
    lines.append(INDENT * 2 + parts[-1] + suffix)
    return lines


def _list_lines(prefix: str, node: ast.InList | ast.Has, suffix: str, room: int) -> list[str]:
    """`field in [` then the values, filled, on indented lines, then `]`."""
    head = condition(node)
    head = head[: head.index("[") + 1]
    items = [v.text + "," for v in node.values]
    body = _fill(items, room - len(INDENT) * 2, INDENT * 2, " ")
    return [prefix + head, *body, "]" + suffix]


def field_decl_lines(decl: ast.FieldDecl, room: int) -> list[str]:
    """A field declaration; a long `category [...]` breaks inside its brackets."""
    flat = field_decl(decl)
    type_ = decl.type
    if len(flat) <= room or type_ is None or type_.name == "record" or len(type_.args) < 2:
        return [flat]
    space = " " if type_.name == "category" else ""
    items = [(a.text if isinstance(a, ast.Value) else type_expr(a)) + "," for a in type_.args]
    column = f" from {quote(decl.column)}" if decl.column is not None else ""
    body = _fill(items, room - len(INDENT) * 2, INDENT * 2, " ")
    return [f"{decl.name}: {type_.name}{space}[", *body, "]" + column]


def field_decl(decl: ast.FieldDecl) -> str:
    column = f" from {quote(decl.column)}" if decl.column is not None else ""
    if decl.type is None:
        return f"{decl.name}{column}"
    return f"{decl.name}: {type_expr(decl.type)}{column}"


def type_expr(node: ast.TypeExpr) -> str:
    if node.format is not None:
        return f"{node.name} {node.format.text}"
    if node.name == "record" and not node.args:
        inner = ", ".join(field_decl(d) for d in node.fields)
        return "{ " + inner + " }" if inner else "{}"
    if not node.args:
        return node.name
    args = ", ".join(a.text if isinstance(a, ast.Value) else type_expr(a) for a in node.args)
    space = " " if node.name == "category" else ""
    return f"{node.name}{space}[{args}]"


def record_value(value: ast.RecordValue) -> str:
    if value is None:
        return "null"
    if isinstance(value, ast.Value):
        return value.text
    if isinstance(value, ast.ListLiteral):
        return "[" + ", ".join(record_value(v) for v in value.items) + "]"
    return record(value)


def key(text: str) -> str:
    return text if _NAME.match(text) and text not in RESERVED else quote(text)


def record(node: ast.RecordLiteral) -> str:
    if not node.pairs:
        return "{}"
    return "{ " + ", ".join(f"{key(k)}: {record_value(v)}" for k, v in node.pairs) + " }"


def example_lines(node: ast.Example, room: int) -> list[str]:
    """`fit "name" { ... } because a, b score 10`, the record one pair a line if long."""
    if node.verdict == "fit" and node.tier is not None:
        head = f"tier {name(node.tier)}"
        tier = ""
    else:
        head = node.verdict or "fit"
        tier = f" tier {name(node.tier)}" if node.tier is not None else ""
    if node.name is not None:
        head += f" {quote(node.name)}"
    options = tier
    if node.because:
        options = " because " + ", ".join(path(p) for p in node.because) + options
    if node.score is not None:
        options += f" score {node.score.text}"
    flat = f"{head} {record(node.record)}{options}"
    if len(flat) <= room or not node.record.pairs:
        return [flat]
    pairs = [f"{key(k)}: {record_value(v)}" for k, v in node.record.pairs]
    return [head + " {", *_fill(pairs, room - len(INDENT)), "}" + options]


def _fill(items: list[str], room: int, indent: str = INDENT, glue: str = ", ") -> list[str]:
    """Items joined by `glue` into as few lines as fit in `room`, of even length.

    The line count is the fewest that fit (an item never splits); the width is then the
    narrowest that keeps that count, so the last line is not left with one item while the
    others run to the margin.
    """
    count = len(_greedy(items, room, glue))
    narrow, wide = 1, room
    while narrow < wide:  # the narrowest width that still needs only `count` lines
        middle = (narrow + wide) // 2
        if len(_greedy(items, middle, glue)) <= count:
            wide = middle
        else:
            narrow = middle + 1
    return [indent + line for line in _greedy(items, wide, glue)]


def _greedy(items: list[str], room: int, glue: str) -> list[str]:
    """Items joined by `glue`, each line filled as far as `room` allows."""
    lines: list[str] = []
    for item in items:
        if lines and len(lines[-1]) + len(glue) + len(item) <= room:
            lines[-1] += glue + item
        else:
            lines.append(item)
    return lines
