"""What an engine yields for each input record: verdicts per profile, or the read error."""

from __future__ import annotations

from typing import Any, NamedTuple

import attrs

from ..result import Result, RuleInfo, RuleOutcome, Verdict, json_value
from ..semantics.verdict import KEPT_OUT


@attrs.frozen(cache_hash=True)  # counted once per failing account
class RuleRef:
    """A rule as summaries name it: its text and where it is written."""

    profile: str
    text: str
    filename: str
    line: int

    @classmethod
    def of(cls, profile: str, outcome: RuleOutcome) -> RuleRef:
        """The rule of `outcome` in `profile`: one RuleRef per rule, made once, so that
        summaries count accounts by a rule without comparing its fields."""
        return cls.of_info(profile, outcome.info)

    @classmethod
    def of_info(cls, profile: str, info: RuleInfo) -> RuleRef:
        """The RuleRef of the rule `info` describes in `profile` (see `of`)."""
        key = (profile, id(info))
        known = _REFS.get(key)
        if known is None or known[0] is not info:
            if len(_REFS) >= _REFS_KEPT:  # a process that scores profiles without end
                _REFS.clear()
            known = _REFS[key] = (info, cls(profile, info.rule, info.filename, info.line))
        return known[1]


#: RuleRefs made so far, by profile and rule (each kept with its rule, so a reused id is
#: never mistaken for another rule's).
_REFS: dict[tuple[str, int], tuple[Any, RuleRef]] = {}
_REFS_KEPT = 100_000


class ProfileScore(NamedTuple):
    """One account against one profile: verdict, score, tier and the short reasons.

    `failed` holds the criteria that failed and the disqualifiers that fired (what a
    summary counts); `result` is the full Result when the engine was asked to explain.
    A named tuple, like `ScoredRow`: one is made per account and profile, and a tuple is
    made several times faster than a frozen attrs class.
    """

    profile: str
    verdict: Verdict
    score: int | float
    tier: str | None
    reasons: tuple[str, ...] = ()
    failed: tuple[RuleRef, ...] = ()
    result: Result | None = None

    @classmethod
    def from_result(cls, result: Result) -> ProfileScore:
        """Verdict, score, tier, reasons and failed rules from an explained `result`,
        which is kept (for `--explain`'s every rule)."""
        failed = tuple(
            RuleRef.of(result.profile, o) for o in result.rules if o.status == KEPT_OUT.get(o.kind)
        )
        return cls(result.profile, result.verdict, result.score, result.tier,
                   tuple(result.reasons), failed, result)  # fmt: skip

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "verdict": self.verdict.value,
            "score": json_value(self.score),
            "tier": self.tier,
            "reasons": list(self.reasons),
        }
        if self.result is not None:
            out["rules"] = [o.to_dict() for o in self.result.rules]
        return out


class ScoredRow(NamedTuple):
    """One input record's outcome: scores per profile (file order), or why it failed.

    `number` and `line` are the input Row's; `closest` is the profile the account came
    nearest to fitting (`DocumentResult.closest`); `missing` names the fields the
    profiles read that this record lacks.
    """

    number: int
    line: int | None
    id: str | None
    scores: tuple[ProfileScore, ...] = ()
    closest: ProfileScore | None = None
    missing: tuple[str, ...] = ()
    error: str | None = None
    #: The row's output text, when a worker process wrote it (`icpdsl.batch.parallel`):
    #: the scores then keep only what a summary counts (no reasons, no Results).
    text: str | None = None
    #: Rows with equal tallies count alike in a summary (verdicts, tiers, rules that
    #: kept them out, missing fields), so a summary counts them once per tally
    #: (`Summary.add`); None: counted row by row.
    tally: object | None = None

    def written(self, text: str) -> ScoredRow:
        """This row with its output `text`, less what only that text needed."""
        slim = tuple(
            [ProfileScore(s.profile, s.verdict, s.score, s.tier, (), s.failed) for s in self.scores]
        )
        closest = next((slim[i] for i, s in enumerate(self.scores) if s is self.closest), None)
        return ScoredRow(self.number, self.line, self.id, slim, closest, self.missing,
                         self.error, text)  # fmt: skip

    @property
    def best(self) -> ProfileScore | None:
        """The profile the account fits (the first), or None when it fits none."""
        closest = self.closest
        return closest if closest is not None and closest.verdict is Verdict.FIT else None

    @property
    def verdict(self) -> str:
        """The closest profile's verdict, or `error` for a record that could not be read."""
        if self.closest is None:
            return "error"
        return self.closest.verdict.value

    @property
    def rank(self) -> tuple[int, int | float]:
        """How `--top` orders rows: fits first, then unknown, not_fit, disqualified; then
        by score.  Unreadable rows come last."""
        if self.closest is None:
            return (-1, float("-inf"))
        return (_RANKS[self.closest.verdict], self.closest.score)


_RANKS = {Verdict.FIT: 3, Verdict.UNKNOWN: 2, Verdict.NOT_FIT: 1, Verdict.DISQUALIFIED: 0}
