"""ScoredRows as output rows: the flat columns of a table or CSV, the objects of JSON."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..result import format_value, json_value
from .rows import ProfileScore, ScoredRow

#: How a table colours verdicts (ANSI styles).
VERDICT_STYLES = {
    "fit": "32",
    "not_fit": "33",
    "disqualified": "31",
    "unknown": "36",
    "error": "1;31",
}


class Layout:
    """The output columns for a set of profiles.

    One profile: `row, <id>, verdict, score, tier, reason`.  Several: one verdict column
    per profile, then `best` (the profile the account fits, blank for none) and the score,
    tier and reason of the profile it came closest to.  `--explain`
    adds `explanation`; CSV also has `error` (blank unless the row could not be read).
    """

    def __init__(self, profiles: Sequence[str], id_name: str, *, explain: bool) -> None:
        self.profiles = list(profiles)
        self.id_name = id_name
        self.explain = explain
        self.single = len(self.profiles) == 1
        verdicts = ["verdict"] if self.single else self.profiles
        best = [] if self.single else ["best"]
        self.verdict_columns = verdicts
        self.columns = ["row", id_name, *verdicts, *best, "score", "tier", "reason"]

    def flat(self, row: ScoredRow) -> dict[str, Any]:
        """One line of a table or CSV; `reason` holds the error of an unreadable row."""
        out: dict[str, Any] = {"row": row.number, self.id_name: row.id}
        if row.error is not None:
            for column in self.verdict_columns:
                out[column] = "error"
            out["reason"] = f"line {row.line}: {row.error}" if row.line else row.error
            out["error"] = row.error
            return out
        if self.single:
            out["verdict"] = row.scores[0].verdict.value
        else:
            out.update({s.profile: s.verdict.value for s in row.scores})
            out["best"] = row.best.profile if row.best is not None else None
        closest = row.closest
        if closest is not None:
            out["score"] = score_text(closest.score)
            out["tier"] = closest.tier
            out["reason"] = self.reason(closest)
        return out

    def reason(self, closest: ProfileScore) -> str:
        """The reasons of the profile an account came closest to; with several profiles,
        named (`SaaS: employees 540 is above 50..200`), as no `best` names it."""
        reasons = "; ".join(closest.reasons)
        return f"{closest.profile}: {reasons}" if reasons and not self.single else reasons

    def csv_columns(self) -> list[str]:
        return [*self.columns, *(["explanation"] if self.explain else []), "error"]

    def csv_cells(self, row: ScoredRow) -> list[Any]:
        """One CSV line's cells, in `csv_columns` order (None for a blank)."""
        number, _, id_, _, closest, _, error, _, _ = row  # unpacked: one step, not five
        if self.single and not self.explain and error is None and closest is not None:
            # The common line, without the dict `flat` builds: the same cells.  The
            # verdict, a StrEnum, is written as its text.
            _, verdict, score, tier, reasons, _, _ = closest
            return [number, id_, verdict, score_text(score), tier, "; ".join(reasons), None]
        out = self.flat(row)
        if self.explain:
            out["explanation"] = self.explanation(row)
        return [out.get(column) for column in self.csv_columns()]

    def explanation(self, row: ScoredRow) -> str | None:
        """Every rule's outcome, per profile (only when the engine kept the Results)."""
        results = [s.result for s in row.scores if s.result is not None]
        return "\n".join(r.explain() for r in results) or None

    def document(self, row: ScoredRow) -> dict[str, Any]:
        """One JSON object: the flat fields plus every profile's verdict and reasons."""
        out: dict[str, Any] = {"row": row.number, "line": row.line, "id": row.id}
        if row.error is not None:
            out.update(verdict="error", error=row.error)
            return out
        best, closest = row.best, row.closest
        out.update(
            verdict=row.verdict,
            best=best.profile if best is not None else None,
            closest=closest.profile if closest is not None else None,
            score=json_value(closest.score) if closest is not None else None,
            tier=closest.tier if closest is not None else None,
            reasons=list(closest.reasons) if closest is not None else [],
            missing=list(row.missing),
            profiles={s.profile: s.to_dict() for s in row.scores},
        )
        return out


def score_text(score: int | float) -> str:
    """A score as output columns write it: as explanations show it, without separators."""
    if score.__class__ is int and -(10**15) < score < 10**15:
        return str(score)  # what format_value shows, less its commas, without the call
    return format_value(score).replace(",", "")
