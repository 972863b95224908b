"""Loading: files and text → Documents of named profiles; defines, extends, load errors."""

from __future__ import annotations

import csv
import datetime
from pathlib import Path

import pytest

import icpdsl
from icpdsl import ICPCheckError, ICPError, ICPLoadError, ICPSyntaxError, ast
from icpdsl.semantics.cells import infer_cell

AS_OF = datetime.date(2025, 6, 15)
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_bare_statements_make_one_anonymous_profile() -> None:
    doc = icpdsl.loads("industry in [SaaS]; employees 200..1000; disqualify if requires on_prem")
    assert list(doc.profiles) == ["default"]
    profile = doc.profile
    assert [r.text for r in profile.rules] == [
        "industry in [SaaS]",
        "employees 200..1000",
        "disqualify if requires on_prem",
    ]
    assert len(profile.criteria) == 2 and len(profile.disqualifiers) == 1


def test_a_loaded_files_anonymous_profile_is_named_after_the_file(tmp_path: Path) -> None:
    path = tmp_path / "startups.icp"
    path.write_text("employees ..50\n", encoding="utf-8")
    doc = icpdsl.load(path)
    assert list(doc.profiles) == ["startups"]
    assert doc.filename == str(path)
    assert doc.profile.rules[0].filename == str(path)


def test_named_profiles_keep_file_order_and_doc_profile_needs_exactly_one() -> None:
    doc = icpdsl.loads('profile "B" { x }\nprofile "A" { y }')
    assert list(doc.profiles) == ["B", "A"]
    with pytest.raises(ICPLoadError, match=r"the file has 2 profiles \('B', 'A'\)"):
        _ = doc.profile


def test_rules_know_their_kind_text_and_line() -> None:
    profile = icpdsl.loads(
        'profile "P" {\n  require x   # comment\n  +5 if y\n  tier A otherwise\n}'
    ).profile
    assert [(r.text, r.line, r.column) for r in profile.rules] == [
        ("require x", 2, 3),
        ("+5 if y", 3, 3),
        ("tier A otherwise", 4, 3),
    ]
    assert [r.condition_text for r in profile.rules] == ["x", "y", "otherwise"]
    assert len(profile.scoring) == 1 and len(profile.tiers) == 1


def test_define_at_top_level_and_inside_a_profile() -> None:
    doc = icpdsl.loads(
        "define big = employees >= 500\n"
        'profile "P" {\n  define rich = revenue >= 10M\n  big and rich\n}'
    )
    profile = doc.profile
    assert set(profile.defines) == {"big", "rich"}
    assert profile.defines["rich"].text == "revenue >= 10M"
    assert isinstance(profile.rules[0].node.condition, ast.And)  # type: ignore[union-attr]
    assert profile.rules[0].condition_text == (
        "big and rich (where big = employees >= 500; rich = revenue >= 10M)"
    )


EXTENDS = """
profile "Base" {
  employees 50..200
  disqualify if is_competitor
  +10 if growing
  tier A if score >= 10
  tier B otherwise
}
profile "Child" extends "Base" {
  industry in [SaaS]
  +5 if partner
}
profile "Own tiers" extends "Child" {
  tier Gold if score >= 15
  tier Silver otherwise
}
"""


def test_extends_inherits_rules_first_and_adds_its_own() -> None:
    doc = icpdsl.loads(EXTENDS)
    child = doc.profiles["Child"]
    assert child.extends == "Base"
    assert [r.text for r in child.rules] == [
        "employees 50..200",
        "disqualify if is_competitor",
        "+10 if growing",
        "tier A if score >= 10",
        "tier B otherwise",
        "industry in [SaaS]",
        "+5 if partner",
    ]
    assert [r.profile for r in child.rules][-2:] == ["Child", "Child"]
    result = child.evaluate({"employees": 100, "industry": "Retail", "growing": True}, as_of=AS_OF)
    assert result.verdict == "not_fit"
    result = child.evaluate({"employees": 100, "industry": "SaaS", "growing": True}, as_of=AS_OF)
    assert (result.verdict, result.score, result.tier) == ("fit", 10, "A")


def test_a_profile_with_its_own_tiers_replaces_the_inherited_ones() -> None:
    profile = icpdsl.loads(EXTENDS).profiles["Own tiers"]
    assert [r.text for r in profile.tiers] == ["tier Gold if score >= 15", "tier Silver otherwise"]
    record = {"employees": 100, "industry": "SaaS", "growing": True, "partner": True}
    assert profile.evaluate(record, as_of=AS_OF).tier == "Gold"
    assert profile.evaluate({**record, "partner": False}, as_of=AS_OF).tier == "Silver"


def test_a_profile_may_extend_one_written_later() -> None:
    doc = icpdsl.loads('profile "B" extends "A" { y }\nprofile "A" { x }')
    assert [r.text for r in doc.profiles["B"].rules] == ["x", "y"]


@pytest.mark.parametrize(
    ("text", "code", "message"),
    [
        ('profile "A" extends "Nope" { x }', "ICP002", "extends unknown profile 'Nope'"),
        ('profile "A" extends "B" { x }\nprofile "B" extends "A" { y }', "ICP006", "extends cycle"),
        ('profile "A" { x }\nprofile "A" { y }', "ICP003", "profile 'A' is defined twice"),
        ("define a = x\ndefine a = y\na", "ICP004", "'a' is defined twice"),
        ("define a = b\ndefine b = a\na", "ICP006", "define cycle: a → b → a"),
        ('x\nprofile "A" { y }', "ICP008", "statements outside a profile block"),
    ],
)
def test_load_problems_are_check_errors_with_codes(text: str, code: str, message: str) -> None:
    with pytest.raises(ICPCheckError) as caught:
        icpdsl.loads(text)
    assert caught.value.code == code
    assert message in str(caught.value)
    assert caught.value.line is not None and caught.value.line >= 1


def test_every_problem_is_reported_not_only_the_first() -> None:
    with pytest.raises(ICPCheckError) as caught:
        icpdsl.loads('profile "A" extends "X" { x }\nprofile "B" extends "Y" { y }')
    assert [d.line for d in caught.value.diagnostics] == [1, 2]


def test_file_errors(tmp_path: Path) -> None:
    with pytest.raises(ICPLoadError, match="no such file"):
        icpdsl.load(tmp_path / "missing.icp")
    bad = tmp_path / "latin1.icp"
    bad.write_bytes("industry == Café".encode("latin-1"))
    with pytest.raises(ICPLoadError, match="not UTF-8"):
        icpdsl.load(bad)
    broken = tmp_path / "broken.icp"
    broken.write_text("employees >=\n", encoding="utf-8")
    with pytest.raises(ICPSyntaxError) as caught:
        icpdsl.load(broken)
    assert caught.value.filename == str(broken)
    assert isinstance(caught.value, ICPError)


def test_a_utf8_byte_order_mark_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "bom.icp"
    path.write_bytes("\ufeffindustry in [SaaS]\n".encode())
    assert icpdsl.load(path).profile.rules[0].text == "industry in [SaaS]"


def test_evaluate_many_is_lazy_and_in_order() -> None:
    profile = icpdsl.loads("employees >= 100").profile
    results = profile.evaluate_many(iter([{"employees": 5}, {"employees": 500}]), as_of=AS_OF)
    assert [r.verdict for r in results] == ["not_fit", "fit"]


# ------------------------------------------------------------------ the bundled examples


def test_security_example_from_the_readme() -> None:
    doc = icpdsl.load(EXAMPLES / "security.icp")
    profile = doc.profiles["Mid-market SaaS security"]
    assert doc.profile is profile
    record = {
        "industry": "SaaS",
        "employees": 540,
        "has_security_owner": True,
        "tech": ["AWS", "Okta"],
        "country": "US",
        "requires": [],
        "is_competitor": False,
        "revenue": "$32M",
        "funding_stage": "Series_C",
    }
    result = profile.evaluate(record, as_of=AS_OF)
    assert (result.verdict, result.score, result.tier) == ("fit", 40, "A")


def test_segments_example_uses_define_extends_and_own_tiers() -> None:
    doc = icpdsl.load(EXAMPLES / "segments.icp")
    assert list(doc.profiles) == ["SaaS", "Healthcare", "Manufacturing", "North America mid-market"]
    base = doc.profiles["North America mid-market"]
    for name in ("SaaS", "Healthcare", "Manufacturing"):
        assert doc.profiles[name].extends == "North America mid-market"
        inherited = [r.text for r in doc.profiles[name].rules if r.profile == base.name]
        assert "require core_size" in inherited
    assert [r.profile for r in doc.profiles["Healthcare"].tiers] == ["Healthcare"] * 3
    assert [r.profile for r in doc.profiles["SaaS"].tiers] == [base.name] * 3
    record = {
        "industry": "Manufacturing",
        "employees": 120,
        "revenue": "$20M",
        "country": "US",
        "tech": ["SAP"],
        "is_competitor": False,
    }
    results = doc.evaluate(record, as_of=AS_OF)
    assert results.best is not None and results.best.profile == "Manufacturing"
    assert results["Manufacturing"].tier == "B"


def _accounts() -> list[dict[str, object]]:
    """examples/accounts.csv, cells typed as `icp eval` types them without a schema."""
    with (EXAMPLES / "accounts.csv").open(newline="", encoding="utf-8") as file:
        return [{k: infer_cell(v) for k, v in row.items()} for row in csv.DictReader(file)]


@pytest.mark.parametrize("name", ["security.icp", "b2b_saas.icp", "segments.icp"])
def test_the_bundled_accounts_reach_every_verdict_and_tier_of_every_profile(name: str) -> None:
    accounts = _accounts()
    assert len(accounts) >= 60
    for profile in icpdsl.load(EXAMPLES / name).profiles.values():
        results = [profile.evaluate(account, as_of=AS_OF) for account in accounts]
        verdicts = {r.verdict for r in results}
        assert verdicts == set(icpdsl.Verdict), (profile.name, verdicts)
        tiers = {r.tier for r in results if r.tier is not None}
        assert tiers == {r.node.name for r in profile.tiers}, (profile.name, tiers)  # type: ignore[union-attr]


def test_the_bundled_accounts_hold_missing_and_wrong_typed_cells() -> None:
    accounts = _accounts()
    assert any(a["employees"] is None for a in accounts)
    assert any(a["employees"] == "n/a" for a in accounts)
    assert any(a["revenue"] == "n/a" for a in accounts)
    result = icpdsl.load(EXAMPLES / "security.icp").profile.evaluate(
        next(a for a in accounts if a["employees"] == "n/a"), as_of=AS_OF
    )
    assert result.verdict == "unknown"
    assert "employees is 'n/a' (text), not a number" in result.reasons
