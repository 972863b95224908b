"""icpdsl Diagnostics → LSP diagnostics: the same code, place and message as `icp check`;
the hint on a second line; the fixes in `data`, for the code actions.

A problem in an imported file is shown on the `import` that brings it in, with the
imported file's place as related information.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lsprotocol import types

from ..errors import Diagnostic
from ..lint import UNUSED_DEFINE, UNUSED_FIELD
from .analysis import Analysis
from .positions import Lines

SOURCE = "icp"
_FADED = frozenset({UNUSED_DEFINE, UNUSED_FIELD})


def lsp_diagnostics(analysis: Analysis, lines: Lines) -> list[types.Diagnostic]:
    """Every diagnostic of the analysis so far, for its file."""
    found: list[types.Diagnostic] = []
    for diagnostic in analysis.diagnostics:
        if diagnostic.filename == analysis.target.filename:
            found.append(_here(diagnostic, lines))
        else:
            found.append(_imported(diagnostic, analysis, lines))
    return found


def _message(diagnostic: Diagnostic) -> str:
    hint = f"\nhint: {diagnostic.hint}" if diagnostic.hint else ""
    return diagnostic.message + hint


def _severity(diagnostic: Diagnostic) -> types.DiagnosticSeverity:
    if diagnostic.severity == "error":
        return types.DiagnosticSeverity.Error
    return types.DiagnosticSeverity.Warning


def _here(diagnostic: Diagnostic, lines: Lines) -> types.Diagnostic:
    if diagnostic.line:
        where = lines.range(diagnostic.line, diagnostic.column or 1, diagnostic.width)
    else:  # a problem with the whole file (it cannot be read)
        where = types.Range(types.Position(0, 0), types.Position(0, 0))
    data: dict[str, Any] = {}
    if diagnostic.fix is not None:
        data["fix"] = diagnostic.fix
    if diagnostic.corrected_line is not None:
        data["corrected_line"] = diagnostic.corrected_line
    return types.Diagnostic(
        range=where,
        message=_message(diagnostic),
        severity=_severity(diagnostic),
        code=diagnostic.code,
        source=SOURCE,
        tags=[types.DiagnosticTag.Unnecessary] if diagnostic.code in _FADED else None,
        data=data or None,
    )


def _imported(diagnostic: Diagnostic, analysis: Analysis, lines: Lines) -> types.Diagnostic:
    """A problem of an imported file, on the import that (directly) brings it in."""
    imports = [
        o
        for o in analysis.index.occurrences
        if o.kind == "file" and o.filename == analysis.index.filename
    ]
    direct = [o for o in imports if o.name == diagnostic.filename]
    chosen = next(iter(direct or imports), None)
    where = (
        lines.span(chosen.span)
        if chosen is not None
        else types.Range(types.Position(0, 0), types.Position(0, 0))
    )
    name = Path(diagnostic.filename).name
    place = types.Location(
        uri=Path(diagnostic.filename).as_uri() if Path(diagnostic.filename).is_absolute() else "",
        range=types.Range(
            types.Position(max(0, diagnostic.line - 1), max(0, diagnostic.column - 1)),
            types.Position(max(0, diagnostic.line - 1), max(0, diagnostic.column - 1) + 1),
        ),
    )
    return types.Diagnostic(
        range=where,
        message=f"in {name}:{diagnostic.line}:{diagnostic.column}: {_message(diagnostic)}",
        severity=_severity(diagnostic),
        code=diagnostic.code,
        source=SOURCE,
        related_information=[types.DiagnosticRelatedInformation(place, diagnostic.message)]
        if place.uri
        else None,
    )
