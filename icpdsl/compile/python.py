"""Compiled per-record evaluator: a profile becomes one generated Python function.

The generated source holds only generated names (`k0`, `t3`, `slow2`), keywords and
operators.  Every field name, literal, set of values, tier name and points value is a
constant bound *by reference* in the function's namespace, so no text from an ICP file
or a record ever reaches `compile()`.

Each predicate has a fast path for the common exact types (int/float for numbers, str
for text, date, bool, list) and otherwise calls the reference evaluator for that one
predicate, so odd values (`"1,200"`, `"2020"`, `Decimal`, a schema's `Invalid`) get the
reference semantics by construction.  Explanations are built lazily, on first access to
`Result.rules`, by the reference evaluator itself: they are identical by construction.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, TypeAlias

from .. import ast
from ..clock import today
from ..evaluator import ConditionEvaluator, Context, _item_key, _target, evaluate_profile, subtract
from ..records import MISSING, _is_missing_value, get_field, loose_key
from ..result import LazyOutcomes, Result, RuleOutcome, Verdict
from ..values import tidy_number
from . import items

if TYPE_CHECKING:
    from ..model import Profile

#: Conditions nested deeper than this run on the reference evaluator (no deep codegen).
MAX_DEPTH = 24


#: Verdict, score and tier of one account: what `CompiledProfile(record)` returns.
Scored: TypeAlias = tuple[Verdict, int | float, str | None]


ScoreFunction = Callable[[Any], Scored]


class _Codegen:
    """Emits the body of one scoring function; constants go to `namespace`."""

    def __init__(self, profile: Profile, as_of: datetime.date, dict_mode: bool) -> None:
        self.profile = profile
        self.as_of = as_of
        self.dict_mode = dict_mode
        self.lines: list[str] = []
        self.namespace: dict[str, Any] = {
            "MISSING": MISSING,
            "ABSENT": _ABSENT,
            "READ": profile.reader,
            "KEYS": items.item_keys,
            "ITEMKEY": _item_key,
            "LOOSE": loose_index,
            "ISMISSING": _is_missing_value,
            "TIDY": tidy_number,
            "DATE": datetime.date,
        }
        self._counter = 0

    # -- plumbing -------------------------------------------------------------
    def const(self, prefix: str, value: Any) -> str:
        """A fresh generated name bound to `value` (the value never enters the source)."""
        name = f"{prefix}{self._counter}"
        self._counter += 1
        self.namespace[name] = value
        return name

    def var(self) -> str:
        self._counter += 1
        return f"t{self._counter}"

    def emit(self, indent: int, line: str) -> None:
        self.lines.append("    " * indent + line)

    # -- conditions -----------------------------------------------------------
    def condition(
        self, node: ast.Condition, out: str, indent: int, tier: bool, depth: int = 0
    ) -> None:
        """Emit statements that set `out` to True, False or None (unknown)."""
        if depth > MAX_DEPTH:
            self.slow(node, out, indent, tier)
            return
        if isinstance(node, ast.Ref):
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

    def slow(self, node: ast.Condition, out: str, indent: int, tier: bool) -> None:
        """The reference evaluator for this condition (odd types, ages, durations)."""
        function = self.const("slow", _slow_path(self.profile, node, self.as_of))
        self.emit(indent, f"{out} = {function}(r, {'s' if tier else 'None'})")

    def read(self, path: ast.Path, indent: int, tier: bool) -> tuple[str, str]:
        """Emit a read of `path` into `v`: (value name, test that the value is missing).

        On a plain dict the key is read directly; a key not there (maybe spelt
        differently: `Annual Revenue`) goes to the reader, which looks loosely.
        """
        if tier and path.parts == ("score",):
            return "s", "s is None"
        where = self.const("p", path.parts)
        if self.dict_mode and len(path.parts) == 1:
            key = self.const("k", path.parts[0])
            self.emit(indent, f"v = g({key}, ABSENT)")
            return "v", f"v is None or (v is ABSENT and {self.no_loose_match(path)})"
        self.emit(indent, f"v = READ(r, {where})")
        return "v", "v is MISSING"

    def no_loose_match(self, path: ast.Path) -> str:
        """True when no key of the dict is the field spelt loosely (`Annual Revenue`).

        The dict's keys are indexed once per record, on the first absent field.
        """
        loose = self.const("loose", loose_key(path.parts[0]))
        return f"(L := L if L is not None else LOOSE(r)).get({loose}) is None"

    def predicate(self, node: ast.Predicate, out: str, indent: int, tier: bool) -> None:
        if isinstance(node, ast.IsKnown):
            self.is_known(node, out, indent, tier)
            return
        fast = _fast_tests(self, node)
        if not fast or node.field.parts == ("age",):
            self.slow(node, out, indent, tier)
            return
        v, missing = self.read(node.field, indent, tier)
        keyword = "if"
        for guard, expression in fast:
            self.emit(indent, f"{keyword} {guard.format(v=v)}: {out} = {expression.format(v=v)}")
            keyword = "elif"
        self.emit(indent, f"elif {missing}: {out} = None")
        self.emit(indent, "else:")
        self.slow(node, out, indent + 1, tier)

    def is_known(self, node: ast.IsKnown, out: str, indent: int, tier: bool) -> None:
        parts = node.field.parts
        if parts == ("age",) or (tier and parts == ("score",)):
            self.slow(node, out, indent, tier)
            return
        where = self.const("p", parts)
        negation = "" if node.known else "not "
        if self.dict_mode and len(parts) == 1:
            key = self.const("k", parts[0])
            self.emit(indent, f"v = g({key}, ABSENT)")
            absent = f"not {self.no_loose_match(node.field)} and READ(r, {where}) is not MISSING"
            self.emit(indent, f"if v is ABSENT: {out} = {negation}({absent})")
            self.emit(indent, f"else: {out} = {negation}(not ISMISSING(v))")
            return
        self.emit(indent, f"v = READ(r, {where})")
        self.emit(indent, f"{out} = v {'is not' if node.known else 'is'} MISSING")

    # -- rules ----------------------------------------------------------------
    def rule(self, condition: ast.Condition, indent: int, tier: bool, **on: str) -> None:
        """Emit a rule's condition and what to do when it is True, False or None.

        `on` maps "true"/"false"/"none" to a statement.  A lone fast-path predicate
        acts on its test directly instead of going through a truth variable.
        """
        node = condition
        while isinstance(node, ast.Ref):
            node = self.profile.defines[node.name].condition
        fast = (
            []
            if isinstance(node, (ast.IsKnown, ast.Not, ast.And, ast.Or))
            else _fast_tests(self, node)
        )
        if not fast or node.field.parts == ("age",):  # type: ignore[union-attr]
            self.condition(node, "t", indent, tier)
            self.dispatch(indent, on)
            return
        assert not isinstance(node, (ast.Ref, ast.Not, ast.And, ast.Or))
        v, missing = self.read(node.field, indent, tier)
        keyword = "if"
        for guard, expression in fast:
            self.emit(indent, f"{keyword} {guard.format(v=v)}:")
            test = expression.format(v=v)
            if "true" in on:
                self.emit(indent + 1, f"if {test}: {on['true']}")
                if "false" in on:
                    self.emit(indent + 1, f"else: {on['false']}")
            else:
                self.emit(indent + 1, f"if not ({test}): {on['false']}")
            keyword = "elif"
        self.emit(indent, f"elif {missing}: {on.get('none', 'pass')}")
        self.emit(indent, "else:")
        self.slow(node, "t", indent + 1, tier)
        self.dispatch(indent + 1, on)

    def dispatch(self, indent: int, on: dict[str, str]) -> None:
        keyword = "if"
        for key, value in (("true", "True"), ("false", "False"), ("none", "None")):
            if key in on:
                self.emit(indent, f"{keyword} t is {value}: {on[key]}")
                keyword = "elif"

    def function(self, name: str) -> None:
        """Points first (the score does not depend on the verdict), then each verdict
        returns as soon as it is decided: disqualifiers, criteria, then tiers."""
        rules = [bound.node for bound in self.profile.rules]
        self.emit(0, f"def {name}(r):")
        if self.dict_mode:
            self.emit(1, "if r.__class__ is not dict: return GENERIC(r)")
            self.emit(1, "g = r.get")
            self.emit(1, "L = None")
        self.emit(1, "s = 0")
        points = [node for node in rules if isinstance(node, ast.Points)]
        for gain in points:
            self.rule(gain.condition, 1, False, true=f"s += {self.const('points', gain.points)}")
        if any(not isinstance(gain.points, int) for gain in points):
            self.emit(1, "s = TIDY(s)")
        scored = bool(points)

        def give(verdict: Verdict, tier: str | None = None) -> str:
            """Return a result; without points rules the score is 0, so it is a constant."""
            if not scored:
                return f"return {self.const('result', (verdict, 0, tier))}"
            name = "None" if tier is None else self.const("tier", tier)
            return f"return ({self.const('verdict', verdict)}, s, {name})"

        for node in rules:
            if isinstance(node, ast.Disqualifier):
                self.rule(node.condition, 1, False, true=give(Verdict.DISQUALIFIED))
        self.emit(1, "u = False")
        not_fit = give(Verdict.NOT_FIT)
        for node in rules:
            if isinstance(node, ast.Criterion):
                self.rule(node.condition, 1, False, false=not_fit, none="u = True")
        self.emit(1, f"if u: {give(Verdict.UNKNOWN)}")
        for node in rules:
            if not isinstance(node, ast.Tier):
                continue
            if node.condition is None:
                self.emit(1, give(Verdict.FIT, node.name))
                return
            self.rule(node.condition, 1, True, true=give(Verdict.FIT, node.name))
        self.emit(1, give(Verdict.FIT))


_ABSENT = object()  # a key not in a plain dict; the reader then looks loosely


def loose_index(record: dict[Any, Any]) -> dict[str, Any]:
    """Loose spelling → the first key spelt so (`Annual Revenue` → `annual_revenue`)."""
    index: dict[str, Any] = {}
    for key in record:
        if isinstance(key, str):
            index.setdefault(loose_key(key), key)
    return index


def _slow_path(profile: Profile, node: ast.Condition, as_of: datetime.date) -> Callable[..., Any]:
    defines, reader = profile.defines, profile.reader

    def slow(record: Any, score: int | float | None) -> bool | None:
        context = Context(record, as_of, defines, reader, score)
        return ConditionEvaluator(context).visit(node)[0]

    return slow


_NUMBER = "({v}.__class__ is int or ({v}.__class__ is float and {v} == {v}))"
_TEXT = "{v}.__class__ is str and (w := {v}.strip().casefold())"  # blank text is missing
_FOLDED = "w"


def _kind(values: Iterable[ast.Value | None]) -> str | None:
    """The one kind all `values` share (None for mixed kinds)."""
    kinds = {v.kind for v in values if v is not None}
    return kinds.pop() if len(kinds) == 1 else None


def _typed(kind: str | None) -> tuple[str, str] | None:
    """(guard, how to read the value) for literals of `kind` with a fast path."""
    if kind == "number":
        return _NUMBER, "{v}"
    if kind == "string":
        return _TEXT, _FOLDED
    if kind == "date":
        return "{v}.__class__ is DATE", "{v}"
    if kind == "bool":
        return "{v}.__class__ is bool", "{v}"
    return None


#: The keys of a plain list, inline (a set built from it compares like the reference).
_LIST_KEYS = "[x.strip().casefold() if x.__class__ is str else ITEMKEY(x) for x in {v}]"
_LIST = "{v}.__class__ is list"
_SET_TESTS = {
    "one": "{s}.issubset({k})",
    "all": "{s}.issubset({k})",
    "any": "not {s}.isdisjoint({k})",
    "none": "{s}.isdisjoint({k})",
}


def _fast_tests(gen: _Codegen, node: ast.Predicate) -> list[tuple[str, str]]:
    """(guard, expression) pairs computing the predicate when a guard holds; [] if none."""
    if isinstance(node, ast.Truthy):
        return [("{v}.__class__ is bool", "{v}")]
    if isinstance(node, ast.Within):
        duration = node.duration.value
        assert isinstance(duration, ast.Duration)
        start = gen.const("start", subtract(gen.as_of, duration))
        return [("{v}.__class__ is DATE", f"{start} <= {{v}} <= {gen.const('asof', gen.as_of)}")]
    if isinstance(node, ast.Has):
        targets = gen.const("set", frozenset(_target(v) for v in node.values))
        test = _SET_TESTS[node.mode]
        return [
            (_LIST, test.format(s=targets, k=_LIST_KEYS)),
            ("(K := KEYS({v})) is not None", test.format(s=targets, k="K")),
        ]
    if isinstance(node, ast.Matches):
        target = gen.const("value", _target(node.value))
        tests = [(_LIST, f"{target} in {_LIST_KEYS}")]
        if node.value.kind == "string":
            tests.append(("(K := KEYS({v})) is not None", f"{target} in K"))
        else:
            tests.append(
                ("{v}.__class__ is not str and (K := KEYS({v})) is not None", f"{target} in K")
            )
        return tests
    if isinstance(node, ast.InList):
        typed = _typed(_kind(node.values))
        if typed is None or not node.values or typed[0].endswith("bool"):
            return []
        values = gen.const("set", frozenset(_target(v) for v in node.values))
        return [(typed[0], f"{typed[1]} {'not in' if node.negated else 'in'} {values}")]
    if isinstance(node, ast.Range):
        typed = _typed(_kind((node.low, node.high)))
        if typed is None or typed[0].endswith("bool"):
            return []
        parts = [typed[1]]
        if node.low is not None:
            parts.insert(0, gen.const("low", _target(node.low)))
        if node.high is not None:
            parts.append(gen.const("high", _target(node.high)))
        return [(typed[0], " <= ".join(parts))]
    assert isinstance(node, ast.Compare)
    typed = _typed(node.value.kind)
    if typed is None:
        return []
    return [(typed[0], f"{typed[1]} {node.op} {gen.const('value', _target(node.value))}")]


def build_function(profile: Profile, as_of: datetime.date) -> tuple[ScoreFunction, str]:
    """The generated scoring function for `profile` at `as_of`, and its source text."""
    generic = _Codegen(profile, as_of, dict_mode=False)
    generic.function("score_any")
    sources = ["\n".join(generic.lines)]
    namespace = generic.namespace
    if profile.reader is get_field:  # plain dicts read directly; others via the reader
        fast = _Codegen(profile, as_of, dict_mode=True)
        fast._counter = generic._counter
        fast.namespace = namespace
        fast.function("score_dict")
        sources.append("\n".join(fast.lines))
    source = "\n\n".join(sources) + "\n"
    code = compile(source, f"<icpdsl compiled {len(profile.rules)} rules>", "exec")
    exec(code, namespace)  # the source holds generated names only (see module docstring)
    namespace["GENERIC"] = namespace["score_any"]
    name = "score_dict" if "score_dict" in namespace else "score_any"
    function: ScoreFunction = namespace[name]
    return function, source


class CompiledProfile:
    """A profile compiled for one `as_of` date: call it for (verdict, score, tier).

    `compiled(record)` returns a `(verdict, score, tier)` tuple; `compiled.evaluate(record)`
    a full `Result` whose `rules` are built on first access by the reference evaluator.
    Build one with `Profile.compile()` (or `compile_profile`).
    """

    __slots__ = ("as_of", "profile", "score", "source")

    def __init__(
        self, profile: Profile, as_of: datetime.date, function: ScoreFunction, source: str
    ) -> None:
        self.profile = profile
        self.as_of = as_of
        #: The generated function itself: record → (verdict, score, tier).
        self.score = function
        #: The generated source (generated names only; constants live in its namespace).
        self.source = source

    def __call__(self, record: Any) -> Scored:
        return self.score(record)

    def __repr__(self) -> str:
        return f"<CompiledProfile {self.profile.name!r} as of {self.as_of.isoformat()}>"

    def evaluate(self, record: Any, *, explain: bool = True) -> Result:
        """A Result; with `explain`, its rules are built lazily (identical to the reference)."""
        verdict, score, tier = self.score(record)
        rules: tuple[RuleOutcome, ...] | LazyOutcomes = (
            LazyOutcomes(self._outcomes, record) if explain else ()
        )
        return Result(self.profile.name, verdict, score, tier, rules, self.as_of)

    def evaluate_many(self, records: Iterable[Any], *, explain: bool = True) -> Iterator[Result]:
        """Results for `records`, lazily, in input order."""
        evaluate = self.evaluate
        for record in records:
            yield evaluate(record, explain=explain)

    def score_many(self, records: Iterable[Any]) -> list[Scored]:
        """(verdict, score, tier) for every record, as a list."""
        return list(map(self.score, records))

    def _outcomes(self, record: Any) -> tuple[RuleOutcome, ...]:
        return evaluate_profile(self.profile, record, self.as_of).rules


def compile_profile(profile: Profile, as_of: datetime.date | None = None) -> CompiledProfile:
    """Compile `profile` for `as_of` (default: today); the date is fixed in the result."""
    day = as_of or today()
    function, source = build_function(profile, day)
    # A subclass per compilation whose __call__ *is* the generated function saves a call.
    fast = type(
        "CompiledProfile",
        (CompiledProfile,),
        {"__slots__": (), "__call__": staticmethod(function), "__module__": __name__},
    )
    compiled: CompiledProfile = fast(profile, day, function, source)
    return compiled
