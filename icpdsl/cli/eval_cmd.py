"""`icp eval PROFILE DATA`: score every account and write verdicts, scores and reasons."""

from __future__ import annotations

import argparse
import datetime
import functools
import heapq
import io
import json
import shutil
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, TextIO, TypeVar

import attrs

from ..batch import ENGINES, Engine, EngineOptions, ScoredRow
from ..batch.columns import columns_read
from ..batch.ids import IdColumn, id_candidates
from ..batch.parallel import Job, chunks_in_processes, jobs_count, score_in_processes
from ..batch.progress import Progress
from ..batch.summary import Summary
from ..batch.view import VERDICT_STYLES, Layout
from ..document import Profile
from ..errors import ICPError, ICPLoadError
from ..io import RecordReader
from ..io.table import TableWriter
from ..io.writers import OUTPUT_FORMATS, CSVWriter, JSONArrayWriter, JSONLinesWriter, Writer
from ..loader import load
from . import EXIT_FAILED, EXIT_OK
from .input_options import add_input_options, header_check, input_options
from .output import output_stream
from .terminal import colour_enabled, stream_is_pipe, stream_is_terminal

ONLY = ("fit", "not_fit", "disqualified", "unknown", "error")
Item = TypeVar("Item")

_OUTPUT_SUFFIXES = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json"}

EXAMPLES = """\
examples:
  icp eval examples/security.icp examples/accounts.csv
  icp eval examples/segments.icp examples/accounts.csv --only fit --top 10
  icp eval examples/hubspot.icp examples/hubspot_export.csv -o scored.csv
  cat accounts.jsonl | icp eval profile.icp - --input-format jsonl --format jsonl

exit codes: 0 every row scored; 1 some rows could not be read (see the summary);
            2 usage error, the profile or data file cannot be read at all, or the
              data cannot be read to its end (the rows before were written)
"""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "eval",
        help="score accounts (CSV, JSON Lines, JSON, Parquet) against a profile file",
        description="Score every account in DATA against each profile in PROFILE: one output\n"
        "row per input record, in input order, with verdicts, score, tier and reasons;\n"
        "a summary follows on stderr.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("profile", help="the .icp file")
    parser.add_argument(
        "data", help="accounts: .csv, .jsonl, .json, .parquet (.gz too), or - for stdin"
    )
    add_input_options(parser)
    scoring = parser.add_argument_group("scoring")
    add_scoring_options(scoring)
    scoring.add_argument(
        "--engine",
        choices=sorted({*ENGINES, "duckdb"}),
        default="python",
        help="how to score (default: python); duckdb scores a CSV file with DuckDB, "
        "giving the same output (extra 'duckdb', docs/scale.md)",
    )
    scoring.add_argument(
        "--jobs",
        type=_jobs,
        default=1,
        metavar="N",
        help="score in N worker processes, or auto: one per core (default: 1); the "
        "output is the same, in input order",
    )
    output = parser.add_argument_group("output")
    output.add_argument(
        "--format",
        choices=OUTPUT_FORMATS,
        help="table (default), csv, jsonl or json; -o FILE.csv etc. picks by suffix",
    )
    output.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    output.add_argument("--explain", action="store_true", help="add every rule's outcome")
    output.add_argument(
        "--only",
        action="append",
        metavar="VERDICT",
        type=_verdicts,
        help="keep rows with this verdict: " + ", ".join(ONLY) + " (repeatable or comma-separated)",
    )
    output.add_argument(
        "--top", type=_positive, metavar="N", help="the N best rows: fits first, then by score"
    )
    output.add_argument("--summary-only", action="store_true", help="print only the summary")
    output.add_argument("-q", "--quiet", action="store_true", help="no summary, no progress bar")
    output.add_argument("--no-progress", action="store_true", help="never draw a progress bar")
    output.add_argument(
        "--no-csv-escape",
        action="store_false",
        dest="csv_escape",
        help="CSV: write text cells starting with = + - @ tab or CR as they are (by default "
        "they get a leading ' so a spreadsheet does not run them as formulas)",
    )
    output.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour verdicts (default: auto: on a terminal, unless NO_COLOR)",
    )
    parser.add_argument("--strict", action="store_true", help="stop at the first unreadable row")
    parser.set_defaults(run=run)


def add_scoring_options(group: argparse._ArgumentGroup) -> None:
    """Which profiles score (`icp eval`, `icp serve`); the date is an input option."""
    group.add_argument(
        "--profile",
        action="append",
        metavar="NAME",
        dest="profile_names",
        help="score against this profile only (repeatable)",
    )


#: How `as_of_text` says where a date came from (`--as-of` needs no saying).
_DATE_SOURCES = {"given": "", "pinned": ", set in the file", "today": ", today"}


def as_of_text(profiles: Sequence[Profile], as_of: datetime.date | None) -> str:
    """`as of 2013-12-31, set in the file`: the date the profiles are judged on and
    where it comes from; each profile's when they differ."""
    dates = {p.name: (p.evaluation_date(as_of), p.date_source(as_of)) for p in profiles}
    if len(set(dates.values())) <= 1:
        day, source = next(iter(dates.values()), (as_of or datetime.date.today(), "given"))
        return f"as of {day.isoformat()}{_DATE_SOURCES[source]}"
    each = (f"{n} {d.isoformat()}{_DATE_SOURCES[s]}" for n, (d, s) in dates.items())
    return "as of " + "; ".join(each)


def _jobs(text: str) -> int:
    try:
        return jobs_count(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of processes or auto: {text!r}") from None


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) == 0:
        raise argparse.ArgumentTypeError(f"not a positive whole number: {text!r}")
    return int(text)


def _verdicts(text: str) -> set[str]:
    chosen = {v.strip() for v in text.split(",") if v.strip()}
    unknown = chosen - set(ONLY)
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(
            f"unknown verdict {', '.join(sorted(unknown)) or repr(text)}; choose from "
            + ", ".join(ONLY)
        )
    return chosen


def output_format(args: argparse.Namespace) -> str:
    """`--format`, else the suffix of `-o FILE` (`.csv`, `.jsonl`, `.json`), else a table."""
    if args.format:
        return str(args.format)
    if args.output:
        return _OUTPUT_SUFFIXES.get(Path(args.output).suffix.lower(), "table")
    return "table"


def run(args: argparse.Namespace) -> int:
    """Read DATA, score it with the chosen engine, write rows and the summary; exit code."""
    document = load(args.profile)
    profiles = document.chosen(args.profile_names)
    fmt = output_format(args)
    options = input_options(args)
    candidates = id_candidates(options.id_column, document.schema)
    engine = _engine(args)
    chosen = [document.profiles[p] for p in profiles]
    reader = options.open(
        args.data,
        text_columns=candidates,
        typed=args.engine != "duckdb",
        read_columns=columns_read(chosen, document.schema),
    )
    stop = _Stop()
    try:
        if args.engine == "duckdb" and reader.format != "csv":
            raise ICPError(
                f"--engine duckdb scores CSV files, and {reader.source.name} is "
                f"{_FORMAT_NAMES[reader.format]}: leave out --engine to score it"
            )
        id_column = IdColumn(candidates, reader.columns, explicit=options.id_column is not None)
        header_check([document], reader.source.name, profiles)(reader.columns)
        engine_options = EngineOptions(
            profiles=profiles,
            as_of=options.as_of,
            explain=args.explain,
            id_of=id_column,
            source=args.data,
            text_columns=tuple(candidates),
        )
        layout = Layout(profiles, id_column.name, explain=args.explain)
        dates = {p.name: p.evaluation_date(options.as_of) for p in chosen}
        summary = Summary(layout.profiles, as_of_text(chosen, options.as_of), dates)
        chunked = args.jobs > 1 and _in_chunks(args, fmt)
        scored: Iterable[Any]
        if args.jobs > 1:
            again = functools.partial(load, args.profile)
            if chunked:  # the workers write the rows and count them
                render: Any = functools.partial(
                    _written_chunk, fmt, layout, args.csv_escape, not args.summary_only
                )
                job = Job(engine, engine_options, again, render)
                scored = chunks_in_processes(document, reader, job, args.jobs)
            else:
                render = None
                if fmt in _TEXT_FORMATS and not args.summary_only:
                    render = functools.partial(_written_rows, fmt, layout, args.csv_escape)
                job = Job(engine, engine_options, again, render)
                scored = score_in_processes(document, reader, job, args.jobs)
        else:
            scored = engine(document, reader, engine_options)
        with output_stream(args.output) as stream:
            _write(args, fmt, layout, scored, stream, reader, stop, summary, chunked=chunked)
    finally:
        reader.source.close()
    if stop.error is not None:
        raise stop.stopped_after(summary.rows)
    return EXIT_FAILED if summary.error_count else EXIT_OK


_FORMAT_NAMES = {"jsonl": "JSON Lines", "json": "JSON", "parquet": "Parquet", "csv": "CSV"}


def _engine(args: argparse.Namespace) -> Engine:
    """The engine `--engine` names; what it cannot do is refused here, before any work."""
    if args.engine != "duckdb":
        return ENGINES[args.engine]
    if args.jobs > 1:
        raise ICPError("--engine duckdb runs on DuckDB's own threads: leave out --jobs")
    if args.explain:
        raise ICPError(
            "--engine duckdb does not build --explain's explanations: leave out --engine "
            "to explain every row"
        )
    from ..batch.duckdb_engine import duckdb_engine, duckdb_module

    duckdb_module()  # not installed: the error names the pip line, before any reading
    return duckdb_engine


class _Stop:
    """The input error that ended reading partway (a damaged `.gz`, bytes in another
    encoding), if one did: the rows before it are written, then the command fails."""

    error: ICPLoadError | None = None

    def stopped_after(self, rows: int) -> ICPLoadError:
        assert self.error is not None
        where = f"after row {rows:,}" if rows else "before the first row"
        return ICPLoadError(
            f"{self.error.message}; reading stopped {where} (the rows before were written)",
            filename=self.error.filename,
            hint=self.error.hint,
        )


def _write(
    args: argparse.Namespace,
    fmt: str,
    layout: Layout,
    scored: Iterable[Any],
    stream: TextIO,
    reader: RecordReader,
    stop: _Stop,
    summary: Summary,
    *,
    chunked: bool,
) -> None:
    """Write every selected row as it is scored, then the summary, counting in `summary`;
    `scored` is ScoredRows, or `Written` chunks when `chunked`."""
    to_terminal = args.output is None and stream_is_terminal(sys.stdout)
    progress = Progress(
        sys.stderr,
        enabled=stream_is_terminal(sys.stderr)
        and not (args.quiet or args.no_progress)
        and (args.summary_only or not to_terminal)
        and (args.output is not None or not stream_is_pipe(sys.stdout)),
        total=reader.source.size,
        position=reader.source.position,
    )
    started = time.perf_counter()
    shown = 0
    try:
        if chunked:
            shown = _write_chunks(args, fmt, layout, scored, stream, stop, summary, progress)
        elif not args.summary_only:
            rows = _counted(scored, summary, progress, stop, strict=args.strict)
            colour = colour_enabled(args.color, sys.stdout) and args.output is None
            writer = _writer(fmt, layout, stream, colour, to_terminal, escape=args.csv_escape)
            emit = _emitter(writer, fmt, layout, written=args.jobs > 1)
            for row in _select(rows, args.only, args.top):
                emit(row)
                shown += 1
            writer.close()
        else:
            for _ in _counted(scored, summary, progress, stop, strict=args.strict):
                pass
    finally:
        progress.finish()
    elapsed = time.perf_counter() - started
    stream.flush()
    for warning in reader.warnings:
        print(f"icp eval: warning: {reader.source.name}: {warning}", file=sys.stderr)
    if stop.error is None:
        _report(args, fmt, summary, elapsed, shown, stream)


def _report(
    args: argparse.Namespace, fmt: str, summary: Summary, elapsed: float, shown: int,
    stream: TextIO,
) -> None:  # fmt: skip
    if args.summary_only:
        if fmt in ("json", "jsonl"):
            stream.write(json.dumps(summary.to_dict(), ensure_ascii=False) + "\n")
        else:
            stream.write(summary.render(elapsed) + "\n")
        return
    if args.quiet:
        return
    text = summary.render(elapsed, bold=colour_enabled(args.color, sys.stderr))
    if args.only or args.top:
        text += f"\nshowing {shown:,} of {summary.rows:,} rows" + _filters(args)
    if args.strict and summary.error_count:
        text += f"\nstopped at row {summary.rows:,}, the first that could not be read (--strict)"
    sys.stderr.write(text + "\n")


def _filters(args: argparse.Namespace) -> str:
    parts = []
    if args.only:
        parts.append("--only " + ",".join(v for v in ONLY if v in set().union(*args.only)))
    if args.top:
        parts.append(f"--top {args.top}")
    return " (" + " ".join(parts) + ")"


def _counted(
    rows: Iterable[ScoredRow], summary: Summary, progress: Progress, stop: _Stop, *,
    strict: bool,
) -> Iterator[ScoredRow]:  # fmt: skip
    """Every row, counted into the summary; with `strict`, the first error row ends it;
    an input error partway ends it too, kept in `stop` (as `_until_unreadable` does,
    without its layer: this runs for every row)."""
    add, tick, ticking = summary.add, progress.tick, progress.enabled
    count = 0
    try:
        for row in rows:
            count += 1
            add(row)
            if ticking:
                tick(count)
            yield row
            if strict and row.error is not None:
                return
    except ICPLoadError as error:
        stop.error = error


def _write_chunks(
    args: argparse.Namespace,
    fmt: str,
    layout: Layout,
    chunks: Iterable[Written],
    stream: TextIO,
    stop: _Stop,
    summary: Summary,
    progress: Progress,
) -> int:
    """Write the rows worker processes wrote, chunk by chunk, counting each chunk's
    summary into `summary`; how many rows were written."""
    writer: CSVWriter | JSONLinesWriter | JSONArrayWriter | None = None
    if not args.summary_only:
        made = _writer(fmt, layout, stream, False, False, escape=args.csv_escape)
        assert isinstance(made, (CSVWriter, JSONLinesWriter, JSONArrayWriter))
        writer = made
    shown = 0
    for chunk in _until_unreadable(chunks, stop):
        summary.merge(chunk.summary)
        progress.tick(summary.rows)
        if writer is not None:
            for text in chunk.texts:
                writer.write_text(text)
            shown += chunk.summary.rows
    if writer is not None:
        writer.close()
    return shown


def _until_unreadable(rows: Iterable[Item], stop: _Stop) -> Iterator[Item]:
    """`rows` until an input error (kept in `stop`) ends them."""
    try:
        yield from rows
    except ICPLoadError as error:
        stop.error = error


def _select(
    rows: Iterator[ScoredRow], only: list[set[str]] | None, top: int | None
) -> Iterator[ScoredRow]:
    """`--only` then `--top`: the N best rows (`ScoredRow.rank`; ties in input order)."""
    if only:
        wanted = set().union(*only)
        rows = (r for r in rows if r.verdict in wanted)
    if top is None:
        return rows
    scored = (r for r in rows if r.error is None)
    return iter(heapq.nlargest(top, scored, key=lambda r: (r.rank, -r.number)))


def _writer(
    fmt: str, layout: Layout, stream: TextIO, colour: bool, terminal: bool, *, escape: bool
) -> Writer:
    if fmt == "csv":
        return CSVWriter(stream, layout.csv_columns(), escape_formulas=escape)
    if fmt == "jsonl":
        return JSONLinesWriter(stream)
    if fmt == "json":
        return JSONArrayWriter(stream)
    return TableWriter(
        stream,
        layout.columns,
        styled=layout.verdict_columns if colour else (),
        styles=VERDICT_STYLES if colour else None,
        line_width=shutil.get_terminal_size().columns if terminal else None,
    )


#: The formats whose rows worker processes write (`_rendered`); a table is laid out whole.
_TEXT_FORMATS = ("csv", "jsonl", "json")


def _in_chunks(args: argparse.Namespace, fmt: str) -> bool:
    """Whether worker processes can write and count whole chunks: every row is written,
    in a format they write, and no row ends the run (`--strict`)."""
    every_row = not (args.only or args.top or args.strict)
    return every_row and (args.summary_only or fmt in _TEXT_FORMATS)


@attrs.frozen
class Written:
    """A chunk as a worker process hands it back: its output text (none for
    `--summary-only`; a JSON array's, one per row) and its rows' summary."""

    texts: list[str]
    summary: Summary


def _written_chunk(
    fmt: str, layout: Layout, escape: bool, write: bool, rows: Iterable[ScoredRow]
) -> Written:
    """A chunk's rows counted and (when `write`) written, as they are scored, in the
    worker process."""
    summary = Summary(layout.profiles)
    counted = _counted_into(rows, summary)
    if not write:
        for _ in counted:
            pass
        return Written([], summary)
    return Written(_rendered(fmt, layout, escape, counted, each=fmt == "json"), summary)


def _counted_into(rows: Iterable[ScoredRow], summary: Summary) -> Iterator[ScoredRow]:
    add = summary.add
    for row in rows:
        add(row)
        yield row


def _written_rows(
    fmt: str, layout: Layout, escape: bool, rows: Iterable[ScoredRow]
) -> list[ScoredRow]:
    """The rows with their output text, less what only the text needed (`--only`,
    `--top` and `--strict` select rows in the parent)."""
    kept = list(rows)
    texts = _rendered(fmt, layout, escape, kept, each=True)
    return [row.written(text) for row, text in zip(kept, texts, strict=True)]


def _rendered(
    fmt: str, layout: Layout, escape: bool, rows: Iterable[ScoredRow], *, each: bool
) -> list[str]:
    """The rows' output text, as `_emit` writes it (a JSON array's element as a JSON
    line): run in a worker process, so the rows need not be sent whole.  With `each`,
    one text per row; else the chunk's text as one."""
    buffer = io.StringIO()
    writer: Writer
    if fmt == "csv":
        writer = CSVWriter(buffer, layout.csv_columns(), escape_formulas=escape, header=False)
    else:
        writer = JSONLinesWriter(buffer)
    emit = _emitter(writer, fmt, layout, written=False)
    if not each:
        for row in rows:
            emit(row)
        text = buffer.getvalue()
        return [text] if text else []
    ends = []
    for row in rows:
        emit(row)
        ends.append(buffer.tell())
    text = buffer.getvalue()
    return [text[start:end] for start, end in zip([0, *ends], ends, strict=False)]


def _emitter(
    writer: Writer, fmt: str, layout: Layout, *, written: bool
) -> Callable[[ScoredRow], None]:
    """`_emit` for one writer and format, with a CSV line's steps bound once (the common
    output of a large run); `written`: worker processes may have written rows' text."""
    if fmt != "csv":
        return functools.partial(_emit, writer, fmt, layout)
    assert isinstance(writer, CSVWriter)
    cells, write, write_text = layout.csv_cells, writer.write_cells, writer.write_text
    if not written:
        return lambda row: write(cells(row))

    def emit(row: ScoredRow) -> None:
        if row.text is not None:  # written by a worker process
            write_text(row.text)
        else:
            write(cells(row))

    return emit


def _emit(writer: Writer, fmt: str, layout: Layout, row: ScoredRow) -> None:
    if row.text is not None:  # written by a worker process
        assert isinstance(writer, (CSVWriter, JSONLinesWriter, JSONArrayWriter))
        writer.write_text(row.text)
    elif fmt in ("json", "jsonl"):
        writer.write(layout.document(row))
    elif fmt == "csv":
        assert isinstance(writer, CSVWriter)
        writer.write_cells(layout.csv_cells(row))
    else:
        writer.write(layout.flat(row), layout.explanation(row) if layout.explain else None)
