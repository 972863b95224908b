"""Shared by the benchmarks: timing (median of repetitions), peak memory, child processes
measured and table output."""

from __future__ import annotations

import compileall
import functools
import gc
import os
import statistics
import subprocess
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

PACKAGE = Path(__file__).resolve().parents[1] / "icpdsl"


def median_seconds(run: Callable[[], Any], repeat: int) -> float:
    """The median wall time of `repeat` runs of `run` (one warm-up run first)."""
    run()
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def ratio_to(
    run: Callable[[], Any], baseline: Callable[[], Any], repeat: int
) -> tuple[float, float]:
    """(median seconds of `run`, median of run/baseline ratios) with the two interleaved.

    Alternating the runs keeps a busy machine's slow moments out of the ratio.
    """
    run()
    baseline()
    times, ratios = [], []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        baseline()
        middle = time.perf_counter()
        run()
        end = time.perf_counter()
        times.append(end - middle)
        ratios.append((end - middle) / (middle - start))
    return statistics.median(times), statistics.median(ratios)


def peak_memory(run: Callable[[], Any]) -> int:
    """Peak bytes Python allocated during one run (tracemalloc; native memory not seen)."""
    gc.collect()
    tracemalloc.start()
    try:
        run()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


class Child(NamedTuple):
    """One child process, measured: wall and CPU (user + system) seconds, peak resident
    memory in KiB, exit code and what it wrote to stderr."""

    seconds: float
    cpu: float
    peak_kib: int
    code: int
    errors: str


@functools.cache
def installed_bytecode() -> None:
    """Write icpdsl's bytecode (`__pycache__`) before a fresh process is timed, as an
    installed package has it (pip compiles it at install).  A checkout run where
    `PYTHONDONTWRITEBYTECODE` is set, as CI machines often do, would otherwise compile
    every module it imports in every process: about 80 ms of `icp eval`'s start-up
    (0.25 s against 0.16 s on the development machine) that no user pays."""
    compileall.compile_dir(PACKAGE, quiet=1)


def run_child(command: list[str]) -> Child:
    """Run `command` (its stdout dropped) and measure it with `os.wait4`, icpdsl's
    bytecode written first (`installed_bytecode`)."""
    installed_bytecode()
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    assert process.stderr is not None
    errors = process.stderr.read().decode()
    process.stderr.close()
    cpu = usage.ru_utime + usage.ru_stime
    return Child(elapsed, cpu, usage.ru_maxrss, process.returncode, errors)


def table(headers: list[str], rows: list[list[str]]) -> str:
    """A plain text table, columns right-aligned after the first."""
    widths = [max(len(r[i]) for r in [headers, *rows]) for i in range(len(headers))]

    def line(cells: list[str]) -> str:
        first = cells[0].ljust(widths[0])
        rest = [c.rjust(w) for c, w in zip(cells[1:], widths[1:], strict=True)]
        return "  ".join([first, *rest])

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(headers), rule, *(line(r) for r in rows)])


def megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"
