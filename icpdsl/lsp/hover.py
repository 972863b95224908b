"""Hover: a field's type and the CRM column it is read from; a define's condition; what a
rule means in one line; a profile's rule counts."""

from __future__ import annotations

from pathlib import Path

from .. import ast, formatter
from ..document import Profile
from . import describe
from .analysis import Analysis
from .index import Occurrence, Symbol


def hover_text(analysis: Analysis, line: int, column: int) -> str | None:
    """Markdown for what is under (line, column), or None."""
    index = analysis.index
    item = index.at(line, column)
    if item is not None:
        target = index.resolve(item)
        if target is not None:
            return _symbol(analysis, target)
        if isinstance(item, Occurrence) and item.kind == "name":
            return _undeclared_field(analysis, item.name)
        return None
    statement = index.statement_at(line, column)
    if statement is None:
        return None
    node = statement.node
    if isinstance(node, ast.ProfileDecl):
        return _profile(analysis, node)
    if isinstance(node, ast.Fields | ast.Import):
        return None
    return describe.statement(node, lambda name: index.define(name, statement.scope) is not None)


def _symbol(analysis: Analysis, symbol: Symbol) -> str:
    where = _where(analysis, symbol)
    node = symbol.node
    if isinstance(node, ast.FieldDecl):
        return _field(analysis, symbol.name, node, where)
    if isinstance(node, ast.Define):
        scope = f" in profile {symbol.scope!r}" if symbol.scope else ""
        code = f"define {node.name} = {formatter.condition(node.condition)}"
        meaning = describe.condition(
            node.condition, lambda name: analysis.index.define(name, symbol.scope) is not None
        )
        return f"```icp\n{code}\n```\nTrue when {meaning}.\n\nDefined at {where}{scope}."
    if isinstance(node, ast.ProfileDecl):
        return _profile(analysis, node)
    return _file(analysis, symbol)


def _where(analysis: Analysis, symbol: Symbol) -> str:
    name = (
        "this file" if symbol.filename == analysis.target.filename else Path(symbol.filename).name
    )
    return f"{name}:{symbol.span.line}"


def _field(analysis: Analysis, name: str, decl: ast.FieldDecl, where: str) -> str:
    schema = analysis.document.schema if analysis.document is not None else None
    spec = schema.fields.get(name) if schema is not None else None
    if spec is not None:
        type_text, column = str(spec.type), spec.column
    else:
        type_text = formatter.type_expr(decl.type) if decl.type is not None else "any"
        column = decl.column
    read = f'read from the CRM column "{column}"' if column else f"read from `{decl.name}`"
    return f"**{name}**: `{type_text}`\n\nField, {read}; declared at {where}."


def _undeclared_field(analysis: Analysis, name: str) -> str:
    schema = analysis.document.schema if analysis.document is not None else None
    spec = schema.fields.get(name.split(".")[0]) if schema is not None else None
    if spec is not None:  # from a Python schema
        column = f'read from the column "{spec.column}"' if spec.column else f"read from `{name}`"
        return f"**{name}**: `{spec.type}`\n\nField of the Python schema, {column}."
    values = list(analysis.index.values.get(name, {}))[:8]
    used = f"\n\nCompared with: {', '.join(values)}." if values else ""
    return (
        f"**{name}**: field, not declared\n\nRead from the record's `{name}`; its type is "
        f"inferred from how the rules use it (declare it in a `fields` block to check it).{used}"
    )


def _profile(analysis: Analysis, decl: ast.ProfileDecl) -> str:
    extends = f" extends **{decl.extends}**" if decl.extends else ""
    loaded = analysis.document.profiles.get(decl.name) if analysis.document else None
    if loaded is not None:
        counts = _counts(loaded)
    else:
        own = [s for s in decl.body if not isinstance(s, ast.Define | ast.Examples)]
        counts = f"{len(own)} rules of its own (the file does not load yet)"
    return f"**profile {decl.name}**{extends}\n\n{counts}"


def _counts(profile: Profile) -> str:
    def plural(count: int, word: str) -> str:
        return f"{count} {word}{'' if count == 1 else 's'}"

    inherited = sum(r.profile != profile.name for r in profile.rules)
    parts = [
        plural(len(profile.criteria), "criterion").replace("criterions", "criteria"),
        plural(len(profile.disqualifiers), "disqualifier"),
        plural(len(profile.scoring), "points rule"),
        plural(len(profile.tiers), "tier"),
        plural(len(profile.examples), "example"),
        plural(len(profile.defines), "define"),
    ]
    also = f" ({inherited} of the {len(profile.rules)} rules inherited)" if inherited else ""
    return ", ".join(parts) + also + "."


def _file(analysis: Analysis, symbol: Symbol) -> str:
    names = [s for s in analysis.index.symbols if s.filename == symbol.name]
    kinds = {kind: sum(s.kind == kind for s in names) for kind in ("profile", "field", "define")}
    said = ", ".join(f"{count} {kind}{'' if count == 1 else 's'}" for kind, count in kinds.items())
    return f"**{Path(symbol.name).name}**: {said}\n\n`{symbol.name}`"
