"""icpdsl.validate.diff: rule changes matched by structure, and the accounts that move."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

import icpdsl
from icpdsl.validate.diff import diff_documents, impact
from icpdsl.validate.diff_report import render_markdown, render_text, to_dict
from icpdsl.validate.history import DataRow

AS_OF = datetime.date(2025, 6, 1)

OLD = """\
define crm = tech has any [Salesforce, HubSpot]

profile "P" {
  industry in [SaaS, Fintech]
  employees 100..2000
  require crm
  disqualify if is_competitor: "competitor"
  +20 if tech has Salesforce
  +10 if tech has Slack
  tier A if score >= 20
  tier B otherwise
}
"""


def changes(old: str, new: str) -> list[str]:
    diff = diff_documents(icpdsl.loads(old), icpdsl.loads(new))
    return [c.describe() for p in diff.profiles for c in p.changes]


def test_reformatting_and_moving_rules_is_no_change() -> None:
    moved = OLD.replace(
        "  industry in [SaaS, Fintech]\n  employees 100..2000\n",
        "  employees   100 .. 2000   # a comment\n\n  industry in [SaaS,Fintech]\n",
    )
    diff = diff_documents(icpdsl.loads(OLD), icpdsl.loads(moved))
    assert not diff.changed
    assert diff.profiles[0].status == "unchanged"


def test_changed_range_points_and_list_are_paired() -> None:
    new = (
        OLD.replace("100..2000", "200..1000")
        .replace("+20 if tech has Salesforce", "+25 if tech has Salesforce")
        .replace("[SaaS, Fintech]", "[SaaS]")
    )
    assert changes(OLD, new) == [
        "~ industry in [SaaS, Fintech] → industry in [SaaS]",
        "~ employees 100..2000 → employees 200..1000",
        "~ +20 if tech has Salesforce → +25 if tech has Salesforce",
    ]


def test_added_and_removed_rules() -> None:
    new = OLD.replace("  +10 if tech has Slack\n", "  country in [US]\n")
    assert changes(OLD, new) == ["+ country in [US]", "- +10 if tech has Slack"]


def test_a_changed_define_changes_the_rules_that_use_it() -> None:
    new = OLD.replace("[Salesforce, HubSpot]", "[Salesforce]")
    assert changes(OLD, new) == ["~ require crm (define crm changed)"]


def test_tier_threshold_change_is_paired_by_tier_name() -> None:
    new = OLD.replace("tier A if score >= 20", "tier A if score >= 30")
    assert changes(OLD, new) == ["~ tier A if score >= 20 → tier A if score >= 30"]


def test_profiles_added_and_removed() -> None:
    new = OLD.replace('profile "P"', 'profile "Q"')
    diff = diff_documents(icpdsl.loads(OLD), icpdsl.loads(new))
    assert [(p.name, p.status) for p in diff.profiles] == [("P", "removed"), ("Q", "added")]


def test_reordered_tiers_are_reported() -> None:
    new = OLD.replace(
        "  tier A if score >= 20\n  tier B otherwise\n",
        "  tier B otherwise\n  tier A if score >= 20\n",
    )
    profile = diff_documents(icpdsl.loads(OLD), icpdsl.loads(new)).profiles[0]
    assert profile.reordered and profile.status == "changed" and not profile.changes


ROWS = [
    DataRow(1, "small", {"industry": "SaaS", "employees": 150, "tech": "HubSpot"}),
    DataRow(2, "mid", {"industry": "SaaS", "employees": 500, "tech": "HubSpot; Slack"}),
    DataRow(3, "fin", {"industry": "Fintech", "employees": 500, "tech": "Salesforce"}),
    DataRow(4, "retail", {"industry": "Retail", "employees": 500, "tech": "Salesforce"}),
]


def test_impact_lists_the_accounts_that_move_and_why() -> None:
    new = OLD.replace("100..2000", "200..1000").replace("  +10 if tech has Slack\n", "")
    old_doc, new_doc = icpdsl.loads(OLD), icpdsl.loads(new)
    diff = impact(diff_documents(old_doc, new_doc), old_doc, new_doc, ROWS, as_of=AS_OF)
    assert diff.impact is not None
    moved = [(c.id, c.before, c.after, c.responsible) for c in diff.impact.changes]
    # mid loses its 10 Slack points but stays in tier B; fin and retail do not move
    assert moved == [
        ("small", "fit (tier B)", "not_fit", ("~ employees 100..2000 → employees 200..1000",))
    ]
    assert diff.impact.verdict_changes == 1 and diff.impact.tier_changes == 0


def test_a_points_change_moves_tiers_and_is_named() -> None:
    new = OLD.replace("+10 if tech has Slack", "+20 if tech has Slack")
    old_doc, new_doc = icpdsl.loads(OLD), icpdsl.loads(new)
    diff = impact(diff_documents(old_doc, new_doc), old_doc, new_doc, ROWS, as_of=AS_OF)
    assert diff.impact is not None
    [change] = diff.impact.changes
    assert (change.id, change.before, change.after) == ("mid", "fit (tier B)", "fit (tier A)")
    assert change.responsible == ("~ +10 if tech has Slack → +20 if tech has Slack",)
    assert (change.score_before, change.score_after) == (10.0, 20.0)
    assert diff.impact.tier_changes == 1
    assert diff.impact.by_rule() == [("P", change.responsible[0], 1)]


def test_renderings_carry_the_same_facts() -> None:
    new = OLD.replace("100..2000", "200..1000")
    old_doc, new_doc = icpdsl.loads(OLD, "old.icp"), icpdsl.loads(new, "new.icp")
    diff = impact(diff_documents(old_doc, new_doc), old_doc, new_doc, ROWS, as_of=AS_OF)
    text = render_text(diff)
    assert "1 of 4 accounts change: 1 verdict, 0 tier only" in text
    assert "small  P: fit (tier B) → not_fit" in text
    markdown = render_markdown(diff)
    assert "### ICP diff: `old.icp` → `new.icp`" in markdown
    assert "| changed | `employees 100..2000` → `employees 200..1000` | criterion | line 5 |" in (
        markdown
    )
    assert "| P | fit (tier B) | not_fit | 1 |" in markdown
    assert "<details><summary>Changed accounts (1)</summary>" in markdown
    data = to_dict(diff)
    assert data["impact"]["accounts_changed"][0]["id"] == "small"
    assert data["profiles"][0]["changes"][0]["kind"] == "changed"


def test_markdown_escapes_table_pipes() -> None:
    old = 'profile "P" {\n  name == "a|b"\n}\n'
    new = 'profile "P" {\n  name == "a|c"\n}\n'
    markdown = render_markdown(diff_documents(icpdsl.loads(old), icpdsl.loads(new)))
    assert '`name == "a\\|b"` → `name == "a\\|c"`' in markdown


@pytest.mark.parametrize(
    "path", sorted(Path(__file__).resolve().parents[2].glob("examples/**/*.icp")), ids=str
)
def test_an_example_against_its_formatted_self_has_no_changes(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    before = icpdsl.loads(text, str(path), root=path.parent)
    after = icpdsl.loads(icpdsl.format(text), str(path), root=path.parent)
    diff = diff_documents(before, after)
    assert not diff.changed
    assert [p.status for p in diff.profiles] == ["unchanged"] * len(before.profiles)


def test_an_added_profile_lists_only_the_accounts_it_fits() -> None:
    new = OLD + '\nprofile "Retail" {\n  industry == Retail\n}\n'
    old_doc, new_doc = icpdsl.loads(OLD), icpdsl.loads(new)
    diff = impact(diff_documents(old_doc, new_doc), old_doc, new_doc, ROWS, as_of=AS_OF)
    assert diff.impact is not None
    moved = [(c.id, c.profile, c.before, c.after, c.responsible) for c in diff.impact.changes]
    assert moved == [("retail", "Retail", "absent", "fit", ("profile added",))]


def test_reordered_tiers_move_accounts_and_say_so() -> None:
    new = OLD.replace(
        "  tier A if score >= 20\n  tier B otherwise\n",
        "  tier B otherwise\n  tier A if score >= 20\n",
    )
    old_doc, new_doc = icpdsl.loads(OLD), icpdsl.loads(new)
    diff = impact(diff_documents(old_doc, new_doc), old_doc, new_doc, ROWS, as_of=AS_OF)
    assert diff.impact is not None
    moved = [(c.id, c.before, c.after, c.responsible) for c in diff.impact.changes]
    assert moved == [("fin", "fit (tier A)", "fit (tier B)", ("tier order",))]
