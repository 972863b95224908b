"""Hypothesis strategies: accounts a profile must judge a given way, and arbitrary records.

    from hypothesis import given
    from icpdsl import load, strategies

    profile = load("examples/security.icp").profile

    @given(strategies.accounts(profile, verdict="fit"))
    def test_every_fit_scores_at_least_zero(account):
        assert profile.evaluate(account).score >= 0

`accounts` reads the rules themselves: range ends and their neighbours (199, 200, 201,
999, 1000, 1001 for `200..1000`), listed values and other words, subsets of the items
`has` tests, dates around `within` windows (counted from `as_of`), booleans and missing
values, combined through `and`, `or`, `not` and defines.  Needs the `hypothesis` extra.
"""

from __future__ import annotations

import datetime
import string
from collections.abc import Mapping
from typing import Any

from .document import Document, Profile
from .errors import ICPCheckError, ICPMissingExtraError
from .records import MISSING
from .result import Verdict
from .schema import FieldSpec, FieldType, Schema, from_decls, from_python
from .semantics.cells import infer_cell, text_key
from .testing.regions import FieldSpace, Region
from .testing.solver import Cube, ImpossibleVerdictError, Solver

try:
    from hypothesis import strategies as st
except ImportError:  # pragma: no cover - exercised only without the extra
    raise ICPMissingExtraError("icpdsl.strategies", "hypothesis") from None

__all__ = ["ImpossibleVerdictError", "accounts", "records"]

Record = dict[str, Any]
_WORD_ALPHABET = string.ascii_letters + " -"


def _words(avoid: frozenset[str]) -> st.SearchStrategy[str]:
    """Words that match none of `avoid` and read as plain text (not a number, date, yes/no)."""
    return (
        st.text(_WORD_ALPHABET, min_size=1, max_size=12)
        .map(str.strip)
        .filter(lambda w: bool(w) and text_key(w) not in avoid and infer_cell(w) == w)
    )


def region_values(region: Region) -> st.SearchStrategy[Any]:
    """Every value of a region (the `missing` region has none: the field is left out)."""
    if region.kind == "just":
        return st.just(region.sample)
    if region.kind == "int":
        return st.integers(region.low, region.high)
    if region.kind == "float":
        return st.floats(
            region.low, region.high, exclude_min=True, exclude_max=True, allow_nan=False
        )
    if region.kind == "date":
        return st.dates(region.low, region.high)
    if region.kind == "text":
        return _words(region.avoid)
    if region.kind == "items":
        extra = st.lists(_words(region.avoid), max_size=2)
        return extra.flatmap(lambda more: st.permutations([*region.items, *more]))
    raise AssertionError(f"no values for a {region.kind} region")


def _place(record: Record, parts: tuple[str, ...], value: Any) -> None:
    target = record
    for part in parts[:-1]:
        inner = target.setdefault(part, {})
        if not isinstance(inner, dict):
            return  # `hq` is also tested as a plain value; the check below catches it
        target = inner
    target[parts[-1]] = value


@st.composite
def _accounts_from(
    draw: st.DrawFn, cubes: list[Cube], spaces: Mapping[tuple[str, ...], FieldSpace]
) -> Record:
    cube = draw(st.sampled_from(cubes))
    record: Record = {}
    for key, space in spaces.items():
        allowed = sorted(cube.get(key, range(len(space.regions))))
        region = space.regions[draw(st.sampled_from(allowed))]
        if region.sample is not MISSING:
            _place(record, space.parts, draw(region_values(region)))
    return record


def accounts(
    profile: Profile | Document,
    verdict: Verdict | str = "fit",
    *,
    tier: str | None = None,
    as_of: datetime.date | None = None,
) -> st.SearchStrategy[Record]:
    """Accounts (dicts) that `profile` judges `verdict` (and puts in `tier`, if given).

    Evaluate them with the same `as_of` when the profile tests dates.  Raises
    ImpossibleVerdictError at once, naming the clashing rules, when no account can get
    that verdict or tier (e.g. `not_fit` for a profile without criteria).
    """
    chosen = profile.profile if isinstance(profile, Document) else profile
    try:
        wanted = Verdict(verdict)
    except ValueError:
        names = ", ".join(v.value for v in Verdict)
        raise ValueError(f"unknown verdict {verdict!r}; expected one of {names}") from None
    if tier is not None and wanted is not Verdict.FIT:
        raise ValueError(f"only fitting accounts get a tier; a {wanted.value} account has none")
    day = chosen.evaluation_date(as_of)
    solver = Solver(chosen, day)
    cubes = solver.tier(tier) if tier is not None else solver.verdict(wanted)

    def judged_right(record: Record) -> bool:
        result = chosen.evaluate(record, as_of=day)
        return result.verdict is wanted and (tier is None or result.tier == tier)

    # The solver is exact up to a few corner cases (a field tested both as a value and
    # as a record; `age` falling back to `founded`): the final check keeps it honest.
    return _accounts_from(cubes, solver.spaces).filter(judged_right)


# ---------------------------------------------------------------- arbitrary records

_WORDS = st.text(max_size=20)
_KINDS: dict[str, st.SearchStrategy[Any]] = {
    "int": st.integers(0, 1_000_000),
    "number": st.floats(-1e9, 1e9, allow_nan=False) | st.integers(-1_000_000, 1_000_000),
    "money": st.integers(0, 10**10),
    "percent": st.floats(0, 1),
    "string": _WORDS,
    "bool": st.booleans(),
    "date": st.dates(datetime.date(1900, 1, 1), datetime.date(2100, 12, 31)),
    "any": st.none() | st.booleans() | st.integers() | _WORDS,
}


def records(schema: Any, *, optional: bool = True) -> st.SearchStrategy[Record]:
    """Arbitrary records with the fields of `schema`; with `optional`, any may be absent.

    `schema` is anything `icpdsl.load(..., schema=)` takes (a Schema, a dataclass, attrs
    class or TypedDict, a dict of name → type where a type is a Python type or ICP type
    text such as `"money"` or `"category [SaaS, Fintech]"`; a nested dict is a record),
    or a Document or Profile, whose `fields { ... }` declarations are used.
    """
    return _fields_strategy(_as_schema(schema).fields, optional)


def _as_schema(source: Any) -> Schema:
    if isinstance(source, Document):
        return source.schema
    if isinstance(source, Profile):
        schema, problems = from_decls([(d, source.filename) for d in source.fields])
        if problems:
            raise ICPCheckError(problems)
        return schema
    if isinstance(source, Mapping):
        specs = {
            str(name): FieldSpec(str(name), FieldType("record", fields=_as_schema(kind).fields))
            if isinstance(kind, Mapping)
            else from_python({name: kind}).fields[str(name)]
            for name, kind in source.items()
        }
        return Schema(specs)
    return from_python(source)


def _fields_strategy(fields: Mapping[str, FieldSpec], optional: bool) -> st.SearchStrategy[Record]:
    values = {name: _type_strategy(spec.type, optional) for name, spec in fields.items()}
    if optional:
        return st.fixed_dictionaries({}, optional=values)
    return st.fixed_dictionaries(values)


def _type_strategy(kind: FieldType, optional: bool) -> st.SearchStrategy[Any]:
    if kind.kind == "category":
        return st.sampled_from(kind.values)
    if kind.kind in ("set", "list"):
        item = _type_strategy(kind.item, optional) if kind.item is not None else _WORDS
        return st.lists(item, max_size=5, unique=kind.kind == "set")
    if kind.kind == "record":
        return _fields_strategy(kind.fields, optional)
    return _KINDS[kind.kind]
