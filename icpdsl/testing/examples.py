"""Running the `examples { ... }` written in profiles against the reference evaluator."""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs

from .. import ast
from ..document import Document, Profile
from ..errors import ICPError
from ..result import Result, Verdict, json_value
from ..source import escape
from .expectations import Expectation, describe_result, mismatches
from .literals import record_from_literal


@attrs.frozen
class ExampleRun:
    """One example's outcome: the record built, the result, and what did not match."""

    profile: Profile
    example: ast.Example
    name: str
    record: dict[str, Any] | None
    result: Result | None
    failures: tuple[str, ...]

    @property
    def passed(self) -> bool:
        return not self.failures

    @property
    def filename(self) -> str:
        return self.profile.filename

    @property
    def line(self) -> int:
        return self.example.span.line

    @property
    def test_id(self) -> str:
        """`security.icp::Mid-market SaaS::too small`."""
        return f"{Path(self.filename).name}::{self.profile.name}::{self.name}"

    @property
    def expectation(self) -> Expectation:
        return expectation_of(self.example)

    def report(self) -> str:
        """Expected beside actual, what differs, the record and the full explanation;
        names and texts from the ICP file show control characters as escapes."""
        lines = [
            f'{self.filename}:{self.line}: example "{self.name}" of profile "{self.profile.name}"',
            f"  expected: {self.expectation.describe()}",
        ]
        if self.result is not None:
            lines.append(f"  actual:   {describe_result(self.result)}")
        lines += [f"  - {failure}" for failure in self.failures]
        if self.record is not None:
            lines.append(f"  record: {json.dumps(json_value(self.record), ensure_ascii=False)}")
        if self.result is not None:
            lines.append("  explanation:")
            lines += [f"    {line}" for line in self.result.explain().splitlines()]
        return "\n".join(escape(line) for line in lines)

    def to_dict(self) -> dict[str, Any]:
        expectation = self.expectation
        return {
            "id": self.test_id,
            "file": self.filename,
            "line": self.line,
            "profile": self.profile.name,
            "example": self.name,
            "passed": self.passed,
            "expected": {
                "verdict": expectation.verdict.value,
                "tier": expectation.tier,
                "score": expectation.score,
                "because": list(expectation.because),
            },
            "failures": list(self.failures),
            "record": json_value(self.record) if self.record is not None else None,
            "actual": self.result.to_dict() if self.result is not None else None,
        }


def expectation_of(example: ast.Example) -> Expectation:
    """What an example states, as an Expectation."""
    score = example.score.value if example.score is not None else None
    return Expectation(
        Verdict(example.verdict or "fit"),
        example.tier,
        score,  # type: ignore[arg-type]  # the grammar only allows a NUMBER here
        tuple(path.name for path in example.because),
    )


def example_names(profile: Profile) -> list[str]:
    """A readable, unique name per example: its own, else what it expects and its line."""
    names: list[str] = []
    for example in profile.examples:
        name = example.name
        if not name:
            expects = f"tier {example.tier}" if example.tier is not None else example.verdict
            name = f"{expects} (line {example.span.line})"
        if name in names:
            name = f"{name} (line {example.span.line})"
        names.append(name)
    return names


def run_example(
    profile: Profile,
    example: ast.Example,
    *,
    as_of: datetime.date | None = None,
    name: str | None = None,
) -> ExampleRun:
    """Build the example's record, evaluate it and compare with what it expects, as of
    `as_of` (default: the date the profile's file pins, else today)."""
    day = profile.evaluation_date(as_of)
    label = name or example.name or f"line {example.span.line}"
    try:
        record = record_from_literal(example.record, day, profile.filename)
    except ICPError as error:
        return ExampleRun(profile, example, label, None, None, (error.message,))
    result = profile.evaluate(record, as_of=day)
    problems = mismatches(profile, expectation_of(example), result, record, day)
    return ExampleRun(profile, example, label, record, result, tuple(problems))


def run_examples(
    source: Profile | Document, *, as_of: datetime.date | None = None
) -> list[ExampleRun]:
    """Run every example of a profile, or of every profile in a document, in file order."""
    return list(_runs(source, as_of))


def _runs(source: Profile | Document, as_of: datetime.date | None) -> Iterator[ExampleRun]:
    profiles = source.profiles.values() if isinstance(source, Document) else [source]
    for profile in profiles:
        for example, name in zip(profile.examples, example_names(profile), strict=True):
            yield run_example(profile, example, as_of=as_of, name=name)
