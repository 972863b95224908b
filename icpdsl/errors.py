"""The exception tree and structured diagnostics shared by every stage."""

from __future__ import annotations

from typing import Literal

import attrs

from .source import MAX_QUOTED, Source, Span, escape, render_caret

Severity = Literal["error", "warning"]


@attrs.frozen
class Diagnostic:
    """One finding about an ICP file: data first, text second."""

    code: str
    message: str
    filename: str = "<string>"
    line: int = 0
    column: int = 0
    severity: Severity = "error"
    hint: str | None = None
    source_line: str | None = None
    width: int = 1
    #: The text that fixes the problem when it replaces the `width` characters at
    #: `line`/`column` (a did-you-mean's name): editors offer it as a quick fix.
    fix: str | None = None
    #: The whole line `line` as a hint would correct it (`employees == 200` for
    #: `employees = 200`), for hints that know it.
    corrected_line: str | None = None

    @classmethod
    def at(
        cls,
        code: str,
        message: str,
        filename: str,
        span: Span,
        source: Source | None = None,
        *,
        severity: Severity = "error",
        hint: str | None = None,
        fix: str | None = None,
    ) -> Diagnostic:
        """A finding at a node's `span`, quoting its line from `source` (when known) with
        a caret as wide as the span on that line."""
        width = max(1, span.end - span.start) if span.line == span.end_line else 1
        return cls(
            code,
            message,
            filename,
            span.line,
            span.column,
            severity,
            hint,
            (source.line_text(span.line) or None) if source is not None else None,
            width,
            fix,
        )

    def format(self, *, caret: bool = True) -> str:
        """`file:line:col: CODE message`, then the line with a caret, the hint and the
        line as the hint corrects it; text from the file shows control characters as
        escapes (`\x1b`), as data values do."""
        head = f"{self.filename}:{self.line}:{self.column}: {self.code} {self.message}"
        parts = [escape(head)]
        if caret and self.source_line is not None and self.line:
            parts.append(render_caret(self.source_line, self.column, self.width))
        if self.hint:
            parts.append(f"    hint: {escape(self.hint)}")
        if caret and self.corrected_line is not None:
            parts.append(f"    try:  {escape(_shortened(self.corrected_line))}")
        return "\n".join(parts)

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.filename, self.line, self.column, self.code)

    def to_dict(self) -> dict[str, object]:
        return attrs.asdict(self)


def _shortened(line: str) -> str:
    """A corrected line as an error shows it: without its indentation, and a very long
    one cut, as quoted lines are."""
    line = line.strip()
    return line if len(line) <= MAX_QUOTED else line[: MAX_QUOTED - 3] + "..."


class ICPError(Exception):
    """Root of every error icpdsl raises for a user's mistake.

    Each subclass has its own stable code (`CODE`, listed in docs/checks.md); an error
    may carry a more precise one (`code=`), as the checks' diagnostics do.
    """

    #: This class's code: a call icpdsl cannot carry out as asked (a bad argument).
    CODE = "ICP090"

    def __init__(
        self,
        message: str,
        *,
        filename: str | None = None,
        line: int | None = None,
        column: int | None = None,
        hint: str | None = None,
        source_line: str | None = None,
        code: str | None = None,
        corrected_line: str | None = None,
    ) -> None:
        self.message = message
        self.filename = filename
        self.line = line
        self.column = column
        self.hint = hint
        self.source_line = source_line
        self.code = code or self.CODE
        self.corrected_line = corrected_line
        super().__init__(self._render())

    def _render(self) -> str:
        """The text of `str(error)`: what the CLI prints, control characters escaped."""
        if self.line is None:
            where = f"{self.filename}: " if self.filename else ""
            text = escape(f"{where}{self.message}")
        else:
            head = f"{self.filename or '<string>'}:{self.line}:{self.column}: {self.message}"
            text = escape(head)
            if self.source_line is not None:
                text += "\n" + render_caret(self.source_line, self.column or 1)
        if self.hint:
            text += f"\n    hint: {escape(self.hint)}"
        if self.corrected_line is not None and self.source_line is not None:
            text += f"\n    try:  {escape(_shortened(self.corrected_line))}"
        return text

    @property
    def diagnostics(self) -> list[Diagnostic]:
        """This error as a list of diagnostics (one, unless a subclass collected more)."""
        return [
            Diagnostic(
                code=self.code,
                message=self.message,
                filename=self.filename or "<string>",
                line=self.line or 0,
                column=self.column or 0,
                hint=self.hint,
                source_line=self.source_line,
                corrected_line=self.corrected_line,
            )
        ]


class ICPSyntaxError(ICPError):
    """The text is not valid ICP syntax."""

    CODE = "ICP000"


class ICPCheckError(ICPError):
    """The text parses but does not make sense: unknown names, bad types, cycles.

    Holds every diagnostic found, sorted by location; the message shows them all.
    """

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        ordered = sorted(diagnostics, key=Diagnostic.sort_key)
        self._all = ordered
        first = ordered[0]
        super().__init__(
            first.message,
            filename=first.filename,
            line=first.line,
            column=first.column,
            hint=first.hint,
            source_line=first.source_line,
            code=first.code,
        )

    def _render(self) -> str:
        return "\n".join(d.format() for d in self._all)

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return list(self._all)


class ICPLoadError(ICPError):
    """A file could not be read or imported (missing, outside the root, a cycle)."""

    CODE = "ICP001"


class ICPLimitError(ICPError):
    """The input goes over a resource limit (file size, nesting, list length, ...):
    see `icpdsl.limits.Limits`."""

    CODE = "ICP009"


class ICPUnsupportedError(ICPError):
    """A profile uses a construct an engine (a SQL dialect, Polars, DuckDB) cannot
    express exactly as the reference evaluator means it; the engine refuses it rather
    than score differently."""

    CODE = "ICP050"


class ICPMissingExtraError(ICPError, ImportError):
    """A feature needs an optional dependency that is not installed; the message gives
    the `pip install 'icpdsl[extra]'` line.  It is an ImportError too, as importing a
    module that needs the extra raises it."""

    CODE = "ICP060"

    def __init__(self, feature: str, extra: str) -> None:
        self.extra = extra
        super().__init__(
            f"{feature} needs the '{extra}' extra: pip install 'icpdsl[{extra}]'",
        )
