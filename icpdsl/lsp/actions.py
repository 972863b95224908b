"""Quick fixes: apply a did-you-mean (the diagnostic's `fix`), or a syntax hint's
corrected line; both travel in the LSP diagnostic's `data`, so a fix is made for the
text the diagnostic was published for."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from lsprotocol import types

from ..formatter import quote
from ..schema import closest
from .analysis import Analysis
from .diagnostics import SOURCE
from .positions import Lines

_UNKNOWN_BASE = re.compile(r"extends unknown profile '((?:[^'\\]|\\.)*)'")


def code_actions(
    uri: str, diagnostics: Sequence[types.Diagnostic], lines: Lines, analysis: Analysis | None
) -> list[types.CodeAction]:
    """One quick fix per fixable diagnostic among those the client sent."""
    found: list[types.CodeAction] = []
    for diagnostic in diagnostics:
        if diagnostic.source != SOURCE:
            continue
        data: Any = diagnostic.data if isinstance(diagnostic.data, dict) else {}
        if isinstance(data.get("fix"), str):
            edit = types.TextEdit(diagnostic.range, data["fix"])
            found.append(_action(f"Replace with {data['fix']}", uri, edit, diagnostic))
        if isinstance(data.get("corrected_line"), str):
            line = diagnostic.range.start.line
            edit = types.TextEdit(lines.whole_line(line), data["corrected_line"])
            hint = diagnostic.message.partition("\nhint: ")[2] or "apply the hint"
            found.append(_action(f"Fix: {hint}", uri, edit, diagnostic))
        base = _extends_fix(diagnostic, lines, analysis)
        if base is not None:
            found.append(_action(f"Replace with {base.new_text}", uri, base, diagnostic))
    return found


def _action(
    title: str, uri: str, edit: types.TextEdit, diagnostic: types.Diagnostic
) -> types.CodeAction:
    return types.CodeAction(
        title=title,
        kind=types.CodeActionKind.QuickFix,
        diagnostics=[diagnostic],
        edit=types.WorkspaceEdit(changes={uri: [edit]}),
        is_preferred=True,
    )


def _extends_fix(
    diagnostic: types.Diagnostic, lines: Lines, analysis: Analysis | None
) -> types.TextEdit | None:
    """ICP002: the closest declared profile in place of the unknown one after `extends`."""
    found = _UNKNOWN_BASE.search(diagnostic.message)
    if diagnostic.code != "ICP002" or found is None or analysis is None:
        return None
    unknown = found.group(1)
    declared = [s.name for s in analysis.index.declared("profile")]
    better = closest(unknown, declared)
    if better is None:
        return None
    for occurrence in analysis.index.occurrences:
        in_file = occurrence.filename == analysis.index.filename
        if occurrence.kind == "profile" and occurrence.name == unknown and in_file:
            return types.TextEdit(lines.span(occurrence.span), quote(better))
    return None
