"""Go to definition and find references: defines, fields, profiles (`extends`) and
imported files, across the file and the files it imports."""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types

from .analysis import Analysis
from .index import Occurrence, Symbol
from .positions import Lines


def definition(analysis: Analysis, lines: Lines, line: int, column: int) -> list[types.Location]:
    """Where the name under (line, column) is declared."""
    item = analysis.index.at(line, column)
    target = analysis.index.resolve(item) if item is not None else None
    if target is None:
        return []
    return [_location(analysis, lines, target.filename, target)]


def references(
    analysis: Analysis, lines: Lines, line: int, column: int, declaration: bool
) -> list[types.Location]:
    """Every place that names what is under (line, column), with its declaration if asked."""
    item = analysis.index.at(line, column)
    target = analysis.index.resolve(item) if item is not None else None
    if target is None:
        return []
    found = [_location(analysis, lines, o.filename, o) for o in analysis.index.references(target)]
    if declaration and target.kind != "file":
        found.insert(0, _location(analysis, lines, target.filename, target))
    return found


def _location(
    analysis: Analysis, lines: Lines, filename: str, item: Symbol | Occurrence
) -> types.Location:
    """A Location in this file (positions in the client's encoding) or another one."""
    if filename == analysis.target.filename:
        return types.Location(uri=analysis.target.uri, range=lines.span(item.span))
    other = Lines(_text_of(analysis, filename), lines.encoding)
    return types.Location(uri=Path(filename).as_uri(), range=other.span(item.span))


def _text_of(analysis: Analysis, filename: str) -> str:
    modules = analysis.document.modules if analysis.document is not None else ()
    for module in modules:
        if module.filename == filename:
            return module.text
    try:
        return Path(filename).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return ""
