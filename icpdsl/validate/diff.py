"""Compare two versions of an ICP: rules added, removed and changed, and, given accounts,
which of them change verdict or tier and which rule change is responsible."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Literal

import attrs

from .. import ast
from ..document import Document, Profile
from ..program import BoundDefine, BoundRule
from ..result import Result, RuleOutcome
from ..visitor import predicates, references
from .history import DataRow

ChangeKind = Literal["added", "removed", "changed"]


@attrs.frozen
class RuleChange:
    """One rule that differs: added (only `new`), removed (only `old`), or changed."""

    kind: ChangeKind
    old: BoundRule | None
    new: BoundRule | None
    #: For a rule whose text is the same: the defines it uses that changed.
    defines: tuple[str, ...] = ()

    @property
    def rule(self) -> BoundRule:
        """The rule as it stands now (or stood, for a removed rule)."""
        rule = self.new or self.old
        assert rule is not None
        return rule

    @property
    def rule_kind(self) -> str:
        return type(self.rule.node).__name__.lower()

    def describe(self) -> str:
        """`+ employees 200..1000`, `- tech has Slack`, `~ a → b`."""
        if self.old is None:
            return f"+ {self.rule.text}"
        if self.new is None:
            return f"- {self.old.text}"
        if self.old.text == self.new.text:
            return f"~ {self.new.text} (define {', '.join(self.defines)} changed)"
        return f"~ {self.old.text} → {self.new.text}"


@attrs.frozen
class ProfileDiff:
    """How one profile differs between the two versions."""

    name: str
    status: Literal["added", "removed", "changed", "unchanged"]
    changes: tuple[RuleChange, ...] = ()
    #: True when the same rules stand in a different order (tier order decides tiers).
    reordered: bool = False


@attrs.frozen
class AccountChange:
    """One account whose verdict or tier differs between the versions."""

    number: int
    id: str
    profile: str
    before: str
    after: str
    score_before: float | None
    score_after: float | None
    #: The rule changes that explain it (`describe()` texts), in rule order.
    responsible: tuple[str, ...]


@attrs.frozen
class Impact:
    """What the rule changes do to a set of accounts."""

    accounts: int
    unreadable: int
    changes: tuple[AccountChange, ...]

    @property
    def verdict_changes(self) -> int:
        return sum(_verdict(c.before) != _verdict(c.after) for c in self.changes)

    @property
    def tier_changes(self) -> int:
        return len(self.changes) - self.verdict_changes

    def transitions(self) -> list[tuple[str, str, str, int]]:
        """(profile, before, after, accounts), most accounts first."""
        counts = Counter((c.profile, c.before, c.after) for c in self.changes)
        return [(p, b, a, n) for (p, b, a), n in counts.most_common()]

    def by_rule(self) -> list[tuple[str, str, int]]:
        """(profile, rule change, accounts it moves), most accounts first."""
        counts = Counter((c.profile, rule) for c in self.changes for rule in c.responsible)
        return [(p, r, n) for (p, r), n in counts.most_common()]


@attrs.frozen
class DocumentDiff:
    old: str
    new: str
    profiles: tuple[ProfileDiff, ...]
    impact: Impact | None = None

    @property
    def changed(self) -> bool:
        return any(p.status != "unchanged" for p in self.profiles)


# ---------------------------------------------------------------- rule changes


def diff_documents(old: Document, new: Document) -> DocumentDiff:
    """The rule-level differences between two loaded versions of an ICP."""
    profiles: list[ProfileDiff] = []
    for name, profile in old.profiles.items():
        if name not in new.profiles:
            changes = tuple(RuleChange("removed", r, None) for r in profile.rules)
            profiles.append(ProfileDiff(name, "removed", changes))
        else:
            profiles.append(diff_profiles(profile, new.profiles[name]))
    for name, profile in new.profiles.items():
        if name not in old.profiles:
            changes = tuple(RuleChange("added", None, r) for r in profile.rules)
            profiles.append(ProfileDiff(name, "added", changes))
    return DocumentDiff(old.filename, new.filename, tuple(profiles))


def diff_profiles(old: Profile, new: Profile) -> ProfileDiff:
    """Match rules by structure (AST equality, spans ignored), then pair what is left by
    what the rule is about: a points rule with the same condition, a tier of the same
    name, a criterion or disqualifier on the same fields."""
    old_keys = [_identity(r, old.defines) for r in old.rules]
    new_keys = [_identity(r, new.defines) for r in new.rules]
    unmatched_old = list(range(len(old.rules)))
    unmatched_new: list[int] = []
    matched: list[tuple[int, int]] = []
    for j, key in enumerate(new_keys):
        i = next((i for i in unmatched_old if old_keys[i] == key), None)
        if i is None:
            unmatched_new.append(j)
        else:
            unmatched_old.remove(i)
            matched.append((i, j))
    pairs: list[tuple[int, int]] = []
    for similar in (_same_node, _same_subject, _same_fields):
        for j in list(unmatched_new):
            i = next((i for i in unmatched_old if similar(old.rules[i], new.rules[j])), None)
            if i is not None:
                unmatched_old.remove(i)
                unmatched_new.remove(j)
                pairs.append((i, j))
    changes = [
        RuleChange("changed", old.rules[i], new.rules[j], _changed_defines(old, new, i, j))
        for i, j in pairs
    ]
    changes += [RuleChange("removed", old.rules[i], None) for i in unmatched_old]
    changes += [RuleChange("added", None, new.rules[j]) for j in unmatched_new]
    changes.sort(key=_position)
    # only tiers are order-sensitive: the first that holds names the tier
    tiers = [(i, j) for i, j in matched if isinstance(old.rules[i].node, ast.Tier)]
    order = [i for i, _ in sorted(tiers, key=lambda pair: pair[1])]
    reordered = order != sorted(order)
    if changes or reordered:
        return ProfileDiff(old.name, "changed", tuple(changes), reordered)
    return ProfileDiff(old.name, "unchanged")


def _position(change: RuleChange) -> tuple[int, int]:
    """Changes in the order of the new file's rules, removed rules after them."""
    return (0 if change.new else 1, change.rule.line)


def _identity(rule: BoundRule, defines: Mapping[str, BoundDefine]) -> tuple[object, ...]:
    """A rule's node with the conditions of every define it uses (defines can change
    what a rule means without changing its text)."""
    used = sorted(_refs(_condition(rule.node), defines))
    return (rule.node, tuple((name, defines[name].condition) for name in used))


def _changed_defines(old: Profile, new: Profile, i: int, j: int) -> tuple[str, ...]:
    if old.rules[i].node != new.rules[j].node:
        return ()
    names = _refs(_condition(new.rules[j].node), new.defines)
    return tuple(
        sorted(
            n
            for n in names
            if n not in old.defines or old.defines[n].condition != new.defines[n].condition
        )
    )


def _same_node(old: BoundRule, new: BoundRule) -> bool:
    return old.node == new.node


def _same_subject(old: BoundRule, new: BoundRule) -> bool:
    """Points on the same condition, a tier of the same name, a disqualifier's reason."""
    a, b = old.node, new.node
    if isinstance(a, ast.Points) and isinstance(b, ast.Points):
        return a.condition == b.condition
    if isinstance(a, ast.Tier) and isinstance(b, ast.Tier):
        return a.name == b.name
    if isinstance(a, ast.Disqualifier) and isinstance(b, ast.Disqualifier):
        return a.reason is not None and a.reason == b.reason
    return False


def _same_fields(old: BoundRule, new: BoundRule) -> bool:
    """Rules of one kind testing the same fields: an edited range, a longer list."""
    if type(old.node) is not type(new.node):
        return False
    fields = _fields(_condition(old.node))
    return bool(fields) and fields == _fields(_condition(new.node))


def _condition(node: ast.Rule) -> ast.Condition | None:
    return node.condition


def _fields(node: ast.Condition | None) -> frozenset[str]:
    return frozenset(n.field.name for n in predicates(node)) | frozenset(
        f"define {n.name}" for n in references(node)
    )


def _refs(node: ast.Condition | None, defines: Mapping[str, BoundDefine]) -> set[str]:
    """Every define `node` uses, directly or through other defines."""
    found: set[str] = set()
    pending = [n.name for n in references(node)]
    while pending:
        name = pending.pop()
        if name in found or name not in defines:
            continue
        found.add(name)
        pending += [n.name for n in references(defines[name].condition)]
    return found


# ---------------------------------------------------------------- impact on accounts


def impact(
    diff: DocumentDiff,
    old: Document,
    new: Document,
    rows: Sequence[DataRow],
    *,
    as_of: datetime.date | None = None,
    unreadable: int = 0,
) -> DocumentDiff:
    """`diff` with the accounts of `rows` whose verdict or tier differs between versions."""
    today = datetime.date.today()  # one date for both versions, unless a file pins its own
    changes: list[AccountChange] = []
    for profile in diff.profiles:
        before_profile = old.profiles.get(profile.name)
        after_profile = new.profiles.get(profile.name)
        before_day = as_of or (before_profile.as_of if before_profile else None) or today
        after_day = as_of or (after_profile.as_of if after_profile else None) or today
        for row in rows:
            before = (
                before_profile.evaluate(row.record, as_of=before_day) if before_profile else None
            )
            after = after_profile.evaluate(row.record, as_of=after_day) if after_profile else None
            change = account_change(row, profile, before, after)
            if change is not None:
                changes.append(change)
    changes.sort(key=lambda c: (c.number, c.profile))
    return attrs.evolve(diff, impact=Impact(len(rows), unreadable, tuple(changes)))


def state(result: Result | None) -> str:
    """`fit (tier A)`, `not_fit`, or `absent` when the profile does not exist."""
    if result is None:
        return "absent"
    return f"fit (tier {result.tier})" if result.tier else str(result.verdict)


def _verdict(state_text: str) -> str:
    return state_text.split(" ", 1)[0]


def account_change(
    row: DataRow, profile: ProfileDiff, before: Result | None, after: Result | None
) -> AccountChange | None:
    """How one account's state moves under one profile, or None when it does not (for a
    profile only one version has, only a fit counts); `before`/`after` without rule
    outcomes (the compiled path) give the move with no rule change named."""
    old_state, new_state = state(before), state(after)
    if old_state == new_state:
        return None
    if before is None or after is None:  # a profile added or removed: only fits matter
        present = before or after
        if present is None or not present.fit:
            return None
        return AccountChange(
            number=row.number,
            id=row.id,
            profile=profile.name,
            before=old_state,
            after=new_state,
            score_before=float(before.score) if before else None,
            score_after=float(after.score) if after else None,
            responsible=(f"profile {profile.status}",),
        )
    involved = [c for c in profile.changes if _matters(c, before, after)]
    if before.verdict != after.verdict:
        # a verdict moves only through criteria and disqualifiers; points move tiers
        deciding = [c for c in involved if c.rule_kind in ("criterion", "disqualifier")]
        involved = deciding or involved
    responsible = tuple(c.describe() for c in involved)
    return AccountChange(
        number=row.number,
        id=row.id,
        profile=profile.name,
        before=old_state,
        after=new_state,
        score_before=float(before.score),
        score_after=float(after.score),
        responsible=responsible or (("tier order",) if profile.reordered else ()),
    )


def _matters(change: RuleChange, before: Result | None, after: Result | None) -> bool:
    """Whether this rule change plays a part in this account's new verdict or tier."""
    old = _outcome(change.old, before)
    new = _outcome(change.new, after)
    if old is None and new is None:
        return False
    if old is None or new is None:
        return _effect(old or new) != _NEUTRAL
    return _effect(old) != _effect(new)


_NEUTRAL: tuple[object, ...] = ("neutral",)


def _outcome(rule: BoundRule | None, result: Result | None) -> RuleOutcome | None:
    """The outcome of `rule` in `result` (outcomes are in rule order)."""
    if rule is None or result is None:
        return None
    for outcome in result.rules:
        if (outcome.filename, outcome.line, outcome.column) == (
            rule.filename,
            rule.line,
            rule.column,
        ):
            return outcome
    return None


def _effect(outcome: RuleOutcome | None) -> tuple[object, ...]:
    """What a rule outcome does to the verdict, score and tier."""
    if outcome is None:
        return _NEUTRAL
    if outcome.kind == "points":
        return ("points", outcome.points) if outcome.points else _NEUTRAL
    if outcome.kind == "tier":
        return ("tier", outcome.label) if outcome.status == "pass" else _NEUTRAL
    if outcome.status in ("pass", "clear"):
        return _NEUTRAL
    return (outcome.status,)
