"""`icp lsp` on a 2,000-rule file: how long after a change the editor gets diagnostics,
beside `icpdsl.check` (load + lint) and `icpdsl.loads` timed in this process.

Run: `.venv/bin/python bench/lsp.py [--statements 2000] [--repeat 9]`

The server runs as an editor starts it (`icp lsp` over stdio, driven by pygls' client).
Each round times, from the change sent to its diagnostics received: a change to a valid
file that keeps it valid (published once, with its lint warnings), then a change that
makes a syntax error (`=` for `==`; published as soon as loading fails).  Each change is
one edit of the text the server has, as typing makes them (an edit inside one statement
is parsed alone, `icpdsl.incremental`).  "hover while
the change is checked" is a request sent right after a change: it waits for the analysis
of that change.  Ratios are to `icpdsl.check` alone, measured in the same run.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from lsprotocol import types

import icpdsl
from bench.common import median_seconds, table
from bench.load import document
from tests.lsp.client import Session


def _line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--statements", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()
    text = document(args.statements)
    middle = text.splitlines()[args.statements // 2]
    check = median_seconds(lambda: icpdsl.check(text), args.repeat)
    loads = median_seconds(lambda: icpdsl.loads(text), args.repeat)

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big.icp"
        path.write_text(text, encoding="utf-8")
        session = Session(Path(folder))
        try:
            uri = session.open(path, text)
            session.wait_for(uri)
            error_times, valid_times, hover_times = [], [], []
            for round_ in range(args.repeat):
                edited = text.replace(middle, f"  employees >= {round_ + 7}", 1)
                valid_times.append(_time_change(session, uri, edited, errors=False))
                broken = text.replace(middle, f"  employees = {round_}", 1)
                error_times.append(_time_change(session, uri, broken, errors=True))
                _time_change(session, uri, text, errors=False)  # back to a valid file
                hover_times.append(_time_hover(session, uri, text, round_))
        finally:
            session.close()

    rows = [
        ["icpdsl.check (load + lint), in process (baseline)", _ms(check), "1.00×"],
        ["icpdsl.loads (parse + check), in process", _ms(loads), f"{loads / check:.2f}×"],
        _row("icp lsp: change making a syntax error → error", error_times, check),
        _row("icp lsp: valid change → diagnostics with lint", valid_times, check),
        _row("icp lsp: hover answered while the change is checked", hover_times, check),
    ]
    print(f"{args.statements:,}-statement file, median of {args.repeat}; "
          f"Python {sys.version.split()[0]}")  # fmt: skip
    print(table(["step", "ms", "vs check"], rows))


def _time_change(session: Session, uri: str, text: str, *, errors: bool) -> float:
    start = time.perf_counter()
    version = session.change(uri, text)
    session.wait_for(uri, lambda found: any(d.code == "ICP000" for d in found) == errors)
    return next(t for t, p in session.published if p.uri == uri and p.version == version) - start


def _time_hover(session: Session, uri: str, text: str, round_: int) -> float:
    session.change(uri, text + f"# hover {round_}\n")
    start = time.perf_counter()
    position = types.Position(_line_of(text, "employees"), 3)
    session.run(
        session.client.text_document_hover_async(
            types.HoverParams(types.TextDocumentIdentifier(uri), position)
        )
    )
    took = time.perf_counter() - start
    session.wait_for(uri)
    _time_change(session, uri, text, errors=False)  # as it was: the next change is one edit
    return took


def _ms(seconds: float) -> str:
    return f"{seconds * 1e3:,.0f}"


def _row(name: str, times: list[float], baseline: float) -> list[str]:
    median = statistics.median(times)
    return [name, _ms(median), f"{median / baseline:.2f}×"]


if __name__ == "__main__":
    main()
