"""Lint time against profile size, up to the default limits: it must grow linearly.

Run: `.venv/bin/python bench/lint.py [--sizes 1250,2500,5000,10000] [--repeat 3]`

For each shape of profile (criteria on one field, on as many fields, list items, tier
lines, disqualifiers, a contradiction found at the last criterion, the mixed file of
bench/load.py) it prints lint time (`icpdsl.lint` on the loaded document), `icpdsl.check`
(load + lint), peak memory and the growth ratio: lint time per rule at each size over
that at the smallest size, measured in the same run.  1.0 is linear; 2.0 at 8× the
rules would be quadratic-ish (a quadratic lint doubles per doubling: 8.0).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import icpdsl
from bench.common import median_seconds, megabytes, peak_memory, table
from bench.load import document as mixed_document
from icpdsl.findings import lint


def _profile(lines: list[str]) -> str:
    return 'profile "Big" {\n' + "".join(f"  {line}\n" for line in lines) + "}\n"


def one_field(n: int) -> str:
    return _profile([f"employees >= {i}" for i in range(n)])


def many_fields(n: int) -> str:
    return _profile([f"f{i} >= {i}" for i in range(n)])


def list_items(n: int) -> str:
    return _profile([f"tech has t{i}" for i in range(n)])


def tier_lines(n: int) -> str:
    points = ["employees >= 1", "+10 if tech has AWS", "+5 if has_owner"]
    return _profile(points + [f"tier T{i} if score >= {n - i}" for i in range(n - len(points))])


def disqualifiers(n: int) -> str:
    half = n // 2
    criteria = [f"f{i} >= {i}" for i in range(half)]
    return _profile(criteria + [f"disqualify if g{i} == x{i}" for i in range(n - half)])


def contradiction_last(n: int) -> str:
    return _profile([f"f{i} >= {i}" for i in range(n - 1)] + ["f0 < 0"])


def mixed(n: int) -> str:
    return mixed_document(n * 3 // 4)  # its `a and (b or c)` lines hold three predicates


SHAPES: dict[str, Callable[[int], str]] = {
    "criteria, one field": one_field,
    "criteria, a field each": many_fields,
    "criteria, list items": list_items,
    "tier lines": tier_lines,
    "disqualifiers": disqualifiers,
    "contradiction at the last criterion": contradiction_last,
    "mixed (bench/load.py)": mixed,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1250,2500,5000,10000")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    rows = []
    for name, make in SHAPES.items():
        first: float | None = None
        for size in sizes:
            text = make(size)
            loaded = icpdsl.loads(text)
            rules = len(next(iter(loaded.profiles.values())).rules)
            linted = median_seconds(lambda loaded=loaded: lint(loaded), args.repeat)
            checked = median_seconds(lambda text=text: icpdsl.check(text), args.repeat)
            per_rule = linted / rules
            first = per_rule if first is None else first
            memory = megabytes(peak_memory(lambda loaded=loaded: lint(loaded)))
            rows.append([name, f"{rules:,}", f"{linted * 1e3:,.1f}", f"{per_rule * 1e6:,.1f}",
                         f"{per_rule / first:.2f}×", f"{checked * 1e3:,.0f}", memory])  # fmt: skip
    print(f"median of {args.repeat}; Python {sys.version.split()[0]}; growth = lint µs/rule "
          "over that at the smallest size (1.00× is linear)")  # fmt: skip
    headers = ["shape", "rules", "lint ms", "µs/rule", "growth", "check ms", "lint memory"]
    print(table(headers, rows))


if __name__ == "__main__":
    main()
