"""The outline of a file: document symbols (profiles with their defines and examples,
fields blocks with their fields, top-level defines, imports) and folding ranges."""

from __future__ import annotations

from lsprotocol import types

from .. import ast
from ..source import Span
from .positions import Lines

Kind = types.SymbolKind


def document_symbols(module: ast.Module, lines: Lines) -> list[types.DocumentSymbol]:
    """One symbol per profile, fields block, define and import, nested as written."""
    found: list[types.DocumentSymbol] = []
    for item in module.items:
        if isinstance(item, ast.ProfileDecl):
            children = [s for s in (_statement(n, lines) for n in item.body) if s is not None]
            detail = f"extends {item.extends}" if item.extends else None
            found.append(_symbol(item.name, Kind.Class, item.span, lines, detail, children))
        elif isinstance(item, ast.Fields):
            fields = [_field(d, lines) for d in item.decls]
            found.append(_symbol("fields", Kind.Struct, item.span, lines, None, fields))
        elif isinstance(item, ast.Import):
            found.append(_symbol(f"import {item.path}", Kind.File, item.span, lines))
        else:
            symbol = _statement(item, lines)
            if symbol is not None:
                found.append(symbol)
    return found


def _statement(node: ast.Statement, lines: Lines) -> types.DocumentSymbol | None:
    if isinstance(node, ast.Define):
        return _symbol(node.name, Kind.Function, node.span, lines, "define")
    if isinstance(node, ast.Examples):
        count = len(node.examples)
        return _symbol("examples", Kind.Namespace, node.span, lines, f"{count} examples")
    if isinstance(node, ast.Tier):
        return _symbol(f"tier {node.name}", Kind.EnumMember, node.span, lines)
    return None


def _field(decl: ast.FieldDecl, lines: Lines) -> types.DocumentSymbol:
    detail = f'from "{decl.column}"' if decl.column else None
    children = [_field(inner, lines) for inner in decl.type.fields] if decl.type else []
    return _symbol(decl.name, Kind.Field, decl.span, lines, detail, children or None)


def _symbol(
    name: str,
    kind: types.SymbolKind,
    span: Span,
    lines: Lines,
    detail: str | None = None,
    children: list[types.DocumentSymbol] | None = None,
) -> types.DocumentSymbol:
    where = lines.span(span)
    first_line = types.Range(where.start, where.start if span.end_line > span.line else where.end)
    return types.DocumentSymbol(
        name=name or "(unnamed)",
        kind=kind,
        range=where,
        selection_range=first_line,
        detail=detail,
        children=children,
    )


def folding_ranges(module: ast.Module) -> list[types.FoldingRange]:
    """Blocks, examples and conditions over several lines, and runs of comment lines."""
    found: list[types.FoldingRange] = []
    for node in _multiline(module.items):
        found.append(types.FoldingRange(start_line=node.line - 1, end_line=node.end_line - 1))
    run: list[int] = []
    for comment in module.comments:
        if run and comment.span.line == run[-1] + 1:
            run.append(comment.span.line)
            continue
        _comment_fold(run, found)
        run = [comment.span.line]
    _comment_fold(run, found)
    return sorted(found, key=lambda r: (r.start_line, -r.end_line))


def _comment_fold(run: list[int], found: list[types.FoldingRange]) -> None:
    if len(run) > 1:
        kind = types.FoldingRangeKind.Comment
        found.append(types.FoldingRange(start_line=run[0] - 1, end_line=run[-1] - 1, kind=kind))


def _multiline(items: tuple[object, ...]) -> list[Span]:
    spans: list[Span] = []
    for item in items:
        span = getattr(item, "span", None)
        if isinstance(span, Span) and span.end_line > span.line:
            spans.append(span)
        if isinstance(item, ast.ProfileDecl):
            spans += _multiline(item.body)
        elif isinstance(item, ast.Examples):
            spans += _multiline(item.examples)
        elif isinstance(item, ast.Fields):
            spans += _multiline(item.decls)
    return spans
