"""Completion: keywords and operators where the grammar takes them, field names (from
`fields` blocks, imports, a Python schema, or as the rules use them), defines, profiles,
imported files, types, and the values a field is already compared with.

What the grammar takes comes from Lark's interactive parser fed the statement being
written (not the whole file: a 2,000-rule profile completes as fast as a small one),
after the block around the cursor (`fields`, `examples`, a record) is found by a scan of
brackets, strings and comments.
"""

from __future__ import annotations

import re
from typing import Literal

import attrs
from lsprotocol import types

from .. import ast
from ..formatter import field, quote, type_expr, writable_field
from ..parser import tree_parser
from ..schema import TYPE_NAMES
from .analysis import Analysis
from .positions import Lines

Block = Literal["top", "profile", "fields", "record_type", "examples", "record", "other"]
Kind = types.CompletionItemKind

_TOKENS = re.compile(
    r"\"(?:[^\"\\\n]|\\.)*\"?|'(?:[^'\\\n]|\\.)*'?|`[^`\n]*`?|#[^\n]*|\\[ \t]*\r?\n|[{}()\[\],;\n]"
)
#: A statement goes on past a line break after these (the post-lexer's `_CONTINUES`).
_CONTINUES = re.compile(
    r"(?:(?<![\w-])(?:and|or|not|in|has|any|all|none|is|within|if|disqualify|require|define)"
    r"|[,{:=<>(\[]|\\)\s*$"
)
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*$")
_QUOTED = re.compile(r"\"(?:[^\"\\\n]|\\.)*\"?|'(?:[^'\\\n]|\\.)*'?|`[^`\n]*`?|#.*")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*\Z")
_PATH = r"(?:[A-Za-z_][\w-]*|`[^`\n]+`)(?:\.(?:[A-Za-z_][\w-]*|`[^`\n]+`))*"
#: The field a value is being written for: `industry in [SaaS, `, `x == `, `requires `.
_FIELD_OF_VALUE = re.compile(
    rf"({_PATH})\s+(?:not\s+in|in|has(?:\s+(?:any|all|none))?|==|!=|<=|>=|<|>)?\s*"
    r"(?:\[[^\[\]]*)?$"
)
_RECORD_VALUE = re.compile(rf"^\s*({_PATH}|\"[^\"\n]*\")\s*:\s*\[?[^:]*$")
_RECORD_KEY = re.compile(r"([A-Za-z_][\w-]*|`[^`\n]+`|\"[^\"\n]*\")\s*:")

_REGEX_TERMINALS = {
    "COMPARE": ("==", "!=", ">=", "<=", ">", "<"),
    "UNIT": ("years", "months", "weeks", "days"),
    "VERDICT": ("fit", "not_fit", "disqualified", "unknown"),
}
_PUNCTUATION = frozenset({"LBRACE", "RBRACE", "LPAR", "RPAR", "LSQB", "RSQB", "COMMA", "COLON",
                          "DOT", "_SEP", "$END"})  # fmt: skip
_TOP_ONLY = frozenset({"PROFILE", "FIELDS", "IMPORT"})


@attrs.define
class _Frame:
    """One open block while scanning: where its current statement began."""

    block: Block
    opened: int
    statement_start: int
    brackets: int = 0


def completions(analysis: Analysis, lines: Lines, position: types.Position) -> types.CompletionList:
    """The completion items at `position` of the analysed text."""
    line, column = lines.offset_column(position)
    offset = _offset(lines, line, column)
    text = "\n".join(lines.lines)
    partial = _partial(lines.line(line - 1)[: column - 1])
    if partial is None:
        return types.CompletionList(is_incomplete=False, items=[])
    word_start = offset - len(partial)
    frame = _frame_at(text, word_start)
    start_column = column - (offset - word_start)
    replace = types.Range(lines.position(line, start_column), position)
    builder = _Items(analysis, replace, analysis.index.profile_at(line))
    statement = text[frame.statement_start : word_start]
    if frame.block == "record":
        builder.record(statement, text, frame)
    else:
        builder.grammar(frame.block, statement)
    return types.CompletionList(is_incomplete=False, items=builder.items)


def _partial(before: str) -> str | None:
    """The word, string or `quoted name` being written at the end of `before` (None in
    a comment)."""
    quoted = list(_QUOTED.finditer(before))
    last = quoted[-1].group() if quoted and quoted[-1].end() == len(before) else ""
    if last.startswith("#"):
        return None
    if last[:1] in ('"', "'", "`") and (len(last) == 1 or last[-1] != last[0]):
        return last
    found = _WORD.search(before)
    return found.group() if found else ""


def _offset(lines: Lines, line: int, column: int) -> int:
    return sum(len(text) + 1 for text in lines.lines[: line - 1]) + column - 1


def _frame_at(text: str, end: int) -> _Frame:
    """The innermost block open at `end`, and where its current statement begins."""
    frames = [_Frame("top", 0, 0)]
    for token in _TOKENS.finditer(text, 0, end):
        value, frame = token.group(), frames[-1]
        if value == "{":
            kind = _block_kind(text[frame.statement_start : token.start()], frame)
            frames.append(_Frame(kind, token.end(), token.end()))
        elif value == "}":
            if len(frames) > 1:
                frames.pop()
        elif value in "([":
            frame.brackets += 1
        elif value in ")]":
            frame.brackets = max(0, frame.brackets - 1)
        elif value == "," and frame.block in ("record", "record_type") and not frame.brackets:
            frame.statement_start = token.end()
        elif value in ("\n", ";") and not frame.brackets:
            written = re.sub(r"#[^\n]*", "", text[frame.statement_start : token.start()])
            if frame.block == "record" or not _CONTINUES.search(written):
                frame.statement_start = token.end()
    return frames[-1]


def _block_kind(header: str, outer: _Frame) -> Block:
    words = header.split()
    if outer.block in ("examples", "record"):
        return "record"
    if outer.block in ("fields", "record_type"):
        return "record_type"
    if words[:1] == ["profile"]:
        return "profile"
    if words == ["fields"]:
        return "fields"
    if words == ["examples"]:
        return "examples"
    return "other"


class _Items:
    """Completion items for one request, by what may come next."""

    def __init__(self, analysis: Analysis, replace: types.Range, scope: str | None) -> None:
        self.analysis = analysis
        self.index = analysis.index
        self.replace = replace
        self.scope = scope
        self.items: list[types.CompletionItem] = []
        self._labels: set[str] = set()

    def add(
        self, label: str, kind: Kind, detail: str | None = None, text: str | None = None
    ) -> None:
        if label in self._labels:
            return
        self._labels.add(label)
        edit = types.TextEdit(self.replace, text if text is not None else label)
        self.items.append(
            types.CompletionItem(label=label, kind=kind, detail=detail, text_edit=edit)
        )

    # ---------------------------------------------------------------- by grammar
    def grammar(self, block: Block, statement: str) -> None:
        prelude = {
            "fields": "fields {\n",
            "record_type": "fields {\n_: {",
            "examples": "examples {\n",
        }
        accepts = _accepts(prelude.get(block, "") + statement)
        if accepts is None:  # what is before the cursor does not parse: offer names
            self.fields()
            self.defines()
            return
        if block not in ("top", "other"):
            accepts -= _TOP_ONLY
        tail = statement.rstrip()
        if block in ("fields", "record_type"):
            self._in_fields(accepts, tail)
        elif {"NAME", "LPAR", "_NOT"} <= accepts or tail.endswith("because"):
            self.fields()
            self.defines()
        elif "NAME" in accepts or "STRING" in accepts:
            self._names_or_values(accepts, statement)
        self.keywords(accepts)

    def _in_fields(self, accepts: set[str], tail: str) -> None:
        if "NAME" not in accepts:
            return
        if tail.endswith((":", "[")):
            for name in [*TYPE_NAMES, "record"]:
                self.add(name, Kind.TypeParameter, "type")
        else:  # a new declaration: the fields the rules read but nothing declares
            for occurrence in self.index.occurrences:
                name = occurrence.name
                if (
                    occurrence.kind == "name"
                    and "." not in name
                    and self.index.field(name) is None
                    and self.index.define(name, occurrence.scope) is None
                ):
                    self.add(name, Kind.Field, "used by the rules, not declared", f"{name}: ")

    def _names_or_values(self, accepts: set[str], statement: str) -> None:
        tail = statement.rstrip()
        if tail.endswith("extends"):
            for symbol in self.index.declared("profile"):
                self.add(quote(symbol.name), Kind.Class, "profile")
        elif tail.endswith("import"):
            self.files()
        elif tail.endswith("tier") or "OTHERWISE" in accepts:
            self.tiers()
        else:
            found = _FIELD_OF_VALUE.search(statement)
            if found is not None:
                self.values(found.group(1).replace("`", ""))

    # ---------------------------------------------------------------- in records
    def record(self, statement: str, text: str, frame: _Frame) -> None:
        value = _RECORD_VALUE.match(statement)
        if value is not None:
            self.values(value.group(1).strip('`"'))
            for word in ("true", "false", "null"):
                self.add(word, Kind.Keyword)
            return
        record_text = text[frame.opened :].split("}")[0]
        used = {m.group(1).strip('`"') for m in _RECORD_KEY.finditer(record_text)}
        for name in self._field_names():
            if name not in used and writable_field(name):
                self.add(name, Kind.Field, self._field_detail(name), f"{field(name)}: ")

    # ---------------------------------------------------------------- sources of names
    def keywords(self, accepts: set[str]) -> None:
        lark = tree_parser()
        for terminal in sorted(accepts - _PUNCTUATION):
            if terminal in _REGEX_TERMINALS:
                kind = Kind.Operator if terminal == "COMPARE" else Kind.Keyword
                for word in _REGEX_TERMINALS[terminal]:
                    self.add(word, kind)
                continue
            pattern = lark.get_terminal(terminal).pattern
            if pattern.type == "str" and pattern.value.isalpha():
                kind = Kind.Operator if terminal.startswith("_") else Kind.Keyword
                self.add(pattern.value, kind)
            elif terminal in ("DOTDOT", "EQUAL"):
                self.add(pattern.value, Kind.Operator)

    def _field_names(self) -> list[str]:
        names = [s.name for s in self.index.declared("field")]
        schema = self.analysis.document.schema if self.analysis.document else None
        names += list(schema.fields) if schema is not None else []
        names += [
            o.name.split(".")[0]
            for o in self.index.occurrences
            if o.kind == "name" and self.index.define(o.name, o.scope) is None
        ]
        return list(dict.fromkeys(names))

    def _field_detail(self, name: str) -> str:
        schema = self.analysis.document.schema if self.analysis.document else None
        spec = schema.fields.get(name) if schema is not None else None
        if spec is not None:
            return f"{spec.type}" + (f' from "{spec.column}"' if spec.column else "")
        symbol = self.index.field(name)
        if symbol is not None and isinstance(symbol.node, ast.FieldDecl):
            decl = symbol.node
            type_text = type_expr(decl.type) if decl.type is not None else "any"
            return type_text + (f' from "{decl.column}"' if decl.column else "")
        return "field (used by the rules)"

    def fields(self) -> None:
        for name in self._field_names():
            if writable_field(name):  # a name no backticks can hold is not offered
                self.add(name, Kind.Field, self._field_detail(name), field(name))

    def defines(self) -> None:
        for symbol in self.index.declared("define"):
            if self.index.define(symbol.name, self.scope) is symbol:
                self.add(symbol.name, Kind.Function, "define")

    def values(self, field: str) -> None:
        for value in self.index.values.get(field, {}):
            self.add(value, Kind.Value, f"used with {field}")
        schema = self.analysis.document.schema if self.analysis.document else None
        type_ = schema.field_type(tuple(field.split("."))) if schema is not None else None
        for value in type_.values if type_ is not None else ():
            self.add(value if _NAME.match(value) else quote(value), Kind.EnumMember, str(type_))

    def tiers(self) -> None:
        for statement in self.index.statements:
            node = statement.node
            if isinstance(node, ast.Tier) and statement.scope == self.scope:
                name = node.name
                self.add(name if _NAME.match(name) else quote(name), Kind.EnumMember, "tier")

    def files(self) -> None:
        path = self.analysis.target.path
        if path is None:
            return
        folder = path.parent
        found = sorted(folder.rglob("*.icp"))[:200]
        for file in found:
            relative = file.relative_to(folder)
            if file != path and not {".venv", "node_modules", ".git"} & set(relative.parts):
                self.add(quote(relative.as_posix()), Kind.File, "ICP file")


def _accepts(window: str) -> set[str] | None:
    """The terminals the grammar takes after `window` (None: it does not parse)."""
    try:
        parser = tree_parser().parse_interactive(window)
        parser.exhaust_lexer()
        accepted: set[str] = parser.accepts()  # type: ignore[no-untyped-call]
        return accepted
    except Exception:  # Lark's errors, and the post-lexer's limits: nothing to offer
        return None
