"""Polars scoring: frames and lazy frames, list columns, and loud refusals."""

from __future__ import annotations

import datetime

import pytest

import icpdsl
from icpdsl.compile.support import ICPUnsupportedError
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
