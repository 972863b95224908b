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
from typing import TYPE_CHECKING, Any, Final, NamedTuple, TypeAlias

from .. import ast
from ..evaluator import (
    ConditionEvaluator,
    Context,
    KnownValue,
    rule_detail,
    seen_value,
    skipped_tier,
)
from ..kept import KEPT_ENTRIES, KEPT_TEXT_LENGTH
from ..records import get_field, loose_key, plain_key
from ..result import Detail, PredicateOutcome, Result, RuleOutcome
from ..semantics import inline
from ..semantics.cells import tidy_number
from ..semantics.compare import field_value, item_key, item_keys, subtract, target
from ..semantics.logic import APPLIED, FIRED, STATUS, Truth
from ..semantics.missing import MISSING, is_missing
from ..semantics.predicates import prepare
from ..semantics.verdict import (
    BY_CRITERIA,
    KEPT_OUT,
    REASON_KINDS,
    REASON_STATUSES,
    Verdict,
    truths_reported,
)
from ..visitor import predicates

if TYPE_CHECKING:
    from ..program import BoundProfile

#: Conditions nested deeper than this run on the reference evaluator (no deep codegen).
MAX_DEPTH = 24

#: Verdict, score and tier of one account: what `CompiledProfile(record)` returns.
Scored: TypeAlias = tuple[Verdict, int | float, str | None]
ScoreFunction = Callable[[Any], Scored]
#: Verdict, score, tier and every rule's truth (a tier not tried: SKIPPED).
Judged: TypeAlias = tuple[Verdict, int | float, str | None, tuple[Any, ...]]
#: Verdict, score, tier, reasons and the rules that kept the account out (`brief`).
Brief: TypeAlias = tuple[Verdict, int | float, str | None, list[str], tuple[int, ...]]
JudgeFunction = Callable[[Any], Judged]
#: (truths, tier, explainer) → the outcomes of every rule.
OutcomesFunction = Callable[[tuple[Any, ...], str | None, Any], tuple[RuleOutcome, ...]]
Functions: TypeAlias = tuple[ScoreFunction, JudgeFunction, OutcomesFunction, str]


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
        #: Fields read at the function's top level, and the names holding their values
        #: (and, for list fields, their items' keys).
        self.reads: dict[tuple[str, ...], str] = {}
        self.keys: dict[tuple[str, ...], str] = {}
        #: Per list field, what each `has` or list match on it asks of its items
        #: (`_ItemTest`), and the name holding the answer once the items are keyed.
        self.item_tests = _item_tests(profile)
        self.answers: dict[tuple[tuple[str, ...], _ItemTest], str] = {}

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
        plan = self.plan(node, indent, tier)
        if isinstance(plan, str):
            self.emit(indent, f"{out} = {plan}")
            return
        tests, missing, fallback = plan
        keyword = "if"
        for guard, expression in tests:
            self.emit(indent, f"{keyword} {guard}: {out} = {expression}")
            keyword = "elif"
        if keyword == "elif":
            self.emit(indent, f"elif {missing}: {out} = None")
            self.emit(indent, f"else: {out} = {fallback}")
        else:
            self.emit(indent, f"{out} = {fallback}")

    def plan(
        self, node: ast.Predicate, indent: int, tier: bool
    ) -> str | tuple[list[tuple[str, str]], str, str]:
        """How to judge `node`: one expression for its truth, or (guard, expression) pairs
        for the exact types, the test that the value is missing and the kernel's test."""
        parts = node.field.parts
        test = self.const("test", prepare(node))
        if tier and parts == ("score",):  # always a number
            fast = [e for g, e in _fast_tests(self, node) if g is inline.NUMBER_GUARD]
            return fast[0].format(v="s") if fast else f"{test}(s, ASOF)"
        where = self.const("p", parts)
        if isinstance(node, ast.IsKnown):
            return self.is_known(node, where, indent)
        if parts == ("age",):  # read with its fallback to a founding date
            return f"{test}(FIELD(r, {where}), ASOF)"
        if self.dict_mode and len(parts) == 1:
            v = self.read(parts, self.dict_get(parts[0]), indent)
            missing = f"{v} is None or ({v} is ABSENT and {self.no_loose_match(parts[0])})"
            fallback = f"{test}(FIELD(r, {where}), ASOF)"
        else:
            v = self.read(parts, f"READ(r, {where})", indent)
            missing, fallback = f"{v} is MISSING", f"{test}({v}, ASOF)"
        keys = self.item_keys(node, v, indent)
        tests = [
            (guard.format(v=v), expression.format(v=v))
            for guard, expression in _fast_tests(self, node, keys)
        ]
        return tests, missing, fallback

    def read(self, parts: tuple[str, ...], reading: str, indent: int) -> str:
        """The name holding the field's value: read once at the top level of the function
        (every later statement comes after it) and kept, or read here into `v`."""
        if parts in self.reads:
            return self.reads[parts]
        if indent != 1:
            self.emit(indent, f"v = {reading}")
            return "v"
        name = self.reads[parts] = f"f{len(self.reads)}"
        self.emit(indent, f"{name} = {reading}")
        return name

    def item_keys(self, node: ast.Predicate, v: str, indent: int) -> str | None:
        """For `has` and list matches on a field read at the top level, the name (`K0`,
        ...) that is None when the field's value holds no items; else None.

        Where that name is set (once, at the top level), every item test on the field
        is answered (`answer`): a plain list in one loop over its items, keyed inline,
        which costs less than building a set of their keys and asking it; any other
        value by the set `item_keys` gives."""
        parts = node.field.parts
        if not isinstance(node, (ast.Has, ast.Matches)) or parts not in self.reads:
            return None
        if parts not in self.keys and indent == 1:
            name = self.keys[parts] = f"K{len(self.keys)}"
            self.answer_item_tests(parts, v, name)
        return self.keys.get(parts)

    def answer_item_tests(self, parts: tuple[str, ...], v: str, keys: str) -> None:
        """Emit the answer to each item test on field `parts`, whose value is `v`
        (`keys` is set to None when `v` holds no items)."""
        tests = self.item_tests[parts]
        answers = {test: self.answers.setdefault((parts, test), f"a{len(self.answers)}")
                   for test in tests}  # fmt: skip
        wanted = {test: self.const("set", test.targets) for test in tests}
        self.emit(1, f"if {v}.__class__ is list:")
        self.emit(2, f"{keys} = True")
        for test in tests:
            self.emit(2, f"{answers[test]} = " + ("set()" if test.every else "False"))
        self.emit(2, f"for x in {v}:")
        self.emit(3, f"x = {inline.ITEM_KEY_OF}")
        for test in tests:
            found = f"{answers[test]}.add(x)" if test.every else f"{answers[test]} = True"
            self.emit(3, f"if x in {wanted[test]}: {found}")
        for test in tests:
            if test.every:
                count = self.const("count", len(test.targets))
                self.emit(2, f"{answers[test]} = len({answers[test]}) == {count}")
        self.emit(1, "else:")
        self.emit(2, f"{keys} = ITEM_KEYS({v})")
        self.emit(2, f"if {keys} is not None:")
        for test in tests:
            method = "issubset" if test.every else "isdisjoint"
            negation = "" if test.every else "not "
            self.emit(3, f"{answers[test]} = {negation}{wanted[test]}.{method}({keys})")

    def answer(self, node: ast.Has | ast.Matches) -> str:
        """The expression for `node`'s truth from its item test's answer (`item_keys`)."""
        answer = self.answers[node.field.parts, _item_test(node)]
        return f"not {answer}" if isinstance(node, ast.Has) and node.mode == "none" else answer

    def is_known(self, node: ast.IsKnown, where: str, indent: int) -> str:
        """Never unknown: whether the field holds a value (blank text, NaN: it does not)."""
        known = "True" if node.known else "False"
        parts = node.field.parts
        read = f"(FIELD(r, {where}) is not MISSING) is {known}"
        if self.dict_mode and len(parts) == 1 and parts != ("age",):
            v = self.read(parts, self.dict_get(parts[0]), indent)
            return f"({read} if {v} is ABSENT else (not ISMISSING({v})) is {known})"
        return read

    def dict_get(self, name: str) -> str:
        """A plain dict's value for `name`, ABSENT without the key.  Called as a method
        each time: CPython calls `r.get(...)` without making a bound method, which costs
        less than calling one kept in a variable (`g = r.get`)."""
        return f"r.get({self.const('k', name)}, ABSENT)"

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
            self.act(gain.condition, False, true=f"s += {self.const('points', gain.points)}")
        if any(not isinstance(gain.points, int) for gain in points):
            self.emit(1, "s = TIDY(s)")
        give = self.giver(bool(points))
        for node in rules:
            if isinstance(node, ast.Disqualifier):
                self.act(node.condition, False, true=give(Verdict.DISQUALIFIED))
        self.emit(1, "u = False")
        for node in rules:
            if isinstance(node, ast.Criterion):
                self.act(node.condition, False, false=give(Verdict.NOT_FIT), none="u = True")
        self.emit(1, f"if u: {give(Verdict.UNKNOWN)}")
        for node in rules:
            if not isinstance(node, ast.Tier):
                continue
            if node.condition is None:
                self.emit(1, give(Verdict.FIT, node.name))
                return
            self.act(node.condition, True, true=give(Verdict.FIT, node.name))
        self.emit(1, give(Verdict.FIT))

    def act(self, condition: ast.Condition, tier: bool, **on: str) -> None:
        """Emit a top-level rule's condition and what to do when it is true, false or
        unknown (`on`: "true", "false", "none" → a statement).  A lone predicate acts on
        its inlined test directly, without a truth variable."""
        node = condition
        while isinstance(node, ast.Ref):
            node = self.profile.defines[node.name].condition
        plan = None if isinstance(node, (ast.Not, ast.And, ast.Or)) else self.plan(node, 1, tier)
        if isinstance(plan, str) and set(on) == {"true"}:  # a truth: True, False or None
            self.emit(1, f"if {plan}: {on['true']}")
            return
        if plan is None or isinstance(plan, str):
            if plan is None:
                self.condition(node, "t", 1, tier)
            else:
                self.emit(1, f"t = {plan}")
            self.dispatch(1, on)
            return
        tests, missing, fallback = plan
        keyword = "if"
        for guard, expression in tests:
            self.emit(1, f"{keyword} {guard}:")
            if "true" in on:
                self.emit(2, f"if {expression}: {on['true']}")
                if "false" in on:
                    self.emit(2, f"else: {on['false']}")
            else:
                self.emit(2, f"if not ({expression}): {on['false']}")
            keyword = "elif"
        if keyword == "elif":
            self.emit(1, f"elif {missing}: {on.get('none', 'pass')}")
            self.emit(1, "else:")
            self.emit(2, f"t = {fallback}")
            self.dispatch(2, on)
        else:
            self.emit(1, f"t = {fallback}")
            self.dispatch(1, on)

    def dispatch(self, indent: int, on: dict[str, str]) -> None:
        """Act on the truth in `t`."""
        keyword = "if"
        for key, value in (("true", "True"), ("false", "False"), ("none", "None")):
            if key in on:
                self.emit(indent, f"{keyword} t is {value}: {on[key]}")
                keyword = "elif"

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
        self.verdict(fired, criteria)
        self.emit(1, "tier = None")
        tiers = [(t, n) for t, n in zip(truths, rules, strict=True) if isinstance(n, ast.Tier)]
        for truth, _ in tiers:
            self.emit(1, f"{truth} = SKIPPED")
        if tiers:
            self.emit(1, "if verdict is FIT:")
            self.tiers(tiers, 2)
        self.emit(1, f"return (verdict, s, tier, {_tuple(truths)})")

    def verdict(self, fired: list[str], criteria: list[str]) -> None:
        """`verdict` = the kernel's: disqualified when a disqualifier fired, else the one
        BY_CRITERIA gives the criteria's Kleene `and` (false first, then unknown)."""
        tests = [("DISQUALIFIED", " or ".join(f"{t} is True" for t in fired))]
        for truth in (False, None):
            name = self.const("verdict", BY_CRITERIA[truth])
            tests.append((name, " or ".join(f"{t} is {truth}" for t in criteria)))
        keyword = "if"
        for verdict, test in tests:
            if test:
                self.emit(1, f"{keyword} {test}: verdict = {verdict}")
                keyword = "elif"
        fit = self.const("verdict", BY_CRITERIA[True])
        self.emit(1, f"else: verdict = {fit}" if keyword == "elif" else f"verdict = {fit}")

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


def _outcomes_source(profile: BoundProfile, namespace: dict[str, Any]) -> str:
    """`outcomes(t, tier, x)`: the RuleOutcome of each rule from its truth in `t` (the
    account's tier `tier`; `x` explains the value seen and the reason when first read).
    Generated so that building the outcomes is one expression, no loop or branch per rule."""
    gen = _Codegen(profile, datetime.date.min, dict_mode=False, namespace=namespace)
    namespace["RO"] = RuleOutcome
    namespace["STATUS"] = STATUS
    namespace["FIRED"] = FIRED
    namespace["APPLIED"] = APPLIED
    tiers = [b.node.name for b in profile.rules if isinstance(b.node, ast.Tier)]
    namespace["SKIP"] = {name: skipped_tier(name) for name in (None, *tiers)}
    namespace["PASSED"], namespace["NOT_TRIED"] = "pass", "skipped"
    truths = [f"t{index}" for index in range(len(profile.rules))]
    items = []
    for index, bound in enumerate(profile.rules):
        node, truth = bound.node, truths[index]
        info = gen.const("info", bound.info)
        explained = f"{gen.const('n', index)}, x"
        if isinstance(node, ast.Disqualifier):
            items.append(f"RO({info}, FIRED[{truth}], None, {explained})")
        elif isinstance(node, ast.Points):
            gained = f"{gen.const('points', node.points)} if {truth} else 0"
            items.append(f"RO({info}, APPLIED[{truth}], {gained}, {explained})")
        elif isinstance(node, ast.Tier):
            if node.condition is None:
                detail = gen.const("detail", (None, f"tier {node.name}", ()))
                taken = f"RO({info}, PASSED, None, {detail})"
            else:
                taken = f"RO({info}, STATUS[{truth}], None, {explained})"
            skipped = f"RO({info}, NOT_TRIED, None, SKIP[tier])"
            items.append(f"{skipped} if {truth} is SKIPPED else {taken}")
        else:
            items.append(f"RO({info}, STATUS[{truth}], None, {explained})")
    gen.emit(0, "def outcomes(t, tier, x):")
    if truths:
        gen.emit(1, f"{', '.join(truths)}, = t")
    gen.emit(1, "return (")
    for item in items:
        gen.emit(2, f"{item},")
    gen.emit(1, ")")
    return "\n".join(gen.lines)


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


class _ItemTest(NamedTuple):
    """What a `has` or a list match asks of a list field's item keys: whether one of
    `targets` is among them, or (`every`) whether all are."""

    targets: frozenset[Any]
    every: bool


def _item_test(node: ast.Has | ast.Matches) -> _ItemTest:
    """The item test `node` asks (`has none` is the negation of `has any`'s answer)."""
    if isinstance(node, ast.Matches):
        return _ItemTest(frozenset([target(node.value)]), every=False)
    targets = frozenset(target(v) for v in node.values)
    return _ItemTest(targets, every=node.mode in ("all", "one") and len(targets) != 1)


def _item_tests(profile: BoundProfile) -> dict[tuple[str, ...], list[_ItemTest]]:
    """Per field, the distinct item tests the profile's rules and defines ask of it."""
    tests: dict[tuple[str, ...], dict[_ItemTest, None]] = {}
    conditions = [bound.node.condition for bound in profile.rules]
    conditions += [define.condition for define in profile.defines.values()]
    for condition in conditions:
        for node in predicates(condition):
            if isinstance(node, (ast.Has, ast.Matches)):
                tests.setdefault(node.field.parts, {})[_item_test(node)] = None
    return {parts: list(found) for parts, found in tests.items()}


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


def _fast_tests(
    gen: _Codegen, node: ast.Predicate, keys: str | None = None
) -> list[tuple[str, str]]:
    """(guard, expression) pairs computing the predicate when a guard holds; [] if none.
    `keys` names the list field's item keys when they were computed already."""
    if isinstance(node, ast.Truthy):
        return [(inline.BOOL_GUARD, "{v}")]
    if isinstance(node, ast.Within):
        duration = node.duration.value
        assert isinstance(duration, ast.Duration)
        start = gen.const("start", subtract(gen.as_of, duration))
        return [(inline.DATE_GUARD, f"{start} <= {{v}} <= ASOF")]
    if isinstance(node, ast.Has):
        if keys is not None:
            return [(f"{keys} is not None", gen.answer(node))]
        targets = gen.const("set", frozenset(target(v) for v in node.values))
        test = _SET_TESTS[node.mode]
        return [
            (inline.LIST_GUARD, test.format(s=targets, k=inline.LIST_KEYS)),
            (inline.ITEM_KEYS_GUARD, test.format(s=targets, k=inline.ITEM_KEYS)),
        ]
    if isinstance(node, ast.Matches):
        text_only = "" if node.value.kind == "string" else "{v}.__class__ is not str and "
        if keys is not None:
            return [(f"{text_only}{keys} is not None", gen.answer(node))]
        wanted = gen.const("value", target(node.value))
        tests = [(inline.LIST_GUARD, f"{wanted} in {inline.LIST_KEYS}")]
        return [*tests, (text_only + inline.ITEM_KEYS_GUARD, f"{wanted} in {inline.ITEM_KEYS}")]
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
        "DISQUALIFIED": Verdict.DISQUALIFIED,
    }


def build_functions(profile: BoundProfile, as_of: datetime.date) -> Functions:
    """The generated `score`, `judge` and `outcomes` functions for `profile` at `as_of`,
    and their source text.  A plain dict is read directly; other records through the
    reader."""
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
    sources.append(_outcomes_source(profile, namespace))
    source = "\n\n".join(sources) + "\n"
    code = compile(source, f"<icpdsl compiled {len(profile.rules)} rules>", "exec")
    exec(code, namespace)  # the source holds generated names only (see module docstring)
    plain = "dict" if profile.reader is get_field else "any"
    return namespace[f"score_{plain}"], namespace[f"judge_{plain}"], namespace["outcomes"], source


class CompiledProfile:
    """A profile compiled for one `as_of` date: call it for (verdict, score, tier).

    `compiled(record)` returns a `(verdict, score, tier)` tuple; `compiled.evaluate(record)`
    a full `Result` whose outcomes equal the reference evaluator's.  Build one with
    `Profile.compile()` (or `compile_profile`).
    """

    __slots__ = (
        "as_of", "details", "judge", "kept_out", "lone", "outcomes", "plain_keys", "profile",
        "reason_rules", "score", "source",
    )  # fmt: skip

    def __init__(self, profile: BoundProfile, as_of: datetime.date, functions: Functions) -> None:
        self.profile = profile
        self.as_of = as_of
        #: The generated functions: record → (verdict, score, tier) / (..., truths), and
        #: (truths, tier, explainer) → outcomes.
        self.score, self.judge, self.outcomes, self.source = functions
        #: Per rule, the predicate that is its whole condition (through defines), or None.
        self.lone = tuple(_lone_predicate(profile, bound.node) for bound in profile.rules)
        #: Details of one-predicate rules already explained, by rule, truth and value
        #: (`Explainer.detail`): accounts share values, and the text is the value's alone.
        self.details: dict[tuple[Any, ...], Detail] = {}
        #: Per rule, the key a plain dict holds its lone predicate's value under, when the
        #: reader takes that key as it is (`brief` looks the detail up without a reader).
        self.plain_keys = tuple(
            _lone_key(profile, bound.node, lone)
            for bound, lone in zip(profile.rules, self.lone, strict=True)
        )
        #: Per verdict, the rules that can be its reasons, each with the truths that make
        #: it one (`brief`).
        self.reason_rules = {
            verdict: tuple(
                (index, truths)
                for index, bound in enumerate(profile.rules)
                if bound.info.kind in REASON_KINDS
                and (truths := truths_reported(bound.info.kind, statuses))
            )
            for verdict, statuses in REASON_STATUSES.items()
        }
        #: The rules that can keep an account out, with the truths that do (`brief`).
        self.kept_out = tuple(
            (index, truths)
            for index, bound in enumerate(profile.rules)
            if (truths := truths_reported(bound.info.kind, KEPT_OUT.get(bound.info.kind, ())))
        )

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

    def brief(self, record: Any) -> Brief:
        """Verdict, score, tier, the reasons (`Result.reasons`, the same text) and the
        rules that kept the account out (indices into `profile.rules`: criteria that
        failed, disqualifiers that fired), without building every rule's outcome: what
        `icp eval` writes and counts."""
        verdict, score, tier, truths = self.judge(record)
        if not self.reason_rules[verdict]:  # a fit: no reasons, and nothing kept it out
            return verdict, score, tier, [], ()
        details, plain = self.details, self.plain_keys if record.__class__ is dict else None
        explainer = None
        reasons = []
        for index in self.reasons_given(verdict, truths):
            truth = truths[index]
            if plain is not None and (key := plain[index]) is not None:
                # The detail `Explainer.detail` kept for this value, found without it (an
                # absent key is left to the reader, which matches column names loosely).
                value = record.get(key, _ABSENT)
                if value is None:
                    value = MISSING
                kind = value.__class__
                if kind in _PLAIN_KINDS or value is MISSING or (kind is str and value.strip()):
                    known = details.get((index, truth, kind, value))
                    if known is not None:
                        reasons.append(known[1])
                        continue
            if explainer is None:
                explainer = Explainer(self, record, score, truths)
            reasons.append(explainer.detail(index)[1])
        return verdict, score, tier, reasons, self.kept(truths)

    def reasons_given(self, verdict: Verdict, truths: tuple[Any, ...]) -> tuple[int, ...]:
        """The rules whose reasons `Result.reasons` lists for `verdict`, in order."""
        return tuple([index for index, wanted in self.reason_rules[verdict]
                      if truths[index] in wanted])  # fmt: skip

    def kept(self, truths: tuple[Any, ...]) -> tuple[int, ...]:
        """The rules that kept the account out: criteria that failed, disqualifiers that
        fired (indices into `profile.rules`)."""
        return tuple([index for index, wanted in self.kept_out if truths[index] in wanted])

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
    truths `judge` found, built when first read; each outcome's value seen and reason
    are explained when first read, by an `Explainer` (which does not hold the outcomes,
    so no reference cycle keeps them alive)."""

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
            explainer = Explainer(self._compiled, self._record, self._score, self._truths)
            outcomes = self._compiled.outcomes(self._truths, self._tier, explainer)
            self._outcomes = outcomes
        return outcomes

    def __reduce__(self) -> tuple[type[tuple[RuleOutcome, ...]], tuple[tuple[RuleOutcome, ...]]]:
        """Pickled and copied as the outcomes themselves, explained now."""
        return (tuple, (self.get(),))


class Explainer:
    """Explains a rule's outcome for one account when it is first read, with the
    reference evaluator's text: a rule that is one predicate is explained from its value
    and the truth the compiled code found; any other condition is judged again by the
    reference evaluator (the same truth, by the equivalence tests)."""

    __slots__ = ("_compiled", "_record", "_score", "_truths")

    def __init__(
        self, compiled: CompiledProfile, record: Any, score: int | float, truths: tuple[Any, ...]
    ) -> None:
        self._compiled = compiled
        self._record = record
        self._score = score
        self._truths = truths

    def detail(self, index: int) -> Detail:
        """Rule `index`'s value seen, reason and predicate outcomes."""
        compiled = self._compiled
        profile = compiled.profile
        bound = profile.rules[index]
        score = self._score if isinstance(bound.node, ast.Tier) else None
        lone = compiled.lone[index]
        if lone is None:
            context = Context(self._record, compiled.as_of, profile.defines, profile.reader, score)
            condition = bound.node.condition
            assert condition is not None
            truth, checks = ConditionEvaluator(context).visit(condition)
            return rule_detail(bound, truth, checks)
        truth = self._truths[index]
        value = seen_value(profile.reader, self._record, lone.field, score)
        key = _detail_key(index, truth, value)
        if key is not None:
            known = compiled.details.get(key)
            if known is not None:
                return _rebound(known, value) if value.__class__ is list else known
        context = Context(self._record, compiled.as_of, profile.defines, profile.reader, score)
        _, checks = KnownValue(context, value, truth).visit(lone)
        detail = rule_detail(bound, truth, checks)
        if key is not None:
            if len(compiled.details) >= KEPT_ENTRIES:
                compiled.details.clear()
            compiled.details[key] = detail
        return detail


#: Classes `brief` looks kept details up for directly (text, if not blank, too).
_PLAIN_KINDS = frozenset({int, bool})


#: Value classes whose equal values read alike: a value of another class (a float, whose
#: 0.0 and -0.0 are equal; a Decimal, whose 1.0 and 1.00 are) is explained every time.
_KEYED = frozenset({str, int, bool, type(None), type(MISSING)})


#: Items a kept detail's list or tuple holds at most (text items only, of at most
#: KEPT_TEXT_LENGTH characters in all; `icpdsl.kept`).
_KEPT_ITEMS = 32


def _detail_key(index: int, truth: Any, value: Any) -> tuple[Any, ...] | None:
    """What a one-predicate rule's detail depends on, or None when it is not to be kept.
    A list or tuple of text (a tech stack) is kept by its items: accounts share a few
    hundred stacks, and explaining a `has` costs more than any other predicate."""
    kind = value.__class__
    if kind is list or kind is tuple:
        if len(value) > _KEPT_ITEMS:
            return None
        size = 0
        for item in value:
            if item.__class__ is not str:
                return None
            size += len(item)
        return (index, truth, kind, tuple(value)) if size <= KEPT_TEXT_LENGTH else None
    if kind not in _KEYED or (kind is str and len(value) > KEPT_TEXT_LENGTH):
        return None
    return (index, truth, kind, value)


def _rebound(detail: Detail, value: list[Any]) -> Detail:
    """A kept detail of an equal list, made this account's: its value seen is the
    account's own list, as the reference evaluator gives it (the kept one is another
    account's, which may since have changed)."""
    kept, reason, checks = detail
    if kept is value:
        return detail
    rebound = tuple(
        PredicateOutcome(c.field, c.status, value, c.expected, c.reason, c.gap)
        if c.actual is kept
        else c
        for c in checks
    )
    return value, reason, rebound


def _lone_key(profile: BoundProfile, rule: ast.Rule, lone: ast.Predicate | None) -> str | None:
    """The key a plain dict holds `lone`'s field under (`plain_key`), or None; a tier's
    `score` is the account's score, not a field."""
    if lone is None or (isinstance(rule, ast.Tier) and lone.field.parts == ("score",)):
        return None
    return plain_key(profile.reader, lone.field.parts)


def _lone_predicate(profile: BoundProfile, rule: ast.Rule) -> ast.Predicate | None:
    """The predicate that is the rule's whole condition, defines followed; else None."""
    node = rule.condition
    while isinstance(node, ast.Ref):
        node = profile.defines[node.name].condition
    if node is None or isinstance(node, (ast.Not, ast.And, ast.Or)):
        return None
    return node


def compile_profile(profile: BoundProfile, as_of: datetime.date | None = None) -> CompiledProfile:
    """Compile `profile` for `as_of` (default: the date its file pins, else today); the
    date is fixed in the result."""
    day = profile.evaluation_date(as_of)
    functions = build_functions(profile, day)
    # A subclass per compilation whose __call__ *is* the generated function saves a call.
    fast = type(
        "CompiledProfile",
        (CompiledProfile,),
        {"__slots__": (), "__call__": staticmethod(functions[0]), "__module__": __name__},
    )
    compiled: CompiledProfile = fast(profile, day, functions)
    return compiled
