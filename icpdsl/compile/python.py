"""Compiled per-record evaluator: a profile becomes generated Python functions that call
the semantics kernel, as Jinja's generated code calls its runtime.

Two functions are generated per profile and `as_of` date:

- `score(record)` → (verdict, score, tier), returning as soon as the verdict is decided;
- `judge(record)` → (verdict, score, tier, truths): every rule's truth, from which a
  Result's outcomes are built — status and points at once, the value seen and the
  reason (by the reference evaluator, for that rule only) when first read.

Each predicate inlines the kernel's exact-type cases (semantics/inline.py) and calls
the predicate's kernel test (semantics/predicates.py) for every other value, so odd
values (`"1,200"`, `"2020"`, `Decimal`, a schema's `Invalid`) get the kernel's meaning
by construction.  The generated source holds only generated names (`k0`, `t3`,
`test2`), keywords and operators: every field name, literal, set of values, tier name
and points value is a constant bound *by reference* in the functions' namespace, so no
text from an ICP file or a record ever reaches `compile()`.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, Final, TypeAlias

from .. import ast
from ..clock import today
from ..evaluator import ConditionEvaluator, Context, rule_detail, skipped_tier
from ..records import get_field, loose_key
from ..result import Detail, Result, RuleOutcome
from ..semantics import inline
from ..semantics.cells import tidy_number
from ..semantics.compare import field_value, item_key, item_keys, subtract, target
from ..semantics.logic import APPLIED, FIRED, STATUS, Truth, kleene_and
from ..semantics.missing import MISSING, is_missing
from ..semantics.predicates import prepare
from ..semantics.verdict import Verdict, verdict_of

if TYPE_CHECKING:
    from ..program import BoundProfile

#: Conditions nested deeper than this run on the reference evaluator (no deep codegen).
MAX_DEPTH = 24

#: Verdict, score and tier of one account: what `CompiledProfile(record)` returns.
Scored: TypeAlias = tuple[Verdict, int | float, str | None]
ScoreFunction = Callable[[Any], Scored]
#: Verdict, score, tier and every rule's truth (a tier not tried: SKIPPED).
Judged: TypeAlias = tuple[Verdict, int | float, str | None, tuple[Any, ...]]
JudgeFunction = Callable[[Any], Judged]


class _Skipped:
    def __repr__(self) -> str:
        return "SKIPPED"


#: The truth recorded for a tier that was not tried.
SKIPPED: Final = _Skipped()
_ABSENT = object()  # a key not in a plain dict; the reader then looks loosely


class _Codegen:
    """Emits the body of one function; constants go to `namespace`."""

    def __init__(
        self,
        profile: BoundProfile,
        as_of: datetime.date,
        dict_mode: bool,
        namespace: dict[str, Any],
    ) -> None:
        self.profile = profile
        self.as_of = as_of
        self.dict_mode = dict_mode
        self.lines: list[str] = []
        self.namespace = namespace

    # -- plumbing -------------------------------------------------------------
    def const(self, prefix: str, value: Any) -> str:
        """A fresh generated name bound to `value` (the value never enters the source)."""
        name = f"{prefix}{len(self.namespace)}"
        self.namespace[name] = value
        return name

    def var(self) -> str:
        """A fresh name for an operand's truth (rules' truths are `t0`, `t1`, ...)."""
        return f"c{len(self.lines)}"

    def emit(self, indent: int, line: str) -> None:
        self.lines.append("    " * indent + line)

    # -- conditions -----------------------------------------------------------
    def condition(
        self, node: ast.Condition, out: str, indent: int, tier: bool, depth: int = 0
    ) -> None:
        """Emit statements that set `out` to True, False or None (unknown)."""
        if depth > MAX_DEPTH:
            self.reference(node, out, indent, tier)
        elif isinstance(node, ast.Ref):
            self.condition(self.profile.defines[node.name].condition, out, indent, tier, depth + 1)
        elif isinstance(node, ast.Not):
            self.condition(node.operand, out, indent, tier, depth + 1)
            self.emit(indent, f"if {out} is not None: {out} = not {out}")
        elif isinstance(node, (ast.And, ast.Or)):
            self.junction(node, out, indent, tier, depth)
        else:
            self.predicate(node, out, indent, tier)

    def junction(
        self, node: ast.And | ast.Or, out: str, indent: int, tier: bool, depth: int
    ) -> None:
        """Kleene and/or, short-circuiting on the deciding value (no side effects)."""
        decisive = "False" if isinstance(node, ast.And) else "True"
        first, *rest = node.operands
        self.condition(first, out, indent, tier, depth + 1)
        for operand in rest:
            other = self.var()
            self.emit(indent, f"if {out} is not {decisive}:")
            self.condition(operand, other, indent + 1, tier, depth + 1)
            self.emit(indent + 1, f"if {other} is {decisive}: {out} = {decisive}")
            self.emit(indent + 1, f"elif {other} is None: {out} = None")

    def reference(self, node: ast.Condition, out: str, indent: int, tier: bool) -> None:
        """The reference evaluator for a condition nested too deep to generate."""
        function = self.const("deep", _reference_condition(self.profile, node, self.as_of))
        self.emit(indent, f"{out} = {function}(r, {'s' if tier else 'None'})")

    def predicate(self, node: ast.Predicate, out: str, indent: int, tier: bool) -> None:
        """`out` = the predicate's truth: inlined for exact types, else the kernel's test."""
        parts = node.field.parts
        test = self.const("test", prepare(node))
        if tier and parts == ("score",):
            self.inline(node, "s", "False", f"{test}(s, ASOF)", out, indent)
            return
        where = self.const("p", parts)
        if isinstance(node, ast.IsKnown):
            self.is_known(node, where, out, indent)
            return
        if parts == ("age",):  # read with its fallback to a founding date
            self.emit(indent, f"{out} = {test}(FIELD(r, {where}), ASOF)")
            return
        if self.dict_mode and len(parts) == 1:
            key = self.const("k", parts[0])
            self.emit(indent, f"v = g({key}, ABSENT)")
            missing = f"v is None or (v is ABSENT and {self.no_loose_match(parts[0])})"
            self.inline(node, "v", missing, f"{test}(FIELD(r, {where}), ASOF)", out, indent)
            return
        self.emit(indent, f"v = READ(r, {where})")
        self.inline(node, "v", "v is MISSING", f"{test}(v, ASOF)", out, indent)

    def inline(
        self, node: ast.Predicate, v: str, missing: str, fallback: str, out: str, indent: int
    ) -> None:
        keyword = "if"
        for guard, expression in _fast_tests(self, node):
            self.emit(indent, f"{keyword} {guard.format(v=v)}: {out} = {expression.format(v=v)}")
            keyword = "elif"
        if keyword == "elif":
            self.emit(indent, f"elif {missing}: {out} = None")
            self.emit(indent, f"else: {out} = {fallback}")
        else:
            self.emit(indent, f"{out} = {fallback}")

    def is_known(self, node: ast.IsKnown, where: str, out: str, indent: int) -> None:
        """Never unknown: whether the field holds a value (blank text, NaN: it does not)."""
        known = "True" if node.known else "False"
        parts = node.field.parts
        if self.dict_mode and len(parts) == 1 and parts != ("age",):
            key = self.const("k", parts[0])
            self.emit(indent, f"v = g({key}, ABSENT)")
            self.emit(
                indent, f"if v is ABSENT: {out} = (FIELD(r, {where}) is not MISSING) is {known}"
            )
            self.emit(indent, f"else: {out} = (not ISMISSING(v)) is {known}")
            return
        self.emit(indent, f"{out} = (FIELD(r, {where}) is not MISSING) is {known}")

    def no_loose_match(self, name: str) -> str:
        """True when no key of the dict is the field spelt loosely (`Annual Revenue`).

        The dict's keys are indexed once per record, on the first absent field.
        """
        loose = self.const("loose", loose_key(name))
        return f"(L := L if L is not None else LOOSE(r)).get({loose}) is None"

    # -- functions --------------------------------------------------------------
    def prelude(self, name: str, fallback: str) -> None:
        self.emit(0, f"def {name}(r):")
        if self.dict_mode:
            self.emit(1, f"if r.__class__ is not dict: return {fallback}(r)")
            self.emit(1, "g = r.get")
            self.emit(1, "L = None")
        self.emit(1, "s = 0")

    def add_points(self, points: list[tuple[str, ast.Points]]) -> None:
        """`s` += each points rule whose truth variable is True; tidy a fractional sum."""
        for truth, gain in points:
            self.emit(1, f"if {truth} is True: s += {self.const('points', gain.points)}")
        if any(not isinstance(gain.points, int) for _, gain in points):
            self.emit(1, "s = TIDY(s)")

    def score_function(self, name: str, fallback: str) -> None:
        """Points first (the score does not depend on the verdict), then each verdict
        returns as soon as it is decided: disqualifiers, criteria, then tiers."""
        rules = [bound.node for bound in self.profile.rules]
        self.prelude(name, fallback)
        points = [node for node in rules if isinstance(node, ast.Points)]
        for gain in points:
            self.condition(gain.condition, "t", 1, False)
            self.emit(1, f"if t is True: s += {self.const('points', gain.points)}")
        if any(not isinstance(gain.points, int) for gain in points):
            self.emit(1, "s = TIDY(s)")
        give = self.giver(bool(points))
        for node in rules:
            if isinstance(node, ast.Disqualifier):
                self.condition(node.condition, "t", 1, False)
                self.emit(1, f"if t is True: {give(Verdict.DISQUALIFIED)}")
        self.emit(1, "u = False")
        for node in rules:
            if isinstance(node, ast.Criterion):
                self.condition(node.condition, "t", 1, False)
                self.emit(1, f"if t is False: {give(Verdict.NOT_FIT)}")
                self.emit(1, "if t is None: u = True")
        self.emit(1, f"if u: {give(Verdict.UNKNOWN)}")
        for node in rules:
            if not isinstance(node, ast.Tier):
                continue
            if node.condition is None:
                self.emit(1, give(Verdict.FIT, node.name))
                return
            self.condition(node.condition, "t", 1, True)
            self.emit(1, f"if t is True: {give(Verdict.FIT, node.name)}")
        self.emit(1, give(Verdict.FIT))

    def giver(self, scored: bool) -> Callable[..., str]:
        def give(verdict: Verdict, tier: str | None = None) -> str:
            """Return a result; without points rules the score is 0, so it is a constant."""
            if not scored:
                return f"return {self.const('result', (verdict, 0, tier))}"
            name = "None" if tier is None else self.const("tier", tier)
            return f"return ({self.const('verdict', verdict)}, s, {name})"

        return give

    def judge_function(self, name: str, fallback: str) -> None:
        """Every rule's truth, in `t0`, `t1`, ... (rule order); the verdict from the kernel."""
        rules = [bound.node for bound in self.profile.rules]
        self.prelude(name, fallback)
        truths = [f"t{index}" for index in range(len(rules))]
        for truth, node in zip(truths, rules, strict=True):
            if not isinstance(node, ast.Tier):
                self.condition(node.condition, truth, 1, False)
        self.add_points(
            [(t, n) for t, n in zip(truths, rules, strict=True) if isinstance(n, ast.Points)]
        )
        fired = [t for t, n in zip(truths, rules, strict=True) if isinstance(n, ast.Disqualifier)]
        criteria = [t for t, n in zip(truths, rules, strict=True) if isinstance(n, ast.Criterion)]
        fired_test = " or ".join(f"{t} is True" for t in fired) or "False"
        self.emit(1, f"verdict = VERDICT_OF({fired_test}, KLEENE_AND({_tuple(criteria)}))")
        self.emit(1, "tier = None")
        tiers = [(t, n) for t, n in zip(truths, rules, strict=True) if isinstance(n, ast.Tier)]
        for truth, _ in tiers:
            self.emit(1, f"{truth} = SKIPPED")
        if tiers:
            self.emit(1, "if verdict is FIT:")
            self.tiers(tiers, 2)
        self.emit(1, f"return (verdict, s, tier, {_tuple(truths)})")

    def tiers(self, tiers: list[tuple[str, ast.Tier]], indent: int) -> None:
        """Try each tier in order; the first that holds (or `otherwise`) is the tier."""
        (truth, node), *rest = tiers
        if node.condition is None:
            self.emit(indent, f"{truth} = True")
        else:
            self.condition(node.condition, truth, indent, True)
        self.emit(indent, f"if {truth} is True: tier = {self.const('tier', node.name)}")
        if rest and node.condition is not None:
            self.emit(indent, "else:")
            self.tiers(rest, indent + 1)


def _tuple(names: list[str]) -> str:
    """A tuple display of `names` (`()`, `(a,)`, `(a, b,)`)."""
    return "(" + "".join(f"{name}, " for name in names) + ")"


def _reference_condition(
    profile: BoundProfile, node: ast.Condition, as_of: datetime.date
) -> Callable[[Any, int | float | None], Truth]:
    defines, reader = profile.defines, profile.reader

    def truth(record: Any, score: int | float | None) -> Truth:
        return ConditionEvaluator(Context(record, as_of, defines, reader, score)).visit(node)[0]

    return truth


def loose_index(record: dict[Any, Any]) -> dict[str, Any]:
    """Loose spelling → the first key spelt so (`Annual Revenue` → `annual_revenue`)."""
    index: dict[str, Any] = {}
    for key in record:
        if isinstance(key, str):
            index.setdefault(loose_key(key), key)
    return index


def _kind(values: Iterable[ast.Value | None]) -> str | None:
    """The one kind all `values` share (None for mixed kinds)."""
    kinds = {v.kind for v in values if v is not None}
    return kinds.pop() if len(kinds) == 1 else None


#: (guard, how the value is compared) for literals of each kind with an inline case.
_TYPED = {
    "number": (inline.NUMBER_GUARD, "{v}"),
    "string": (inline.TEXT_GUARD, inline.TEXT_KEY),
    "date": (inline.DATE_GUARD, "{v}"),
}
_SET_TESTS = {
    "one": "{s}.issubset({k})",
    "all": "{s}.issubset({k})",
    "any": "not {s}.isdisjoint({k})",
    "none": "{s}.isdisjoint({k})",
}


def _fast_tests(gen: _Codegen, node: ast.Predicate) -> list[tuple[str, str]]:
    """(guard, expression) pairs computing the predicate when a guard holds; [] if none."""
    if isinstance(node, ast.Truthy):
        return [(inline.BOOL_GUARD, "{v}")]
    if isinstance(node, ast.Within):
        duration = node.duration.value
        assert isinstance(duration, ast.Duration)
        start = gen.const("start", subtract(gen.as_of, duration))
        return [(inline.DATE_GUARD, f"{start} <= {{v}} <= ASOF")]
    if isinstance(node, ast.Has):
        targets = gen.const("set", frozenset(target(v) for v in node.values))
        test = _SET_TESTS[node.mode]
        return [
            (inline.LIST_GUARD, test.format(s=targets, k=inline.LIST_KEYS)),
            (inline.ITEM_KEYS_GUARD, test.format(s=targets, k=inline.ITEM_KEYS)),
        ]
    if isinstance(node, ast.Matches):
        wanted = gen.const("value", target(node.value))
        tests = [(inline.LIST_GUARD, f"{wanted} in {inline.LIST_KEYS}")]
        guard = inline.ITEM_KEYS_GUARD
        if node.value.kind != "string":
            guard = "{v}.__class__ is not str and " + guard
        return [*tests, (guard, f"{wanted} in {inline.ITEM_KEYS}")]
    if isinstance(node, ast.InList):
        typed = _TYPED.get(_kind(node.values) or "") if node.values else None
        if typed is None or typed[0] is inline.DATE_GUARD:
            return []
        values = gen.const("set", frozenset(target(v) for v in node.values))
        return [(typed[0], f"{typed[1]} {'not in' if node.negated else 'in'} {values}")]
    if isinstance(node, ast.Range):
        typed = _TYPED.get(_kind((node.low, node.high)) or "")
        if typed is None:
            return []
        parts = [typed[1]]
        if node.low is not None:
            parts.insert(0, gen.const("low", target(node.low)))
        if node.high is not None:
            parts.append(gen.const("high", target(node.high)))
        return [(typed[0], " <= ".join(parts))]
    if isinstance(node, ast.Compare):
        typed = _TYPED.get(node.value.kind)
        if typed is None and node.value.kind == "bool":
            typed = (inline.BOOL_GUARD, "{v}")
        if typed is None:
            return []
        return [(typed[0], f"{typed[1]} {node.op} {gen.const('value', target(node.value))}")]
    return []


def _namespace(profile: BoundProfile, as_of: datetime.date) -> dict[str, Any]:
    """What the generated code calls: the kernel's functions and the profile's reader."""
    return {
        "MISSING": MISSING,
        "ABSENT": _ABSENT,
        "SKIPPED": SKIPPED,
        "FIT": Verdict.FIT,
        "ASOF": as_of,
        "DATE": datetime.date,
        "READ": profile.reader,
        "FIELD": functools.partial(field_value, profile.reader),
        "LOOSE": loose_index,
        "ISMISSING": is_missing,
        "ITEM_KEY": item_key,
        "ITEM_KEYS": item_keys,
        "TIDY": tidy_number,
        "VERDICT_OF": verdict_of,
        "KLEENE_AND": kleene_and,
    }


def build_functions(
    profile: BoundProfile, as_of: datetime.date
) -> tuple[ScoreFunction, JudgeFunction, str]:
    """The generated `score` and `judge` functions for `profile` at `as_of`, and their
    source text.  A plain dict is read directly; other records through the reader."""
    namespace = _namespace(profile, as_of)
    sources = []
    for kind, fallback, function in (("score", None, _Codegen.score_function),
                                     ("judge", None, _Codegen.judge_function)):  # fmt: skip
        generic = _Codegen(profile, as_of, dict_mode=False, namespace=namespace)
        function(generic, f"{kind}_any", fallback or "")
        sources.append("\n".join(generic.lines))
        if profile.reader is get_field:
            fast = _Codegen(profile, as_of, dict_mode=True, namespace=namespace)
            function(fast, f"{kind}_dict", f"{kind}_any")
            sources.append("\n".join(fast.lines))
    source = "\n\n".join(sources) + "\n"
    code = compile(source, f"<icpdsl compiled {len(profile.rules)} rules>", "exec")
    exec(code, namespace)  # the source holds generated names only (see module docstring)
    plain = "dict" if profile.reader is get_field else "any"
    return namespace[f"score_{plain}"], namespace[f"judge_{plain}"], source


class CompiledProfile:
    """A profile compiled for one `as_of` date: call it for (verdict, score, tier).

    `compiled(record)` returns a `(verdict, score, tier)` tuple; `compiled.evaluate(record)`
    a full `Result` whose outcomes equal the reference evaluator's.  Build one with
    `Profile.compile()` (or `compile_profile`).
    """

    __slots__ = ("_kinds", "as_of", "judge", "profile", "score", "source")

    def __init__(
        self,
        profile: BoundProfile,
        as_of: datetime.date,
        functions: tuple[ScoreFunction, JudgeFunction, str],
    ) -> None:
        self.profile = profile
        self.as_of = as_of
        #: The generated functions: record → (verdict, score, tier) / (..., truths).
        self.score, self.judge, self.source = functions
        self._kinds = tuple(bound.node.__class__ for bound in profile.rules)

    def __call__(self, record: Any) -> Scored:
        return self.score(record)

    def __repr__(self) -> str:
        return f"<CompiledProfile {self.profile.name!r} as of {self.as_of.isoformat()}>"

    def evaluate(self, record: Any, *, explain: bool = True) -> Result:
        """A Result; with `explain`, its outcomes (identical to the reference evaluator's),
        each rule's value seen and reason built when first read."""
        if not explain:
            verdict, score, tier = self.score(record)
            return Result(self.profile.name, verdict, score, tier, (), self.as_of)
        verdict, score, tier, truths = self.judge(record)
        outcomes = JudgedOutcomes(self, record, truths, score, tier)
        return Result(self.profile.name, verdict, score, tier, outcomes, self.as_of)

    def evaluate_many(self, records: Iterable[Any], *, explain: bool = True) -> Iterator[Result]:
        """Results for `records`, lazily, in input order."""
        evaluate = self.evaluate
        for record in records:
            yield evaluate(record, explain=explain)

    def score_many(self, records: Iterable[Any]) -> list[Scored]:
        """(verdict, score, tier) for every record, as a list."""
        return list(map(self.score, records))


class JudgedOutcomes:
    """The outcomes of one account on the compiled path: statuses and points from the
    truths `judge` found, each value seen and reason explained when first read."""

    __slots__ = ("_compiled", "_outcomes", "_record", "_score", "_tier", "_truths")

    def __init__(
        self,
        compiled: CompiledProfile,
        record: Any,
        truths: tuple[Any, ...],
        score: int | float,
        tier: str | None,
    ) -> None:
        self._compiled = compiled
        self._record = record
        self._truths = truths
        self._score = score
        self._tier = tier
        self._outcomes: tuple[RuleOutcome, ...] | None = None

    def get(self) -> tuple[RuleOutcome, ...]:
        outcomes = self._outcomes
        if outcomes is None:
            outcomes = self._outcomes = tuple(
                self._outcome(index, bound.node, truth)
                for index, (bound, truth) in enumerate(
                    zip(self._compiled.profile.rules, self._truths, strict=True)
                )
            )
        return outcomes

    def _outcome(self, index: int, node: ast.Rule, truth: Any) -> RuleOutcome:
        info = self._compiled.profile.rules[index].info
        kind = node.__class__
        if kind is ast.Disqualifier:
            return RuleOutcome(info, FIRED[truth], None, index, self)  # type: ignore[arg-type]
        if kind is ast.Points:
            gained = node.points if truth else 0  # type: ignore[union-attr]
            return RuleOutcome(info, APPLIED[truth], gained, index, self)  # type: ignore[arg-type]
        if truth is SKIPPED:
            return RuleOutcome(info, "skipped", None, skipped_tier(self._tier))
        if kind is ast.Tier and node.condition is None:
            return RuleOutcome(info, "pass", None, (None, f"tier {self._tier}", ()))
        return RuleOutcome(info, STATUS[truth], None, index, self)

    def detail(self, index: int) -> Detail:
        """Rule `index`'s value seen, reason and predicate outcomes, by the reference."""
        compiled = self._compiled
        profile = compiled.profile
        bound = profile.rules[index]
        score = self._score if isinstance(bound.node, ast.Tier) else None
        context = Context(self._record, compiled.as_of, profile.defines, profile.reader, score)
        condition = bound.node.condition
        assert condition is not None
        truth, checks = ConditionEvaluator(context).visit(condition)
        return rule_detail(bound, truth, checks)

    def __reduce__(self) -> tuple[type[tuple[RuleOutcome, ...]], tuple[tuple[RuleOutcome, ...]]]:
        """Pickled and copied as the outcomes themselves, explained now."""
        outcomes = self.get()
        for outcome in outcomes:
            outcome.reason  # noqa: B018 - explains it
        return (tuple, (outcomes,))


def compile_profile(profile: BoundProfile, as_of: datetime.date | None = None) -> CompiledProfile:
    """Compile `profile` for `as_of` (default: today); the date is fixed in the result."""
    day = as_of or today()
    functions = build_functions(profile, day)
    # A subclass per compilation whose __call__ *is* the generated function saves a call.
    fast = type(
        "CompiledProfile",
        (CompiledProfile,),
        {"__slots__": (), "__call__": staticmethod(functions[0]), "__module__": __name__},
    )
    compiled: CompiledProfile = fast(profile, day, functions)
    return compiled
