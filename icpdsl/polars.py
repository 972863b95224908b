"""Score a Polars DataFrame: `icpdsl.polars.score(df, profile)` adds verdict, score, tier.

Needs the `polars` extra.  Columns are read as typed (docs/scale.md): numbers as
numeric columns, dates as Date, true/false as Boolean, text as String, and list fields
as text cells (`"AWS; Okta"`) or `List(String)` columns.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, TypeVar

from .compile.polars import plan

if TYPE_CHECKING:
    import polars as pl

    from .program import BoundProfile

Frame = TypeVar("Frame", "pl.DataFrame", "pl.LazyFrame")


def score(frame: Frame, profile: BoundProfile, *, as_of: datetime.date | None = None) -> Frame:
    """`frame` with `verdict`, `score` and `tier` columns added (a LazyFrame stays lazy).

    The verdict is the text of `icpdsl.Verdict` ("fit", "not_fit", ...); tier is null
    unless the account fits.  Raises `ICPUnsupportedError` for rules Polars cannot
    express like the reference evaluator (docs/scale.md).
    """
    import polars as pl

    lazy = isinstance(frame, pl.LazyFrame)
    schema = frame.collect_schema() if lazy else frame.schema
    scored = plan(profile, dict(schema), as_of).apply(frame.lazy())
    return scored if lazy else scored.collect()  # type: ignore[return-value]


__all__ = ["score"]
