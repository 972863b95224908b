"""Laws of the accounts table: pages partition the selection, filters keep only what they
name, the verdict filters partition the rows, sorting by score orders by score."""

from __future__ import annotations

import datetime
from functools import cache
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

import icpdsl
from icpdsl.serve import read_accounts
from icpdsl.serve.scoreboard import SORTS, VERDICTS, Scoreboard, View, closest_index

from .conftest import EXAMPLES


@cache
def board() -> Scoreboard:
    document = icpdsl.load(EXAMPLES / "segments.icp")
    accounts = read_accounts(EXAMPLES / "accounts.csv", schema=document.schema)
    return Scoreboard(document, tuple(document.profiles), accounts, datetime.date(2025, 6, 15))


views = st.builds(
    View,
    verdict=st.sampled_from(["", "error", *VERDICTS]),
    search=st.sampled_from(["", "1", "2", "4", "x", " 12 "]),
    sort=st.sampled_from(SORTS),
    page=st.just(1),
    size=st.integers(1, 30),
)


@settings(max_examples=60, deadline=None)
@given(views)
def test_pages_partition_the_selection(view: View) -> None:
    scores = board()
    chosen = scores.select(view)
    first = scores.page(view)
    pages = [
        scores.page(View(view.verdict, view.search, view.sort, page, view.size))["rows"]
        for page in range(1, first["pages"] + 1)
    ]
    rows = [row["row"] for page in pages for row in page]
    assert rows == [scores.accounts.rows[p].number for p in chosen]
    assert first["matched"] == len(chosen)
    for position in chosen:
        verdict = scores._verdict(position)
        assert not view.verdict or verdict == view.verdict
    if view.sort != "row":
        values = [scores._score_of(p) for p in chosen]
        assert values == sorted(values, reverse=view.sort == "score-desc")


def test_the_verdict_filters_partition_the_rows() -> None:
    scores = board()
    every = [scores.select(View(verdict=v)) for v in ("error", *VERDICTS)]
    assert sorted(p for chosen in every for p in chosen) == list(range(len(scores.scores)))
    counts = scores.counts()
    fits = sum(counts["best"].values())
    assert fits + counts["no_fit"] == len(scores.scores) - counts["errors"]
    assert len(scores.select(View(verdict="fit"))) == fits


scored = st.tuples(
    st.sampled_from(list(icpdsl.Verdict)), st.integers(-30, 30), st.sampled_from([None, "A"])
)


@given(st.lists(scored, min_size=1, max_size=5))
def test_the_closest_profile_is_document_results(results: list[tuple[Any, int, Any]]) -> None:
    names = [f"p{i}" for i in range(len(results))]
    document = icpdsl.DocumentResult(
        {n: icpdsl.Result(n, v, s, t, (), datetime.date(2025, 1, 1))
         for n, (v, s, t) in zip(names, results, strict=True)}
    )  # fmt: skip
    closest = document.closest
    assert closest is not None and names[closest_index(results)] == closest.profile
