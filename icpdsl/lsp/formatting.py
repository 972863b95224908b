"""Formatting: `icp fmt`'s output as text edits, for the whole file or a range of lines.

The formatter rewrites whole files; an edit is made for each run of lines that changes,
so a range request takes the runs that touch its lines and leaves the rest alone.
"""

from __future__ import annotations

import difflib

from lsprotocol import types

from ..errors import ICPError
from ..formatter import format as format_icp
from .positions import Lines


def format_edits(
    text: str, filename: str, lines: Lines, only: types.Range | None = None
) -> list[types.TextEdit] | None:
    """The edits that turn `text` into its `icp fmt` layout (None: it does not parse);
    with `only`, just those touching its lines."""
    try:
        formatted = format_icp(text, filename)
    except ICPError:
        return None
    if formatted == text:
        return []
    before = text.splitlines(keepends=True)
    after = formatted.splitlines(keepends=True)
    edits: list[types.TextEdit] = []
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for tag, first, last, new_first, new_last in matcher.get_opcodes():
        if tag == "equal":
            continue
        if only is not None and not _touches(first, last, only):
            continue
        start = types.Position(first, 0)
        end = types.Position(last, 0) if last < len(before) else lines.end()
        edits.append(types.TextEdit(types.Range(start, end), "".join(after[new_first:new_last])))
    return edits


def _touches(first: int, last: int, only: types.Range) -> bool:
    """Whether lines [first, last) (an insertion when equal) meet the range's lines."""
    end_line = only.end.line - (
        1 if only.end.character == 0 and only.end.line > only.start.line else 0
    )
    return first <= end_line and max(last, first + 1) > only.start.line
