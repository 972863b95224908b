"""Load time: parse + check a 1,000-statement file beside Lark's bare LALR parse; import time.

Run: `.venv/bin/python bench/load.py [--statements 1000] [--repeat 7]`

The bare parse is Lark's LALR parser on the same grammar, building its default parse tree
(no positions, no AST, no checks), with the part of icpdsl's post-lexer the grammar needs:
the folding of line breaks into statement separators.  The post-lexer's nesting and
list-length limits are icpdsl's own work, so they are timed on icpdsl's side only.
`import icpdsl` is timed in fresh interpreters (`python -X importtime`), median of
`--repeat`.
"""

from __future__ import annotations

import argparse
import importlib.resources
import os
import re
import statistics
import subprocess
import sys
from collections.abc import Iterator

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import lark
from lark import Token

import icpdsl
from bench.common import installed_bytecode, megabytes, peak_memory, ratio_to, table
from icpdsl.parser import _Separators

FIELDS = ["employees", "revenue", "industry", "country", "tech", "founded", "active"]
FORMS = [
    "employees {n}..{m}",
    "revenue >= ${n}k",
    'industry in [SaaS, Fintech, "B2B Software", x{n}]',
    "tech has any [AWS, GCP, t{n}]",
    "country not in [RU, KP, c{n}]",
    "founded within {n} months",
    "active and (employees > {n} or revenue < {m})",
]


class _FoldLinesOnly(_Separators):
    """icpdsl's post-lexer without its limits: what the grammar itself needs."""

    def process(self, stream: Iterator[Token]) -> Iterator[Token]:
        return self._statements(stream)


def document(statements: int) -> str:
    """A profile file with `statements` lines: criteria, points, disqualifiers and tiers."""
    lines = ['profile "Big" {']
    for i in range(statements - 4):
        condition = FORMS[i % len(FORMS)].format(n=i + 1, m=i + 1000)
        kind = i % 5
        if kind == 3:
            lines.append(f"  +{i % 20 + 1} if {condition}")
        elif kind == 4:
            lines.append(f'  disqualify if {condition}: "reason {i}"')
        else:
            lines.append(f"  {condition}")
    lines += ["  tier A if score >= 30", "  tier B otherwise", "}"]
    return "\n".join(lines) + "\n"


def import_seconds(repeat: int) -> float:
    """Median cumulative import time of icpdsl in a fresh interpreter."""
    times = []
    installed_bytecode()
    for _ in range(repeat):
        done = subprocess.run(
            [sys.executable, "-X", "importtime", "-c", "import icpdsl"],
            capture_output=True,
            text=True,
            check=True,
        )
        rows = [line for line in done.stderr.splitlines() if re.search(r"\|\s*icpdsl$", line)]
        times.append(int(rows[-1].split("|")[1]) / 1e6)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--statements", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    text = document(args.statements)
    grammar = importlib.resources.files("icpdsl").joinpath("grammar.lark").read_text("utf-8")
    bare = lark.Lark(grammar, parser="lalr", lexer="contextual", postlex=_FoldLinesOnly(),
                     maybe_placeholders=True)  # fmt: skip
    runs = {
        "Lark LALR bare parse (baseline)": lambda: bare.parse(text),
        "icpdsl.parse (AST with positions)": lambda: icpdsl.parse(text),
        "icpdsl.loads (parse + build + check)": lambda: icpdsl.loads(text),
    }
    baseline = runs["Lark LALR bare parse (baseline)"]
    rows = []
    for name, run in runs.items():
        seconds, ratio = ratio_to(run, baseline, args.repeat)
        per = seconds / args.statements * 1e6
        memory = megabytes(peak_memory(run))
        rows.append([name, f"{seconds * 1e3:,.1f}", f"{per:,.1f}", f"{ratio:.2f}×", memory])
    print(
        f"{args.statements:,} statements, median of {args.repeat}; Python {sys.version.split()[0]}"
    )
    print(table(["step", "ms", "µs/statement", "vs bare parse", "peak memory"], rows))
    print(f"\nimport icpdsl: {import_seconds(args.repeat) * 1e3:.0f} ms (python -X importtime)")


if __name__ == "__main__":
    main()
