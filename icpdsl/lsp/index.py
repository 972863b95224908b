"""The names of one file and its imports: where each field, define, profile and imported
file is declared, and every place the file names one (for definition, references, hover
and completion)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Literal

import attrs

from .. import ast
from ..source import Source, Span
from ..visitor import predicates

Kind = Literal["field", "define", "profile", "file"]

_NAME = r"[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*"
_STRING = r"\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*'"
_PROFILE_NAME = re.compile(rf"profile\s+({_STRING})")
_EXTENDS = re.compile(rf"extends\s+({_STRING})")
_DEFINE_NAME = re.compile(rf"define\s+({_NAME})")
_KEY = re.compile(rf"({_NAME}|`[^`\n]+`|{_STRING})\s*:")


@attrs.frozen
class Symbol:
    """A declaration: `span` is its name, `node` the whole declaration."""

    kind: Kind
    name: str
    filename: str
    span: Span
    node: ast.FieldDecl | ast.Define | ast.ProfileDecl | ast.Import
    #: The profile a define belongs to (None: the file's top level).
    scope: str | None = None


@attrs.frozen
class Occurrence:
    """A place a file names something: `kind` "name" is a field (`name` may be dotted)
    or a define (which one depends on the defines in `scope`)."""

    kind: Literal["name", "profile", "file"]
    name: str
    filename: str
    span: Span
    scope: str | None = None


@attrs.frozen
class Statement:
    """A rule, define or examples block with the profile it belongs to, for hover."""

    node: ast.Statement | ast.ProfileDecl | ast.Fields | ast.Import
    filename: str
    scope: str | None


@attrs.define
class Index:
    """Declarations and occurrences of one file (first module) and the files it imports."""

    filename: str
    symbols: list[Symbol] = attrs.field(factory=list)
    occurrences: list[Occurrence] = attrs.field(factory=list)
    statements: list[Statement] = attrs.field(factory=list)
    #: profile name → the profile it extends.
    bases: dict[str, str | None] = attrs.field(factory=dict)
    #: field name → values the file compares it with, in order of first use.
    values: dict[str, dict[str, None]] = attrs.field(factory=dict)
    _fields: dict[str, Symbol] = attrs.field(factory=dict)
    _defines: dict[tuple[str, str | None], Symbol] = attrs.field(factory=dict)

    def add(self, symbol: Symbol) -> None:
        self.symbols.append(symbol)
        if symbol.kind == "field":
            self._fields.setdefault(symbol.name, symbol)
        elif symbol.kind == "define":
            self._defines.setdefault((symbol.name, symbol.scope), symbol)

    # ------------------------------------------------------------------ queries
    def declared(self, kind: Kind) -> list[Symbol]:
        return [s for s in self.symbols if s.kind == kind]

    def at(self, line: int, column: int) -> Symbol | Occurrence | None:
        """The declaration or occurrence under (line, column) of this file."""
        items: list[Symbol | Occurrence] = [*self.symbols, *self.occurrences]
        for item in items:
            if item.filename == self.filename and _contains(item.span, line, column):
                return item
        return None

    def statement_at(self, line: int, column: int) -> Statement | None:
        """The innermost statement of this file under (line, column)."""
        found = [
            s
            for s in self.statements
            if s.filename == self.filename and _contains(s.node.span, line, column)
        ]
        return min(found, key=lambda s: s.node.span.end - s.node.span.start, default=None)

    def profile_at(self, line: int) -> str | None:
        """The profile whose block holds `line` of this file, if any."""
        for symbol in self.declared("profile"):
            span = symbol.node.span
            if symbol.filename == self.filename and span.line <= line <= span.end_line:
                return symbol.name
        return None

    def define(self, name: str, scope: str | None) -> Symbol | None:
        """The define `name` means inside `scope`: the profile's own, then its bases'
        (nearest first), then the top level's, as the loader resolves them."""
        seen: set[str] = set()
        while scope is not None and scope not in seen:
            seen.add(scope)
            found = self._defines.get((name, scope))
            if found is not None:
                return found
            scope = self.bases.get(scope)
        return self._defines.get((name, None))

    def resolve(self, item: Symbol | Occurrence) -> Symbol | None:
        """The declaration a declaration or an occurrence stands for."""
        if isinstance(item, Symbol):
            return item
        if item.kind == "name":
            define = self.define(item.name, item.scope) if "." not in item.name else None
            return define or self.field(item.name)
        kind: Kind = "profile" if item.kind == "profile" else "file"
        return next((s for s in self.symbols if s.kind == kind and s.name == item.name), None)

    def field(self, name: str) -> Symbol | None:
        """The declaration of a field, or of the nearest record holding a dotted one."""
        while name:
            found = self._fields.get(name)
            if found is not None:
                return found
            name = name.rpartition(".")[0]
        return None

    def references(self, target: Symbol) -> list[Occurrence]:
        """Every occurrence that stands for `target`."""
        kinds = {"field": "name", "define": "name", "profile": "profile", "file": "file"}
        return [
            o
            for o in self.occurrences
            if o.kind == kinds[target.kind] and o.name == target.name and self.resolve(o) == target
        ]


def _contains(span: Span, line: int, column: int) -> bool:
    after_start = (line, column) >= (span.line, span.column)
    return after_start and (line, column) <= (span.end_line, span.end_column)


# ---------------------------------------------------------------------- building


def build_index(modules: Iterable[ast.Module], imports: dict[str, Path] | None = None) -> Index:
    """The index of the first module and the modules it imports (`imports`: each import
    path as written in a module, resolved)."""
    modules = list(modules)
    index = Index(modules[0].filename if modules else "<string>")
    for module in modules:
        _Builder(index, module, imports or {}).run()
    return index


class _Builder:
    """Adds one module's declarations and occurrences to an Index."""

    def __init__(self, index: Index, module: ast.Module, imports: dict[str, Path]) -> None:
        self.index = index
        self.module = module
        self.filename = module.filename
        self.source = Source(module.text, module.filename)
        self.imports = imports

    def run(self) -> None:
        for item in self.module.items:
            if isinstance(item, ast.ProfileDecl):
                self.profile(item)
            elif isinstance(item, ast.Fields):
                self.index.statements.append(Statement(item, self.filename, None))
                for decl in item.decls:
                    self.field(decl, "")
            elif isinstance(item, ast.Import):
                self.import_(item)
            else:
                self.statement(item, None)

    # -------------------------------------------------------------- declarations
    def import_(self, item: ast.Import) -> None:
        self.index.statements.append(Statement(item, self.filename, None))
        target = self.imports.get(item.path)
        name = str(target) if target is not None else item.path
        quoted = self.source.text[item.span.start : item.span.end].split(None, 1)[-1]
        span = self.source.span(item.span.end - len(quoted), item.span.end)
        self.index.occurrences.append(Occurrence("file", name, self.filename, span))
        if target is not None:
            start = Span(0, 0, 1, 1, 1, 1)
            self.index.add(Symbol("file", name, str(target), start, item))

    def field(self, decl: ast.FieldDecl, prefix: str) -> None:
        span = self.source.span(decl.span.start, decl.span.start + len(decl.name))
        name = prefix + decl.name
        self.index.add(Symbol("field", name, self.filename, span, decl))
        if decl.type is not None:
            for inner in decl.type.fields:
                self.field(inner, name + ".")

    def profile(self, decl: ast.ProfileDecl) -> None:
        self.index.statements.append(Statement(decl, self.filename, None))
        self.index.bases[decl.name] = decl.extends
        header_end = self.source.text.find("{", decl.span.start)
        found = _PROFILE_NAME.match(self.source.text, decl.span.start)
        if found is not None:
            span = self.source.span(found.start(1), found.end(1))
            self.index.add(Symbol("profile", decl.name, self.filename, span, decl))
        if decl.extends is not None:
            extends = _EXTENDS.search(self.source.text, decl.span.start, header_end)
            if extends is not None:
                span = self.source.span(extends.start(1), extends.end(1))
                self.index.occurrences.append(
                    Occurrence("profile", decl.extends, self.filename, span)
                )
        for statement in decl.body:
            self.statement(statement, decl.name)

    def statement(self, node: ast.Statement, scope: str | None) -> None:
        self.index.statements.append(Statement(node, self.filename, scope))
        if isinstance(node, ast.Define):
            found = _DEFINE_NAME.match(self.source.text, node.span.start)
            if found is not None:
                span = self.source.span(found.start(1), found.end(1))
                self.index.add(Symbol("define", node.name, self.filename, span, node, scope))
            self.condition(node.condition, scope)
        elif isinstance(node, ast.Examples):
            for example in node.examples:
                self.example(example, scope)
        elif isinstance(node, ast.Tier):
            if node.condition is not None:  # `tier B otherwise` has none
                self.condition(node.condition, scope)
        elif not isinstance(node, ast.AsOf):  # a date names nothing
            self.condition(node.condition, scope)

    # -------------------------------------------------------------- occurrences
    def condition(self, node: ast.Condition, scope: str | None) -> None:
        for predicate in predicates(node):
            self.name(predicate.field, scope)
            values = self.index.values.setdefault(predicate.field.name, {})
            for value in _values_of(predicate):
                values.setdefault(value.text, None)

    def name(self, path: ast.Path, scope: str | None) -> None:
        """A field's path, or (a name alone) maybe a define."""
        self.index.occurrences.append(
            Occurrence("name", path.name, self.filename, path.span, scope)
        )

    def example(self, example: ast.Example, scope: str | None) -> None:
        for path in example.because:
            self.name(path, scope)
        record = example.record
        text = self.source.text
        for match in _KEY.finditer(text, record.span.start + 1, record.span.end - 1):
            if _depth(text, record.span.start + 1, match.start()) != 0:
                continue
            key = match.group(1)
            name = key[1:-1] if key[0] in "`\"'" else key
            span = self.source.span(match.start(1), match.end(1))
            self.index.occurrences.append(Occurrence("name", name, self.filename, span, None))
        for key, value in record.pairs:
            if isinstance(value, ast.Value):
                self.index.values.setdefault(key, {}).setdefault(value.text, None)


def _depth(text: str, start: int, end: int) -> int:
    """How many brackets opened between `start` and `end` are still open (strings and
    quoted names are passed over)."""
    depth = 0
    for token in re.finditer(rf"{_STRING}|`[^`\n]*`|[{{\[]|[}}\]]", text[start:end]):
        value = token.group()
        if value in "{[":
            depth += 1
        elif value in "}]":
            depth -= 1
    return depth


def _values_of(node: ast.Predicate) -> tuple[ast.Value, ...]:
    if isinstance(node, ast.InList | ast.Has):
        return node.values
    if isinstance(node, ast.Compare | ast.Matches):
        return (node.value,)
    return ()
