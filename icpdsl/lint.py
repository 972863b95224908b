"""Lint: warnings with stable codes (ICP1xx) about rules that load but cannot be meant.

Warnings never stop a file from loading; `icp check` shows them and `--strict` fails on
them.  The reasoning about contradictions lives in `icpdsl.constraints`.  A warning is
silenced by a comment on its line: `# icp: ignore` or `# icp: ignore[ICP103]`.
"""

from __future__ import annotations

import contextlib
import difflib
import gc
import re
from collections.abc import Iterator, Mapping
from typing import Protocol

from . import ast
from .constraints import Analysis, Conjunction, TooComplex
from .errors import Diagnostic
from .program import BoundProfile, BoundRule
from .schema import Schema, id_rank
from .semantics.compare import AGE_SOURCES
from .source import Source, Span
from .visitor import walk

EMPTY_RANGE = "ICP101"
UNSATISFIABLE = "ICP102"
DUPLICATE_RULE = "ICP103"
ALWAYS_DISQUALIFIED = "ICP104"
NEVER_DISQUALIFIES = "ICP105"
UNREACHABLE_TIER = "ICP106"
TIER_GAP = "ICP107"
UNUSED_DEFINE = "ICP108"
UNUSED_FIELD = "ICP109"
NO_CRITERIA = "ICP110"
LOOKS_LIKE_DEFINE = "ICP111"

_NO_CRITERIA_HINT = "add the conditions a fitting account must meet, e.g. `employees 200..1000`"
#: The start of a file, where a warning about the whole file points.
_START = Span(0, 0, 1, 1, 1, 1)
_IGNORE = re.compile(r"#\s*icp:\s*ignore(?:\[([A-Z0-9,\s]+)\])?", re.IGNORECASE)


class Linted(Protocol):
    """What lint reads of a loaded document."""

    @property
    def profiles(self) -> Mapping[str, BoundProfile]: ...

    @property
    def modules(self) -> tuple[ast.Module, ...]: ...

    @property
    def schema(self) -> Schema: ...


def lint_document(document: Linted) -> list[Diagnostic]:
    """Warnings for a loaded document, sorted by location (`icpdsl.lint` also takes ICP
    text or a path)."""
    return Linter(document).run()


class Linter:
    """Runs every lint pass over one document; collects warnings once each."""

    def __init__(self, document: Linted) -> None:
        self.document = document
        self.sources = {m.filename: Source(m.text, m.filename) for m in document.modules}
        self.found: dict[tuple[str, str, int, int], Diagnostic] = {}
        self.root = document.modules[0] if document.modules else None

    def run(self) -> list[Diagnostic]:
        library = self.root is None or _is_library(self.root)
        for profile in self.document.profiles.values():
            self._ranges(profile)
            self._near_defines(profile)
            self._duplicates(profile)
            if not library and not profile.criteria:
                self._no_criteria(profile)
            with contextlib.suppress(TooComplex), _collection_paused():
                self._contradictions(profile)  # too large to analyse: stay silent
        if not library:
            self._unused_defines()
            self._unused_fields()
        ignored = self._suppressions()
        kept = [
            d
            for d in self.found.values()
            if not ({d.code, "*"} & ignored.get((d.filename, d.line), set()))
        ]
        return sorted(kept, key=Diagnostic.sort_key)

    def warn(
        self,
        code: str,
        message: str,
        filename: str,
        span: Span,
        hint: str | None = None,
        fix: str | None = None,
    ) -> None:
        source = self.sources.get(filename)
        diagnostic = Diagnostic.at(
            code, message, filename, span, source, severity="warning", hint=hint, fix=fix
        )
        self.found.setdefault((code, filename, span.line, span.column), diagnostic)

    def _suppressions(self) -> dict[tuple[str, int], set[str]]:
        ignored: dict[tuple[str, int], set[str]] = {}
        for module in self.document.modules:
            for comment in module.comments:
                match = _IGNORE.search(comment.text)
                if match is None:
                    continue
                codes = {c.strip().upper() for c in (match[1] or "*").split(",") if c.strip()}
                ignored.setdefault((module.filename, comment.span.line), set()).update(codes)
        return ignored

    # ------------------------------------------------------------------ single rules
    def _ranges(self, profile: BoundProfile) -> None:
        for filename, condition in _conditions(profile):
            for node in walk(condition):
                if isinstance(node, ast.Range) and _empty(node):
                    assert node.low is not None and node.high is not None
                    self.warn(
                        EMPTY_RANGE,
                        f"empty range: {node.low.text}..{node.high.text} holds no value",
                        filename,
                        node.span,
                        f"write the low end first: {node.high.text}..{node.low.text}",
                    )

    def _near_defines(self, profile: BoundProfile) -> None:
        """A bare name that is not a define but nearly one is most likely a typo."""
        if not profile.defines:
            return
        for filename, condition in _conditions(profile):
            for node in walk(condition):
                if not isinstance(node, ast.Truthy) or len(node.field.parts) != 1:
                    continue
                name = node.field.parts[0]
                if name in self.document.schema:
                    continue
                close = difflib.get_close_matches(name, list(profile.defines), n=1, cutoff=0.8)
                if close:
                    self.warn(
                        LOOKS_LIKE_DEFINE,
                        f"{name!r} is read as a true/false field, but there is a define "
                        f"named {close[0]!r}",
                        filename,
                        node.span,
                        f"did you mean {close[0]!r}?",
                        close[0],
                    )

    def _duplicates(self, profile: BoundProfile) -> None:
        seen: dict[ast.Rule, BoundRule] = {}
        for rule in profile.rules:
            first = seen.setdefault(rule.node, rule)
            if first is not rule:
                where = _where(first, rule.filename)
                self.warn(
                    DUPLICATE_RULE,
                    f"duplicate rule: the same as {where}",
                    rule.filename,
                    rule.node.span,
                    "remove one of them"
                    if not isinstance(rule.node, ast.Points)
                    else "points are added once per rule; merge them into one rule",
                )

    def _no_criteria(self, profile: BoundProfile) -> None:
        """A profile every account fits: no rules at all, or none that must hold."""
        declared = self._declaration(profile)
        if declared is None and profile.rules:  # a file of bare rules, none a criterion
            declared = profile.rules[0].node.span
        if declared is not None:
            subject = f"profile {profile.name!r}"
            if profile.rules:
                problem = f"{subject} has no criteria: every account that is not disqualified fits"
            else:
                problem = f"{subject} is empty: every account fits"
            self.warn(NO_CRITERIA, problem, profile.filename, declared, _NO_CRITERIA_HINT)
            return
        module = next(m for m in self.document.modules if m.filename == profile.filename)
        imports = [item for item in module.items if isinstance(item, ast.Import)]
        if imports:
            problem = "this file only imports: it has no rules of its own, so every account fits"
            hint = (
                "imported profiles are not scored here; extend one: "
                '`profile "Mine" extends "Base" {}`'
            )
            self.warn(NO_CRITERIA, problem, profile.filename, imports[0].span, hint)
            return
        problem = "this file has no profile and no rules: every account fits"
        self.warn(NO_CRITERIA, problem, profile.filename, _START, _NO_CRITERIA_HINT)

    def _declaration(self, profile: BoundProfile) -> Span | None:
        """Where `profile "Name"` is written, if it is (a file's bare rules are not)."""
        for module in self.document.modules:
            if module.filename == profile.filename:
                for item in module.items:
                    if isinstance(item, ast.ProfileDecl) and item.name == profile.name:
                        return item.span
        return None

    # ------------------------------------------------------------------ reasoning
    def _contradictions(self, profile: BoundProfile) -> None:
        analysis = Analysis(profile, self.document.schema)
        terms = [analysis.dnf(_condition(rule)) for rule in profile.criteria]
        fit, broken = analysis.conjoin(terms)
        if broken is not None:
            self._unsatisfiable(analysis, profile, terms, broken)
            return
        for rule in profile.disqualifiers:
            condition = _condition(rule)
            if _has_empty_range(condition, profile):
                continue
            if not analysis.meets(fit, analysis.dnf(condition)):
                self.warn(
                    NEVER_DISQUALIFIES,
                    "this disqualifier never fires for an account that meets the criteria",
                    rule.filename,
                    rule.node.span,
                    "it only turns not_fit into disqualified; drop it or fix its condition",
                )
            elif not analysis.meets(fit, analysis.not_true(condition)):
                self.warn(
                    ALWAYS_DISQUALIFIED,
                    "this disqualifier fires for every account that meets the criteria: "
                    "no account can fit",
                    rule.filename,
                    rule.node.span,
                )
        self._tiers(analysis, profile, fit)

    def _unsatisfiable(
        self,
        analysis: Analysis,
        profile: BoundProfile,
        terms: list[list[Conjunction]],
        index: int,
    ) -> None:
        """Say which criterion makes the criteria contradict: the first at which those up
        to it can no longer all hold, and the earlier one it contradicts (one pass over
        the criteria, then one over those before it: no pair is tried twice)."""
        criteria = profile.criteria
        if any(_has_empty_range(_condition(r), profile) for r in criteria[: index + 1]):
            return  # ICP101 says it already
        rule = criteria[index]
        if not analysis.satisfiable(terms[index]):
            message = "this criterion can never hold, so no account can fit"
            self.warn(UNSATISFIABLE, message, rule.filename, rule.node.span)
            return
        for earlier, other in enumerate(criteria[:index]):
            if not analysis.meets(terms[earlier], terms[index]):
                self.warn(
                    UNSATISFIABLE,
                    f"this criterion contradicts {_where(other, rule.filename)}: "
                    "no account can fit",
                    rule.filename,
                    rule.node.span,
                    "loosen one of the two criteria",
                )
                return
        message = "the criteria up to this one contradict each other: no account can fit"
        hint = "no two of them contradict alone: loosen one of those they combine"
        self.warn(UNSATISFIABLE, message, rule.filename, rule.node.span, hint)

    def _tiers(self, analysis: Analysis, profile: BoundProfile, fit: list[Conjunction]) -> None:
        tiers = profile.tiers
        if not tiers:
            return
        context = analysis.both(fit, analysis.score_terms(fit))
        earlier = analysis.running()  # the tiers not taken so far
        catch_all: BoundRule | None = None
        for rule in tiers:
            node = rule.node
            assert isinstance(node, ast.Tier)
            if catch_all is not None:
                self.warn(
                    UNREACHABLE_TIER,
                    f"tier {node.name} can never be reached: it comes "
                    f"after {_where(catch_all, rule.filename)}",
                    rule.filename,
                    node.span,
                )
                continue
            if node.condition is None:
                catch_all = rule
                continue
            own = analysis.dnf(node.condition, in_tier=True)
            if not analysis.meets(context, own):
                self.warn(
                    UNREACHABLE_TIER,
                    f"tier {node.name} can never be reached: its "
                    "condition cannot hold for a fitting account",
                    rule.filename,
                    node.span,
                )
            elif not analysis.meets(context, earlier, own):
                self.warn(
                    UNREACHABLE_TIER,
                    f"tier {node.name} can never be reached: earlier "
                    "tiers take every account it would get",
                    rule.filename,
                    node.span,
                )
            earlier.add(analysis.not_true(node.condition, in_tier=True))
        if catch_all is None:
            self._gap(analysis, analysis.both(context, earlier.terms()), tiers[-1])

    def _gap(self, analysis: Analysis, uncovered: list[Conjunction], last: BoundRule) -> None:
        witness = analysis.witness(uncovered)
        if witness is None:
            return
        example = f" (e.g. {witness})" if witness else ""
        self.warn(
            TIER_GAP,
            f"the tiers leave a gap: some fitting accounts get no tier{example}",
            last.filename,
            last.node.span,
            "end the tiers with `tier NAME otherwise`",
        )

    # ------------------------------------------------------------------ unused names
    def _unused_defines(self) -> None:
        assert self.root is not None
        used = {
            node.name
            for profile in self.document.profiles.values()
            for _, condition in _conditions(profile)
            for node in walk(condition)
            if isinstance(node, ast.Ref)
        }
        for define in _defines_in(self.root):
            if define.name not in used:
                self.warn(
                    UNUSED_DEFINE,
                    f"{define.name!r} is defined but never used",
                    self.root.filename,
                    define.span,
                    "use it in a rule or remove it",
                )

    def _unused_fields(self) -> None:
        assert self.root is not None
        used: set[str] = set()
        for profile in self.document.profiles.values():
            for _, condition in _conditions(profile):
                for node in walk(condition):
                    field = getattr(node, "field", None)
                    if isinstance(field, ast.Path):
                        used.add(field.parts[0])
        if "age" in used:
            used.update(AGE_SOURCES)
        reported: set[str] = set()
        for item in self.root.items:
            if not isinstance(item, ast.Fields):
                continue
            for decl in item.decls:
                if id_rank(decl.name) is not None:  # names the account in icp eval / explain
                    continue
                if decl.name not in used and decl.name not in reported:
                    reported.add(decl.name)
                    self.warn(
                        UNUSED_FIELD,
                        f"field {decl.name!r} is declared but no rule uses it",
                        self.root.filename,
                        decl.span,
                        "remove it or use it in a rule",
                    )


# ---------------------------------------------------------------------- helpers


@contextlib.contextmanager
def _collection_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while a profile is analysed.  The analysis
    keeps a state per field it has seen and makes no reference cycles (reference
    counting frees it all), but each collector pass walks every live state: on 10,000
    rules the passes cost as much as the analysis and made it grow faster than linearly.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _empty(node: ast.Range) -> bool:
    low, high = node.low, node.high
    if low is None or high is None or low.kind != high.kind:
        return False
    if low.kind == "duration":
        assert isinstance(low.value, ast.Duration) and isinstance(high.value, ast.Duration)
        return low.value.unit == high.value.unit and low.value.amount > high.value.amount
    if low.kind in ("number", "date"):
        return bool(low.value > high.value)  # type: ignore[operator]
    return False


def _has_empty_range(condition: ast.Condition, profile: BoundProfile) -> bool:
    for node in walk(condition):
        if isinstance(node, ast.Range) and _empty(node):
            return True
        if isinstance(node, ast.Ref) and _has_empty_range(
            profile.defines[node.name].condition, profile
        ):
            return True
    return False


def _where(rule: BoundRule, filename: str) -> str:
    place = f"line {rule.line}" if rule.filename == filename else f"{rule.filename}:{rule.line}"
    return f"`{rule.text}` ({place})"


def _condition(rule: BoundRule) -> ast.Condition:
    condition = getattr(rule.node, "condition", None)
    assert condition is not None
    return condition  # type: ignore[no-any-return]


def _conditions(profile: BoundProfile) -> Iterator[tuple[str, ast.Condition]]:
    for rule in profile.rules:
        condition = getattr(rule.node, "condition", None)
        if condition is not None:
            yield rule.filename, condition
    for define in profile.defines.values():
        yield define.filename, define.condition


def _is_library(module: ast.Module) -> bool:
    """A file of shared fields and defines, written to be imported: no profile, no rule."""
    kinds = {item.__class__ for item in module.items}
    scored = {ast.ProfileDecl, ast.Criterion, ast.Disqualifier, ast.Points, ast.Tier}
    return bool(kinds & {ast.Define, ast.Fields}) and not kinds & scored


def _defines_in(module: ast.Module) -> Iterator[ast.Define]:
    for item in module.items:
        if isinstance(item, ast.Define):
            yield item
        elif isinstance(item, ast.ProfileDecl):
            yield from (s for s in item.body if isinstance(s, ast.Define))


__all__ = ["Linter", "lint_document"]
