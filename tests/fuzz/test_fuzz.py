"""Fuzzing in the suite: any text loads or fails with a located ICPError; any record
evaluates; every input in corpus/ (each once a failure) is replayed."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import icpdsl

from . import harness

FUZZ = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@FUZZ
@given(st.text())
def test_arbitrary_text(text: str) -> None:
    harness.check_text(text)


@settings(FUZZ, max_examples=50)
@given(harness.mutated_examples())
def test_mutated_example_files(text: str) -> None:
    harness.check_text(text)


@settings(FUZZ, max_examples=60)
@given(harness.grammar_texts())
def test_text_generated_from_the_grammar(text: str) -> None:
    harness.check_text(text)


@FUZZ
@given(st.lists(st.sampled_from(harness.VOCABULARY), max_size=60).map(" ".join))
def test_streams_of_icp_tokens(text: str) -> None:
    harness.check_text(text)


PROFILES = [
    (path, name, profile)
    for path in harness.EXAMPLES
    for name, profile in icpdsl.load(path).profiles.items()
]


@pytest.mark.parametrize(
    "profile", [p for _, _, p in PROFILES], ids=[f"{p.name}:{n}" for p, n, _ in PROFILES]
)
def test_random_records_against_every_example_profile(profile: icpdsl.Profile) -> None:
    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(harness.records_for(profile))
    def check(record: dict[str, Any]) -> None:
        harness.check_record(profile, record)

    check()


CASES = list(harness.load_cases())


@pytest.mark.parametrize(("kind", "path"), CASES, ids=[p.name for _, p in CASES])
def test_corpus_case(kind: str, path: Path) -> None:
    started = time.perf_counter()
    harness.replay(kind, path)
    assert time.perf_counter() - started < 30, "slow again: some of these were hangs"


def test_the_corpus_is_not_empty() -> None:
    assert len(CASES) >= 1


def test_the_property_rejects_a_location_outside_the_text() -> None:
    error = icpdsl.ICPSyntaxError("x", filename="fuzz.icp", line=3, column=1)
    with pytest.raises(harness.PropertyFailure, match=r"line 3 outside 1\.\.2"):
        harness._check_locations(error, "a\nb")
    error = icpdsl.ICPSyntaxError("x", filename="fuzz.icp", line=2, column=3)
    with pytest.raises(harness.PropertyFailure, match="column 3 outside line 2"):
        harness._check_locations(error, "a\nb")


@pytest.mark.parametrize(
    "value",
    [
        float("nan"), 10**400, b"\x00\xff", {1, "a"}, (1, [2]), {"a": {"b": 1}},
        __import__("decimal").Decimal("sNaN"), __import__("datetime").date(2020, 2, 29),
        complex(1, -1), __import__("datetime").timedelta(days=-1),
    ],
)  # fmt: skip
def test_the_corpus_codec_round_trips(value: Any) -> None:
    decoded = harness.decode(harness.encode(value))
    assert repr(decoded) == repr(value) or (decoded != decoded and value != value)
