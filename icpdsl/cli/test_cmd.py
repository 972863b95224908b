"""`icp test [PATHS...]`: run every profile's examples; report failures and rule coverage."""

from __future__ import annotations

import argparse
import datetime
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import ICPError, ICPLoadError
from ..loader import load
from ..source import escape
from ..testing import Coverage, CoverageTracker, ExampleRun, run_examples
from .icp_paths import find_icp_files


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "test",
        help="run the examples written in profiles",
        description=(
            "Run every `examples { ... }` block in every .icp file under PATHS "
            "(default: the current folder) and report each failure beside the full "
            "explanation of what the profile actually decided."
        ),
        epilog="example: icp test examples/ --coverage --min-coverage 90",
    )
    parser.add_argument("paths", nargs="*", default=["."], help=".icp files or folders")
    parser.add_argument(
        "--format", choices=("text", "json"), default="text", help="report format (default: text)"
    )
    parser.add_argument(
        "--coverage", action="store_true", help="report which rules the examples exercised"
    )
    parser.add_argument(
        "--min-coverage",
        type=_percentage,
        metavar="PERCENT",
        help="fail when rule coverage is below PERCENT (implies --coverage)",
    )
    parser.add_argument(
        "--as-of",
        type=_date,
        metavar="YYYY-MM-DD",
        help="the date `within` and durations are measured from (default: today)",
    )
    parser.add_argument(
        "-r",
        "--run",
        dest="only",
        type=_pattern,
        metavar="REGEX",
        help="run only the examples whose id (file.icp::Profile::example) matches REGEX",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="list passing examples too")
    parser.set_defaults(run=run)


def _percentage(text: str) -> float:
    try:
        value = float(text.rstrip("%"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a percentage: {text!r}") from None
    if not 0 <= value <= 100:
        raise argparse.ArgumentTypeError(f"a percentage is between 0 and 100, not {text}")
    return value


def _pattern(text: str) -> re.Pattern[str]:
    try:
        return re.compile(text)
    except re.error as error:
        raise argparse.ArgumentTypeError(f"not a regular expression: {text!r} ({error})") from None


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _run_file(
    file: Path,
    as_of: datetime.date | None,
    tracker: CoverageTracker,
    only: re.Pattern[str] | None,
) -> list[ExampleRun]:
    document = load(file)
    runs = [
        run
        for run in run_examples(document, as_of=as_of)
        if only is None or only.search(run.test_id)
    ]
    for profile in document.profiles.values():
        tracker.add_profile(profile)
    for example in runs:
        if example.result is not None:
            tracker.record(example.profile, example.result)
    return runs


def run(args: argparse.Namespace) -> int:
    as_of: datetime.date | None = args.as_of  # None: each file's `as of`, else today
    found = find_icp_files(args.paths)
    for note in found.skipped:
        print(f"icp test: {note}", file=sys.stderr)
    files = [file.path for file in found.files]
    if not files:
        raise ICPLoadError(f"no .icp files found in {', '.join(args.paths)}")
    tracker = CoverageTracker()
    runs: list[ExampleRun] = []
    errors: list[ICPError] = []
    for file in files:
        try:
            runs += _run_file(file, as_of, tracker, args.only)
        except ICPError as error:
            errors.append(error)
    want_coverage = args.coverage or args.min_coverage is not None
    coverage = tracker.report() if want_coverage else None
    shortfall = _shortfall(coverage, args.min_coverage)
    if args.format == "json":
        _print_json(runs, errors, coverage, args.min_coverage, len(files))
    else:
        for line in _text_report(runs, errors, args.verbose):
            print(line)
        if coverage is not None:
            print()
            print(coverage.format(unloaded=len(errors)))
        if shortfall:
            print(shortfall)
        print(_summary(runs, errors, len(files), args.only))
    if errors:
        return 2
    if not runs or shortfall or any(not r.passed for r in runs):
        return 1
    return 0


def _shortfall(coverage: Coverage | None, minimum: float | None) -> str | None:
    """Why the run fails its coverage minimum, or None when it meets it."""
    if coverage is None or minimum is None or coverage.percent is None:
        return None  # nothing to cover: the run fails for what it lacks, not for coverage
    if coverage.percent >= minimum:
        return None
    return f"rule coverage {coverage.percent:.1f}% is below the minimum {minimum:g}%"


def _text_report(runs: list[ExampleRun], errors: list[ICPError], verbose: bool) -> Iterator[str]:
    for error in errors:
        yield f"ERROR {error}"
    for example in runs:
        if not example.passed:
            yield escape(f"FAIL  {example.test_id}")
            yield example.report()
            yield ""
        elif verbose:
            yield escape(f"PASS  {example.test_id}")


def _summary(
    runs: list[ExampleRun], errors: list[ICPError], files: int, only: re.Pattern[str] | None
) -> str:
    failed = sum(not r.passed for r in runs)
    parts = [f"{len(runs) - failed} passed", f"{failed} failed"]
    if errors:
        unloaded = len(errors)
        parts.append(f"{unloaded} {_plural(unloaded, 'file')} could not be loaded")
    examples = f"{len(runs)} {_plural(len(runs), 'example')}"
    text = ", ".join(parts) + f" ({examples} in {files} {_plural(files, 'file')})"
    if not runs and not errors:
        text += (
            f"; no example id matches {only.pattern!r}"
            if only is not None
            else "; add an `examples { ... }` block to a profile to test it"
        )
    return text


def _plural(count: int, noun: str) -> str:
    """`file` for one, `files` for any other count (never `file(s)`)."""
    return noun if count == 1 else noun + "s"


def _print_json(
    runs: list[ExampleRun],
    errors: list[ICPError],
    coverage: Coverage | None,
    minimum: float | None,
    files: int,
) -> None:
    failed = sum(not r.passed for r in runs)
    payload: dict[str, Any] = {
        "files": files,
        "passed": len(runs) - failed,
        "failed": failed,
        "errors": [d.to_dict() for error in errors for d in error.diagnostics],
        "examples": [r.to_dict() for r in runs],
    }
    if coverage is not None:
        payload["coverage"] = {**coverage.to_dict(), "minimum": minimum, "unloaded": len(errors)}
    json.dump(payload, sys.stdout, indent=2, ensure_ascii=False)
    print()
