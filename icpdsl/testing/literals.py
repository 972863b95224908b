"""Example records as written in an `.icp` file → the Python values the evaluator reads.

Numbers and money become int/float, dates `datetime.date`, lists Python lists, nested
records dicts and `null` None (missing).  A duration means "that long ago": with
`as_of` 2025-06-30, `last_funding: 6 months` is the date 2024-12-30.
"""

from __future__ import annotations

import datetime
from typing import Any

from .. import ast
from ..errors import Diagnostic, ICPCheckError
from ..semantics.compare import subtract


def literal_value(value: ast.RecordValue, as_of: datetime.date, filename: str = "<string>") -> Any:
    """One value of an example record as the evaluator will see it."""
    if value is None:
        return None
    if isinstance(value, ast.RecordLiteral):
        return record_from_literal(value, as_of, filename)
    if isinstance(value, ast.ListLiteral):
        return [literal_value(item, as_of, filename) for item in value.items]
    if isinstance(value.value, ast.Duration):
        return subtract(as_of, value.value)
    return value.value


def record_from_literal(
    literal: ast.RecordLiteral, as_of: datetime.date, filename: str = "<string>"
) -> dict[str, Any]:
    """A `{ field: value, ... }` literal as a dict; a field given twice is an error."""
    record: dict[str, Any] = {}
    for key, value in literal.pairs:
        if key in record:
            raise ICPCheckError(
                [
                    Diagnostic(
                        code="ICP040",
                        message=f"field {key!r} is given twice in this example record",
                        filename=filename,
                        line=literal.span.line,
                        column=literal.span.column,
                        hint="keep one value per field",
                    )
                ]
            )
        record[key] = literal_value(value, as_of, filename)
    return record
