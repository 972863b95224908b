"""Polars scoring: frames and lazy frames, list columns, and loud refusals."""

from __future__ import annotations

import datetime

import pytest

import icpdsl
from icpdsl import ICPUnsupportedError
from icpdsl.evaluator import evaluate_profile

pl = pytest.importorskip("polars")
import icpdsl.polars  # noqa: E402

AS_OF = datetime.date(2025, 6, 15)
PROFILE = icpdsl.loads(
    "industry in [SaaS, fintech]\nemployees 100..1000\ntech has any [AWS, okta]\n"
    "disqualify if competitor\n+10 if tech has all [aws, okta]\n+2.5 if last_seen within 1 year\n"
    "+1 if revenue is missing\ntier A if score >= 10\ntier B otherwise\n"
).profile
RECORDS = [
    {"industry": "SaaS", "employees": 500, "tech": "AWS; Okta", "competitor": False,
     "last_seen": datetime.date(2025, 1, 1), "revenue": 1.0},
    {"industry": " fintech ", "employees": 100, "tech": "gcp | aws", "competitor": None,
     "last_seen": None, "revenue": None},
    {"industry": "Retail", "employees": 5000, "tech": None, "competitor": True,
     "last_seen": datetime.date(2020, 1, 1), "revenue": None},
    {"industry": "", "employees": None, "tech": "", "competitor": False,
     "last_seen": None, "revenue": 3.0},
]  # fmt: skip


def _expected(records: list[dict[str, object]]) -> list[tuple[object, ...]]:
    results = [evaluate_profile(PROFILE, r, AS_OF) for r in records]
    return [(r.verdict.value, r.score, r.tier) for r in results]


def test_score_adds_verdict_score_and_tier_columns() -> None:
    frame = pl.DataFrame(RECORDS)
    scored = icpdsl.polars.score(frame, PROFILE, as_of=AS_OF)
    assert scored.columns == [*frame.columns, "verdict", "score", "tier"]
    assert list(scored.select("verdict", "score", "tier").iter_rows()) == _expected(RECORDS)
    assert scored.schema["score"] == pl.Float64  # +2.5 makes the score fractional


def test_a_lazy_frame_stays_lazy() -> None:
    lazy = icpdsl.polars.score(pl.LazyFrame(RECORDS), PROFILE, as_of=AS_OF)
    assert isinstance(lazy, pl.LazyFrame)
    assert list(lazy.collect().select("verdict", "score", "tier").iter_rows()) == _expected(RECORDS)


def test_list_columns_work_like_text_cells() -> None:
    records = [{**r, "tech": items} for r, items in
               zip(RECORDS, [["AWS", " okta"], ["GCP", "aws"], None, []], strict=True)]  # fmt: skip
    frame = pl.DataFrame(records, schema_overrides={"tech": pl.List(pl.String)})
    scored = icpdsl.polars.score(frame, PROFILE, as_of=AS_OF)
    assert list(scored.select("verdict", "score", "tier").iter_rows()) == _expected(records)


def test_a_missing_column_is_named() -> None:
    with pytest.raises(icpdsl.ICPError, match=r"the frame has no column '\w+' \(field \w+\)"):
        icpdsl.polars.score(pl.DataFrame({"industry": ["SaaS"]}), PROFILE)


def test_what_polars_cannot_express_is_refused() -> None:
    profile = icpdsl.loads("age 3..10 years\n").profile
    with pytest.raises(ICPUnsupportedError, match="Polars cannot express `age`"):
        icpdsl.polars.score(pl.DataFrame({"age": [1]}), profile)


def test_a_column_of_nulls_only_is_missing_data() -> None:
    records = [{**r, "industry": None, "tech": None} for r in RECORDS]
    scored = icpdsl.polars.score(pl.DataFrame(records), PROFILE, as_of=AS_OF)
    assert list(scored.select("verdict", "score", "tier").iter_rows()) == _expected(records)


def test_the_letter_classes_are_what_polars_lower_cases_to_each_letter() -> None:
    from icpdsl.compile.polars import _CASES

    characters = pl.Series([chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000])
    lowered = characters.str.to_lowercase()
    for letter, spelled in _CASES.items():
        matching = characters.str.contains(f"^{spelled}$")
        assert (matching == (lowered == letter)).all(), letter


def test_rules_on_one_field_share_its_helper_columns() -> None:
    from icpdsl.compile.polars import plan

    profile = icpdsl.loads(
        'industry in [SaaS]\nindustry is known\n+5 if industry != "Retail"\n'
        'industry < m\n+1 if industry in ["café"]\n'
    ).profile
    stages = plan(profile, {"industry": pl.String}, AS_OF).stages
    assert sorted(stages[0]) == ["__icp_known_0", "__icp_text_1"]  # blank? and folded text
    assert len(stages[1]) == 5  # one column per rule


def test_schema_sets_split_text_cells_at_line_breaks_too() -> None:
    text = "fields {\n  tech: set[string]\n}\ntech has all [aws, okta]\n+1 if tech has any [gcp]\n"
    profile = icpdsl.loads(text).profile
    cells = ["AWS\nOkta", " aws \n okta ", "AWS\n", "okta;gcp\naws", "GCP\n\n", "\n \n", None]
    records = [{"tech": cell} for cell in cells]
    scored = icpdsl.polars.score(pl.DataFrame(records), profile, as_of=AS_OF)
    results = [evaluate_profile(profile, r, AS_OF) for r in records]
    expected = [(r.verdict.value, r.score, r.tier) for r in results]
    assert list(scored.select("verdict", "score", "tier").iter_rows()) == expected


def test_helper_columns_are_dropped_and_a_profile_without_tiers_has_null_tiers() -> None:
    profile = icpdsl.loads("industry in [SaaS]\n+2 if employees > 10\n").profile
    frame = pl.DataFrame({"industry": ["SaaS", " saas\t", "retail", "  ", None],
                          "employees": [20, 5, 20, None, 20]})  # fmt: skip
    scored = icpdsl.polars.score(frame, profile, as_of=AS_OF)
    assert scored.columns == ["industry", "employees", "verdict", "score", "tier"]
    assert scored["verdict"].to_list() == ["fit", "fit", "not_fit", "unknown", "unknown"]
    assert scored["score"].to_list() == [2, 0, 2, 0, 2]
    assert scored["tier"].to_list() == [None] * 5 and scored.schema["tier"] == pl.String


def test_an_empty_frame_and_a_profile_of_tiers_only() -> None:
    empty = pl.DataFrame({"industry": []}, schema={"industry": pl.String})
    scored = icpdsl.polars.score(empty, icpdsl.loads("industry in [SaaS]\n").profile)
    assert scored.columns == ["industry", "verdict", "score", "tier"] and scored.height == 0
    tiers = icpdsl.loads("tier A otherwise\n").profile
    scored = icpdsl.polars.score(pl.DataFrame({"industry": ["x", None]}), tiers)
    assert list(scored.select("verdict", "score", "tier").iter_rows()) == [("fit", 0, "A")] * 2
