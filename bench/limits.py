"""Time and memory against input size for what the limits bound (issue 17), up to the
default limits, each with its growth per unit of size.

Run: `.venv/bin/python bench/limits.py [--quick]`

1. A document's size (`Limits.max_document_size`): one profile of R rules and N profiles
   extending it; loading, `icpdsl.check` (load and lint), judging one record by every
   profile (the reference) and compiling every profile, against the size the limit
   counts. Then the red team's file (9,999 rules, 200 profiles extending them), which the
   limit refuses: the time and memory to refuse it.
2. A string literal of 64 KiB to 1 MiB: load time and peak memory per byte.
3. A number literal of 100 to 5,000 digits: refused at load, time per digit.
4. A lattice of defines (each using the two of the level below) of 10 to 40 levels:
   load time per define.

Each point runs in a fresh interpreter (so the peak resident memory is its own), and
figures are printed with the ratio to the smallest point of their row, beside the
ratio of sizes: linear growth keeps the two close.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench.common import table

AS_OF = "2025-06-30"


# ------------------------------------------------------------------ the inputs


def fan_out(rules: int, profiles: int) -> str:
    """One profile of `rules` rules, and `profiles` profiles extending it."""
    base = "\n".join(f"  f{i} > {i}" for i in range(rules))
    extending = "".join(f'profile "P{i}" extends "Base" {{\n  g{i}\n}}\n' for i in range(profiles))
    return f'profile "Base" {{\n{base}\n}}\n{extending}'


def string_literal(size: int) -> str:
    return 'industry == "' + "a" * (size - len('industry == ""')) + '"'


def number_literal(digits: int) -> str:
    return "employees >= " + "9" * digits


def lattice(levels: int) -> str:
    lines = ["define a0 = x > 1", "define b0 = y > 1"]
    for k in range(1, levels):
        lines += [f"define a{k} = a{k - 1} or b{k - 1}", f"define b{k} = a{k - 1} and b{k - 1}"]
    return "\n".join([*lines, "z > 1"])


# ------------------------------------------------------------------ one point, in a child


def _measure(kind: str, size: int, step: str) -> dict[str, float]:
    """Seconds and peak resident MB of one step on one input (run in a fresh process)."""
    import datetime

    import icpdsl

    text = {
        "fan_out": lambda: fan_out(1_000, size),
        "red_team": lambda: fan_out(9_999, 200),
        "string": lambda: string_literal(size),
        "number": lambda: number_literal(size),
        "lattice": lambda: lattice(size),
    }[kind]()
    icpdsl.parse("x")  # build the parser first: its cost is not the input's
    day = datetime.date.fromisoformat(AS_OF)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    refused = False
    try:
        if step == "load":
            icpdsl.loads(text)
        elif step == "check":
            icpdsl.check(text)
        else:
            document = icpdsl.loads(text)
            started = time.perf_counter()
            if step == "judge":
                document.evaluate({"f1": 5, "g0": True}, as_of=day)
            else:  # compile
                for profile in document.profiles.values():
                    profile.compile(day)
    except icpdsl.ICPError:
        refused = True
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"seconds": seconds, "mb": max(peak, before) / 1024, "refused": float(refused)}


def point(kind: str, size: int, step: str = "load") -> dict[str, float]:
    """`_measure` in a fresh interpreter."""
    done = subprocess.run(
        [sys.executable, __file__, "--point", kind, str(size), step],
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(json.loads(done.stdout))


# ------------------------------------------------------------------ the report


def _row(
    label: str,
    sizes: list[int],
    measure: Callable[[int], dict[str, float]],
    count: Callable[[int], int] = lambda n: n,
) -> list[list[str]]:
    """Rows: the input's size (as `count` gives it), seconds, peak memory, and the growth
    of size and of time against the first point."""
    rows = []
    first: dict[str, float] | None = None
    for size in sizes:
        found = measure(size)
        first = first or found
        rows.append(
            [
                label,
                f"{count(size):,}",
                f"{count(size) / count(sizes[0]):.1f}x",
                f"{found['seconds']:.3f} s",
                f"{found['seconds'] / max(first['seconds'], 1e-6):.1f}x",
                f"{found['mb']:.0f} MB",
                "refused" if found["refused"] else "",
            ]
        )
    return rows


def document_size(extending: int) -> int:
    """The fan-out's size as `max_document_size` counts it: 2,000 for the base profile
    (1,000 rules, 1,000 predicates), 2,002 for each profile extending it."""
    return 2_000 + 2_002 * extending


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer, smaller points")
    parser.add_argument("--point", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.point:
        kind, size, step = args.point
        print(json.dumps(_measure(kind, int(size), step)))
        return
    headers = ["what", "size", "size ratio", "time", "time ratio", "peak RSS", ""]

    # A profile of 1,000 rules weighs 2,000 (rules + predicates); each extending profile
    # 2,002 (its inherited rules, its own rule and predicate): the document's size is
    # about 2,000 x (profiles + 1), and the default limit of 50,000 admits 23.
    extending = [2, 5, 11, 23] if not args.quick else [2, 5]
    print("1. The document's size: a profile of 1,000 rules and 2 to 23 profiles extending")
    print("   it (size: as max_document_size counts it; the default limit is 50,000)\n")
    rows = []
    for step in ("load", "check", "judge", "compile"):
        rows += _row(step, extending, lambda n, s=step: point("fan_out", n, s), document_size)
    print(table(headers, rows))
    red = point("red_team", 0)
    print(
        f"\n   The red team's file (9,999 rules, 200 profiles extending them): "
        f"{'refused' if red['refused'] else 'LOADED'} in {red['seconds']:.2f} s, "
        f"peak {red['mb']:.0f} MB (was 10 s and 1.4 GB to load)\n"
    )

    print("2. A string literal (size in bytes)\n")
    sizes = [65_536, 262_144, 1_048_576] if not args.quick else [65_536, 262_144]
    print(table(headers, _row("load", sizes, lambda n: point("string", n))))

    print("\n3. A number literal (size in digits): refused at load\n")
    digits = [100, 1_000, 5_000]
    print(table(headers, _row("load", digits, lambda n: point("number", n))))

    print("\n4. A lattice of defines (size in levels, two defines each)\n")
    levels = [10, 20, 40] if not args.quick else [10, 20]
    print(table(headers, _row("load", levels, lambda n: point("lattice", n))))


if __name__ == "__main__":
    main()
