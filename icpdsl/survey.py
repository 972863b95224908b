"""How a table's columns read as the schema declares them: for each declared field, the
cells that do not read as its type (counts and examples) and, for a date column written
in another format than its rule reads, the format to declare and the cells it would
read differently.

Scoring reads one cell at a time and never guesses a date's order from its value; a
survey looks at a whole column, so it can tell that `31/12/2015` beside `01/03/2015`
means the column is day first.  `icp check --data` and other commands that read
account data call `survey_columns` (or feed a `ColumnSurvey` as rows stream past).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from .errors import Diagnostic
from .schema import FieldSpec, Schema, raw_cell
from .semantics.cells import DateFormat, date_rule, likely_date_format, parse_field_date
from .semantics.missing import MISSING, Invalid

#: The code of a column finding (a warning: the data, not the profile, is in question).
COLUMN_CODE = "ICP201"
#: Texts of unread date cells kept per column to find the format they are written in.
_SAMPLE = 1_000


@attrs.frozen
class ColumnFinding:
    """A declared field whose column holds cells its type does not read."""

    field: str
    #: The declared type as written (`date`, `int`, `date "DD.MM.YYYY"`).
    type: str
    #: The column the cells were read from (the field's `from` column, else its name).
    column: str
    #: Cells that held something (missing ones are not counted).
    cells: int
    #: Cells that did not read as the type.
    unread: int
    #: The first few unread cells: (row number, the cell as text).
    examples: tuple[tuple[int, str], ...]
    #: For a date column: the format that reads the unread cells, to declare.
    likely_format: str | None = None
    #: Cells the rule read that the likely format reads as another date: likely misread.
    misread: int = 0
    #: The first few of those: (row number, the cell, read as, the likely format's date).
    misread_examples: tuple[tuple[int, str, str, str], ...] = ()
    #: Where the field is declared, for the diagnostic.
    spec: FieldSpec | None = attrs.field(default=None, eq=False, repr=False)

    @property
    def message(self) -> str:
        """`1 of 40 cells in column 'Founded' (field founded: date) is not a date as ...`."""
        shown = ", ".join(f"row {n}: {text!r}" for n, text in self.examples)
        one = self.unread == 1
        head = f"{self.unread:,} of {self.cells:,} cells in column {self.column!r} " + (
            f"(field {self.field}: {self.type}) "
        )
        if not self.type.startswith("date"):
            return head + f"{'does' if one else 'do'} not read as {self.type} (e.g. {shown})"
        form = self.spec.type.format if self.spec is not None else None
        rule = date_rule(form, self.likely_format or "")
        head += f"{'is not a date' if one else 'are not dates'} as {rule} (e.g. {shown})"
        if self.likely_format is None:
            return head
        head += f"; the column looks written {self.likely_format}"
        if self.misread:
            row, text, read, meant = self.misread_examples[0]
            others = "cell" if self.misread == 1 else "cells"
            head += (
                f", which reads {self.misread:,} other {others} as other dates (row {row}: "
                f"{text!r} is read as {read}; as {self.likely_format}, {meant})"
            )
        return head

    @property
    def hint(self) -> str:
        """The declaration that reads the column, or what to do with the cells."""
        if self.likely_format is not None:
            return f'declare the field\'s format: {self.field}: date "{self.likely_format}"'
        return "fix these cells in the data, or declare the field with the type they hold"

    def to_diagnostic(self) -> Diagnostic:
        """The finding as a warning located at the field's declaration."""
        spec = self.spec
        return Diagnostic(
            COLUMN_CODE,
            self.message,
            spec.filename if spec is not None else "<data>",
            spec.line if spec is not None else 0,
            spec.column_number if spec is not None else 0,
            severity="warning",
            hint=self.hint,
        )


class ColumnSurvey:
    """Reads every declared scalar or list field of each record `add`ed, counting the
    cells that do not read as their type; `findings()` reports the columns with any."""

    def __init__(self, schema: Schema, *, examples: int = 3) -> None:
        self._columns = [
            _Column(spec, examples)
            for spec in schema.fields.values()
            if spec.type.kind not in ("record", "any")
        ]

    def add(self, record: Mapping[str, Any], number: int) -> None:
        """Read one record's cells; `number` is its row number, for the examples."""
        for column in self._columns:
            column.add(record, number)

    def findings(self) -> list[ColumnFinding]:
        """One finding per column with cells that do not read, in declaration order."""
        found = (column.finding() for column in self._columns)
        return [finding for finding in found if finding is not None]


def survey_columns(
    schema: Schema, records: Iterable[Mapping[str, Any]], *, first_row: int = 1
) -> list[ColumnFinding]:
    """The columns of `records` (numbered from `first_row`) whose cells do not all read
    as their declared types; see `ColumnSurvey`."""
    survey = ColumnSurvey(schema)
    for number, record in enumerate(records, start=first_row):
        survey.add(record, number)
    return survey.findings()


class _Column:
    """What one declared field's cells have shown so far."""

    def __init__(self, spec: FieldSpec, examples: int) -> None:
        self.spec = spec
        self.keep = examples
        self.column: str | None = None
        self.cells = 0
        self.unread = 0
        self.examples: list[tuple[int, str]] = []
        self.is_date = spec.type.kind == "date"
        self.unread_dates: list[str] = []
        self.read_dates: list[tuple[int, str]] = []  # text cells the rule read, for misreads

    def add(self, record: Mapping[str, Any], number: int) -> None:
        found = raw_cell(record, self.spec)
        if found is None:
            return
        column, raw = found
        self.column = self.column or column
        value = self.spec.type.coerce(raw)
        if value is MISSING:
            return
        self.cells += 1
        if isinstance(value, Invalid):
            self.unread += 1
            if len(self.examples) < self.keep:
                self.examples.append((number, _text(raw)))
            if self.is_date and isinstance(raw, str) and len(self.unread_dates) < _SAMPLE:
                self.unread_dates.append(raw)
        elif self.is_date and isinstance(raw, str) and len(self.read_dates) < 100 * _SAMPLE:
            self.read_dates.append((number, raw))

    def finding(self) -> ColumnFinding | None:
        if not self.unread:
            return None
        likely = self._likely_format()
        misread = self._misread(likely) if likely is not None else []
        return ColumnFinding(
            self.spec.name,
            str(self.spec.type),
            self.column or self.spec.column or self.spec.name,
            self.cells,
            self.unread,
            tuple(self.examples),
            likely.text if likely is not None else None,
            len(misread),
            tuple(misread[: self.keep]),
            spec=self.spec,
        )

    def _likely_format(self) -> DateFormat | None:
        """The format that reads the most unread date cells (at least half of them)."""
        form = self.spec.type.format
        votes: dict[DateFormat, int] = {}
        for text in self.unread_dates:
            likely = likely_date_format(text, form)
            if likely is not None:
                votes[likely] = votes.get(likely, 0) + 1
        if not votes:
            return None
        best = max(votes, key=lambda f: votes[f])
        readable = sum(1 for t in self.unread_dates if parse_field_date(t, best) is not None)
        return best if 2 * readable >= len(self.unread_dates) else None

    def _misread(self, likely: DateFormat) -> list[tuple[int, str, str, str]]:
        """The cells the rule read that `likely` reads as another date."""
        form = self.spec.type.format
        found = []
        for number, text in self.read_dates:
            read, meant = parse_field_date(text, form), parse_field_date(text, likely)
            if meant is not None and read is not None and read != meant:
                found.append((number, text, read.isoformat(), meant.isoformat()))
        return found


def _text(raw: Any) -> str:
    text = raw if isinstance(raw, str) else repr(raw)
    return text if len(text) <= 60 else text[:57] + "..."
