"""Scoring a CSV file's cells by memo: a rule's outcome is a function of the cells it reads.

The accounts of an export share values (industries, countries, tech lists, headcounts),
and a rule that reads one column judges and words the same cell the same way every time.
`CellScoring` keeps, per group of cells read together (a column, mostly), the truths and
reasons of the rules that read them and whether the fields read from them are missing;
and per combination of those, each profile's verdict, score, tier, the reasons it gives
and the rules that kept the account out, the closest profile and the missing fields;
with `explain`, each rule's explained outcome as well (shared by the rows that hold its
cells; a tier's, which follows the score, by combination).
Everything it keeps was computed by the compiled profiles (`CompiledProfile.judge` and
its `Explainer`) on the typed record of the first row that held those cells, so a row
scored from the memo gets what the compiled path gives it: the memo holds no meaning of
its own.

It applies where that holds: CSV rows whose cells `CellTyping.record` types one
column at a time, fields of one part read from the columns `source_names` gives, and
tiers that read only the score.  Elsewhere `cell_scoring` gives None and the engine
scores typed records.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator, Sequence
from operator import itemgetter
from typing import Any, NamedTuple, Protocol, runtime_checkable

from .. import ast
from ..compile.python import CompiledProfile, Explainer
from ..document import Profile
from ..io.cells import CellTyping, typed_rows
from ..io.rows import CellRow, Row
from ..kept import KEPT_ENTRIES, KEPT_TEXT_LENGTH
from ..result import Result, RuleOutcome, Verdict
from ..schema import Schema
from ..semantics.verdict import closest
from ..visitor import predicates
from .columns import column_indices, source_names
from .rows import ProfileScore, RuleRef, ScoredRow

#: Entries a memo keeps before starting afresh (`icpdsl.kept`): a column of distinct
#: amounts (revenue to the dollar) then costs what scoring without the memo does.  Cells
#: longer than KEPT_TEXT_LENGTH (together, for a group) are judged every time.
_KEPT = KEPT_ENTRIES


class MissingField(NamedTuple):
    """A field the summary counts when a record lacks it."""

    name: str
    parts: tuple[str, ...]
    #: The key a plain dict holds it under, when its reader takes that key as it is.
    key: str | None
    #: Whether a record holds nothing there.
    absent: Callable[[Any], bool]


@runtime_checkable
class CellSource(Protocol):
    """Rows as cell text and how they become records, or as Rows of those records: a
    `CSVReader`, or a chunk of its rows in a worker process (`CellChunk`)."""

    typing: CellTyping

    def cell_rows(self) -> Iterator[CellRow]: ...

    def __iter__(self) -> Iterator[Row]: ...


class CellChunk:
    """A chunk of a file's rows as cell text, with the file's typing."""

    def __init__(self, typing: CellTyping, rows: list[CellRow]) -> None:
        self.typing = typing
        self._rows = rows

    def cell_rows(self) -> Iterator[CellRow]:
        return iter(self._rows)

    def __iter__(self) -> Iterator[Row]:
        return typed_rows(self._rows, self.typing)


#: A row's number, line and cells → its ScoredRow (`CellScoring.scorer`).
RowScorer = Callable[[int, int, list[str]], ScoredRow]


class _Entry(NamedTuple):
    """What a group's memo keeps for its cells."""

    #: The truths of the group's rules and whether each of its fields is missing, as
    #: a number (`CellScoring._states`): a row's combination is hashed as small ints.
    state: int
    #: The group's rules' reasons ("" where no verdict gives one).
    reasons: tuple[str, ...]
    #: With `explain`, the group's rules' outcomes, explained (else empty).
    outcomes: tuple[RuleOutcome, ...]


class _ProfileCombo(NamedTuple):
    """What a combination of groups' states decides for one profile."""

    verdict: Verdict
    score: int | float
    tier: str | None
    #: Where the reasons given are: (group, rule within the group), in order.
    given: tuple[tuple[int, int], ...]
    failed: tuple[RuleRef, ...]
    #: The ProfileScore of a row with no reasons to give, shared by every such row
    #: (never with `explain`: each row has its Result).
    shared: ProfileScore | None
    #: With `explain`, where each rule's outcome is, in rule order: a tier's outcome
    #: itself (it follows the score), else (None, group, place in the group).
    plan: tuple[tuple[RuleOutcome | None, int, int], ...] | None
    as_of: datetime.date


class _Combo(NamedTuple):
    profiles: tuple[_ProfileCombo, ...]
    closest: int | None
    missing: tuple[str, ...]
    #: The rows' `ScoredRow.tally`: they count alike in a summary.
    tally: object


_get = dict.get
_state: Callable[[_Entry], int] = itemgetter(0)


def row_keys(groups: Sequence[Sequence[int]]) -> Callable[[list[str]], tuple[Any, ...]]:
    """A row's memo keys, one per group of cell positions: the cell, or the tuple of the
    cells, or `()` for none; one C call (`itemgetter`) when each group is one cell."""
    if not groups:
        return lambda cells: ()
    if all(len(group) == 1 for group in groups):
        singles = [group[0] for group in groups]
        if len(singles) > 1:
            return itemgetter(*singles)  # a tuple, for two or more
        only = singles[0]
        return lambda cells: (cells[only],)
    getters = [itemgetter(*group) if group else None for group in groups]
    return lambda cells: tuple([get(cells) if get is not None else () for get in getters])


def rule_columns(
    profile: Profile, schema: Schema, columns: Sequence[str]
) -> list[tuple[int, tuple[int, ...]]] | None:
    """Each rule but tiers, with the positions of the cells it reads; None when an
    outcome could depend on more than those cells (a nested field, a tier on a field)."""
    found: list[tuple[int, tuple[int, ...]]] = []
    for index, bound in enumerate(profile.rules):
        tier = isinstance(bound.node, ast.Tier)
        read: set[int] = set()
        for predicate in predicates(bound.node.condition, profile.defines):
            if tier:
                if predicate.field.parts != ("score",):
                    return None
                continue
            names = source_names(predicate.field.parts, schema)
            if names is None:
                return None
            read.update(column_indices(names, columns))
        if not tier:
            found.append((index, tuple(sorted(read))))
    return found


class CellScoring:
    """Every profile's ProfileScore, the closest, and the missing fields of a row's
    cells, by memo (see the module docstring)."""

    def __init__(
        self,
        profiles: list[Profile],
        compiled: list[CompiledProfile],
        rules: list[list[tuple[int, tuple[int, ...]]]],
        fields: list[tuple[MissingField, tuple[int, ...]]],
        typed_record: Callable[[list[str]], dict[str, Any]],
        *,
        explain: bool = False,
    ) -> None:
        self._names = [profile.name for profile in profiles]
        self._explain = explain
        self._compiled = compiled
        self._typed_record = typed_record
        self._refs = [
            [RuleRef.of_info(profile.name, bound.info) for bound in profile.rules]
            for profile in profiles
        ]
        groups: dict[tuple[int, ...], int] = {}
        #: Per group, its rules as (profile, rule index) and its fields.
        self._rules: list[list[tuple[int, int]]] = []
        self._fields: list[list[MissingField]] = []

        def group(cells: tuple[int, ...]) -> int:
            if cells not in groups:
                groups[cells] = len(groups)
                self._rules.append([])
                self._fields.append([])
            return groups[cells]

        #: Per profile and rule, where its truth is kept: (group, place in the group).
        self._place: list[dict[int, tuple[int, int]]] = [{} for _ in profiles]
        for number, found in enumerate(rules):
            for index, cells in found:
                at = group(cells)
                self._place[number][index] = (at, len(self._rules[at]))
                self._rules[at].append((number, index))
        for missing_field, cells in fields:
            self._fields[group(cells)].append(missing_field)
        self._every_field = [field for field, _ in fields]
        self._keys = row_keys(list(groups))
        self._memos: list[dict[Any, _Entry]] = [{} for _ in groups]
        #: Per group, each state met (truths, then missing flags) and its number.
        self._states: list[dict[tuple[Any, ...], int]] = [{} for _ in groups]
        #: Per profile and rule, the truths for which some verdict gives its reason.
        self._worded = [_worded(c) for c in compiled]
        self._combos: dict[tuple[int, ...], _Combo] = {}

    def scorer(self, id_of: Callable[[list[str]], str | None]) -> RowScorer:
        """A function: a row's number, line and cells → its ScoredRow (`id_of` reads its
        id); its names bound once, as it runs for every row."""
        get_all, keys, memos, state = map, self._keys, self._memos, _state
        # Named tuples made with every field, without their `__new__` (a Python
        # function, a third of the cost of a row that is not new).
        new = tuple.__new__
        combos, learn, combine = self._combos, self._learn, self._combine
        names, single = self._names, len(self._names) == 1

        def scored(number: int, line: int, cells: list[str]) -> ScoredRow:
            got: list[Any] = list(get_all(_get, memos, keys(cells)))
            if None in got:
                learn(cells, got)
            states = tuple(get_all(state, got))
            combo = combos.get(states)
            if combo is None:
                combo = combine(cells, states)
            if single:  # the common case, without the loop and the closest's choice
                only = combo.profiles[0]
                verdict, score, tier, given, failed, shared, plan, _ = only
                if plan is not None:
                    shared = _explained(names[0], only, got)
                elif shared is None:
                    reasons = tuple([got[at].reasons[place] for at, place in given])
                    shared = new(ProfileScore, (names[0], verdict, score, tier, reasons, failed,
                                                None))  # fmt: skip
                return new(ScoredRow, (number, line, id_of(cells), (shared,), shared,
                                       combo.missing, None, None, combo.tally))  # fmt: skip
            scores = tuple([
                shared if shared is not None
                else _explained(names[n], combo.profiles[n], got) if plan is not None
                else new(ProfileScore, (
                    names[n], verdict, score, tier,
                    tuple([got[at].reasons[place] for at, place in given]), failed, None,
                ))
                for n, (verdict, score, tier, given, failed, shared, plan, _)
                in enumerate(combo.profiles)
            ])  # fmt: skip
            chosen = combo.closest
            closest_score = scores[chosen] if chosen is not None else None
            return new(ScoredRow, (number, line, id_of(cells), scores, closest_score,
                                   combo.missing, None, None, combo.tally))  # fmt: skip

        return scored

    def _learn(self, cells: list[str], got: list[Any]) -> None:
        """Judge a row holding cells not met before, keep each group's state and reasons
        by its cells, and put them in `got`."""
        record = self._typed_record(cells)
        judged = [compiled.judge(record) for compiled in self._compiled]
        explainers = [
            Explainer(compiled, record, score, truths)
            for compiled, (_, score, _, truths) in zip(self._compiled, judged, strict=True)
        ]
        #: With `explain`, every rule's outcome, per profile.
        every: list[tuple[RuleOutcome, ...]] = []
        if self._explain:
            for compiled, (_, _, tier, judged_truths), explainer in zip(
                self._compiled, judged, explainers, strict=True
            ):
                every.append(compiled.outcomes(judged_truths, tier, explainer))
        keys = self._keys(cells)
        for at, entry in enumerate(got):
            if entry is not None:
                continue
            truths: list[Any] = []
            reasons: list[str] = []
            outcomes: list[RuleOutcome] = []
            for number, index in self._rules[at]:
                truth = judged[number][3][index]
                worded = truth in self._worded[number][index]
                truths.append(truth)
                reasons.append(explainers[number].detail(index)[1] if worded else "")
                if every:
                    outcomes.append(_ready(every[number][index]))
            missing = [field.absent(record) for field in self._fields[at]]
            states = self._states[at]
            state = states.setdefault((*truths, *missing), len(states))
            got[at] = _Entry(state, tuple(reasons), tuple(outcomes))
            if _short(keys[at]):
                memo = self._memos[at]
                if len(memo) >= _KEPT:
                    memo.clear()
                memo[keys[at]] = got[at]

    def _combine(self, cells: list[str], states: tuple[int, ...]) -> _Combo:
        """What a combination of states not met before decides, from the compiled
        profiles on this row."""
        record = self._typed_record(cells)
        profiles = []
        for number, compiled in enumerate(self._compiled):
            verdict, score, tier, truths = compiled.judge(record)
            place = self._place[number]
            given = tuple([place[i] for i in compiled.reasons_given(verdict, truths)])
            failed = tuple([self._refs[number][i] for i in compiled.kept(truths)])
            name = self._names[number]
            plan = None
            if self._explain:  # tiers' outcomes follow the score: kept with the combination
                outcomes = compiled.outcomes(
                    truths, tier, Explainer(compiled, record, score, truths)
                )
                plan = tuple([(None, *place[i]) if i in place else (_ready(o), -1, -1)
                              for i, o in enumerate(outcomes)])  # fmt: skip
            unshared = given or plan is not None
            shared = None if unshared else ProfileScore(name, verdict, score, tier, (), failed)
            combo_of = _ProfileCombo(
                verdict, score, tier, given, failed, shared, plan, compiled.as_of
            )
            profiles.append(combo_of)
        chosen = closest([(p.verdict, p.score) for p in profiles])
        missing = tuple([f.name for f in self._every_field if f.absent(record)])
        combo = _Combo(tuple(profiles), chosen, missing, object())
        if len(self._combos) >= _KEPT:
            self._combos.clear()
        self._combos[states] = combo
        return combo


def _short(key: Any) -> bool:
    """Whether a memo key (a cell, or a tuple of cells) is short enough to keep."""
    if key.__class__ is str:
        return len(key) <= KEPT_TEXT_LENGTH
    return sum(map(len, key)) <= KEPT_TEXT_LENGTH


def _ready(outcome: RuleOutcome) -> RuleOutcome:
    """The outcome with its detail written, so it holds no account's record."""
    outcome.reason  # noqa: B018  # reading it writes the detail and drops the explainer
    return outcome


def _explained(name: str, combo: _ProfileCombo, got: list[_Entry]) -> ProfileScore:
    """A row's ProfileScore with its Result, the outcomes taken from the memo."""
    verdict, score, tier, given, failed, _, plan, as_of = combo
    assert plan is not None
    outcomes = tuple([o if o is not None else got[at].outcomes[place] for o, at, place in plan])
    reasons = tuple([got[at].reasons[place] for at, place in given])
    result = Result(name, verdict, score, tier, outcomes, as_of)
    return ProfileScore(name, verdict, score, tier, reasons, failed, result)


def _worded(compiled: CompiledProfile) -> dict[int, frozenset[Any]]:
    """Per rule, the truths for which some verdict gives its reason."""
    worded: dict[int, frozenset[Any]] = {i: frozenset() for i in range(len(compiled.profile.rules))}
    for picks in compiled.reason_rules.values():
        for index, wanted in picks:
            worded[index] |= wanted
    return worded


def cell_scoring(
    profiles: list[Profile],
    compiled: list[CompiledProfile],
    fields: list[MissingField],
    schema: Schema,
    typing: CellTyping,
    *,
    explain: bool = False,
) -> CellScoring | None:
    """A CellScoring of rows typed by `typing`, or None where the memo does not apply
    (see the module docstring); `fields` are the fields the summary counts when missing;
    with `explain`, every rule's outcome too (`ProfileScore.result`)."""
    columns = typing.columns
    rules = []
    for profile in profiles:
        found = rule_columns(profile, schema, columns)
        if found is None:
            return None
        rules.append(found)
    placed = []
    for field in fields:
        names = source_names(field.parts, schema)
        if names is None:
            return None
        placed.append((field, column_indices(names, columns)))
    return CellScoring(profiles, compiled, rules, placed, typing.record, explain=explain)
