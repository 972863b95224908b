"""What the column engines (SQL, Polars) can express, and the error for what they cannot.

SQL and Polars read typed columns: numbers as numeric columns, dates as DATE columns,
true/false as BOOLEAN columns, text as text, and list fields as text separated by `;`,
`,` or `|`.  The reference evaluator's conversions of odd values (`"1,200"`, `"$12M"`,
`"yes"`, founding years, `age` derived from `founded`, durations) have no column
counterpart; a profile that needs them is refused with `ICPUnsupportedError`, naming the
construct, rather than scored differently.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from .. import ast
from ..errors import ICPUnsupportedError
from ..program import BoundProfile


def refuse(
    engine: str, what: str, node: Any, filename: str, hint: str | None = None
) -> ICPUnsupportedError:
    """The error for `what` at `node` (which has a span)."""
    span = node.span
    return ICPUnsupportedError(
        f"{engine} cannot express {what}",
        filename=filename,
        line=span.line,
        column=span.column,
        hint=hint,
    )


def conditions(profile: BoundProfile) -> Iterator[tuple[ast.Condition, str]]:
    """Every rule condition of `profile` (defines expanded later), with its file name."""
    for bound in profile.rules:
        condition = getattr(bound.node, "condition", None)
        if condition is not None:
            yield condition, bound.filename


def column_names(profile: BoundProfile) -> Mapping[str, str]:
    """Field name → column name from the profile's schema (`employees from "Employees"`)."""
    schema = getattr(profile.reader, "__self__", None)
    columns = getattr(schema, "columns", None)
    return columns() if callable(columns) else {}


def check_date_text(engine: str, profile: BoundProfile, path: ast.Path, filename: str) -> None:
    """Refuse a field declared with a date format other than YYYY-MM-DD
    (`date "DD.MM.YYYY"`): its column holds text only the reference reads that way."""
    schema = getattr(profile.reader, "__self__", None)
    field_type = getattr(schema, "field_type", None)
    declared = field_type(path.parts) if callable(field_type) else None
    form = getattr(declared, "format", None)
    if form is not None and not form.is_iso:
        raise refuse(
            engine,
            f'{path.name}\'s dates written "{form.text}"',
            path,
            filename,
            "give the column as a DATE column (or ISO text) and declare the field `date`, "
            "or score with the Python engine",
        )


def splits_lines(profile: BoundProfile, path: Any) -> bool:
    """Whether the field is declared a set or list, whose cells also split at line breaks."""
    schema = getattr(profile.reader, "__self__", None)
    field_type = getattr(schema, "field_type", None)
    declared = field_type(path.parts) if callable(field_type) else None
    return bool(getattr(declared, "is_collection", False))


def check_literal(engine: str, value: ast.Value, filename: str) -> None:
    """Refuse literals a column engine cannot compare like the reference does."""
    if value.kind == "duration":
        raise refuse(
            engine,
            f"a duration comparison ({value.text})",
            value,
            filename,
            "compare a date with `within`, or a precomputed number column",
        )
    if value.kind == "string" and "\x00" in str(value.value):
        raise refuse(engine, "text containing a NUL character", value, filename)
