"""The pytest plugin: every example in an opted-in `.icp` file becomes a test item.

Registered through the `pytest11` entry point, so it is loaded wherever icpdsl is
installed; it collects nothing unless the project's pytest configuration lists globs
in `icp_files` (e.g. `icp_files = *.icp`).  Items are named
`security.icp::Mid-market SaaS::too small`, and a failing one shows the expected and
actual verdicts with the full explanation instead of a Python traceback.
"""

from __future__ import annotations

import datetime
import fnmatch
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from .. import ast
    from ..document import Profile
    from .examples import ExampleRun


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini(
        "icp_files",
        type="args",
        default=[],
        help="globs of .icp files whose examples run as tests (e.g. *.icp); unset: none",
    )
    parser.addini(
        "icp_as_of",
        default="",
        help="date (YYYY-MM-DD) that `within` and durations in examples count from",
    )
    group = parser.getgroup("icpdsl", "ICP examples")
    group.addoption(
        "--icp-coverage",
        action="store_true",
        help="report which ICP rules the examples exercised both ways",
    )
    group.addoption(
        "--icp-min-coverage",
        type=float,
        metavar="PERCENT",
        default=None,
        help="fail the run when ICP rule coverage is below PERCENT (implies --icp-coverage)",
    )
    group.addoption(
        "--icp-as-of",
        metavar="YYYY-MM-DD",
        default=None,
        help="date that `within` and durations in examples count from (default: today)",
    )


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> IcpFile | None:
    patterns: list[str] = parent.config.getini("icp_files")
    if patterns and _matches(file_path, patterns, parent.config.rootpath):
        return IcpFile.from_parent(parent, path=file_path)
    return None


def _matches(path: Path, patterns: list[str], root: Path) -> bool:
    try:
        relative = path.relative_to(root).as_posix()
    except ValueError:
        relative = path.as_posix()
    return any(fnmatch.fnmatch(path.name, p) or fnmatch.fnmatch(relative, p) for p in patterns)


#: The `--icp-as-of` date, or None: each file's `as of`, else today.
_AS_OF = pytest.StashKey[datetime.date | None]()
_OUTCOMES = "icp_rule_outcomes"  # the user property an example's rule outcomes travel in


def pytest_configure(config: pytest.Config) -> None:
    """Read the as-of date once, so a bad one is a usage error before anything runs."""
    if _wants_coverage(config) and not hasattr(config, "workerinput"):  # not in xdist workers
        config.pluginmanager.register(_CoverageCollector(config), "icpdsl-coverage")
    text = config.getoption("icp_as_of") or config.getini("icp_as_of")
    if not text:
        config.stash[_AS_OF] = None
        return
    try:
        config.stash[_AS_OF] = datetime.date.fromisoformat(str(text).strip())
    except ValueError:
        raise pytest.UsageError(f"icp_as_of: not a date (YYYY-MM-DD): {text!r}") from None


def _wants_coverage(config: pytest.Config) -> bool:
    return (
        bool(config.getoption("icp_coverage")) or config.getoption("icp_min_coverage") is not None
    )


class _CoverageCollector:
    """Gathers rule outcomes (also those pytest-xdist workers send) and reports coverage."""

    def __init__(self, config: pytest.Config) -> None:
        from .coverage import CoverageTracker

        self.tracker = CoverageTracker()
        self.minimum: float | None = config.getoption("icp_min_coverage")
        #: `.icp` files that could not be loaded: their rules are not counted.
        self.unloaded = 0

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed and report.nodeid.endswith(".icp"):
            self.unloaded += 1

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.when == "call":
            for name, rows in report.user_properties:
                if name == _OUTCOMES and isinstance(rows, dict):
                    self.tracker.record_rows(rows)

    def _below(self, percent: float | None) -> bool:
        return self.minimum is not None and percent is not None and percent < self.minimum

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        below = self._below(self.tracker.report().percent)
        if below and session.exitstatus == pytest.ExitCode.OK:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED

    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        coverage = self.tracker.report()
        terminalreporter.write_sep("-", "ICP rule coverage")
        for line in coverage.format(unloaded=self.unloaded).splitlines():
            terminalreporter.write_line(line)
        if coverage.percent is not None and self._below(coverage.percent):
            shortfall = f"{coverage.percent:.1f}% is below the minimum {self.minimum:g}%"
            terminalreporter.write_line(f"FAIL: rule coverage {shortfall}")


class IcpFile(pytest.File):
    """An `.icp` file: one collector per profile that has examples."""

    def collect(self) -> Iterator[IcpProfile]:
        from ..errors import ICPLoadError
        from ..loader import loads

        shown = os.path.relpath(self.path, self.config.rootpath)  # how reports name the file
        try:
            text = self.path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise ICPLoadError(f"cannot read {shown}: {error}", filename=shown) from None
        document = loads(text, shown, root=self.path.parent)
        for profile in document.profiles.values():
            if profile.examples:
                yield IcpProfile.from_parent(self, name=profile.name, profile=profile)

    def repr_failure(  # type: ignore[override]
        self, excinfo: pytest.ExceptionInfo[BaseException]
    ) -> str | Any:
        from ..errors import ICPError

        if isinstance(excinfo.value, ICPError):
            return str(excinfo.value)  # the located diagnostic, not a traceback
        return super().repr_failure(excinfo)


class IcpProfile(pytest.Collector):
    """One profile of an `.icp` file: one item per example."""

    def __init__(self, *, profile: Profile, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.profile = profile

    def collect(self) -> Iterator[IcpExample]:
        from .examples import example_names

        for example, name in zip(self.profile.examples, example_names(self.profile), strict=True):
            yield IcpExample.from_parent(self, name=name, profile=self.profile, example=example)


class ExampleFailed(AssertionError):
    """An example's record did not get what the example expects."""

    def __init__(self, run: ExampleRun) -> None:
        # The first line is what `pytest -ra` shows in its short summary.
        super().__init__(f"{run.failures[0].splitlines()[0]}\n{run.report()}")
        self.run = run


class IcpExample(pytest.Item):
    """One `fit "name" { ... }` line of an examples block."""

    def __init__(self, *, profile: Profile, example: ast.Example, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.profile = profile
        self.example = example

    def runtest(self) -> None:
        from .examples import run_example

        run = run_example(
            self.profile, self.example, as_of=self.config.stash[_AS_OF], name=self.name
        )
        if run.result is not None and _wants_coverage(self.config):
            from .coverage import outcome_rows

            self.user_properties.append((_OUTCOMES, outcome_rows(self.profile, run.result)))
        if not run.passed:
            raise ExampleFailed(run)

    def repr_failure(  # type: ignore[override]
        self, excinfo: pytest.ExceptionInfo[BaseException]
    ) -> str | Any:
        if isinstance(excinfo.value, ExampleFailed):
            return str(excinfo.value)
        return super().repr_failure(excinfo)

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, self.example.span.line - 1, f"{self.path.name}::{self.nodeid_tail}"

    @property
    def nodeid_tail(self) -> str:
        return f"{self.profile.name}::{self.name}"
