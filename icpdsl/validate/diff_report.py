"""An ICP diff as text, as Markdown for a pull-request comment, and as JSON-ready data."""

from __future__ import annotations

from typing import Any

from ..source import escape
from .diff import AccountChange, DocumentDiff, ProfileDiff, RuleChange


def render_text(diff: DocumentDiff, *, limit: int = 50) -> str:
    lines = [f"icp diff {diff.old} → {diff.new}"]
    for profile in diff.profiles:
        lines.append("")
        lines.append(_profile_heading(profile))
        lines += [f"  {_where(c)}  {c.describe()}" for c in profile.changes]
        if profile.reordered:
            lines.append("  tiers reordered (the first tier that holds names the tier)")
    if not diff.changed:
        lines += ["", "no rule changes"]
    impact = diff.impact
    if impact is not None:
        lines += ["", _impact_heading(diff)]
        for name, before, after, count in impact.transitions():
            lines.append(f"  {count:>6,}  {name}: {before} → {after}")
        if impact.changes:
            lines += ["", "by rule change (an account can have several):"]
            for name, rule, count in impact.by_rule():
                lines.append(f"  {count:>6,}  {name}: {rule}")
            shown = impact.changes[:limit] if limit else impact.changes
            lines += ["", f"accounts ({_shown(len(shown), len(impact.changes))}):"]
            lines += [f"  {_account_line(c)}" for c in shown]
    return "\n".join(escape(line) for line in lines) + "\n"  # texts of ICP files and data


def render_markdown(diff: DocumentDiff, *, limit: int = 50) -> str:
    """A pull-request comment: rule changes, impact counts, and the accounts in a fold."""
    out = [f"### ICP diff: `{diff.old}` → `{diff.new}`", ""]
    for profile in diff.profiles:
        out.append(f"**{_md(_profile_heading(profile))}**")
        out.append("")
        if profile.changes:
            out += ["| | Rule | Kind | Line |", "|---|---|---|---|"]
            for change in profile.changes:
                out.append(
                    f"| {change.kind} | {_md_rule(change)} | {change.rule_kind} | "
                    f"{_where(change).strip()} |"
                )
            out.append("")
        if profile.reordered:
            out += ["Tiers were reordered (the first tier that holds names the tier).", ""]
    if not diff.changed:
        out += ["No rule changes.", ""]
    impact = diff.impact
    if impact is None:
        return "\n".join(escape(line) for line in out)
    out += [f"**{_md(_impact_heading(diff))}**", ""]
    if impact.changes:
        out += ["| Profile | Before | After | Accounts |", "|---|---|---|---:|"]
        out += [f"| {_md(p)} | {b} | {a} | {n:,} |" for p, b, a, n in impact.transitions()]
        out += ["", "| Rule change | Accounts |", "|---|---:|"]
        out += [f"| {_md(r)} | {n:,} |" for _, r, n in impact.by_rule()]
        shown = impact.changes[:limit] if limit else impact.changes
        out += [
            "",
            f"<details><summary>Changed accounts ({_shown(len(shown), len(impact.changes))})"
            "</summary>",
            "",
            "| Account | Profile | Before | After | Score | Because |",
            "|---|---|---|---|---|---|",
        ]
        for account in shown:
            out.append(
                f"| {_md(account.id)} | {_md(account.profile)} | {account.before} | "
                f"{account.after} | {_score(account)} | "
                f"{'<br>'.join(_md(r) for r in account.responsible)} |"
            )
        out += ["", "</details>"]
    return "\n".join(escape(line) for line in out) + "\n"


def to_dict(diff: DocumentDiff) -> dict[str, Any]:
    data: dict[str, Any] = {
        "old": diff.old,
        "new": diff.new,
        "changed": diff.changed,
        "profiles": [
            {
                "name": p.name,
                "status": p.status,
                "reordered": p.reordered,
                "changes": [_change_dict(c) for c in p.changes],
            }
            for p in diff.profiles
        ],
    }
    impact = diff.impact
    if impact is not None:
        data["impact"] = {
            "accounts": impact.accounts,
            "unreadable": impact.unreadable,
            "changed_accounts": len(impact.changes),
            "verdict_changes": impact.verdict_changes,
            "tier_changes": impact.tier_changes,
            "transitions": [
                {"profile": p, "before": b, "after": a, "accounts": n}
                for p, b, a, n in impact.transitions()
            ],
            "by_rule": [{"profile": p, "change": r, "accounts": n} for p, r, n in impact.by_rule()],
            "accounts_changed": [
                {
                    "row": c.number,
                    "id": c.id,
                    "profile": c.profile,
                    "before": c.before,
                    "after": c.after,
                    "score_before": c.score_before,
                    "score_after": c.score_after,
                    "because": list(c.responsible),
                }
                for c in impact.changes
            ],
        }
    return data


def _change_dict(change: RuleChange) -> dict[str, Any]:
    return {
        "kind": change.kind,
        "rule_kind": change.rule_kind,
        "old": None if change.old is None else {"rule": change.old.text, "line": change.old.line},
        "new": None if change.new is None else {"rule": change.new.text, "line": change.new.line},
        "defines": list(change.defines),
        "description": change.describe(),
    }


def _profile_heading(profile: ProfileDiff) -> str:
    if profile.status in ("added", "removed"):
        return f'profile "{profile.name}" {profile.status}'
    if profile.status == "unchanged":
        return f'profile "{profile.name}": unchanged'
    counts = [
        f"{sum(c.kind == kind for c in profile.changes)} {kind}"
        for kind in ("changed", "added", "removed")
        if any(c.kind == kind for c in profile.changes)
    ]
    return f'profile "{profile.name}": ' + (", ".join(counts) or "reordered")


def _impact_heading(diff: DocumentDiff) -> str:
    impact = diff.impact
    assert impact is not None
    head = (
        f"{len(impact.changes):,} of {impact.accounts:,} accounts change: "
        f"{impact.verdict_changes:,} verdict, {impact.tier_changes:,} tier only"
    )
    if impact.unreadable:
        rows = "row" if impact.unreadable == 1 else "rows"
        head += f" ({impact.unreadable:,} unreadable {rows} skipped)"
    return head


def _where(change: RuleChange) -> str:
    """`line 12 ` in the new file, `old line 9` for a removed rule."""
    where = f"line {change.rule.line}" if change.new else f"old line {change.rule.line}"
    return f"{where:<12}"


def _account_line(change: AccountChange) -> str:
    because = "; ".join(change.responsible) or "?"
    return (
        f"{change.id}  {change.profile}: {change.before} → {change.after}  "
        f"score {_score(change)}  because {because}"
    )


def _score(change: AccountChange) -> str:
    def shown(value: float | None) -> str:
        return "–" if value is None else f"{value:g}"

    if change.score_before == change.score_after:
        return shown(change.score_after)
    return f"{shown(change.score_before)} → {shown(change.score_after)}"


def _shown(shown: int, total: int) -> str:
    return f"{total:,}" if shown == total else f"first {shown:,} of {total:,}"


def _md(text: str) -> str:
    """Text safe in a Markdown table cell."""
    return escape(text.replace("|", "\\|").replace("\n", " ").replace("<", "&lt;"))


def _md_rule(change: RuleChange) -> str:
    if change.kind == "changed" and change.old is not None and change.new is not None:
        if change.old.text == change.new.text:
            return f"`{_md(change.new.text)}` (define {', '.join(change.defines)} changed)"
        return f"`{_md(change.old.text)}` → `{_md(change.new.text)}`"
    return f"`{_md(change.rule.text)}`"
