"""A loaded document and its profiles: what a user holds and calls.

`Profile` is the bound profile (icpdsl/program.py) with the operations people use —
evaluate, compile, to_sql — each handing the profile to its engine; `Document` is a
loaded file with its profiles by name.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from typing import Any

import attrs

from . import ast
from .clock import today
from .compile.python import CompiledProfile, compile_profile
from .errors import Diagnostic, ICPLoadError
from .evaluator import evaluate_profile
from .lint import lint_document
from .program import BoundProfile
from .result import DocumentResult, Result
from .schema import Schema, did_you_mean

#: Compiled profiles a Profile keeps, one per `as_of` date.
_COMPILED_KEPT = 8


@attrs.frozen
class Profile(BoundProfile):
    """One ICP: the rules an account is judged by, in source order (inherited first)."""

    _compiled: dict[datetime.date, CompiledProfile] = attrs.field(
        factory=dict, init=False, eq=False, repr=False
    )

    def evaluate(
        self, record: Any, *, as_of: datetime.date | None = None, explain: bool = True
    ) -> Result:
        """Judge one account: verdict, score, tier and one outcome per rule.

        `explain=False` takes the compiled fast path: the same verdict, score and tier,
        with `rules` (and so `reasons`) empty (docs/performance.md).
        """
        if explain:
            return evaluate_profile(self, record, as_of)
        return self.compile(as_of).evaluate(record, explain=False)

    def evaluate_many(
        self, records: Iterable[Any], *, as_of: datetime.date | None = None, explain: bool = True
    ) -> Iterator[Result]:
        """Judge accounts one by one, lazily, in input order, on the compiled path.

        With `explain`, each Result's `rules` are identical to `evaluate`'s; with
        `explain=False` they are empty.
        """
        return self.compile(as_of).evaluate_many(records, explain=explain)

    def compile(self, as_of: datetime.date | None = None) -> CompiledProfile:
        """This profile as generated Python code for `as_of` (default: the date the file
        pins with `as of`, else today).

        `compiled(record)` returns `(verdict, score, tier)`; compiled profiles are cached.
        """
        day = self.evaluation_date(as_of)
        compiled = self._compiled.get(day)
        if compiled is None:
            if len(self._compiled) >= _COMPILED_KEPT:  # never grow without bound
                self._compiled.clear()
            compiled = self._compiled[day] = compile_profile(self, day)
        return compiled

    def to_sql(
        self,
        dialect: str = "duckdb",
        table: str = "accounts",
        *,
        as_of: datetime.date | None = None,
    ) -> str:
        """One `SELECT` adding verdict, score, tier and reasons columns to `table`'s rows.

        Needs the `sql` extra (sqlglot); dialects: duckdb, postgres, sqlite, snowflake,
        bigquery, spark (docs/scale.md).
        """
        from .compile.sql import to_sql  # imports sqlglot: only when asked for

        return to_sql(self, dialect=dialect, table=table, as_of=as_of)


@attrs.frozen
class Document:
    """A loaded ICP file: its profiles by name, in file order."""

    profiles: dict[str, Profile]
    filename: str = "<string>"
    modules: tuple[ast.Module, ...] = ()
    fields: tuple[ast.FieldDecl, ...] = ()
    schema: Schema = attrs.field(factory=lambda: Schema({}))
    #: The date the file pins at its top (`as of 2013-12-31`), or None.  A profile may
    #: pin its own: `Profile.as_of` is the date each one is judged on.
    as_of: datetime.date | None = None

    @property
    def profile(self) -> Profile:
        """The only profile; an error names them when there are several."""
        if len(self.profiles) != 1:
            names = ", ".join(repr(n) for n in self.profiles)
            raise ICPLoadError(
                f"the file has {len(self.profiles)} profiles ({names}); "
                "pick one with doc.profiles[NAME]",
                filename=self.filename,
            )
        return next(iter(self.profiles.values()))

    def chosen(self, names: Iterable[str] | None) -> tuple[str, ...]:
        """The profiles `names` names, in file order (all of them for none); a name the
        document lacks is an error with the closest name (`icp eval --profile NAME`)."""
        wanted = list(names or ())
        if not wanted:
            return tuple(self.profiles)
        for name in wanted:
            if name not in self.profiles:
                listed = ", ".join(repr(p) for p in self.profiles)
                hint = did_you_mean(name, self.profiles) or f"profiles: {listed}"
                raise ICPLoadError(f"no profile named {name!r}", filename=self.filename, hint=hint)
        return tuple(p for p in self.profiles if p in wanted)

    @property
    def module(self) -> ast.Module:
        return self.modules[0]

    @property
    def warnings(self) -> list[Diagnostic]:
        """Lint warnings (ICP1xx) for this document; they never stop it from loading."""
        return lint_document(self)

    def evaluate(self, record: Any, *, as_of: datetime.date | None = None) -> DocumentResult:
        """Judge one account against every profile; `.best` picks the fitting one.

        Each profile is judged as of `as_of`, else the date its file pins, else today.
        """
        if as_of is None and not any(p.as_of for p in self.profiles.values()):
            as_of = today()  # one day for all, even across midnight
        return DocumentResult(
            {name: evaluate_profile(p, record, as_of) for name, p in self.profiles.items()}
        )
